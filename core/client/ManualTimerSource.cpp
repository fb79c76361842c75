#include "core/client/ManualTimerSource.h"

#include <algorithm>

namespace tandem::client {

int ManualTimerSource::start(qint64 delayMs, Callback callback)
{
    const int id = ++m_nextId;
    m_timers.emplace(std::pair{m_clock.monotonicMs() + std::max<qint64>(0, delayMs), id},
                     std::move(callback));
    return id;
}

void ManualTimerSource::cancel(int id)
{
    std::erase_if(m_timers, [id](const auto &entry) { return entry.first.second == id; });
}

void ManualTimerSource::advance(qint64 ms)
{
    const qint64 target = m_clock.monotonicMs() + ms;
    while (!m_timers.empty() && m_timers.begin()->first.first <= target) {
        auto first = m_timers.begin();
        m_clock.advance(first->first.first - m_clock.monotonicMs());
        Callback callback = std::move(first->second);
        m_timers.erase(first);
        callback();
    }
    m_clock.advance(target - m_clock.monotonicMs());
}

qint64 ManualTimerSource::msUntilNext() const
{
    return m_timers.empty() ? -1 : m_timers.begin()->first.first - m_clock.monotonicMs();
}

} // namespace tandem::client
