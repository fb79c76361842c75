#pragma once
// Maps method + path to a handler. Patterns are literal segments and "{name}"
// segments: "/api/rooms/{roomId}/messages". Matching splits the still
// percent-encoded path and decodes each segment, so "%2F" stays inside its
// parameter instead of creating a new segment.

#include "server/http/HttpRequest.h"
#include "server/http/HttpResponder.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace tandem::server::http {

class HttpRouter {
public:
    using Handler = std::function<void(const HttpRequest &, HttpResponder)>;

    struct Match {
        enum class Outcome { Found, NotFound, MethodNotAllowed };
        Outcome outcome = Outcome::NotFound;
        Handler handler;                    ///< set when Found
        QHash<QString, QString> pathParams; ///< set when Found
        QList<QByteArray> allowedMethods;   ///< set when MethodNotAllowed, sorted, for the Allow header
    };

    /// pattern must start with '/'. When several patterns match a path, the one with the most literal
    /// segments wins ("/rooms/new" before "/rooms/{id}"); among equals, the first added.
    void add(const QByteArray &method, const QString &pattern, Handler handler);
    /// HEAD falls back to the GET route of the same path.
    Match match(QByteArrayView method, QByteArrayView encodedPath) const;

private:
    struct Route {
        QByteArray method;
        QStringList segments; ///< decoded literals, or "{name}"
        int literalCount = 0;
        Handler handler;
    };
    static bool matchSegments(const Route &route, const QStringList &segments,
                              QHash<QString, QString> *params);

    QList<Route> m_routes;
};

} // namespace tandem::server::http
