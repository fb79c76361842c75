#pragma once
// Client-side liveness check: a `ping` every interval, a `pong` expected
// within the timeout, else the connection is declared dead. Proxies and mobile
// networks drop idle TCP connections silently; without this a client would
// sit "connected" to nothing until the OS gives up minutes later.

#include "core/client/TimerSource.h"
#include "core/common/Clock.h"

#include <QObject>

namespace tandem::client {

struct HeartbeatPolicy {
    qint64 intervalMs = 25000;   ///< below the server's 60 s idle timeout
    qint64 pongTimeoutMs = 5000; ///< no pong by then: the connection is dead
};

class Heartbeat : public QObject {
    Q_OBJECT

public:
    Heartbeat(HeartbeatPolicy policy, const Clock &clock, TimerSource &timers, QObject *parent = nullptr);
    ~Heartbeat() override;

    /// Starts the cycle: the first ping is due one interval from now.
    void start();
    void stop();
    bool isRunning() const { return m_running; }
    /// Call for every pong; an unexpected pong is ignored.
    void pongReceived();
    /// Round-trip time of the last answered ping, -1 before the first.
    qint64 lastRoundTripMs() const { return m_lastRoundTripMs; }
    const HeartbeatPolicy &policy() const { return m_policy; }

Q_SIGNALS:
    /// Send a ping now.
    void pingDue();
    /// No pong within the timeout: close the connection (4000) and reconnect.
    void timedOut();

private:
    void sendPing();
    void onPongTimeout();
    void cancelTimers();

    HeartbeatPolicy m_policy;
    const Clock &m_clock;
    TimerSource &m_timers;
    bool m_running = false;
    int m_pingTimer = 0;
    int m_pongTimer = 0;
    qint64 m_pingSentAtMs = -1;
    qint64 m_lastRoundTripMs = -1;
};

} // namespace tandem::client
