#pragma once
// A TimerSource for tests: nothing fires until the test advances the
// ManualClock through advance(), so time-dependent logic runs deterministically
// and in microseconds.

#include "core/client/TimerSource.h"
#include "core/common/Clock.h"

#include <map>
#include <utility>

namespace tandem::client {

class ManualTimerSource final : public TimerSource {
public:
    explicit ManualTimerSource(ManualClock &clock)
        : m_clock(clock)
    {}

    int start(qint64 delayMs, Callback callback) override;
    void cancel(int id) override;

    /// Moves the clock forward by `ms`, stopping at each due timer to fire it,
    /// in due-time order (start order for equal times). Timers started by a
    /// callback fire in the same call if they fall due within `ms`.
    void advance(qint64 ms);
    /// Fires every timer due now without moving the clock.
    void fireDue() { advance(0); }

    int pendingCount() const { return static_cast<int>(m_timers.size()); }
    /// Milliseconds until the next timer, or -1 when none is pending.
    qint64 msUntilNext() const;

private:
    ManualClock &m_clock;
    // (due time, id) -> callback; ids grow, so equal due times fire in start order.
    std::map<std::pair<qint64, int>, Callback> m_timers;
    int m_nextId = 0;
};

} // namespace tandem::client
