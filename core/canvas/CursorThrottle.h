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
    // (the implementer's choice)
};

} // namespace tandem::canvas
