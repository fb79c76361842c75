#include "tests/bench/canvas/QuietMachine.h"

#include "tests/bench/ProcessStats.h"

#include <QElapsedTimer>
#include <QThread>

#include <unistd.h>

#include <algorithm>

namespace tandem::bench {

double waitForQuietMachine(double maxOtherPercent, int maxWaitMs, long long alsoOursPid)
{
    const double ticksPerSecond = static_cast<double>(sysconf(_SC_CLK_TCK));
    QElapsedTimer waited;
    waited.start();
    double other = 0;
    do {
        const auto machineBefore = readMachineCpuTimes();
        const double oursBefore =
            readCpuSeconds(0).value_or(0) + (alsoOursPid ? readCpuSeconds(alsoOursPid).value_or(0) : 0);
        QElapsedTimer sample;
        sample.start();
        QThread::msleep(150); // a benchmark's sampling interval, not synchronisation
        const double seconds = static_cast<double>(sample.nsecsElapsed()) / 1e9;
        const auto machineAfter = readMachineCpuTimes();
        const double oursAfter =
            readCpuSeconds(0).value_or(0) + (alsoOursPid ? readCpuSeconds(alsoOursPid).value_or(0) : 0);
        if (!machineBefore || !machineAfter)
            return 0;
        const double busyTicks = (machineAfter->total - machineBefore->total) -
                                 (machineAfter->idle - machineBefore->idle) -
                                 (machineAfter->steal - machineBefore->steal);
        other = std::max(0.0, 100 * (busyTicks / ticksPerSecond - (oursAfter - oursBefore)) / seconds);
        if (other < maxOtherPercent)
            break;
    } while (waited.elapsed() < maxWaitMs);
    return other;
}

} // namespace tandem::bench
