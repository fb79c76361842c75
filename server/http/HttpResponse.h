#pragma once
// One HTTP/1.1 response: status, extra headers, body. The connection adds
// Content-Length and Connection itself when it serialises, so a handler can
// neither forget them nor get them wrong.

#include "core/protocol/ErrorCode.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace tandem::server::http {

struct HttpResponse {
    int status = 200;
    /// Extra headers. Content-Length, Connection and Transfer-Encoding are set by serialize() and ignored
    /// here.
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    /// Compact JSON with "Content-Type: application/json".
    static HttpResponse json(int status, const QJsonObject &object);
    /// {"error":{"code":"<errorCodeName>","message":"…"}} with the code's REST status.
    static HttpResponse error(protocol::ErrorCode code, const QString &message);
    /// The same body with an explicit status, for statuses no ErrorCode maps to (405, 408, 431, 503).
    static HttpResponse error(int status, protocol::ErrorCode code, const QString &message);
    /// With more top-level fields next to "error", e.g. the "current" state of a conflict.
    static HttpResponse error(protocol::ErrorCode code, const QString &message, const QJsonObject &extra);

    /// Replaces any header of that name (case-insensitive).
    void setHeader(const QByteArray &name, const QByteArray &value);
    /// The first header with that name (case-insensitive); empty if absent.
    QByteArray header(QByteArrayView name) const;

    /// Status line with reason phrase, headers, Content-Length (except for 1xx/204/304, which carry
    /// no body), "Connection: keep-alive" or "close", blank line, then the body unless includeBody is
    /// false (answers to HEAD keep the Content-Length of the body they omit). Headers with CR, LF or
    /// NUL in them, or a name that is not an HTTP token, are dropped: no response splitting.
    QByteArray serialize(bool keepAlive, bool includeBody = true) const;
    /// The head of a response whose body runs until the connection closes (an SSE stream): no
    /// Content-Length, "Connection: close". The body is written by whoever owns the socket next.
    QByteArray serializeStreamHead() const;

private:
    QByteArray serializeHead(std::optional<qint64> contentLength, bool keepAlive) const;
};

} // namespace tandem::server::http
