#pragma once
// The lifecycle of one connection, as pure logic: events in, state out. It
// owns only the retry timer; opening and closing the transport is the
// Session's job, asked for through connectRequired(). So every transition is
// unit-testable without a socket.
//
//   idle ──connectRequested──► connecting ──opened──► connected
//                                 ▲    │                  │
//              retryTimerFired /  │    └──closed(retryable)┤
//              retryNow /         │                       ▼
//              networkBack        └────────────────── reconnecting
//   closed(1000) → disconnected(Closed); closed(4001) → disconnected(AuthRequired);
//   closed(CloseTransportChange, 4900) → connecting at once (attempt 0, no backoff);
//   disconnectRequested → disconnected(Closed);
//   more than maxAttempts retries, or giveUp → disconnected(GaveUp), where
//   retryNow / networkBack start again from attempt 0.

#include "core/client/Backoff.h"
#include "core/client/TimerSource.h"
#include "core/common/Clock.h"

#include <QDateTime>
#include <QObject>
#include <QString>

namespace tandem::client {

class ConnectionStateMachine : public QObject {
    Q_OBJECT

public:
    enum class State { Idle, Connecting, Connected, Reconnecting, Disconnected };
    Q_ENUM(State)

    /// Why the machine is in Disconnected; the UI picks its message and action from it.
    enum class DisconnectReason {
        None,         ///< not disconnected
        Closed,       ///< close code 1000 or the user disconnected: do not retry
        AuthRequired, ///< close code 4001: show sign-in, do not retry
        GaveUp,       ///< retries exhausted (or giveUp): offer "Retry now"
    };
    Q_ENUM(DisconnectReason)

    ConnectionStateMachine(Backoff backoff, const Clock &clock, TimerSource &timers,
                           QObject *parent = nullptr);
    ~ConnectionStateMachine() override;

    State state() const { return m_state; }
    DisconnectReason disconnectReason() const { return m_reason; }
    /// A connection must stay up this long before its drop starts a fresh round of retries;
    /// one that drops sooner (a server that accepts and then closes at once) continues the backoff.
    static constexpr qint64 StableConnectionMs = 10000;

    /// The current retry number: 0 on a first connect, 1.. after drops; back to 0 once opened.
    int attempt() const { return m_attempt; }
    QString lastError() const { return m_lastError; }
    int lastCloseCode() const { return m_lastCloseCode; }
    /// When the pending retry fires, on the clock's monotonic scale; -1 when none is pending.
    qint64 nextRetryAtMs() const { return m_nextRetryAtMs; }
    /// The same instant as wall-clock UTC, for a "retrying at 12:03:05" label; null when none.
    QDateTime nextRetryAt() const;
    QString transportName() const { return m_transportName; }
    void setTransportName(const QString &name);
    const Backoff &backoff() const { return m_backoff; }

    static QString stateName(State state);

    // Events. Each is ignored in a state where it means nothing, so callers
    // need not check the state first.
    void connectRequested();
    /// The session is established (for Session: auth:ok received), not merely the socket.
    void opened();
    void closed(int code, const QString &reason);
    void retryTimerFired();
    void giveUp();
    /// The user disconnected: like a 1000 close, from any active state.
    void disconnectRequested();
    void retryNow();
    void networkBack();

Q_SIGNALS:
    void stateChanged(tandem::client::ConnectionStateMachine::State state);
    /// Entered Connecting: the owner must open the transport now.
    void connectRequired();
    void retryScheduled(int attempt, qint64 delayMs);
    /// A 4001 close: the token is bad, expired or revoked.
    void authenticationRequired();
    void transportNameChanged(const QString &name);

private:
    void setState(State state, DisconnectReason reason = DisconnectReason::None);
    void startConnecting();
    void scheduleRetry();
    void cancelRetry();

    Backoff m_backoff;
    const Clock &m_clock;
    TimerSource &m_timers;
    State m_state = State::Idle;
    DisconnectReason m_reason = DisconnectReason::None;
    int m_attempt = 0;
    int m_attemptBeforeOpen = 0; ///< the attempt that opened the connection, resumed if it proves unstable
    qint64 m_openedAtMs = 0;
    QString m_lastError;
    int m_lastCloseCode = 0;
    int m_retryTimer = 0;
    qint64 m_nextRetryAtMs = -1;
    QString m_transportName;
};

} // namespace tandem::client
