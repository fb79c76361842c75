// EntityCache: the user sees the confirmed state with their queued and
// in-flight changes on top, in order; failed and conflicted changes are
// rolled back; a remote state that arrives while a local change is unsettled
// is held and applied after it, never under it; older versions are ignored;
// confirmed state is cached on disk and loaded back.

#include "core/offline/EntityCache.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using tandem::ManualClock;
using tandem::offline::chatEntity;
using tandem::offline::EntityCache;
using tandem::offline::EntityState;
using tandem::offline::HybridLogicalClock;
using tandem::offline::LocalStore;
using tandem::offline::Mutation;
using tandem::offline::MutationQueue;

namespace {

const QString Room = QStringLiteral("general");
const QString Topic = QStringLiteral("room");

EntityState state(qint64 version, const QString &topic, const QString &by = QStringLiteral("bob"),
                  const QString &entity = Topic)
{
    EntityState state;
    state.roomId = Room;
    state.entity = entity;
    state.version = version;
    state.value = {{QStringLiteral("topic"), topic}};
    state.updatedBy = by;
    state.updatedAt = QDateTime(QDate(2026, 2, 3), QTime(4, 5, 6), Qt::UTC);
    return state;
}

Mutation topicChange(qint64 baseVersion, const QString &topic)
{
    Mutation mutation;
    mutation.roomId = Room;
    mutation.entity = Topic;
    mutation.type = QStringLiteral("entity:patch");
    mutation.baseVersion = baseVersion;
    mutation.payload = {{QStringLiteral("patch"), QJsonObject{{QStringLiteral("topic"), topic}}}};
    return mutation;
}

QJsonObject topicValue(const QString &topic)
{
    return {{QStringLiteral("topic"), topic}};
}

struct Replica {
    explicit Replica(const QString &path)
        : store(path)
        , clock(physical, 0xada)
    {
        if (store.open()) {
            queue = std::make_unique<MutationQueue>(store, clock);
            cache = std::make_unique<EntityCache>(store, *queue);
        }
    }
    ~Replica()
    {
        cache.reset();
        queue.reset();
    }
    /// Enqueues a topic change on top of what the user sees, as the app does.
    QString change(const QString &topic)
    {
        const auto added = queue->enqueue(topicChange(cache->nextBaseVersion(Room, Topic), topic));
        return added ? added->cid : QString();
    }
    QString displayedTopic() const
    {
        return cache->displayed(Room, Topic).value(QLatin1String("topic")).toString();
    }
    qint64 confirmedVersion() const { return cache->confirmed(Room, Topic).version; }

    ManualClock physical;
    LocalStore store;
    HybridLogicalClock clock;
    std::unique_ptr<MutationQueue> queue;
    std::unique_ptr<EntityCache> cache;
};

} // namespace

class TestEntityCache : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();

    void unknownEntityIsVersionZeroAndEmpty();
    void displaysConfirmedWithPendingChangesInOrder();
    void rollsBackFailedAndConflictedChanges();
    void nextBaseVersionCountsTheChangesAhead();
    void chatMutationsDoNotTouchEntities();

    void holdsRemoteStateWhileALocalChangeIsInFlightAndAppliesItAfter();
    void heldEchoOfOurOwnChangeDoesNotFlickerBack();
    void heldStateIsReleasedWhenTheChangeConflicts();
    void ignoresAnOlderRemoteVersion();
    void settleWithAnUnexpectedVersionWaitsForTheServerState();
    void confirmedStateIsPersistedAndLoaded();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("local.sqlite")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestEntityCache::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestEntityCache::unknownEntityIsVersionZeroAndEmpty()
{
    Replica replica(path());
    QVERIFY(replica.cache);
    const EntityState unknown = replica.cache->confirmed(Room, QStringLiteral("document"));
    QCOMPARE(unknown.roomId, Room);
    QCOMPARE(unknown.entity, QStringLiteral("document"));
    QCOMPARE(unknown.version, 0);
    QVERIFY(unknown.value.isEmpty());
    QVERIFY(replica.cache->displayed(Room, QStringLiteral("document")).isEmpty());
    QCOMPARE(replica.cache->nextBaseVersion(Room, QStringLiteral("document")), 0);
    QVERIFY(!replica.cache->hasPending(Room, QStringLiteral("document")));
}

void TestEntityCache::displaysConfirmedWithPendingChangesInOrder()
{
    Replica replica(path());
    QVERIFY(replica.cache);
    EntityState confirmed = state(1, QStringLiteral("confirmed"));
    confirmed.value.insert(QStringLiteral("other"), QStringLiteral("kept"));
    QSignalSpy changed(replica.cache.get(), &EntityCache::entityChanged);
    replica.cache->applyRemote(confirmed);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).toString(), Room);
    QCOMPARE(changed.first().at(1).toString(), Topic);
    QCOMPARE(replica.cache->displayed(Room, Topic), confirmed.value);

    const QString first = replica.change(QStringLiteral("first"));
    QCOMPARE(changed.count(), 2); // the optimistic value is shown at once
    replica.change(QStringLiteral("second"));
    QVERIFY(replica.cache->hasPending(Room, Topic));
    // Fields the patches do not name stay; the later change wins.
    QCOMPARE(replica.cache->displayed(Room, Topic),
             (QJsonObject{{QStringLiteral("topic"), QStringLiteral("second")},
                          {QStringLiteral("other"), QStringLiteral("kept")}}));
    replica.queue->markInFlight(first);
    QCOMPARE(replica.displayedTopic(), QStringLiteral("second"));
    // The confirmed state is the server's, untouched by local changes.
    QCOMPARE(replica.cache->confirmed(Room, Topic).value, confirmed.value);
}

void TestEntityCache::rollsBackFailedAndConflictedChanges()
{
    Replica replica(path());
    QVERIFY(replica.cache);
    replica.cache->applyRemote(state(1, QStringLiteral("confirmed")));
    const QString first = replica.change(QStringLiteral("first"));
    const QString second = replica.change(QStringLiteral("second"));
    QSignalSpy changed(replica.cache.get(), &EntityCache::entityChanged);

    QVERIFY(replica.queue->fail(second, QStringLiteral("too large")));
    QCOMPARE(replica.displayedTopic(), QStringLiteral("first"));
    QVERIFY(replica.queue->conflict(first, state(2, QStringLiteral("theirs")).toJson(),
                                    QStringLiteral("changed")));
    QCOMPARE(replica.displayedTopic(), QStringLiteral("confirmed"));
    QVERIFY(!replica.cache->hasPending(Room, Topic));
    QCOMPARE(changed.count(), 2);

    // Retrying shows it again.
    QVERIFY(replica.queue->retry(second));
    QCOMPARE(replica.displayedTopic(), QStringLiteral("second"));
}

void TestEntityCache::nextBaseVersionCountsTheChangesAhead()
{
    Replica replica(path());
    QVERIFY(replica.cache);
    replica.cache->applyRemote(state(4, QStringLiteral("confirmed")));
    QCOMPARE(replica.cache->nextBaseVersion(Room, Topic), 4);
    const QString first = replica.change(QStringLiteral("first"));
    QCOMPARE(replica.queue->find(first)->baseVersion, 4);
    QCOMPARE(replica.cache->nextBaseVersion(Room, Topic), 5);
    const QString second = replica.change(QStringLiteral("second"));
    QCOMPARE(replica.queue->find(second)->baseVersion, 5);
    QCOMPARE(replica.cache->nextBaseVersion(Room, Topic), 6);
    QVERIFY(replica.queue->fail(second, QStringLiteral("refused")));
    QCOMPARE(replica.cache->nextBaseVersion(Room, Topic), 5);
    QVERIFY(replica.queue->settle(first, 5));
    QCOMPARE(replica.confirmedVersion(), 5);
    QCOMPARE(replica.cache->nextBaseVersion(Room, Topic), 5);
}

void TestEntityCache::chatMutationsDoNotTouchEntities()
{
    Replica replica(path());
    QVERIFY(replica.cache);
    QSignalSpy changed(replica.cache.get(), &EntityCache::entityChanged);
    Mutation chat;
    chat.roomId = Room;
    chat.entity = chatEntity();
    chat.type = QStringLiteral("chat:send");
    chat.payload = {{QStringLiteral("text"), QStringLiteral("hi")}};
    const auto added = replica.queue->enqueue(chat);
    QVERIFY(added);
    QVERIFY(replica.queue->settle(added->cid));
    QCOMPARE(changed.count(), 0);
}

void TestEntityCache::holdsRemoteStateWhileALocalChangeIsInFlightAndAppliesItAfter()
{
    Replica replica(path());
    QVERIFY(replica.cache);
    replica.cache->applyRemote(state(1, QStringLiteral("before")));
    const QString mine = replica.change(QStringLiteral("mine"));
    replica.queue->markInFlight(mine);

    // Our change became version 2 and Bob's version 3; Bob's event is here before our ack.
    replica.cache->applyRemote(state(3, QStringLiteral("bob's, after mine")));
    QCOMPARE(replica.cache->heldCount(), 1);
    QCOMPARE(replica.displayedTopic(), QStringLiteral("mine"));
    QCOMPARE(replica.confirmedVersion(), 1);

    QSignalSpy changed(replica.cache.get(), &EntityCache::entityChanged);
    QVERIFY(replica.queue->settle(mine, 2));
    QCOMPARE(replica.cache->heldCount(), 0);
    // Applied on top of ours, not under it.
    QCOMPARE(replica.confirmedVersion(), 3);
    QCOMPARE(replica.displayedTopic(), QStringLiteral("bob's, after mine"));
    QCOMPARE(replica.cache->confirmed(Room, Topic).updatedBy, QStringLiteral("bob"));
    QVERIFY(changed.count() >= 1);

    // Both the queued and the in-flight case hold.
    const QString queued = replica.change(QStringLiteral("queued"));
    replica.cache->applyRemote(state(5, QStringLiteral("later")));
    QCOMPARE(replica.cache->heldCount(), 1);
    QCOMPARE(replica.displayedTopic(), QStringLiteral("queued"));
    QVERIFY(replica.queue->settle(queued, 4));
    QCOMPARE(replica.confirmedVersion(), 5);
    QCOMPARE(replica.displayedTopic(), QStringLiteral("later"));

    // A pending topic change holds back nothing of another entity.
    const QString topicChange = replica.change(QStringLiteral("t"));
    replica.cache->applyRemote(
        state(9, QStringLiteral("doc"), QStringLiteral("bob"), QStringLiteral("document")));
    QCOMPARE(replica.cache->heldCount(), 0); // nothing pending on the document: applied at once
    QCOMPARE(replica.cache->confirmed(Room, QStringLiteral("document")).version, 9);
    QVERIFY(replica.queue->discard(topicChange));
}

void TestEntityCache::heldEchoOfOurOwnChangeDoesNotFlickerBack()
{
    Replica replica(path());
    QVERIFY(replica.cache);
    replica.cache->applyRemote(state(1, QStringLiteral("before")));
    const QString mine = replica.change(QStringLiteral("mine"));
    replica.queue->markInFlight(mine);
    // The echo of our own write, and a stale replay of the old state.
    replica.cache->applyRemote(state(2, QStringLiteral("mine"), QStringLiteral("ada")));
    replica.cache->applyRemote(state(1, QStringLiteral("before")));
    QCOMPARE(replica.cache->heldCount(), 2);
    QCOMPARE(replica.displayedTopic(), QStringLiteral("mine"));

    QList<QString> seen;
    connect(replica.cache.get(), &EntityCache::entityChanged, this,
            [&] { seen.append(replica.displayedTopic()); });
    QVERIFY(replica.queue->settle(mine, 2));
    QCOMPARE(replica.cache->heldCount(), 0);
    QCOMPARE(replica.confirmedVersion(), 2);
    QCOMPARE(replica.displayedTopic(), QStringLiteral("mine"));
    QVERIFY(!seen.contains(QStringLiteral("before")));
}

void TestEntityCache::heldStateIsReleasedWhenTheChangeConflicts()
{
    Replica replica(path());
    QVERIFY(replica.cache);
    replica.cache->applyRemote(state(1, QStringLiteral("before")));
    const QString mine = replica.change(QStringLiteral("mine"));
    replica.queue->markInFlight(mine);
    replica.cache->applyRemote(state(2, QStringLiteral("theirs")));
    QCOMPARE(replica.cache->heldCount(), 1);
    QVERIFY(replica.queue->conflict(mine, state(2, QStringLiteral("theirs")).toJson(),
                                    QStringLiteral("changed")));
    QCOMPARE(replica.cache->heldCount(), 0);
    QCOMPARE(replica.confirmedVersion(), 2);
    QCOMPARE(replica.displayedTopic(), QStringLiteral("theirs"));
    QCOMPARE(replica.cache->nextBaseVersion(Room, Topic), 2);
}

void TestEntityCache::ignoresAnOlderRemoteVersion()
{
    Replica replica(path());
    QVERIFY(replica.cache);
    replica.cache->applyRemote(state(3, QStringLiteral("three")));
    QSignalSpy changed(replica.cache.get(), &EntityCache::entityChanged);
    replica.cache->applyRemote(state(2, QStringLiteral("two")));
    replica.cache->applyRemote(state(3, QStringLiteral("three again")));
    QCOMPARE(changed.count(), 0);
    QCOMPARE(replica.confirmedVersion(), 3);
    QCOMPARE(replica.displayedTopic(), QStringLiteral("three"));
    const auto stored = replica.store.entities();
    QVERIFY(stored);
    QCOMPARE(stored->size(), 1);
    QCOMPARE(stored->first().version, 3);
}

void TestEntityCache::settleWithAnUnexpectedVersionWaitsForTheServerState()
{
    Replica replica(path());
    QVERIFY(replica.cache);
    replica.cache->applyRemote(state(1, QStringLiteral("before")));
    const QString mine = replica.change(QStringLiteral("mine"));
    // The ack names version 3: version 2 happened in between and we never saw it,
    // so the value of version 3 is unknown until its entity:changed arrives.
    QVERIFY(replica.queue->settle(mine, 3));
    QCOMPARE(replica.confirmedVersion(), 1);
    replica.cache->applyRemote(state(3, QStringLiteral("server's v3")));
    QCOMPARE(replica.confirmedVersion(), 3);
    QCOMPARE(replica.displayedTopic(), QStringLiteral("server's v3"));
}

void TestEntityCache::confirmedStateIsPersistedAndLoaded()
{
    QString hlc;
    {
        Replica replica(path());
        QVERIFY(replica.cache);
        replica.cache->applyRemote(state(1, QStringLiteral("remote")));
        EntityState document =
            state(7, QStringLiteral("ignored"), QStringLiteral("ada"), QStringLiteral("document"));
        document.value = {{QStringLiteral("title"), QStringLiteral("Plan")}};
        replica.cache->applyRemote(document);
        // Our own settled change is confirmed (and cached) before its echo arrives.
        const QString mine = replica.change(QStringLiteral("mine"));
        hlc = replica.queue->find(mine)->createdAt.toString();
        QVERIFY(replica.queue->settle(mine, 2));
        QCOMPARE(replica.confirmedVersion(), 2);
    }
    Replica reopened(path());
    QVERIFY(reopened.cache);
    QCOMPARE(reopened.confirmedVersion(), 0);
    QVERIFY(reopened.cache->load());
    const EntityState topic = reopened.cache->confirmed(Room, Topic);
    QCOMPARE(topic.version, 2);
    QCOMPARE(topic.value, topicValue(QStringLiteral("mine")));
    QCOMPARE(topic.hlc, hlc);
    const EntityState document = reopened.cache->confirmed(Room, QStringLiteral("document"));
    QCOMPARE(document.version, 7);
    QCOMPARE(document.value, (QJsonObject{{QStringLiteral("title"), QStringLiteral("Plan")}}));
    QCOMPARE(document.updatedBy, QStringLiteral("ada"));
    // And the reloaded state still refuses to go back.
    reopened.cache->applyRemote(state(1, QStringLiteral("remote")));
    QCOMPARE(reopened.displayedTopic(), QStringLiteral("mine"));
}

QTEST_GUILESS_MAIN(TestEntityCache)
#include "tst_entitycache.moc"
