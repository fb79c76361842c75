#include "core/client/AuthClient.h"

#include "core/client/ClientLogging.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace tandem::client {

using protocol::Error;
using protocol::ErrorCode;

namespace {

QJsonObject jsonBody(const QByteArray &bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

} // namespace

AuthClient::AuthClient(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{}

AuthClient::~AuthClient() = default;

QUrl AuthClient::serverUrlFromUserInput(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    // "host:7420" parses as scheme "host"; only a "//" says a scheme was typed.
    if (!trimmed.contains(QLatin1String("://")))
        return normalizedServerUrl(QUrl(QStringLiteral("http://") + trimmed));
    return normalizedServerUrl(QUrl(trimmed));
}

QUrl AuthClient::normalizedServerUrl(const QUrl &serverUrl)
{
    if (!serverUrl.isValid() || serverUrl.host().isEmpty())
        return {};
    QUrl url;
    const QString scheme = serverUrl.scheme().toLower();
    if (scheme == QLatin1String("http") || scheme == QLatin1String("ws"))
        url.setScheme(QStringLiteral("http"));
    else if (scheme == QLatin1String("https") || scheme == QLatin1String("wss"))
        url.setScheme(QStringLiteral("https"));
    else
        return {};
    url.setHost(serverUrl.host());
    url.setPort(serverUrl.port());
    return url;
}

QUrl AuthClient::webSocketUrl(const QUrl &serverUrl)
{
    QUrl url = normalizedServerUrl(serverUrl);
    if (!url.isValid())
        return {};
    url.setScheme(url.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setPath(QStringLiteral("/ws"));
    return url;
}

QNetworkReply *AuthClient::post(const QUrl &serverUrl, const QString &path, const QByteArray &body,
                                const QString &token)
{
    QUrl url = normalizedServerUrl(serverUrl);
    url.setPath(path);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setTransferTimeout(m_timeoutMs);
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    return m_network->post(request, body);
}

void AuthClient::login(const QUrl &serverUrl, const QString &userName, const QString &password)
{
    if (m_login) {
        m_login->disconnect(this);
        m_login->abort();
        m_login->deleteLater();
    }
    if (!normalizedServerUrl(serverUrl).isValid()) {
        const Error error{ErrorCode::BadRequest,
                          QStringLiteral("not a server address: %1").arg(serverUrl.toString())};
        QMetaObject::invokeMethod(
            this, [this, error] { Q_EMIT loginFailed(error); }, Qt::QueuedConnection);
        return;
    }
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("username"), userName},
                                                      {QStringLiteral("password"), password}})
                                .toJson(QJsonDocument::Compact);
    qCDebug(lcAuth) << "login" << userName << "at" << normalizedServerUrl(serverUrl).toString();
    QNetworkReply *reply = post(serverUrl, QStringLiteral("/api/login"), body, {});
    m_login = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onLoginFinished(reply); });
}

void AuthClient::onLoginFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (m_login == reply)
        m_login = nullptr;
    if (reply->error() != QNetworkReply::NoError) {
        const Error error = replyError(reply);
        qCInfo(lcAuth) << "login failed:" << protocol::errorCodeName(error.code) << error.message;
        Q_EMIT loginFailed(error);
        return;
    }
    const QJsonObject body = jsonBody(reply->readAll());
    const QString token = body.value(QLatin1String("token")).toString();
    const QString userId = body.value(QLatin1String("userId")).toString();
    if (token.isEmpty() || userId.isEmpty()) {
        Q_EMIT loginFailed(Error{ErrorCode::Internal, QStringLiteral("the server's answer has no token")});
        return;
    }
    const QDateTime expiresAt =
        QDateTime::fromString(body.value(QLatin1String("expiresAt")).toString(), Qt::ISODateWithMs);
    qCInfo(lcAuth) << "logged in as" << userId;
    Q_EMIT loggedIn(userId, token, expiresAt);
}

void AuthClient::logout(const QUrl &serverUrl, const QString &token)
{
    if (!normalizedServerUrl(serverUrl).isValid() || token.isEmpty()) {
        QMetaObject::invokeMethod(
            this,
            [this] {
                Q_EMIT logoutFailed(Error{ErrorCode::BadRequest, QStringLiteral("no server or token")});
            },
            Qt::QueuedConnection);
        return;
    }
    QNetworkReply *reply = post(serverUrl, QStringLiteral("/api/logout"), {}, token);
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onLogoutFinished(reply); });
}

void AuthClient::onLogoutFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply->error() != QNetworkReply::NoError) {
        const Error error = replyError(reply);
        qCInfo(lcAuth) << "logout failed:" << protocol::errorCodeName(error.code) << error.message;
        Q_EMIT logoutFailed(error);
        return;
    }
    qCInfo(lcAuth) << "logged out";
    Q_EMIT loggedOut();
}

Error replyError(QNetworkReply *reply)
{
    const QJsonObject error = jsonBody(reply->readAll()).value(QLatin1String("error")).toObject();
    if (!error.isEmpty()) {
        return Error{protocol::errorCodeFromString(error.value(QLatin1String("code")).toString()),
                     error.value(QLatin1String("message")).toString()};
    }
    QUrl server = reply->url();
    server.setPath({});
    return Error{ErrorCode::Internal,
                 QStringLiteral("%1: %2").arg(server.toString(QUrl::RemoveUserInfo), reply->errorString())};
}

} // namespace tandem::client
