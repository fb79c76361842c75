#include "core/client/Session.h"

#include "core/client/ClientLogging.h"
#include "core/client/FallbackTransport.h"
#include "core/client/QtTimerSource.h"
#include "core/protocol/ClientMessage.h"
#include "core/protocol/Envelope.h"
#include "core/protocol/MessageType.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace tandem::client {

using namespace protocol;

namespace {
QString field(const QJsonObject &object, QLatin1StringView name)
{
    return object.value(name).toString();
}

std::unique_ptr<TimerSource> ownTimersIfNone(const SessionEnvironment &environment)
{
    if (environment.timers)
        return nullptr;
    return std::make_unique<QtTimerSource>();
}
} // namespace

Session::Session(QUrl serverUrl, QString token, SessionOptions options, SessionEnvironment environment,
                 QObject *parent)
    : QObject(parent)
    , m_servers{std::move(serverUrl)}
    , m_token(std::move(token))
    , m_options(options)
    , m_clock(environment.clock ? *environment.clock : Clock::system())
    , m_ownedTimers(ownTimersIfNone(environment))
    , m_timers(environment.timers ? *environment.timers : *m_ownedTimers)
    , m_transport(environment.transport
                      ? std::move(environment.transport)
                      : std::make_unique<FallbackTransport>(FallbackTransport::Mode::Auto, m_timers,
                                                            options.connectTimeoutMs))
    , m_connection(std::make_unique<ConnectionStateMachine>(
          Backoff(options.backoff, std::move(environment.random)), m_clock, m_timers))
    , m_heartbeat(std::make_unique<Heartbeat>(options.heartbeat, m_clock, m_timers))
    , m_dedup(options.dedupCapacity)
{
    m_connection->setTransportName(m_transport->name());
    // A FallbackTransport changes its name as it moves between WebSocket, SSE and polling.
    connect(m_transport.get(), &Transport::nameChanged, m_connection.get(),
            &ConnectionStateMachine::setTransportName);
    connect(m_connection.get(), &ConnectionStateMachine::connectRequired, this, &Session::onConnectRequired);
    connect(m_connection.get(), &ConnectionStateMachine::stateChanged, this, &Session::onStateChanged);
    connect(m_connection.get(), &ConnectionStateMachine::authenticationRequired, this,
            &Session::authenticationRequired);
    connect(m_transport.get(), &Transport::opened, this, &Session::onTransportOpened);
    connect(m_transport.get(), &Transport::closed, this, &Session::onTransportClosed);
    connect(m_transport.get(), &Transport::messageReceived, this, &Session::onTransportMessage);
    connect(m_transport.get(), &Transport::binaryMessageReceived, this, &Session::onTransportBinaryMessage);
    connect(m_heartbeat.get(), &Heartbeat::pingDue, this, [this] {
        send(QJsonObject{{QStringLiteral("type"), MessageType::Ping}});
    });
    connect(m_heartbeat.get(), &Heartbeat::timedOut, this,
            [this] { m_transport->close(CloseHeartbeatTimeout, QStringLiteral("heartbeat timeout")); });
}

Session::~Session()
{
    cancelAuthTimer();
    // No callbacks into a half-destroyed Session; the server sees a normal close.
    m_transport->disconnect(this);
    m_transport->close(CloseNormal, QStringLiteral("session closed"));
}

void Session::connectToServer()
{
    m_connection->connectRequested();
}

void Session::disconnectFromServer()
{
    m_connection->disconnectRequested();
}

void Session::retryNow()
{
    m_connection->retryNow();
}

void Session::networkBack()
{
    m_connection->networkBack();
}

void Session::setBackground(bool background)
{
    m_transport->setBackground(background);
}

Result<void> Session::joinRoom(const QString &roomId, std::optional<qint64> since)
{
    if (!isValidRoomId(roomId))
        return fail(ErrorCode::BadRequest, QStringLiteral("invalid room id: %1").arg(roomId));
    if (m_rooms.contains(roomId))
        return {};
    RoomState room;
    room.cursor = since;
    m_rooms.insert(roomId, room);
    if (m_authenticated)
        sendJoin(roomId);
    return {};
}

void Session::leaveRoom(const QString &roomId)
{
    if (m_rooms.remove(roomId) == 0)
        return;
    if (m_authenticated)
        post(MessageType::RoomLeave, {{QStringLiteral("roomId"), roomId}});
}

bool Session::isRoomLive(const QString &roomId) const
{
    const auto room = m_rooms.constFind(roomId);
    return room != m_rooms.constEnd() && room->live;
}

std::optional<qint64> Session::resumeCursor(const QString &roomId) const
{
    const auto room = m_rooms.constFind(roomId);
    return room == m_rooms.constEnd() ? std::nullopt : room->cursor;
}

Result<QString> Session::sendChat(const QString &roomId, const QString &text, const QString &cid)
{
    if (!isValidRoomId(roomId))
        return fail(ErrorCode::BadRequest, QStringLiteral("invalid room id: %1").arg(roomId));
    if (text.trimmed().isEmpty())
        return fail(ErrorCode::BadRequest, QStringLiteral("empty message"));
    const QString key = cid.isEmpty() ? newMessageId() : cid;
    if (!isValidClientKey(key))
        return fail(ErrorCode::BadRequest, QStringLiteral("invalid cid"));
    auto sent = sendRequest(MessageType::ChatSend,
                            {{QStringLiteral("roomId"), roomId}, {QStringLiteral("text"), text}}, key);
    if (!sent)
        return unexpected(sent.error());
    return key;
}

Result<QString> Session::fetchHistory(const QString &roomId, std::optional<qint64> before, int limit)
{
    QJsonObject payload{{QStringLiteral("roomId"), roomId},
                        {QStringLiteral("limit"), limit > 0 ? limit : m_options.historyPageSize}};
    if (before)
        payload.insert(QStringLiteral("before"), *before);
    return sendRequest(MessageType::HistoryFetch, payload);
}

Result<QString> Session::sendRequest(const QString &type, const QJsonObject &payload, const QString &cid)
{
    // Not queued: a durable mutation queue that survives restarts is its own
    // component (DESIGN.md §2); until then the caller learns at once.
    if (!m_authenticated)
        return fail(ErrorCode::Internal, QStringLiteral("not connected"));
    return post(type, payload, cid);
}

QString Session::post(const QString &type, const QJsonObject &payload, const QString &cid)
{
    const QString id = newMessageId();
    QJsonObject envelope{{QStringLiteral("id"), id}, {QStringLiteral("type"), type}};
    if (!payload.isEmpty())
        envelope.insert(QStringLiteral("payload"), payload);
    if (!cid.isEmpty())
        envelope.insert(QStringLiteral("cid"), cid);
    send(envelope);
    return id;
}

Result<void> Session::openDocument(const QString &roomId)
{
    if (!isValidRoomId(roomId))
        return fail(ErrorCode::BadRequest, QStringLiteral("invalid room id: %1").arg(roomId));
    if (m_documents.contains(roomId))
        return {};
    m_documents.append(roomId);
    if (m_authenticated)
        sendDocumentOpen(roomId);
    return {};
}

void Session::closeDocument(const QString &roomId)
{
    if (m_documents.removeAll(roomId) == 0)
        return;
    if (m_authenticated)
        post(QStringLiteral("doc:close"), {{QStringLiteral("roomId"), roomId}});
}

void Session::sendDocumentOpen(const QString &roomId)
{
    QJsonObject payload{{QStringLiteral("roomId"), roomId}};
    if (!m_transport->supportsBinary())
        payload.insert(QStringLiteral("encoding"), QStringLiteral("base64"));
    post(QStringLiteral("doc:open"), payload);
    Q_EMIT documentOpening(roomId);
}

Result<void> Session::sendDocumentMessage(const QString &roomId, const QByteArray &message)
{
    if (!m_authenticated)
        return fail(ErrorCode::Internal, QStringLiteral("not connected"));
    if (!isValidRoomId(roomId) || message.isEmpty())
        return fail(ErrorCode::BadRequest, QStringLiteral("invalid document message"));
    if (m_transport->supportsBinary()) {
        m_transport->sendBinary(encodeDocumentFrame(roomId, message));
        return {};
    }
    post(QStringLiteral("doc:message"), {{QStringLiteral("roomId"), roomId},
                                         {QStringLiteral("data"), QString::fromLatin1(message.toBase64())}});
    return {};
}

int Session::subscribeDocument(const QString &roomId, DocumentHandler handler)
{
    const int id = ++m_nextSubscription;
    m_documentSubscribers.emplace(id, std::pair{roomId, std::move(handler)});
    return id;
}

QByteArray Session::encodeDocumentFrame(const QString &roomId, const QByteArray &message)
{
    // lib0 varString: varUint byte length, then UTF-8.
    const QByteArray name = roomId.toUtf8();
    QByteArray frame;
    frame.reserve(name.size() + message.size() + 2);
    quint64 length = quint64(name.size());
    while (length >= 0x80) {
        frame.append(char(0x80 | (length & 0x7f)));
        length >>= 7;
    }
    frame.append(char(length));
    frame.append(name);
    frame.append(message);
    return frame;
}

std::optional<std::pair<QString, QByteArray>> Session::decodeDocumentFrame(const QByteArray &frame)
{
    quint64 length = 0;
    qsizetype position = 0;
    for (int shift = 0;; shift += 7) {
        if (position >= frame.size() || shift > 28)
            return std::nullopt;
        const auto byte = quint8(frame.at(position++));
        length |= quint64(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0)
            break;
    }
    if (length > quint64(frame.size() - position))
        return std::nullopt;
    const QString roomId = QString::fromUtf8(frame.mid(position, qsizetype(length)));
    position += qsizetype(length);
    if (position >= frame.size())
        return std::nullopt;
    return std::pair{roomId, frame.mid(position)};
}

void Session::onTransportBinaryMessage(const QByteArray &frame)
{
    const auto decoded = decodeDocumentFrame(frame);
    if (!decoded) {
        qCWarning(lcClient) << "ignoring a binary frame that is not a document frame";
        return;
    }
    routeDocument(decoded->first, decoded->second);
}

void Session::routeDocument(const QString &roomId, const QByteArray &message)
{
    QList<DocumentHandler> handlers;
    for (const auto &[id, subscriber] : m_documentSubscribers) {
        if (subscriber.first == roomId)
            handlers.append(subscriber.second);
    }
    for (const DocumentHandler &handler : handlers)
        handler(message);
}

int Session::subscribe(const QString &type, Handler handler)
{
    const int id = ++m_nextSubscription;
    m_subscribers.emplace(id, std::pair{type, std::move(handler)});
    return id;
}

void Session::unsubscribe(int subscriptionId)
{
    m_subscribers.erase(subscriptionId);
    m_documentSubscribers.erase(subscriptionId);
}

void Session::setAlternativeServers(const QList<QUrl> &urls)
{
    m_servers.resize(1);
    m_servers.append(urls);
    m_serverIndex = std::min(m_serverIndex, m_servers.size() - 1);
}

void Session::onConnectRequired()
{
    m_authenticated = false;
    m_attemptAuthenticated = false;
    m_transport->open(currentServerUrl());
}

void Session::onTransportOpened()
{
    // The token travels in the first message, not the URL, so it stays out of proxy logs.
    send(QJsonObject{{QStringLiteral("type"), MessageType::Auth},
                     {QStringLiteral("payload"), QJsonObject{{QStringLiteral("token"), m_token}}}});
    cancelAuthTimer();
    m_authTimer = m_timers.start(m_options.authTimeoutMs, [this] { onAuthTimeout(); });
}

void Session::onAuthTimeout()
{
    m_authTimer = 0;
    qCInfo(lcClient) << "no auth:ok within" << m_options.authTimeoutMs << "ms";
    m_transport->close(CloseHeartbeatTimeout, QStringLiteral("authentication timed out"));
}

void Session::onTransportClosed(int code, const QString &reason)
{
    // An instance that cannot be reached (or never authenticated us) is
    // skipped until the others were tried; a refused token is refused everywhere.
    if (!m_attemptAuthenticated && code != CloseAuthFailed && m_servers.size() > 1) {
        m_serverIndex = (m_serverIndex + 1) % m_servers.size();
        qCInfo(lcClient) << "next attempt goes to" << currentServerUrl().toString(QUrl::RemoveQuery);
    }
    cancelAuthTimer();
    m_heartbeat->stop();
    m_authenticated = false;
    for (RoomState &room : m_rooms)
        room.live = false;
    m_connection->closed(code, reason);
}

void Session::onStateChanged(State state)
{
    // Giving up or a user's disconnect while a socket is still opening: drop it.
    if (state == State::Disconnected || state == State::Reconnecting) {
        cancelAuthTimer();
        m_heartbeat->stop();
        m_authenticated = false;
        if (m_transport->isOpen())
            m_transport->close(CloseNormal, QStringLiteral("disconnected"));
        else
            m_transport->close(CloseNormal, {}); // aborts a pending open, if any
    }
    Q_EMIT stateChanged(state);
}

void Session::onTransportMessage(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (!document.isObject()) {
        qCWarning(lcClient) << "ignoring a message that is not a JSON object:" << error.errorString();
        return;
    }
    const QJsonObject message = document.object();
    if (!applyRoomEvent(message))
        return;

    const QString type = field(message, QLatin1StringView("type"));
    const QJsonObject payload = message.value(QLatin1StringView("payload")).toObject();
    if (type == MessageType::AuthOk)
        handleAuthOk(payload);
    else if (type == MessageType::RoomJoined)
        handleRoomJoined(payload);
    else if (type == MessageType::HistoryPage)
        handleHistoryPage(payload);
    else if (type == MessageType::Pong)
        m_heartbeat->pongReceived();
    if (type == QLatin1StringView("doc:message")) {
        const QString roomId = field(payload, QLatin1StringView("roomId"));
        const QByteArray data = QByteArray::fromBase64(field(payload, QLatin1StringView("data")).toLatin1(),
                                                       QByteArray::AbortOnBase64DecodingErrors);
        if (!data.isEmpty())
            routeDocument(roomId, data);
    }
    route(message);
}

bool Session::applyRoomEvent(const QJsonObject &message)
{
    // Only stored events (those with a seq) can arrive twice: in a replay, a
    // history page or a second delivery. Ephemeral ones (typing, cursors,
    // pongs) get fresh ids and would only flush real ids out of the window.
    const qint64 seq = message.value(QLatin1StringView("seq")).toInteger();
    if (seq <= 0)
        return true;
    const QString id = field(message, QLatin1StringView("id"));
    if (!id.isEmpty() && !m_dedup.markApplied(id)) {
        qCDebug(lcClient) << "dropping duplicate" << id;
        return false;
    }
    const auto room = m_rooms.find(field(message, QLatin1StringView("room")));
    if (room == m_rooms.end())
        return true;
    // The id window forgets; the cursor does not. Events come in seq order, so
    // anything at or below the cursor was applied already.
    if (room->cursor && seq <= *room->cursor) {
        qCDebug(lcClient) << "dropping already applied seq" << seq << "in" << room.key();
        return false;
    }
    room->cursor = seq;
    return true;
}

void Session::handleAuthOk(const QJsonObject &payload)
{
    if (m_authenticated)
        return;
    m_attemptAuthenticated = true;
    cancelAuthTimer();
    m_authenticated = true;
    m_userId = field(payload, QLatin1StringView("userId"));
    m_connection->opened();
    m_heartbeat->start();
    for (auto room = m_rooms.cbegin(); room != m_rooms.cend(); ++room)
        sendJoin(room.key());
    const QStringList documents = m_documents;
    for (const QString &roomId : documents)
        sendDocumentOpen(roomId);
    Q_EMIT authenticated(m_userId);
}

void Session::sendJoin(const QString &roomId)
{
    RoomState &room = m_rooms[roomId];
    QJsonObject payload{{QStringLiteral("roomId"), roomId}};
    room.sentSince = room.cursor.has_value();
    if (room.cursor)
        payload.insert(QStringLiteral("since"), *room.cursor);
    post(MessageType::RoomJoin, payload);
}

void Session::handleRoomJoined(const QJsonObject &payload)
{
    const QString roomId = field(payload, QLatin1StringView("roomId"));
    const auto room = m_rooms.find(roomId);
    if (room == m_rooms.end())
        return; // left while the join was in flight
    const qint64 lastSeq = payload.value(QLatin1StringView("lastSeq")).toInteger();
    const bool recovered = payload.value(QLatin1StringView("recovered")).toBool(true);
    room->live = true;
    if (room->sentSince && !recovered) {
        // The gap is too long, or the server's history is not the one we saw
        // (since > lastSeq): what we have cannot be patched up. Live events
        // continue after lastSeq, older ones come from history.
        room->cursor = lastSeq;
        Q_EMIT roomJoined(roomId, false);
        Q_EMIT roomReloadRequired(roomId);
        post(MessageType::HistoryFetch,
             {{QStringLiteral("roomId"), roomId}, {QStringLiteral("limit"), m_options.historyPageSize}});
        return;
    }
    // Without `since` we are subscribed from lastSeq on; with it, replay got us there.
    room->cursor = std::max(room->cursor.value_or(0), lastSeq);
    Q_EMIT roomJoined(roomId, true);
}

void Session::handleHistoryPage(const QJsonObject &payload)
{
    // Events in a page may also reach us live or in a later replay: mark them applied.
    for (const QJsonValue &event : payload.value(QLatin1StringView("messages")).toArray()) {
        const QString id = field(event.toObject(), QLatin1StringView("id"));
        if (!id.isEmpty())
            m_dedup.markApplied(id);
    }
}

void Session::send(const QJsonObject &envelope)
{
    m_transport->send(QJsonDocument(envelope).toJson(QJsonDocument::Compact));
}

void Session::route(const QJsonObject &message)
{
    Q_EMIT messageReceived(message);
    const QString type = field(message, QLatin1StringView("type"));
    // Copy the matching handlers first: a handler may subscribe or unsubscribe.
    QList<Handler> handlers;
    for (const auto &[id, subscriber] : m_subscribers) {
        if (subscriber.first.isEmpty() || subscriber.first == type)
            handlers.append(subscriber.second);
    }
    for (const Handler &handler : handlers)
        handler(message);
}

void Session::cancelAuthTimer()
{
    if (m_authTimer != 0)
        m_timers.cancel(m_authTimer);
    m_authTimer = 0;
}

} // namespace tandem::client
