// LocalStore: the file is in WAL mode and migrated by user_version (a newer
// file is refused untouched); everything it caches survives close and reopen;
// entity versions and resume cursors only move forward; the mutation queue's
// rows keep every field, an in-flight row comes back queued, and localIds are
// never reused; transaction() is all-or-nothing and nests by joining.

#include "core/offline/LocalStore.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using tandem::offline::CachedMessage;
using tandem::offline::CachedRoom;
using tandem::offline::EntityState;
using tandem::offline::HlcTimestamp;
using tandem::offline::LocalStore;
using tandem::offline::Mutation;
using tandem::offline::MutationState;
using tandem::protocol::ErrorCode;
using tandem::protocol::Result;

namespace {

/// Why a call failed, for QVERIFY2.
template <typename T> const char *why(const Result<T> &result)
{
    static QByteArray text;
    text = result ? QByteArray() : result.error().message.toUtf8();
    return text.constData();
}

/// QVERIFY for a Result, with the error's message when it fails.
#define QVERIFY_OK(expression)                                                                               \
    do {                                                                                                     \
        const auto result_ = (expression);                                                                   \
        QVERIFY2(result_, why(result_));                                                                     \
    } while (false)

/// A plain Qt SQL connection to the same file, to see what is really on disk.
class RawConnection {
public:
    explicit RawConnection(const QString &path)
        : m_name(QUuid::createUuid().toString())
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        m_open = db.open();
    }
    ~RawConnection()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    RawConnection(const RawConnection &) = delete;
    RawConnection &operator=(const RawConnection &) = delete;

    bool isOpen() const { return m_open; }
    bool exec(const QString &sql)
    {
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        return query.exec(sql);
    }
    /// The first column of the first row, or an invalid QVariant.
    QVariant scalar(const QString &sql)
    {
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        if (!query.exec(sql) || !query.next())
            return {};
        return query.value(0);
    }

private:
    QString m_name;
    bool m_open = false;
};

HlcTimestamp stamp(qint64 wallMs, quint32 counter, quint64 nodeId)
{
    return HlcTimestamp{wallMs, counter, nodeId};
}

Mutation topicChange(const QString &cid, qint64 baseVersion, const QString &topic)
{
    Mutation mutation;
    mutation.cid = cid;
    mutation.roomId = QStringLiteral("general");
    mutation.entity = QStringLiteral("room");
    mutation.type = QStringLiteral("entity:patch");
    mutation.baseVersion = baseVersion;
    mutation.payload = {{QStringLiteral("patch"), QJsonObject{{QStringLiteral("topic"), topic}}}};
    mutation.createdAt = stamp(1'700'000'000'000 + baseVersion, 0, 0xada);
    return mutation;
}

QStringList cidsOf(const QList<Mutation> &mutations)
{
    QStringList cids;
    for (const Mutation &mutation : mutations)
        cids.append(mutation.cid);
    return cids;
}

QStringList roomIdsOf(const QList<CachedRoom> &rooms)
{
    QStringList ids;
    for (const CachedRoom &room : rooms)
        ids.append(room.roomId);
    return ids;
}

QList<qint64> seqsOf(const QList<CachedMessage> &messages)
{
    QList<qint64> seqs;
    for (const CachedMessage &message : messages)
        seqs.append(message.seq);
    return seqs;
}

CachedMessage message(const QString &roomId, qint64 seq)
{
    return {roomId,
            seq,
            QStringLiteral("%1-m%2").arg(roomId).arg(seq),
            QStringLiteral("ada"),
            QStringLiteral("text %1").arg(seq),
            QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7, static_cast<int>(seq % 1000)), Qt::UTC),
            QStringLiteral("cid-%1").arg(seq)};
}

} // namespace

class TestLocalStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();

    void opensInWalModeAtTheLastSchemaStep();
    void refusesAFileWrittenByANewerVersionUntouched();
    void reopensAMigratedFileWithoutRunningStepsAgain();

    void roomsMembersMessagesEntitiesAndCursorsSurviveReopen();
    void pagesMessagesOldestFirst();
    void saveEntityNeverMovesAVersionBackwards();
    void cursorOnlyMovesForward();
    void clearMessagesAlsoForgetsTheCursor();

    void mutationsKeepEveryFieldAcrossReopen();
    void inFlightMutationReadsBackAsQueued();
    void updateMutationWritesBackItsMutableFields();
    void deletedLocalIdsAreNeverReused();
    void aBatchWithADuplicateCidStoresNothing();

    void transactionRollsBackWhenTheBodyFails();
    void nestedTransactionJoinsTheOuterOne();
    void transactionOnAClosedStoreFails();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("sub/local.sqlite")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestLocalStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestLocalStore::opensInWalModeAtTheLastSchemaStep()
{
    LocalStore store(path());
    QVERIFY(!store.isOpen());
    QVERIFY(store.open()); // also creates the missing folder
    QVERIFY(store.isOpen());
    QCOMPARE(store.path(), path());

    RawConnection raw(path());
    QVERIFY(raw.isOpen());
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), LocalStore::schemaSteps().size());
    for (const char *table : {"meta", "rooms", "members", "messages", "entities", "cursors", "mutations"}) {
        QVERIFY2(raw.scalar(QStringLiteral(
                                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%1'")
                                .arg(QLatin1String(table)))
                         .toInt() == 1,
                 table);
    }
}

void TestLocalStore::refusesAFileWrittenByANewerVersionUntouched()
{
    QVERIFY(QDir().mkpath(m_dir->filePath(QStringLiteral("sub"))));
    const int newer = static_cast<int>(LocalStore::schemaSteps().size()) + 1;
    {
        RawConnection raw(path());
        QVERIFY(raw.isOpen());
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE future (x INTEGER)")));
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO future VALUES (42)")));
        QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = %1").arg(newer)));
    }

    LocalStore store(path());
    const Result<void> opened = store.open();
    QVERIFY(!opened);
    QVERIFY2(opened.error().message.contains(QLatin1String("newer")), qPrintable(opened.error().message));
    QVERIFY(!store.isOpen());
    QVERIFY(!store.setMeta(QStringLiteral("k"), QStringLiteral("v"))); // a refused store writes nothing

    RawConnection raw(path());
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), newer);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT x FROM future")).toInt(), 42);
    QCOMPARE(
        raw.scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = 'mutations'")).toInt(), 0);
}

void TestLocalStore::reopensAMigratedFileWithoutRunningStepsAgain()
{
    {
        LocalStore store(path());
        QVERIFY(store.open());
        QVERIFY(store.setMeta(QStringLiteral("userId"), QStringLiteral("ada")));
        QVERIFY(store.setMeta(QStringLiteral("userId"), QStringLiteral("ada2"))); // upsert
    }
    LocalStore store(path());
    QVERIFY(store.open()); // CREATE TABLE again would fail: the steps are skipped
    const auto value = store.meta(QStringLiteral("userId"));
    QVERIFY(value);
    QCOMPARE(*value, std::optional<QString>(QStringLiteral("ada2")));
    const auto missing = store.meta(QStringLiteral("nothing"));
    QVERIFY(missing);
    QVERIFY(!missing->has_value());
}

void TestLocalStore::roomsMembersMessagesEntitiesAndCursorsSurviveReopen()
{
    EntityState topic;
    topic.roomId = QStringLiteral("general");
    topic.entity = QStringLiteral("room");
    topic.version = 4;
    topic.value = {{QStringLiteral("topic"), QStringLiteral("Release planning")}};
    topic.updatedBy = QStringLiteral("bob");
    topic.updatedAt = QDateTime(QDate(2026, 5, 6), QTime(7, 8, 9, 123), Qt::UTC);
    topic.hlc = stamp(1'780'000'000'000, 3, 0xb0b).toString();
    EntityState edited = topic;
    edited.entity = QStringLiteral("message/m1");
    edited.version = 2;
    edited.value = {{QStringLiteral("text"), QStringLiteral("fixed typo")}};
    edited.hlc.clear();
    {
        LocalStore store(path());
        QVERIFY(store.open());
        QVERIFY(store.saveRoom({QStringLiteral("general"), false}));
        QVERIFY(store.saveRoom({QStringLiteral("secret"), true}));
        QVERIFY(store.saveMembers(QStringLiteral("general"), {QStringLiteral("bob"), QStringLiteral("ada")}));
        QVERIFY(store.saveMembers(QStringLiteral("general"), {QStringLiteral("ada")})); // no duplicate
        QVERIFY(store.saveMessages(
            {message(QStringLiteral("general"), 1), message(QStringLiteral("general"), 2)}));
        QVERIFY(store.saveEntity(topic));
        QVERIFY(store.saveEntity(edited));
        QVERIFY(store.setCursor(QStringLiteral("general"), 2));
        store.close();
        QVERIFY(!store.isOpen());
    }

    LocalStore store(path());
    QVERIFY(store.open());
    const auto rooms = store.rooms();
    QVERIFY(rooms);
    QCOMPARE(roomIdsOf(*rooms), (QStringList{QStringLiteral("general"), QStringLiteral("secret")}));
    QCOMPARE(rooms->at(0).isPrivate, false);
    QCOMPARE(rooms->at(1).isPrivate, true);

    const auto members = store.members(QStringLiteral("general"));
    QVERIFY(members);
    QCOMPARE(*members, (QStringList{QStringLiteral("ada"), QStringLiteral("bob")}));

    const auto messages = store.newestMessages(QStringLiteral("general"), 10);
    QVERIFY(messages);
    QCOMPARE(messages->size(), 2);
    const CachedMessage expected = message(QStringLiteral("general"), 2);
    const CachedMessage &actual = messages->at(1);
    QCOMPARE(actual.roomId, expected.roomId);
    QCOMPARE(actual.seq, expected.seq);
    QCOMPARE(actual.id, expected.id);
    QCOMPARE(actual.userId, expected.userId);
    QCOMPARE(actual.text, expected.text);
    QCOMPARE(actual.timestamp, expected.timestamp);
    QCOMPARE(actual.cid, expected.cid);

    const auto entities = store.entities();
    QVERIFY(entities);
    QCOMPARE(entities->size(), 2);
    // Ordered by (room, entity): "message/m1" before "room".
    QCOMPARE(entities->at(0).toJson(), edited.toJson());
    const EntityState &reloaded = entities->at(1);
    QCOMPARE(reloaded.roomId, topic.roomId);
    QCOMPARE(reloaded.entity, topic.entity);
    QCOMPARE(reloaded.version, topic.version);
    QCOMPARE(reloaded.value, topic.value);
    QCOMPARE(reloaded.updatedBy, topic.updatedBy);
    QCOMPARE(reloaded.updatedAt, topic.updatedAt);
    QCOMPARE(reloaded.hlc, topic.hlc);

    const auto cursor = store.cursor(QStringLiteral("general"));
    QVERIFY(cursor);
    QCOMPARE(*cursor, std::optional<qint64>(2));
    const auto noCursor = store.cursor(QStringLiteral("secret"));
    QVERIFY(noCursor);
    QVERIFY(!noCursor->has_value());
}

void TestLocalStore::pagesMessagesOldestFirst()
{
    LocalStore store(path());
    QVERIFY(store.open());
    QList<CachedMessage> messages;
    for (qint64 seq = 1; seq <= 7; ++seq)
        messages.append(message(QStringLiteral("general"), seq));
    messages.append(message(QStringLiteral("other"), 100));
    QVERIFY(store.saveMessages(messages));
    // The same seq again is ignored: history is append-only.
    CachedMessage again = message(QStringLiteral("general"), 7);
    again.text = QStringLiteral("rewritten");
    QVERIFY(store.saveMessages({again}));

    const auto newest = store.newestMessages(QStringLiteral("general"), 3);
    QVERIFY(newest);
    QCOMPARE(seqsOf(*newest), (QList<qint64>{5, 6, 7}));
    QCOMPARE(newest->last().text, QStringLiteral("text 7"));
    const auto before = store.messagesBefore(QStringLiteral("general"), 5, 3);
    QVERIFY(before);
    QCOMPARE(seqsOf(*before), (QList<qint64>{2, 3, 4}));
    const auto first = store.messagesBefore(QStringLiteral("general"), 2, 3);
    QVERIFY(first);
    QCOMPARE(seqsOf(*first), (QList<qint64>{1}));
}

void TestLocalStore::saveEntityNeverMovesAVersionBackwards()
{
    LocalStore store(path());
    QVERIFY(store.open());
    EntityState state;
    state.roomId = QStringLiteral("general");
    state.entity = QStringLiteral("room");
    const auto storedTopic = [&]() -> QString {
        const auto entities = store.entities();
        if (!entities || entities->size() != 1)
            return QStringLiteral("<%1 entities>").arg(entities ? entities->size() : -1);
        return QStringLiteral("v%1 %2")
            .arg(entities->first().version)
            .arg(entities->first().value.value(QLatin1String("topic")).toString());
    };

    state.version = 3;
    state.value = {{QStringLiteral("topic"), QStringLiteral("three")}};
    QVERIFY(store.saveEntity(state));
    QCOMPARE(storedTopic(), QStringLiteral("v3 three"));

    state.version = 2; // a late event
    state.value = {{QStringLiteral("topic"), QStringLiteral("two")}};
    QVERIFY(store.saveEntity(state));
    QCOMPARE(storedTopic(), QStringLiteral("v3 three"));

    state.version = 3; // a replay of the same version does not overwrite either
    state.value = {{QStringLiteral("topic"), QStringLiteral("other three")}};
    QVERIFY(store.saveEntity(state));
    QCOMPARE(storedTopic(), QStringLiteral("v3 three"));

    state.version = 4;
    state.value = {{QStringLiteral("topic"), QStringLiteral("four")}};
    QVERIFY(store.saveEntity(state));
    QCOMPARE(storedTopic(), QStringLiteral("v4 four"));
}

void TestLocalStore::cursorOnlyMovesForward()
{
    LocalStore store(path());
    QVERIFY(store.open());
    const auto cursorOf = [&](const QString &room) {
        const auto cursor = store.cursor(room);
        return cursor && cursor->has_value() ? **cursor : qint64(-1);
    };
    QVERIFY(store.setCursor(QStringLiteral("general"), 10));
    QCOMPARE(cursorOf(QStringLiteral("general")), 10);
    QVERIFY(store.setCursor(QStringLiteral("general"), 5));
    QCOMPARE(cursorOf(QStringLiteral("general")), 10);
    QVERIFY(store.setCursor(QStringLiteral("general"), 12));
    QCOMPARE(cursorOf(QStringLiteral("general")), 12);
    QVERIFY(store.setCursor(QStringLiteral("other"), 1)); // per room
    QCOMPARE(cursorOf(QStringLiteral("other")), 1);
    QCOMPARE(cursorOf(QStringLiteral("general")), 12);
}

void TestLocalStore::clearMessagesAlsoForgetsTheCursor()
{
    LocalStore store(path());
    QVERIFY(store.open());
    QVERIFY(store.saveMessages({message(QStringLiteral("general"), 1), message(QStringLiteral("general"), 2),
                                message(QStringLiteral("other"), 1)}));
    QVERIFY(store.setCursor(QStringLiteral("general"), 2));
    QVERIFY(store.setCursor(QStringLiteral("other"), 1));

    QVERIFY(store.clearMessages(QStringLiteral("general")));
    const auto cleared = store.newestMessages(QStringLiteral("general"), 10);
    QVERIFY(cleared);
    QVERIFY(cleared->isEmpty());
    const auto cursor = store.cursor(QStringLiteral("general"));
    QVERIFY(cursor);
    QVERIFY(!cursor->has_value());
    // A cursor set again after the reload may be lower than the forgotten one.
    QVERIFY(store.setCursor(QStringLiteral("general"), 1));
    QCOMPARE(store.cursor(QStringLiteral("general")).value(), std::optional<qint64>(1));

    const auto untouched = store.newestMessages(QStringLiteral("other"), 10);
    QVERIFY(untouched);
    QCOMPARE(untouched->size(), 1);
    QCOMPARE(store.cursor(QStringLiteral("other")).value(), std::optional<qint64>(1));
}

void TestLocalStore::mutationsKeepEveryFieldAcrossReopen()
{
    Mutation chat;
    chat.cid = QStringLiteral("c-chat");
    chat.roomId = QStringLiteral("general");
    chat.entity = tandem::offline::chatEntity();
    chat.type = QStringLiteral("chat:send");
    chat.payload = {{QStringLiteral("text"), QStringLiteral("hello \u00e9\U0001F600")}};
    chat.createdAt = stamp(1'780'000'000'001, 7, 0xada);

    Mutation conflicted = topicChange(QStringLiteral("c-topic"), 5, QStringLiteral("mine"));
    conflicted.baseValue = {{QStringLiteral("topic"), QStringLiteral("base")}};
    conflicted.state = MutationState::Conflicted;
    conflicted.reason = QStringLiteral("room changed since version 5");
    conflicted.current = {
        {QStringLiteral("roomId"), QStringLiteral("general")},
        {QStringLiteral("entity"), QStringLiteral("room")},
        {QStringLiteral("version"), 6},
        {QStringLiteral("value"), QJsonObject{{QStringLiteral("topic"), QStringLiteral("theirs")}}}};
    conflicted.retries = 3;

    Mutation failed = topicChange(QStringLiteral("c-failed"), 1, QStringLiteral("x"));
    failed.entity = QStringLiteral("message/m1");
    failed.state = MutationState::Failed;
    failed.reason = QStringLiteral("forbidden");

    QList<Mutation> written{chat, conflicted, failed};
    {
        LocalStore store(path());
        QVERIFY(store.open());
        QVERIFY_OK(store.insertMutations(written));
    }
    QVERIFY(written.at(0).localId > 0);
    QVERIFY(written.at(0).localId < written.at(1).localId);
    QVERIFY(written.at(1).localId < written.at(2).localId);

    LocalStore store(path());
    QVERIFY(store.open());
    const auto read = store.mutations();
    QVERIFY(read);
    QCOMPARE(read->size(), written.size());
    for (qsizetype i = 0; i < written.size(); ++i) {
        const Mutation &expected = written.at(i);
        const Mutation &actual = read->at(i);
        QCOMPARE(actual.localId, expected.localId);
        QCOMPARE(actual.cid, expected.cid);
        QCOMPARE(actual.roomId, expected.roomId);
        QCOMPARE(actual.entity, expected.entity);
        QCOMPARE(actual.type, expected.type);
        QCOMPARE(actual.baseVersion, expected.baseVersion);
        QCOMPARE(actual.payload, expected.payload);
        QCOMPARE(actual.baseValue, expected.baseValue);
        QVERIFY(actual.createdAt == expected.createdAt);
        QCOMPARE(actual.state, expected.state);
        QCOMPARE(actual.reason, expected.reason);
        QCOMPARE(actual.current, expected.current);
        QCOMPARE(actual.retries, expected.retries);
    }
    QVERIFY(read->at(0).isChat());
    QVERIFY(!read->at(1).isChat());
}

void TestLocalStore::inFlightMutationReadsBackAsQueued()
{
    LocalStore store(path());
    QVERIFY(store.open());
    Mutation inFlight = topicChange(QStringLiteral("c-1"), 1, QStringLiteral("a"));
    inFlight.state = MutationState::InFlight;
    QList<Mutation> batch{inFlight};
    QVERIFY_OK(store.insertMutations(batch));
    // Also when it was written back while in flight.
    batch.first().payload = {
        {QStringLiteral("patch"), QJsonObject{{QStringLiteral("topic"), QStringLiteral("b")}}}};
    QVERIFY(store.updateMutation(batch.first()));
    store.close();

    QVERIFY(store.open());
    const auto read = store.mutations();
    QVERIFY(read);
    QCOMPARE(read->size(), 1);
    QCOMPARE(read->first().state, MutationState::Queued);
    QCOMPARE(read->first().payload, batch.first().payload);
}

void TestLocalStore::updateMutationWritesBackItsMutableFields()
{
    LocalStore store(path());
    QVERIFY(store.open());
    QList<Mutation> batch{topicChange(QStringLiteral("c-1"), 1, QStringLiteral("a"))};
    QVERIFY_OK(store.insertMutations(batch));
    Mutation changed = batch.first();
    changed.baseVersion = 9;
    changed.payload = {
        {QStringLiteral("patch"), QJsonObject{{QStringLiteral("topic"), QStringLiteral("z")}}}};
    changed.state = MutationState::Failed;
    changed.reason = QStringLiteral("too large");
    changed.current = {{QStringLiteral("version"), 9}};
    changed.retries = 2;
    // Identity fields are not written back.
    changed.cid = QStringLiteral("c-other");
    changed.entity = QStringLiteral("document");
    QVERIFY(store.updateMutation(changed));

    const auto read = store.mutations();
    QVERIFY(read);
    QCOMPARE(read->size(), 1);
    const Mutation &actual = read->first();
    QCOMPARE(actual.baseVersion, 9);
    QCOMPARE(actual.payload, changed.payload);
    QCOMPARE(actual.state, MutationState::Failed);
    QCOMPARE(actual.reason, changed.reason);
    QCOMPARE(actual.current, changed.current);
    QCOMPARE(actual.retries, 2);
    QCOMPARE(actual.cid, QStringLiteral("c-1"));
    QCOMPARE(actual.entity, QStringLiteral("room"));
}

void TestLocalStore::deletedLocalIdsAreNeverReused()
{
    qint64 newest = 0;
    {
        LocalStore store(path());
        QVERIFY(store.open());
        QList<Mutation> batch{topicChange(QStringLiteral("c-1"), 1, QStringLiteral("a")),
                              topicChange(QStringLiteral("c-2"), 2, QStringLiteral("b")),
                              topicChange(QStringLiteral("c-3"), 3, QStringLiteral("c"))};
        QVERIFY_OK(store.insertMutations(batch));
        newest = batch.last().localId;
        QVERIFY(store.deleteMutation(newest)); // the newest row: plain rowids would hand its id out again
        QList<Mutation> next{topicChange(QStringLiteral("c-4"), 4, QStringLiteral("d"))};
        QVERIFY_OK(store.insertMutations(next));
        QCOMPARE(next.first().localId, newest + 1);
        newest = next.first().localId;
        QVERIFY(store.deleteMutation(newest));
    }
    LocalStore store(path());
    QVERIFY(store.open());
    QList<Mutation> afterReopen{topicChange(QStringLiteral("c-5"), 5, QStringLiteral("e"))};
    QVERIFY_OK(store.insertMutations(afterReopen));
    QCOMPARE(afterReopen.first().localId, newest + 1);
    const auto read = store.mutations();
    QVERIFY(read);
    QCOMPARE(cidsOf(*read),
             (QStringList{QStringLiteral("c-1"), QStringLiteral("c-2"), QStringLiteral("c-5")}));
}

void TestLocalStore::aBatchWithADuplicateCidStoresNothing()
{
    LocalStore store(path());
    QVERIFY(store.open());
    QList<Mutation> first{topicChange(QStringLiteral("c-1"), 1, QStringLiteral("a"))};
    QVERIFY_OK(store.insertMutations(first));
    QList<Mutation> batch{topicChange(QStringLiteral("c-2"), 2, QStringLiteral("b")),
                          topicChange(QStringLiteral("c-1"), 3, QStringLiteral("c"))};
    QVERIFY(!store.insertMutations(batch));
    const auto read = store.mutations();
    QVERIFY(read);
    QCOMPARE(cidsOf(*read), QStringList{QStringLiteral("c-1")});
}

void TestLocalStore::transactionRollsBackWhenTheBodyFails()
{
    LocalStore store(path());
    QVERIFY(store.open());
    const Result<void> result = store.transaction([&]() -> Result<void> {
        if (Result<void> saved = store.saveRoom({QStringLiteral("general"), false}); !saved)
            return saved;
        if (Result<void> saved = store.setCursor(QStringLiteral("general"), 3); !saved)
            return saved;
        return tandem::protocol::fail(ErrorCode::Internal, QStringLiteral("disk on fire"));
    });
    QVERIFY(!result);
    QVERIFY2(result.error().message.contains(QLatin1String("disk on fire")),
             qPrintable(result.error().message));
    QCOMPARE(store.rooms().value().size(), 0);
    QVERIFY(!store.cursor(QStringLiteral("general")).value().has_value());

    // The store is usable afterwards, and a body that succeeds commits.
    QVERIFY(store.transaction([&] { return store.saveRoom({QStringLiteral("general"), false}); }));
    LocalStore reader(path());
    QVERIFY(reader.open());
    QCOMPARE(roomIdsOf(reader.rooms().value()), QStringList{QStringLiteral("general")});
}

void TestLocalStore::nestedTransactionJoinsTheOuterOne()
{
    LocalStore store(path());
    QVERIFY(store.open());
    LocalStore reader(path()); // another connection sees only what is committed
    QVERIFY(reader.open());

    int roomsSeenByReaderAfterInner = -1;
    Result<void> result = store.transaction([&]() -> Result<void> {
        if (Result<void> saved = store.saveRoom({QStringLiteral("outer"), false}); !saved)
            return saved;
        // saveMembers is a transaction of its own: nested here, it must not commit.
        if (Result<void> inner = store.transaction(
                [&] { return store.saveMembers(QStringLiteral("outer"), {QStringLiteral("ada")}); });
            !inner)
            return inner;
        roomsSeenByReaderAfterInner = static_cast<int>(reader.rooms().value().size());
        return tandem::protocol::fail(ErrorCode::Internal,
                                      QStringLiteral("outer fails after the inner succeeded"));
    });
    QVERIFY(!result);
    QCOMPARE(roomsSeenByReaderAfterInner, 0);
    QCOMPARE(reader.members(QStringLiteral("outer")).value().size(), 0);
    QCOMPARE(store.members(QStringLiteral("outer")).value().size(), 0);
    QCOMPARE(store.rooms().value().size(), 0);

    // When both succeed, both writes land together.
    result = store.transaction([&]() -> Result<void> {
        if (Result<void> saved = store.saveRoom({QStringLiteral("outer"), false}); !saved)
            return saved;
        return store.transaction(
            [&] { return store.saveMembers(QStringLiteral("outer"), {QStringLiteral("ada")}); });
    });
    QVERIFY(result);
    QCOMPARE(reader.rooms().value().size(), 1);
    QCOMPARE(reader.members(QStringLiteral("outer")).value(), QStringList{QStringLiteral("ada")});
}

void TestLocalStore::transactionOnAClosedStoreFails()
{
    LocalStore store(path());
    bool ran = false;
    QVERIFY(!store.transaction([&]() -> Result<void> {
        ran = true;
        return {};
    }));
    QVERIFY(!ran);
}

QTEST_GUILESS_MAIN(TestLocalStore)
#include "tst_localstore.moc"
