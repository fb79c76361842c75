// The Storage contract against a real store, one source for every backend
// (StorageBackend.h): tst_sqlitestorage runs it on SQLite files,
// tst_postgresstorage on a PostgreSQL server. Users, tokens, rooms, the event
// log with its seq and idempotency rules, paging, documents, canvases, and
// durability across re-opens.

#include "tests/unit/server/storage/ResultText.h"
#include "tests/unit/server/storage/StorageBackend.h"

#include "server/storage/SqlDialect.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace tandem::server;
using tandem::ManualClock;
using tandem::protocol::ErrorCode;

namespace {

QList<qint64> seqsOf(const QList<StoredEvent> &events)
{
    QList<qint64> seqs;
    for (const StoredEvent &event : events)
        seqs.append(event.seq);
    return seqs;
}

QStringList roomIdsOf(const QList<RoomRecord> &rooms)
{
    QStringList ids;
    for (const RoomRecord &room : rooms)
        ids.append(room.roomId);
    return ids;
}

} // namespace

class TestStorageContract : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void cleanupTestCase();

    void usersAddFindListRemove();
    void addingTakenUserConflicts();
    void removingUnknownUserIsNotFound();
    void removingUserDeletesTokensAndMemberships();

    void tokensStoreFindRevoke();
    void tokenForUnknownUserIsNotFound();
    void deleteExpiredTokensKeepsLiveOnes();

    void roomsCreateAndFind();
    void creatingExistingRoomConflicts();
    void addMemberIsIdempotent();
    void addMemberToMissingRoomIsNotFound();
    void roomVisibility_data();
    void roomVisibility();

    void appendAssignsSeqPerRoom();
    void duplicateCidReturnsOriginal();
    void duplicateCidWithinOneBatch();
    void sameCidOfAnotherUserIsNotDuplicate();
    void eventWithoutCidStoresNull();
    void appendToMissingRoomCommitsNothing();
    void incompleteEventIsBadRequest();
    void emptyBatchIsFine();

    void eventsAfterPaging_data();
    void eventsAfterPaging();
    void eventsBeforePaging_data();
    void eventsBeforePaging();
    void negativeLimitIsBadRequest();

    void dataSurvivesCloseAndReopen();
    void twoConnectionsShareOneLog();
    void payloadRoundTrips_data();
    void payloadRoundTrips();

    void documentUpdatesAndCompaction();
    void documentUpdatesToMissingRoomStoreNothing();
    void canvasSnapshotAndChanges();
    void canvasSnapshotNeverGoesBack();
    void schemaIsRecorded();

    void closedStorageFails();
#ifdef TANDEM_STORAGE_BACKEND_POSTGRES
    void unreachableServerFailsCleanly();
    void newerSchemaIsRefused();
    void badUrlsAreRefused_data();
    void badUrlsAreRefused();
    void urlIsParsed();
#else
    void openFailsWhenFolderCannotBeCreated();
#endif

private:
    std::unique_ptr<SqlStorage> openStorage()
    {
        return m_backend.open(m_clock);
    }
    NewEvent event(const QString &roomId, const QString &cid = {},
                   const QString &userId = QStringLiteral("ada"));
    void createRoom(const QString &roomId, const QString &ownerId = QStringLiteral("ada"),
                    bool isPrivate = false);
    /// Ten events in room "general", seq 1..10.
    void appendTen();

    StorageBackend m_backend;
    ManualClock m_clock;
    std::unique_ptr<SqlStorage> m_storage;
    int m_nextId = 0;
};

void TestStorageContract::init()
{
    QVERIFY2(m_backend.reset(), qPrintable(m_backend.error()));
    m_storage = openStorage();
    QVERIFY(m_storage);
    m_nextId = 0;
}

void TestStorageContract::cleanup()
{
    m_storage.reset();
    m_backend.closeRaw();
}

void TestStorageContract::cleanupTestCase()
{
    StorageBackend::shutdown();
}

NewEvent TestStorageContract::event(const QString &roomId, const QString &cid, const QString &userId)
{
    const int n = ++m_nextId;
    return NewEvent{roomId,
                    QStringLiteral("id-%1").arg(n),
                    QStringLiteral("chat:message"),
                    userId,
                    cid,
                    m_clock.nowUtc().addMSecs(n),
                    QJsonObject{{QStringLiteral("text"), QStringLiteral("message %1").arg(n)}},
                    std::nullopt};
}

void TestStorageContract::createRoom(const QString &roomId, const QString &ownerId, bool isPrivate)
{
    const auto created = m_storage->createRoom(roomId, ownerId, isPrivate);
    QVERIFY2(created, errorText(created).constData());
}

void TestStorageContract::appendTen()
{
    createRoom(QStringLiteral("general"));
    QList<NewEvent> batch;
    for (int i = 0; i < 10; ++i)
        batch.append(event(QStringLiteral("general")));
    const auto appended = m_storage->appendEvents(batch);
    QVERIFY2(appended, errorText(appended).constData());
    QCOMPARE(appended->last().event.seq, 10);
}

// users

void TestStorageContract::usersAddFindListRemove()
{
    QVERIFY(m_storage->addUser(QStringLiteral("bob"), QStringLiteral("$argon2id$bob")));
    m_clock.advance(1500);
    QVERIFY(m_storage->addUser(QStringLiteral("ada"), QStringLiteral("$argon2id$ada")));

    const auto ada = m_storage->findUser(QStringLiteral("ada"));
    QVERIFY(ada);
    QVERIFY(ada->has_value());
    QCOMPARE((*ada)->userId, QStringLiteral("ada"));
    QCOMPARE((*ada)->passwordHash, QStringLiteral("$argon2id$ada"));
    QCOMPARE((*ada)->createdAt, m_clock.nowUtc());

    const auto nobody = m_storage->findUser(QStringLiteral("nobody"));
    QVERIFY(nobody);
    QVERIFY(!nobody->has_value());

    const auto users = m_storage->listUsers();
    QVERIFY(users);
    QCOMPARE(users->size(), 2);
    QCOMPARE(users->at(0).userId, QStringLiteral("ada")); // sorted by id
    QCOMPARE(users->at(1).userId, QStringLiteral("bob"));

    QVERIFY(m_storage->removeUser(QStringLiteral("ada")));
    QVERIFY(!m_storage->findUser(QStringLiteral("ada"))->has_value());
    QCOMPARE(m_storage->listUsers()->size(), 1);
}

void TestStorageContract::addingTakenUserConflicts()
{
    QVERIFY(m_storage->addUser(QStringLiteral("ada"), QStringLiteral("first")));
    const auto again = m_storage->addUser(QStringLiteral("ada"), QStringLiteral("second"));
    QVERIFY(!again);
    QCOMPARE(again.error().code, ErrorCode::Conflict);
    QCOMPARE((*m_storage->findUser(QStringLiteral("ada")))->passwordHash, QStringLiteral("first"));
}

void TestStorageContract::removingUnknownUserIsNotFound()
{
    const auto removed = m_storage->removeUser(QStringLiteral("ghost"));
    QVERIFY(!removed);
    QCOMPARE(removed.error().code, ErrorCode::NotFound);
}

void TestStorageContract::removingUserDeletesTokensAndMemberships()
{
    QVERIFY(m_storage->addUser(QStringLiteral("ada"), QStringLiteral("h")));
    const QByteArray tokenHash(32, 'x');
    QVERIFY(m_storage->storeToken(tokenHash, QStringLiteral("ada"), m_clock.nowUtc().addDays(1)));
    createRoom(QStringLiteral("secret"), QStringLiteral("bob"), true);
    QVERIFY(m_storage->addMember(QStringLiteral("secret"), QStringLiteral("ada")));

    QVERIFY(m_storage->removeUser(QStringLiteral("ada")));
    QVERIFY(!m_storage->findToken(tokenHash)->has_value());
    QCOMPARE(*m_storage->isMember(QStringLiteral("secret"), QStringLiteral("ada")), false);

    // A new account with the old name starts without the old rights.
    QVERIFY(m_storage->addUser(QStringLiteral("ada"), QStringLiteral("h2")));
    QCOMPARE(roomIdsOf(*m_storage->roomsVisibleTo(QStringLiteral("ada"))), QStringList());
}

// tokens

void TestStorageContract::tokensStoreFindRevoke()
{
    QVERIFY(m_storage->addUser(QStringLiteral("ada"), QStringLiteral("h")));
    const QByteArray tokenHash =
        QByteArray::fromHex("00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff");
    const QDateTime expiresAt = m_clock.nowUtc().addSecs(3600);
    QVERIFY(m_storage->storeToken(tokenHash, QStringLiteral("ada"), expiresAt));

    const auto found = m_storage->findToken(tokenHash);
    QVERIFY(found);
    QVERIFY(found->has_value());
    QCOMPARE((*found)->userId, QStringLiteral("ada"));
    QCOMPARE((*found)->expiresAt, expiresAt);
    QCOMPARE((*found)->revoked, false);

    QVERIFY(!m_storage->findToken(QByteArray(32, '\0'))->has_value());

    QVERIFY(m_storage->revokeToken(tokenHash));
    QCOMPARE((*m_storage->findToken(tokenHash))->revoked, true);
    QVERIFY(m_storage->revokeToken(tokenHash)); // twice is fine

    const auto unknown = m_storage->revokeToken(QByteArray(32, 'u'));
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().code, ErrorCode::NotFound);
}

void TestStorageContract::tokenForUnknownUserIsNotFound()
{
    const auto stored = m_storage->storeToken(QByteArray(32, 't'), QStringLiteral("ghost"), m_clock.nowUtc());
    QVERIFY(!stored);
    QCOMPARE(stored.error().code, ErrorCode::NotFound);
}

void TestStorageContract::deleteExpiredTokensKeepsLiveOnes()
{
    QVERIFY(m_storage->addUser(QStringLiteral("ada"), QStringLiteral("h")));
    const QDateTime now = m_clock.nowUtc();
    QVERIFY(m_storage->storeToken(QByteArray(32, 'a'), QStringLiteral("ada"), now.addSecs(-60)));
    QVERIFY(m_storage->storeToken(QByteArray(32, 'b'), QStringLiteral("ada"), now));
    QVERIFY(m_storage->storeToken(QByteArray(32, 'c'), QStringLiteral("ada"), now.addMSecs(1)));

    const auto deleted = m_storage->deleteExpiredTokens(now);
    QVERIFY(deleted);
    QCOMPARE(*deleted, 2);
    QVERIFY(!m_storage->findToken(QByteArray(32, 'a'))->has_value());
    QVERIFY(!m_storage->findToken(QByteArray(32, 'b'))->has_value());
    QVERIFY(m_storage->findToken(QByteArray(32, 'c'))->has_value());
}

// rooms

void TestStorageContract::roomsCreateAndFind()
{
    const auto created = m_storage->createRoom(QStringLiteral("general"), QStringLiteral("ada"), false);
    QVERIFY(created);
    QCOMPARE(created->roomId, QStringLiteral("general"));
    QCOMPARE(created->lastSeq, 0);

    const auto found = m_storage->findRoom(QStringLiteral("general"));
    QVERIFY(found);
    QVERIFY(found->has_value());
    QCOMPARE((*found)->ownerId, QStringLiteral("ada"));
    QCOMPARE((*found)->isPrivate, false);
    QCOMPARE((*found)->lastSeq, 0);
    QCOMPARE((*found)->createdAt, m_clock.nowUtc());

    QVERIFY(!m_storage->findRoom(QStringLiteral("nowhere"))->has_value());
    // The owner is the first member.
    QCOMPARE(*m_storage->members(QStringLiteral("general")), QStringList{QStringLiteral("ada")});
    QCOMPARE(*m_storage->isMember(QStringLiteral("general"), QStringLiteral("ada")), true);
    QCOMPARE(*m_storage->isMember(QStringLiteral("general"), QStringLiteral("bob")), false);
    QCOMPARE(*m_storage->members(QStringLiteral("nowhere")), QStringList());
}

void TestStorageContract::creatingExistingRoomConflicts()
{
    createRoom(QStringLiteral("general"), QStringLiteral("ada"), false);
    const auto again = m_storage->createRoom(QStringLiteral("general"), QStringLiteral("bob"), true);
    QVERIFY(!again);
    QCOMPARE(again.error().code, ErrorCode::Conflict);
    QCOMPARE((*m_storage->findRoom(QStringLiteral("general")))->ownerId, QStringLiteral("ada"));
    QCOMPARE(*m_storage->members(QStringLiteral("general")), QStringList{QStringLiteral("ada")});
}

void TestStorageContract::addMemberIsIdempotent()
{
    createRoom(QStringLiteral("general"));
    QVERIFY(m_storage->addMember(QStringLiteral("general"), QStringLiteral("cy")));
    QVERIFY(m_storage->addMember(QStringLiteral("general"), QStringLiteral("bob")));
    QVERIFY(m_storage->addMember(QStringLiteral("general"), QStringLiteral("bob")));
    QCOMPARE(*m_storage->members(QStringLiteral("general")),
             (QStringList{QStringLiteral("ada"), QStringLiteral("bob"), QStringLiteral("cy")}));
}

void TestStorageContract::addMemberToMissingRoomIsNotFound()
{
    const auto added = m_storage->addMember(QStringLiteral("nowhere"), QStringLiteral("bob"));
    QVERIFY(!added);
    QCOMPARE(added.error().code, ErrorCode::NotFound);
    QCOMPARE(*m_storage->isMember(QStringLiteral("nowhere"), QStringLiteral("bob")), false);
}

void TestStorageContract::roomVisibility_data()
{
    QTest::addColumn<QString>("userId");
    QTest::addColumn<QStringList>("visible");
    // lobby: public, owner ada. secret: private, owner ada. club: private, owner bob, member cy.
    QTest::addRow("owner of a private room") << QStringLiteral("ada") << QStringList{"lobby", "secret"};
    QTest::addRow("owner of another private room") << QStringLiteral("bob") << QStringList{"club", "lobby"};
    QTest::addRow("member of a private room") << QStringLiteral("cy") << QStringList{"club", "lobby"};
    QTest::addRow("no memberships: public rooms only") << QStringLiteral("dan") << QStringList{"lobby"};
}

void TestStorageContract::roomVisibility()
{
    QFETCH(QString, userId);
    QFETCH(QStringList, visible);
    createRoom(QStringLiteral("lobby"), QStringLiteral("ada"), false);
    createRoom(QStringLiteral("secret"), QStringLiteral("ada"), true);
    createRoom(QStringLiteral("club"), QStringLiteral("bob"), true);
    QVERIFY(m_storage->addMember(QStringLiteral("club"), QStringLiteral("cy")));

    const auto rooms = m_storage->roomsVisibleTo(userId);
    QVERIFY(rooms);
    QCOMPARE(roomIdsOf(*rooms), visible);
}

// the event log

void TestStorageContract::appendAssignsSeqPerRoom()
{
    createRoom(QStringLiteral("a"));
    createRoom(QStringLiteral("b"));
    const auto first = m_storage->appendEvents(
        {event(QStringLiteral("a")), event(QStringLiteral("b")), event(QStringLiteral("a"))});
    QVERIFY2(first, errorText(first).constData());
    const auto second = m_storage->appendEvents({event(QStringLiteral("b")), event(QStringLiteral("a"))});
    QVERIFY(second);

    QCOMPARE(first->size(), 3);
    QCOMPARE(first->at(0).event.seq, 1);
    QCOMPARE(first->at(1).event.seq, 1);
    QCOMPARE(first->at(2).event.seq, 2);
    QCOMPARE(second->at(0).event.seq, 2);
    QCOMPARE(second->at(1).event.seq, 3);
    for (const auto *results : {&*first, &*second}) {
        for (const AppendResult &result : *results)
            QVERIFY(!result.duplicate);
    }
    QCOMPARE((*m_storage->findRoom(QStringLiteral("a")))->lastSeq, 3);
    QCOMPARE((*m_storage->findRoom(QStringLiteral("b")))->lastSeq, 2);
    QCOMPARE(seqsOf(*m_storage->eventsAfter(QStringLiteral("a"), 0, 100)), (QList<qint64>{1, 2, 3}));
    QCOMPARE(seqsOf(*m_storage->eventsAfter(QStringLiteral("b"), 0, 100)), (QList<qint64>{1, 2}));
}

void TestStorageContract::duplicateCidReturnsOriginal()
{
    createRoom(QStringLiteral("general"));
    const NewEvent original = event(QStringLiteral("general"), QStringLiteral("c-1"));
    const auto first = m_storage->appendEvents({original});
    QVERIFY(first);
    QVERIFY(!first->at(0).duplicate);

    NewEvent retry = event(QStringLiteral("general"), QStringLiteral("c-1"));
    retry.payload = QJsonObject{{QStringLiteral("text"), QStringLiteral("a retry with other content")}};
    const auto second = m_storage->appendEvents({retry});
    QVERIFY(second);
    QVERIFY(second->at(0).duplicate);
    const StoredEvent &returned = second->at(0).event;
    QCOMPARE(returned.id, original.id);
    QCOMPARE(returned.seq, 1);
    QCOMPARE(returned.payload, original.payload);
    QCOMPARE(returned.ts, original.ts);
    QCOMPARE(returned.cid, QStringLiteral("c-1"));

    // The duplicate consumed no seq.
    const auto next = m_storage->appendEvents({event(QStringLiteral("general"), QStringLiteral("c-2"))});
    QVERIFY(next);
    QCOMPARE(next->at(0).event.seq, 2);
    QCOMPARE(m_storage->eventsAfter(QStringLiteral("general"), 0, 100)->size(), 2);
}

void TestStorageContract::duplicateCidWithinOneBatch()
{
    createRoom(QStringLiteral("general"));
    const NewEvent first = event(QStringLiteral("general"), QStringLiteral("same"));
    const auto results = m_storage->appendEvents(
        {first, event(QStringLiteral("general"), QStringLiteral("same")), event(QStringLiteral("general"))});
    QVERIFY2(results, errorText(results).constData());
    QCOMPARE(results->size(), 3);
    QVERIFY(!results->at(0).duplicate);
    QVERIFY(results->at(1).duplicate);
    QCOMPARE(results->at(1).event.id, first.id);
    QCOMPARE(results->at(1).event.seq, 1);
    QVERIFY(!results->at(2).duplicate);
    QCOMPARE(results->at(2).event.seq, 2);
    QCOMPARE((*m_storage->findRoom(QStringLiteral("general")))->lastSeq, 2);
}

void TestStorageContract::sameCidOfAnotherUserIsNotDuplicate()
{
    createRoom(QStringLiteral("general"));
    const auto results = m_storage->appendEvents(
        {event(QStringLiteral("general"), QStringLiteral("c"), QStringLiteral("ada")),
         event(QStringLiteral("general"), QStringLiteral("c"), QStringLiteral("bob"))});
    QVERIFY(results);
    QVERIFY(!results->at(1).duplicate);
    QCOMPARE(results->at(1).event.seq, 2);
}

void TestStorageContract::eventWithoutCidStoresNull()
{
    createRoom(QStringLiteral("general"));
    // Two events without a cid are never duplicates of each other.
    const auto results =
        m_storage->appendEvents({event(QStringLiteral("general")), event(QStringLiteral("general"))});
    QVERIFY(results);
    QVERIFY(!results->at(1).duplicate);
    QCOMPARE(results->at(1).event.cid, QString());
    QCOMPARE(m_backend.scalar(QStringLiteral("SELECT count(*) FROM events WHERE cid IS NULL")).toInt(), 2);
}

void TestStorageContract::appendToMissingRoomCommitsNothing()
{
    createRoom(QStringLiteral("general"));
    const auto failed = m_storage->appendEvents(
        {event(QStringLiteral("general"), QStringLiteral("c-1")), event(QStringLiteral("nowhere"))});
    QVERIFY(!failed);
    QCOMPARE(failed.error().code, ErrorCode::NotFound);
    QVERIFY(m_storage->eventsAfter(QStringLiteral("general"), 0, 100)->isEmpty());
    QCOMPARE((*m_storage->findRoom(QStringLiteral("general")))->lastSeq, 0);

    // Neither the seq nor the cid was consumed by the failed batch.
    const auto retried = m_storage->appendEvents({event(QStringLiteral("general"), QStringLiteral("c-1"))});
    QVERIFY(retried);
    QVERIFY(!retried->at(0).duplicate);
    QCOMPARE(retried->at(0).event.seq, 1);
}

void TestStorageContract::incompleteEventIsBadRequest()
{
    createRoom(QStringLiteral("general"));
    NewEvent noTimestamp = event(QStringLiteral("general"));
    noTimestamp.ts = QDateTime();
    NewEvent noId = event(QStringLiteral("general"));
    noId.id.clear();
    for (const NewEvent &bad : {noTimestamp, noId}) {
        const auto result = m_storage->appendEvents({event(QStringLiteral("general")), bad});
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::BadRequest);
    }
    QVERIFY(m_storage->eventsAfter(QStringLiteral("general"), 0, 100)->isEmpty());
}

void TestStorageContract::emptyBatchIsFine()
{
    const auto results = m_storage->appendEvents({});
    QVERIFY(results);
    QVERIFY(results->isEmpty());
}

void TestStorageContract::eventsAfterPaging_data()
{
    QTest::addColumn<qint64>("afterSeq");
    QTest::addColumn<int>("limit");
    QTest::addColumn<QList<qint64>>("expected");
    QTest::addRow("from the start") << qint64(0) << 3 << QList<qint64>{1, 2, 3};
    QTest::addRow("middle page") << qint64(3) << 3 << QList<qint64>{4, 5, 6};
    QTest::addRow("last partial page") << qint64(8) << 5 << QList<qint64>{9, 10};
    QTest::addRow("caught up") << qint64(10) << 5 << QList<qint64>{};
    QTest::addRow("beyond the end") << qint64(99) << 5 << QList<qint64>{};
    QTest::addRow("limit larger than log")
        << qint64(0) << 100 << QList<qint64>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    QTest::addRow("zero limit") << qint64(0) << 0 << QList<qint64>{};
}

void TestStorageContract::eventsAfterPaging()
{
    QFETCH(qint64, afterSeq);
    QFETCH(int, limit);
    QFETCH(QList<qint64>, expected);
    appendTen();
    createRoom(QStringLiteral("other"));
    QVERIFY(m_storage->appendEvents({event(QStringLiteral("other")), event(QStringLiteral("other"))}));

    const auto events = m_storage->eventsAfter(QStringLiteral("general"), afterSeq, limit);
    QVERIFY(events);
    QCOMPARE(seqsOf(*events), expected);
    for (const StoredEvent &stored : *events)
        QCOMPARE(stored.roomId, QStringLiteral("general"));
}

void TestStorageContract::eventsBeforePaging_data()
{
    QTest::addColumn<std::optional<qint64>>("beforeSeq");
    QTest::addColumn<int>("limit");
    QTest::addColumn<QList<qint64>>("expected");
    QTest::addRow("newest page") << std::optional<qint64>() << 3 << QList<qint64>{8, 9, 10};
    QTest::addRow("page before 8") << std::optional<qint64>(8) << 3 << QList<qint64>{5, 6, 7};
    QTest::addRow("first partial page") << std::optional<qint64>(3) << 5 << QList<qint64>{1, 2};
    QTest::addRow("before the first") << std::optional<qint64>(1) << 5 << QList<qint64>{};
    QTest::addRow("before beyond the end") << std::optional<qint64>(50) << 2 << QList<qint64>{9, 10};
    QTest::addRow("whole log") << std::optional<qint64>() << 100
                               << QList<qint64>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    QTest::addRow("zero limit") << std::optional<qint64>() << 0 << QList<qint64>{};
}

void TestStorageContract::eventsBeforePaging()
{
    QFETCH(std::optional<qint64>, beforeSeq);
    QFETCH(int, limit);
    QFETCH(QList<qint64>, expected);
    appendTen();
    createRoom(QStringLiteral("other"));
    QVERIFY(m_storage->appendEvents({event(QStringLiteral("other")), event(QStringLiteral("other"))}));

    const auto events = m_storage->eventsBefore(QStringLiteral("general"), beforeSeq, limit);
    QVERIFY(events);
    QCOMPARE(seqsOf(*events), expected);
}

void TestStorageContract::negativeLimitIsBadRequest()
{
    createRoom(QStringLiteral("general"));
    const auto after = m_storage->eventsAfter(QStringLiteral("general"), 0, -1);
    QVERIFY(!after);
    QCOMPARE(after.error().code, ErrorCode::BadRequest);
    const auto before = m_storage->eventsBefore(QStringLiteral("general"), std::nullopt, -1);
    QVERIFY(!before);
    QCOMPARE(before.error().code, ErrorCode::BadRequest);
}

void TestStorageContract::dataSurvivesCloseAndReopen()
{
    QVERIFY(m_storage->addUser(QStringLiteral("ada"), QStringLiteral("h")));
    createRoom(QStringLiteral("general"), QStringLiteral("ada"), true);
    const NewEvent sent = event(QStringLiteral("general"), QStringLiteral("c-1"));
    QVERIFY(m_storage->appendEvents({sent}));
    m_storage->close();
    QVERIFY(!m_storage->isOpen());
#ifndef TANDEM_STORAGE_BACKEND_POSTGRES
    // The checkpoint on close left everything in the main file.
    QVERIFY(!QFile::exists(m_backend.databasePath() + QStringLiteral("-wal")) ||
            QFile(m_backend.databasePath() + QStringLiteral("-wal")).size() == 0);
#endif

    m_storage = openStorage();
    QVERIFY(m_storage);
    QVERIFY(m_storage->findUser(QStringLiteral("ada"))->has_value());
    const auto room = m_storage->findRoom(QStringLiteral("general"));
    QVERIFY(room->has_value());
    QCOMPARE((*room)->isPrivate, true);
    QCOMPARE((*room)->lastSeq, 1);
    const auto events = m_storage->eventsAfter(QStringLiteral("general"), 0, 10);
    QVERIFY(events);
    QCOMPARE(events->size(), 1);
    const StoredEvent &stored = events->at(0);
    QCOMPARE(stored.seq, 1);
    QCOMPARE(stored.id, sent.id);
    QCOMPARE(stored.type, sent.type);
    QCOMPARE(stored.userId, sent.userId);
    QCOMPARE(stored.cid, sent.cid);
    QCOMPARE(stored.ts, sent.ts);
    QCOMPARE(stored.payload, sent.payload);

    // seq continues after the reopen, and the cid is still known.
    const auto more = m_storage->appendEvents({event(QStringLiteral("general")), sent});
    QVERIFY(more);
    QCOMPARE(more->at(0).event.seq, 2);
    QVERIFY(more->at(1).duplicate);
}

void TestStorageContract::twoConnectionsShareOneLog()
{
    // A second instance on the same file (another thread or process): seq stays
    // gapless because each append reads last_seq inside its own write transaction.
    createRoom(QStringLiteral("general"));
    const auto other = openStorage();
    QVERIFY(other);
    QList<qint64> seqs;
    for (int i = 0; i < 6; ++i) {
        SqlStorage &writer = i % 2 == 0 ? *m_storage : *other;
        const auto appended = writer.appendEvents({event(QStringLiteral("general"))});
        QVERIFY2(appended, errorText(appended).constData());
        seqs.append(appended->at(0).event.seq);
    }
    QCOMPARE(seqs, (QList<qint64>{1, 2, 3, 4, 5, 6}));
    QCOMPARE(seqsOf(*other->eventsAfter(QStringLiteral("general"), 0, 100)), seqs);
}

void TestStorageContract::payloadRoundTrips_data()
{
    QTest::addColumn<QJsonObject>("payload");
    QTest::addRow("empty") << QJsonObject();
    QTest::addRow("ascii") << QJsonObject{{"text", "hello"}};
    QTest::addRow("non-ascii") << QJsonObject{
        {"text", QStringLiteral("Grüße, Ærøskøbing, 日本語, Ελληνικά")}};
    QTest::addRow("emoji") << QJsonObject{{"text", QStringLiteral("🎉 👩‍💻 🇫🇷 ❤️")}};
    QTest::addRow("escapes") << QJsonObject{
        {"text", QStringLiteral("quote \" backslash \\ newline \n tab \t nul-free")}};
    QTest::addRow("sql-looking text") << QJsonObject{{"text", "'); DROP TABLE events; --"}};
    QTest::addRow("nested") << QJsonObject{
        {"text", "x"},
        {"mentions", QJsonArray{"ada", "bob"}},
        {"meta", QJsonObject{{"n", 42}, {"pi", 3.25}, {"ok", true}, {"none", QJsonValue::Null}}},
        {"big", qint64(9007199254740991)},
    };
}

void TestStorageContract::payloadRoundTrips()
{
    QFETCH(QJsonObject, payload);
    createRoom(QStringLiteral("general"));
    NewEvent sent = event(QStringLiteral("general"));
    sent.payload = payload;
    const auto appended = m_storage->appendEvents({sent});
    QVERIFY(appended);
    QCOMPARE(appended->at(0).event.payload, payload);

    m_storage->close();
    m_storage = openStorage();
    QVERIFY(m_storage);
    const auto events = m_storage->eventsBefore(QStringLiteral("general"), std::nullopt, 1);
    QVERIFY(events);
    QCOMPARE(events->size(), 1);
    QCOMPARE(events->at(0).payload, payload);

    // Stored as compact JSON text, readable by any SQL tool.
    const QString text = m_backend.scalar(QStringLiteral("SELECT payload FROM events")).toString();
    QCOMPARE(text, QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact)));
}

void TestStorageContract::closedStorageFails()
{
    m_storage->close();
    m_storage->close(); // twice is harmless
    const auto found = m_storage->findUser(QStringLiteral("ada"));
    QVERIFY(!found);
    QCOMPARE(found.error().code, ErrorCode::Internal);
    const auto appended = m_storage->appendEvents({event(QStringLiteral("general"))});
    QVERIFY(!appended);
    QCOMPARE(appended.error().code, ErrorCode::Internal);
}

// documents and canvases

void TestStorageContract::documentUpdatesAndCompaction()
{
    createRoom(QStringLiteral("general"));
    createRoom(QStringLiteral("other"));
    const auto first =
        m_storage->appendDocumentUpdates({{QStringLiteral("general"), QByteArray("\x01\x00", 2)},
                                          {QStringLiteral("other"), QByteArray("o1")},
                                          {QStringLiteral("general"), QByteArray("\xff\x02", 2)}});
    QVERIFY2(first, errorText(first).constData());
    QCOMPARE(first->size(), 3);
    QVERIFY(first->at(0) < first->at(1) && first->at(1) < first->at(2)); // one sequence, not per room

    auto loaded = m_storage->loadDocument(QStringLiteral("general"));
    QVERIFY2(loaded, errorText(loaded).constData());
    QVERIFY(loaded->snapshot.isEmpty());
    QCOMPARE(loaded->snapshotThroughId, 0);
    QCOMPARE(loaded->updates.size(), 2);
    QCOMPARE(loaded->updates.at(0).id, first->at(0));
    QCOMPARE(loaded->updates.at(0).data, QByteArray("\x01\x00", 2)); // bytes, NUL included
    QCOMPARE(loaded->updates.at(1).data, QByteArray("\xff\x02", 2));

    // Compacting through the first update keeps the second; ids are never reused.
    QVERIFY(m_storage->compactDocument(QStringLiteral("general"), QByteArray("state-1"), first->at(0)));
    const auto later = m_storage->appendDocumentUpdates({{QStringLiteral("general"), QByteArray("u3")}});
    QVERIFY(later);
    QVERIFY(later->at(0) > first->at(2));
    loaded = m_storage->loadDocument(QStringLiteral("general"));
    QVERIFY(loaded);
    QCOMPARE(loaded->snapshot, QByteArray("state-1"));
    QCOMPARE(loaded->snapshotThroughId, first->at(0));
    QCOMPARE(loaded->updates.size(), 2);
    QCOMPARE(loaded->updates.at(0).id, first->at(2));
    QCOMPARE(loaded->updates.at(1).id, later->at(0));
    QCOMPARE(m_backend.scalar(QStringLiteral("SELECT count(*) FROM doc_updates WHERE room_id = 'general'"))
                 .toInt(),
             2);

    // The other room's document is its own; an unknown room's is empty.
    const auto other = m_storage->loadDocument(QStringLiteral("other"));
    QVERIFY(other);
    QCOMPARE(other->updates.size(), 1);
    const auto none = m_storage->loadDocument(QStringLiteral("nowhere"));
    QVERIFY(none);
    QVERIFY(none->snapshot.isEmpty() && none->updates.isEmpty());
}

void TestStorageContract::documentUpdatesToMissingRoomStoreNothing()
{
    createRoom(QStringLiteral("general"));
    const auto appended = m_storage->appendDocumentUpdates(
        {{QStringLiteral("general"), QByteArray("u1")}, {QStringLiteral("nowhere"), QByteArray("u2")}});
    QVERIFY(!appended);
    QCOMPARE(appended.error().code, ErrorCode::NotFound);
    QCOMPARE(m_storage->loadDocument(QStringLiteral("general"))->updates.size(), 0);
    QVERIFY(m_storage->appendDocumentUpdates({})->isEmpty());
}

void TestStorageContract::canvasSnapshotAndChanges()
{
    createRoom(QStringLiteral("general"));
    QList<NewEvent> batch;
    for (int i = 0; i < 4; ++i) {
        NewEvent change = event(QStringLiteral("general"));
        change.type = QStringLiteral("canvas:changed");
        change.payload =
            QJsonObject{{QStringLiteral("ops"), QJsonArray{QJsonObject{{QStringLiteral("n"), i}}}}};
        batch.append(change);
        batch.append(event(QStringLiteral("general"))); // chat in between is not part of the canvas
    }
    QVERIFY(m_storage->appendEvents(batch));

    auto canvas = m_storage->loadCanvas(QStringLiteral("general"));
    QVERIFY2(canvas, errorText(canvas).constData());
    QVERIFY(canvas->snapshot.isEmpty());
    QCOMPARE(seqsOf(canvas->changes), (QList<qint64>{1, 3, 5, 7}));
    QCOMPARE(canvas->changes.at(2).payload, batch.at(4).payload);

    const QJsonArray state{QJsonObject{{QStringLiteral("id"), QStringLiteral("shape-1")}}};
    QVERIFY(m_storage->saveCanvasSnapshot(QStringLiteral("general"), state, 3));
    canvas = m_storage->loadCanvas(QStringLiteral("general"));
    QVERIFY(canvas);
    QCOMPARE(canvas->snapshot, state);
    QCOMPARE(canvas->snapshotThroughSeq, 3);
    QCOMPARE(seqsOf(canvas->changes), (QList<qint64>{5, 7}));

    const auto page = m_storage->canvasChangesAfter(QStringLiteral("general"), 1, 2);
    QVERIFY(page);
    QCOMPARE(seqsOf(*page), (QList<qint64>{3, 5}));
    const auto negative = m_storage->canvasChangesAfter(QStringLiteral("general"), 0, -1);
    QVERIFY(!negative);
    QCOMPARE(negative.error().code, ErrorCode::BadRequest);
}

void TestStorageContract::canvasSnapshotNeverGoesBack()
{
    createRoom(QStringLiteral("general"));
    const QJsonArray newer{QJsonObject{{QStringLiteral("id"), QStringLiteral("newer")}}};
    const QJsonArray older{QJsonObject{{QStringLiteral("id"), QStringLiteral("older")}}};
    QVERIFY(m_storage->saveCanvasSnapshot(QStringLiteral("general"), newer, 9));
    // A slower writer that folded less must not replace the newer snapshot.
    QVERIFY(m_storage->saveCanvasSnapshot(QStringLiteral("general"), older, 4));
    const auto canvas = m_storage->loadCanvas(QStringLiteral("general"));
    QVERIFY(canvas);
    QCOMPARE(canvas->snapshot, newer);
    QCOMPARE(canvas->snapshotThroughSeq, 9);
}

void TestStorageContract::schemaIsRecorded()
{
    const qsizetype steps = storageSchemaSteps(SqlDialect::Sqlite).size();
    QCOMPARE(storageSchemaSteps(SqlDialect::Postgres).size(), steps); // the same logical schema
    const QString version = StorageBackend::IsPostgres
                                ? QStringLiteral("SELECT max(version) FROM schema_migrations")
                                : QStringLiteral("PRAGMA user_version");
    QCOMPARE(m_backend.scalar(version).toInt(), steps);
    // Opening again runs nothing twice.
    QVERIFY(openStorage());
    QCOMPARE(m_backend.scalar(version).toInt(), steps);
}

#ifdef TANDEM_STORAGE_BACKEND_POSTGRES
void TestStorageContract::unreachableServerFailsCleanly()
{
    // A port nobody listens on: open() fails with a typed error that names the
    // server (never the password) instead of crashing or hanging.
    const auto location = PostgresLocation::fromUrl(
        QStringLiteral("postgresql://tandem:secret-password@127.0.0.1:1/tandem?connect_timeout=5"));
    QVERIFY(location);
    PostgresStorage storage(*location, m_clock);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot connect to PostgreSQL")));
    const auto opened = storage.open();
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, ErrorCode::Internal);
    QVERIFY2(opened.error().message.contains(QStringLiteral("127.0.0.1:1/tandem")),
             qPrintable(opened.error().message));
    QVERIFY(!opened.error().message.contains(QStringLiteral("secret-password")));
    QVERIFY(!storage.isOpen());
    const auto found = storage.findUser(QStringLiteral("ada"));
    QVERIFY(!found);
    QCOMPARE(found.error().code, ErrorCode::Internal);
}

void TestStorageContract::newerSchemaIsRefused()
{
    const qsizetype steps = PostgresStorage::schemaSteps().size();
    QVERIFY(m_backend
                .scalar(QStringLiteral("INSERT INTO schema_migrations (version, applied_at) "
                                       "VALUES (%1, 'later') RETURNING version")
                            .arg(steps + 1))
                .isValid());
    m_storage.reset();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("written by a newer version")));
    auto storage = m_backend.create(m_clock);
    const auto opened = storage->open();
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, ErrorCode::Internal);
}

void TestStorageContract::badUrlsAreRefused_data()
{
    QTest::addColumn<QString>("url");
    QTest::addRow("not a URL") << QStringLiteral("tandem.db");
    QTest::addRow("mysql") << QStringLiteral("mysql://u@host/db");
    QTest::addRow("no database") << QStringLiteral("postgresql://u@host:5432/");
    QTest::addRow("no host") << QStringLiteral("postgresql:///db");
    QTest::addRow("space in option") << QStringLiteral("postgresql://u@host/db?options=-c%20x");
}

void TestStorageContract::badUrlsAreRefused()
{
    QFETCH(QString, url);
    const auto location = PostgresLocation::fromUrl(url);
    QVERIFY(!location);
    QCOMPARE(location.error().code, ErrorCode::BadRequest);
}

void TestStorageContract::urlIsParsed()
{
    const auto location = PostgresLocation::fromUrl(
        QStringLiteral("postgres://ad%40a:p%3Ass@db.example:6543/tandem?sslmode=require"));
    QVERIFY(location);
    QCOMPARE(location->host, QStringLiteral("db.example"));
    QCOMPARE(location->port, 6543);
    QCOMPARE(location->user, QStringLiteral("ad@a"));
    QCOMPARE(location->password, QStringLiteral("p:ss"));
    QCOMPARE(location->database, QStringLiteral("tandem"));
    QCOMPARE(location->options, QStringLiteral("sslmode=require;connect_timeout=10"));
    QVERIFY(!location->describe().contains(QStringLiteral("p:ss")));
}
#else
void TestStorageContract::openFailsWhenFolderCannotBeCreated()
{
    const QString blocker = m_backend.folder() + QStringLiteral("/a-file");
    QFile file(blocker);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    SqliteStorage storage(blocker + QStringLiteral("/sub/tandem.db"), m_clock);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot create the folder")));
    const auto opened = storage.open();
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, ErrorCode::Internal);
    QVERIFY(!storage.isOpen());
}
#endif

QTEST_GUILESS_MAIN(TestStorageContract)
#include "tst_storagecontract.moc"
