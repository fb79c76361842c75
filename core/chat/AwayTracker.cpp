#include "core/chat/AwayTracker.h"

namespace tandem::chat {

AwayTracker::AwayTracker(client::TimerSource &timers, qint64 idleMs, QObject *parent)
    : QObject(parent)
    , m_timers(timers)
    , m_idleMs(idleMs)
{
    restartIdleTimer();
}

AwayTracker::~AwayTracker()
{
    if (m_idleTimer != 0)
        m_timers.cancel(m_idleTimer);
}

void AwayTracker::setIdleMs(qint64 idleMs)
{
    m_idleMs = idleMs;
    if (!m_idle)
        restartIdleTimer();
}

void AwayTracker::activity()
{
    const bool wasAway = isAway();
    m_idle = false;
    restartIdleTimer();
    update(wasAway);
}

void AwayTracker::setWindowHidden(bool hidden)
{
    const bool wasAway = isAway();
    m_hidden = hidden;
    update(wasAway);
}

void AwayTracker::setManualAway(bool away)
{
    const bool wasAway = isAway();
    m_manualAway = away;
    update(wasAway);
}

void AwayTracker::restartIdleTimer()
{
    // Input arrives in bursts; re-arming a timer per event is cheap enough and
    // keeps the tracker free of polling.
    if (m_idleTimer != 0)
        m_timers.cancel(m_idleTimer);
    m_idleTimer = m_timers.start(m_idleMs, [this] {
        m_idleTimer = 0;
        const bool wasAway = isAway();
        m_idle = true;
        update(wasAway);
    });
}

void AwayTracker::update(bool wasAway)
{
    if (isAway() != wasAway)
        Q_EMIT awayChanged(isAway());
}

} // namespace tandem::chat
