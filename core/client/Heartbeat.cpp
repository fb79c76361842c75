#include "core/client/Heartbeat.h"

#include "core/client/ClientLogging.h"

namespace tandem::client {

Heartbeat::Heartbeat(HeartbeatPolicy policy, const Clock &clock, TimerSource &timers, QObject *parent)
    : QObject(parent)
    , m_policy(policy)
    , m_clock(clock)
    , m_timers(timers)
{}

Heartbeat::~Heartbeat()
{
    cancelTimers();
}

void Heartbeat::start()
{
    stop();
    m_running = true;
    m_pingTimer = m_timers.start(m_policy.intervalMs, [this] { sendPing(); });
}

void Heartbeat::stop()
{
    cancelTimers();
    m_running = false;
    m_pingSentAtMs = -1;
}

void Heartbeat::pongReceived()
{
    if (m_pongTimer == 0)
        return;
    m_timers.cancel(m_pongTimer);
    m_pongTimer = 0;
    m_lastRoundTripMs = m_clock.monotonicMs() - m_pingSentAtMs;
}

void Heartbeat::sendPing()
{
    m_pingTimer = 0;
    m_pingSentAtMs = m_clock.monotonicMs();
    // The next ping is timed from this one, so a slow pong does not stretch the cycle.
    m_pingTimer = m_timers.start(m_policy.intervalMs, [this] { sendPing(); });
    if (m_pongTimer == 0)
        m_pongTimer = m_timers.start(m_policy.pongTimeoutMs, [this] { onPongTimeout(); });
    Q_EMIT pingDue();
}

void Heartbeat::onPongTimeout()
{
    m_pongTimer = 0;
    qCInfo(lcClient) << "no pong within" << m_policy.pongTimeoutMs << "ms: connection is dead";
    stop();
    Q_EMIT timedOut();
}

void Heartbeat::cancelTimers()
{
    if (m_pingTimer != 0)
        m_timers.cancel(m_pingTimer);
    if (m_pongTimer != 0)
        m_timers.cancel(m_pongTimer);
    m_pingTimer = 0;
    m_pongTimer = 0;
}

} // namespace tandem::client
