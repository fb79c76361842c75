#include "core/common/Clock.h"

#include <QElapsedTimer>

namespace tandem {

const Clock &Clock::system()
{
    static const SystemClock clock;
    return clock;
}

qint64 SystemClock::monotonicMs() const
{
    static const QElapsedTimer start = [] {
        QElapsedTimer timer;
        timer.start();
        return timer;
    }();
    return start.elapsed();
}

QDateTime SystemClock::nowUtc() const
{
    return QDateTime::currentDateTimeUtc();
}

} // namespace tandem
