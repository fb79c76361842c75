#pragma once
// Signs in and out over the REST API (docs/PROTOCOL.md §1): POST /api/login
// trades a user name and password for a token, POST /api/logout revokes it.
// Holds no credentials: the caller stores the token (CredentialStore) and
// forgets the password.

#include "core/protocol/ErrorCode.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace tandem::client {

class AuthClient : public QObject {
    Q_OBJECT

public:
    explicit AuthClient(QObject *parent = nullptr);
    ~AuthClient() override;

    /// What a user types ("host:7420", "http://host:7420/", "ws://host:7420/ws")
    /// as the server's HTTP base URL (http or https, no path); invalid when it
    /// cannot be one.
    static QUrl normalizedServerUrl(const QUrl &serverUrl);
    /// The user's text as a URL: a bare "host:port" becomes http://host:port.
    static QUrl serverUrlFromUserInput(const QString &text);
    /// The WebSocket endpoint of a server: ws(s)://host:port/ws.
    static QUrl webSocketUrl(const QUrl &serverUrl);

    /// Starts a login; the answer is loggedIn() or loginFailed(). A login that
    /// is still running is abandoned (its answer is never reported).
    void login(const QUrl &serverUrl, const QString &userName, const QString &password);
    /// Revokes `token`; the answer is loggedOut() or logoutFailed().
    void logout(const QUrl &serverUrl, const QString &token);
    bool isLoginPending() const { return !m_login.isNull(); }

    /// Milliseconds before a request without an answer fails (default 15 s).
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }

Q_SIGNALS:
    void loggedIn(const QString &userId, const QString &token, const QDateTime &expiresAt);
    /// The server's error code and message, or a network error (code Internal,
    /// the message names the server and the cause).
    void loginFailed(const tandem::protocol::Error &error);
    void loggedOut();
    void logoutFailed(const tandem::protocol::Error &error);

private:
    QNetworkReply *post(const QUrl &serverUrl, const QString &path, const QByteArray &body,
                        const QString &token);
    void onLoginFinished(QNetworkReply *reply);
    void onLogoutFinished(QNetworkReply *reply);

    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_login;
    int m_timeoutMs = 15000;
};

/// The error a failed reply carries: the server's {"error":{code,message}}
/// when there is one, else the network error.
protocol::Error replyError(QNetworkReply *reply);

} // namespace tandem::client
