#include "server/hub/LeakyBucket.h"

#include <algorithm>

namespace tandem::server {

LeakyBucket::LeakyBucket(const Clock &clock, double drainPerSecond, double capacity)
    : m_clock(clock)
    , m_drainPerMs(drainPerSecond / 1000.0)
    , m_capacity(capacity)
    , m_lastDrainMs(clock.monotonicMs())
{}

void LeakyBucket::drain() const
{
    const qint64 now = m_clock.monotonicMs();
    m_level = std::max(0.0, m_level - static_cast<double>(now - m_lastDrainMs) * m_drainPerMs);
    m_lastDrainMs = now;
}

bool LeakyBucket::tryPour(double units)
{
    drain();
    if (m_level + units > m_capacity)
        return false;
    m_level += units;
    return true;
}

double LeakyBucket::level() const
{
    drain();
    return m_level;
}

} // namespace tandem::server
