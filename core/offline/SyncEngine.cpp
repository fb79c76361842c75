#include "core/offline/SyncEngine.h"

#include "core/protocol/MessageType.h"

#include <QJsonArray>

#include <QLoggingCategory>
#include <cmath>

namespace tandem::offline {

namespace {
Q_LOGGING_CATEGORY(lcSync, "tandem.offline.sync")

namespace MessageType = protocol::MessageType;
using protocol::ErrorCode;

QJsonObject payloadOf(const QJsonObject &message)
{
    return message.value(QLatin1String("payload")).toObject();
}

/// Worth another try later: the server was busy or could not store it this time.
bool isTransient(ErrorCode code)
{
    return code == ErrorCode::Internal || code == ErrorCode::RateLimited;
}

void warnIfFailed(const Result<void> &result, const char *what)
{
    if (!result)
        qCWarning(lcSync) << what << "failed:" << result.error().message;
}

} // namespace

SyncEngine::SyncEngine(client::Session &session, MutationQueue &queue, EntityCache &entities,
                       ConflictResolver &resolver, client::TimerSource &timers, const Clock &clock,
                       QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_queue(queue)
    , m_entities(entities)
    , m_resolver(resolver)
    , m_timers(timers)
    , m_backoff(client::BackoffPolicy{})
    , m_clock(clock)
{
    const auto on = [this](QLatin1StringView type, void (SyncEngine::*handler)(const QJsonObject &)) {
        m_subscriptions.append(m_session.subscribe(
            QString(type), [this, handler](const QJsonObject &message) { (this->*handler)(message); }));
    };
    on(MessageType::Ack, &SyncEngine::onAck);
    on(MessageType::Error, &SyncEngine::onError);
    on(MessageType::EntityChanged, &SyncEngine::onEntityChanged);
    on(MessageType::RoomJoined, &SyncEngine::onRoomJoined);
    on(MessageType::AuthOk, &SyncEngine::onAuthOk);
    connect(&m_session, &client::Session::stateChanged, this, [this](client::Session::State state) {
        if (state != client::Session::State::Connected)
            onConnectionLost();
    });
    // A change made while connected goes out at once.
    connect(&m_queue, &MutationQueue::mutationAdded, this, &SyncEngine::pump);
}

SyncEngine::~SyncEngine()
{
    for (const int subscription : std::as_const(m_subscriptions))
        m_session.unsubscribe(subscription);
    if (m_retryTimer)
        m_timers.cancel(m_retryTimer);
    if (m_paceTimer)
        m_timers.cancel(m_paceTimer);
}

void SyncEngine::onAuthOk(const QJsonObject &message)
{
    // Subscribed handlers run after the Session applied auth:ok, so requests can go out now.
    m_resolver.setUser(m_session.userId());
    const QJsonObject limits = payloadOf(message).value(QLatin1String("limits")).toObject();
    const double rate = limits.value(QLatin1String("messagesPerSecond")).toDouble();
    const double burst = limits.value(QLatin1String("burst")).toDouble();
    if (rate <= 0 || burst <= 0) {
        m_sendRate = 0; // a server that states no limits is not paced
    } else {
        m_sendRate = std::max(1.0, rate * 0.75);
        m_sendBurst = std::max(1.0, std::floor(burst / 2));
        // A new connection starts with a full bucket on the server too.
        m_sendBudget = m_sendBurst;
        m_budgetStampMs = m_clock.monotonicMs();
    }
    pump();
}

double SyncEngine::availableSends()
{
    const qint64 now = m_clock.monotonicMs();
    m_sendBudget = std::min(m_sendBurst,
                            m_sendBudget + static_cast<double>(now - m_budgetStampMs) * m_sendRate / 1000.0);
    m_budgetStampMs = now;
    return m_sendBudget;
}

void SyncEngine::schedulePacedPump()
{
    if (m_paceTimer)
        return;
    const auto waitMs = static_cast<qint64>(std::ceil((1.0 - m_sendBudget) * 1000.0 / m_sendRate));
    m_paceTimer = m_timers.start(std::max<qint64>(1, waitMs), [this] {
        m_paceTimer = 0;
        pump();
    });
}

void SyncEngine::pump()
{
    if (!m_session.isAuthenticated() || m_refs.size() >= m_window)
        return;
    int room = m_window - static_cast<int>(m_refs.size());
    if (m_sendRate > 0)
        room =
            std::min(room, static_cast<int>(availableSends() + 1e-9)); // no float dust short of a whole send
    const QList<Mutation> ready = m_queue.sendable(std::max(0, room));
    if (ready.isEmpty() && m_sendRate > 0 && !m_queue.sendable(1).isEmpty())
        schedulePacedPump(); // something waits for the budget
    for (const Mutation &mutation : ready) {
        // The stored payload is the wire payload minus what the queue tracks itself.
        QJsonObject payload = mutation.payload;
        payload.insert(QStringLiteral("roomId"), mutation.roomId);
        if (mutation.isVersioned()) {
            payload.insert(QStringLiteral("entity"), mutation.entity);
            payload.insert(QStringLiteral("baseVersion"), mutation.baseVersion);
            payload.insert(QStringLiteral("hlc"), mutation.createdAt.toString());
        }
        const Result<QString> sent = m_session.sendRequest(mutation.type, payload, mutation.cid);
        if (!sent)
            return; // the connection went; the next authenticated() pumps again
        m_refs.insert(*sent, mutation.cid);
        m_queue.markInFlight(mutation.cid);
        if (m_sendRate > 0)
            m_sendBudget -= 1;
    }
    if (m_sendRate > 0 && !ready.isEmpty() && m_sendBudget < 1 && !m_queue.sendable(1).isEmpty())
        schedulePacedPump();
}

QString SyncEngine::takeRef(const QString &ref)
{
    const QString cid = m_refs.take(ref);
    if (cid.isEmpty())
        return cid;
    constexpr qsizetype RememberedRefs = 1024;
    m_answeredRefs.insert(ref);
    m_answeredOrder.append(ref);
    if (m_answeredOrder.size() > RememberedRefs)
        m_answeredRefs.remove(m_answeredOrder.takeFirst());
    return cid;
}

void SyncEngine::onConnectionLost()
{
    m_refs.clear();
    m_queue.requeueInFlight();
}

void SyncEngine::onAck(const QJsonObject &message)
{
    const QJsonObject payload = payloadOf(message);
    takeRef(payload.value(QLatin1String("ref")).toString());
    const QString cid = payload.value(QLatin1String("cid")).toString();
    const std::optional<Mutation> mutation = m_queue.find(cid);
    if (!mutation)
        return;
    std::optional<qint64> version;
    if (payload.contains(QLatin1String("version")))
        version = payload.value(QLatin1String("version")).toInteger();
    warnIfFailed(m_queue.settle(cid, version), "settling a change");
    Q_EMIT acknowledged(*mutation, payload);
    if (m_refs.size() <= m_window / 2)
        pump();
}

void SyncEngine::onError(const QJsonObject &message)
{
    const QJsonObject payload = payloadOf(message);
    const QString cid = takeRef(payload.value(QLatin1String("ref")).toString());
    const std::optional<Mutation> mutation = cid.isEmpty() ? std::nullopt : m_queue.find(cid);
    if (!mutation)
        return;
    const ErrorCode code = protocol::errorCodeFromString(payload.value(QLatin1String("code")).toString());
    const QString reason = payload.value(QLatin1String("message")).toString();
    if (code == ErrorCode::Conflict) {
        handleConflict(*mutation, payload);
    } else if (isTransient(code)) {
        warnIfFailed(m_queue.retryLater(cid), "requeueing a change");
        scheduleRetry(mutation->retries + 1);
        return;
    } else {
        warnIfFailed(m_queue.fail(cid, reason), "marking a change failed");
        Q_EMIT mutationFailed(*m_queue.find(cid), reason);
    }
    pump();
}

void SyncEngine::handleConflict(const Mutation &mine, const QJsonObject &payload)
{
    const std::optional<protocol::EntityState> theirs =
        protocol::EntityState::fromJson(payload.value(QLatin1String("current")).toObject());
    const QString reason = payload.value(QLatin1String("message")).toString();
    if (!theirs) {
        warnIfFailed(m_queue.fail(mine.cid, reason), "marking a change failed");
        return;
    }
    // Conflicted first: then it no longer holds the entity back, and the
    // server's state becomes the confirmed one.
    warnIfFailed(m_queue.conflict(mine.cid, theirs->toJson(), reason), "recording a conflict");
    m_entities.applyRemote(*theirs);

    const ConflictPolicy policy = m_resolver.policyFor(mine, *theirs);
    const ConflictDecision decision = m_resolver.decide(mine, *theirs);
    switch (decision.action) {
    case ConflictDecision::Action::DropMine:
        warnIfFailed(m_queue.discard(mine.cid), "dropping a change");
        Q_EMIT conflictResolved(mine, policy);
        break;
    case ConflictDecision::Action::Reapply:
        warnIfFailed(m_queue.reapply(mine.cid, theirs->version, {{QStringLiteral("patch"), decision.patch}}),
                     "reapplying a change");
        Q_EMIT conflictResolved(mine, policy);
        break;
    case ConflictDecision::Action::AskUser:
        Q_EMIT conflictNeedsUser(*m_queue.find(mine.cid), *theirs);
        break;
    }
}

Result<void> SyncEngine::resolveConflict(const QString &cid, Resolution resolution, const QJsonObject &merged)
{
    const std::optional<Mutation> mine = m_queue.find(cid);
    if (!mine || mine->state != MutationState::Conflicted)
        return protocol::fail(ErrorCode::NotFound, QStringLiteral("no conflict for %1").arg(cid));
    const std::optional<protocol::EntityState> theirs = protocol::EntityState::fromJson(mine->current);
    const qint64 version = theirs ? theirs->version : 0;
    Result<void> result;
    switch (resolution) {
    case Resolution::KeepTheirs:
        result = m_queue.discard(cid);
        break;
    case Resolution::KeepMine:
        result = m_queue.reapply(cid, version, mine->payload);
        break;
    case Resolution::UseMerged:
        result = m_queue.reapply(cid, version, {{QStringLiteral("patch"), merged}});
        break;
    }
    pump();
    return result;
}

Result<void> SyncEngine::retry(const QString &cid)
{
    Result<void> result = m_queue.retry(cid);
    pump();
    return result;
}

Result<void> SyncEngine::retryWith(const QString &cid, const QJsonObject &payload)
{
    const std::optional<Mutation> mutation = m_queue.find(cid);
    if (!mutation)
        return protocol::fail(ErrorCode::NotFound, QStringLiteral("no pending change %1").arg(cid));
    Result<void> result = m_queue.reapply(cid, mutation->baseVersion, payload);
    pump();
    return result;
}

Result<void> SyncEngine::discard(const QString &cid)
{
    return m_queue.discard(cid);
}

void SyncEngine::scheduleRetry(int retries)
{
    if (m_retryTimer)
        return; // one wake-up serves every change waiting to retry
    m_retryTimer = m_timers.start(m_backoff.nextDelay(retries), [this] {
        m_retryTimer = 0;
        pump();
    });
}

void SyncEngine::onEntityChanged(const QJsonObject &message)
{
    if (const auto state = protocol::EntityState::fromJson(payloadOf(message)))
        m_entities.applyRemote(*state);
}

void SyncEngine::onRoomJoined(const QJsonObject &message)
{
    for (const QJsonValue &entity : payloadOf(message).value(QLatin1String("entities")).toArray()) {
        if (const auto state = protocol::EntityState::fromJson(entity.toObject()))
            m_entities.applyRemote(*state);
    }
}

} // namespace tandem::offline
