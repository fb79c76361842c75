#include "ui/SignInDialog.h"

#include "ui/ThemeColors.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace tandem::ui {

SignInDialog::SignInDialog(QWidget *parent)
    : QDialog(parent)
    , m_server(new QLineEdit(this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_error(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Sign in to Tandem"));
    // Wide enough for a whole server URL.
    setMinimumWidth(fontMetrics().averageCharWidth() * 55);
    m_server->setObjectName(QStringLiteral("serverEdit"));
    m_server->setPlaceholderText(tr("http://127.0.0.1:7420"));
    m_user->setObjectName(QStringLiteral("userEdit"));
    m_password->setObjectName(QStringLiteral("passwordEdit"));
    m_password->setEchoMode(QLineEdit::Password);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setWordWrap(true);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, ThemeColors::error(errorPalette));
    m_error->setPalette(errorPalette);
    m_error->hide();
    // A busy indicator: the login has no measurable progress.
    m_progress->setRange(0, 0);
    m_progress->setTextVisible(false);
    m_progress->hide();
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Sign in"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("signInButton"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Server:"), m_server);
    form->addRow(tr("&User name:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_progress);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &SignInDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SignInDialog::reject);
    for (QLineEdit *edit : {m_server, m_user, m_password})
        connect(edit, &QLineEdit::textChanged, this, &SignInDialog::updateSignInButton);
    updateSignInButton();
}

void SignInDialog::setServerUrl(const QUrl &url)
{
    m_server->setText(url.toString());
}

void SignInDialog::setUserName(const QString &name)
{
    m_user->setText(name);
    if (!name.isEmpty())
        m_password->setFocus();
}

QUrl SignInDialog::serverUrl() const
{
    return QUrl::fromUserInput(m_server->text().trimmed());
}

QString SignInDialog::userName() const
{
    return m_user->text().trimmed();
}

QString SignInDialog::password() const
{
    return m_password->text();
}

void SignInDialog::setBusy(bool busy)
{
    m_busy = busy;
    for (QLineEdit *edit : {m_server, m_user, m_password})
        edit->setEnabled(!busy);
    m_progress->setVisible(busy);
    if (busy)
        m_error->hide();
    updateSignInButton();
}

void SignInDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
}

QString SignInDialog::errorText() const
{
    return m_error->isVisibleTo(this) ? m_error->text() : QString();
}

void SignInDialog::clearPassword()
{
    m_password->clear();
    m_password->setFocus();
}

void SignInDialog::submit()
{
    // The dialog stays open: the app closes it once the login succeeded.
    if (m_busy || !serverUrl().isValid() || userName().isEmpty() || password().isEmpty())
        return;
    Q_EMIT signInRequested(serverUrl(), userName(), password());
}

void SignInDialog::updateSignInButton()
{
    const bool complete =
        !m_server->text().trimmed().isEmpty() && !userName().isEmpty() && !password().isEmpty();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(complete && !m_busy);
}

} // namespace tandem::ui
