// HybridLogicalClock: stamps never go backwards on one node whatever the wall
// clock does, a receive orders after what it merged across any chain of nodes,
// concurrent stamps order the same everywhere, a far-future peer cannot drag
// the clock along, a restart continues after the last persisted stamp, the
// text form sorts like the stamps, and the counter never wraps.

#include "core/offline/HybridLogicalClock.h"

#include <QTest>

#include <algorithm>
#include <limits>
#include <memory>
#include <random>
#include <vector>

using tandem::ManualClock;
using tandem::offline::HlcTimestamp;
using tandem::offline::HybridLogicalClock;
using tandem::protocol::ErrorCode;

Q_DECLARE_METATYPE(tandem::offline::HlcTimestamp)

namespace tandem::offline {
// Found by QCOMPARE through argument-dependent lookup.
char *toString(const HlcTimestamp &stamp)
{
    return qstrdup(QStringLiteral("(wallMs %1, counter %2, nodeId %3)")
                       .arg(stamp.wallMs)
                       .arg(stamp.counter)
                       .arg(stamp.nodeId)
                       .toUtf8()
                       .constData());
}
} // namespace tandem::offline

namespace {
constexpr quint32 MaxCounter = std::numeric_limits<quint32>::max();
constexpr qint64 Minute = 60 * 1000;
constexpr qint64 Hour = 60 * Minute;

QString describe(const HlcTimestamp &stamp)
{
    return QStringLiteral("(%1, %2, %3)").arg(stamp.wallMs).arg(stamp.counter).arg(stamp.nodeId);
}

qint64 wallMsOf(const ManualClock &clock)
{
    return clock.nowUtc().toMSecsSinceEpoch();
}

/// A uniformly drawn integer in [low, high].
template <typename T> T draw(std::mt19937_64 &random, T low, T high)
{
    return std::uniform_int_distribution<T>(low, high)(random);
}

bool chance(std::mt19937_64 &random, int percent)
{
    return draw(random, 1, 100) <= percent;
}

/// One node's clock through a random schedule of local events and receives
/// while its wall clock moves forwards, stands still and jumps backwards.
/// Returns an empty string when every invariant held, else what broke where.
QString runRandomSchedule(quint64 seed, int steps)
{
    std::mt19937_64 random(seed);
    ManualClock physical;
    constexpr quint64 Self = 0x5e1f;
    HybridLogicalClock clock(physical, Self);
    const qint64 maxDrift = clock.maxDriftMs();
    HlcTimestamp previous;
    int issuedLocally = 0, aheadOfPhysical = 0, followingPhysical = 0, accepted = 0, refused = 0,
        backwardJumps = 0, carried = 0;

    for (int step = 0; step < steps; ++step) {
        const auto failure = [&](const QString &what) {
            return QStringLiteral("seed %1, step %2: %3").arg(seed).arg(step).arg(what);
        };
        // Forwards in half the steps, so that the clock keeps catching up with
        // physical time after jumps; backwards in one in six; else standing still.
        const int move = draw(random, 1, 1000);
        if (move <= 500) {
            physical.advance(draw<qint64>(random, 1, 10000));
        } else if (move <= 660) {
            physical.advance(-draw<qint64>(random, 1, 5000));
            ++backwardJumps;
        } else if (move <= 662) {
            physical.advance(-draw<qint64>(random, Minute, 10 * Minute));
            ++backwardJumps;
        }
        const qint64 now = wallMsOf(physical);

        if (chance(random, 50)) {
            const HlcTimestamp stamp = clock.now();
            ++issuedLocally;
            if (!(stamp > previous))
                return failure(
                    QStringLiteral("now() %1 not after %2").arg(describe(stamp), describe(previous)));
            if (stamp.wallMs < now)
                return failure(
                    QStringLiteral("now() %1 behind the wall clock %2").arg(describe(stamp)).arg(now));
            if (stamp.nodeId != Self || clock.last() != stamp)
                return failure(QStringLiteral("now() %1 not this node's last stamp").arg(describe(stamp)));
            aheadOfPhysical += stamp.wallMs > now ? 1 : 0;
            followingPhysical += stamp.wallMs == now && stamp.counter == 0 ? 1 : 0;
            previous = stamp;
            continue;
        }

        HlcTimestamp remote;
        const int kind = draw(random, 1, 100);
        if (kind <= 30)
            remote.wallMs = previous.wallMs; // same logical millisecond: the counters merge
        else if (kind <= 75)
            remote.wallMs = now + draw<qint64>(random, -10 * Minute, 2000);
        else if (kind <= 80)
            remote.wallMs = now + draw<qint64>(random, 0, maxDrift); // ahead, but within the bound
        else
            remote.wallMs = now + maxDrift + draw<qint64>(random, 1, Hour); // too far ahead
        remote.counter =
            chance(random, 10) ? MaxCounter - draw<quint32>(random, 0, 2) : draw<quint32>(random, 0, 100);
        remote.nodeId =
            chance(random, 10) ? Self : draw<quint64>(random, 1, std::numeric_limits<quint64>::max());

        const auto result = clock.receive(remote);
        if (remote.wallMs - now > maxDrift) {
            if (result)
                return failure(QStringLiteral("accepted %1 beyond the drift bound").arg(describe(remote)));
            if (result.error().code != ErrorCode::Conflict)
                return failure(QStringLiteral("refused %1 with the wrong code").arg(describe(remote)));
            if (clock.last() != previous)
                return failure(
                    QStringLiteral("a refused receive moved the clock to %1").arg(describe(clock.last())));
            ++refused;
            continue;
        }
        if (!result)
            return failure(QStringLiteral("refused %1: %2").arg(describe(remote), result.error().message));
        const HlcTimestamp stamp = *result;
        if (!(stamp > previous) || !(stamp > remote) || stamp.nodeId != Self || clock.last() != stamp) {
            return failure(QStringLiteral("receive(%1) gave %2 after %3")
                               .arg(describe(remote), describe(stamp), describe(previous)));
        }
        // Only the overflow guard moves wallMs past all of its inputs.
        carried += stamp.wallMs > std::max({now, previous.wallMs, remote.wallMs}) ? 1 : 0;
        ++accepted;
        previous = stamp;
    }
    // A schedule that never reached a branch proves nothing about it.
    if (!issuedLocally || !aheadOfPhysical || !followingPhysical || !accepted || !refused || !backwardJumps ||
        !carried) {
        return QStringLiteral("seed %1: a branch was never exercised (local %2, ahead %3, following %8, "
                              "accepted %4, refused %5, backward %6, carried %7)")
            .arg(seed)
            .arg(issuedLocally)
            .arg(aheadOfPhysical)
            .arg(accepted)
            .arg(refused)
            .arg(backwardJumps)
            .arg(carried)
            .arg(followingPhysical);
    }
    return {};
}

/// A node of the causality simulation: its own wall clock, skewed from true
/// time, and a vector clock that records what happened before each event.
struct SimulatedNode {
    SimulatedNode(quint64 id, int nodes)
        : clock(physical, id)
        , vector(static_cast<std::size_t>(nodes), 0)
    {}
    ManualClock physical;
    HybridLogicalClock clock;
    qint64 offsetMs = 0;
    std::vector<int> vector;
};

struct SimulatedEvent {
    HlcTimestamp stamp;
    int node = 0;
    std::vector<int> vector;
};

struct Message {
    HlcTimestamp stamp;
    std::vector<int> vector;
    int to = 0;
};

/// Nodes exchange messages delivered in random order while their skewed wall
/// clocks wander; afterwards every happened-before pair (by vector clock) must
/// be ordered the same way by the HLC stamps.
QString runCausalitySimulation(quint64 seed, int nodeCount, int steps)
{
    std::mt19937_64 random(seed);
    std::vector<std::unique_ptr<SimulatedNode>> nodes;
    for (int i = 0; i < nodeCount; ++i)
        nodes.push_back(std::make_unique<SimulatedNode>(draw<quint64>(random, 1, ~quint64(0)), nodeCount));
    std::vector<SimulatedEvent> events;
    std::vector<Message> inFlight;
    qint64 trueMs = 0;

    for (int step = 0; step < steps; ++step) {
        trueMs += draw<qint64>(random, 0, 200);
        for (auto &node : nodes) {
            // Skews within ±30 s of true time, with occasional backward steps
            // of the kind NTP makes.
            node->offsetMs +=
                chance(random, 3) ? -draw<qint64>(random, 0, 5000) : draw<qint64>(random, -300, 300);
            node->offsetMs = std::clamp<qint64>(node->offsetMs, -30000, 30000);
            node->physical.advance(trueMs + node->offsetMs - node->physical.monotonicMs());
        }

        const auto failure = [&](const QString &what) {
            return QStringLiteral("seed %1, %2 nodes, step %3: %4")
                .arg(seed)
                .arg(nodeCount)
                .arg(step)
                .arg(what);
        };
        if (inFlight.empty() || chance(random, 50)) {
            const int at = draw(random, 0, nodeCount - 1);
            SimulatedNode &node = *nodes[static_cast<std::size_t>(at)];
            ++node.vector[static_cast<std::size_t>(at)];
            events.push_back({node.clock.now(), at, node.vector});
            if (chance(random, 70)) {
                const int to = (at + draw(random, 1, nodeCount - 1)) % nodeCount;
                inFlight.push_back({events.back().stamp, node.vector, to});
            }
            continue;
        }
        // Deliver any message in flight, not the oldest: the network reorders.
        const auto pick =
            static_cast<std::size_t>(draw<int>(random, 0, static_cast<int>(inFlight.size()) - 1));
        const Message message = inFlight[pick];
        inFlight.erase(inFlight.begin() + static_cast<std::ptrdiff_t>(pick));
        SimulatedNode &node = *nodes[static_cast<std::size_t>(message.to)];
        for (std::size_t i = 0; i < node.vector.size(); ++i)
            node.vector[i] = std::max(node.vector[i], message.vector[i]);
        ++node.vector[static_cast<std::size_t>(message.to)];
        const auto received = node.clock.receive(message.stamp);
        if (!received)
            return failure(QStringLiteral("receive refused: %1").arg(received.error().message));
        if (!(*received > message.stamp))
            return failure(
                QStringLiteral("receive %1 not after %2").arg(describe(*received), describe(message.stamp)));
        events.push_back({*received, message.to, node.vector});
    }

    // a happened before b iff b's vector has seen a's own entry (and a != b).
    qint64 orderedPairs = 0;
    bool chainAcrossThreeNodes = false;
    for (std::size_t b = 0; b < events.size(); ++b) {
        const SimulatedEvent &later = events[b];
        // Three nodes in the causal past: a chain a -> b -> later across three nodes.
        chainAcrossThreeNodes |=
            std::count_if(later.vector.cbegin(), later.vector.cend(), [](int n) { return n > 0; }) >= 3;
        for (std::size_t a = 0; a < events.size(); ++a) {
            const SimulatedEvent &earlier = events[a];
            const auto own = static_cast<std::size_t>(earlier.node);
            if (a == b || earlier.vector[own] > later.vector[own])
                continue;
            ++orderedPairs;
            if (!(earlier.stamp < later.stamp)) {
                return QStringLiteral(
                           "seed %1, %2 nodes: event %3 %4 happened before event %5 %6 but does not "
                           "order before it")
                    .arg(seed)
                    .arg(nodeCount)
                    .arg(a)
                    .arg(describe(earlier.stamp))
                    .arg(b)
                    .arg(describe(later.stamp));
            }
        }
    }
    if (orderedPairs < qint64(events.size()) || !chainAcrossThreeNodes)
        return QStringLiteral("seed %1: the schedule built no causal chain across three nodes").arg(seed);
    return {};
}

HlcTimestamp randomStamp(std::mt19937_64 &random)
{
    HlcTimestamp stamp;
    switch (draw(random, 0, 3)) {
    case 0:
        stamp.wallMs = 0;
        break;
    case 1:
        stamp.wallMs = HlcTimestamp::MaxWallMs;
        break;
    case 2: // near today, where most stamps live and share prefixes
        stamp.wallMs = 1'767'225'600'000 + draw<qint64>(random, -1000, 1000);
        break;
    default:
        stamp.wallMs = draw<qint64>(random, 0, HlcTimestamp::MaxWallMs);
    }
    const int counterKind = draw(random, 0, 3);
    stamp.counter = counterKind == 0   ? 0
                    : counterKind == 1 ? MaxCounter
                                       : draw<quint32>(random, 0, counterKind == 2 ? 20 : MaxCounter);
    const int nodeKind = draw(random, 0, 3);
    stamp.nodeId = nodeKind == 0   ? 1
                   : nodeKind == 1 ? ~quint64(0)
                                   : draw<quint64>(random, 1, nodeKind == 2 ? 20 : ~quint64(0));
    return stamp;
}

int sign(std::strong_ordering order)
{
    return order < 0 ? -1 : order > 0 ? 1 : 0;
}

const QString PinnedText = QStringLiteral("001767225600000-0000000042-0000000000000abc");
} // namespace

class TestHybridLogicalClock : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void stampsOnOneNodeStrictlyIncrease_data();
    void stampsOnOneNodeStrictlyIncrease();
    void happenedBeforeImpliesOrderAcrossNodes_data();
    void happenedBeforeImpliesOrderAcrossNodes();
    void orderingIsLexicographic_data();
    void orderingIsLexicographic();
    void concurrentStampsOrderTheSameEverywhere();
    void remoteDriftIsBounded_data();
    void remoteDriftIsBounded();
    void invalidRemoteIsRefused_data();
    void invalidRemoteIsRefused();
    void restoreContinuesAfterBackwardsWallClock();
    void restoreNeverMovesBackwards();
    void textFormatIsPinned();
    void textRoundTripsAndSortsLikeStamps_data();
    void textRoundTripsAndSortsLikeStamps();
    void malformedTextIsRefused_data();
    void malformedTextIsRefused();
    void counterCarriesIntoWallInsteadOfWrapping();
};

void TestHybridLogicalClock::stampsOnOneNodeStrictlyIncrease_data()
{
    QTest::addColumn<quint64>("seed");
    for (quint64 seed : {1ULL, 7ULL, 42ULL, 2026ULL, 31337ULL, 0x5eedf00dULL})
        QTest::addRow("seed %llu", seed) << seed;
}

void TestHybridLogicalClock::stampsOnOneNodeStrictlyIncrease()
{
    QFETCH(quint64, seed);
    const QString failure = runRandomSchedule(seed, 5000);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

void TestHybridLogicalClock::happenedBeforeImpliesOrderAcrossNodes_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<int>("nodes");
    for (int nodes : {3, 5})
        for (quint64 seed : {3ULL, 99ULL, 4242ULL})
            QTest::addRow("%d nodes, seed %llu", nodes, seed) << seed << nodes;
}

void TestHybridLogicalClock::happenedBeforeImpliesOrderAcrossNodes()
{
    QFETCH(quint64, seed);
    QFETCH(int, nodes);
    const QString failure = runCausalitySimulation(seed, nodes, 1500);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

void TestHybridLogicalClock::orderingIsLexicographic_data()
{
    QTest::addColumn<HlcTimestamp>("a");
    QTest::addColumn<HlcTimestamp>("b");
    QTest::addColumn<int>("expected");
    QTest::addRow("wallMs decides before counter")
        << HlcTimestamp{10, MaxCounter, 9} << HlcTimestamp{11, 0, 1} << -1;
    QTest::addRow("counter decides before nodeId") << HlcTimestamp{10, 2, 1} << HlcTimestamp{10, 1, 9} << 1;
    QTest::addRow("nodeId breaks the tie") << HlcTimestamp{10, 1, 1} << HlcTimestamp{10, 1, 2} << -1;
    QTest::addRow("nodeId compares unsigned")
        << HlcTimestamp{10, 1, ~quint64(0)} << HlcTimestamp{10, 1, 1} << 1;
    QTest::addRow("equal") << HlcTimestamp{10, 1, 1} << HlcTimestamp{10, 1, 1} << 0;
}

void TestHybridLogicalClock::orderingIsLexicographic()
{
    QFETCH(HlcTimestamp, a);
    QFETCH(HlcTimestamp, b);
    QFETCH(int, expected);
    QCOMPARE(sign(a <=> b), expected);
    QCOMPARE(sign(b <=> a), -expected);
    QCOMPARE(a == b, expected == 0);
}

void TestHybridLogicalClock::concurrentStampsOrderTheSameEverywhere()
{
    // Three nodes whose wall clocks agree stamp at the same instant: wallMs and
    // counter are equal, so only nodeId can order them, and it must.
    ManualClock first, second, third;
    const std::vector<quint64> ids{0x9, 0xffffffffffffff00, 0x3};
    HybridLogicalClock a(first, ids[0]), b(second, ids[1]), c(third, ids[2]);
    const std::vector<HlcTimestamp> stamps{a.now(), b.now(), c.now()};
    for (const HlcTimestamp &stamp : stamps) {
        QCOMPARE(stamp.wallMs, stamps.front().wallMs);
        QCOMPARE(stamp.counter, 0u);
    }
    for (std::size_t i = 0; i < stamps.size(); ++i) {
        for (std::size_t j = 0; j < stamps.size(); ++j) {
            QCOMPARE(sign(stamps[i] <=> stamps[j]), sign(ids[i] <=> ids[j]));
            QCOMPARE(sign(stamps[i] <=> stamps[j]), -sign(stamps[j] <=> stamps[i]));
        }
    }
    // Every replica sorts whatever order the stamps arrived in to one result.
    std::vector<HlcTimestamp> arrival = stamps;
    std::sort(arrival.begin(), arrival.end());
    const std::vector<HlcTimestamp> expected{stamps[2], stamps[0], stamps[1]};
    QCOMPARE(arrival, expected);
    do {
        std::vector<HlcTimestamp> sorted = arrival;
        std::stable_sort(sorted.begin(), sorted.end());
        QCOMPARE(sorted, expected);
    } while (std::next_permutation(arrival.begin(), arrival.end()));
}

void TestHybridLogicalClock::remoteDriftIsBounded_data()
{
    QTest::addColumn<qint64>("maxDrift");
    QTest::addColumn<qint64>("ahead");
    QTest::addColumn<bool>("accepted");
    const qint64 defaultDrift = HybridLogicalClock::DefaultMaxDriftMs;
    QTest::addRow("an hour behind") << defaultDrift << -Hour << true;
    QTest::addRow("at the wall clock") << defaultDrift << qint64(0) << true;
    QTest::addRow("just inside the bound") << defaultDrift << defaultDrift - 1 << true;
    QTest::addRow("exactly at the bound") << defaultDrift << defaultDrift << true;
    QTest::addRow("1 ms past the bound") << defaultDrift << defaultDrift + 1 << false;
    QTest::addRow("a year ahead") << defaultDrift << 365 * 24 * Hour << false;
    QTest::addRow("custom 1 s bound, inside") << qint64(1000) << qint64(1000) << true;
    QTest::addRow("custom 1 s bound, past") << qint64(1000) << qint64(1001) << false;
    QTest::addRow("zero bound, past") << qint64(0) << qint64(1) << false;
}

void TestHybridLogicalClock::remoteDriftIsBounded()
{
    QFETCH(qint64, maxDrift);
    QFETCH(qint64, ahead);
    QFETCH(bool, accepted);
    ManualClock physical;
    HybridLogicalClock clock(physical, 1, maxDrift);
    HybridLogicalClock untouched(physical, 1, maxDrift); // never receives: what "not advanced" means
    const HlcTimestamp before = clock.now();
    QCOMPARE(untouched.now(), before);

    const HlcTimestamp remote{wallMsOf(physical) + ahead, 7, 2};
    const auto result = clock.receive(remote);
    if (accepted) {
        QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
        QVERIFY(*result > remote);
        QVERIFY(*result > before);
        QCOMPARE(result->wallMs, std::max(before.wallMs, remote.wallMs));
        QCOMPARE(clock.last(), *result);
        return;
    }
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::Conflict);
    QVERIFY(!result.error().message.isEmpty());
    QCOMPARE(clock.last(), before);
    QCOMPARE(clock.now(), untouched.now());
}

void TestHybridLogicalClock::invalidRemoteIsRefused_data()
{
    QTest::addColumn<HlcTimestamp>("remote");
    QTest::addRow("default stamp") << HlcTimestamp{};
    QTest::addRow("nodeId 0") << HlcTimestamp{1'767'225'600'000, 1, 0};
    QTest::addRow("negative wallMs") << HlcTimestamp{-1, 0, 2};
    QTest::addRow("wallMs beyond the text form") << HlcTimestamp{HlcTimestamp::MaxWallMs + 1, 0, 2};
}

void TestHybridLogicalClock::invalidRemoteIsRefused()
{
    QFETCH(HlcTimestamp, remote);
    ManualClock physical;
    HybridLogicalClock clock(physical, 1);
    const HlcTimestamp before = clock.now();
    const auto result = clock.receive(remote);
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::BadRequest);
    QCOMPARE(clock.last(), before);
}

void TestHybridLogicalClock::restoreContinuesAfterBackwardsWallClock()
{
    // Before the restart: some local events and a receive from a peer whose
    // clock runs two minutes ahead, so the persisted stamp is ahead of the wall.
    ManualClock beforeRestart;
    HybridLogicalClock original(beforeRestart, 5);
    for (int i = 0; i < 3; ++i)
        original.now();
    QVERIFY(original.receive({wallMsOf(beforeRestart) + 2 * Minute, 11, 6}));
    const HlcTimestamp persisted = original.now();

    // After the restart the wall clock reads an hour earlier.
    ManualClock afterRestart;
    afterRestart.advance(-Hour);
    HybridLogicalClock forgetful(afterRestart, 5);
    QVERIFY(forgetful.now() < persisted); // the bug restore() exists to prevent

    HybridLogicalClock restarted(afterRestart, 5);
    restarted.restore(persisted);
    QCOMPARE(restarted.last(), persisted);
    HlcTimestamp previous = persisted;
    for (int i = 0; i < 100; ++i) {
        afterRestart.advance(i % 3 == 0 ? -1000 : 500);
        const HlcTimestamp stamp = restarted.now();
        QVERIFY2(stamp > previous,
                 qPrintable(describe(stamp) + QStringLiteral(" after ") + describe(previous)));
        QCOMPARE(stamp.wallMs, persisted.wallMs);
        previous = stamp;
    }
    // Once the wall clock passes the persisted stamp, stamps follow it again.
    afterRestart.advance(persisted.wallMs - wallMsOf(afterRestart) + 10);
    const HlcTimestamp caughtUp = restarted.now();
    QVERIFY(caughtUp > previous);
    QCOMPARE(caughtUp, (HlcTimestamp{wallMsOf(afterRestart), 0, 5}));
}

void TestHybridLogicalClock::restoreNeverMovesBackwards()
{
    ManualClock physical;
    HybridLogicalClock clock(physical, 5);
    const HlcTimestamp issued = clock.now();
    clock.restore({issued.wallMs - 1000, 3, 5});
    QCOMPARE(clock.last(), issued);
    QTest::ignoreMessage(QtWarningMsg, "ignoring an invalid HLC timestamp to restore");
    clock.restore({issued.wallMs + Hour, 0, 0});
    QCOMPARE(clock.last(), issued);
    QCOMPARE(clock.now(), (HlcTimestamp{issued.wallMs, issued.counter + 1, 5}));
}

void TestHybridLogicalClock::textFormatIsPinned()
{
    // Stored in SQLite: a change here breaks every existing database.
    const HlcTimestamp stamp{1'767'225'600'000, 42, 0xabc};
    QCOMPARE(stamp.toString(), PinnedText);
    QCOMPARE(PinnedText.size(), HlcTimestamp::TextLength);
    const std::optional<HlcTimestamp> parsed = HlcTimestamp::fromString(PinnedText);
    QVERIFY(parsed);
    QCOMPARE(*parsed, stamp);
    QCOMPARE((HlcTimestamp{HlcTimestamp::MaxWallMs, MaxCounter, ~quint64(0)}).toString(),
             QStringLiteral("999999999999999-4294967295-ffffffffffffffff"));
    QCOMPARE((HlcTimestamp{0, 0, 1}).toString(),
             QStringLiteral("000000000000000-0000000000-0000000000000001"));
    QVERIFY(HlcTimestamp{}.toString().isEmpty());
    QVERIFY((HlcTimestamp{-5, 0, 1}).toString().isEmpty());
}

void TestHybridLogicalClock::textRoundTripsAndSortsLikeStamps_data()
{
    QTest::addColumn<quint64>("seed");
    for (quint64 seed : {11ULL, 12ULL, 13ULL})
        QTest::addRow("seed %llu", seed) << seed;
}

void TestHybridLogicalClock::textRoundTripsAndSortsLikeStamps()
{
    QFETCH(quint64, seed);
    std::mt19937_64 random(seed);
    std::vector<HlcTimestamp> stamps;
    for (int i = 0; i < 2000; ++i)
        stamps.push_back(randomStamp(random));

    for (const HlcTimestamp &stamp : stamps) {
        const QString text = stamp.toString();
        if (text.size() != HlcTimestamp::TextLength || HlcTimestamp::fromString(text) != stamp)
            QFAIL(qPrintable(QStringLiteral("seed %1: %2 -> \"%3\" does not round-trip")
                                 .arg(seed)
                                 .arg(describe(stamp), text)));
    }
    // Comparing texts as SQLite's BINARY collation does (UTF-16 code units are
    // ASCII here, so code-unit order is byte order) must agree with the stamps.
    for (std::size_t i = 0; i + 1 < stamps.size(); ++i) {
        const HlcTimestamp &a = stamps[i];
        const HlcTimestamp &b = stamps[i + 1];
        const int byText = QString::compare(a.toString(), b.toString(), Qt::CaseSensitive);
        if ((byText > 0) - (byText < 0) != sign(a <=> b))
            QFAIL(qPrintable(QStringLiteral("seed %1: %2 and %3 sort differently as text")
                                 .arg(seed)
                                 .arg(describe(a), describe(b))));
    }
    std::vector<QString> texts;
    for (const HlcTimestamp &stamp : stamps)
        texts.push_back(stamp.toString());
    std::sort(texts.begin(), texts.end());
    std::sort(stamps.begin(), stamps.end());
    for (std::size_t i = 0; i < stamps.size(); ++i)
        QCOMPARE(texts[i], stamps[i].toString());
}

void TestHybridLogicalClock::malformedTextIsRefused_data()
{
    QTest::addColumn<QString>("text");
    const QString valid = PinnedText;
    const auto replaced = [&valid](qsizetype at, const QString &with) {
        return QString(valid).replace(at, with.size(), with);
    };
    QTest::addRow("empty") << QString();
    QTest::addRow("one character short") << valid.chopped(1);
    QTest::addRow("one character long") << valid + QLatin1Char('0');
    QTest::addRow("trailing newline") << valid + QLatin1Char('\n');
    QTest::addRow("leading space") << QLatin1Char(' ') + valid.mid(1);
    QTest::addRow("colon separator") << replaced(15, QStringLiteral(":"));
    QTest::addRow("separators moved") << QStringLiteral("00176722560000-00000000042-0000000000000abc");
    QTest::addRow("plus sign in wallMs") << replaced(0, QStringLiteral("+"));
    QTest::addRow("minus sign in wallMs") << replaced(0, QStringLiteral("-"));
    QTest::addRow("minus sign in counter") << replaced(16, QStringLiteral("-"));
    QTest::addRow("hex digit in wallMs") << replaced(3, QStringLiteral("a"));
    QTest::addRow("uppercase hex nodeId") << replaced(40, QStringLiteral("ABC"));
    QTest::addRow("non-hex nodeId") << replaced(42, QStringLiteral("g"));
    QTest::addRow("counter 2^32") << replaced(16, QStringLiteral("4294967296"));
    QTest::addRow("counter 9999999999") << replaced(16, QStringLiteral("9999999999"));
    QTest::addRow("nodeId 0") << replaced(27, QStringLiteral("0000000000000000"));
    QTest::addRow("Arabic-Indic digit") << replaced(5, QString(QChar(0x0663)));
    QTest::addRow("full-width digit") << replaced(20, QString(QChar(0xff11)));
    QTest::addRow("embedded NUL") << replaced(8, QString(QChar(0)));
    QTest::addRow("all dashes") << QString(HlcTimestamp::TextLength, QLatin1Char('-'));
    QTest::addRow("spaces for zeros") << replaced(0, QStringLiteral("   "));
}

void TestHybridLogicalClock::malformedTextIsRefused()
{
    QFETCH(QString, text);
    const std::optional<HlcTimestamp> parsed = HlcTimestamp::fromString(text);
    QVERIFY2(!parsed, qPrintable(parsed ? describe(*parsed) : QString()));
}

void TestHybridLogicalClock::counterCarriesIntoWallInsteadOfWrapping()
{
    ManualClock physical;
    const qint64 wall = wallMsOf(physical) + 10; // the clock runs ahead of the wall

    // Local events in one millisecond exhaust the counter.
    HybridLogicalClock local(physical, 1);
    local.restore({wall, MaxCounter - 1, 1});
    QCOMPARE(local.now(), (HlcTimestamp{wall, MaxCounter, 1}));
    QCOMPARE(local.now(), (HlcTimestamp{wall + 1, 0, 1}));
    QCOMPARE(local.now(), (HlcTimestamp{wall + 1, 1, 1}));

    // A peer sends a stamp whose counter is already at the maximum.
    HybridLogicalClock receiver(physical, 1);
    const HlcTimestamp exhausted{wall, MaxCounter, 2};
    const auto carried = receiver.receive(exhausted);
    QVERIFY(carried);
    QCOMPARE(*carried, (HlcTimestamp{wall + 1, 0, 1}));
    QVERIFY(*carried > exhausted);

    // Local and remote in the same millisecond, local at the maximum.
    HybridLogicalClock merged(physical, 1);
    merged.restore({wall, MaxCounter, 1});
    const auto both = merged.receive({wall, 5, 2});
    QVERIFY(both);
    QCOMPARE(*both, (HlcTimestamp{wall + 1, 0, 1}));
}

QTEST_GUILESS_MAIN(TestHybridLogicalClock)
#include "tst_hybridlogicalclock.moc"
