#include "ui/ConnectionStatusWidget.h"

#include "ui/ThemeColors.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>

namespace tandem::ui {

using State = client::ConnectionStateMachine::State;
using Reason = client::ConnectionStateMachine::DisconnectReason;

ConnectionStatusWidget::ConnectionStatusWidget(client::Session &session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_dot(new QLabel(this))
    , m_badge(new QLabel(this))
    , m_countdown(new QLabel(this))
    , m_retry(new QPushButton(tr("Retry now"), this))
    , m_tick(new QTimer(this))
{
    setObjectName(QStringLiteral("connectionStatus"));
    m_badge->setObjectName(QStringLiteral("connectionBadge"));
    m_countdown->setObjectName(QStringLiteral("retryCountdown"));
    m_retry->setObjectName(QStringLiteral("retryButton"));
    m_retry->setFlat(true);
    m_dot->setText(QStringLiteral("●"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_countdown);
    layout->addWidget(m_retry);
    layout->addWidget(m_dot);
    layout->addWidget(m_badge);

    // The countdown moves every second while a retry is pending.
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &ConnectionStatusWidget::refresh);
    connect(m_retry, &QPushButton::clicked, this, [this] { m_session.retryNow(); });
    const client::ConnectionStateMachine &connection = m_session.connection();
    connect(&connection, &client::ConnectionStateMachine::stateChanged, this,
            &ConnectionStatusWidget::refresh);
    connect(&connection, &client::ConnectionStateMachine::retryScheduled, this,
            &ConnectionStatusWidget::refresh);
    connect(&connection, &client::ConnectionStateMachine::transportNameChanged, this,
            &ConnectionStatusWidget::refresh);
    refresh();
}

QString ConnectionStatusWidget::stateText(State state)
{
    switch (state) {
    case State::Idle:
        return tr("Not connected");
    case State::Connecting:
        return tr("Connecting…");
    case State::Connected:
        return tr("Online");
    case State::Reconnecting:
        return tr("Reconnecting");
    case State::Disconnected:
        break;
    }
    return tr("Offline");
}

QString ConnectionStatusWidget::badgeText() const
{
    const client::ConnectionStateMachine &connection = m_session.connection();
    QString text = stateText(connection.state());
    if (!connection.transportName().isEmpty() && connection.state() == State::Connected)
        text = tr("%1 · %2").arg(text, connection.transportName());
    if (connection.attempt() > 0 && connection.state() != State::Connected)
        text = tr("%1 (attempt %2 of %3)")
                   .arg(text)
                   .arg(connection.attempt())
                   .arg(connection.backoff().policy().maxAttempts);
    return text;
}

QString ConnectionStatusWidget::countdownText() const
{
    const QDateTime next = m_session.connection().nextRetryAt();
    if (!next.isValid())
        return {};
    const qint64 seconds = qMax<qint64>(0, (QDateTime::currentDateTimeUtc().msecsTo(next) + 999) / 1000);
    return tr("Retrying in %n s", nullptr, static_cast<int>(seconds));
}

QString ConnectionStatusWidget::bannerText(const client::ConnectionStateMachine &connection)
{
    switch (connection.state()) {
    case State::Idle:
    case State::Connecting:
    case State::Connected:
        return {};
    case State::Reconnecting:
        return tr("You are offline. Tandem is reconnecting; messages you send now will not be delivered.");
    case State::Disconnected:
        break;
    }
    switch (connection.disconnectReason()) {
    case Reason::AuthRequired:
        return tr("Your session has ended. Sign in again to continue.");
    case Reason::GaveUp:
        return tr("You are offline. Tandem stopped retrying; use “Retry now” when the network is back.");
    case Reason::Closed:
    case Reason::None:
        break;
    }
    return tr("You are offline.");
}

void ConnectionStatusWidget::refresh()
{
    const client::ConnectionStateMachine &connection = m_session.connection();
    const State state = connection.state();
    QColor colour = ThemeColors::presence(palette(), chat::PresenceRoster::Status::Offline);
    if (state == State::Connected)
        colour = ThemeColors::success(palette());
    else if (state == State::Connecting || state == State::Reconnecting)
        colour = ThemeColors::warning(palette());
    else if (state == State::Disconnected && connection.disconnectReason() != Reason::Closed)
        colour = ThemeColors::error(palette());
    QPalette dotPalette = m_dot->palette();
    dotPalette.setColor(QPalette::WindowText, colour);
    m_dot->setPalette(dotPalette);
    m_badge->setText(badgeText());
    QString tooltip = tr("State: %1").arg(client::ConnectionStateMachine::stateName(state));
    if (!connection.lastError().isEmpty())
        tooltip += QLatin1Char('\n') + tr("Last error: %1").arg(connection.lastError());
    m_badge->setToolTip(tooltip);

    const QString countdown = countdownText();
    m_countdown->setText(countdown);
    m_countdown->setVisible(!countdown.isEmpty());
    const bool canRetry = state == State::Reconnecting ||
                          (state == State::Disconnected && connection.disconnectReason() == Reason::GaveUp);
    m_retry->setVisible(canRetry);
    if (countdown.isEmpty())
        m_tick->stop();
    else if (!m_tick->isActive())
        m_tick->start();
}

} // namespace tandem::ui
