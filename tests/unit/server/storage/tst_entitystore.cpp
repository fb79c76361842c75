// Versioned entities in the store (on SQLite as tst_entitystore, on PostgreSQL
// as tst_postgresentitystore; see StorageBackend.h): the version check and the write share
// the event's transaction, a stale base is a conflict carrying the current
// state, a retried cid is answered with the original even when its base is
// now stale, and a refused write stores nothing and costs no seq.
#include "tests/unit/server/storage/ResultText.h"
#include "tests/unit/server/storage/StorageBackend.h"

#include <QTest>

using namespace tandem::server;
using tandem::ManualClock;
using tandem::protocol::EntityKey;
using tandem::protocol::EntityKind;
using tandem::protocol::ErrorCode;

class TestEntityStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void cleanupTestCase();
    void unwrittenRoomEntityIsVersionZero();
    void writeBumpsVersionAndStoresEvent();
    void staleBaseIsConflictWithCurrentState();
    void retriedCidGetsOriginalEvenWhenStale();
    void refusedWriteCostsNoSeqAndSparesTheBatch();
    void messageStartsAtVersionOneWithItsText();
    void missingMessageIsNotFound();
    void authorizerCanRefuse();
    void deleteDropsTheText();
    void entitiesSurviveReopen();
    void writeWithoutHlcIsStored();

private:
    NewEvent patch(const EntityKey &entity, qint64 baseVersion, const QJsonObject &fields, const QString &cid,
                   const QString &userId = QStringLiteral("ada"));
    StoredEvent sendChat(const QString &text, const QString &userId = QStringLiteral("ada"));
    AppendResult appendOne(const NewEvent &event);

    StorageBackend m_backend;
    ManualClock m_clock;
    std::unique_ptr<SqlStorage> m_storage;
    int m_nextId = 0;
};

void TestEntityStore::init()
{
    QVERIFY2(m_backend.reset(), qPrintable(m_backend.error()));
    m_storage = m_backend.open(m_clock);
    QVERIFY(m_storage);
    QVERIFY(m_storage->createRoom(QStringLiteral("general"), QStringLiteral("ada"), false));
}

void TestEntityStore::cleanup()
{
    m_storage.reset();
    m_backend.closeRaw();
}

void TestEntityStore::cleanupTestCase()
{
    StorageBackend::shutdown();
}

NewEvent TestEntityStore::patch(const EntityKey &entity, qint64 baseVersion, const QJsonObject &fields,
                                const QString &cid, const QString &userId)
{
    NewEvent event;
    event.roomId = QStringLiteral("general");
    event.id = QStringLiteral("event-%1").arg(++m_nextId);
    event.type = QStringLiteral("entity:changed");
    event.userId = userId;
    event.cid = cid;
    event.ts = m_clock.nowUtc();
    event.entityWrite = EntityWrite{entity, baseVersion, fields, QStringLiteral("hlc-%1").arg(m_nextId), {}};
    return event;
}

StoredEvent TestEntityStore::sendChat(const QString &text, const QString &userId)
{
    NewEvent event;
    event.roomId = QStringLiteral("general");
    event.id = QStringLiteral("message-%1").arg(++m_nextId);
    event.type = QStringLiteral("chat:message");
    event.userId = userId;
    event.ts = m_clock.nowUtc();
    event.payload = {{QStringLiteral("text"), text}};
    return appendOne(event).event;
}

AppendResult TestEntityStore::appendOne(const NewEvent &event)
{
    const auto results = m_storage->appendEvents({event});
    if (!results || results->size() != 1) {
        qWarning() << "append failed:" << (results ? QString() : results.error().message);
        return {};
    }
    return results->first();
}

void TestEntityStore::unwrittenRoomEntityIsVersionZero()
{
    const auto room = m_storage->findEntity(QStringLiteral("general"), EntityKey{EntityKind::Room, {}});
    QVERIFY2(room, errorText(room).constData());
    QCOMPARE(room->version, 0);
    QVERIFY(room->value.isEmpty());
    QCOMPARE(room->entity, QStringLiteral("room"));
}

void TestEntityStore::writeBumpsVersionAndStoresEvent()
{
    const AppendResult result =
        appendOne(patch(EntityKey{EntityKind::Room, {}}, 0, {{QStringLiteral("topic"), QStringLiteral("Q3")}},
                        QStringLiteral("c1")));
    QVERIFY(!result.rejected);
    QCOMPARE(result.event.seq, 1);
    QCOMPARE(result.event.payload.value(QLatin1String("version")).toInteger(), 1);
    QCOMPARE(result.event.payload.value(QLatin1String("value")).toObject().value(QLatin1String("topic")),
             QJsonValue(QStringLiteral("Q3")));

    const auto stored = m_storage->findEntity(QStringLiteral("general"), EntityKey{EntityKind::Room, {}});
    QVERIFY(stored);
    QCOMPARE(stored->version, 1);
    QCOMPARE(stored->updatedBy, QStringLiteral("ada"));
    QCOMPARE(stored->hlc, result.event.payload.value(QLatin1String("hlc")).toString());
    const auto log = m_storage->eventsAfter(QStringLiteral("general"), 0, 10);
    QVERIFY(log);
    QCOMPARE(log->size(), 1);
    QCOMPARE(log->first().payload, result.event.payload);
}

void TestEntityStore::staleBaseIsConflictWithCurrentState()
{
    const EntityKey room{EntityKind::Room, {}};
    QVERIFY(!appendOne(patch(room, 0, {{QStringLiteral("topic"), QStringLiteral("theirs")}},
                             QStringLiteral("c1"), QStringLiteral("bob")))
                 .rejected);
    const AppendResult mine =
        appendOne(patch(room, 0, {{QStringLiteral("topic"), QStringLiteral("mine")}}, QStringLiteral("c2")));
    QVERIFY(mine.rejected);
    QCOMPARE(mine.rejected->code, ErrorCode::Conflict);
    QVERIFY(mine.current);
    QCOMPARE(mine.current->version, 1);
    QCOMPARE(mine.current->updatedBy, QStringLiteral("bob"));
    QCOMPARE(mine.current->value.value(QLatin1String("topic")), QJsonValue(QStringLiteral("theirs")));
}

void TestEntityStore::retriedCidGetsOriginalEvenWhenStale()
{
    const EntityKey room{EntityKind::Room, {}};
    const AppendResult first =
        appendOne(patch(room, 0, {{QStringLiteral("topic"), QStringLiteral("once")}}, QStringLiteral("c1")));
    // The ack was lost; the client replays the same mutation, whose base is now stale.
    const AppendResult retry =
        appendOne(patch(room, 0, {{QStringLiteral("topic"), QStringLiteral("once")}}, QStringLiteral("c1")));
    QVERIFY(!retry.rejected);
    QVERIFY(retry.duplicate);
    QCOMPARE(retry.event.seq, first.event.seq);
    QCOMPARE(retry.event.payload, first.event.payload);
    const auto stored = m_storage->findEntity(QStringLiteral("general"), room);
    QCOMPARE(stored->version, 1);
}

void TestEntityStore::refusedWriteCostsNoSeqAndSparesTheBatch()
{
    const EntityKey room{EntityKind::Room, {}};
    const auto results = m_storage->appendEvents(
        {patch(room, 0, {{QStringLiteral("topic"), QStringLiteral("a")}}, QStringLiteral("c1")),
         patch(room, 0, {{QStringLiteral("topic"), QStringLiteral("stale")}}, QStringLiteral("c2")),
         patch(room, 1, {{QStringLiteral("topic"), QStringLiteral("b")}}, QStringLiteral("c3"))});
    QVERIFY2(results, errorText(results).constData());
    QCOMPARE(results->size(), 3);
    QVERIFY(!results->at(0).rejected);
    QVERIFY(results->at(1).rejected);
    QVERIFY(!results->at(2).rejected);
    QCOMPARE(results->at(0).event.seq, 1);
    QCOMPARE(results->at(2).event.seq, 2); // no gap where the refused write was
    const auto room2 = m_storage->findRoom(QStringLiteral("general"));
    QCOMPARE((*room2)->lastSeq, 2);
    // The refused cid was not consumed: it can be sent again, rebased.
    const AppendResult rebased =
        appendOne(patch(room, 2, {{QStringLiteral("topic"), QStringLiteral("stale")}}, QStringLiteral("c2")));
    QVERIFY(!rebased.rejected);
    QVERIFY(!rebased.duplicate);
    QCOMPARE(rebased.event.payload.value(QLatin1String("version")).toInteger(), 3);
}

void TestEntityStore::messageStartsAtVersionOneWithItsText()
{
    const StoredEvent message = sendChat(QStringLiteral("helo"));
    const EntityKey key = EntityKey::message(message.id);
    const auto initial = m_storage->findEntity(QStringLiteral("general"), key);
    QVERIFY2(initial, errorText(initial).constData());
    QCOMPARE(initial->version, 1);
    QCOMPARE(initial->value.value(QLatin1String("text")), QJsonValue(QStringLiteral("helo")));

    const AppendResult edited =
        appendOne(patch(key, 1, {{QStringLiteral("text"), QStringLiteral("hello")}}, QStringLiteral("e1")));
    QVERIFY(!edited.rejected);
    QCOMPARE(edited.event.payload.value(QLatin1String("version")).toInteger(), 2);
    QCOMPARE(m_storage->findEntity(QStringLiteral("general"), key)->value.value(QLatin1String("text")),
             QJsonValue(QStringLiteral("hello")));
}

void TestEntityStore::missingMessageIsNotFound()
{
    const AppendResult result =
        appendOne(patch(EntityKey::message(QStringLiteral("nope")), 1,
                        {{QStringLiteral("text"), QStringLiteral("x")}}, QStringLiteral("e1")));
    QVERIFY(result.rejected);
    QCOMPARE(result.rejected->code, ErrorCode::NotFound);
    QCOMPARE(m_storage->findEntity(QStringLiteral("general"), EntityKey::message(QStringLiteral("nope")))
                 .error()
                 .code,
             ErrorCode::NotFound);
}

void TestEntityStore::authorizerCanRefuse()
{
    const StoredEvent message = sendChat(QStringLiteral("mine"), QStringLiteral("bob"));
    NewEvent event = patch(EntityKey::message(message.id), 1, {{QStringLiteral("text"), QStringLiteral("x")}},
                           QStringLiteral("e1"), QStringLiteral("eve"));
    QString seenAuthor;
    QString seenOwner;
    event.entityWrite->authorize = [&](const EntityState &, const QString &author,
                                       const QString &owner) -> tandem::protocol::Result<void> {
        seenAuthor = author;
        seenOwner = owner;
        return tandem::protocol::fail(ErrorCode::Forbidden, QStringLiteral("not yours"));
    };
    const AppendResult result = appendOne(event);
    QVERIFY(result.rejected);
    QCOMPARE(result.rejected->code, ErrorCode::Forbidden);
    QCOMPARE(seenAuthor, QStringLiteral("bob"));
    QCOMPARE(seenOwner, QStringLiteral("ada"));
    QCOMPARE(m_storage->findEntity(QStringLiteral("general"), EntityKey::message(message.id))->version, 1);
}

void TestEntityStore::deleteDropsTheText()
{
    const StoredEvent message = sendChat(QStringLiteral("secret"));
    const AppendResult deleted = appendOne(
        patch(EntityKey::message(message.id), 1, {{QStringLiteral("deleted"), true}}, QStringLiteral("d1")));
    QVERIFY(!deleted.rejected);
    const QJsonObject value = deleted.event.payload.value(QLatin1String("value")).toObject();
    QCOMPARE(value.value(QLatin1String("deleted")), QJsonValue(true));
    QVERIFY(!value.contains(QLatin1String("text")));
}

void TestEntityStore::entitiesSurviveReopen()
{
    const EntityKey document{EntityKind::Document, {}};
    QVERIFY(!appendOne(patch(document, 0, {{QStringLiteral("title"), QStringLiteral("Plan")}},
                             QStringLiteral("t1")))
                 .rejected);
    m_storage->close();
    QVERIFY(m_storage->open());
    const auto stored = m_storage->findEntity(QStringLiteral("general"), document);
    QVERIFY(stored);
    QCOMPARE(stored->version, 1);
    QCOMPARE(stored->value.value(QLatin1String("title")), QJsonValue(QStringLiteral("Plan")));
}

void TestEntityStore::writeWithoutHlcIsStored()
{
    // REST clients and old peers send no clock stamp.
    NewEvent event = patch(EntityKey{EntityKind::Room, {}}, 0,
                           {{QStringLiteral("topic"), QStringLiteral("t")}}, QStringLiteral("n1"));
    event.entityWrite->hlc = QString();
    const AppendResult result = appendOne(event);
    QVERIFY(!result.rejected);
    QCOMPARE(result.event.seq, 1);
    const auto stored = m_storage->findEntity(QStringLiteral("general"), EntityKey{EntityKind::Room, {}});
    QCOMPARE(stored->version, 1);
    QVERIFY(stored->hlc.isEmpty());
}

QTEST_GUILESS_MAIN(TestEntityStore)
#include "tst_entitystore.moc"
