#include "server/hub/AddressBuckets.h"

namespace tandem::server {

AddressBuckets::AddressBuckets(const Clock &clock, double drainPerSecond, double capacity,
                               qsizetype maxTracked)
    : m_clock(clock)
    , m_drainPerSecond(drainPerSecond)
    , m_capacity(capacity)
    , m_maxTracked(maxTracked)
{}

LeakyBucket &AddressBuckets::of(const QString &address)
{
    if (m_buckets.size() > m_maxTracked)
        m_buckets.removeIf([](const auto &entry) { return entry.value()->level() == 0.0; });
    auto &bucket = m_buckets[address];
    if (!bucket)
        bucket = std::make_shared<LeakyBucket>(m_clock, m_drainPerSecond, m_capacity);
    return *bucket;
}

} // namespace tandem::server
