#pragma once
// The upstream half of the HTTP transports (SSE and polling): every envelope
// the Session sends becomes part of a POST /send?session=<id>. Chat messages
// are pipelined and their order matters, so exactly one POST is in flight;
// what the Session sends meanwhile waits and goes as one JSON array in the
// next POST (at most maxBatch envelopes, the server's cap).

#include "core/client/TimerSource.h"

#include <QByteArrayList>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace tandem::client {

/// Aborts the request `reply` points to, if any, without `receiver` hearing of it (abort() emits
/// finished() synchronously), and deletes it later (the caller may be inside one of its signals);
/// `reply` is null afterwards. For the HTTP transports' requests in flight.
void abandonReply(QPointer<QNetworkReply> &reply, QObject *receiver);

struct HttpSendPolicy {
    int maxBatch = 100; ///< envelopes per POST; the server refuses more
    /// A POST that fails on the way (network error, 5xx, 429, no answer) is
    /// retried this often, after retryBaseMs, doubled each time; then the
    /// connection counts as lost. A retried POST may reach the server twice if
    /// only its answer was lost; mutations carry a cid (PROTOCOL.md) for that.
    int maxRetries = 3;
    qint64 retryBaseMs = 500;
    /// The server answers 202 as soon as the envelopes are handed over.
    qint64 requestTimeoutMs = 15000;
};

class HttpSender : public QObject {
    Q_OBJECT

public:
    HttpSender(QNetworkAccessManager &network, TimerSource &timers, HttpSendPolicy policy = {},
               QObject *parent = nullptr);
    ~HttpSender() override;

    /// Posts to `sendUrl`?session=`sessionId` from now on, with an empty queue.
    void start(const QUrl &sendUrl, const QString &sessionId);
    /// The server gave the session a new id (a poll that resumed it): later POSTs use it.
    void setSessionId(const QString &sessionId) { m_sessionId = sessionId; }
    /// Drops the queue and aborts the POST in flight; emits nothing.
    void stop();
    /// Queues one JSON envelope; ignored when not started.
    void enqueue(const QByteArray &json);

    bool isStarted() const { return m_started; }
    bool isPosting() const { return !m_batch.isEmpty(); }
    qsizetype queuedCount() const { return m_queue.size(); }
    const HttpSendPolicy &policy() const { return m_policy; }

Q_SIGNALS:
    /// The server accepted a POST of `count` envelopes (their replies come downstream).
    void delivered(int count);
    /// The session is gone (404) or the POST kept failing: the connection is
    /// lost. The sender has stopped.
    void failed(const QString &reason);

private:
    void postNextBatch();
    void post();
    void onFinished(QNetworkReply *reply);
    void retryOrFail(const QString &reason);
    void fail(const QString &reason);

    QNetworkAccessManager &m_network;
    TimerSource &m_timers;
    HttpSendPolicy m_policy;
    QUrl m_sendUrl;
    QString m_sessionId;
    bool m_started = false;
    QByteArrayList m_queue; ///< waiting for the POST in flight to end
    QByteArrayList m_batch; ///< in the POST in flight (or waiting for its retry)
    QPointer<QNetworkReply> m_reply;
    int m_attempt = 0;
    int m_retryTimer = 0;
    int m_timeoutTimer = 0;
    bool m_timedOut = false;
};

} // namespace tandem::client
