// MutationQueue: a change is on disk before anyone hears of it; the causal
// order survives a restart; sendable() pipelines chat, serialises each
// entity and lets a failed or conflicted change hold back only its own
// entity; settling deletes the row and rebases the next change of the entity;
// every state change the user must see (failed, conflicted) survives a restart.

#include "core/offline/MutationQueue.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using tandem::ManualClock;
using tandem::offline::chatEntity;
using tandem::offline::HlcTimestamp;
using tandem::offline::HybridLogicalClock;
using tandem::offline::LocalStore;
using tandem::offline::Mutation;
using tandem::offline::MutationQueue;
using tandem::offline::MutationState;
using tandem::protocol::ErrorCode;

namespace {

constexpr quint64 Node = 0xada;
const QString Room = QStringLiteral("general");

Mutation chat(const QString &text, const QString &roomId = Room)
{
    Mutation mutation;
    mutation.roomId = roomId;
    mutation.entity = chatEntity();
    mutation.type = QStringLiteral("chat:send");
    mutation.payload = {{QStringLiteral("text"), text}};
    return mutation;
}

Mutation patch(const QString &entity, qint64 baseVersion, const QJsonObject &fields,
               const QString &roomId = Room)
{
    Mutation mutation;
    mutation.roomId = roomId;
    mutation.entity = entity;
    mutation.type = QStringLiteral("entity:patch");
    mutation.baseVersion = baseVersion;
    mutation.payload = {{QStringLiteral("patch"), fields}};
    return mutation;
}

Mutation topic(qint64 baseVersion, const QString &text, const QString &roomId = Room)
{
    return patch(QStringLiteral("room"), baseVersion, {{QStringLiteral("topic"), text}}, roomId);
}

QStringList cidsOf(const QList<Mutation> &mutations)
{
    QStringList cids;
    for (const Mutation &mutation : mutations)
        cids.append(mutation.cid);
    return cids;
}

/// One replica's queue on a file: what the app holds after (re)starting.
struct Replica {
    Replica(const QString &path, ManualClock &physical)
        : store(path)
        , clock(physical, Node)
    {
        if (store.open())
            queue = std::make_unique<MutationQueue>(store, clock);
    }
    LocalStore store;
    HybridLogicalClock clock;
    std::unique_ptr<MutationQueue> queue;
};

} // namespace

class TestMutationQueue : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();

    void enqueueCommitsBeforeAnnouncing();
    void enqueueStampsAndNamesEveryChange();
    void causalOrderSurvivesReopenAndLoad();

    void sendablePipelinesChatOfARoom();
    void sendableSendsOneChangeOfAnEntityAtATime();
    void sendableKeepsEntitiesIndependent();
    void sendableBlocksOnlyTheEntityOfAFailedOrConflictedChange_data();
    void sendableBlocksOnlyTheEntityOfAFailedOrConflictedChange();
    void sendableHonoursMaxCount();

    void settleDeletesTheRowAndRebasesTheNextChange();
    void settleRebasesOnlyAChangeBasedOnTheSettledOne();
    void reapplyCarriesTheChangesMadeOnTopOfItToTheNewBase();
    void settleOfAnUnknownCidIsHarmless();
    void retryLaterCountsAndRequeues();
    void failAndConflictSurviveReopen();
    void reapplyRetryAndDiscard();
    void requeueInFlightQueuesOnlyWhatWasInFlight();
    void pendingCountChangedReportsTheCount();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("local.sqlite")); }
    std::unique_ptr<QTemporaryDir> m_dir;
    ManualClock m_physical;
};

void TestMutationQueue::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestMutationQueue::enqueueCommitsBeforeAnnouncing()
{
    Replica replica(path(), m_physical);
    QVERIFY(replica.queue);
    QStringList seenOnDisk;
    int slotCalls = 0;
    connect(replica.queue.get(), &MutationQueue::mutationAdded, this, [&](const Mutation &added) {
        ++slotCalls;
        // A second connection reads only committed rows.
        LocalStore other(path());
        if (!other.open())
            return;
        const auto stored = other.mutations();
        if (!stored)
            return;
        for (const Mutation &row : *stored) {
            if (row.cid == added.cid && row.localId == added.localId && row.payload == added.payload)
                seenOnDisk.append(row.cid);
        }
    });

    const auto added = replica.queue->enqueue({chat(QStringLiteral("one")), topic(1, QStringLiteral("t"))});
    QVERIFY(added);
    QCOMPARE(slotCalls, 2);
    QCOMPARE(seenOnDisk, cidsOf(*added));
}

void TestMutationQueue::enqueueStampsAndNamesEveryChange()
{
    Replica replica(path(), m_physical);
    QVERIFY(replica.queue);
    Mutation named = chat(QStringLiteral("with cid"));
    named.cid = QStringLiteral("my-cid");
    named.state = MutationState::Failed; // whatever the caller says, a new change is queued
    const auto first = replica.queue->enqueue(named);
    QVERIFY(first);
    const auto second = replica.queue->enqueue(chat(QStringLiteral("without cid")));
    QVERIFY(second);

    QCOMPARE(first->cid, QStringLiteral("my-cid"));
    QCOMPARE(first->state, MutationState::Queued);
    QVERIFY(!second->cid.isEmpty());
    QVERIFY(second->cid != first->cid);
    QVERIFY(first->createdAt.isValid());
    QCOMPARE(first->createdAt.nodeId, Node);
    QVERIFY(first->createdAt < second->createdAt);
    QVERIFY(first->localId < second->localId);
    QCOMPARE(replica.queue->find(QStringLiteral("my-cid"))->payload, named.payload);
    QVERIFY(!replica.queue->find(QStringLiteral("nope")));
}

void TestMutationQueue::causalOrderSurvivesReopenAndLoad()
{
    QStringList order;
    HlcTimestamp newest;
    {
        Replica replica(path(), m_physical);
        QVERIFY(replica.queue);
        for (int i = 0; i < 3; ++i) {
            const auto added = replica.queue->enqueue(
                {chat(QStringLiteral("m%1").arg(i)), topic(i + 1, QStringLiteral("t%1").arg(i)),
                 patch(QStringLiteral("document"), i,
                       {{QStringLiteral("title"), QStringLiteral("d%1").arg(i)}})});
            QVERIFY(added);
            order += cidsOf(*added);
            newest = added->last().createdAt;
        }
        QVERIFY(replica.queue->fail(order.at(4), QStringLiteral("refused")));
    }

    // After the restart the wall clock is an hour behind (NTP step): new
    // stamps must still come after the stored ones.
    ManualClock behind(m_physical.nowUtc().addSecs(-3600));
    LocalStore store(path());
    QVERIFY(store.open());
    HybridLogicalClock clock(behind, Node);
    MutationQueue queue(store, clock);
    QCOMPARE(queue.pendingCount(), 0);
    QSignalSpy counts(&queue, &MutationQueue::pendingCountChanged);
    QVERIFY(queue.load());
    QCOMPARE(counts.count(), 1);
    QCOMPARE(counts.first().first().toInt(), 9);
    QCOMPARE(cidsOf(queue.pending()), order);
    QCOMPARE(queue.pending().at(4).state, MutationState::Failed);
    QCOMPARE(queue.pendingFor(Room, QStringLiteral("room")).size(), 3);

    const auto next = queue.enqueue(chat(QStringLiteral("after restart")));
    QVERIFY(next);
    QVERIFY2(newest < next->createdAt, "a stamp issued after the restart orders before older changes");
    QCOMPARE(queue.pending().last().cid, next->cid);
}

void TestMutationQueue::sendablePipelinesChatOfARoom()
{
    Replica replica(path(), m_physical);
    QVERIFY(replica.queue);
    MutationQueue &queue = *replica.queue;
    const auto added =
        queue.enqueue({chat(QStringLiteral("1")), chat(QStringLiteral("2")), chat(QStringLiteral("3")),
                       chat(QStringLiteral("elsewhere"), QStringLiteral("other"))});
    QVERIFY(added);
    QCOMPARE(cidsOf(queue.sendable(10)), cidsOf(*added));

    // In flight does not hold later messages back: they pipeline on the one connection.
    queue.markInFlight(added->at(0).cid);
    QCOMPARE(queue.find(added->at(0).cid)->state, MutationState::InFlight);
    QCOMPARE(cidsOf(queue.sendable(10)), cidsOf(added->mid(1)));

    // A failed message holds back the later ones of its room only (their order matters).
    QVERIFY(queue.fail(added->at(1).cid, QStringLiteral("too large")));
    QCOMPARE(cidsOf(queue.sendable(10)), QStringList{added->at(3).cid});
}

void TestMutationQueue::sendableSendsOneChangeOfAnEntityAtATime()
{
    Replica replica(path(), m_physical);
    QVERIFY(replica.queue);
    MutationQueue &queue = *replica.queue;
    const auto added = queue.enqueue({topic(1, QStringLiteral("a")), topic(2, QStringLiteral("b"))});
    QVERIFY(added);
    QCOMPARE(cidsOf(queue.sendable(10)), QStringList{added->at(0).cid});
    queue.markInFlight(added->at(0).cid);
    // The next one's base is the result of the one in flight: it waits.
    QVERIFY(queue.sendable(10).isEmpty());
    QVERIFY(queue.settle(added->at(0).cid, 2));
    QCOMPARE(cidsOf(queue.sendable(10)), QStringList{added->at(1).cid});
}

void TestMutationQueue::sendableKeepsEntitiesIndependent()
{
    Replica replica(path(), m_physical);
    QVERIFY(replica.queue);
    MutationQueue &queue = *replica.queue;
    const auto added = queue.enqueue(
        {topic(1, QStringLiteral("a")), topic(2, QStringLiteral("b")),
         patch(QStringLiteral("document"), 4, {{QStringLiteral("title"), QStringLiteral("T")}}),
         patch(QStringLiteral("message/m1"), 1, {{QStringLiteral("text"), QStringLiteral("x")}}),
         topic(7, QStringLiteral("other room"), QStringLiteral("other")), chat(QStringLiteral("hi"))});
    QVERIFY(added);
    // The oldest change of each entity, in causal order; the same key in another room is another entity.
    QCOMPARE(cidsOf(queue.sendable(10)), (QStringList{added->at(0).cid, added->at(2).cid, added->at(3).cid,
                                                      added->at(4).cid, added->at(5).cid}));
    queue.markInFlight(added->at(0).cid);
    queue.markInFlight(added->at(2).cid);
    QCOMPARE(cidsOf(queue.sendable(10)), (QStringList{added->at(3).cid, added->at(4).cid, added->at(5).cid}));
}

void TestMutationQueue::sendableBlocksOnlyTheEntityOfAFailedOrConflictedChange_data()
{
    QTest::addColumn<bool>("conflicted");
    QTest::addRow("failed") << false;
    QTest::addRow("conflicted") << true;
}

void TestMutationQueue::sendableBlocksOnlyTheEntityOfAFailedOrConflictedChange()
{
    QFETCH(bool, conflicted);
    Replica replica(path(), m_physical);
    QVERIFY(replica.queue);
    MutationQueue &queue = *replica.queue;
    const auto added =
        queue.enqueue({topic(1, QStringLiteral("a")),
                       patch(QStringLiteral("document"), 1, {{QStringLiteral("title"), QStringLiteral("T")}}),
                       topic(2, QStringLiteral("b")), chat(QStringLiteral("hi"))});
    QVERIFY(added);
    const QString stuck = added->at(0).cid;
    queue.markInFlight(stuck);
    if (conflicted)
        QVERIFY(queue.conflict(stuck, {{QStringLiteral("version"), 3}}, QStringLiteral("changed")));
    else
        QVERIFY(queue.fail(stuck, QStringLiteral("refused")));
    // The later topic change waits for the user's decision; the others go.
    QCOMPARE(cidsOf(queue.sendable(10)), (QStringList{added->at(1).cid, added->at(3).cid}));

    QVERIFY(queue.discard(stuck));
    QCOMPARE(cidsOf(queue.sendable(10)), (QStringList{added->at(1).cid, added->at(2).cid, added->at(3).cid}));
}

void TestMutationQueue::sendableHonoursMaxCount()
{
    Replica replica(path(), m_physical);
    QVERIFY(replica.queue);
    MutationQueue &queue = *replica.queue;
    const auto added =
        queue.enqueue({chat(QStringLiteral("1")), chat(QStringLiteral("2")), chat(QStringLiteral("3"))});
    QVERIFY(added);
    QCOMPARE(cidsOf(queue.sendable(2)), cidsOf(added->mid(0, 2)));
    QVERIFY(queue.sendable(0).isEmpty());
}

void TestMutationQueue::settleDeletesTheRowAndRebasesTheNextChange()
{
    Replica replica(path(), m_physical);
    QVERIFY(replica.queue);
    MutationQueue &queue = *replica.queue;
    const auto added = queue.enqueue({topic(4, QStringLiteral("a")), chat(QStringLiteral("hi")),
                                      topic(5, QStringLiteral("b")), topic(6, QStringLiteral("c")),
                                      topic(5, QStringLiteral("elsewhere"), QStringLiteral("other"))});
    QVERIFY(added);
    QSignalSpy settled(&queue, &MutationQueue::mutationSettled);

    queue.markInFlight(added->at(0).cid);
    // Someone else's change landed in between: ours became version 8, not 5.
    QVERIFY(queue.settle(added->at(0).cid, 8));
    QCOMPARE(settled.count(), 1);
    QCOMPARE(settled.first().at(0).value<Mutation>().cid, added->at(0).cid);
    QCOMPARE(settled.first().at(0).value<Mutation>().state, MutationState::Settled);
    QCOMPARE(settled.first().at(1).value<std::optional<qint64>>(), std::optional<qint64>(8));
    QVERIFY(!queue.find(added->at(0).cid));

    QCOMPARE(queue.find(added->at(2).cid)->baseVersion, 8); // based on the settled one: rebased
    QCOMPARE(queue.find(added->at(4).cid)->baseVersion, 5); // another room's topic: untouched

    // The settled row is deleted at the end of the event-loop turn, with the turn's other acks.
    QCoreApplication::processEvents();
    LocalStore other(path());
    QVERIFY(other.open());
    const auto stored = other.mutations();
    QVERIFY(stored);
    QCOMPARE(cidsOf(*stored), cidsOf(added->mid(1)));
    QCOMPARE(stored->at(1).baseVersion, 8);

    // A chat ack carries no version and rebases nothing.
    QVERIFY(queue.settle(added->at(1).cid));
    QVERIFY(!settled.last().at(1).value<std::optional<qint64>>().has_value());
    QCOMPARE(queue.pendingCount(), 3);
}

void TestMutationQueue::settleRebasesOnlyAChangeBasedOnTheSettledOne()
{
    Replica replica(path(), m_physical);
    QVERIFY(replica.queue);
    MutationQueue &queue = *replica.queue;
    // The second change was made on a version the cache learned of separately (base 9, not 2).
    const auto added = queue.enqueue({topic(1, QStringLiteral("a")), topic(9, QStringLiteral("b"))});
    QVERIFY(added);
    QVERIFY(queue.settle(added->at(0).cid, 2));
    QCOMPARE(queue.find(added->at(1).cid)->baseVersion, 9);
}

void TestMutationQueue::reapplyCarriesTheChangesMadeOnTopOfItToTheNewBase()
{
    Replica replica(path(), m_physical);
    QVERIFY(replica.queue);
    MutationQueue &queue = *replica.queue;
    // Three offline edits of the topic, each on top of the one before (versions 1, 2, 3),
    // one of the document, and a topic edit made after the conflict, on theirs (version 7).
    const auto added =
        queue.enqueue({topic(1, QStringLiteral("a")), topic(2, QStringLiteral("b")),
                       patch(QStringLiteral("document"), 2, {{QStringLiteral("title"), QStringLiteral("t")}}),
                       topic(3, QStringLiteral("c"))});
    QVERIFY(added);
    const QString first = added->at(0).cid;
    QVERIFY(queue.conflict(first, {{QStringLiteral("version"), 7}}, QStringLiteral("changed")));
    const auto later = queue.enqueue(topic(7, QStringLiteral("on theirs")));
    QVERIFY(later);

    // Client wins: the first goes again on version 7; the ones made on top of it follow it.
    QSignalSpy changed(&queue, &MutationQueue::mutationChanged);
    QVERIFY(queue.reapply(first, 7, added->at(0).payload));
    QCOMPARE(queue.find(first)->baseVersion, 7);
    QCOMPARE(queue.find(added->at(1).cid)->baseVersion, 8);
    QCOMPARE(queue.find(added->at(3).cid)->baseVersion, 9);
    QCOMPARE(queue.find(added->at(2).cid)->baseVersion, 2); // another entity
    QCOMPARE(queue.find(later->cid)->baseVersion, 7);       // not made on top of the first
    QCOMPARE(changed.count(), 3);

    // Settling each in turn then sends the next on the version the one before produced.
    QVERIFY(queue.settle(first, 8));
    QCOMPARE(queue.find(added->at(1).cid)->baseVersion, 8);
    QVERIFY(queue.settle(added->at(1).cid, 9));
    QCOMPARE(queue.find(added->at(3).cid)->baseVersion, 9);

    Replica reopened(path(), m_physical);
    QVERIFY(reopened.queue);
    QVERIFY(reopened.queue->load());
    QCOMPARE(reopened.queue->find(added->at(3).cid)->baseVersion, 9);
}

void TestMutationQueue::settleOfAnUnknownCidIsHarmless()
{
    Replica replica(path(), m_physical);
    QVERIFY(replica.queue);
    MutationQueue &queue = *replica.queue;
    QVERIFY(queue.enqueue(chat(QStringLiteral("hi"))));
    QSignalSpy settled(&queue, &MutationQueue::mutationSettled);
    QVERIFY(queue.settle(QStringLiteral("duplicate-ack"), 3));
    QVERIFY(queue.retryLater(QStringLiteral("gone")));
    QVERIFY(queue.fail(QStringLiteral("gone"), QStringLiteral("x")));
    QVERIFY(queue.conflict(QStringLiteral("gone"), {}, QStringLiteral("x")));
    QVERIFY(queue.discard(QStringLiteral("gone")));
    QCOMPARE(settled.count(), 0);
    QCOMPARE(queue.pendingCount(), 1);
}

void TestMutationQueue::retryLaterCountsAndRequeues()
{
    {
        Replica replica(path(), m_physical);
        QVERIFY(replica.queue);
        MutationQueue &queue = *replica.queue;
        const auto added = queue.enqueue(topic(1, QStringLiteral("a")));
        QVERIFY(added);
        queue.markInFlight(added->cid);
        QSignalSpy changed(&queue, &MutationQueue::mutationChanged);
        QVERIFY(queue.retryLater(added->cid));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(queue.find(added->cid)->state, MutationState::Queued);
        QCOMPARE(queue.find(added->cid)->retries, 1);
        queue.markInFlight(added->cid);
        QVERIFY(queue.retryLater(added->cid));
        QCOMPARE(queue.find(added->cid)->retries, 2);
        QCOMPARE(cidsOf(queue.sendable(10)), QStringList{added->cid});
    }
    Replica reopened(path(), m_physical);
    QVERIFY(reopened.queue);
    QVERIFY(reopened.queue->load());
    QCOMPARE(reopened.queue->pending().first().retries, 2);
}

void TestMutationQueue::failAndConflictSurviveReopen()
{
    const QJsonObject current{
        {QStringLiteral("roomId"), Room},
        {QStringLiteral("entity"), QStringLiteral("room")},
        {QStringLiteral("version"), 3},
        {QStringLiteral("value"), QJsonObject{{QStringLiteral("topic"), QStringLiteral("theirs")}}},
        {QStringLiteral("by"), QStringLiteral("bob")}};
    QString failedCid;
    QString conflictedCid;
    {
        Replica replica(path(), m_physical);
        QVERIFY(replica.queue);
        MutationQueue &queue = *replica.queue;
        const auto added = queue.enqueue(
            {patch(QStringLiteral("message/m1"), 1, {{QStringLiteral("text"), QStringLiteral("x")}}),
             topic(2, QStringLiteral("mine"))});
        QVERIFY(added);
        failedCid = added->at(0).cid;
        conflictedCid = added->at(1).cid;
        QSignalSpy changed(&queue, &MutationQueue::mutationChanged);
        QVERIFY(queue.fail(failedCid, QStringLiteral("only the author may change this message")));
        QVERIFY(queue.conflict(conflictedCid, current, QStringLiteral("room changed since version 2")));
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.at(1).first().value<Mutation>().state, MutationState::Conflicted);
    }
    Replica reopened(path(), m_physical);
    QVERIFY(reopened.queue);
    QVERIFY(reopened.queue->load());
    const auto failed = reopened.queue->find(failedCid);
    QVERIFY(failed);
    QCOMPARE(failed->state, MutationState::Failed);
    QCOMPARE(failed->reason, QStringLiteral("only the author may change this message"));
    const auto conflicted = reopened.queue->find(conflictedCid);
    QVERIFY(conflicted);
    QCOMPARE(conflicted->state, MutationState::Conflicted);
    QCOMPARE(conflicted->reason, QStringLiteral("room changed since version 2"));
    QCOMPARE(conflicted->current, current);
    QCOMPARE(
        conflicted->payload.value(QLatin1String("patch")).toObject().value(QLatin1String("topic")).toString(),
        QStringLiteral("mine"));
    QVERIFY(reopened.queue->sendable(10).isEmpty());
}

void TestMutationQueue::reapplyRetryAndDiscard()
{
    Replica replica(path(), m_physical);
    QVERIFY(replica.queue);
    MutationQueue &queue = *replica.queue;
    const auto added = queue.enqueue({topic(1, QStringLiteral("mine")), chat(QStringLiteral("too long"))});
    QVERIFY(added);
    const QString topicCid = added->at(0).cid;
    const QString chatCid = added->at(1).cid;

    QVERIFY(queue.conflict(topicCid, {{QStringLiteral("version"), 4}}, QStringLiteral("changed")));
    const QJsonObject merged{
        {QStringLiteral("patch"), QJsonObject{{QStringLiteral("topic"), QStringLiteral("merged")}}}};
    QVERIFY(queue.reapply(topicCid, 4, merged));
    auto reapplied = queue.find(topicCid);
    QCOMPARE(reapplied->state, MutationState::Queued);
    QCOMPARE(reapplied->baseVersion, 4);
    QCOMPARE(reapplied->payload, merged);
    QVERIFY(reapplied->reason.isEmpty());
    QVERIFY(reapplied->current.isEmpty());

    QVERIFY(queue.fail(chatCid, QStringLiteral("too large")));
    QVERIFY(queue.retry(chatCid));
    QCOMPARE(queue.find(chatCid)->state, MutationState::Queued);
    QVERIFY(queue.find(chatCid)->reason.isEmpty());

    // Both written through to disk.
    {
        LocalStore other(path());
        QVERIFY(other.open());
        const auto stored = other.mutations();
        QVERIFY(stored);
        QCOMPARE(stored->size(), 2);
        QCOMPARE(stored->at(0).baseVersion, 4);
        QCOMPARE(stored->at(0).payload, merged);
        QCOMPARE(stored->at(0).state, MutationState::Queued);
        QCOMPARE(stored->at(1).state, MutationState::Queued);
    }

    QSignalSpy discarded(&queue, &MutationQueue::mutationDiscarded);
    QVERIFY(queue.discard(topicCid));
    QCOMPARE(discarded.count(), 1);
    QCOMPARE(discarded.first().first().value<Mutation>().cid, topicCid);
    QVERIFY(!queue.find(topicCid));
    LocalStore other(path());
    QVERIFY(other.open());
    QCOMPARE(cidsOf(other.mutations().value()), QStringList{chatCid});

    const auto missing = queue.reapply(topicCid, 5, merged);
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    QCOMPARE(queue.retry(topicCid).error().code, ErrorCode::NotFound);
}

void TestMutationQueue::requeueInFlightQueuesOnlyWhatWasInFlight()
{
    Replica replica(path(), m_physical);
    QVERIFY(replica.queue);
    MutationQueue &queue = *replica.queue;
    const auto added = queue.enqueue(
        {chat(QStringLiteral("1")), topic(1, QStringLiteral("a")),
         patch(QStringLiteral("document"), 1, {{QStringLiteral("title"), QStringLiteral("t")}})});
    QVERIFY(added);
    queue.markInFlight(added->at(0).cid);
    queue.markInFlight(added->at(1).cid);
    QVERIFY(queue.fail(added->at(2).cid, QStringLiteral("refused")));
    queue.markInFlight(added->at(2).cid); // only a queued change goes in flight
    QCOMPARE(queue.find(added->at(2).cid)->state, MutationState::Failed);

    QSignalSpy changed(&queue, &MutationQueue::mutationChanged);
    queue.requeueInFlight();
    QCOMPARE(changed.count(), 2);
    QCOMPARE(queue.find(added->at(0).cid)->state, MutationState::Queued);
    QCOMPARE(queue.find(added->at(1).cid)->state, MutationState::Queued);
    QCOMPARE(queue.find(added->at(2).cid)->state, MutationState::Failed);
    QCOMPARE(cidsOf(queue.sendable(10)), (QStringList{added->at(0).cid, added->at(1).cid}));
}

void TestMutationQueue::pendingCountChangedReportsTheCount()
{
    Replica replica(path(), m_physical);
    QVERIFY(replica.queue);
    MutationQueue &queue = *replica.queue;
    QSignalSpy counts(&queue, &MutationQueue::pendingCountChanged);
    const auto added = queue.enqueue({chat(QStringLiteral("1")), chat(QStringLiteral("2"))});
    QVERIFY(added);
    QVERIFY(queue.enqueue(topic(1, QStringLiteral("a"))));
    QVERIFY(queue.settle(added->at(0).cid));
    QVERIFY(queue.fail(added->at(1).cid, QStringLiteral("x"))); // still pending: no signal
    QVERIFY(queue.discard(added->at(1).cid));
    QList<int> values;
    for (const QList<QVariant> &arguments : std::as_const(counts))
        values.append(arguments.first().toInt());
    QCOMPARE(values, (QList<int>{2, 3, 2, 1}));
    QCOMPARE(queue.pendingCount(), 1);
}

QTEST_GUILESS_MAIN(TestMutationQueue)
#include "tst_mutationqueue.moc"
