// Two servers on one PostgreSQL database, as issue 8's scale-out runs them:
// two PostgresStorage instances (two connections) on two threads, appending to
// the same rooms at the same moment. seq must come out 1..N per room with no
// gap and no duplicate, and a cid sent through both must be stored once.

#include "tests/unit/server/storage/ResultText.h"
#include "tests/unit/server/storage/StorageBackend.h"

#include <QRegularExpression>
#include <QSemaphore>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

#include <algorithm>
#include <functional>
#include <thread>

using namespace tandem::server;
using tandem::ManualClock;

namespace {

constexpr int AppendsPerWriter = 150;

/// What one writer saw; checked on the test's thread, where QTest macros work.
struct WriterReport {
    QString failure; ///< empty when every call succeeded
    QList<AppendResult> results;
    QList<qint64> documentIds;
};

NewEvent chat(const QString &roomId, const QString &id, const QString &cid, const QString &userId)
{
    return NewEvent{roomId,
                    id,
                    QStringLiteral("chat:message"),
                    userId,
                    cid,
                    QDateTime::currentDateTimeUtc(),
                    QJsonObject{{QStringLiteral("text"), id}},
                    std::nullopt};
}

/// Empty when both writers succeeded; otherwise what went wrong.
QString failuresOf(const WriterReport &first, const WriterReport &second)
{
    return first.failure + second.failure;
}

} // namespace

class TestPostgresConcurrency : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void cleanupTestCase();

    void concurrentAppendsGetGaplessDistinctSeqs();
    void sameCidFromBothIsStoredOnce();
    void sameCidInTwoRoomsIsStoredOnce();
    void lostCidRaceIsRetried();
    void crossedBatchesDoNotDeadlock();
    void concurrentDocumentUpdatesGetDistinctIds();

private:
    /// Runs `work` on two threads, each with its own opened PostgresStorage;
    /// both start together, as two servers receiving at the same moment.
    std::pair<WriterReport, WriterReport>
    runTwoWriters(const std::function<void(int writer, SqlStorage &storage, WriterReport &report)> &work);
    /// Both writers append AppendsPerWriter batches, made by makeBatch(writer, round), at the same time.
    std::pair<WriterReport, WriterReport>
    appendFromTwoWriters(const std::function<QList<NewEvent>(int writer, int round)> &makeBatch);
    /// Both writers send cid-0, cid-1, ... as the same user at the same time, writer i
    /// to rooms[i]; checks that exactly one stored each cid and both answer with that event.
    void sendSameCidsFromTwoWriters(const QStringList &rooms);
    /// The seqs stored in `roomId`, oldest first, read back through a third connection.
    QList<qint64> storedSeqs(const QString &roomId);

    StorageBackend m_backend;
    ManualClock m_clock;
    std::unique_ptr<SqlStorage> m_storage;
};

void TestPostgresConcurrency::init()
{
    QVERIFY2(m_backend.reset(), qPrintable(m_backend.error()));
    m_storage = m_backend.open(m_clock);
    QVERIFY(m_storage);
    for (const QString &room : {QStringLiteral("general"), QStringLiteral("a"), QStringLiteral("b")})
        QVERIFY(m_storage->createRoom(room, QStringLiteral("ada"), false));
}

void TestPostgresConcurrency::cleanup()
{
    m_storage.reset();
    m_backend.closeRaw();
}

void TestPostgresConcurrency::cleanupTestCase()
{
    StorageBackend::shutdown();
}

std::pair<WriterReport, WriterReport> TestPostgresConcurrency::runTwoWriters(
    const std::function<void(int writer, SqlStorage &storage, WriterReport &report)> &work)
{
    WriterReport reports[2];
    QSemaphore ready;
    QSemaphore go;
    const auto writer = [&](int index) {
        WriterReport &report = reports[index];
        {
            // Connected on this thread: a Qt SQL connection belongs to the thread that opened it.
            std::unique_ptr<SqlStorage> storage = m_backend.create(m_clock);
            const auto opened = storage->open();
            ready.release();
            go.acquire();
            if (!opened)
                report.failure = opened.error().message;
            else
                work(index, *storage, report);
        }
    };
    std::thread first(writer, 0);
    std::thread second(writer, 1);
    ready.acquire(2); // both connected, so neither gets a head start from connecting
    go.release(2);
    first.join();
    second.join();
    return {reports[0], reports[1]};
}

std::pair<WriterReport, WriterReport> TestPostgresConcurrency::appendFromTwoWriters(
    const std::function<QList<NewEvent>(int writer, int round)> &makeBatch)
{
    return runTwoWriters([&](int writer, SqlStorage &storage, WriterReport &report) {
        for (int round = 0; round < AppendsPerWriter && report.failure.isEmpty(); ++round) {
            auto appended = storage.appendEvents(makeBatch(writer, round));
            if (!appended)
                report.failure = appended.error().message;
            else
                report.results.append(*appended);
        }
    });
}

void TestPostgresConcurrency::sendSameCidsFromTwoWriters(const QStringList &rooms)
{
    const auto [first, second] = appendFromTwoWriters([&](int writer, int round) {
        return QList<NewEvent>{chat(rooms.at(writer), QStringLiteral("w%1-%2").arg(writer).arg(round),
                                    QStringLiteral("cid-%1").arg(round), QStringLiteral("ada"))};
    });
    QVERIFY2(failuresOf(first, second).isEmpty(), qPrintable(failuresOf(first, second)));
    QCOMPARE(first.results.size(), AppendsPerWriter);
    QCOMPARE(second.results.size(), AppendsPerWriter);
    for (int round = 0; round < AppendsPerWriter; ++round) {
        const AppendResult &a = first.results.at(round);
        const AppendResult &b = second.results.at(round);
        QVERIFY2(a.duplicate != b.duplicate, qPrintable(QStringLiteral("cid-%1").arg(round)));
        QCOMPARE(a.event.id, b.event.id);
        QCOMPARE(a.event.seq, b.event.seq);
    }
}

QList<qint64> TestPostgresConcurrency::storedSeqs(const QString &roomId)
{
    QList<qint64> seqs;
    const auto events = m_storage->eventsAfter(roomId, 0, 100000);
    if (events) {
        for (const StoredEvent &event : *events)
            seqs.append(event.seq);
    }
    return seqs;
}

void TestPostgresConcurrency::concurrentAppendsGetGaplessDistinctSeqs()
{
    const auto [first, second] = appendFromTwoWriters([](int writer, int round) {
        const QString id = QStringLiteral("w%1-%2").arg(writer).arg(round);
        QList<NewEvent> batch{chat(QStringLiteral("general"), id, {}, QStringLiteral("ada"))};
        // Single events and pairs, so group commits interleave with single appends.
        if (round % 3 == 0)
            batch.append(
                chat(QStringLiteral("general"), id + QStringLiteral("b"), {}, QStringLiteral("ada")));
        return batch;
    });
    QVERIFY2(failuresOf(first, second).isEmpty(), qPrintable(failuresOf(first, second)));

    QList<qint64> answered;
    for (const WriterReport *report : {&first, &second}) {
        qint64 previous = 0;
        for (const AppendResult &result : report->results) {
            QVERIFY(!result.duplicate);
            QVERIFY(result.event.seq > previous); // each writer sees its own appends in order
            previous = result.event.seq;
            answered.append(result.event.seq);
        }
    }
    std::sort(answered.begin(), answered.end());
    const qint64 total = answered.size();
    QCOMPARE(total, 2 * (AppendsPerWriter + AppendsPerWriter / 3));
    QList<qint64> expected;
    for (qint64 seq = 1; seq <= total; ++seq)
        expected.append(seq);
    QCOMPARE(answered, expected); // no seq handed out twice, none skipped
    QCOMPARE(storedSeqs(QStringLiteral("general")), expected);
    QCOMPARE((*m_storage->findRoom(QStringLiteral("general")))->lastSeq, total);
}

void TestPostgresConcurrency::sameCidFromBothIsStoredOnce()
{
    // A client that resends through another server after a failover: both
    // servers get the same (user, cid) at once.
    sendSameCidsFromTwoWriters({QStringLiteral("general"), QStringLiteral("general")});
    if (QTest::currentTestFailed())
        return;
    QList<qint64> expected;
    for (qint64 seq = 1; seq <= AppendsPerWriter; ++seq)
        expected.append(seq);
    QCOMPARE(storedSeqs(QStringLiteral("general")), expected);
}

void TestPostgresConcurrency::sameCidInTwoRoomsIsStoredOnce()
{
    // The two appends lock different rooms, so nothing serializes them but the
    // (user_id, cid) index: the loser's insert fails, and its retry finds the winner's event.
    sendSameCidsFromTwoWriters({QStringLiteral("a"), QStringLiteral("b")});
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(m_backend.scalar(QStringLiteral("SELECT count(*) FROM events")).toInt(), AppendsPerWriter);
    // Each room's own seqs stay gapless.
    for (const QString &room : {QStringLiteral("a"), QStringLiteral("b")}) {
        const QList<qint64> seqs = storedSeqs(room);
        for (int i = 0; i < seqs.size(); ++i)
            QCOMPARE(seqs.at(i), i + 1);
    }
}

void TestPostgresConcurrency::lostCidRaceIsRetried()
{
    // Deterministically what the two-room race above may or may not hit: another
    // server has inserted (ada, "cid-x") in room b and not committed yet. Our
    // append to room a waits on the unique index, fails when the other commits,
    // and its retry answers with the other server's event as a duplicate.
    QVERIFY(!m_backend.scalar(QStringLiteral("BEGIN")).isValid());
    QCOMPARE(
        m_backend
            .scalar(QStringLiteral("INSERT INTO events (room_id, seq, id, type, user_id, cid, ts, payload) "
                                   "VALUES ('b', 1, 'theirs', 'chat:message', 'ada', 'cid-x', "
                                   "'2026-01-01T00:00:00.000Z', '{}') RETURNING seq"))
            .toInt(),
        1);
    QVERIFY(m_backend.scalar(QStringLiteral("UPDATE rooms SET last_seq = 1 WHERE room_id = 'b' RETURNING 1"))
                .isValid());

    WriterReport ours;
    std::thread writer([&] {
        std::unique_ptr<SqlStorage> storage = m_backend.open(m_clock);
        if (!storage) {
            ours.failure = QStringLiteral("cannot open");
            return;
        }
        auto appended = storage->appendEvents({chat(QStringLiteral("a"), QStringLiteral("ours"),
                                                    QStringLiteral("cid-x"), QStringLiteral("ada"))});
        if (!appended)
            ours.failure = appended.error().message;
        else
            ours.results = *appended;
    });

    // Wait (by watching, not sleeping) until our append is blocked on the other's row.
    const QString watcherName = QStringLiteral("lock-watcher");
    {
        QSqlDatabase watcher = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), watcherName);
        watcher.setHostName(QStringLiteral("127.0.0.1"));
        watcher.setPort(StorageBackend::server().port());
        watcher.setUserName(QLatin1String(tandem::test::PostgresProcess::User));
        watcher.setDatabaseName(QStringLiteral("postgres"));
        QVERIFY(watcher.open());
        const auto blockedWriters = [&] {
            QSqlQuery query(watcher);
            query.exec(
                QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"));
            return query.next() ? query.value(0).toInt() : -1;
        };
        QTRY_COMPARE_WITH_TIMEOUT(blockedWriters(), 1, 20000);
    }
    QSqlDatabase::removeDatabase(watcherName);
    // The unique violation it meets is logged; the retry is what matters.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("duplicate key|unique")));
    QVERIFY(!m_backend.scalar(QStringLiteral("COMMIT")).isValid());
    writer.join();

    QVERIFY2(ours.failure.isEmpty(), qPrintable(ours.failure));
    QCOMPARE(ours.results.size(), 1);
    QVERIFY(ours.results.at(0).duplicate);
    QCOMPARE(ours.results.at(0).event.id, QStringLiteral("theirs"));
    QCOMPARE(ours.results.at(0).event.roomId, QStringLiteral("b"));
    QCOMPARE(storedSeqs(QStringLiteral("a")), QList<qint64>{}); // the lost attempt took no seq
    QCOMPARE((*m_storage->findRoom(QStringLiteral("a")))->lastSeq, 0);
}

void TestPostgresConcurrency::crossedBatchesDoNotDeadlock()
{
    // One writer's batches go a→b, the other's b→a: rooms are locked in one
    // order whatever the batch order, so neither waits for the other forever.
    const auto [first, second] = appendFromTwoWriters([](int writer, int round) {
        const QString id = QStringLiteral("w%1-%2").arg(writer).arg(round);
        const NewEvent inA = chat(QStringLiteral("a"), id + QStringLiteral("a"), {}, QStringLiteral("ada"));
        const NewEvent inB = chat(QStringLiteral("b"), id + QStringLiteral("b"), {}, QStringLiteral("ada"));
        return writer == 0 ? QList<NewEvent>{inA, inB} : QList<NewEvent>{inB, inA};
    });
    QVERIFY2(failuresOf(first, second).isEmpty(), qPrintable(failuresOf(first, second)));
    for (const QString &room : {QStringLiteral("a"), QStringLiteral("b")}) {
        const QList<qint64> seqs = storedSeqs(room);
        QCOMPARE(seqs.size(), 2 * AppendsPerWriter);
        QCOMPARE(seqs.last(), 2 * AppendsPerWriter);
    }
}

void TestPostgresConcurrency::concurrentDocumentUpdatesGetDistinctIds()
{
    const auto [first, second] = runTwoWriters([](int writer, SqlStorage &storage, WriterReport &report) {
        for (int i = 0; i < AppendsPerWriter && report.failure.isEmpty(); ++i) {
            auto appended = storage.appendDocumentUpdates(
                {{QStringLiteral("general"), QStringLiteral("w%1-%2").arg(writer).arg(i).toUtf8()}});
            if (!appended)
                report.failure = appended.error().message;
            else
                report.documentIds.append(appended->at(0));
        }
    });
    QVERIFY2(failuresOf(first, second).isEmpty(), qPrintable(failuresOf(first, second)));
    QSet<qint64> ids(first.documentIds.cbegin(), first.documentIds.cend());
    ids.unite(QSet<qint64>(second.documentIds.cbegin(), second.documentIds.cend()));
    QCOMPARE(ids.size(), 2 * AppendsPerWriter);
    const auto document = m_storage->loadDocument(QStringLiteral("general"));
    QVERIFY2(document, errorText(document).constData());
    QCOMPARE(document->updates.size(), 2 * AppendsPerWriter);
}

QTEST_GUILESS_MAIN(TestPostgresConcurrency)
#include "tst_postgresconcurrency.moc"
