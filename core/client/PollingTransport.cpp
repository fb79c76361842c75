#include "core/client/PollingTransport.h"

#include "core/client/ClientLogging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

namespace tandem::client {

namespace {
/// RFC 6455: "closed abnormally, without a close frame"; every way polling can fail.
constexpr int CloseAbnormal = 1006;
constexpr int HttpOk = 200;
constexpr int HttpNotModified = 304;
constexpr int HttpNotFound = 404;
constexpr int HttpRequestTimeout = 408;
constexpr int HttpTooManyRequests = 429;

/// Worth another poll later: the session may well still be there.
bool isTransient(int status)
{
    return status == 0 || status == HttpRequestTimeout || status == HttpTooManyRequests || status >= 500;
}
} // namespace

PollingTransport::PollingTransport(TimerSource &timers, qint64 connectTimeoutMs, PollingPolicy policy,
                                   HttpSendPolicy sendPolicy, QObject *parent)
    : Transport(parent)
    , m_timers(timers)
    , m_connectTimeoutMs(connectTimeoutMs)
    , m_policy(policy)
    , m_sender(m_network, timers, sendPolicy)
    , m_intervalMs(policy.fastIntervalMs)
{
    connect(&m_sender, &HttpSender::failed, this,
            [this](const QString &reason) { finish(CloseAbnormal, reason); });
    connect(&m_sender, &HttpSender::delivered, this, &PollingTransport::onSendDelivered);
}

PollingTransport::~PollingTransport()
{
    m_sender.disconnect(this);
    discardRequests();
}

void PollingTransport::open(const QUrl &url)
{
    discardRequests();
    m_active = true;
    m_endpoints = HttpEndpoints::fromWebSocketUrl(url);
    m_sessionId.clear();
    m_cursor.clear();
    m_etag.clear();
    m_longPollSeconds = 0;
    m_intervalMs = m_policy.fastIntervalMs;
    m_replyExpected = false;
    resetFailures();
    qCDebug(lcTransport) << "opening" << m_endpoints.poll;
    sendPoll();
}

void PollingTransport::close(quint16 code, const QString &reason)
{
    if (m_open && !m_sessionId.isEmpty()) {
        // The server cannot see a poller leave: say so, or the user stays online (and the session
        // keeps queueing) until its idle timeout. Nobody waits for the answer.
        QNetworkReply *goodbye = m_network.sendCustomRequest(
            QNetworkRequest(sessionUrl(m_endpoints.sessions, m_sessionId)), "DELETE");
        connect(goodbye, &QNetworkReply::finished, goodbye, &QObject::deleteLater);
    }
    finish(code, reason);
}

void PollingTransport::send(const QByteArray &json)
{
    if (m_open)
        m_sender.enqueue(json);
}

void PollingTransport::setBackground(bool background)
{
    if (background == m_background)
        return;
    m_background = background;
    // Back in front: poll now rather than at the end of a background interval.
    // Into the background: the slower interval applies from the next answer.
    if (!background && m_pollTimer != 0) {
        m_timers.cancelAndClear(m_pollTimer);
        m_intervalMs = m_policy.fastIntervalMs;
        startPollTimer(m_intervalMs);
    }
}

void PollingTransport::sendPoll()
{
    QUrl url = m_endpoints.poll;
    qint64 timeoutMs = m_connectTimeoutMs;
    if (m_open) {
        // The cursor is opaque: encode every reserved character of it.
        QString query = QStringLiteral("since=") + QString::fromLatin1(QUrl::toPercentEncoding(m_cursor));
        if (m_longPollSeconds > 0)
            query += QStringLiteral("&wait=%1").arg(m_longPollSeconds);
        url.setQuery(query);
        timeoutMs = m_policy.requestTimeoutMs + qint64(m_longPollSeconds) * 1000;
    }
    QNetworkRequest request(url);
    request.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json"));
    if (m_open && !m_etag.isEmpty())
        request.setRawHeader(QByteArrayLiteral("If-None-Match"), m_etag);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    m_requestTimedOut = false;
    QNetworkReply *reply = m_network.get(request);
    m_poll = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onPollFinished(reply); });
    m_requestTimer = m_timers.start(timeoutMs, [this] {
        m_requestTimer = 0;
        m_requestTimedOut = true;
        if (m_poll)
            m_poll->abort(); // finished follows
    });
}

void PollingTransport::onPollFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != m_poll)
        return;
    m_poll = nullptr;
    m_timers.cancelAndClear(m_requestTimer);

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    QJsonObject answer;
    QString failure;
    if (m_requestTimedOut) {
        failure = QStringLiteral("GET /poll got no answer in time");
    } else if (status == HttpOk) {
        answer = QJsonDocument::fromJson(reply->readAll()).object();
        if (answer.value(QLatin1String("session")).toString().isEmpty())
            failure = QStringLiteral("GET /poll answered 200 without a session");
    } else if (status == 0) {
        failure = reply->errorString();
    } else if (status != HttpNotModified) {
        failure = QStringLiteral("GET /poll answered HTTP %1").arg(status);
    }

    if (!m_open) {
        // The first poll creates the session; if it fails, polling is not possible here.
        if (status != HttpOk || !failure.isEmpty()) {
            finish(CloseAbnormal,
                   failure.isEmpty() ? QStringLiteral("GET /poll answered HTTP %1").arg(status) : failure);
            return;
        }
        adopt(answer, reply->rawHeader(QByteArrayLiteral("ETag")));
        m_longPollSeconds =
            std::clamp(answer.value(QLatin1String("longPollMaxSeconds")).toInt(), 0, m_policy.maxWaitSeconds);
        m_open = true;
        m_sender.start(m_endpoints.send, m_sessionId);
        const quint64 generation = m_generation;
        Q_EMIT opened();
        if (generation != m_generation || !deliver(answer))
            return;
        scheduleNextPoll(true);
        return;
    }

    if (status == HttpNotFound) {
        finish(CloseAbnormal, QStringLiteral("the server ended the session"));
        return;
    }
    if (!failure.isEmpty()) {
        // A 200 without a session is a proxy's page or a mangled body: maybe next time.
        if (m_requestTimedOut || isTransient(status) || status == HttpOk)
            retryAfterFailure(failure);
        else
            finish(CloseAbnormal, failure);
        return;
    }
    resetFailures();
    if (status == HttpNotModified) {
        scheduleNextPoll(false);
        return;
    }
    adopt(answer, reply->rawHeader(QByteArrayLiteral("ETag")));
    const bool activity = !answer.value(QLatin1String("events")).toArray().isEmpty();
    if (!deliver(answer))
        return;
    if (answer.value(QLatin1String("more")).toBool())
        sendPoll(); // the server capped the answer's size: fetch the rest now
    else
        scheduleNextPoll(activity);
}

void PollingTransport::adopt(const QJsonObject &answer, const QByteArray &etag)
{
    const QString session = answer.value(QLatin1String("session")).toString();
    if (session != m_sessionId) {
        m_sessionId = session;
        m_sender.setSessionId(session);
    }
    const QString cursor = answer.value(QLatin1String("cursor")).toString();
    if (!cursor.isEmpty())
        m_cursor = cursor;
    if (!etag.isEmpty())
        m_etag = etag;
}

bool PollingTransport::deliver(const QJsonObject &answer)
{
    const quint64 generation = m_generation;
    const QJsonArray events = answer.value(QLatin1String("events")).toArray();
    for (const QJsonValue &event : events) {
        if (!event.isObject())
            continue;
        Q_EMIT messageReceived(QJsonDocument(event.toObject()).toJson(QJsonDocument::Compact));
        if (generation != m_generation)
            return false;
    }
    const QJsonValue closed = answer.value(QLatin1String("closed"));
    if (closed.isObject()) {
        const QJsonObject close = closed.toObject();
        finish(close.value(QLatin1String("code")).toInt(CloseAbnormal),
               close.value(QLatin1String("reason")).toString());
        return false;
    }
    return true;
}

void PollingTransport::scheduleNextPoll(bool activity)
{
    if (m_longPollSeconds > 0) {
        sendPoll(); // the server holds it until something happens
        return;
    }
    m_intervalMs =
        activity ? m_policy.fastIntervalMs
                 : std::min(m_policy.idleIntervalMs, std::max(m_policy.fastIntervalMs, m_intervalMs * 2));
    qint64 delay = m_background ? std::max(m_policy.backgroundIntervalMs, m_intervalMs) : m_intervalMs;
    if (std::exchange(m_replyExpected, false))
        delay = m_policy.fastIntervalMs;
    startPollTimer(delay);
}

void PollingTransport::onSendDelivered()
{
    if (!m_open || m_longPollSeconds > 0)
        return;
    // What was sent gets an answer (an ack, a pong the heartbeat waits for):
    // fetch it soon, even in the background.
    m_intervalMs = m_policy.fastIntervalMs;
    if (m_pollTimer != 0) {
        m_timers.cancelAndClear(m_pollTimer);
        startPollTimer(m_policy.fastIntervalMs);
    } else {
        m_replyExpected = true; // a poll is in flight; the one after it comes fast
    }
}

void PollingTransport::startPollTimer(qint64 delayMs)
{
    m_pollTimer = m_timers.start(delayMs, [this] {
        m_pollTimer = 0;
        sendPoll();
    });
}

void PollingTransport::retryAfterFailure(const QString &reason)
{
    ++m_failures;
    m_lastFailure = reason;
    qCDebug(lcTransport) << "poll failed" << m_failures << "times in a row:" << reason;
    if (m_failures > m_policy.maxRetries) {
        finish(CloseAbnormal, QStringLiteral("polling failed %1 times: %2").arg(m_failures).arg(reason));
        return;
    }
    if (m_giveUpTimer == 0) {
        m_giveUpTimer = m_timers.start(m_policy.giveUpAfterMs, [this] {
            m_giveUpTimer = 0;
            finish(CloseAbnormal, QStringLiteral("polling failed for %1 ms: %2")
                                      .arg(m_policy.giveUpAfterMs)
                                      .arg(m_lastFailure));
        });
    }
    const qint64 delay = std::min(m_policy.retryCapMs, m_policy.retryBaseMs << std::min(m_failures - 1, 20));
    startPollTimer(delay);
}

void PollingTransport::resetFailures()
{
    m_failures = 0;
    m_lastFailure.clear();
    m_timers.cancelAndClear(m_giveUpTimer);
}

void PollingTransport::finish(int code, const QString &reason)
{
    if (!m_active)
        return; // exactly one closed() per open()
    qCDebug(lcTransport) << "polling closed:" << code << reason << "was open" << m_open;
    discardRequests();
    m_active = false;
    Q_EMIT closed(code, reason);
}

void PollingTransport::discardRequests()
{
    ++m_generation;
    m_open = false;
    m_timers.cancelAndClear(m_pollTimer);
    m_timers.cancelAndClear(m_requestTimer);
    m_timers.cancelAndClear(m_giveUpTimer);
    m_sender.stop();
    abandonReply(m_poll, this);
}

} // namespace tandem::client
