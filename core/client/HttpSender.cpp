#include "core/client/HttpSender.h"

#include "core/client/ClientLogging.h"
#include "core/client/HttpEndpoints.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace tandem::client {

namespace {
constexpr int HttpNotFound = 404;
constexpr int HttpTooManyRequests = 429;

/// Worth another try: the request may not have reached the session at all.
bool isTransient(int status)
{
    return status == 0 || status == HttpTooManyRequests || status >= 500;
}
} // namespace

HttpSender::HttpSender(QNetworkAccessManager &network, TimerSource &timers, HttpSendPolicy policy,
                       QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_timers(timers)
    , m_policy(policy)
{}

HttpSender::~HttpSender()
{
    stop();
}

void HttpSender::start(const QUrl &sendUrl, const QString &sessionId)
{
    stop();
    m_sendUrl = sendUrl;
    m_sessionId = sessionId;
    m_started = true;
}

void abandonReply(QPointer<QNetworkReply> &reply, QObject *receiver)
{
    if (QNetworkReply *request = reply.data()) {
        reply = nullptr;
        request->disconnect(receiver); // first: abort() emits finished synchronously
        request->abort();
        request->deleteLater(); // we may be inside one of its signals
    }
}

void HttpSender::stop()
{
    m_started = false;
    m_queue.clear();
    m_batch.clear();
    m_attempt = 0;
    m_timers.cancelAndClear(m_retryTimer);
    m_timers.cancelAndClear(m_timeoutTimer);
    abandonReply(m_reply, this);
}

void HttpSender::enqueue(const QByteArray &json)
{
    if (!m_started)
        return;
    m_queue.append(json);
    if (!isPosting())
        postNextBatch();
}

void HttpSender::postNextBatch()
{
    if (m_queue.isEmpty())
        return;
    const qsizetype count = std::min<qsizetype>(m_queue.size(), m_policy.maxBatch);
    m_batch = m_queue.mid(0, count);
    m_queue.remove(0, count);
    m_attempt = 0;
    post();
}

void HttpSender::post()
{
    QNetworkRequest request(sendUrlForSession(m_sendUrl, m_sessionId));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    // The envelopes are JSON already: an array is their concatenation, not a re-encoding.
    const QByteArray body = m_batch.size() == 1 ? m_batch.first() : QByteArray('[' + m_batch.join(',') + ']');
    m_timedOut = false;
    QNetworkReply *reply = m_network.post(request, body);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onFinished(reply); });
    m_timeoutTimer = m_timers.start(m_policy.requestTimeoutMs, [this] {
        m_timeoutTimer = 0;
        m_timedOut = true;
        if (m_reply)
            m_reply->abort(); // finished follows, as a transient failure
    });
}

void HttpSender::onFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != m_reply)
        return;
    m_reply = nullptr;
    m_timers.cancelAndClear(m_timeoutTimer);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 200 && status < 300) {
        const auto count = int(m_batch.size());
        m_batch.clear();
        Q_EMIT delivered(count);
        if (m_started && !isPosting()) // the signal's receiver may have stopped us
            postNextBatch();
        return;
    }
    const QString reason = m_timedOut    ? QStringLiteral("POST /send timed out")
                           : status == 0 ? reply->errorString()
                                         : QStringLiteral("POST /send answered HTTP %1").arg(status);
    if (status == HttpNotFound) {
        fail(QStringLiteral("the server ended the session"));
        return;
    }
    if (isTransient(status) || m_timedOut)
        retryOrFail(reason);
    else
        fail(reason); // 400 or 413: the same envelopes would be refused again
}

void HttpSender::retryOrFail(const QString &reason)
{
    if (++m_attempt > m_policy.maxRetries) {
        fail(reason);
        return;
    }
    const qint64 delay = m_policy.retryBaseMs << (m_attempt - 1);
    qCDebug(lcTransport) << "retrying POST /send in" << delay << "ms:" << reason;
    m_retryTimer = m_timers.start(delay, [this] {
        m_retryTimer = 0;
        post();
    });
}

void HttpSender::fail(const QString &reason)
{
    qCInfo(lcTransport) << "sending failed:" << reason;
    stop();
    Q_EMIT failed(reason);
}

} // namespace tandem::client
