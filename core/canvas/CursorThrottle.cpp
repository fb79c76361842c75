#include "core/canvas/CursorThrottle.h"

#include <utility>

namespace tandem::canvas {

CursorThrottle::CursorThrottle(const Clock &clock, client::TimerSource &timers, Send send)
    : m_clock(clock)
    , m_timers(timers)
    , m_send(std::move(send))
{}

CursorThrottle::~CursorThrottle()
{
    cancel();
}

void CursorThrottle::pointerMoved(QPointF position)
{
    if (m_timerId != 0) {
        // Inside the interval: only the newest position matters.
        m_pending = position;
        return;
    }
    // A pointer event that did not move (some platforms repeat them) is not news.
    if (m_lastAccepted && *m_lastAccepted == position)
        return;
    const qint64 now = m_clock.monotonicMs();
    if (!m_lastSendMs || now - *m_lastSendMs >= MinIntervalMs) {
        sendNow(position); // leading edge
        return;
    }
    m_pending = position;
    m_timerId = m_timers.start(*m_lastSendMs + MinIntervalMs - now, [this] { flushPending(); });
}

void CursorThrottle::cancel()
{
    m_pending.reset();
    if (m_timerId != 0) {
        m_timers.cancel(m_timerId);
        m_timerId = 0;
    }
}

qint64 CursorThrottle::sentCount() const
{
    return m_sentCount;
}

void CursorThrottle::sendNow(QPointF position)
{
    // The interval starts even when `send` refuses: the bound is on what is handed over.
    m_lastSendMs = m_clock.monotonicMs();
    ++m_sentCount;
    if (m_send(position))
        m_lastAccepted = position;
    else
        m_lastAccepted.reset(); // nothing is queued; the next move goes out as news
}

void CursorThrottle::flushPending()
{
    m_timerId = 0;
    if (!m_pending)
        return;
    const qint64 now = m_clock.monotonicMs();
    const qint64 wait = *m_lastSendMs + MinIntervalMs - now;
    if (wait > 0) {
        // Real timers may fire a little early; the bound is kept by the clock, not the timer.
        m_timerId = m_timers.start(wait, [this] { flushPending(); });
        return;
    }
    const QPointF position = *std::exchange(m_pending, std::nullopt);
    if (m_lastAccepted && *m_lastAccepted == position)
        return; // moved away and back within the interval
    sendNow(position);
}

} // namespace tandem::canvas
