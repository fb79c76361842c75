#pragma once
// Latency samples in microseconds and the percentiles the report quotes;
// plus the median, the statistic every repeated figure is reported with.

#include <QtGlobal>

#include <cstdint>
#include <vector>

namespace tandem::bench {

class LatencyStats {
public:
    void reserve(qsizetype count) { m_samples.reserve(static_cast<std::size_t>(count)); }
    void add(std::int64_t micros)
    {
        m_samples.push_back(static_cast<std::int32_t>(qMin<std::int64_t>(micros, INT32_MAX)));
        m_sorted = false;
    }
    qsizetype count() const { return static_cast<qsizetype>(m_samples.size()); }
    /// The q-quantile (0 … 1) in milliseconds, nearest-rank; 0 without samples.
    double percentileMs(double q);

private:
    std::vector<std::int32_t> m_samples;
    bool m_sorted = true;
};

/// Median of the values (the mean of the middle two for an even count); 0 when empty.
double median(std::vector<double> values);

} // namespace tandem::bench
