#include "core/client/HttpEndpoints.h"

#include <QUrlQuery>

namespace tandem::client {

HttpEndpoints HttpEndpoints::fromWebSocketUrl(const QUrl &webSocketUrl)
{
    const QString scheme = webSocketUrl.scheme().toLower();
    QString httpScheme;
    if (scheme == QLatin1String("ws") || scheme == QLatin1String("http"))
        httpScheme = QStringLiteral("http");
    else if (scheme == QLatin1String("wss") || scheme == QLatin1String("https"))
        httpScheme = QStringLiteral("https");
    if (httpScheme.isEmpty() || webSocketUrl.host().isEmpty())
        return {};

    QUrl base = webSocketUrl.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo);
    base.setScheme(httpScheme);
    // The folder the /ws endpoint lives in; the others are its siblings.
    QString folder = base.path();
    folder.truncate(folder.lastIndexOf(QLatin1Char('/')) + 1);
    if (folder.isEmpty())
        folder = QStringLiteral("/");
    const auto endpoint = [&](QLatin1StringView name) {
        QUrl url = base;
        url.setPath(folder + name);
        return url;
    };
    return {endpoint(QLatin1StringView("events")), endpoint(QLatin1StringView("send")),
            endpoint(QLatin1StringView("poll")), endpoint(QLatin1StringView("sessions"))};
}

QUrl sessionUrl(const QUrl &sessionsUrl, const QString &sessionId)
{
    QUrl url = sessionsUrl;
    url.setPath(sessionsUrl.path() + QLatin1Char('/') + sessionId);
    return url;
}

QUrl sendUrlForSession(const QUrl &sendUrl, const QString &sessionId)
{
    QUrl url = sendUrl;
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("session"), sessionId);
    url.setQuery(query);
    return url;
}

} // namespace tandem::client
