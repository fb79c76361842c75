#pragma once
// Transport over Server-Sent Events downstream (GET /events, one streaming
// response read incrementally by SseParser) and POST /send upstream
// (HttpSender). For networks where a WebSocket upgrade is refused but a long
// HTTP response gets through. The first event, `session`, names the server
// session and means "open"; every later event's data is one envelope; an
// `event: close` carries the close code; the end of the stream is a 1006.

#include "core/client/HttpEndpoints.h"
#include "core/client/HttpSender.h"
#include "core/client/SseParser.h"
#include "core/client/TimerSource.h"
#include "core/client/Transport.h"

#include <QNetworkAccessManager>
#include <QPointer>

#include <optional>

class QNetworkReply;

namespace tandem::client {

class SseTransport final : public Transport {
    Q_OBJECT

public:
    /// `connectTimeoutMs`: from open() to the `session` event. A proxy that
    /// buffers the stream lets the request through but nothing back: that
    /// ends in a 1006 "no session event" rather than a silent hang.
    explicit SseTransport(TimerSource &timers, qint64 connectTimeoutMs = 10000,
                          HttpSendPolicy sendPolicy = {}, QObject *parent = nullptr);
    ~SseTransport() override;

    QString name() const override { return QStringLiteral("SSE"); }
    /// `url` is the WebSocket URL; the HTTP endpoints are derived from it.
    void open(const QUrl &url) override;
    void close(quint16 code, const QString &reason) override;
    void send(const QByteArray &json) override;
    bool supportsBinary() const override { return false; }
    bool isOpen() const override { return m_open; }

    /// The server's session id from the `session` event; empty before.
    QString sessionId() const { return m_sessionId; }
    /// The id of the last event received (the server's resume cursor).
    QString lastEventId() const { return m_parser ? m_parser->lastEventId() : QString(); }

private:
    void onReadyRead();
    void onStreamFinished();
    /// Returns false when the event ended this stream.
    bool handleEvent(const SseEvent &event);
    void finish(int code, const QString &reason);
    void discardStream();

    TimerSource &m_timers;
    qint64 m_connectTimeoutMs;
    QNetworkAccessManager m_network;
    HttpSender m_sender;
    HttpEndpoints m_endpoints;
    QPointer<QNetworkReply> m_stream;
    std::optional<SseParser> m_parser;
    QString m_sessionId;
    int m_connectTimer = 0;
    bool m_checkedResponse = false;
    bool m_open = false;
};

} // namespace tandem::client
