#pragma once
// When to tell the room we are typing: typing:start at most once per
// interval while keys keep coming (so a fast typist does not flood the
// server), and typing:stop once the composer has been idle for the interval.

#include "core/client/TimerSource.h"
#include "core/common/Clock.h"

#include <QObject>

namespace tandem::chat {

class TypingNotifier : public QObject {
    Q_OBJECT

public:
    static constexpr qint64 DefaultIntervalMs = 3000;

    TypingNotifier(const Clock &clock, client::TimerSource &timers, qint64 intervalMs = DefaultIntervalMs,
                   QObject *parent = nullptr);
    ~TypingNotifier() override;

    /// The user edited the composer of `roomId`.
    void textEdited(const QString &roomId);
    /// The message was sent: the server ends typing itself, so no stop is due.
    void messageSent(const QString &roomId);
    /// The composer moved to another room or was cleared: stop now if typing.
    void stop();
    bool isTyping() const { return !m_room.isEmpty(); }

Q_SIGNALS:
    void startRequested(const QString &roomId);
    void stopRequested(const QString &roomId);

private:
    void reset();

    const Clock &m_clock;
    client::TimerSource &m_timers;
    qint64 m_intervalMs;
    QString m_room; ///< where we said we are typing; empty when not
    qint64 m_lastStartMs = 0;
    int m_idleTimer = 0;
};

} // namespace tandem::chat
