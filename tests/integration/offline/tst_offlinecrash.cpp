// Crash safety of the offline queue (issue 4, "Must show"). A client queues
// 1,000 mutations while offline (chat messages, edits of earlier messages,
// room topic changes) and replays them to a real tandem-server; it is killed
// with SIGKILL at 20 random points, some while it enqueues and some while it
// replays, and restarted each time to continue. In two offline/online cycles,
// so the second offline period builds on versions learned in the first.
//
// Afterwards every mutation the client showed, and every one its store ever
// held, is on the server exactly once; chat messages are in the order they
// were created; each entity's changes were applied in order, with no
// conflict, and end at the right value and version; the store is empty.
//
// The client is tandem-offline-client (offline_client.cpp), a separate
// process, so a kill is a real crash. The random plan is seeded and the seed
// printed: TANDEM_OFFLINECRASH_SEED=<seed> repeats a run, and
// TANDEM_OFFLINECRASH_SCALE=<n> multiplies mutations and kills for a longer run.

#include "core/offline/LocalStore.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace tandem::test;
using tandem::offline::LocalStore;
using tandem::offline::Mutation;
using tandem::offline::MutationState;

namespace {

const QString Room = QStringLiteral("offline-crash");
constexpr int BaseMutations = 1000;
constexpr int BaseKills = 20;
constexpr int Cycles = 2;
constexpr int PreexistingMessages = 3;
constexpr int RunTimeoutMs = 60000;

int scaleFromEnvironment()
{
    bool ok = false;
    const int scale = qEnvironmentVariableIntValue("TANDEM_OFFLINECRASH_SCALE", &ok);
    return ok && scale > 0 ? scale : 1;
}

quint32 seedFromEnvironment()
{
    bool ok = false;
    const quint32 seed = qEnvironmentVariable("TANDEM_OFFLINECRASH_SEED").toUInt(&ok);
    return ok ? seed : QRandomGenerator::system()->generate();
}

/// One mutation as the client's store held it.
struct Created {
    int index = -1;
    QString cid;
    QString entity;
    QString text; ///< "m<i>" for a message, "e<i>" for an edit, "t<i>" for a topic
};

/// The text a mutation carries: the message, the edited text or the topic.
QString textOf(const Mutation &mutation)
{
    if (mutation.isChat())
        return mutation.payload.value(QLatin1String("text")).toString();
    const QJsonObject patch = mutation.payload.value(QLatin1String("patch")).toObject();
    return patch.contains(QLatin1String("topic")) ? patch.value(QLatin1String("topic")).toString()
                                                  : patch.value(QLatin1String("text")).toString();
}

QJsonObject payloadOf(const QJsonObject &message)
{
    return message.value(QLatin1String("payload")).toObject();
}

/// One run of tandem-offline-client. Its stdout is split into lines as it
/// arrives; killAfter() sends SIGKILL from that handler, the moment the
/// chosen line has been read, while the client carries on writing.
class Driver {
public:
    explicit Driver(const QStringList &arguments)
    {
        m_process.setProgram(QStringLiteral(TANDEM_OFFLINE_CLIENT));
        m_process.setArguments(arguments);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        // Its warnings reach the test log; its routine connection chatter does not.
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_LOGGING_RULES"),
                           QStringLiteral("tandem.*.debug=false;tandem.*.info=false"));
        m_process.setProcessEnvironment(environment);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] { read(); });
    }
    ~Driver()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    Driver(const Driver &) = delete;
    Driver &operator=(const Driver &) = delete;

    /// SIGKILL once `count` lines starting with `word` were read; 0: at the first line of any kind.
    void killAfter(const QString &word, int count)
    {
        m_killWord = word;
        m_killCount = count;
    }
    bool start()
    {
        m_finished = std::make_unique<QSignalSpy>(&m_process, &QProcess::finished);
        m_process.start();
        return m_process.waitForStarted(RunTimeoutMs);
    }
    /// Waits for the process to end, then reads what is left in the pipe.
    bool waitForFinished()
    {
        if (m_finished->isEmpty() && !m_finished->wait(RunTimeoutMs))
            return false;
        read();
        return true;
    }
    /// Died of our SIGKILL (and not by finishing first).
    bool wasKilled() const { return m_killSent && m_process.exitStatus() == QProcess::CrashExit; }
    int exitCode() const
    {
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }
    QList<QStringList> lines(const QString &word) const
    {
        QList<QStringList> result;
        for (const QStringList &line : m_lines) {
            if (line.value(0) == word)
                result.append(line);
        }
        return result;
    }
    QString output() const
    {
        QStringList all;
        for (const QStringList &line : m_lines)
            all.append(line.join(QLatin1Char(' ')));
        return all.join(QLatin1Char('\n'));
    }

private:
    void read()
    {
        m_buffer += m_process.readAllStandardOutput();
        for (qsizetype end = m_buffer.indexOf('\n'); end >= 0; end = m_buffer.indexOf('\n')) {
            const QString line = QString::fromUtf8(m_buffer.left(end));
            m_buffer.remove(0, end + 1);
            m_lines.append(line.split(QLatin1Char(' ')));
            if (line.startsWith(m_killWord + u' '))
                ++m_killWordLines;
            if (!m_killWord.isEmpty() && !m_killSent && m_killWordLines >= m_killCount) {
                m_killSent = true;
                m_process.kill();
            }
        }
    }

    QProcess m_process;
    QByteArray m_buffer;
    QList<QStringList> m_lines;
    QString m_killWord;
    int m_killCount = 0;
    int m_killWordLines = 0;
    bool m_killSent = false;
    std::unique_ptr<QSignalSpy> m_finished;
};

QJsonDocument getJson(ServerProcess &server, const QString &path, const QString &token)
{
    QNetworkAccessManager network;
    QNetworkRequest request(server.httpUrl(path));
    request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    QNetworkReply *reply = network.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(20000))
        return {};
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll());
}

/// The whole room log through the REST API, oldest first.
QList<QJsonObject> fullHistory(ServerProcess &server, const QString &token)
{
    QList<QJsonObject> history;
    QString before;
    for (;;) {
        const QJsonObject page =
            getJson(server, QStringLiteral("/api/rooms/%1/messages?limit=200%2").arg(Room, before), token)
                .object();
        QList<QJsonObject> messages;
        for (const QJsonValue &message : page.value(QLatin1String("messages")).toArray())
            messages.append(message.toObject());
        history = messages + history;
        if (!page.value(QLatin1String("hasMore")).toBool() || messages.isEmpty())
            return history;
        before = QStringLiteral("&before=%1").arg(messages.first().value(QLatin1String("seq")).toInteger());
    }
}

/// `n` at random in [0, n), for a positive n; 0 otherwise.
int below(QRandomGenerator &random, int n)
{
    return n > 0 ? static_cast<int>(random.bounded(static_cast<quint32>(n))) : 0;
}

/// How many lines to let through before the kill: spread so that `kills`
/// kills cover `remaining` lines, and never so late that the run may finish first.
int killPoint(QRandomGenerator &random, int remaining, int kills)
{
    return below(random, std::max(1, std::min(remaining * 3 / 4, 2 * remaining / (kills + 1))));
}

} // namespace

class TestOfflineCrash : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void killedAnywhereShowsEverythingOnceInOrder();

private:
    void enqueuePhase(int from, int to, int kills);
    void syncPhase(int kills);
    /// Reads the store (the client is not running): records every mutation it
    /// holds, checks none was created twice, and sets m_pending.
    void snapshot();
    void verifyServer(ServerProcess &server);

    QRandomGenerator m_plan;
    quint32 m_seed = 0;
    QString m_storePath;
    QString m_url;
    QString m_token;
    QStringList m_messageIds;
    QHash<QString, Created> m_created; ///< by cid: every mutation a store snapshot held
    QHash<int, QString> m_cidOfIndex;
    QHash<int, QString> m_shown; ///< index -> cid, from "shown" lines
    QSet<QString> m_pending;     ///< cids in the store at the last snapshot
    int m_kills = 0;
    int m_enqueueKills = 0;
    int m_syncKills = 0;
    int m_committedUnshown = 0;
    int m_leftoverKills = 0;
    QSet<QString> m_settledButKept; ///< settled, then killed before the store forgot them
    int m_settledTwice = 0;
};

void TestOfflineCrash::killedAnywhereShowsEverythingOnceInOrder()
{
    const int scale = scaleFromEnvironment();
    const int total = BaseMutations * scale;
    const int plannedKills = BaseKills * scale;
    m_seed = seedFromEnvironment();
    m_plan.seed(m_seed);
    qInfo("seed %u: %d mutations, %d kills (repeat with TANDEM_OFFLINECRASH_SEED=%u; "
          "TANDEM_OFFLINECRASH_SCALE=N for N times as many)",
          m_seed, total, plannedKills, m_seed);

    ServerProcess server{{QStringLiteral("[limits]"), QStringLiteral("messages_per_second=1000000"),
                          QStringLiteral("burst=1000000"), QStringLiteral("max_connections_per_user=1000"),
                          QStringLiteral("max_replay_events=1000000")}};
    QVERIFY(server.start());
    QVERIFY(server.addUser(QStringLiteral("alice")));
    m_token = server.login(QStringLiteral("alice"));
    QVERIFY(!m_token.isEmpty());
    m_url = server.wsUrl().toString();

    // Online first: the room, and messages the user will edit while offline.
    {
        TestClient online;
        QVERIFY(online.connectAndAuthenticate(server.wsUrl(), m_token));
        QVERIFY(online.join(Room));
        for (int i = 0; i < PreexistingMessages; ++i) {
            const auto ack =
                online.chat(Room, QStringLiteral("before %1").arg(i), QStringLiteral("setup-%1").arg(i));
            QVERIFY(ack);
            m_messageIds.append(ack->value(QLatin1String("messageId")).toString());
        }
    }
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    m_storePath = dir.filePath(QStringLiteral("local.sqlite"));
    // What the client cached while it was online: each message at version 1,
    // the version a message has from its creation, so offline edits build on it.
    {
        LocalStore store(m_storePath);
        QVERIFY(store.open());
        for (int i = 0; i < PreexistingMessages; ++i) {
            tandem::protocol::EntityState state;
            state.roomId = Room;
            state.entity = tandem::protocol::EntityKey::message(m_messageIds.at(i)).toString();
            state.version = 1;
            state.value = {{QStringLiteral("text"), QStringLiteral("before %1").arg(i)}};
            QVERIFY(store.saveEntity(state));
        }
    }

    int killsLeft = plannedKills;
    for (int cycle = 0; cycle < Cycles; ++cycle) {
        const int budget = killsLeft / (Cycles - cycle);
        const int enqueueKills = 1 + below(m_plan, budget - 1);
        enqueuePhase(total * cycle / Cycles, total * (cycle + 1) / Cycles, enqueueKills + m_leftoverKills);
        if (QTest::currentTestFailed())
            return;
        syncPhase(budget - enqueueKills + m_leftoverKills);
        if (QTest::currentTestFailed())
            return;
        killsLeft -= budget;
    }
    qInfo("%d kills: %d while enqueueing, %d while replaying; %d mutations were committed but killed "
          "before they were shown; %d were settled but killed before the store forgot them",
          m_kills, m_enqueueKills, m_syncKills, m_committedUnshown, m_settledTwice);
    // Only a run that finished before its kill landed leaves a kill unused.
    QVERIFY2(m_kills >= plannedKills - 1, qPrintable(QStringLiteral("only %1 kills").arg(m_kills)));

    // Every index was created exactly once, and each shown one is the one the store held.
    QCOMPARE(m_cidOfIndex.size(), total);
    QCOMPARE(m_created.size(), total);
    for (int i = 0; i < total; ++i)
        QVERIFY2(m_cidOfIndex.contains(i), qPrintable(QStringLiteral("mutation %1 never created").arg(i)));
    for (auto it = m_shown.cbegin(); it != m_shown.cend(); ++it)
        QCOMPARE(m_cidOfIndex.value(it.key()), it.value());

    verifyServer(server);
}

void TestOfflineCrash::enqueuePhase(int from, int to, int kills)
{
    int next = from;
    while (next < to) {
        const bool kill = kills > 0;
        Driver driver({QStringLiteral("enqueue"), QStringLiteral("--store"), m_storePath,
                       QStringLiteral("--room"), Room, QStringLiteral("--count"), QString::number(to - next),
                       QStringLiteral("--seed"), QString::number(m_seed), QStringLiteral("--start"),
                       QString::number(next), QStringLiteral("--message-ids"),
                       m_messageIds.join(QLatin1Char(','))});
        if (kill)
            driver.killAfter(QStringLiteral("shown"), killPoint(m_plan, to - next, kills));
        const QSet<QString> before = m_pending;
        QVERIFY(driver.start());
        QVERIFY(driver.waitForFinished());

        // It continues after the last mutation shown, or one further when the
        // last one was committed but the process died before showing it.
        const QList<QStringList> started = driver.lines(QStringLiteral("start"));
        QCOMPARE(started.size(), 1);
        const int begun = started.first().value(1).toInt();
        QVERIFY2(begun == next || begun == next + 1, qPrintable(driver.output()));
        QCOMPARE(begun == next + 1, m_cidOfIndex.contains(next));
        if (begun == next + 1)
            ++m_committedUnshown;

        int expected = begun;
        QList<QStringList> shown = driver.lines(QStringLiteral("shown"));
        for (const QStringList &line : std::as_const(shown)) {
            QCOMPARE(line.value(1).toInt(), expected);
            m_shown.insert(expected, line.value(2));
            ++expected;
        }
        snapshot();
        if (QTest::currentTestFailed())
            return;
        // Shown means committed: the store holds it. Nothing it held before is gone.
        for (const QStringList &line : std::as_const(shown))
            QCOMPARE(m_cidOfIndex.value(line.value(1).toInt()), line.value(2));
        for (const QString &cid : before)
            QVERIFY2(m_pending.contains(cid), qPrintable(cid));
        if (driver.wasKilled()) {
            ++m_kills;
            ++m_enqueueKills;
            --kills;
        } else {
            QCOMPARE(driver.exitCode(), 0);
            QCOMPARE(expected, to);
        }
        next = expected;
    }
    m_leftoverKills = kills;
    for (int i = from; i < to; ++i)
        QVERIFY(m_cidOfIndex.contains(i));
}

void TestOfflineCrash::syncPhase(int kills)
{
    for (;;) {
        const QSet<QString> before = m_pending;
        const bool kill = kills > 0 && before.size() > 1;
        Driver driver({QStringLiteral("sync"), QStringLiteral("--store"), m_storePath,
                       QStringLiteral("--room"), Room, QStringLiteral("--url"), m_url,
                       QStringLiteral("--token"), m_token});
        if (kill)
            driver.killAfter(QStringLiteral("settled"),
                             killPoint(m_plan, static_cast<int>(before.size()), kills));
        QVERIFY(driver.start());
        QVERIFY(driver.waitForFinished());

        // A single client makes no conflicting change: any conflict or
        // refusal means the client based a change on the wrong version.
        for (const QString &word : {QStringLiteral("failed"), QStringLiteral("conflict"),
                                    QStringLiteral("resolved"), QStringLiteral("unauthorized")})
            QVERIFY2(driver.lines(word).isEmpty(), qPrintable(driver.output()));
        if (!driver.lines(QStringLiteral("pending")).isEmpty())
            QCOMPARE(driver.lines(QStringLiteral("pending")).first().value(1).toInt(), before.size());
        const QList<QStringList> settled = driver.lines(QStringLiteral("settled"));
        snapshot();
        if (QTest::currentTestFailed())
            return;
        // Replaying creates nothing. A settled change leaves the store at the
        // end of its event-loop turn (MutationQueue::settle): a kill may come
        // first, and then it is sent again and answered with its first ack.
        for (const QString &cid : std::as_const(m_pending))
            QVERIFY2(before.contains(cid), qPrintable(cid));
        for (const QStringList &line : settled) {
            QVERIFY2(before.contains(line.value(1)), qPrintable(line.value(1)));
            m_settledButKept.remove(line.value(1));
        }
        for (const QStringList &line : settled) {
            if (m_pending.contains(line.value(1))) {
                m_settledButKept.insert(line.value(1));
                ++m_settledTwice;
            }
        }
        if (driver.wasKilled()) {
            ++m_kills;
            ++m_syncKills;
            --kills;
            continue;
        }
        QVERIFY2(driver.exitCode() == 0, qPrintable(driver.output()));
        QCOMPARE(driver.lines(QStringLiteral("done")).size(), 1);
        QVERIFY(m_pending.isEmpty());
        QVERIFY(m_settledButKept.isEmpty()); // each was sent again and settled again
        m_leftoverKills = kills;
        return;
    }
}

void TestOfflineCrash::snapshot()
{
    LocalStore store(m_storePath);
    QVERIFY(store.open());
    const auto mutations = store.mutations();
    QVERIFY(mutations);
    m_pending.clear();
    for (const Mutation &mutation : *mutations) {
        const QString text = textOf(mutation);
        const int index = text.mid(1).toInt();
        QCOMPARE(mutation.state, MutationState::Queued);
        const QChar kind = mutation.isChat() ? u'm' : mutation.entity == QLatin1String("room") ? u't' : u'e';
        QCOMPARE(text.at(0), kind);
        m_pending.insert(mutation.cid);
        const auto known = m_created.constFind(mutation.cid);
        if (known != m_created.cend()) {
            QCOMPARE(known->index, index);
            continue;
        }
        QVERIFY2(!m_cidOfIndex.contains(index),
                 qPrintable(QStringLiteral("mutation %1 created twice").arg(index)));
        m_created.insert(mutation.cid, {index, mutation.cid, mutation.entity, text});
        m_cidOfIndex.insert(index, mutation.cid);
    }
}

void TestOfflineCrash::verifyServer(ServerProcess &server)
{
    const QList<QJsonObject> log = fullHistory(server, m_token);
    QVERIFY(!log.isEmpty());

    // The log replayed over WebSocket from the start is the same log.
    {
        TestClient reader;
        QVERIFY(reader.connectAndAuthenticate(server.wsUrl(), m_token));
        QVERIFY(reader.join(Room, 0));
        QStringList replayed;
        for (const QJsonObject &message : reader.received()) {
            if (message.contains(QLatin1String("seq")))
                replayed.append(message.value(QLatin1String("id")).toString());
        }
        QStringList stored;
        for (const QJsonObject &event : log)
            stored.append(event.value(QLatin1String("id")).toString());
        QCOMPARE(replayed, stored);
    }

    // Exactly once: each created mutation is one event, with what it carried.
    QHash<QString, QJsonObject> eventOf;
    for (qsizetype i = 0; i < log.size(); ++i) {
        const QJsonObject &event = log.at(i);
        QCOMPARE(event.value(QLatin1String("seq")).toInteger(), i + 1);
        const QString cid = event.value(QLatin1String("cid")).toString();
        if (cid.startsWith(QLatin1String("setup-")))
            continue;
        QVERIFY2(m_created.contains(cid), qPrintable(QStringLiteral("event %1 has an unknown cid '%2'")
                                                         .arg(event.value(QLatin1String("seq")).toInteger())
                                                         .arg(cid)));
        QVERIFY2(!eventOf.contains(cid), qPrintable(QStringLiteral("%1 stored twice").arg(cid)));
        eventOf.insert(cid, event);
    }
    QCOMPARE(eventOf.size(), m_created.size());
    QCOMPARE(log.size(), m_created.size() + PreexistingMessages);

    // Per entity, in the order the user made the changes.
    QMap<QString, QList<Created>> byEntity;
    for (const Created &created : std::as_const(m_created))
        byEntity[created.entity].append(created);
    for (auto it = byEntity.begin(); it != byEntity.end(); ++it) {
        QList<Created> &changes = it.value();
        std::sort(changes.begin(), changes.end(),
                  [](const Created &a, const Created &b) { return a.index < b.index; });
        const bool isChat = it.key() == tandem::offline::chatEntity();
        const bool isRoom = it.key() == QLatin1String("room");
        qint64 lastSeq = 0;
        qint64 version = isRoom ? 0 : 1; // a message is version 1 from its creation
        for (const Created &change : std::as_const(changes)) {
            const QJsonObject event = eventOf.value(change.cid);
            const QJsonObject payload = payloadOf(event);
            const qint64 seq = event.value(QLatin1String("seq")).toInteger();
            QVERIFY2(seq > lastSeq,
                     qPrintable(QStringLiteral("%1 (%2) stored out of order").arg(change.text, it.key())));
            lastSeq = seq;
            if (isChat) {
                QCOMPARE(event.value(QLatin1String("type")).toString(), QStringLiteral("chat:message"));
                QCOMPARE(payload.value(QLatin1String("text")).toString(), change.text);
                continue;
            }
            QCOMPARE(event.value(QLatin1String("type")).toString(), QStringLiteral("entity:changed"));
            QCOMPARE(payload.value(QLatin1String("entity")).toString(), change.entity);
            QCOMPARE(payload.value(QLatin1String("version")).toInteger(), ++version);
            const QJsonObject value = payload.value(QLatin1String("value")).toObject();
            QCOMPARE(value.value(QLatin1String(isRoom ? "topic" : "text")).toString(), change.text);
        }
        if (isChat)
            continue;
        // The entity as the server holds it now: the last change, at the last version.
        const QString path = isRoom ? QStringLiteral("/api/entities/%1/room").arg(Room)
                                    : QStringLiteral("/api/entities/%1/%2").arg(Room, it.key());
        const QJsonObject state = getJson(server, path, m_token).object();
        QCOMPARE(state.value(QLatin1String("version")).toInteger(), version);
        QCOMPARE(state.value(QLatin1String("value"))
                     .toObject()
                     .value(QLatin1String(isRoom ? "topic" : "text"))
                     .toString(),
                 changes.last().text);
    }
    qInfo("server: %lld events; %lld entities changed", static_cast<long long>(log.size()),
          static_cast<long long>(byEntity.size() - 1));
}

QTEST_GUILESS_MAIN(TestOfflineCrash)
#include "tst_offlinecrash.moc"
