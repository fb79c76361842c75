#pragma once
// The status bar's honest account of the connection: a badge with the state,
// transport and attempt, a countdown to the next retry and "Retry now".

#include "core/client/Session.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTimer;

namespace tandem::ui {

class ConnectionStatusWidget : public QWidget {
    Q_OBJECT

public:
    explicit ConnectionStatusWidget(client::Session &session, QWidget *parent = nullptr);

    /// What the badge says, e.g. "Online · websocket" or "Reconnecting (attempt 3)".
    QString badgeText() const;
    QString countdownText() const;
    /// A short sentence for the offline banner; empty while connected.
    static QString bannerText(const client::ConnectionStateMachine &connection);
    static QString stateText(client::ConnectionStateMachine::State state);

private:
    void refresh();

    client::Session &m_session;
    QLabel *m_dot = nullptr;
    QLabel *m_badge = nullptr;
    QLabel *m_countdown = nullptr;
    QPushButton *m_retry = nullptr;
    QTimer *m_tick = nullptr;
};

} // namespace tandem::ui
