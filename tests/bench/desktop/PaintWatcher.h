#pragma once
// Observes when a widget has been painted, from outside the widget: an event
// filter counts its Paint events. A frame is "done" when the event loop has
// returned from the batch that painted it (Qt paints a window's whole dirty
// region and flushes it to the backing store in one go).

#include <QElapsedTimer>
#include <QObject>

class QWidget;

namespace tandem::bench {

class PaintWatcher : public QObject {
public:
    explicit PaintWatcher(QWidget *widget);

    int paintCount() const { return m_paints; }
    /// Processes events until a paint newer than `paintsBefore` happened and
    /// the loop is idle again; false after `timeoutMs`.
    bool waitForPaint(int paintsBefore, int timeoutMs = 30000);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    int m_paints = 0;
};

/// CLOCK_MONOTONIC in nanoseconds: comparable between processes on one machine.
qint64 monotonicNs();

} // namespace tandem::bench
