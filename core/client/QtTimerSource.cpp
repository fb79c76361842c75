#include "core/client/QtTimerSource.h"

#include <QTimerEvent>

#include <algorithm>
#include <limits>

namespace tandem::client {

QtTimerSource::QtTimerSource(QObject *parent)
    : QObject(parent)
{}

QtTimerSource::~QtTimerSource()
{
    for (const auto &[id, callback] : m_callbacks)
        killTimer(id);
}

int QtTimerSource::start(qint64 delayMs, Callback callback)
{
    // QObject::startTimer takes an int; nothing in the client waits 24 days.
    const auto delay = static_cast<int>(std::clamp<qint64>(delayMs, 0, std::numeric_limits<int>::max()));
    // PreciseTimer: coarse timers may fire 5% early, which would break "pong within 5 s".
    const int id = startTimer(delay, Qt::PreciseTimer);
    if (id != 0)
        m_callbacks.emplace(id, std::move(callback));
    return id;
}

void QtTimerSource::cancel(int id)
{
    if (m_callbacks.erase(id) > 0)
        killTimer(id);
}

void QtTimerSource::timerEvent(QTimerEvent *event)
{
    const int id = event->timerId();
    killTimer(id);
    const auto found = m_callbacks.find(id);
    if (found == m_callbacks.end())
        return;
    // Erase before calling: the callback may start or cancel timers.
    Callback callback = std::move(found->second);
    m_callbacks.erase(found);
    callback();
}

} // namespace tandem::client
