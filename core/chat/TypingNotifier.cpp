#include "core/chat/TypingNotifier.h"

namespace tandem::chat {

TypingNotifier::TypingNotifier(const Clock &clock, client::TimerSource &timers, qint64 intervalMs,
                               QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_timers(timers)
    , m_intervalMs(intervalMs)
{}

TypingNotifier::~TypingNotifier()
{
    if (m_idleTimer != 0)
        m_timers.cancel(m_idleTimer);
}

void TypingNotifier::textEdited(const QString &roomId)
{
    if (!m_room.isEmpty() && m_room != roomId)
        stop();
    const qint64 now = m_clock.monotonicMs();
    if (m_room.isEmpty() || now - m_lastStartMs >= m_intervalMs) {
        // Re-sent while typing goes on, so a peer that joined late (or whose
        // expiry ran out) still sees us typing.
        m_room = roomId;
        m_lastStartMs = now;
        Q_EMIT startRequested(roomId);
    }
    if (m_idleTimer != 0)
        m_timers.cancel(m_idleTimer);
    m_idleTimer = m_timers.start(m_intervalMs, [this] {
        m_idleTimer = 0;
        stop();
    });
}

void TypingNotifier::messageSent(const QString &roomId)
{
    if (m_room == roomId)
        reset();
}

void TypingNotifier::stop()
{
    if (m_room.isEmpty())
        return;
    const QString room = m_room;
    reset();
    Q_EMIT stopRequested(room);
}

void TypingNotifier::reset()
{
    if (m_idleTimer != 0)
        m_timers.cancel(m_idleTimer);
    m_idleTimer = 0;
    m_room.clear();
}

} // namespace tandem::chat
