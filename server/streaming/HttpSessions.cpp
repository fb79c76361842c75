#include "server/streaming/HttpSessions.h"

#include "core/protocol/MessageType.h"
#include "server/auth/TokenService.h"
#include "server/bus/RoomBus.h"
#include "server/http/HttpRequest.h"
#include "server/http/HttpResponse.h"
#include "server/http/HttpServer.h"
#include "server/hub/Hub.h"
#include "server/metrics/ServerMetrics.h"
#include "server/streaming/ResumeCursor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTimer>

Q_LOGGING_CATEGORY(lcStreaming, "tandem.server.streaming")

namespace tandem::server::streaming {

using http::HttpRequest;
using http::HttpResponder;
using http::HttpResponse;
using protocol::ErrorCode;

namespace {
constexpr int InstanceTagBytes = 6; ///< 8 characters in front of every session id of this instance
/// A forwarded poll's answer may take this much longer than its wait before the owner counts as gone.
constexpr int ForwardedAnswerGraceMs = 3000;
constexpr QLatin1StringView BusKind{"H"};
/// How long a poll can still collect the end (and the last envelopes) of a session that ended.
constexpr qint64 EndedSessionMemoryMs = 60000;
constexpr int MaxEndedSessions = 4096;

/// base64url of `bytes` random bytes (a multiple of 3, so there is no padding to drop).
QString randomId(int bytes)
{
    QByteArray random(bytes, Qt::Uninitialized);
    for (char &byte : random)
        byte = char(QRandomGenerator::system()->bounded(256));
    return QString::fromLatin1(random.toBase64(QByteArray::Base64UrlEncoding));
}

QString newSessionId()
{
    return randomId(18); // 144 bits: the session id is the credential of /send and /poll
}

/// From `?token=` (all a browser EventSource can send) or `Authorization: Bearer`.
QString requestToken(const HttpRequest &request)
{
    const QString fromQuery = request.query.queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded);
    if (!fromQuery.isEmpty())
        return fromQuery;
    if (const auto bearer = request.bearerToken())
        return QString::fromLatin1(*bearer);
    return {};
}

QString clientMessage(QLatin1StringView type, const QJsonObject &payload)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonObject{{QStringLiteral("type"), type}, {QStringLiteral("payload"), payload}})
            .toJson(QJsonDocument::Compact));
}

/// Client messages answered with an envelope whose payload names them in `ref`.
bool answersWithRef(const QString &type)
{
    using namespace protocol::MessageType;
    static const QStringList types{RoomJoin,    RoomLeave, RoomList,   ChatSend, HistoryFetch,
                                   EntityPatch, CanvasOp,  CanvasSync, DocClose, Ping};
    return types.contains(type);
}

HttpResponse errorResponse(const protocol::Error &error)
{
    return HttpResponse::error(error.code, error.message);
}

/// A JSON object with an "events" array of envelopes that are already encoded.
QByteArray withEvents(const QJsonObject &head, const QList<HttpSession::Entry> &entries)
{
    QByteArray body = QJsonDocument(head).toJson(QJsonDocument::Compact);
    body.chop(1); // the closing brace
    body += head.isEmpty() ? "\"events\":[" : ",\"events\":[";
    for (qsizetype i = 0; i < entries.size(); ++i) {
        if (i > 0)
            body += ',';
        body += entries[i].text.toUtf8();
    }
    body += "]}";
    return body;
}
} // namespace

/// A long poll waiting for its session to have something (or for its wait to end).
class HttpSessions::PollWaiter : public QObject {
public:
    PollWaiter(HttpSessions &owner, HttpSession *session, ResumeCursor since, QString sinceText,
               QByteArray ifNoneMatch, Reply reply, int waitMs)
        : QObject(&owner)
        , m_owner(owner)
        , m_sessionId(session->id())
        , m_since(std::move(since))
        , m_sinceText(std::move(sinceText))
        , m_ifNoneMatch(std::move(ifNoneMatch))
        , m_reply(std::move(reply))
    {
        // Answer on the next turn: what the same turn queues goes out in the same answer.
        connect(session, &HttpSession::changed, this,
                [this] { QTimer::singleShot(0, this, &PollWaiter::answer); });
        connect(session, &QObject::destroyed, this, &PollWaiter::answer);
        QTimer::singleShot(waitMs, this, &PollWaiter::answer);
    }

private:
    void answer()
    {
        if (std::exchange(m_answered, true))
            return;
        m_owner.answerPoll(m_sessionId, m_since, m_sinceText, m_ifNoneMatch, m_reply, false);
        deleteLater();
    }

    HttpSessions &m_owner;
    QString m_sessionId;
    ResumeCursor m_since;
    QString m_sinceText;
    QByteArray m_ifNoneMatch;
    Reply m_reply;
    bool m_answered = false;
};

/// POST /send?sync=1: collects the replies to a batch and answers with them.
class HttpSessions::SyncReplies : public QObject {
public:
    SyncReplies(HttpSessions &owner, HttpSession *session, QStringList awaited, HttpResponder responder,
                int timeoutMs, bool endSessionAfter)
        : QObject(&owner)
        , m_session(session)
        , m_awaited(std::move(awaited))
        , m_responder(std::move(responder))
        , m_endSessionAfter(endSessionAfter)
    {
        connect(session, &HttpSession::sent, this,
                [this](const QString &, const QString &ref, const QString &text) {
                    if (ref.isEmpty() || !m_awaited.removeOne(ref))
                        return;
                    m_replies.append(text);
                    finishIfComplete();
                });
        connect(session, &HttpSession::changed, this, [this] {
            if (m_session && m_session->ending())
                finish();
        });
        QTimer::singleShot(timeoutMs, this, &SyncReplies::finish);
    }

    void finishIfComplete()
    {
        if (m_awaited.isEmpty())
            finish();
    }

private:
    void finish()
    {
        if (std::exchange(m_finished, true))
            return;
        QByteArray body = "{\"replies\":[";
        for (qsizetype i = 0; i < m_replies.size(); ++i) {
            if (i > 0)
                body += ',';
            body += m_replies[i].toUtf8();
        }
        body += ']';
        if (!m_awaited.isEmpty()) // no reply in time: the client can look for them on the stream
            body += ",\"pending\":" +
                    QJsonDocument(QJsonArray::fromStringList(m_awaited)).toJson(QJsonDocument::Compact);
        body += '}';
        HttpResponse response;
        response.setHeader("Content-Type", "application/json");
        response.body = body;
        m_responder.send(response);
        if (m_endSessionAfter && m_session)
            m_session->close(protocol::CloseNormal, QStringLiteral("one-off request answered"));
        deleteLater();
    }

    QPointer<HttpSession> m_session;
    QStringList m_awaited;
    QStringList m_replies;
    HttpResponder m_responder;
    bool m_endSessionAfter;
    bool m_finished = false;
};

HttpSessions::HttpSessions(Hub &hub, TokenService &tokens, const ServerConfig &config, const Clock &clock,
                           QObject *parent)
    : QObject(parent)
    , m_hub(hub)
    , m_tokens(tokens)
    , m_config(config)
    , m_clock(clock)
    , m_instanceTag(randomId(InstanceTagBytes))
{}

HttpSessions::~HttpSessions() = default;

void HttpSessions::attachBus(RoomBus *bus)
{
    m_bus = bus;
    // The channel of this instance's sessions: "@" cannot start a room id, so it is no room's.
    bus->subscribe(channelOf(m_instanceTag));
    connect(bus, &RoomBus::received, this, [this](const QString &channel, const QByteArray &message) {
        if (channel == channelOf(m_instanceTag) && message.startsWith(BusKind.data()))
            onBusMessage(QJsonDocument::fromJson(message.mid(1)).object());
    });
}

QString HttpSessions::channelOf(const QString &instanceTag)
{
    return QStringLiteral("@sessions:") + instanceTag;
}

bool HttpSessions::isForeign(const QString &sessionId) const
{
    return !sessionId.startsWith(m_instanceTag);
}

void HttpSessions::publishTo(const QString &instanceTag, const QJsonObject &message)
{
    m_bus->publish(channelOf(instanceTag),
                   BusKind.data() + QJsonDocument(message).toJson(QJsonDocument::Compact));
}

void HttpSessions::forward(const QString &sessionId, QJsonObject message, Reply reply,
                           std::function<void()> ownerGone, int answerTimeoutMs)
{
    const quint64 request = ++m_lastForward;
    message.insert(QStringLiteral("session"), sessionId);
    message.insert(QStringLiteral("replyTo"), m_instanceTag);
    message.insert(QStringLiteral("request"), QString::number(request));
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, request] {
        const auto pending = m_forwards.take(request);
        if (pending.timer) {
            pending.timer->deleteLater();
            pending.ownerGone();
        }
    });
    timer->start(answerTimeoutMs);
    m_forwards.insert(request, {std::move(reply), std::move(ownerGone), timer});
    publishTo(sessionId.left(m_instanceTag.size()), message);
}

void HttpSessions::onBusMessage(const QJsonObject &message)
{
    const QString op = message.value(QLatin1String("op")).toString();
    const QString sessionId = message.value(QLatin1String("session")).toString();
    if (op == QLatin1String("answer")) {
        const auto pending =
            m_forwards.take(message.value(QLatin1String("request")).toString().toULongLong());
        if (!pending.timer)
            return; // answered too late: the client was told already
        pending.timer->deleteLater();
        HttpResponse response;
        response.status = message.value(QLatin1String("status")).toInt();
        for (const QJsonValue &header : message.value(QLatin1String("headers")).toArray())
            response.headers.append({header[0].toString().toLatin1(), header[1].toString().toLatin1()});
        response.body = QByteArray::fromBase64(message.value(QLatin1String("body")).toString().toLatin1());
        pending.reply(response);
        return;
    }
    if (op == QLatin1String("send")) {
        if (HttpSession *session = findLive(sessionId)) {
            for (const QJsonValue &text : message.value(QLatin1String("texts")).toArray())
                session->receive(text.toString());
        }
        return;
    }
    if (op == QLatin1String("end")) {
        if (HttpSession *session = findLive(sessionId))
            session->close(protocol::CloseNormal, QStringLiteral("closed by the client"));
        return;
    }
    if (op != QLatin1String("poll"))
        return;
    const QString replyTo = message.value(QLatin1String("replyTo")).toString();
    const QString request = message.value(QLatin1String("request")).toString();
    const Reply reply = [this, replyTo, request](const HttpResponse &response) {
        QJsonArray headers;
        for (const auto &[name, value] : response.headers)
            headers.append(QJsonArray{QString::fromLatin1(name), QString::fromLatin1(value)});
        publishTo(replyTo, {{QStringLiteral("op"), QStringLiteral("answer")},
                            {QStringLiteral("request"), request},
                            {QStringLiteral("status"), response.status},
                            {QStringLiteral("headers"), headers},
                            {QStringLiteral("body"), QString::fromLatin1(response.body.toBase64())}});
    };
    const QString sinceText = message.value(QLatin1String("since")).toString();
    const auto since = ResumeCursor::parse(sinceText);
    if (!since || (!findLive(since->sessionId) && !m_ended.contains(since->sessionId))) {
        // Ours by name but not known: this instance restarted since. Silence lets the asking
        // instance rebuild the session from the store, as it would for a dead instance.
        return;
    }
    continuePoll(
        *since, sinceText,
        std::clamp(message.value(QLatin1String("wait")).toInt(), 0, m_config.streaming.longPollMaxSeconds),
        message.value(QLatin1String("ifNoneMatch")).toString().toLatin1(), reply);
}

void HttpSessions::registerOn(http::HttpServer &server)
{
    auto bind = [this](void (HttpSessions::*method)(const HttpRequest &, HttpResponder)) {
        return [this, method](const HttpRequest &request, HttpResponder responder) {
            (this->*method)(request, std::move(responder));
        };
    };
    server.route("GET", QStringLiteral("/events"), bind(&HttpSessions::openStream));
    server.route("POST", QStringLiteral("/send"), bind(&HttpSessions::send));
    server.route("GET", QStringLiteral("/poll"), bind(&HttpSessions::poll));
    server.route("DELETE", QStringLiteral("/sessions/{sessionId}"), bind(&HttpSessions::end));
}

void HttpSessions::end(const HttpRequest &request, HttpResponder responder)
{
    // A poller has no connection whose end the server could see: without this, leaving would
    // keep its user online, and its session queueing, until the idle timeout.
    const QString sessionId = request.pathParam(QStringLiteral("sessionId"));
    HttpSession *session = findLive(sessionId);
    if (!session && isForeign(sessionId) && m_bus && m_bus->isConnected()) {
        publishTo(sessionId.left(m_instanceTag.size()),
                  {{QStringLiteral("op"), QStringLiteral("end")}, {QStringLiteral("session"), sessionId}});
        responder.send(HttpResponse::json(202, {{QStringLiteral("forwarded"), true}}));
        return;
    }
    if (!session || session->ending()) {
        responder.send(HttpResponse::error(ErrorCode::NotFound, QStringLiteral("no such session here")));
        return;
    }
    session->close(protocol::CloseNormal, QStringLiteral("closed by the client"));
    HttpResponse response;
    response.status = 204;
    responder.send(response);
}

void HttpSessions::openStream(const HttpRequest &request, HttpResponder responder)
{
    const QString token = requestToken(request);
    QMap<QString, qint64> rooms;
    if (!token.isEmpty()) {
        if (const auto user = m_tokens.authenticate(token); !user) {
            responder.send(errorResponse(user.error()));
            return;
        }
        // An EventSource reconnecting: every room of its last cursor is joined again from its seq.
        const QByteArray lastEventId = request.header("Last-Event-ID");
        if (const auto cursor = ResumeCursor::parse(QString::fromUtf8(lastEventId)))
            rooms = cursor->rooms;
    }
    HttpResponse head;
    head.setHeader("Content-Type", "text/event-stream; charset=utf-8");
    head.setHeader("Cache-Control", "no-cache");
    head.setHeader("X-Accel-Buffering", "no"); // nginx would otherwise hold events back in its buffer
    QTcpSocket *socket = responder.startStream(head);
    if (!socket)
        return; // the client is gone already
    openSession(HttpSession::Kind::Stream, request.peer, token, rooms, socket);
}

HttpSession *HttpSessions::openSession(HttpSession::Kind kind, const QHostAddress &peer, const QString &token,
                                       const QMap<QString, qint64> &rooms, QTcpSocket *stream)
{
    auto *session = new HttpSession(m_instanceTag + newSessionId(), kind, peer, m_envelopes);
    m_sessions.insert(session->id(), session);
    connect(session, &ClientLink::disconnected, this, [this, session] { sessionEnded(session); });
    if (stream)
        session->attachStream(stream, m_config.streaming.heartbeatIntervalMs, m_config.streaming.retryMs);
    m_hub.addConnection(session);
    qCDebug(lcStreaming).noquote() << "session" << session->transportName() << "from" << peer.toString()
                                   << "resuming" << rooms.size() << "rooms";
    if (!token.isEmpty())
        session->receive(clientMessage(protocol::MessageType::Auth, {{QStringLiteral("token"), token}}));
    for (auto room = rooms.cbegin(); room != rooms.cend(); ++room)
        session->receive(
            clientMessage(protocol::MessageType::RoomJoin,
                          {{QStringLiteral("roomId"), room.key()}, {QStringLiteral("since"), room.value()}}));
    return session;
}

void HttpSessions::sessionEnded(HttpSession *session)
{
    m_sessions.remove(session->id());
    const qint64 now = m_clock.monotonicMs();
    m_ended.removeIf([now](const auto &ended) { return ended.value().forgetAtMs <= now; });
    // A normal close is the client's own goodbye (or a one-off request): there is no one to tell.
    if (session->kind() != HttpSession::Kind::Poll || !session->ending() ||
        session->ending()->code == protocol::CloseNormal || m_ended.size() >= MaxEndedSessions)
        return;
    m_ended.insert(session->id(),
                   {*session->ending(), session->entriesAfter(0, m_config.streaming.maxPollBytes),
                    now + EndedSessionMemoryMs});
}

HttpSession *HttpSessions::findLive(const QString &id) const
{
    return m_sessions.value(id);
}

void HttpSessions::send(const HttpRequest &request, HttpResponder responder)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    QJsonArray messages;
    if (document.isObject())
        messages.append(document.object());
    else if (document.isArray())
        messages = document.array();
    if (messages.isEmpty() || parseError.error != QJsonParseError::NoError) {
        responder.send(HttpResponse::error(ErrorCode::BadRequest,
                                           QStringLiteral("send one envelope or a non-empty array of them")));
        return;
    }
    if (messages.size() > m_config.streaming.maxBatchMessages) {
        ++m_hub.metrics().refusals[QStringLiteral("batch_size")];
        responder.send(HttpResponse::error(
            ErrorCode::TooLarge,
            QStringLiteral("at most %1 envelopes in one request").arg(m_config.streaming.maxBatchMessages)));
        return;
    }
    QStringList texts;
    QStringList awaited;
    for (const QJsonValue &message : std::as_const(messages)) {
        if (!message.isObject()) {
            responder.send(
                HttpResponse::error(ErrorCode::BadRequest, QStringLiteral("every envelope is an object")));
            return;
        }
        const QByteArray text = QJsonDocument(message.toObject()).toJson(QJsonDocument::Compact);
        if (text.size() > m_config.limits.maxMessageBytes) {
            ++m_hub.metrics().refusals[QStringLiteral("message_size")];
            responder.send(HttpResponse::error(
                ErrorCode::TooLarge,
                QStringLiteral("an envelope exceeds %1 bytes").arg(m_config.limits.maxMessageBytes)));
            return;
        }
        texts.append(QString::fromUtf8(text));
        const QString id = message[QLatin1String("id")].toString();
        if (!id.isEmpty() && answersWithRef(message[QLatin1String("type")].toString()))
            awaited.append(id);
    }

    HttpSession *session = nullptr;
    bool oneOff = false;
    if (const QString sessionId = request.query.queryItemValue(QStringLiteral("session"), QUrl::FullyDecoded);
        !sessionId.isEmpty()) {
        session = findLive(sessionId);
        if (!session && isForeign(sessionId) && m_bus && m_bus->isConnected()) {
            // Its stream is on another instance (no sticky load balancing): hand the batch over.
            // Replies travel on that stream; a sync answer is not available across instances.
            QJsonArray forwarded;
            for (const QString &text : std::as_const(texts))
                forwarded.append(text);
            publishTo(sessionId.left(m_instanceTag.size()), {{QStringLiteral("op"), QStringLiteral("send")},
                                                             {QStringLiteral("session"), sessionId},
                                                             {QStringLiteral("texts"), forwarded}});
            responder.send(HttpResponse::json(
                202, {{QStringLiteral("accepted"), int(texts.size())}, {QStringLiteral("forwarded"), true}}));
            return;
        }
        if (!session || session->ending()) {
            responder.send(HttpResponse::error(
                ErrorCode::NotFound, QStringLiteral("no such session here: it ended, or it lives on another "
                                                    "instance; open a new one")));
            return;
        }
    } else {
        // No session: one that lives for this request only, authenticated by its bearer token.
        const QString token = requestToken(request);
        const auto user = token.isEmpty()
                              ? protocol::Result<QString>(protocol::fail(
                                    ErrorCode::Unauthorized,
                                    QStringLiteral("name a session, or send Authorization: Bearer")))
                              : m_tokens.authenticate(token);
        if (!user) {
            responder.send(errorResponse(user.error()));
            return;
        }
        session = openSession(HttpSession::Kind::Poll, request.peer, token, {});
        oneOff = true;
    }

    SyncReplies *replies = nullptr;
    if (oneOff ||
        request.query.queryItemValue(QStringLiteral("sync"), QUrl::FullyDecoded) == QLatin1String("1"))
        replies = new SyncReplies(*this, session, awaited, responder, m_config.streaming.syncReplyTimeoutMs,
                                  oneOff);
    for (const QString &text : std::as_const(texts))
        session->receive(text);
    if (replies) {
        replies->finishIfComplete();
        return;
    }
    responder.send(HttpResponse::json(202, {{QStringLiteral("accepted"), int(texts.size())}}));
}

void HttpSessions::poll(const HttpRequest &request, HttpResponder responder)
{
    int waitSeconds = 0;
    if (const QString wait = request.query.queryItemValue(QStringLiteral("wait"), QUrl::FullyDecoded);
        !wait.isEmpty()) {
        bool ok = false;
        waitSeconds = wait.toInt(&ok);
        if (!ok || waitSeconds < 0) {
            responder.send(
                HttpResponse::error(ErrorCode::BadRequest, QStringLiteral("wait is a number of seconds")));
            return;
        }
        waitSeconds = std::min(waitSeconds, m_config.streaming.longPollMaxSeconds);
    }
    const QString token = requestToken(request);
    if (!token.isEmpty()) {
        if (const auto user = m_tokens.authenticate(token); !user) {
            responder.send(errorResponse(user.error()));
            return;
        }
    }

    const QString sinceText = request.query.queryItemValue(QStringLiteral("since"), QUrl::FullyDecoded);
    const Reply reply = [responder](const HttpResponse &response) {
        responder.send(response);
    };
    if (sinceText.isEmpty()) {
        answerNewSession(request.peer, token, {}, reply);
        return;
    }
    const auto since = ResumeCursor::parse(sinceText);
    if (!since) {
        responder.send(HttpResponse::error(ErrorCode::BadRequest, QStringLiteral("since is not a cursor")));
        return;
    }
    const QByteArray ifNoneMatch = request.header("If-None-Match");
    if (findLive(since->sessionId) || m_ended.contains(since->sessionId)) {
        continuePoll(*since, sinceText, waitSeconds, ifNoneMatch, reply);
        return;
    }
    // Not here. Rebuilt from the shared store if the client sent its token, else it must start over.
    auto rebuildOrRefuse = [this, peer = request.peer, token, rooms = since->rooms, reply] {
        if (token.isEmpty()) {
            reply(HttpResponse::error(
                ErrorCode::NotFound,
                QStringLiteral("no such session: it ended, or its instance is gone; open a "
                               "new one, or poll with a token to resume")));
            return;
        }
        answerNewSession(peer, token, rooms, reply);
    };
    if (isForeign(since->sessionId) && m_bus && m_bus->isConnected()) {
        // Another instance holds it (no sticky load balancing): it answers through the bus.
        forward(since->sessionId,
                {{QStringLiteral("op"), QStringLiteral("poll")},
                 {QStringLiteral("since"), sinceText},
                 {QStringLiteral("wait"), waitSeconds},
                 {QStringLiteral("ifNoneMatch"), QString::fromLatin1(ifNoneMatch)}},
                reply, rebuildOrRefuse, waitSeconds * 1000 + ForwardedAnswerGraceMs);
        return;
    }
    rebuildOrRefuse();
}

void HttpSessions::answerNewSession(const QHostAddress &peer, const QString &token,
                                    const QMap<QString, qint64> &rooms, const Reply &reply)
{
    HttpSession *session = openSession(HttpSession::Kind::Poll, peer, token, rooms);
    const ResumeCursor start{session->id(), 0, {}};
    answerPoll(session->id(), start, start.toString(), {}, reply, true);
}

void HttpSessions::continuePoll(const ResumeCursor &since, const QString &sinceText, int waitSeconds,
                                const QByteArray &ifNoneMatch, const Reply &reply)
{
    if (HttpSession *session = findLive(since.sessionId)) {
        if (session->kind() != HttpSession::Kind::Poll) {
            reply(HttpResponse::error(ErrorCode::BadRequest,
                                      QStringLiteral("this session is an event stream; read it on /events")));
            return;
        }
        session->acknowledge(since.position);
        session->noteActivity();
        if (waitSeconds > 0 && !session->ending() && !session->hasEntriesAfter(since.position)) {
            new PollWaiter(*this, session, since, sinceText, ifNoneMatch, reply, waitSeconds * 1000);
            return;
        }
    }
    answerPoll(since.sessionId, since, sinceText, ifNoneMatch, reply, false);
}

void HttpSessions::answerPoll(const QString &sessionId, const ResumeCursor &since, const QString &sinceText,
                              const QByteArray &ifNoneMatch, const Reply &reply, bool first)
{
    QList<HttpSession::Entry> entries;
    std::optional<HttpSession::Ending> ending;
    bool more = false;
    if (HttpSession *session = findLive(sessionId)) {
        entries = session->entriesAfter(since.position, m_config.streaming.maxPollBytes);
        more = !entries.isEmpty() && session->hasEntriesAfter(entries.last().position);
        ending = session->ending();
    } else if (auto ended = m_ended.find(sessionId); ended != m_ended.end()) {
        for (const HttpSession::Entry &entry : std::as_const(ended->leftovers)) {
            if (entry.position > since.position)
                entries.append(entry);
        }
        ending = ended->ending;
        m_ended.erase(ended); // told once; the next poll gets 404
    } else {
        reply(HttpResponse::error(ErrorCode::NotFound, QStringLiteral("the session ended")));
        return;
    }

    const QString cursor = entries.isEmpty() ? sinceText : entries.last().cursor;
    const QByteArray etag = '"' + cursor.toUtf8() + '"';
    HttpResponse response;
    response.setHeader("ETag", etag);
    response.setHeader("Cache-Control", "no-cache");
    if (entries.isEmpty() && !ending && !first && ifNoneMatch == etag) {
        response.status = 304;
        reply(response);
        return;
    }
    QJsonObject head{{QStringLiteral("session"), sessionId}, {QStringLiteral("cursor"), cursor}};
    if (first)
        head.insert(QStringLiteral("longPollMaxSeconds"), m_config.streaming.longPollMaxSeconds);
    if (more)
        head.insert(QStringLiteral("more"), true);
    if (ending && !more)
        head.insert(QStringLiteral("closed"), QJsonObject{{QStringLiteral("code"), ending->code},
                                                          {QStringLiteral("reason"), ending->reason}});
    response.setHeader("Content-Type", "application/json");
    response.body = withEvents(head, entries);
    reply(response);
}

} // namespace tandem::server::streaming
