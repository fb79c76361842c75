// Two people change the same things while both are offline, then come back,
// against a real tandem-server. Ada owns the room; Bob wrote a message in it.
// Both change the room topic and Bob's message (Bob as its author, Ada as the
// room's owner moderating it), then reconnect one after the other, in both
// orders. For every conflict policy the server ends with the value the policy
// promises, both clients show that value, and the change that lost was never
// dropped without a word: a policy that drops it says so (conflictResolved),
// and AskUser keeps it, with theirs, mine and the base, until the user answers.
//
// Each client is the real stack: its own LocalStore file, HybridLogicalClock
// (distinct node ids), MutationQueue, EntityCache, ConflictResolver,
// SyncEngine and client::Session.

#include "core/client/ManualTimerSource.h"
#include "core/client/Session.h"
#include "core/offline/ConflictResolver.h"
#include "core/offline/EntityCache.h"
#include "core/offline/HybridLogicalClock.h"
#include "core/offline/LocalStore.h"
#include "core/offline/MutationQueue.h"
#include "core/offline/SyncEngine.h"
#include "tests/support/ServerProcess.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using tandem::ManualClock;
using tandem::client::ManualTimerSource;
using tandem::client::Session;
using tandem::offline::ConflictPolicy;
using tandem::offline::ConflictResolver;
using tandem::offline::EntityCache;
using tandem::offline::EntityState;
using tandem::offline::HybridLogicalClock;
using tandem::offline::LocalStore;
using tandem::offline::Mutation;
using tandem::offline::MutationQueue;
using tandem::offline::MutationState;
using tandem::offline::SyncEngine;
using tandem::protocol::EntityKind;
using tandem::test::ServerProcess;

namespace {

constexpr int Timeout = 15000;
const QString Topic = QStringLiteral("room");

enum class Scenario {
    ServerWins,
    ClientWins,
    LastWriteWins,
    AskKeepTheirs,
    AskKeepMine,
    AskMerge,
    CustomMerge
};

QJsonObject topicValue(const QString &topic)
{
    return {{QStringLiteral("topic"), topic}};
}
QJsonObject textValue(const QString &text)
{
    return {{QStringLiteral("text"), text}};
}

/// One signed-in client with its offline stack, on its own local store.
struct Replica {
    QTemporaryDir dir;
    bool ready = false; ///< the store opened and loaded
    const QString userId;
    LocalStore store;
    HybridLogicalClock clock;
    ManualTimerSource timers; ///< the engine's retry backoff; no retry is expected here
    MutationQueue queue;
    EntityCache cache;
    ConflictResolver resolver;
    Session session;
    SyncEngine engine;

    // What the engine reported, in order.
    QList<std::pair<Mutation, QJsonObject>> acks;
    QList<std::pair<Mutation, ConflictPolicy>> resolved;
    QList<std::pair<Mutation, EntityState>> asked;
    QList<std::pair<Mutation, QString>> failed;

    Replica(const QString &user, quint64 nodeId, ManualClock &physical, const ServerProcess &server,
            const QString &token)
        : userId(user)
        , store(dir.filePath(QStringLiteral("local.sqlite")))
        , clock(physical, nodeId)
        , timers(physical)
        , queue(store, clock)
        , cache(store, queue)
        , session(server.wsUrl(), token)
        , engine(session, queue, cache, resolver, timers)
    {
        ready = dir.isValid() && store.open() && queue.load() && cache.load();
        QObject::connect(&engine, &SyncEngine::acknowledged, &engine,
                         [this](const Mutation &mutation, const QJsonObject &ack) {
                             acks.append({mutation, ack});
                         });
        QObject::connect(&engine, &SyncEngine::conflictResolved, &engine,
                         [this](const Mutation &mine, ConflictPolicy policy) {
                             resolved.append({mine, policy});
                         });
        QObject::connect(&engine, &SyncEngine::conflictNeedsUser, &engine,
                         [this](const Mutation &mine, const EntityState &theirs) {
                             asked.append({mine, theirs});
                         });
        QObject::connect(&engine, &SyncEngine::mutationFailed, &engine,
                         [this](const Mutation &mutation, const QString &reason) {
                             failed.append({mutation, reason});
                         });
    }

    /// A topic change on top of what the user sees, as the app makes it.
    std::optional<Mutation> setTopic(const QString &roomId, const QString &topic)
    {
        return enqueuePatch(roomId, Topic, 0, topicValue(topic), {});
    }
    /// An edit of a message; a message is version 1 from its creation.
    std::optional<Mutation> editMessage(const QString &roomId, const QString &messageId, const QString &text,
                                        const QString &original)
    {
        return enqueuePatch(roomId, QStringLiteral("message/") + messageId, 1, textValue(text),
                            textValue(original));
    }
    std::optional<Mutation> sendChat(const QString &roomId, const QString &text)
    {
        Mutation mutation;
        mutation.roomId = roomId;
        mutation.entity = tandem::offline::chatEntity();
        mutation.type = QStringLiteral("chat:send");
        mutation.payload = {{QStringLiteral("text"), text}};
        const auto queued = queue.enqueue(mutation);
        return queued ? std::optional<Mutation>(*queued) : std::nullopt;
    }

    QJsonObject displayed(const QString &roomId, const QString &entity) const
    {
        return cache.displayed(roomId, entity);
    }

    void clearRecords()
    {
        acks.clear();
        resolved.clear();
        asked.clear();
        failed.clear();
    }

    /// A patch on top of what the user sees, as the app makes it.
    std::optional<Mutation> enqueuePatch(const QString &roomId, const QString &entity, qint64 minimumBase,
                                         const QJsonObject &patch, const QJsonObject &fallbackBase)
    {
        Mutation mutation;
        mutation.roomId = roomId;
        mutation.entity = entity;
        mutation.type = QStringLiteral("entity:patch");
        mutation.baseVersion = std::max(minimumBase, cache.nextBaseVersion(roomId, entity));
        mutation.payload = {{QStringLiteral("patch"), patch}};
        const QJsonObject shown = cache.displayed(roomId, entity);
        mutation.baseValue = shown.isEmpty() ? fallbackBase : shown;
        const auto queued = queue.enqueue(mutation);
        return queued ? std::optional<Mutation>(*queued) : std::nullopt;
    }
};

QString describe(const QJsonObject &value)
{
    return QString::fromUtf8(QJsonDocument(value).toJson(QJsonDocument::Compact));
}

} // namespace

Q_DECLARE_METATYPE(Scenario)

class TestOfflineConflicts : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void concurrentOfflineChangesEndAsThePolicySays_data();
    void concurrentOfflineChangesEndAsThePolicySays();
    void laterChangesFollowTheOneTheUserKept();
    void editOfAMessageTheUserMayNotChangeFailsVisibly();

private:
    /// A fresh room owned by Ada, both clients in it and live.
    QString newRoom();
    bool connectAndJoin(Replica &replica, const QString &roomId);
    /// The server's state of an entity, read over REST as Ada.
    std::optional<EntityState> serverState(const QString &roomId, const QString &entity);
    std::unique_ptr<Replica> makeReplica(const QString &userId);

    std::unique_ptr<ServerProcess> m_server;
    QHash<QString, QString> m_tokens;
    ManualClock m_physical{QDateTime::currentDateTimeUtc()};
    int m_rooms = 0;
};

void TestOfflineConflicts::initTestCase()
{
    m_server = std::make_unique<ServerProcess>();
    QVERIFY(m_server->start());
    for (const QString &user : {QStringLiteral("ada"), QStringLiteral("bob")}) {
        QVERIFY(m_server->addUser(user));
        const QString token = m_server->login(user);
        QVERIFY2(!token.isEmpty(), qPrintable(user));
        m_tokens.insert(user, token);
    }
}

void TestOfflineConflicts::cleanupTestCase()
{
    if (m_server)
        QCOMPARE(m_server->terminate(), 0);
}

std::unique_ptr<Replica> TestOfflineConflicts::makeReplica(const QString &userId)
{
    const quint64 nodeId = userId == QLatin1String("ada") ? 0xada : 0xb0b;
    return std::make_unique<Replica>(userId, nodeId, m_physical, *m_server, m_tokens.value(userId));
}

bool TestOfflineConflicts::connectAndJoin(Replica &replica, const QString &roomId)
{
    if (!replica.session.joinRoom(roomId))
        return false;
    replica.session.connectToServer();
    return QTest::qWaitFor([&] { return replica.session.isRoomLive(roomId); }, Timeout);
}

std::optional<EntityState> TestOfflineConflicts::serverState(const QString &roomId, const QString &entity)
{
    QNetworkAccessManager network;
    QNetworkRequest request(m_server->httpUrl(QStringLiteral("/api/entities/%1/%2").arg(roomId, entity)));
    request.setRawHeader("Authorization", "Bearer " + m_tokens.value(QStringLiteral("ada")).toUtf8());
    std::unique_ptr<QNetworkReply> reply(network.get(request));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(Timeout))
        return std::nullopt;
    if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200) {
        qWarning() << "GET" << entity << "answered" << reply->readAll();
        return std::nullopt;
    }
    return EntityState::fromJson(QJsonDocument::fromJson(reply->readAll()).object());
}

void TestOfflineConflicts::concurrentOfflineChangesEndAsThePolicySays_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<bool>("adaFirst");
    const QList<std::pair<const char *, Scenario>> scenarios{
        {"server wins", Scenario::ServerWins},          {"client wins", Scenario::ClientWins},
        {"last write wins", Scenario::LastWriteWins},   {"ask user, keep theirs", Scenario::AskKeepTheirs},
        {"ask user, keep mine", Scenario::AskKeepMine}, {"ask user, use merged", Scenario::AskMerge},
        {"custom merge", Scenario::CustomMerge},
    };
    for (const auto &[name, scenario] : scenarios) {
        QTest::addRow("%s, ada back first", name) << scenario << true;
        QTest::addRow("%s, bob back first", name) << scenario << false;
    }
}

void TestOfflineConflicts::concurrentOfflineChangesEndAsThePolicySays()
{
    QFETCH(Scenario, scenario);
    QFETCH(bool, adaFirst);

    const QString roomId = QStringLiteral("conflicts-%1").arg(++m_rooms);
    std::unique_ptr<Replica> ada = makeReplica(QStringLiteral("ada"));
    std::unique_ptr<Replica> bob = makeReplica(QStringLiteral("bob"));
    QVERIFY(ada->ready && bob->ready);

    // Every client runs the same policy for both kinds, as a user setting would.
    QList<std::tuple<QJsonObject, QJsonObject, QJsonObject>> mergeCalls;
    const auto mergeBy = [&mergeCalls](const char *field) {
        return [&mergeCalls, field](const QJsonObject &base, const QJsonObject &minePatch,
                                    const QJsonObject &theirs) {
            mergeCalls.append({base, minePatch, theirs});
            const QLatin1String key(field);
            return QJsonObject{{key, theirs.value(key).toString() + QStringLiteral(" + ") +
                                         minePatch.value(key).toString()}};
        };
    };
    for (Replica *replica : {ada.get(), bob.get()}) {
        switch (scenario) {
        case Scenario::ServerWins:
        case Scenario::ClientWins:
        case Scenario::LastWriteWins: {
            const ConflictPolicy policy = scenario == Scenario::ServerWins   ? ConflictPolicy::ServerWins
                                          : scenario == Scenario::ClientWins ? ConflictPolicy::ClientWins
                                                                             : ConflictPolicy::LastWriteWins;
            replica->resolver.setPolicy(EntityKind::Room, policy);
            replica->resolver.setPolicy(EntityKind::Message, policy);
            break;
        }
        case Scenario::AskKeepTheirs:
        case Scenario::AskKeepMine:
        case Scenario::AskMerge:
            replica->resolver.setPolicy(EntityKind::Room, ConflictPolicy::AskUser);
            replica->resolver.setPolicy(EntityKind::Message, ConflictPolicy::AskUser);
            break;
        case Scenario::CustomMerge:
            replica->resolver.setPolicy(EntityKind::Room, ConflictPolicy::CustomMerge, mergeBy("topic"));
            replica->resolver.setPolicy(EntityKind::Message, ConflictPolicy::CustomMerge, mergeBy("text"));
            break;
        }
    }

    // Online: Ada creates the room and sets its topic; Bob writes a message.
    QVERIFY(connectAndJoin(*ada, roomId));
    QVERIFY(connectAndJoin(*bob, roomId));
    QVERIFY(ada->setTopic(roomId, QStringLiteral("base topic")));
    for (Replica *replica : {ada.get(), bob.get()}) {
        QTRY_COMPARE_WITH_TIMEOUT(replica->cache.confirmed(roomId, Topic).version, 1, Timeout);
        QCOMPARE(replica->displayed(roomId, Topic), topicValue(QStringLiteral("base topic")));
    }
    QVERIFY(bob->sendChat(roomId, QStringLiteral("original text")));
    QTRY_COMPARE_WITH_TIMEOUT(bob->acks.size(), 1, Timeout);
    const QString messageId = bob->acks.first().second.value(QLatin1String("messageId")).toString();
    QVERIFY(!messageId.isEmpty());
    const QString message = QStringLiteral("message/") + messageId;

    // Offline: both change the topic and the message. Bob's changes are a second later.
    for (Replica *replica : {ada.get(), bob.get()}) {
        replica->session.disconnectFromServer();
        QTRY_COMPARE_WITH_TIMEOUT(replica->session.state(), Session::State::Disconnected, Timeout);
        replica->clearRecords();
    }
    const auto topicOf = [](const Replica &replica) {
        return replica.userId + QStringLiteral(" topic");
    };
    const auto textOf = [](const Replica &replica) {
        return replica.userId + QStringLiteral(" text");
    };
    QList<QString> cids;
    for (Replica *replica : {ada.get(), bob.get()}) {
        const auto topicChange = replica->setTopic(roomId, topicOf(*replica));
        const auto edit =
            replica->editMessage(roomId, messageId, textOf(*replica), QStringLiteral("original text"));
        QVERIFY(topicChange && edit);
        QCOMPARE(topicChange->baseVersion, 1);
        QCOMPARE(edit->baseVersion, 1);
        QCOMPARE(replica->queue.pendingCount(), 2);
        QCOMPARE(replica->displayed(roomId, Topic), topicValue(topicOf(*replica)));
        QCOMPARE(replica->displayed(roomId, message), textValue(textOf(*replica)));
        m_physical.advance(1000);
    }

    Replica &first = adaFirst ? *ada : *bob;
    Replica &second = adaFirst ? *bob : *ada;

    // The first one back stores both changes without a conflict.
    first.session.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(first.acks.size(), 2, Timeout);
    QCOMPARE(first.queue.pendingCount(), 0);
    QVERIFY(first.resolved.isEmpty() && first.asked.isEmpty() && first.failed.isEmpty());
    const auto firstTopic = serverState(roomId, Topic);
    QVERIFY(firstTopic);
    QCOMPARE(firstTopic->version, 2);
    QCOMPARE(firstTopic->value, topicValue(topicOf(first)));

    // The second one back meets version 2 for both.
    second.session.connectToServer();
    const bool asksUser = scenario == Scenario::AskKeepTheirs || scenario == Scenario::AskKeepMine ||
                          scenario == Scenario::AskMerge;
    if (asksUser) {
        QTRY_COMPARE_WITH_TIMEOUT(second.asked.size(), 2, Timeout);
        for (const auto &[mine, theirs] : std::as_const(second.asked)) {
            const bool isTopic = mine.entity == Topic;
            QCOMPARE(mine.state, MutationState::Conflicted);
            QCOMPARE(mine.payload.value(QLatin1String("patch")).toObject(),
                     isTopic ? topicValue(topicOf(second)) : textValue(textOf(second)));
            QCOMPARE(mine.baseValue, isTopic ? topicValue(QStringLiteral("base topic"))
                                             : textValue(QStringLiteral("original text")));
            QCOMPARE(theirs.version, 2);
            QCOMPARE(theirs.updatedBy, first.userId);
            QCOMPARE(theirs.value, isTopic ? topicValue(topicOf(first)) : textValue(textOf(first)));
        }
        // While the user decides, their change is kept (not sent, not lost) and theirs is shown.
        QCOMPARE(second.queue.pendingCount(), 2);
        for (const Mutation &kept : second.queue.pending())
            QCOMPARE(kept.state, MutationState::Conflicted);
        QVERIFY(second.queue.sendable(10).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(second.displayed(roomId, Topic), topicValue(topicOf(first)), Timeout);
        QVERIFY(second.resolved.isEmpty());

        for (const auto &[mine, theirs] : std::as_const(second.asked)) {
            const bool isTopic = mine.entity == Topic;
            SyncEngine::Resolution resolution = SyncEngine::Resolution::KeepTheirs;
            QJsonObject merged;
            if (scenario == Scenario::AskKeepMine) {
                resolution = SyncEngine::Resolution::KeepMine;
            } else if (scenario == Scenario::AskMerge) {
                resolution = SyncEngine::Resolution::UseMerged;
                merged = isTopic ? topicValue(topicOf(first) + QStringLiteral(" & ") + topicOf(second))
                                 : textValue(textOf(first) + QStringLiteral(" & ") + textOf(second));
            }
            QVERIFY(second.engine.resolveConflict(mine.cid, resolution, merged));
        }
        // A second answer to the same conflict is refused.
        QVERIFY(
            !second.engine.resolveConflict(second.asked.first().first.cid, SyncEngine::Resolution::KeepMine));
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(second.resolved.size(), 2, Timeout);
        QVERIFY(second.asked.isEmpty());
        const ConflictPolicy expectedPolicy = scenario == Scenario::ServerWins   ? ConflictPolicy::ServerWins
                                              : scenario == Scenario::ClientWins ? ConflictPolicy::ClientWins
                                              : scenario == Scenario::LastWriteWins
                                                  ? ConflictPolicy::LastWriteWins
                                                  : ConflictPolicy::CustomMerge;
        for (const auto &[mine, policy] : std::as_const(second.resolved)) {
            QCOMPARE(policy, expectedPolicy);
            // The signal names the change it settled, so the loser can be told what happened to it.
            const bool isTopic = mine.entity == Topic;
            QCOMPARE(mine.payload.value(QLatin1String("patch")).toObject(),
                     isTopic ? topicValue(topicOf(second)) : textValue(textOf(second)));
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(second.queue.pendingCount(), 0, Timeout);
    QVERIFY(second.failed.isEmpty());
    QVERIFY(first.resolved.isEmpty() && first.asked.isEmpty());

    if (scenario == Scenario::CustomMerge) {
        QCOMPARE(mergeCalls.size(), 2);
        for (const auto &[base, minePatch, theirs] : std::as_const(mergeCalls)) {
            const bool isTopic = minePatch.contains(QLatin1String("topic"));
            QCOMPARE(base, isTopic ? topicValue(QStringLiteral("base topic"))
                                   : textValue(QStringLiteral("original text")));
            QCOMPARE(minePatch, isTopic ? topicValue(topicOf(second)) : textValue(textOf(second)));
            QCOMPARE(theirs, isTopic ? topicValue(topicOf(first)) : textValue(textOf(first)));
        }
    } else {
        QVERIFY(mergeCalls.isEmpty());
    }

    // What the policy promises.
    QString topic;
    QString text;
    switch (scenario) {
    case Scenario::ServerWins:
    case Scenario::AskKeepTheirs:
        topic = topicOf(first);
        text = textOf(first);
        break;
    case Scenario::ClientWins:
    case Scenario::AskKeepMine:
        topic = topicOf(second);
        text = textOf(second);
        break;
    case Scenario::LastWriteWins: // Bob's changes carry the later stamps, whoever is back first
        topic = topicOf(*bob);
        text = textOf(*bob);
        break;
    case Scenario::AskMerge:
        topic = topicOf(first) + QStringLiteral(" & ") + topicOf(second);
        text = textOf(first) + QStringLiteral(" & ") + textOf(second);
        break;
    case Scenario::CustomMerge:
        topic = topicOf(first) + QStringLiteral(" + ") + topicOf(second);
        text = textOf(first) + QStringLiteral(" + ") + textOf(second);
        break;
    }
    const bool secondWrote = topic != topicOf(first);
    const qint64 version = secondWrote ? 3 : 2;

    const auto serverTopic = serverState(roomId, Topic);
    const auto serverMessage = serverState(roomId, message);
    QVERIFY(serverTopic && serverMessage);
    QCOMPARE(serverTopic->value, topicValue(topic));
    QCOMPARE(serverTopic->version, version);
    QCOMPARE(serverTopic->updatedBy, secondWrote ? second.userId : first.userId);
    QCOMPARE(serverMessage->value, textValue(text));
    QCOMPARE(serverMessage->version, version);

    for (Replica *replica : {&first, &second}) {
        QTRY_COMPARE_WITH_TIMEOUT(replica->cache.confirmed(roomId, Topic).version, version, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(replica->cache.confirmed(roomId, message).version, version, Timeout);
        QVERIFY2(replica->displayed(roomId, Topic) == topicValue(topic),
                 qPrintable(replica->userId + QStringLiteral(" shows ") +
                            describe(replica->displayed(roomId, Topic))));
        QVERIFY2(replica->displayed(roomId, message) == textValue(text),
                 qPrintable(replica->userId + QStringLiteral(" shows ") +
                            describe(replica->displayed(roomId, message))));
        QCOMPARE(replica->cache.heldCount(), 0);
        // Nothing left behind on disk either (settled rows go at the end of an event-loop turn).
        QTRY_VERIFY_WITH_TIMEOUT(replica->store.mutations() && replica->store.mutations()->isEmpty(),
                                 Timeout);
    }
}

void TestOfflineConflicts::laterChangesFollowTheOneTheUserKept()
{
    // Bob changes the topic twice offline, the second on top of the first;
    // Ada changes it meanwhile. Bob keeps his first change: the second, made
    // on top of it, must follow it without asking him about it again.
    const QString roomId = QStringLiteral("conflicts-%1").arg(++m_rooms);
    std::unique_ptr<Replica> ada = makeReplica(QStringLiteral("ada"));
    std::unique_ptr<Replica> bob = makeReplica(QStringLiteral("bob"));
    QVERIFY(ada->ready && bob->ready);
    bob->resolver.setPolicy(EntityKind::Room, ConflictPolicy::AskUser);
    QVERIFY(connectAndJoin(*ada, roomId));
    QVERIFY(connectAndJoin(*bob, roomId));
    QVERIFY(ada->setTopic(roomId, QStringLiteral("base topic")));
    QTRY_COMPARE_WITH_TIMEOUT(bob->cache.confirmed(roomId, Topic).version, 1, Timeout);

    bob->session.disconnectFromServer();
    QTRY_COMPARE_WITH_TIMEOUT(bob->session.state(), Session::State::Disconnected, Timeout);
    const auto firstChange = bob->setTopic(roomId, QStringLiteral("bob 1"));
    const auto secondChange = bob->setTopic(roomId, QStringLiteral("bob 2"));
    QVERIFY(firstChange && secondChange);
    QCOMPARE(secondChange->baseVersion, 2);
    QVERIFY(ada->setTopic(roomId, QStringLiteral("ada topic")));
    QTRY_COMPARE_WITH_TIMEOUT(ada->cache.confirmed(roomId, Topic).version, 2, Timeout);

    bob->session.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(bob->asked.size(), 1, Timeout);
    QCOMPARE(bob->asked.first().first.cid, firstChange->cid);
    QVERIFY(bob->engine.resolveConflict(firstChange->cid, SyncEngine::Resolution::KeepMine));
    QTRY_COMPARE_WITH_TIMEOUT(bob->queue.pendingCount(), 0, Timeout);
    QCOMPARE(bob->asked.size(), 1);
    QCOMPARE(bob->acks.size(), 2);

    const auto server = serverState(roomId, Topic);
    QVERIFY(server);
    QCOMPARE(server->version, 4);
    QCOMPARE(server->value, topicValue(QStringLiteral("bob 2")));
    for (Replica *replica : {ada.get(), bob.get()}) {
        QTRY_COMPARE_WITH_TIMEOUT(replica->cache.confirmed(roomId, Topic).version, 4, Timeout);
        QCOMPARE(replica->displayed(roomId, Topic), topicValue(QStringLiteral("bob 2")));
    }
}

void TestOfflineConflicts::editOfAMessageTheUserMayNotChangeFailsVisibly()
{
    // Only a message's author and the room's owner may change it: Bob's offline
    // edit of Ada's message is refused, and he is told so instead of losing it quietly.
    const QString roomId = QStringLiteral("conflicts-%1").arg(++m_rooms);
    std::unique_ptr<Replica> ada = makeReplica(QStringLiteral("ada"));
    std::unique_ptr<Replica> bob = makeReplica(QStringLiteral("bob"));
    QVERIFY(ada->ready && bob->ready);
    QVERIFY(connectAndJoin(*ada, roomId));
    QVERIFY(connectAndJoin(*bob, roomId));
    QVERIFY(ada->sendChat(roomId, QStringLiteral("ada's words")));
    QTRY_COMPARE_WITH_TIMEOUT(ada->acks.size(), 1, Timeout);
    const QString messageId = ada->acks.first().second.value(QLatin1String("messageId")).toString();
    const QString message = QStringLiteral("message/") + messageId;

    bob->session.disconnectFromServer();
    QTRY_COMPARE_WITH_TIMEOUT(bob->session.state(), Session::State::Disconnected, Timeout);
    const auto edit =
        bob->editMessage(roomId, messageId, QStringLiteral("bob's words"), QStringLiteral("ada's words"));
    QVERIFY(edit);
    QCOMPARE(bob->displayed(roomId, message), textValue(QStringLiteral("bob's words")));

    bob->session.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(bob->failed.size(), 1, Timeout);
    QCOMPARE(bob->failed.first().first.cid, edit->cid);
    QCOMPARE(bob->failed.first().first.state, MutationState::Failed);
    QVERIFY2(bob->failed.first().second.contains(QLatin1String("author")),
             qPrintable(bob->failed.first().second));
    // Kept for "Retry" or "Discard", also on disk; no longer shown as if it had happened.
    QCOMPARE(bob->queue.pendingCount(), 1);
    const auto stored = bob->store.mutations();
    QVERIFY(stored);
    QCOMPARE(stored->size(), 1);
    QCOMPARE(stored->first().state, MutationState::Failed);
    QVERIFY(bob->displayed(roomId, message).isEmpty());

    const auto server = serverState(roomId, message);
    QVERIFY(server);
    QCOMPARE(server->version, 1);
    QCOMPARE(server->value, textValue(QStringLiteral("ada's words")));
    QVERIFY(bob->engine.discard(edit->cid));
    QCOMPARE(bob->queue.pendingCount(), 0);
}

QTEST_MAIN(TestOfflineConflicts)
#include "tst_offlineconflicts.moc"
