#pragma once
// Transport of last resort: GET /poll for what the server queued, POST /send
// (HttpSender) for what the Session sends. Works through any proxy that passes
// plain requests. With a server that offers long polls, one poll is always
// held open (wait=min(25 s, offered)) and re-issued as soon as it answers, so
// messages arrive at once. Otherwise polls are short and their interval adapts
// ("adaptive polling"): fast right after activity, slower while nothing
// happens, slowest while the window is hidden, always well inside the
// server's 60 s idle limit. Each poll sends back the ETag of the last answer
// (If-None-Match), so "nothing new" is a bodiless 304.

#include "core/client/HttpEndpoints.h"
#include "core/client/HttpSender.h"
#include "core/client/TimerSource.h"
#include "core/client/Transport.h"

#include <QNetworkAccessManager>
#include <QPointer>

class QJsonObject;
class QNetworkReply;

namespace tandem::client {

struct PollingPolicy {
    qint64 fastIntervalMs = 1000;        ///< after a poll that brought events, or after a send
    qint64 idleIntervalMs = 4000;        ///< doubled up to this by every empty answer
    qint64 backgroundIntervalMs = 20000; ///< window hidden; a send still polls fast for its reply
    int maxWaitSeconds = 25;             ///< the longest long poll asked for (the server may offer less)
    /// A failed poll (network error, 5xx, 429, no answer) is retried after
    /// retryBaseMs, doubled each time up to retryCapMs. After maxRetries
    /// failures in a row, or giveUpAfterMs after the first of them, the
    /// connection counts as lost (1006); both stay below the server's 60 s idle
    /// limit, so a session that recovers in time is still there.
    qint64 retryBaseMs = 1000;
    qint64 retryCapMs = 8000;
    int maxRetries = 5;
    qint64 giveUpAfterMs = 30000;
    /// A short poll without an answer by then failed; a long poll gets its wait on top.
    qint64 requestTimeoutMs = 15000;
};

class PollingTransport final : public Transport {
    Q_OBJECT

public:
    /// `connectTimeoutMs`: for the first GET /poll, which creates the session.
    explicit PollingTransport(TimerSource &timers, qint64 connectTimeoutMs = 10000, PollingPolicy policy = {},
                              HttpSendPolicy sendPolicy = {}, QObject *parent = nullptr);
    ~PollingTransport() override;

    QString name() const override { return QStringLiteral("Polling"); }
    /// `url` is the WebSocket URL; the HTTP endpoints are derived from it.
    void open(const QUrl &url) override;
    /// An open session is ended with DELETE /sessions/<id> (nobody waits for
    /// the answer), so the user does not stay online until the idle timeout.
    void close(quint16 code, const QString &reason) override;
    void send(const QByteArray &json) override;
    bool supportsBinary() const override { return false; }
    bool isOpen() const override { return m_open; }
    void setBackground(bool background) override;

    QString sessionId() const { return m_sessionId; }
    /// The server's resume cursor after the last answer.
    QString cursor() const { return m_cursor; }
    /// The wait of every poll in seconds; 0 when the server offers no long polls.
    int longPollSeconds() const { return m_longPollSeconds; }
    bool isBackground() const { return m_background; }
    /// A GET /poll is waiting for its answer.
    bool isPollInFlight() const { return !m_poll.isNull(); }
    /// The delay before the next short poll, as chosen after the last answer.
    qint64 currentIntervalMs() const { return m_intervalMs; }
    const PollingPolicy &policy() const { return m_policy; }

private:
    void sendPoll();
    void onPollFinished(QNetworkReply *reply);
    void onSendDelivered();
    /// Takes the session, cursor and ETag of a 200 answer.
    void adopt(const QJsonObject &answer, const QByteArray &etag);
    /// Delivers the answer's events, then its `closed`; false when the transport closed meanwhile.
    bool deliver(const QJsonObject &answer);
    void scheduleNextPoll(bool activity);
    void startPollTimer(qint64 delayMs);
    void retryAfterFailure(const QString &reason);
    void resetFailures();
    void finish(int code, const QString &reason);
    void discardRequests();

    TimerSource &m_timers;
    qint64 m_connectTimeoutMs;
    PollingPolicy m_policy;
    QNetworkAccessManager m_network;
    HttpSender m_sender;
    HttpEndpoints m_endpoints;
    QPointer<QNetworkReply> m_poll;
    QString m_sessionId;
    QString m_cursor;
    QByteArray m_etag;
    int m_longPollSeconds = 0;
    qint64 m_intervalMs = 0;
    int m_failures = 0; ///< failed polls in a row
    QString m_lastFailure;
    bool m_replyExpected = false; ///< a send was delivered: poll fast for its reply
    quint64 m_generation = 0;     ///< bumped by every open and close, to notice either inside a signal
    int m_pollTimer = 0;
    int m_requestTimer = 0;
    int m_giveUpTimer = 0;
    bool m_requestTimedOut = false;
    bool m_active = false; ///< between open() and closed()
    bool m_open = false;
    bool m_background = false;
};

} // namespace tandem::client
