#include "tests/bench/desktop/PaintWatcher.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEvent>
#include <QWidget>

#include <time.h>

namespace tandem::bench {

PaintWatcher::PaintWatcher(QWidget *widget)
    : QObject(widget)
{
    widget->installEventFilter(this);
}

bool PaintWatcher::eventFilter(QObject *, QEvent *event)
{
    if (event->type() == QEvent::Paint)
        ++m_paints;
    return false;
}

bool PaintWatcher::waitForPaint(int paintsBefore, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (m_paints <= paintsBefore) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    // Whatever the same frame still has queued (other widgets, the flush).
    QCoreApplication::processEvents(QEventLoop::AllEvents);
    return true;
}

qint64 monotonicNs()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<qint64>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

} // namespace tandem::bench
