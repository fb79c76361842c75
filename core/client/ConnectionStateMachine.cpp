#include "core/client/ConnectionStateMachine.h"

#include "core/client/ClientLogging.h"
#include "core/client/Transport.h"
#include "core/protocol/ErrorCode.h"

namespace tandem::client {

using protocol::CloseAuthFailed;
using protocol::CloseNormal;

ConnectionStateMachine::ConnectionStateMachine(Backoff backoff, const Clock &clock, TimerSource &timers,
                                               QObject *parent)
    : QObject(parent)
    , m_backoff(std::move(backoff))
    , m_clock(clock)
    , m_timers(timers)
{}

ConnectionStateMachine::~ConnectionStateMachine()
{
    cancelRetry();
}

QString ConnectionStateMachine::stateName(State state)
{
    switch (state) {
    case State::Idle:
        return QStringLiteral("idle");
    case State::Connecting:
        return QStringLiteral("connecting");
    case State::Connected:
        return QStringLiteral("connected");
    case State::Reconnecting:
        return QStringLiteral("reconnecting");
    case State::Disconnected:
        return QStringLiteral("disconnected");
    }
    return {};
}

QDateTime ConnectionStateMachine::nextRetryAt() const
{
    if (m_nextRetryAtMs < 0)
        return {};
    return m_clock.nowUtc().addMSecs(m_nextRetryAtMs - m_clock.monotonicMs());
}

void ConnectionStateMachine::setTransportName(const QString &name)
{
    if (name == m_transportName)
        return;
    m_transportName = name;
    Q_EMIT transportNameChanged(name);
}

void ConnectionStateMachine::connectRequested()
{
    if (m_state != State::Idle && m_state != State::Disconnected)
        return;
    m_attempt = 0;
    startConnecting();
}

void ConnectionStateMachine::opened()
{
    if (m_state != State::Connecting)
        return;
    m_attemptBeforeOpen = m_attempt;
    m_openedAtMs = m_clock.monotonicMs();
    m_attempt = 0;
    m_lastError.clear();
    m_lastCloseCode = 0;
    setState(State::Connected);
}

void ConnectionStateMachine::closed(int code, const QString &reason)
{
    if (m_state != State::Connecting && m_state != State::Connected)
        return;
    m_lastCloseCode = code;
    m_lastError = reason.isEmpty() ? QStringLiteral("connection closed (%1)").arg(code) : reason;
    qCInfo(lcClient) << "connection closed:" << code << m_lastError;
    if (code == CloseNormal) {
        setState(State::Disconnected, DisconnectReason::Closed);
        return;
    }
    if (code == CloseAuthFailed) {
        setState(State::Disconnected, DisconnectReason::AuthRequired);
        Q_EMIT authenticationRequired();
        return;
    }
    if (code == CloseTransportChange) {
        // The client closed a working connection itself to move to a better
        // transport: reconnect now, a fresh round, with no backoff wait.
        m_attempt = 0;
        startConnecting();
        return;
    }
    // Every other code is retryable: Qt 6.4 reports 1012..2999 (e.g. 1013) as 1002,
    // and 1006 (no close frame) is the common case of a dead server or network.
    if (m_state == State::Connected && m_clock.monotonicMs() - m_openedAtMs < StableConnectionMs) {
        // It opened but did not last: without this, a server that accepts and then drops every
        // connection would be retried at the shortest delay forever.
        m_attempt = m_attemptBeforeOpen;
    }
    if (m_backoff.exhausted(m_attempt + 1)) {
        setState(State::Disconnected, DisconnectReason::GaveUp);
        return;
    }
    ++m_attempt;
    scheduleRetry();
    setState(State::Reconnecting);
}

void ConnectionStateMachine::retryTimerFired()
{
    if (m_state != State::Reconnecting)
        return;
    cancelRetry();
    startConnecting();
}

void ConnectionStateMachine::giveUp()
{
    if (m_state != State::Connecting && m_state != State::Reconnecting)
        return;
    cancelRetry();
    setState(State::Disconnected, DisconnectReason::GaveUp);
}

void ConnectionStateMachine::disconnectRequested()
{
    if (m_state != State::Connecting && m_state != State::Connected && m_state != State::Reconnecting)
        return;
    cancelRetry();
    setState(State::Disconnected, DisconnectReason::Closed);
}

void ConnectionStateMachine::retryNow()
{
    if (m_state == State::Reconnecting) {
        cancelRetry();
        startConnecting(); // keeps the attempt number: the server may still be down
    } else if (m_state == State::Disconnected || m_state == State::Idle) {
        m_attempt = 0; // the user asked: a fresh round of retries
        startConnecting();
    }
}

void ConnectionStateMachine::networkBack()
{
    // A network change is no news to a live connection, and must not undo a
    // sign-out or a user's disconnect.
    if (m_state == State::Reconnecting) {
        cancelRetry();
        startConnecting();
    } else if (m_state == State::Disconnected && m_reason == DisconnectReason::GaveUp) {
        m_attempt = 0;
        startConnecting();
    }
}

void ConnectionStateMachine::setState(State state, DisconnectReason reason)
{
    m_reason = reason;
    if (state == m_state)
        return;
    qCDebug(lcClient) << "state" << stateName(m_state) << "->" << stateName(state) << "attempt" << m_attempt;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void ConnectionStateMachine::startConnecting()
{
    setState(State::Connecting);
    Q_EMIT connectRequired();
}

void ConnectionStateMachine::scheduleRetry()
{
    cancelRetry();
    const qint64 delay = m_backoff.nextDelay(m_attempt);
    m_nextRetryAtMs = m_clock.monotonicMs() + delay;
    m_retryTimer = m_timers.start(delay, [this] {
        m_retryTimer = 0; // fired: its id may be reused and must not be cancelled
        retryTimerFired();
    });
    Q_EMIT retryScheduled(m_attempt, delay);
}

void ConnectionStateMachine::cancelRetry()
{
    if (m_retryTimer != 0)
        m_timers.cancel(m_retryTimer);
    m_retryTimer = 0;
    m_nextRetryAtMs = -1;
}

} // namespace tandem::client
