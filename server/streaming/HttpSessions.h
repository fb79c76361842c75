#pragma once
// The HTTP transports' endpoints (docs/PROTOCOL.md "HTTP transports"):
// GET /events (Server-Sent Events), POST /send and GET /poll. Each session is
// an HttpSession handed to the Hub as one more connection, so chat, rooms,
// presence, documents, canvas, rate limits and backpressure behave exactly as
// over /ws. Sessions live in this instance's memory; the resume cursor lists
// each room's last seq, so a client whose session is gone (instance killed,
// load balancer moved it) is rebuilt from the shared store on any instance.

#include "core/common/Clock.h"
#include "server/config/ServerConfig.h"
#include "server/http/HttpResponder.h"
#include "server/streaming/HttpSession.h"

#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace tandem::server {
class Hub;
class RoomBus;
class TokenService;
namespace http {
class HttpServer;
struct HttpRequest;
} // namespace http
} // namespace tandem::server

namespace tandem::server::streaming {

struct ResumeCursor;

class HttpSessions : public QObject {
    Q_OBJECT

public:
    HttpSessions(Hub &hub, TokenService &tokens, const ServerConfig &config, const Clock &clock,
                 QObject *parent = nullptr);
    ~HttpSessions() override;

    void registerOn(http::HttpServer &server);
    /// Joins the cluster: requests for a session another instance holds (no sticky load
    /// balancing) are handed to it through the bus. The bus outlives this object.
    void attachBus(RoomBus *bus);
    int sessionCount() const { return static_cast<int>(m_sessions.size()); }

private:
    /// What a poll can still learn about a session that ended: how, and what it had not collected.
    struct EndedSession {
        HttpSession::Ending ending;
        QList<HttpSession::Entry> leftovers;
        qint64 forgetAtMs = 0;
    };
    class PollWaiter;
    class SyncReplies;
    /// Where a poll's answer goes: the HTTP client, or the instance that forwarded the poll.
    using Reply = std::function<void(const http::HttpResponse &)>;
    struct PendingForward {
        Reply reply;
        std::function<void()> ownerGone;
        QTimer *timer = nullptr;
    };

    void openStream(const http::HttpRequest &request, http::HttpResponder responder);
    void send(const http::HttpRequest &request, http::HttpResponder responder);
    void poll(const http::HttpRequest &request, http::HttpResponder responder);
    /// DELETE /sessions/{id}: the client leaves (the session id is the credential, as for /send).
    void end(const http::HttpRequest &request, http::HttpResponder responder);

    /// A new session, handed to the hub, authenticated with `token` (when not empty) and re-joined
    /// to `rooms` from their seqs. For a stream, `stream` is its socket (the response head written).
    HttpSession *openSession(HttpSession::Kind kind, const QHostAddress &peer, const QString &token,
                             const QMap<QString, qint64> &rooms, QTcpSocket *stream = nullptr);
    void answerNewSession(const QHostAddress &peer, const QString &token, const QMap<QString, qint64> &rooms,
                          const Reply &reply);
    /// A poll of a session this instance holds (or held): acknowledges, waits or answers.
    void continuePoll(const ResumeCursor &since, const QString &sinceText, int waitSeconds,
                      const QByteArray &ifNoneMatch, const Reply &reply);
    void sessionEnded(HttpSession *session);
    HttpSession *findLive(const QString &id) const;
    /// The poll answer for the entries after `since` (or 304 when `ifNoneMatch` says the client has it).
    void answerPoll(const QString &sessionId, const ResumeCursor &since, const QString &sinceText,
                    const QByteArray &ifNoneMatch, const Reply &reply, bool first);

    // The cluster: a session id starts with its instance's tag; each instance listens on its own channel.
    static QString channelOf(const QString &instanceTag);
    bool isForeign(const QString &sessionId) const;
    void publishTo(const QString &instanceTag, const QJsonObject &message);
    /// Sends a request to the session's instance; `ownerGone` runs if no answer comes in time.
    void forward(const QString &sessionId, QJsonObject message, Reply reply, std::function<void()> ownerGone,
                 int answerTimeoutMs);
    void onBusMessage(const QJsonObject &message);

    Hub &m_hub;
    TokenService &m_tokens;
    const ServerConfig &m_config;
    const Clock &m_clock;
    OutgoingEnvelopeReader m_envelopes; ///< declared before the sessions: they use it
    QHash<QString, QPointer<HttpSession>> m_sessions;
    QHash<QString, EndedSession> m_ended;
    QString m_instanceTag;
    RoomBus *m_bus = nullptr;
    QHash<quint64, PendingForward> m_forwards;
    quint64 m_lastForward = 0;
};

} // namespace tandem::server::streaming
