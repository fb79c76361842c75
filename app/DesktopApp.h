#pragma once
// The desktop app's controller: who is signed in where, and which window is
// showing. It loads the last server and user from the profile's settings,
// tries their stored token, and otherwise shows the sign-in dialog; a token
// from POST /api/login goes to the CredentialStore (the password never does)
// and opens a Session and the main window. Sign-out, or a token the server
// refuses (4001), revokes and forgets the token and goes back to sign-in.
// The session's transport mode comes from --transport, else the profile's
// connection/transport; Account > Connection settings changes it live.

#include "app/CommandLine.h"
#include "app/Profile.h"
#include "core/client/AuthClient.h"
#include "core/client/CredentialStore.h"
#include "core/client/NetworkWatcher.h"
#include "core/client/QtTimerSource.h"
#include "core/client/Session.h"
#include "core/offline/OfflineSync.h"
#include "ui/ConnectionSettingsDialog.h" // complete for QPointer

#include <QObject>
#include <QPointer>
#include <QSettings>

#include <memory>

namespace tandem::client {
class FallbackTransport;
} // namespace tandem::client

namespace tandem::ui {
class SignInDialog;
class MainWindow;
} // namespace tandem::ui

namespace tandem::app {

class DesktopApp : public QObject {
    Q_OBJECT

public:
    DesktopApp(AppOptions options, std::unique_ptr<client::CredentialStore> credentials,
               QObject *parent = nullptr);
    ~DesktopApp() override;

    /// Signs in with the given or stored token, or shows the sign-in dialog.
    void start();

    ui::SignInDialog *signInDialog() const { return m_signIn.get(); }
    /// Open while the user edits the connection settings (Account > Connection settings…).
    ui::ConnectionSettingsDialog *connectionSettingsDialog() const { return m_connectionSettings; }
    ui::MainWindow *mainWindow() const { return m_window.get(); }
    client::Session *session() const { return m_session.get(); }
    offline::OfflineSync *offlineSync() const { return m_offline.get(); }
    client::AuthClient &authClient() { return m_auth; }
    /// False once the keychain failed: the token lives only as long as this process.
    bool isKeychainAvailable() const { return m_keychainAvailable; }

    /// The room every new profile joins on its first sign-in, so that a fresh
    /// server has somewhere to talk (room:join creates it).
    static QString defaultRoom() { return QStringLiteral("general"); }
    /// The profile key of the transport mode: auto, websocket, sse or polling.
    static QString transportKey() { return QStringLiteral("connection/transport"); }

Q_SIGNALS:
    void signInShown();
    void sessionStarted();
    /// The user closed the sign-in dialog without signing in.
    void quitRequested();

private:
    void showSignIn(const QString &error = {});
    void onSignInRequested(const QUrl &serverUrl, const QString &userName, const QString &password);
    void onLoggedIn(const QString &userId, const QString &token);
    void onLoginFailed(const protocol::Error &error);
    void storeToken();
    void startSession();
    void endSession();
    /// --transport, else the profile's setting, else auto.
    QString transportModeName() const;
    void showConnectionSettings();
    void onAuthenticationRequired();
    void signOut();
    void rememberAccount();
    void keychainUnavailable(const QString &detail);
    QString loginErrorText(const protocol::Error &error) const;

    AppOptions m_options;
    Profile m_profile;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<client::CredentialStore> m_credentials;
    client::AuthClient m_auth;

    QUrl m_serverUrl;
    QString m_userName;
    QString m_token; ///< in memory only while signed in; never logged
    bool m_keychainAvailable = true;
    bool m_keychainWarned = false;
    bool m_storeTokenWhenAuthenticated = false; ///< a handed-over token, not yet checked

    std::unique_ptr<ui::SignInDialog> m_signIn;
    std::unique_ptr<client::Session> m_session;
    client::FallbackTransport *m_transport = nullptr; ///< the session's; null without one
    QPointer<ui::ConnectionSettingsDialog> m_connectionSettings;
    client::QtTimerSource m_timers;
    std::unique_ptr<offline::OfflineSync> m_offline; ///< the session's local store and mutation queue
    client::NetworkWatcher *m_networkWatcher = new client::NetworkWatcher(this);
    std::unique_ptr<ui::MainWindow> m_window;
};

} // namespace tandem::app
