#pragma once
// Who is typing in each room, from typing:update. An entry expires on its own
// after a while, so a lost typing:stop (the other side crashed) does not
// leave "Alice is typing…" on screen forever.

#include "core/client/TimerSource.h"

#include <QHash>
#include <QMap>
#include <QObject>
#include <QStringList>

namespace tandem::chat {

class TypingTracker : public QObject {
    Q_OBJECT

public:
    static constexpr qint64 DefaultExpiryMs = 8000;

    explicit TypingTracker(client::TimerSource &timers, qint64 expiryMs = DefaultExpiryMs,
                           QObject *parent = nullptr);
    ~TypingTracker() override;

    void setTyping(const QString &roomId, const QString &userId, bool typing);
    /// Everyone stops typing in the room (e.g. we were disconnected).
    void clearRoom(const QString &roomId);
    /// Sorted user ids.
    QStringList typingUsers(const QString &roomId) const;
    /// "Alice is typing…", "Alice and Bob are typing…", "Several people are typing…", or empty.
    QString text(const QString &roomId) const;

Q_SIGNALS:
    void typingChanged(const QString &roomId);

private:
    client::TimerSource &m_timers;
    qint64 m_expiryMs;
    QHash<QString, QMap<QString, int>> m_typing; ///< room -> user -> expiry timer id
};

} // namespace tandem::chat
