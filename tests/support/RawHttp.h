#pragma once
// HTTP on a plain QTcpSocket, for tests that must see the exact bytes: a 304
// with no body, the headers of an event stream, a stream cut mid-way. Every
// wait is a QTRY-style loop on the event loop, never a sleep.

#include "core/client/SseParser.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QStringList>
#include <QTcpSocket>

#include <memory>
#include <optional>

namespace tandem::test {

struct RawHttpResponse {
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool complete = false;

    QByteArray header(QByteArrayView name) const;
};

/// A client envelope as compact JSON: what a body of POST /send holds.
QByteArray clientEnvelope(const QString &id, const QString &type, const QJsonObject &payload,
                          const QString &cid = {});
/// The `type`s of a poll answer's events, in order.
QStringList eventTypes(const QJsonObject &pollAnswer);

/// One request on a new connection; waits for the whole response (Content-Length, or close).
RawHttpResponse rawHttp(quint16 port, const QByteArray &method, const QByteArray &target,
                        const QList<QPair<QByteArray, QByteArray>> &headers = {}, const QByteArray &body = {},
                        int timeoutMs = 10000);

/// GET /events, read as it arrives.
class RawEventStream {
public:
    RawEventStream(quint16 port, const QByteArray &target,
                   const QList<QPair<QByteArray, QByteArray>> &headers = {});

    /// Waits for the response head; false if none came in time.
    bool waitForHead(int timeoutMs = 10000);
    int status() const { return m_head.status; }
    QByteArray header(QByteArrayView name) const { return m_head.header(name); }
    /// Waits until an event of `type` has arrived (counting from the start); returns it.
    std::optional<client::SseEvent> waitFor(const QString &type, int timeoutMs = 10000);
    /// Waits until `count` events of `type` have arrived.
    bool waitForCount(const QString &type, int count, int timeoutMs = 10000);
    QList<client::SseEvent> events(const QString &type = {}) const;
    /// The body bytes so far (comments included, which the parser drops).
    const QByteArray &rawBody() const { return m_body; }
    bool isOpen() const { return m_socket->state() == QAbstractSocket::ConnectedState; }
    bool waitForClose(int timeoutMs = 10000);
    /// Cuts the connection as a client that vanished would.
    void abort() { m_socket->abort(); }
    QString sessionId() const;
    QString lastEventId() const { return m_parser.lastEventId(); }

private:
    void read();

    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_buffer;
    bool m_headDone = false;
    RawHttpResponse m_head;
    QByteArray m_body;
    client::SseParser m_parser;
    QList<client::SseEvent> m_events;
};

} // namespace tandem::test
