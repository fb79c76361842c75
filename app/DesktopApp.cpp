#include "app/DesktopApp.h"

#include "core/client/FallbackTransport.h"
#include "ui/MainWindow.h"
#include "ui/SignInDialog.h"

#include <QDir>
#include <QLoggingCategory>
#include <QMessageBox>

#include <utility>

namespace tandem::app {

Q_LOGGING_CATEGORY(lcApp, "tandem.app")

using protocol::ErrorCode;

namespace {

const QString serverKey = QStringLiteral("account/server");
const QString userKey = QStringLiteral("account/user");
const QString alternativeServersKey = QStringLiteral("account/alternativeServers");
const QString joinedDefaultRoomKey = QStringLiteral("account/joinedDefaultRoom");

} // namespace

DesktopApp::DesktopApp(AppOptions options, std::unique_ptr<client::CredentialStore> credentials,
                       QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_profile(m_options.profileDir)
    , m_settings(m_profile.openSettings())
    , m_credentials(std::move(credentials))
{
    connect(&m_auth, &client::AuthClient::loggedIn, this,
            [this](const QString &userId, const QString &token, const QDateTime &) {
                onLoggedIn(userId, token);
            });
    connect(&m_auth, &client::AuthClient::loginFailed, this, &DesktopApp::onLoginFailed);
    connect(&m_auth, &client::AuthClient::logoutFailed, this, [](const protocol::Error &error) {
        qCWarning(lcApp) << "the server did not revoke the token:" << error.message;
    });
}

DesktopApp::~DesktopApp()
{
    // The window refers to the offline half, which refers to the session.
    m_window.reset();
    m_offline.reset();
    m_session.reset();
}

void DesktopApp::start()
{
    m_serverUrl = m_options.serverUrl.isValid()
                      ? m_options.serverUrl
                      : client::AuthClient::serverUrlFromUserInput(m_settings->value(serverKey).toString());
    m_userName = !m_options.userName.isEmpty() ? m_options.userName : m_settings->value(userKey).toString();

    if (!m_serverUrl.isValid() || m_userName.isEmpty()) {
        showSignIn();
        return;
    }
    if (!m_options.token.isEmpty()) {
        // Handed over by scripts/run.sh: once the server accepts it, it is stored like a sign-in's.
        m_token = m_options.token;
        m_options.token.clear();
        m_storeTokenWhenAuthenticated = true;
        startSession();
        return;
    }
    m_credentials->load(m_serverUrl, m_userName, [this](const client::CredentialResult<QString> &token) {
        if (token && !token->isEmpty()) {
            m_token = *token;
            startSession();
            return;
        }
        if (!token && token.error().kind != client::CredentialError::NotFound)
            keychainUnavailable(token.error().message);
        showSignIn();
    });
}

void DesktopApp::showSignIn(const QString &error)
{
    if (!m_signIn) {
        m_signIn = std::make_unique<ui::SignInDialog>();
        m_signIn->setWindowTitle(tr("Sign in to Tandem"));
        connect(m_signIn.get(), &ui::SignInDialog::signInRequested, this, &DesktopApp::onSignInRequested);
        connect(m_signIn.get(), &QDialog::rejected, this, [this] {
            if (!m_window)
                Q_EMIT quitRequested();
        });
    }
    m_signIn->setBusy(false);
    m_signIn->clearPassword();
    if (m_serverUrl.isValid())
        m_signIn->setServerUrl(m_serverUrl);
    if (!m_userName.isEmpty())
        m_signIn->setUserName(m_userName);
    if (!error.isEmpty())
        m_signIn->showError(error);
    m_signIn->show();
    m_signIn->raise();
    m_signIn->activateWindow();
    Q_EMIT signInShown();
}

void DesktopApp::onSignInRequested(const QUrl &serverUrl, const QString &userName, const QString &password)
{
    const QUrl server = client::AuthClient::serverUrlFromUserInput(serverUrl.toString());
    if (!server.isValid()) {
        m_signIn->showError(
            tr("“%1” is not a server address. Try http://host:7420.").arg(serverUrl.toString()));
        return;
    }
    if (userName.trimmed().isEmpty() || password.isEmpty()) {
        m_signIn->showError(tr("Enter your user name and password."));
        return;
    }
    m_serverUrl = server;
    m_userName = userName.trimmed();
    m_signIn->setBusy(true);
    m_auth.login(m_serverUrl, m_userName, password);
}

void DesktopApp::onLoggedIn(const QString &userId, const QString &token)
{
    m_userName = userId;
    m_token = token;
    rememberAccount();
    storeToken();
    if (m_signIn) {
        m_signIn->clearPassword();
        m_signIn->setBusy(false);
    }
    startSession();
}

void DesktopApp::onLoginFailed(const protocol::Error &error)
{
    if (!m_signIn)
        return;
    m_signIn->setBusy(false);
    m_signIn->clearPassword();
    m_signIn->showError(loginErrorText(error));
}

QString DesktopApp::loginErrorText(const protocol::Error &error) const
{
    switch (error.code) {
    case ErrorCode::Unauthorized:
        return tr("The user name or the password is wrong.");
    case ErrorCode::RateLimited:
        return tr("Too many attempts. Wait a minute, then try again.");
    case ErrorCode::BadRequest:
        return tr("The server did not accept this sign-in: %1").arg(error.message);
    case ErrorCode::Internal:
        return tr("Cannot reach the server: %1").arg(error.message);
    default:
        return tr("Sign-in failed: %1").arg(error.message);
    }
}

void DesktopApp::storeToken()
{
    m_credentials->store(m_serverUrl, m_userName, m_token,
                         [this](const client::CredentialResult<void> &result) {
                             if (!result)
                                 keychainUnavailable(result.error().message);
                         });
}

void DesktopApp::keychainUnavailable(const QString &detail)
{
    m_keychainAvailable = false;
    qCWarning(lcApp) << "no keychain:" << detail;
    if (m_keychainWarned)
        return;
    m_keychainWarned = true;
    auto *box =
        new QMessageBox(QMessageBox::Warning, tr("No keychain available"),
                        tr("Tandem cannot reach the system keychain, so it keeps your sign-in for "
                           "this session only. You will have to sign in again next time."),
                        QMessageBox::Ok, m_window ? static_cast<QWidget *>(m_window.get()) : m_signIn.get());
    box->setDetailedText(detail);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void DesktopApp::rememberAccount()
{
    m_settings->setValue(serverKey, m_serverUrl.toString());
    m_settings->setValue(userKey, m_userName);
    m_settings->sync();
}

void DesktopApp::startSession()
{
    endSession();
    qCInfo(lcApp) << "signing in as" << m_userName << "at" << m_serverUrl.toString();
    m_session = std::make_unique<client::Session>(client::AuthClient::webSocketUrl(m_serverUrl), m_token);
    // The Session's own FallbackTransport, on the Session's own timers: a
    // session ended by endSession() is deleted later and may outlive m_timers.
    m_transport = qobject_cast<client::FallbackTransport *>(&m_session->transport());
    const auto mode = client::FallbackTransport::modeFromName(transportModeName())
                          .value_or(client::FallbackTransport::Mode::Auto);
    qCInfo(lcApp) << "transport:" << client::FallbackTransport::modeName(mode);
    if (m_transport)
        m_transport->setMode(mode);
    QList<QUrl> alternatives;
    if (!m_options.alternativeServers.isEmpty()) {
        for (const QUrl &url : std::as_const(m_options.alternativeServers))
            alternatives.append(client::AuthClient::webSocketUrl(url));
    } else {
        for (const QString &text : m_settings->value(alternativeServersKey).toStringList())
            alternatives.append(
                client::AuthClient::webSocketUrl(client::AuthClient::serverUrlFromUserInput(text)));
    }
    m_session->setAlternativeServers(alternatives);
    connect(m_session.get(), &client::Session::authenticationRequired, this,
            &DesktopApp::onAuthenticationRequired);
    connect(m_session.get(), &client::Session::authenticated, this, [this] {
        // Instances given on the command line are kept once one of them let us in.
        if (!m_options.alternativeServers.isEmpty()) {
            QStringList remembered;
            for (const QUrl &url : std::as_const(m_options.alternativeServers))
                remembered.append(url.toString());
            m_settings->setValue(alternativeServersKey, remembered);
            m_settings->sync();
        }
        if (std::exchange(m_storeTokenWhenAuthenticated, false)) {
            rememberAccount();
            storeToken();
        }
    });
    if (!m_settings->value(joinedDefaultRoomKey).toBool()) {
        // A first sign-in: make sure there is a room to talk in.
        if (m_session->joinRoom(defaultRoom()))
            m_settings->setValue(joinedDefaultRoomKey, true);
    }

    // The local store opens before the connection: cached rooms and messages show at once.
    const QString storePath = offline::LocalStore::pathFor(m_profile.dataDir(), m_serverUrl, m_userName);
    m_offline = std::make_unique<offline::OfflineSync>(*m_session, storePath, Clock::system(), m_timers);
    if (const auto opened = m_offline->open(); !opened) {
        qCWarning(lcApp) << "cannot open the local store" << storePath << ":" << opened.error().message;
        QMessageBox::critical(nullptr, tr("Tandem"),
                              tr("Tandem cannot open its local data at %1:\n%2")
                                  .arg(QDir::toNativeSeparators(storePath), opened.error().message));
        m_offline.reset();
        m_transport = nullptr;
        m_session.reset();
        Q_EMIT quitRequested();
        return;
    }
    m_window = std::make_unique<ui::MainWindow>(*m_session, *m_offline);
    m_window->setWindowTitle(tr("Tandem — %1 on %2").arg(m_userName, m_serverUrl.host()));
    connect(m_window.get(), &ui::MainWindow::signOutRequested, this, &DesktopApp::signOut);
    connect(m_window.get(), &ui::MainWindow::connectionSettingsRequested, this,
            &DesktopApp::showConnectionSettings);
    m_window->show();
    if (m_signIn)
        m_signIn->hide();
    connect(m_networkWatcher, &client::NetworkWatcher::networkBack, m_session.get(),
            &client::Session::networkBack);
    m_session->connectToServer();
    Q_EMIT sessionStarted();
}

QString DesktopApp::transportModeName() const
{
    if (!m_options.transport.isEmpty())
        return m_options.transport;
    const QString stored = m_settings->value(transportKey()).toString();
    return client::FallbackTransport::modeFromName(stored) ? stored : QStringLiteral("auto");
}

void DesktopApp::showConnectionSettings()
{
    if (m_connectionSettings) {
        m_connectionSettings->raise();
        m_connectionSettings->activateWindow();
        return;
    }
    auto *dialog = new ui::ConnectionSettingsDialog(m_window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setTransportMode(client::FallbackTransport::modeFromName(transportModeName())
                                 .value_or(client::FallbackTransport::Mode::Auto));
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const auto mode = dialog->transportMode();
        // The user's choice from now on, over a --transport given for this run.
        m_options.transport.clear();
        m_settings->setValue(transportKey(), client::FallbackTransport::modeName(mode));
        m_settings->sync();
        qCInfo(lcApp) << "transport set to" << client::FallbackTransport::modeName(mode);
        // A connection on another transport closes with CloseTransportChange and reconnects at once.
        if (m_transport)
            m_transport->setMode(mode);
    });
    m_connectionSettings = dialog;
    dialog->open();
}

void DesktopApp::endSession()
{
    // Called from the window's and the session's own signals: delete them later.
    if (m_window) {
        m_window->hide();
        m_window.release()->deleteLater();
    }
    if (m_session) {
        m_session->disconnect(this);
        m_session->disconnectFromServer();
    }
    // The window's models, the offline half and the session go together, in
    // that order, once the signal that led here has returned.
    QObject *holder = new QObject;
    if (m_offline) {
        auto *offline = m_offline.release();
        connect(holder, &QObject::destroyed, [offline] { delete offline; });
    }
    if (m_session)
        m_session.release()->setParent(holder);
    m_transport = nullptr;
    holder->deleteLater();
}

void DesktopApp::onAuthenticationRequired()
{
    qCInfo(lcApp) << "the server refused the token; back to sign-in";
    // A refused token that was handed over was never stored: keep whatever is.
    if (!std::exchange(m_storeTokenWhenAuthenticated, false))
        m_credentials->remove(m_serverUrl, m_userName, [](const client::CredentialResult<void> &) {});
    m_token.clear();
    showSignIn(tr("Your session has expired or was signed out elsewhere. Please sign in again."));
    endSession();
}

void DesktopApp::signOut()
{
    qCInfo(lcApp) << "signing out" << m_userName;
    m_auth.logout(m_serverUrl, m_token);
    m_credentials->remove(m_serverUrl, m_userName, [this](const client::CredentialResult<void> &result) {
        if (!result && result.error().kind != client::CredentialError::Unavailable)
            qCWarning(lcApp) << "the token could not be removed from the keychain:" << result.error().message;
    });
    m_token.clear();
    showSignIn();
    endSession();
}

} // namespace tandem::app
