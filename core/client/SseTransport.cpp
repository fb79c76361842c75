#include "core/client/SseTransport.h"

#include "core/client/ClientLogging.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace tandem::client {

namespace {
/// RFC 6455: "closed abnormally, without a close frame"; every way a stream can die.
constexpr int CloseAbnormal = 1006;
constexpr int HttpOk = 200;
} // namespace

SseTransport::SseTransport(TimerSource &timers, qint64 connectTimeoutMs, HttpSendPolicy sendPolicy,
                           QObject *parent)
    : Transport(parent)
    , m_timers(timers)
    , m_connectTimeoutMs(connectTimeoutMs)
    , m_sender(m_network, timers, sendPolicy)
{
    connect(&m_sender, &HttpSender::failed, this,
            [this](const QString &reason) { finish(CloseAbnormal, reason); });
}

SseTransport::~SseTransport()
{
    m_sender.disconnect(this);
    discardStream();
}

void SseTransport::open(const QUrl &url)
{
    discardStream();
    m_endpoints = HttpEndpoints::fromWebSocketUrl(url);
    m_parser.emplace();
    m_sessionId.clear();
    m_checkedResponse = false;

    QNetworkRequest request(m_endpoints.events);
    request.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("text/event-stream"));
    request.setRawHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache"));
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    qCDebug(lcTransport) << "opening" << m_endpoints.events;
    QNetworkReply *stream = m_network.get(request);
    m_stream = stream;
    connect(stream, &QNetworkReply::readyRead, this, &SseTransport::onReadyRead);
    connect(stream, &QNetworkReply::finished, this, &SseTransport::onStreamFinished);
    m_connectTimer = m_timers.start(m_connectTimeoutMs, [this] {
        m_connectTimer = 0;
        qCInfo(lcTransport) << "no SSE session event after" << m_connectTimeoutMs << "ms";
        finish(CloseAbnormal, QStringLiteral("no session event within %1 ms").arg(m_connectTimeoutMs));
    });
}

void SseTransport::close(quint16 code, const QString &reason)
{
    // Aborting the stream ends the server's session (contract: its TCP connection is the session).
    finish(code, reason);
}

void SseTransport::send(const QByteArray &json)
{
    if (m_open)
        m_sender.enqueue(json);
}

void SseTransport::onReadyRead()
{
    QNetworkReply *stream = m_stream.data();
    if (!stream)
        return;
    if (!m_checkedResponse) {
        // A 401/503 answer, or a proxy's page instead of a stream, is no stream at all.
        m_checkedResponse = true;
        const int status = stream->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QString type = stream->header(QNetworkRequest::ContentTypeHeader).toString();
        if (status != HttpOk || !type.startsWith(QLatin1String("text/event-stream"))) {
            finish(CloseAbnormal, QStringLiteral("GET /events answered HTTP %1 (%2)").arg(status).arg(type));
            return;
        }
    }
    QList<SseEvent> events;
    const auto parsed = m_parser->feed(stream->readAll(), events);
    // Handle what the chunk completed even when it ends in an error; a
    // handler may close (or reopen) this transport, which ends the loop.
    for (const SseEvent &event : events) {
        if (!handleEvent(event) || m_stream != stream)
            return;
    }
    if (!parsed)
        finish(CloseAbnormal,
               QStringLiteral("an event stream line longer than %1 bytes").arg(m_parser->maxLineBytes()));
}

bool SseTransport::handleEvent(const SseEvent &event)
{
    if (event.type == QLatin1String("session")) {
        const QString id =
            QJsonDocument::fromJson(event.data.toUtf8()).object().value(QLatin1String("session")).toString();
        if (m_open || id.isEmpty())
            return true;
        m_timers.cancelAndClear(m_connectTimer);
        m_sessionId = id;
        m_sender.start(m_endpoints.send, id);
        m_open = true;
        Q_EMIT opened();
        return true;
    }
    if (event.type == QLatin1String("close")) {
        const QJsonObject close = QJsonDocument::fromJson(event.data.toUtf8()).object();
        finish(close.value(QLatin1String("code")).toInt(CloseAbnormal),
               close.value(QLatin1String("reason")).toString());
        return false;
    }
    if (m_open && !event.data.isEmpty())
        Q_EMIT messageReceived(event.data.toUtf8());
    return true;
}

void SseTransport::onStreamFinished()
{
    QNetworkReply *stream = m_stream.data();
    if (!stream)
        return;
    const int status = stream->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    QString reason;
    if (stream->error() != QNetworkReply::NoError)
        reason = stream->errorString();
    else if (status != HttpOk)
        reason = QStringLiteral("GET /events answered HTTP %1").arg(status);
    else
        reason = QStringLiteral("the server ended the event stream");
    finish(CloseAbnormal, reason);
}

void SseTransport::finish(int code, const QString &reason)
{
    if (!m_stream)
        return; // not opened, or closed already: exactly one closed() per open()
    qCDebug(lcTransport) << "SSE closed:" << code << reason << "was open" << m_open;
    discardStream();
    Q_EMIT closed(code, reason);
}

void SseTransport::discardStream()
{
    m_timers.cancelAndClear(m_connectTimer);
    m_open = false;
    m_sender.stop();
    if (m_parser)
        m_parser->finish();
    abandonReply(m_stream, this);
}

} // namespace tandem::client
