#include "ui/ActivityFilter.h"

#include "core/chat/AwayTracker.h"

#include <QEvent>

namespace tandem::ui {

ActivityFilter::ActivityFilter(chat::AwayTracker &tracker, QObject *parent)
    : QObject(parent)
    , m_tracker(tracker)
{}

bool ActivityFilter::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
        m_tracker.activity();
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace tandem::ui
