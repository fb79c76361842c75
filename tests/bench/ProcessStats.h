#pragma once
// What the benchmark reads about a process from /proc (Linux only): its
// resident memory and the CPU time it has used, so results can say what a
// connection costs and who was busy while the numbers were taken.

#include <QtGlobal>

#include <optional>

namespace tandem::bench {

struct MemoryUsage {
    qint64 residentKiB = 0; ///< VmRSS
    qint64 peakKiB = 0;     ///< VmHWM, the resident high-water mark
};

/// Memory of process `pid` (0: this process); nullopt when it cannot be read.
std::optional<MemoryUsage> readMemoryUsage(qint64 pid);
/// User + system CPU seconds of process `pid` (0: this process), all threads.
std::optional<double> readCpuSeconds(qint64 pid);
/// Machine-wide CPU time from /proc/stat, in clock ticks summed over all CPUs.
struct MachineCpuTimes {
    double total = 0;
    double idle = 0;  ///< idle + iowait
    double steal = 0; ///< time the hypervisor ran something else: noise no process here caused
};
std::optional<MachineCpuTimes> readMachineCpuTimes();

/// Raises this process's open-file limit (children inherit it) to its hard
/// limit, and past it to `wanted` when the process may (root: CAP_SYS_RESOURCE,
/// up to fs.nr_open). Returns the limit now in force, -1 for unlimited.
qint64 raiseOpenFileLimit(qint64 wanted = 0);

} // namespace tandem::bench
