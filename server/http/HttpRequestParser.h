#pragma once
// Incremental HTTP/1.1 request parsing over Node's http_parser. It stops after
// the head and after each complete message, so the connection decides what
// to do (upgrade, 413, 100-continue) before consuming any further byte, and
// pipelined requests stay unread until their turn.

#include "server/http/HttpRequest.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>

struct http_parser;

namespace tandem::server::http {

class HttpRequestParser {
public:
    explicit HttpRequestParser(qint64 maxBodyBytes);
    ~HttpRequestParser();
    HttpRequestParser(const HttpRequestParser &) = delete;
    HttpRequestParser &operator=(const HttpRequestParser &) = delete;

    /// Forgets everything; the next byte fed starts a new request.
    void reset();
    /// Whether these bytes, the start of a head that is not complete yet, are malformed already. Parses a
    /// copy of the parser state, so nothing is consumed: a client that sends garbage is refused at once
    /// instead of holding a connection until the head timeout.
    bool rejectsPartialHead(QByteArrayView bytes) const;
    /// Parses from data and returns how many bytes it consumed. It stops early when the head has
    /// been parsed (once per request) and when the message is complete: feed the rest again later.
    qint64 feed(QByteArrayView data);

    bool headComplete() const { return m_headComplete; }
    bool messageComplete() const { return m_messageComplete; }
    /// The request is malformed: answer 400 and close.
    bool failed() const { return m_failed; }
    QString errorString() const { return m_errorString; }
    /// The declared Content-Length, the decoded chunked total or the framing overhead exceeds the
    /// limit: answer 413 and close. Known as soon as the head is parsed when Content-Length is sent.
    bool bodyTooLarge() const { return m_bodyTooLarge; }
    /// Whether the connection may carry another request (HTTP/1.1 default, "Connection: close", 1.0).
    bool keepAlive() const { return m_keepAlive; }
    /// Whether a body follows the head (Content-Length > 0 or chunked).
    bool expectsBody() const { return m_expectsBody; }

    /// The request parsed so far: method, target, path, query and headers once headComplete().
    const HttpRequest &request() const { return m_request; }
    HttpRequest takeRequest();

private:
    struct Callbacks;
    friend struct Callbacks;

    int headersComplete();
    int body(const char *at, size_t length);

    std::unique_ptr<http_parser> m_parser;
    qint64 m_maxBodyBytes;
    qint64 m_bodyWireBytes = 0;
    HttpRequest m_request;
    QByteArray m_headerName;
    QByteArray m_headerValue;
    bool m_lastWasValue = false;
    bool m_headComplete = false;
    bool m_messageComplete = false;
    bool m_failed = false;
    bool m_bodyTooLarge = false;
    bool m_keepAlive = false;
    bool m_expectsBody = false;
    QString m_errorString;
};

} // namespace tandem::server::http
