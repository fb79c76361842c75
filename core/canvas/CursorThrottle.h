#pragma once
// The outgoing half of live cursors (docs/CANVAS.md "Live cursors"): the
// pointer may report positions at 300 Hz, the wire gets at most 30 a second.
// The first move after a quiet spell goes out at once (leading edge), later
// ones are coalesced and the newest goes out when the interval has passed
// (trailing edge), so the last position always arrives. Nothing is sent
// while the pointer is still, and nothing is ever queued offline: `send`
// returning false (no connection) just drops the position.

#include "core/client/TimerSource.h"
#include "core/common/Clock.h"

#include <QPointF>

#include <functional>
#include <optional>

namespace tandem::canvas {

class CursorThrottle {
public:
    /// 1000 / 30 rounded up: never more than 30 sends in any second.
    static constexpr qint64 MinIntervalMs = 34;
    using Send = std::function<bool(QPointF position)>;

    /// `clock` and `timers` must outlive the throttle.
    CursorThrottle(const Clock &clock, client::TimerSource &timers, Send send);
    ~CursorThrottle();
    CursorThrottle(const CursorThrottle &) = delete;
    CursorThrottle &operator=(const CursorThrottle &) = delete;

    void pointerMoved(QPointF position);
    /// Forget a position not yet sent (the pointer left the canvas, the room closed).
    void cancel();
    /// Positions handed to `send` so far.
    qint64 sentCount() const;

private:
    /// Hands `position` to `send` now and starts the interval.
    void sendNow(QPointF position);
    /// The trailing edge: sends the newest position once the interval has passed.
    void flushPending();

    const Clock &m_clock;
    client::TimerSource &m_timers;
    Send m_send;
    std::optional<qint64> m_lastSendMs;    ///< when a position was last handed to `send`
    std::optional<QPointF> m_lastAccepted; ///< the last position `send` accepted
    std::optional<QPointF> m_pending;      ///< the newest position waiting for the trailing edge
    int m_timerId = 0;
    qint64 m_sentCount = 0;
};

} // namespace tandem::canvas
