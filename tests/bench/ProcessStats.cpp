#include "tests/bench/ProcessStats.h"

#include <QByteArray>
#include <QFile>
#include <QList>

#include <sys/resource.h>
#include <unistd.h>

namespace tandem::bench {

namespace {

QByteArray readProcFile(qint64 pid, const char *name)
{
    const QByteArray process = pid > 0 ? QByteArray::number(pid) : QByteArray("self");
    QFile file(QString::fromLatin1("/proc/" + process + '/' + name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

/// The value of a "Key:   1234 kB" line of /proc/PID/status.
std::optional<qint64> statusField(const QByteArray &status, const QByteArray &key)
{
    const qsizetype start = status.indexOf('\n' + key + ':');
    if (start < 0)
        return std::nullopt;
    const qsizetype end = status.indexOf('\n', start + 1);
    bool ok = false;
    const qint64 value = status.mid(start + key.size() + 2, end - start - key.size() - 2)
                             .simplified()
                             .split(' ')
                             .value(0)
                             .toLongLong(&ok);
    return ok ? std::optional<qint64>(value) : std::nullopt;
}

} // namespace

std::optional<MemoryUsage> readMemoryUsage(qint64 pid)
{
    const QByteArray status = '\n' + readProcFile(pid, "status");
    const auto resident = statusField(status, "VmRSS");
    const auto peak = statusField(status, "VmHWM");
    if (!resident || !peak)
        return std::nullopt;
    return MemoryUsage{*resident, *peak};
}

std::optional<double> readCpuSeconds(qint64 pid)
{
    const QByteArray stat = readProcFile(pid, "stat");
    // The command name (field 2) may contain spaces; the fields after its ')' are fixed:
    // state is field 3, utime field 14, stime field 15.
    const qsizetype nameEnd = stat.lastIndexOf(')');
    if (nameEnd < 0)
        return std::nullopt;
    const QList<QByteArray> fields = stat.mid(nameEnd + 2).split(' ');
    constexpr int UserTimeIndex = 14 - 3;
    constexpr int SystemTimeIndex = 15 - 3;
    if (fields.size() <= SystemTimeIndex)
        return std::nullopt;
    const double ticks = fields.at(UserTimeIndex).toDouble() + fields.at(SystemTimeIndex).toDouble();
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::optional<MachineCpuTimes> readMachineCpuTimes()
{
    QFile file(QStringLiteral("/proc/stat"));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
    const QList<QByteArray> fields = file.readLine().simplified().split(' ');
    if (fields.size() < 9 || fields.at(0) != "cpu")
        return std::nullopt;
    MachineCpuTimes times;
    for (qsizetype i = 1; i < 9; ++i)
        times.total += fields.at(i).toDouble();
    times.idle = fields.at(4).toDouble() + fields.at(5).toDouble();
    times.steal = fields.at(8).toDouble();
    return times;
}

qint64 raiseOpenFileLimit(qint64 wanted)
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    if (wanted > 0 && limit.rlim_max != RLIM_INFINITY && static_cast<rlim_t>(wanted) > limit.rlim_max) {
        // Fails without the privilege; the hard limit then stays what it was.
        rlimit raised{static_cast<rlim_t>(wanted), static_cast<rlim_t>(wanted)};
        setrlimit(RLIMIT_NOFILE, &raised);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    return limit.rlim_cur == RLIM_INFINITY ? -1 : static_cast<qint64>(limit.rlim_cur);
}

} // namespace tandem::bench
