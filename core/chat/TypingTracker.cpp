#include "core/chat/TypingTracker.h"

namespace tandem::chat {

TypingTracker::TypingTracker(client::TimerSource &timers, qint64 expiryMs, QObject *parent)
    : QObject(parent)
    , m_timers(timers)
    , m_expiryMs(expiryMs)
{}

TypingTracker::~TypingTracker()
{
    for (const auto &users : std::as_const(m_typing)) {
        for (const int timer : users)
            m_timers.cancel(timer);
    }
}

void TypingTracker::setTyping(const QString &roomId, const QString &userId, bool typing)
{
    QMap<QString, int> &users = m_typing[roomId];
    const bool wasTyping = users.contains(userId);
    if (wasTyping)
        m_timers.cancel(users.take(userId));
    if (typing) {
        users.insert(userId, m_timers.start(m_expiryMs, [this, roomId, userId] {
            m_typing[roomId].remove(userId);
            Q_EMIT typingChanged(roomId);
        }));
    }
    if (wasTyping != typing)
        Q_EMIT typingChanged(roomId);
}

void TypingTracker::clearRoom(const QString &roomId)
{
    const QMap<QString, int> users = m_typing.take(roomId);
    for (const int timer : users)
        m_timers.cancel(timer);
    if (!users.isEmpty())
        Q_EMIT typingChanged(roomId);
}

QStringList TypingTracker::typingUsers(const QString &roomId) const
{
    return m_typing.value(roomId).keys();
}

QString TypingTracker::text(const QString &roomId) const
{
    const QStringList users = typingUsers(roomId);
    switch (users.size()) {
    case 0:
        return {};
    case 1:
        return tr("%1 is typing…").arg(users.at(0));
    case 2:
        return tr("%1 and %2 are typing…").arg(users.at(0), users.at(1));
    default:
        return tr("Several people are typing…");
    }
}

} // namespace tandem::chat
