#include "server/metrics/Histogram.h"

#include <algorithm>

namespace tandem::server::metrics {

Histogram::Histogram(std::vector<double> upperBounds)
    : m_upperBounds(std::move(upperBounds))
    , m_bucketCounts(m_upperBounds.size() + 1, 0)
{
    Q_ASSERT(std::is_sorted(m_upperBounds.begin(), m_upperBounds.end()));
}

void Histogram::observe(double value)
{
    // Bucket bounds are inclusive ("le"): the first bound not below the value.
    const auto bound = std::lower_bound(m_upperBounds.begin(), m_upperBounds.end(), value);
    ++m_bucketCounts[static_cast<size_t>(bound - m_upperBounds.begin())];
    m_sum += value;
    ++m_count;
}

} // namespace tandem::server::metrics
