#pragma once
// One parsed HTTP/1.1 request as handlers see it: decoded path and query,
// headers as received, the complete body, and the path parameters the router
// matched.

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

#include <optional>

namespace tandem::server::http {

struct HttpRequest {
    QByteArray method;      ///< "GET", "POST", … (upper case, as the parser accepts them)
    QByteArray target;      ///< the request-target exactly as received, still percent-encoded
    QByteArray encodedPath; ///< path of the target, still percent-encoded; the router splits this
    QString path;           ///< percent-decoded path without the query
    QUrlQuery query;        ///< values decode with queryItemValue(); '+' is not a space here
    QList<QPair<QByteArray, QByteArray>> headers; ///< names as received, values trimmed
    QByteArray body;                              ///< complete, de-chunked
    QHostAddress peer;
    QHash<QString, QString> pathParams; ///< from "{name}" segments of the matched route, decoded
    int httpMinorVersion = 1;           ///< 0 for HTTP/1.0, 1 for HTTP/1.1

    /// The first header with this name, compared case-insensitively; empty if absent.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    QString pathParam(const QString &name) const;
    /// The token of "Authorization: Bearer <token>" (scheme case-insensitive), if there is one.
    std::optional<QByteArray> bearerToken() const;
};

} // namespace tandem::server::http
