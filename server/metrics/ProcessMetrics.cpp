#include "server/metrics/ProcessMetrics.h"

#include "server/metrics/ExpositionWriter.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QList>

#include <sys/resource.h>
#include <unistd.h>

namespace tandem::server::metrics {

namespace {

QByteArray readProcFile(const char *path)
{
    // /proc files report a size of 0: read until the end instead of by size.
    QFile file(QString::fromLatin1(path));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

/// The fields of /proc/self/stat after the command name, which may itself hold spaces and
/// parentheses: field 3 (state) is the first element.
QList<QByteArray> statFieldsAfterName()
{
    const QByteArray stat = readProcFile("/proc/self/stat");
    const qsizetype nameEnd = stat.lastIndexOf(')');
    if (nameEnd < 0)
        return {};
    return stat.mid(nameEnd + 2).trimmed().split(' ');
}

std::optional<double> bootTimeSeconds()
{
    const QList<QByteArray> lines = readProcFile("/proc/stat").split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("btime "))
            return line.mid(6).trimmed().toDouble();
    }
    return std::nullopt;
}

} // namespace

ProcessMetrics ProcessMetrics::read()
{
    ProcessMetrics process;
    const long pageSize = ::sysconf(_SC_PAGESIZE);
    const long ticksPerSecond = ::sysconf(_SC_CLK_TCK);
    // statm: size resident shared text lib data dt, in pages.
    const QList<QByteArray> statm = readProcFile("/proc/self/statm").split(' ');
    if (statm.size() >= 2 && pageSize > 0)
        process.residentMemoryBytes = statm.at(1).toDouble() * static_cast<double>(pageSize);
    // stat fields 14 and 15 are utime and stime, 22 the start time, in clock ticks (since boot).
    const QList<QByteArray> stat = statFieldsAfterName();
    if (stat.size() >= 20 && ticksPerSecond > 0) {
        const double ticks = static_cast<double>(ticksPerSecond);
        process.cpuSeconds = (stat.at(11).toDouble() + stat.at(12).toDouble()) / ticks;
        if (const auto boot = bootTimeSeconds())
            process.startTimeSeconds = *boot + stat.at(19).toDouble() / ticks;
    }
    const QDir fds(QStringLiteral("/proc/self/fd"));
    if (fds.exists())
        process.openFds =
            static_cast<double>(fds.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System).size());
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
        process.maxFds = static_cast<double>(limit.rlim_cur);
    return process;
}

void ProcessMetrics::writeTo(ExpositionWriter &writer) const
{
    if (residentMemoryBytes)
        writer.gauge("process_resident_memory_bytes", "Resident memory size in bytes.", *residentMemoryBytes);
    if (cpuSeconds)
        writer.counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                       *cpuSeconds);
    if (openFds)
        writer.gauge("process_open_fds", "Number of open file descriptors.", *openFds);
    if (maxFds)
        writer.gauge("process_max_fds", "Maximum number of open file descriptors.", *maxFds);
    if (startTimeSeconds)
        writer.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                     *startTimeSeconds);
}

} // namespace tandem::server::metrics
