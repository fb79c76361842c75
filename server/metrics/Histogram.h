#pragma once
// A Prometheus histogram: observations counted in buckets with fixed upper
// bounds, plus their sum and count. Buckets are kept per bucket, not
// cumulative, so observe() touches one of them; the exposition adds them up.

#include <QtGlobal>

#include <vector>

namespace tandem::server::metrics {

class Histogram {
public:
    /// `upperBounds` ascending; the +Inf bucket is implicit.
    explicit Histogram(std::vector<double> upperBounds);

    void observe(double value);

    const std::vector<double> &upperBounds() const { return m_upperBounds; }
    /// Observations per bucket, not cumulative: one more entry than upperBounds(), the last one
    /// holding what exceeded every bound.
    const std::vector<quint64> &bucketCounts() const { return m_bucketCounts; }
    double sum() const { return m_sum; }
    quint64 count() const { return m_count; }

private:
    std::vector<double> m_upperBounds;
    std::vector<quint64> m_bucketCounts;
    double m_sum = 0;
    quint64 m_count = 0;
};

} // namespace tandem::server::metrics
