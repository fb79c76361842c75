#pragma once
// Our own presence: away after an idle time without input, while the window
// is hidden or minimised, or when the user says so; online again on input.
// The UI feeds it (an event filter calls activity()); it decides.

#include "core/client/TimerSource.h"

#include <QObject>

namespace tandem::chat {

class AwayTracker : public QObject {
    Q_OBJECT

public:
    static constexpr qint64 DefaultIdleMs = 2 * 60 * 1000;

    explicit AwayTracker(client::TimerSource &timers, qint64 idleMs = DefaultIdleMs,
                         QObject *parent = nullptr);
    ~AwayTracker() override;

    bool isAway() const { return m_manualAway || m_hidden || m_idle; }
    bool isManualAway() const { return m_manualAway; }
    qint64 idleMs() const { return m_idleMs; }
    void setIdleMs(qint64 idleMs);

    /// Keyboard or mouse input anywhere in the app.
    void activity();
    void setWindowHidden(bool hidden);
    /// The "Away" toggle: stays away until turned off, whatever the input.
    void setManualAway(bool away);

Q_SIGNALS:
    void awayChanged(bool away);

private:
    void restartIdleTimer();
    void update(bool wasAway);

    client::TimerSource &m_timers;
    qint64 m_idleMs;
    int m_idleTimer = 0;
    bool m_idle = false;
    bool m_hidden = false;
    bool m_manualAway = false;
};

} // namespace tandem::chat
