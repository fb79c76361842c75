#pragma once
// The process_* metrics every Prometheus exporter offers, read from
// /proc/self at scrape time (Linux only; elsewhere they are left out).

#include <optional>

namespace tandem::server::metrics {

class ExpositionWriter;

struct ProcessMetrics {
    std::optional<double> residentMemoryBytes;
    std::optional<double> cpuSeconds; ///< user + system
    std::optional<double> openFds;
    std::optional<double> maxFds;
    std::optional<double> startTimeSeconds; ///< since the Unix epoch

    static ProcessMetrics read();
    void writeTo(ExpositionWriter &writer) const;
};

} // namespace tandem::server::metrics
