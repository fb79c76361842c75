#pragma once
// A leaky bucket: each message pours one unit in, the bucket drains at a fixed
// rate, and a message that would overflow it is refused. Bursts up to the
// capacity pass; a sustained rate above the drain rate does not.

#include "core/common/Clock.h"

namespace tandem::server {

class LeakyBucket {
public:
    LeakyBucket(const Clock &clock, double drainPerSecond, double capacity);

    /// Pours `units` in if they fit; false (and nothing poured) if they do not.
    bool tryPour(double units = 1.0);
    /// The current level after draining, for diagnostics and tests.
    double level() const;

private:
    void drain() const;

    const Clock &m_clock;
    double m_drainPerMs;
    double m_capacity;
    mutable double m_level = 0.0;
    mutable qint64 m_lastDrainMs;
};

} // namespace tandem::server
