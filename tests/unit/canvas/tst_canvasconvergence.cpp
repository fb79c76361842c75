// The convergence property test of the canvas model. Each round, 3 to 5
// replicas with their own skewed ManualClock and HLC create shapes, edit
// properties, reorder, mark shapes as being edited and delete them, while
// receiving some of each other's operations on the way (so edits race and
// some arrive before their create). Then every operation is delivered to
// every replica in a random order and with duplicates (each op has crossed
// the wire format, toJson then fromJson, on the way). All replicas
// must end in the same state, and that state must be the one a fresh replica
// reaches by applying each operation once in stamp order.
//
// Seeded: the seed is printed; TANDEM_CANVAS_SEED replays one, and
// TANDEM_CANVAS_ROUNDS runs more rounds than the 500 of CI.

#include "core/canvas/CanvasModel.h"
#include "core/canvas/FractionalIndex.h"
#include "core/common/Clock.h"
#include "core/offline/HybridLogicalClock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <memory>
#include <random>

using tandem::ManualClock;
using tandem::canvas::CanvasModel;
using tandem::canvas::CanvasOp;
using tandem::canvas::ShapeKind;
using tandem::canvas::ShapeProperty;
using tandem::canvas::ShapePropertyCount;
using tandem::offline::HlcTimestamp;
using tandem::offline::HybridLogicalClock;

namespace {

constexpr int CiRounds = 500;

template <typename T> T draw(std::mt19937_64 &random, T low, T high)
{
    return std::uniform_int_distribution<T>(low, high)(random);
}

bool chance(std::mt19937_64 &random, int percent)
{
    return draw(random, 1, 100) <= percent;
}

QString randomColour(std::mt19937_64 &random)
{
    // Few colours, so that concurrent writes often differ only in the stamp.
    static const char *const colours[] = {"#000000", "#ff0000", "#00ff00", "#0000ff", "#12345678"};
    return QLatin1String(colours[draw<size_t>(random, 0, 4)]);
}

QJsonValue randomGeometry(std::mt19937_64 &random)
{
    QJsonArray points;
    const int count = draw(random, 1, 4);
    for (int i = 0; i < count; ++i)
        points.append(QJsonArray{double(draw(random, -50, 50)), double(draw(random, -50, 50))});
    return points;
}

struct Replica {
    explicit Replica(quint64 node, qint64 skewMs)
        : clock(std::make_unique<ManualClock>())
        , hlc(*clock, node)
    {
        clock->advance(skewMs);
    }
    std::unique_ptr<ManualClock> clock;
    HybridLogicalClock hlc;
    CanvasModel model;
    QList<int> delivered; ///< indices into the round's log, in arrival order
};

struct Counters {
    qint64 ops = 0, creates = 0, edits = 0, reorders = 0, marks = 0, deletes = 0, visibleAtEnd = 0,
           deletedAtEnd = 0, editsDroppedByTombstone = 0, editsBeforeCreate = 0;
};

class Round {
public:
    Round(quint64 seed, Counters &counters)
        : m_random(seed)
        , m_counters(counters)
    {
        const int replicas = draw(m_random, 3, 5);
        for (int i = 0; i < replicas; ++i) {
            m_replicas.push_back(
                std::make_unique<Replica>(quint64(i + 1), draw<qint64>(m_random, -3000, 3000)));
        }
    }

    /// Empty when every replica converged, else what went wrong.
    QString run()
    {
        const int steps = draw(m_random, 10, 40);
        for (int step = 0; step < steps; ++step) {
            Replica &replica = *m_replicas[draw<size_t>(m_random, 0, m_replicas.size() - 1)];
            replica.clock->advance(draw<qint64>(m_random, 0, 30));
            if (chance(m_random, 30))
                receiveSome(replica);
            if (QString failure = localOp(replica); !failure.isEmpty())
                return failure;
        }
        // Full delivery: every op, shuffled, with duplicates.
        for (auto &replica : m_replicas) {
            QList<int> all;
            for (int i = 0; i < m_log.size(); ++i) {
                all.append(i);
                if (chance(m_random, 30))
                    all.append(i);
            }
            std::shuffle(all.begin(), all.end(), m_random);
            for (int index : all) {
                if (QString failure = deliver(*replica, index); !failure.isEmpty())
                    return failure;
            }
        }

        CanvasModel reference;
        QList<CanvasOp> byStamp = m_log;
        std::stable_sort(byStamp.begin(), byStamp.end(),
                         [](const CanvasOp &a, const CanvasOp &b) { return a.stamp < b.stamp; });
        for (const CanvasOp &op : byStamp) {
            if (!reference.apply(op))
                return QStringLiteral("the reference refused an op");
        }
        const QByteArray expected = reference.stateHash();
        for (size_t i = 0; i < m_replicas.size(); ++i) {
            if (m_replicas[i]->model.stateHash() != expected) {
                return QStringLiteral("replica %1 diverged:\n%2\nexpected:\n%3")
                    .arg(i + 1)
                    .arg(QString::fromUtf8(QJsonDocument(m_replicas[i]->model.toJson()).toJson()),
                         QString::fromUtf8(QJsonDocument(reference.toJson()).toJson()));
            }
        }
        m_counters.visibleAtEnd += reference.shapes().size();
        for (const QString &id : m_shapeIds)
            m_counters.deletedAtEnd += reference.isDeleted(id) ? 1 : 0;
        return {};
    }

private:
    /// A replica applies one op of the log that it may or may not have seen.
    QString deliver(Replica &replica, int index)
    {
        const CanvasOp &op = m_log[index];
        if (op.stamp.nodeId != replica.hlc.nodeId())
            (void)replica.hlc.receive(op.stamp); // keeps causality; a refusal only leaves the clock as is
        const auto outcome = replica.model.apply(op);
        if (!outcome)
            return QStringLiteral("apply refused: ") + outcome.error().message;
        if (outcome.value() == CanvasModel::Outcome::Deleted && op.type != CanvasOp::Type::Delete)
            ++m_counters.editsDroppedByTombstone;
        replica.delivered.append(index);
        return {};
    }

    void receiveSome(Replica &replica)
    {
        const int count = draw(m_random, 1, 6);
        for (int i = 0; i < count && !m_log.isEmpty(); ++i)
            (void)deliver(replica, draw<int>(m_random, 0, int(m_log.size()) - 1));
    }

    HlcTimestamp stamp(Replica &replica) { return replica.hlc.now(); }

    QString pickShape()
    {
        return m_shapeIds.isEmpty() ? QString()
                                    : m_shapeIds[draw<qsizetype>(m_random, 0, m_shapeIds.size() - 1)];
    }

    /// A key between two neighbours in this replica's current order.
    QString reorderKey(Replica &replica)
    {
        const auto shapes = replica.model.shapes();
        const auto at = draw<qsizetype>(m_random, 0, shapes.size());
        const QString below = at > 0 ? shapes[at - 1].zIndex : QString();
        const QString above = at < shapes.size() ? shapes[at].zIndex : QString();
        const auto key = tandem::canvas::FractionalIndex::between(below, above, replica.hlc.nodeId());
        // Two shapes of one replica can share a key; then no key fits between.
        return key ? key.value() : QString();
    }

    QString localOp(Replica &replica)
    {
        const int what = draw(m_random, 1, 100);
        const QString target = pickShape();
        CanvasOp op;
        if (what <= 25 || target.isEmpty()) {
            const QString id = QStringLiteral("n%1-%2").arg(replica.hlc.nodeId()).arg(m_shapeIds.size());
            std::array<QJsonValue, ShapePropertyCount> values;
            values[size_t(ShapeProperty::Geometry)] = randomGeometry(m_random);
            values[size_t(ShapeProperty::StrokeColor)] = randomColour(m_random);
            QString z = reorderKey(replica);
            values[size_t(ShapeProperty::ZIndex)] = z.isEmpty() ? QJsonValue() : QJsonValue(z);
            op = CanvasOp::create(id, static_cast<ShapeKind>(draw(m_random, 0, 5)), values, stamp(replica));
            m_shapeIds.append(id);
            ++m_counters.creates;
        } else if (what <= 65) {
            const auto property = static_cast<ShapeProperty>(draw(m_random, 0, 3));
            QJsonValue value;
            switch (property) {
            case ShapeProperty::Geometry:
                value = randomGeometry(m_random);
                break;
            case ShapeProperty::StrokeColor:
                value = randomColour(m_random);
                break;
            case ShapeProperty::Fill:
                value = chance(m_random, 30) ? QString() : randomColour(m_random);
                break;
            default:
                value = double(draw(m_random, 0, 8));
                break;
            }
            if (!replica.model.isVisible(target) && !replica.model.isDeleted(target))
                ++m_counters.editsBeforeCreate;
            op = CanvasOp::setProperty(target, property, value, stamp(replica));
            ++m_counters.edits;
        } else if (what <= 80) {
            const QString key = reorderKey(replica);
            if (key.isEmpty())
                return {};
            op = CanvasOp::setProperty(target, ShapeProperty::ZIndex, key, stamp(replica));
            ++m_counters.reorders;
        } else if (what <= 90) {
            const QString user =
                chance(m_random, 30) ? QString() : QStringLiteral("user%1").arg(draw(m_random, 1, 3));
            op = CanvasOp::setProperty(target, ShapeProperty::EditedBy, user, stamp(replica));
            ++m_counters.marks;
        } else {
            op = CanvasOp::remove(target, stamp(replica));
            ++m_counters.deletes;
        }
        // Every replica gets the op through the wire format, as the mutation
        // queue will carry it; the originator too, so all apply the same value.
        const QByteArray wire = QJsonDocument(op.toJson()).toJson(QJsonDocument::Compact);
        const auto received = CanvasOp::fromJson(wire);
        if (!received)
            return QStringLiteral("round trip refused: ") + received.error().message;
        if (QJsonDocument(received->toJson()).toJson(QJsonDocument::Compact) != wire)
            return QStringLiteral("round trip changed ") + QString::fromUtf8(wire);
        m_log.append(received.value());
        ++m_counters.ops;
        return deliver(replica, int(m_log.size()) - 1);
    }

    std::mt19937_64 m_random;
    Counters &m_counters;
    std::vector<std::unique_ptr<Replica>> m_replicas;
    QList<CanvasOp> m_log;
    QStringList m_shapeIds;
};

quint64 seedFromEnvironment()
{
    bool ok = false;
    const quint64 seed = qEnvironmentVariable("TANDEM_CANVAS_SEED").toULongLong(&ok);
    return ok ? seed : QRandomGenerator::system()->generate64();
}

int roundsFromEnvironment()
{
    bool ok = false;
    const int rounds = qEnvironmentVariableIntValue("TANDEM_CANVAS_ROUNDS", &ok);
    return ok && rounds > 0 ? rounds : CiRounds;
}

} // namespace

class TestCanvasConvergence : public QObject {
    Q_OBJECT

private slots:
    void replicasConverge()
    {
        const quint64 seed = seedFromEnvironment();
        const int rounds = roundsFromEnvironment();
        qInfo("canvas convergence: seed %llu (TANDEM_CANVAS_SEED=%llu replays it), %d rounds", seed, seed,
              rounds);
        std::mt19937_64 seeds(seed);
        Counters counters;
        for (int round = 0; round < rounds; ++round) {
            const quint64 roundSeed = seeds();
            Round scenario(roundSeed, counters);
            const QString failure = scenario.run();
            QVERIFY2(failure.isEmpty(),
                     qPrintable(QStringLiteral("seed %1, round %2: %3").arg(seed).arg(round).arg(failure)));
        }
        qInfo("%lld ops: %lld creates, %lld edits (%lld before their create), %lld reorders, %lld marks, "
              "%lld deletes; %lld edits dropped by a tombstone; at the end %lld shapes visible, %lld deleted",
              counters.ops, counters.creates, counters.edits, counters.editsBeforeCreate, counters.reorders,
              counters.marks, counters.deletes, counters.editsDroppedByTombstone, counters.visibleAtEnd,
              counters.deletedAtEnd);
        // The scenarios must exercise every rule, or the property proves little.
        QVERIFY(counters.creates > 0 && counters.edits > 0 && counters.reorders > 0 && counters.marks > 0);
        QVERIFY(counters.deletedAtEnd > 0 && counters.visibleAtEnd > 0);
        QVERIFY(counters.editsDroppedByTombstone > 0);
        QVERIFY(counters.editsBeforeCreate > 0);
    }

    void aStaleOverwriteIsDetectedAsDivergence()
    {
        // The checker itself can fail: two models that saw different last
        // writes do not hash the same.
        ManualClock clock;
        HybridLogicalClock hlc(clock, 1);
        CanvasModel a;
        CanvasModel b;
        const CanvasOp create = CanvasOp::create("s", ShapeKind::Rectangle, {}, hlc.now());
        const CanvasOp first =
            CanvasOp::setProperty("s", ShapeProperty::Fill, QStringLiteral("#ff0000"), hlc.now());
        const CanvasOp second =
            CanvasOp::setProperty("s", ShapeProperty::Fill, QStringLiteral("#00ff00"), hlc.now());
        QVERIFY(a.apply(create) && b.apply(create));
        QVERIFY(a.apply(first) && a.apply(second));
        QVERIFY(b.apply(first));
        QVERIFY(a.stateHash() != b.stateHash());
        QVERIFY(b.apply(second));
        QCOMPARE(a.stateHash(), b.stateHash());
    }
};

QTEST_GUILESS_MAIN(TestCanvasConvergence)
#include "tst_canvasconvergence.moc"
