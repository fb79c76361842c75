#pragma once
// One-shot timers behind an interface, so backoff, heartbeats and connect
// timeouts run on real time in the app and on a ManualClock in tests.

#include <QtGlobal>

#include <functional>

namespace tandem::client {

class TimerSource {
public:
    using Callback = std::function<void()>;

    virtual ~TimerSource() = default;
    /// Calls `callback` once, `delayMs` from now; returns a non-zero id for cancel().
    virtual int start(qint64 delayMs, Callback callback) = 0;
    /// Forgets a pending timer; unknown or already fired ids are ignored.
    virtual void cancel(int id) = 0;
    /// cancel() for a member that holds a timer's id (0: none), which holds 0 afterwards.
    void cancelAndClear(int &id)
    {
        if (id != 0)
            cancel(id);
        id = 0;
    }
};

} // namespace tandem::client
