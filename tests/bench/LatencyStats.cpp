#include "tests/bench/LatencyStats.h"

#include <algorithm>
#include <cmath>

namespace tandem::bench {

double LatencyStats::percentileMs(double q)
{
    if (m_samples.empty())
        return 0;
    if (!m_sorted) {
        std::sort(m_samples.begin(), m_samples.end());
        m_sorted = true;
    }
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(m_samples.size())));
    const std::size_t index = std::clamp<std::size_t>(rank, 1, m_samples.size()) - 1;
    return m_samples[index] / 1000.0;
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const std::size_t middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

} // namespace tandem::bench
