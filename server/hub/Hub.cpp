#include "server/hub/Hub.h"

#include "core/crdt/Lib0Decoder.h"
#include "core/protocol/MessageType.h"
#include "core/protocol/ServerMessage.h"
#include "server/auth/TokenService.h"
#include "server/bus/RoomBus.h"
#include "server/docs/YjsConnection.h"
#include "server/hub/ClientConnection.h"
#include "server/hub/HubLog.h"
#include "server/hub/WebSocketLink.h"
#include "server/metrics/ServerMetrics.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>

Q_LOGGING_CATEGORY(lcHub, "tandem.server.hub")

namespace tandem::server {

using namespace protocol;
using Delivery = ClientConnection::Delivery;

namespace {

Envelope envelopeOf(const StoredEvent &event)
{
    Envelope envelope;
    envelope.id = event.id;
    envelope.type = event.type;
    envelope.ts = event.ts;
    envelope.room = event.roomId;
    envelope.seq = event.seq;
    envelope.cid = event.cid;
    envelope.payload = event.payload;
    return envelope;
}

QJsonObject roomJson(const RoomRecord &room)
{
    return {{QStringLiteral("roomId"), room.roomId},
            {QStringLiteral("ownerId"), room.ownerId},
            {QStringLiteral("private"), room.isPrivate},
            {QStringLiteral("lastSeq"), room.lastSeq},
            {QStringLiteral("createdAt"), formatTimestamp(room.createdAt)}};
}

/// The token from `?token=` or `Authorization: Bearer`, if the client used either.
QString tokenFromHandshake(const QWebSocket &socket)
{
    const QString fromQuery = QUrlQuery(socket.requestUrl()).queryItemValue(QStringLiteral("token"));
    if (!fromQuery.isEmpty())
        return fromQuery;
    const QByteArray authorization = socket.request().rawHeader("Authorization");
    if (authorization.startsWith("Bearer "))
        return QString::fromLatin1(authorization.mid(7).trimmed());
    return {};
}

} // namespace

Hub::Hub(Storage &storage, TokenService &tokens, const ServerConfig &config, const Clock &clock,
         metrics::ServerMetrics &metrics, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_tokens(tokens)
    , m_config(config)
    , m_clock(clock)
    , m_metrics(metrics)
    , m_documents(storage, config.documents, clock)
    , m_canvases(storage, config.canvas, clock)
{
    m_decodeLimits.maxTextLength = config.limits.maxTextLength;
    m_decodeLimits.maxHistoryPage = config.limits.maxHistoryPage;
    // Zero-interval: every append that arrived in this event-loop turn shares one transaction.
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &Hub::flushAppends);
    // Deadlines are met within an eighth of the shorter timeout, and within a second.
    const int shortestTimeoutMs = std::min(config.limits.authTimeoutMs, config.limits.idleTimeoutMs);
    m_deadlineSweep.setInterval(std::clamp(shortestTimeoutMs / 8, 10, 1000));
    connect(&m_deadlineSweep, &QTimer::timeout, this, &Hub::sweepDeadlines);
    m_deadlineSweep.start();
    connect(&m_documents, &DocumentHost::limitExceeded, this,
            [this](const QString &limit) { ++m_metrics.refusals[limit]; });
}

Hub::~Hub()
{
    flushAppends();
}

void Hub::addConnection(QWebSocket *socket)
{
    ClientConnection *connection = addConnection(new WebSocketLink(socket, m_config.limits));
    const QString version = QUrlQuery(socket->requestUrl()).queryItemValue(QStringLiteral("v"));
    if (!version.isEmpty() && version != QString::number(ProtocolVersion)) {
        connection->sendError({ErrorCode::UnsupportedVersion,
                               QStringLiteral("this server speaks protocol version %1").arg(ProtocolVersion)},
                              {});
        connection->close(CloseProtocolError, QStringLiteral("unsupported protocol version"));
        return;
    }
    const QString token = tokenFromHandshake(*socket);
    if (!token.isEmpty())
        authenticate(connection, token, {});
}

ClientConnection *Hub::addConnection(ClientLink *link)
{
    auto *connection = new ClientConnection(link, m_config.limits, m_clock, m_metrics, this);
    m_connections.insert(connection);
    connect(connection, &ClientConnection::textReceived, this, &Hub::onText);
    connect(connection, &ClientConnection::binaryReceived, this, &Hub::onBinary);
    connect(connection, &ClientConnection::disconnected, this, &Hub::onDisconnected);
    Q_EMIT connectionCountChanged(connectionCount());
    return connection;
}

void Hub::sweepDeadlines()
{
    const qint64 nowMs = m_clock.monotonicMs();
    // Closing can end a connection at once (and remove it from m_connections): collect first.
    QList<ClientConnection *> overdue;
    for (ClientConnection *connection : std::as_const(m_connections)) {
        if (connection->isOverdue(nowMs))
            overdue.append(connection);
    }
    for (ClientConnection *connection : std::as_const(overdue)) {
        if (m_connections.contains(connection))
            connection->closeIfOverdue(nowMs);
    }
}

void Hub::addYjsConnection(QWebSocket *socket, const QString &roomId)
{
    auto *connection = new YjsConnection(socket, m_config.limits, m_config.documents, m_metrics, this);
    m_yjsConnections.insert(connection);
    connect(connection, &YjsConnection::disconnected, this, [this](YjsConnection *closed) {
        if (!m_yjsConnections.remove(closed))
            return;
        ++m_metrics.disconnects[metrics::ServerMetrics::disconnectReason(closed->closeCode())];
        m_documents.closeAll(closed);
        closed->deleteLater();
        Q_EMIT connectionCountChanged(connectionCount());
    });
    Q_EMIT connectionCountChanged(connectionCount());

    // Only valid room ids: the raw path is compared as is, so an encoded name never matches a room.
    if (!isValidRoomId(roomId)) {
        connection->refuse(QStringLiteral("no room '%1'").arg(roomId.left(80)));
        return;
    }
    const auto userId = m_tokens.authenticate(connection->token());
    if (!userId) {
        qCInfo(lcHub) << "refused a /yjs socket from" << socket->peerAddress().toString() << ":"
                      << userId.error().message;
        connection->refuse(userId.error().message);
        return;
    }
    if (auto member = requireMember(roomId, *userId); !member) {
        connection->refuse(member.error().message);
        return;
    }
    const auto sameUser =
        std::count_if(m_yjsConnections.cbegin(), m_yjsConnections.cend(),
                      [&](const YjsConnection *other) { return other->userId() == *userId; });
    if (sameUser >= m_config.limits.maxConnectionsPerUser) {
        ++m_metrics.refusals[QStringLiteral("connections_per_user")];
        // 4008 is not final for y-websocket: it retries with backoff, as a session would.
        connection->close(ClosePolicy, QStringLiteral("too many /yjs connections for this user (limit %1)")
                                           .arg(m_config.limits.maxConnectionsPerUser));
        return;
    }
    connection->admit(*userId, TokenService::hashToken(connection->token()), roomId);
    connect(connection, &YjsConnection::messageReceived, this,
            [this](YjsConnection *from, const QByteArray &message) {
                m_documents.receive(from->roomId(), from, message);
            });
    if (auto opened = m_documents.open(roomId, connection); !opened) {
        // Not final for the client: y-websocket retries with backoff.
        connection->close(protocol::CloseGoingAway, opened.error().message);
        return;
    }
    qCInfo(lcHub) << *userId << "opened the document of" << roomId << "over /yjs";
}

std::map<QString, int> Hub::connectionsByTransport() const
{
    std::map<QString, int> counts;
    for (const ClientConnection *connection : m_connections)
        ++counts[connection->link()->transportName()];
    if (!m_yjsConnections.isEmpty())
        counts[QStringLiteral("yjs")] = static_cast<int>(m_yjsConnections.size());
    return counts;
}

void Hub::shutdown()
{
    flushAppends();
    m_documents.compactAll();
    const auto connections = m_connections;
    for (ClientConnection *connection : connections)
        connection->close(CloseGoingAway, QStringLiteral("server shutting down"));
    const auto yjsConnections = m_yjsConnections;
    for (YjsConnection *connection : yjsConnections)
        connection->close(CloseGoingAway, QStringLiteral("server shutting down"));
}

void Hub::closeSessionsOfToken(const QByteArray &tokenHash)
{
    const auto connections = m_connections;
    for (ClientConnection *connection : connections) {
        if (connection->isAuthenticated() && connection->tokenHash() == tokenHash)
            connection->close(CloseAuthFailed, QStringLiteral("signed out"));
    }
    const auto yjsConnections = m_yjsConnections;
    for (YjsConnection *connection : yjsConnections) {
        if (connection->isAdmitted() && connection->tokenHash() == tokenHash)
            connection->refuse(QStringLiteral("signed out"));
    }
}

void Hub::onText(ClientConnection *connection, const QString &text)
{
    if (connection->isClosing())
        return;
    // Decoded before the rate check, so that cursor moves can be metered on
    // their own bucket; what fails to decode counts on the general one.
    auto decoded = decodeClientMessage(text.toUtf8(), m_decodeLimits);
    const bool isCursorMove = decoded && std::holds_alternative<CursorMoveRequest>(decoded->request);
    if (!connection->admitMessage(isCursorMove ? ClientConnection::MessageClass::CursorMove
                                               : ClientConnection::MessageClass::General)) {
        // A refused cursor move needs no answer: the next one supersedes it.
        if (!connection->isClosing() && !isCursorMove)
            connection->sendError({ErrorCode::RateLimited, QStringLiteral("too many messages; slow down")},
                                  {});
        return;
    }
    if (!decoded) {
        // Before authentication a client gets no second chance: it may not be a Tandem client at all.
        connection->sendError(decoded.error().error, decoded.error().ref);
        if (!connection->isAuthenticated())
            connection->close(CloseAuthFailed, QStringLiteral("authenticate first"));
        else if (decoded.error().error.code == ErrorCode::UnsupportedVersion)
            connection->close(CloseProtocolError, QStringLiteral("unsupported protocol version"));
        return;
    }
    const ClientMessage &message = *decoded;
    const QString ref = message.id.isEmpty() ? message.type : message.id;
    if (!connection->isAuthenticated() && !std::holds_alternative<AuthRequest>(message.request)) {
        connection->sendError({ErrorCode::Unauthorized, QStringLiteral("send auth {token} first")}, ref);
        connection->close(CloseAuthFailed, QStringLiteral("authenticate first"));
        return;
    }
    std::visit([&](const auto &request) { handle(connection, message, request); }, message.request);
}

void Hub::onBinary(ClientConnection *connection, const QByteArray &bytes)
{
    if (connection->isClosing())
        return;
    const QString ref = QString(MessageType::DocMessage);
    if (!connection->isAuthenticated()) {
        connection->sendError({ErrorCode::Unauthorized, QStringLiteral("send auth {token} first")}, ref);
        connection->close(CloseAuthFailed, QStringLiteral("authenticate first"));
        return;
    }
    // Document frames are not rate limited like chat: a refused keystroke would be a lost one.
    // Their size is bounded by max_message_bytes and [documents] max_update_bytes.
    crdt::Lib0Decoder decoder(bytes);
    const QString roomId = decoder.readVarString();
    if (decoder.failed() || !isValidRoomId(roomId)) {
        connection->sendError(
            {ErrorCode::BadRequest, QStringLiteral("a binary frame is a document frame: a room id "
                                                   "(lib0 varString), then a y-websocket message")},
            ref);
        return;
    }
    receiveDocumentMessage(connection, roomId, decoder.readTail());
}

void Hub::receiveDocumentMessage(ClientConnection *connection, const QString &roomId,
                                 const QByteArray &message)
{
    if (!connection->openDocuments().contains(roomId)) {
        connection->documentMessageRefused(
            roomId, {ErrorCode::Forbidden, QStringLiteral("send doc:open for '%1' first").arg(roomId)});
        return;
    }
    m_documents.receive(roomId, connection, message);
}

void Hub::handle(ClientConnection *connection, const ClientMessage &message, const DocOpenRequest &request)
{
    const QString ref = message.id.isEmpty() ? message.type : message.id;
    if (auto member = requireMember(request.roomId, connection->userId()); !member) {
        connection->sendError(member.error(), ref);
        return;
    }
    if (!connection->openDocuments().contains(request.roomId) &&
        connection->openDocuments().size() >= m_config.limits.maxRoomsPerConnection) {
        ++m_metrics.refusals[QStringLiteral("rooms_per_connection")];
        connection->sendError(
            {ErrorCode::RateLimited, QStringLiteral("this connection has %1 documents open, the limit")
                                         .arg(m_config.limits.maxRoomsPerConnection)},
            ref);
        return;
    }
    connection->openDocuments().insert(request.roomId, request.encoding);
    if (auto opened = m_documents.open(request.roomId, connection); !opened) {
        connection->openDocuments().remove(request.roomId);
        connection->sendError(opened.error(), ref);
    }
}

void Hub::handle(ClientConnection *connection, const ClientMessage &message, const DocCloseRequest &request)
{
    m_documents.close(request.roomId, connection);
    connection->openDocuments().remove(request.roomId);
    QJsonObject payload{{QStringLiteral("roomId"), request.roomId}};
    if (!message.id.isEmpty())
        payload.insert(QStringLiteral("ref"), message.id);
    connection->sendEnvelope(makeEnvelope(MessageType::DocClosed, payload, m_clock.nowUtc()));
}

void Hub::handle(ClientConnection *connection, const ClientMessage &, const DocMessageRequest &request)
{
    receiveDocumentMessage(connection, request.roomId, request.data);
}

void Hub::authenticate(ClientConnection *connection, const QString &token, const QString &ref)
{
    const auto userId = m_tokens.authenticate(token);
    if (!userId) {
        qCInfo(lcHub) << "refused a socket from" << connection->link()->peerAddress().toString() << ":"
                      << userId.error().message;
        connection->sendError(userId.error(), ref);
        connection->close(CloseAuthFailed, userId.error().message);
        return;
    }
    QList<ClientConnection *> &siblings = m_connectionsByUser[*userId];
    if (siblings.size() >= m_config.limits.maxConnectionsPerUser) {
        ++m_metrics.refusals[QStringLiteral("connections_per_user")];
        connection->sendError(
            {ErrorCode::RateLimited, QStringLiteral("too many connections for this user (limit %1)")
                                         .arg(m_config.limits.maxConnectionsPerUser)},
            ref);
        connection->close(ClosePolicy, QStringLiteral("too many connections"));
        return;
    }
    const PresenceStatus before = presenceOf(*userId);
    siblings.append(connection);
    connection->markAuthenticated(*userId, TokenService::hashToken(token));
    connection->sendEnvelope(
        makeEnvelope(MessageType::AuthOk,
                     {{QStringLiteral("userId"), *userId},
                      {QStringLiteral("protocol"), ProtocolVersion},
                      {QStringLiteral("server"), QStringLiteral("tandem-server/" TANDEM_VERSION)},
                      {QStringLiteral("limits"),
                       QJsonObject{{QStringLiteral("maxMessageBytes"), m_config.limits.maxMessageBytes},
                                   {QStringLiteral("maxTextLength"), m_config.limits.maxTextLength},
                                   {QStringLiteral("messagesPerSecond"), m_config.limits.messagesPerSecond},
                                   {QStringLiteral("burst"), m_config.limits.burst},
                                   {QStringLiteral("idleTimeoutMs"), m_config.limits.idleTimeoutMs}}}},
                     m_clock.nowUtc()));
    broadcastPresenceToUserRooms(*userId, before);
    qCInfo(lcHub) << *userId << "connected from" << connection->link()->peerAddress().toString();
}

void Hub::onDisconnected(ClientConnection *connection)
{
    if (!m_connections.remove(connection))
        return;
    const QString reason = metrics::ServerMetrics::disconnectReason(connection->closeCode());
    ++m_metrics.disconnects[reason];
    if (reason == QLatin1String("too_big")) // Qt's WebSocket layer refused the message, not the hub
        ++m_metrics.refusals[QStringLiteral("message_size")];
    const QString userId = connection->userId();
    m_documents.closeAll(connection);
    if (connection->isAuthenticated()) {
        const PresenceStatus before = presenceOf(userId);
        const auto rooms = connection->rooms();
        for (const QString &roomId : rooms)
            unsubscribe(connection, roomId);
        QList<ClientConnection *> &siblings = m_connectionsByUser[userId];
        siblings.removeOne(connection);
        if (siblings.isEmpty())
            m_connectionsByUser.remove(userId);
        broadcastPresenceToUserRooms(userId, before);
        qCInfo(lcHub) << userId << "disconnected";
    }
    connection->deleteLater();
    Q_EMIT connectionCountChanged(connectionCount());
}

void Hub::handle(ClientConnection *connection, const ClientMessage &message, const AuthRequest &request)
{
    if (connection->isAuthenticated()) {
        connection->sendError({ErrorCode::BadRequest, QStringLiteral("already authenticated")}, message.id);
        return;
    }
    authenticate(connection, request.token, message.id);
}

void Hub::handle(ClientConnection *connection, const ClientMessage &message, const RoomJoinRequest &request)
{
    const QString ref = message.id.isEmpty() ? message.type : message.id;
    const QString &userId = connection->userId();
    if (!connection->rooms().contains(request.roomId) &&
        connection->rooms().size() >= m_config.limits.maxRoomsPerConnection) {
        ++m_metrics.refusals[QStringLiteral("rooms_per_connection")];
        connection->sendError(
            {ErrorCode::RateLimited, QStringLiteral("this connection has joined %1 rooms, the limit")
                                         .arg(m_config.limits.maxRoomsPerConnection)},
            ref);
        return;
    }
    auto room = m_storage.findRoom(request.roomId);
    if (!room) {
        connection->sendError(room.error(), ref);
        return;
    }
    RoomRecord record;
    std::optional<RoomRecord> existing = *room;
    if (!existing) {
        auto created = m_storage.createRoom(request.roomId, userId, request.isPrivate);
        if (created) {
            record = *created;
            qCInfo(lcHub) << userId << "created" << (record.isPrivate ? "private" : "public") << "room"
                          << record.roomId;
        } else if (created.error().code == ErrorCode::Conflict) {
            // Created elsewhere (another instance) between the read and the insert: join it as it is.
            room = m_storage.findRoom(request.roomId);
            if (!room || !room->has_value()) {
                connection->sendError(room ? created.error() : room.error(), ref);
                return;
            }
            existing = **room;
        } else {
            connection->sendError(created.error(), ref);
            return;
        }
    }
    if (existing) {
        record = *existing;
        auto member = m_storage.isMember(record.roomId, userId);
        if (!member) {
            connection->sendError(member.error(), ref);
            return;
        }
        if (!*member) {
            if (record.isPrivate) {
                connection->sendError(
                    {ErrorCode::Forbidden, QStringLiteral("room '%1' is private").arg(record.roomId)}, ref);
                return;
            }
            if (auto added = m_storage.addMember(record.roomId, userId); !added) {
                connection->sendError(added.error(), ref);
                return;
            }
        }
    }

    const bool tracked = m_rooms.contains(record.roomId);
    RoomState &state = m_rooms[record.roomId];
    // Everything stored so far is history; what is stored from now on is delivered live.
    if (!tracked)
        state.deliveredSeq = record.lastSeq;
    state.knownMembers.insert(userId);
    const bool newlyPresent =
        !connection->rooms().contains(record.roomId) && state.presentUsers.value(userId) == 0;
    if (!connection->rooms().contains(record.roomId)) {
        connection->rooms().append(record.roomId);
        state.subscribers.insert(connection);
        ++state.presentUsers[userId];
    }

    // Replay first, then room:joined: the client knows it is caught up when room:joined arrives.
    bool recovered = true;
    qint64 caughtUp = record.lastSeq;
    if (request.since) {
        const qint64 gap = record.lastSeq - *request.since;
        recovered = gap >= 0 && gap <= m_config.limits.maxReplayEvents;
        if (recovered && gap > 0)
            caughtUp = std::max(caughtUp, replay(connection, record.roomId, *request.since));
    }
    // Live delivery may lag the store (another instance's event still on the bus): what this
    // connection got from the store is not sent to it again.
    if (auto joinedRoom = m_rooms.find(record.roomId); joinedRoom != m_rooms.end())
        joinedRoom->caughtUp[connection] = std::max(joinedRoom->caughtUp.value(connection), caughtUp);

    QJsonArray presence;
    QSet<QString> present(state.presentUsers.keyBegin(), state.presentUsers.keyEnd());
    for (auto it = state.remotePresence.cbegin(); it != state.remotePresence.cend(); ++it)
        present.insert(it.key());
    for (const QString &presentUser : std::as_const(present))
        presence.append(
            QJsonObject{{QStringLiteral("userId"), presentUser},
                        {QStringLiteral("status"), presenceName(roomPresenceOf(state, presentUser))}});
    QJsonObject payload = roomJson(record);
    payload.insert(QStringLiteral("recovered"), recovered);
    payload.insert(QStringLiteral("presence"), presence);
    // The room-wide entities ride along, so a joining client needs no extra round trip.
    QJsonArray entities;
    for (const EntityKind kind : {EntityKind::Room, EntityKind::Document}) {
        if (auto entity = m_storage.findEntity(record.roomId, EntityKey{kind, {}}))
            entities.append(entity->toJson());
    }
    payload.insert(QStringLiteral("entities"), entities);
    if (!message.id.isEmpty())
        payload.insert(QStringLiteral("ref"), message.id);
    Envelope joined = makeEnvelope(MessageType::RoomJoined, payload, m_clock.nowUtc());
    joined.room = record.roomId;
    connection->sendEnvelope(joined);

    if (newlyPresent || m_bus) {
        writeLease(connection, record.roomId);
        updatePresence(record.roomId, userId);
    }
    syncBusSubscription(record.roomId);
}

qint64 Hub::replay(ClientConnection *connection, const QString &roomId, qint64 since)
{
    qint64 after = since;
    for (;;) {
        auto events = m_storage.eventsAfter(roomId, after, 500);
        if (!events) {
            connection->sendError(events.error(), roomId);
            return after;
        }
        for (const StoredEvent &event : *events)
            connection->sendEnvelope(envelopeOf(event));
        if (!events->isEmpty())
            after = events->constLast().seq;
        if (events->size() < 500)
            return after;
    }
}

void Hub::handle(ClientConnection *connection, const ClientMessage &message, const RoomLeaveRequest &request)
{
    if (!requireSubscribed(connection, request.roomId, message.id.isEmpty() ? message.type : message.id))
        return;
    unsubscribe(connection, request.roomId);
    QJsonObject payload{{QStringLiteral("roomId"), request.roomId}};
    if (!message.id.isEmpty())
        payload.insert(QStringLiteral("ref"), message.id);
    connection->sendEnvelope(makeEnvelope(MessageType::RoomLeft, payload, m_clock.nowUtc()));
}

void Hub::unsubscribe(ClientConnection *connection, const QString &roomId)
{
    setTyping(connection, roomId, false);
    connection->rooms().removeOne(roomId);
    auto it = m_rooms.find(roomId);
    if (it == m_rooms.end())
        return;
    it->subscribers.remove(connection);
    it->caughtUp.remove(connection);
    if (m_bus)
        m_bus->dropLease(leaseGroup(roomId), leaseKey(connection, roomId));
    const QString &userId = connection->userId();
    if (--it->presentUsers[userId] <= 0)
        it->presentUsers.remove(userId);
    // Offline to the others unless the user is still here through another connection or instance.
    updatePresence(roomId, userId);
    it = m_rooms.find(roomId);
    if (it != m_rooms.end() && it->subscribers.isEmpty()) {
        m_rooms.erase(it);
        m_canvases.unload(roomId);
    }
    syncBusSubscription(roomId);
}

void Hub::handle(ClientConnection *connection, const ClientMessage &message, const RoomListRequest &)
{
    auto list = roomList(connection->userId());
    if (!list) {
        connection->sendError(list.error(), message.id);
        return;
    }
    if (!message.id.isEmpty())
        list->insert(QStringLiteral("ref"), message.id);
    connection->sendEnvelope(makeEnvelope(MessageType::RoomListResult, *list, m_clock.nowUtc()));
}

void Hub::handle(ClientConnection *connection, const ClientMessage &message, const ChatSendRequest &request)
{
    const QString ref = message.id.isEmpty() ? message.type : message.id;
    if (auto member = requireMember(request.roomId, connection->userId()); !member) {
        connection->sendError(member.error(), ref);
        return;
    }
    queueAppend(newRoomEvent(connection, message, request.roomId, MessageType::ChatMessage,
                             {{QStringLiteral("text"), request.text}}),
                replyTo(connection, message.id));
    // Sending counts as "stopped typing", as every chat app shows it.
    setTyping(connection, request.roomId, false);
}

void Hub::handle(ClientConnection *connection, const ClientMessage &message, const CanvasOpRequest &request)
{
    const QString ref = message.id.isEmpty() ? message.type : message.id;
    if (auto member = requireMember(request.roomId, connection->userId()); !member) {
        connection->sendError(member.error(), ref);
        return;
    }
    if (auto checked = m_canvases.check(request.roomId, request.ops); !checked) {
        if (checked.error().code == ErrorCode::TooLarge) // the one limit among the checks
            ++m_metrics.refusals[QStringLiteral("canvas_shapes")];
        connection->sendError(checked.error(), ref);
        return;
    }
    queueAppend(newRoomEvent(connection, message, request.roomId, MessageType::CanvasChanged,
                             {{QStringLiteral("ops"), request.ops}}),
                replyTo(connection, message.id));
}

NewEvent Hub::newRoomEvent(const ClientConnection *connection, const ClientMessage &message,
                           const QString &roomId, QLatin1StringView type, QJsonObject payload) const
{
    NewEvent event;
    event.roomId = roomId;
    event.id = newMessageId();
    event.type = type;
    event.userId = connection->userId();
    event.cid = message.cid;
    event.ts = m_clock.nowUtc();
    payload.insert(QStringLiteral("roomId"), roomId);
    payload.insert(QStringLiteral("userId"), connection->userId());
    event.payload = std::move(payload);
    return event;
}

void Hub::handle(ClientConnection *connection, const ClientMessage &message, const CanvasSyncRequest &request)
{
    const QString ref = message.id.isEmpty() ? message.type : message.id;
    // Subscribed first, so whatever is stored after this read also arrives, live.
    if (!requireSubscribed(connection, request.roomId, ref))
        return;
    const auto room = m_storage.findRoom(request.roomId);
    if (!room || !room->has_value()) {
        connection->sendError(room ? Error{ErrorCode::NotFound, QStringLiteral("no room ") + request.roomId}
                                   : room.error(),
                              ref);
        return;
    }
    const qint64 lastSeq = (*room)->lastSeq;
    // Changes since the client's last sync while they are few; past that the
    // merged state is smaller than the log and costs one pass to send.
    constexpr int MaxChangesSent = 1000;
    QJsonArray ops;
    bool full = true;
    if (request.since && *request.since <= lastSeq) {
        const auto changes = m_storage.canvasChangesAfter(request.roomId, *request.since, MaxChangesSent + 1);
        if (!changes) {
            connection->sendError(changes.error(), ref);
            return;
        }
        if (changes->size() <= MaxChangesSent) {
            full = false;
            for (const StoredEvent &change : *changes) {
                for (const QJsonValue &op : change.payload.value(QLatin1String("ops")).toArray())
                    ops.append(op);
            }
        }
    }
    if (full) {
        auto state = m_canvases.state(request.roomId);
        if (!state) {
            connection->sendError(state.error(), ref);
            return;
        }
        ops = std::move(*state);
    }
    // In pieces, so no single message nears the client's or a proxy's message size limit.
    constexpr qsizetype OpsPerMessage = 500;
    for (qsizetype start = 0; start < ops.size(); start += OpsPerMessage) {
        QJsonArray piece;
        for (qsizetype i = start; i < std::min(ops.size(), start + OpsPerMessage); ++i)
            piece.append(ops.at(i));
        Envelope state = makeEnvelope(
            MessageType::CanvasState,
            {{QStringLiteral("roomId"), request.roomId}, {QStringLiteral("ops"), piece}}, m_clock.nowUtc());
        state.room = request.roomId;
        connection->sendEnvelope(state);
    }
    QJsonObject synced{{QStringLiteral("roomId"), request.roomId},
                       {QStringLiteral("seq"), lastSeq},
                       {QStringLiteral("full"), full}};
    if (!message.id.isEmpty())
        synced.insert(QStringLiteral("ref"), message.id);
    Envelope done = makeEnvelope(MessageType::CanvasSynced, synced, m_clock.nowUtc());
    done.room = request.roomId;
    connection->sendEnvelope(done);
}

void Hub::queueAppend(NewEvent event, AppendReply reply)
{
    m_pendingAppends.append({std::move(event), std::move(reply)});
    m_flushTimer.start();
}

Hub::AppendReply Hub::replyTo(ClientConnection *connection, const QString &ref)
{
    return [this, sender = QPointer<ClientConnection>(connection), ref](const Result<AppendResult> &outcome) {
        if (!sender)
            return;
        if (!outcome) {
            sender->sendError(outcome.error(), ref);
            return;
        }
        if (outcome->rejected) {
            QJsonObject details;
            if (outcome->current)
                details.insert(QStringLiteral("current"), outcome->current->toJson());
            sender->sendEnvelope(makeError(*outcome->rejected, ref, m_clock.nowUtc(), details));
            return;
        }
        const StoredEvent &event = outcome->event;
        QJsonObject details;
        if (event.type == MessageType::EntityChanged) {
            details.insert(QStringLiteral("entity"), event.payload.value(QLatin1String("entity")));
            details.insert(QStringLiteral("version"), event.payload.value(QLatin1String("version")));
        }
        sender->sendEnvelope(
            makeAck(event.id, event.cid, event.roomId, event.seq, ref, m_clock.nowUtc(), details));
    };
}

void Hub::flushAppends()
{
    m_flushTimer.stop();
    if (m_pendingAppends.isEmpty())
        return;
    const QList<PendingAppend> batch = std::exchange(m_pendingAppends, {});
    QList<NewEvent> events;
    events.reserve(batch.size());
    for (const PendingAppend &pending : batch)
        events.append(pending.event);

    QElapsedTimer storing;
    storing.start();
    const auto results = m_storage.appendEvents(events);
    m_metrics.storageSeconds.observe(static_cast<double>(storing.nsecsElapsed()) / 1e9);
    if (!results) {
        qCWarning(lcHub) << "could not store" << batch.size() << "events:" << results.error().message;
        const Result<AppendResult> failure =
            fail(ErrorCode::Internal, QStringLiteral("could not store the change; retry"));
        for (const PendingAppend &pending : batch)
            pending.reply(failure);
        return;
    }
    // Only now is every event on disk: ack, then broadcast, in seq order (also to the other
    // instances, which deliver the same bytes).
    for (qsizetype i = 0; i < batch.size(); ++i) {
        const AppendResult &result = results->at(i);
        const NewEvent &sent = batch.at(i).event;
        if (result.duplicate && (result.event.roomId != sent.roomId || result.event.type != sent.type)) {
            // A cid names one change of one user. Reused for a different room or kind of change it
            // is a client bug, and acking the original would silently drop the new change.
            batch.at(i).reply(fail(ErrorCode::Conflict,
                                   QStringLiteral("cid %1 was already used for a %2 in room %3; use a new "
                                                  "cid for a new change")
                                       .arg(sent.cid, result.event.type, result.event.roomId)));
            continue;
        }
        batch.at(i).reply(result);
        if (result.duplicate || result.rejected)
            continue;
        const QByteArray encoded = envelopeOf(result.event).encode();
        if (m_bus) {
            if (!m_bus->isConnected())
                m_unpublished.insert(result.event.roomId, result.event.seq);
            m_bus->publish(result.event.roomId, 'E' + encoded);
        }
        deliverStored(result.event, QString::fromUtf8(encoded));
    }
}

void Hub::broadcast(const QString &roomId, const Envelope &envelope, ClientConnection *except, bool droppable)
{
    const auto it = m_rooms.constFind(roomId);
    if (it == m_rooms.cend())
        return;
    // Encoded once; QString is implicitly shared, so every peer gets the same bytes.
    const QString text = QString::fromUtf8(envelope.encode());
    const auto subscribers = it->subscribers;
    for (ClientConnection *subscriber : subscribers) {
        if (subscriber != except) {
            subscriber->send(text, droppable ? Delivery::Droppable : Delivery::Required);
            ++m_metrics.deliveries;
        }
    }
}

void Hub::handle(ClientConnection *connection, const ClientMessage &message, const TypingRequest &request)
{
    if (!requireSubscribed(connection, request.roomId, message.id.isEmpty() ? message.type : message.id))
        return;
    setTyping(connection, request.roomId, request.typing);
}

void Hub::setTyping(ClientConnection *connection, const QString &roomId, bool typing)
{
    if (connection->typingRooms().contains(roomId) == typing)
        return;
    if (typing)
        connection->typingRooms().append(roomId);
    else
        connection->typingRooms().removeOne(roomId);
    Envelope update = makeEnvelope(MessageType::TypingUpdate,
                                   {{QStringLiteral("roomId"), roomId},
                                    {QStringLiteral("userId"), connection->userId()},
                                    {QStringLiteral("typing"), typing}},
                                   m_clock.nowUtc());
    update.room = roomId;
    broadcast(roomId, update, connection, true);
    if (m_bus)
        m_bus->publish(roomId, 'T' + update.encode());
}

void Hub::handle(ClientConnection *connection, const ClientMessage &, const PresenceSetRequest &request)
{
    const PresenceStatus before = presenceOf(connection->userId());
    connection->setStatus(request.status);
    broadcastPresenceToUserRooms(connection->userId(), before);
}

PresenceStatus Hub::presenceOf(const QString &userId) const
{
    const auto it = m_connectionsByUser.constFind(userId);
    if (it == m_connectionsByUser.cend() || it->isEmpty())
        return PresenceStatus::Offline;
    for (const ClientConnection *connection : *it) {
        if (connection->status() == PresenceStatus::Online)
            return PresenceStatus::Online;
    }
    return PresenceStatus::Away;
}

void Hub::broadcastPresenceToUserRooms(const QString &userId, PresenceStatus before)
{
    const PresenceStatus now = presenceOf(userId);
    if (now == before)
        return;
    QSet<QString> rooms;
    for (const ClientConnection *connection : m_connectionsByUser.value(userId))
        for (const QString &roomId : connection->rooms())
            rooms.insert(roomId);
    // The leases carry the new status to the other instances.
    for (const ClientConnection *connection : m_connectionsByUser.value(userId))
        for (const QString &roomId : connection->rooms())
            writeLease(connection, roomId);
    for (const QString &roomId : std::as_const(rooms))
        updatePresence(roomId, userId);
}

void Hub::broadcastPresence(const QString &userId, const QString &roomId, PresenceStatus status)
{
    Envelope update = makeEnvelope(MessageType::PresenceUpdate,
                                   {{QStringLiteral("userId"), userId},
                                    {QStringLiteral("status"), presenceName(status)},
                                    {QStringLiteral("roomId"), roomId}},
                                   m_clock.nowUtc());
    update.room = roomId;
    broadcast(roomId, update, nullptr, false);
}

void Hub::handle(ClientConnection *connection, const ClientMessage &message,
                 const HistoryFetchRequest &request)
{
    auto page = historyPage(connection->userId(), request.roomId, request.before, request.limit);
    if (!page) {
        connection->sendError(page.error(), message.id.isEmpty() ? message.type : message.id);
        return;
    }
    if (!message.id.isEmpty())
        page->insert(QStringLiteral("ref"), message.id);
    connection->sendEnvelope(makeEnvelope(MessageType::HistoryPage, *page, m_clock.nowUtc()));
}

void Hub::handle(ClientConnection *connection, const ClientMessage &message, const PingRequest &)
{
    QJsonObject payload;
    if (!message.id.isEmpty())
        payload.insert(QStringLiteral("ref"), message.id);
    connection->sendEnvelope(makeEnvelope(MessageType::Pong, payload, m_clock.nowUtc()));
}

void Hub::handle(ClientConnection *connection, const ClientMessage &message, const CursorMoveRequest &request)
{
    if (!requireSubscribed(connection, request.roomId, message.id.isEmpty() ? message.type : message.id))
        return;
    Envelope move = makeEnvelope(MessageType::CursorMove,
                                 {{QStringLiteral("roomId"), request.roomId},
                                  {QStringLiteral("userId"), connection->userId()},
                                  {QStringLiteral("x"), request.x},
                                  {QStringLiteral("y"), request.y}},
                                 m_clock.nowUtc());
    move.room = request.roomId;
    // Latest wins per user and room: a peer that is behind gets this user's newest position once
    // it catches up, never the stale ones in between (ClientConnection::sendLatest).
    const auto room = m_rooms.constFind(request.roomId);
    if (room == m_rooms.cend())
        return;
    const QString key = QStringLiteral("cursor\n") + request.roomId + u'\n' + connection->userId();
    const QByteArray encoded = move.encode();
    const QString text = QString::fromUtf8(encoded);
    const auto subscribers = room->subscribers;
    for (ClientConnection *subscriber : subscribers) {
        if (subscriber != connection) {
            subscriber->sendLatest(key, text);
            ++m_metrics.deliveries;
        }
    }
    if (m_bus)
        m_bus->publish(request.roomId, 'C' + key.toUtf8() + '\x1f' + encoded);
}

Result<void> Hub::requireMember(const QString &roomId, const QString &userId)
{
    const auto state = m_rooms.constFind(roomId);
    if (state != m_rooms.cend() && state->knownMembers.contains(userId))
        return {};
    auto room = m_storage.findRoom(roomId);
    if (!room)
        return Unexpected<Error>{room.error()};
    if (!room->has_value())
        return fail(ErrorCode::NotFound, QStringLiteral("no room '%1'").arg(roomId));
    auto member = m_storage.isMember(roomId, userId);
    if (!member)
        return Unexpected<Error>{member.error()};
    if (!*member)
        return fail(ErrorCode::Forbidden,
                    QStringLiteral("not a member of room '%1'; join it first").arg(roomId));
    if (state != m_rooms.cend())
        m_rooms[roomId].knownMembers.insert(userId);
    return {};
}

bool Hub::requireSubscribed(ClientConnection *connection, const QString &roomId, const QString &ref)
{
    if (connection->rooms().contains(roomId))
        return true;
    connection->sendError(
        {ErrorCode::Forbidden, QStringLiteral("join room '%1' on this connection first").arg(roomId)}, ref);
    return false;
}

Result<QJsonObject> Hub::roomList(const QString &userId)
{
    auto rooms = m_storage.roomsVisibleTo(userId);
    if (!rooms)
        return Unexpected<Error>{rooms.error()};
    QJsonArray list;
    for (const RoomRecord &room : *rooms) {
        auto member = m_storage.isMember(room.roomId, userId);
        if (!member)
            return Unexpected<Error>{member.error()};
        QJsonObject entry = roomJson(room);
        entry.insert(QStringLiteral("member"), *member);
        list.append(entry);
    }
    return QJsonObject{{QStringLiteral("rooms"), list}};
}

Result<QJsonObject> Hub::historyPage(const QString &userId, const QString &roomId,
                                     std::optional<qint64> before, int limit)
{
    if (auto member = requireMember(roomId, userId); !member)
        return Unexpected<Error>{member.error()};
    // One extra row tells whether an older page exists.
    auto events = m_storage.eventsBefore(roomId, before, limit + 1);
    if (!events)
        return Unexpected<Error>{events.error()};
    const bool hasMore = events->size() > limit;
    if (hasMore)
        events->removeFirst();
    QJsonArray messages;
    for (const StoredEvent &event : *events)
        messages.append(envelopeOf(event).toJson());
    return QJsonObject{{QStringLiteral("roomId"), roomId},
                       {QStringLiteral("messages"), messages},
                       {QStringLiteral("hasMore"), hasMore}};
}

void Hub::handle(ClientConnection *connection, const ClientMessage &message,
                 const EntityPatchRequest &request)
{
    const QString ref = message.id.isEmpty() ? message.type : message.id;
    submitEntityPatch(connection->userId(), message.cid, request, replyTo(connection, ref));
}

void Hub::submitEntityPatch(const QString &userId, const QString &cid, const EntityPatchRequest &request,
                            AppendReply reply)
{
    if (auto member = requireMember(request.roomId, userId); !member) {
        reply(unexpected(member.error()));
        return;
    }
    NewEvent event;
    event.roomId = request.roomId;
    event.id = newMessageId();
    event.type = MessageType::EntityChanged;
    event.userId = userId;
    event.cid = cid;
    event.ts = m_clock.nowUtc();
    EntityWrite write;
    write.entity = request.entity;
    write.baseVersion = request.baseVersion;
    write.patch = request.patch;
    write.hlc = request.hlc;
    if (request.entity.kind == EntityKind::Message) {
        // A message is changed by its author; the room's owner moderates.
        write.authorize = [userId](const EntityState &current, const QString &author,
                                   const QString &roomOwner) -> Result<void> {
            if (userId != author && userId != roomOwner)
                return fail(ErrorCode::Forbidden, QStringLiteral("only the author or the room's owner may "
                                                                 "change this message"));
            if (current.value.value(QLatin1String("deleted")).toBool())
                return fail(ErrorCode::NotFound, QStringLiteral("the message was deleted"));
            return {};
        };
    }
    event.entityWrite = std::move(write);
    queueAppend(std::move(event), std::move(reply));
}

Result<EntityState> Hub::entityState(const QString &userId, const QString &roomId, const EntityKey &entity)
{
    if (auto member = requireMember(roomId, userId); !member)
        return unexpected(member.error());
    return m_storage.findEntity(roomId, entity);
}

// ---- Presence of a room ---------------------------------------------------------------------

PresenceStatus Hub::roomPresenceOf(const RoomState &state, const QString &userId) const
{
    PresenceStatus status = PresenceStatus::Offline;
    if (state.presentUsers.value(userId) > 0)
        status = presenceOf(userId);
    for (const PresenceStatus remote : state.remotePresence.value(userId)) {
        if (remote == PresenceStatus::Online || status == PresenceStatus::Online)
            return PresenceStatus::Online;
        status = PresenceStatus::Away;
    }
    return status;
}

void Hub::updatePresence(const QString &roomId, const QString &userId, bool publish)
{
    auto it = m_rooms.find(roomId);
    if (it == m_rooms.end())
        return;
    const PresenceStatus now = roomPresenceOf(*it, userId);
    if (now != it->shownPresence.value(userId, PresenceStatus::Offline)) {
        if (now == PresenceStatus::Offline)
            it->shownPresence.remove(userId);
        else
            it->shownPresence.insert(userId, now);
        broadcastPresence(userId, roomId, now);
    }
    if (publish)
        publishPresence(roomId, userId);
}

// ---- The cluster -----------------------------------------------------------------------------
// Bus messages are one kind byte and a body: E a stored event's envelope, T a typing update, C a
// cursor (its latest-wins key, 0x1f, the envelope), P one instance's leases of a user in the
// room, D a stored document update (its id, newline, the update), A a document awareness update,
// S how far the room's stored events go (after a reconnection: catch up from the store to there).

namespace {

/// A stored event back from its envelope, as another instance encoded it.
std::optional<StoredEvent> storedEventFrom(const QByteArray &encoded)
{
    const QJsonObject json = QJsonDocument::fromJson(encoded).object();
    StoredEvent event;
    event.roomId = json.value(QLatin1String("room")).toString();
    event.seq = json.value(QLatin1String("seq")).toInteger();
    event.id = json.value(QLatin1String("id")).toString();
    event.type = json.value(QLatin1String("type")).toString();
    event.cid = json.value(QLatin1String("cid")).toString();
    event.payload = json.value(QLatin1String("payload")).toObject();
    event.userId = event.payload.value(QLatin1String("userId")).toString();
    if (event.roomId.isEmpty() || event.seq <= 0 || event.type.isEmpty())
        return std::nullopt;
    return event;
}

} // namespace

void Hub::attachBus(RoomBus *bus)
{
    m_bus = bus;
    connect(bus, &RoomBus::received, this, &Hub::onBusMessage);
    connect(bus, &RoomBus::subscribed, this, &Hub::onBusSubscribed);
    connect(bus, &RoomBus::connectedChanged, this, [this](bool connected) {
        // Back after an outage: the leases may have expired meanwhile. The rooms catch up as
        // their channels come back (onBusSubscribed).
        if (!connected)
            return;
        refreshLeases();
        // Rooms this instance stored events in during the outage but does not subscribe to:
        // the others learn how far to catch up (the subscribed ones say so in onBusSubscribed).
        for (auto it = m_unpublished.cbegin(); it != m_unpublished.cend(); ++it) {
            if (!m_busRooms.contains(it.key()))
                m_bus->publish(it.key(), 'S' + QByteArray::number(it.value()));
        }
        m_unpublished.removeIf([this](const auto &entry) { return !m_busRooms.contains(entry.key()); });
    });
    // Leases are renewed at a third of their life, so one lost renewal does not expire them; the
    // rooms' leases are read as often, which is how another instance's death shows.
    m_leaseTimer.setInterval(std::max(100, m_config.bus.leaseTtlMs / 3));
    connect(&m_leaseTimer, &QTimer::timeout, this, [this] {
        refreshLeases();
        for (auto it = m_rooms.cbegin(); it != m_rooms.cend(); ++it)
            readRemotePresence(it.key());
    });
    m_leaseTimer.start();

    // One compaction of a document at a time in the whole cluster, at most one per lock period.
    constexpr int CompactionLockMs = 10000;
    m_documents.setShared([this](const QString &roomId, std::function<void()> proceed) {
        m_bus->tryLock(QStringLiteral("tandem:compact:") + roomId, CompactionLockMs,
                       [documents = QPointer<DocumentHost>(&m_documents), proceed = std::move(proceed)] {
                           if (documents)
                               proceed();
                       });
    });
    connect(&m_documents, &DocumentHost::loadedChanged, this, &Hub::syncBusSubscription);
    connect(&m_documents, &DocumentHost::updateStored, this,
            [this](const QString &roomId, qint64 updateId, const QByteArray &update) {
                m_bus->publish(roomId, 'D' + QByteArray::number(updateId) + '\n' + update);
            });
    connect(
        &m_documents, &DocumentHost::awarenessChanged, this,
        [this](const QString &roomId, const QByteArray &update) { m_bus->publish(roomId, 'A' + update); });
}

void Hub::syncBusSubscription(const QString &roomId)
{
    if (!m_bus)
        return;
    const bool wanted = m_rooms.contains(roomId) || m_documents.isLoaded(roomId);
    if (wanted == m_busRooms.contains(roomId))
        return;
    if (wanted) {
        m_busRooms.insert(roomId);
        m_bus->subscribe(roomId);
    } else {
        m_busRooms.remove(roomId);
        m_bus->unsubscribe(roomId);
    }
}

void Hub::onBusSubscribed(const QString &roomId)
{
    if (!isValidRoomId(roomId))
        return; // another part of the server's channel (HTTP sessions), not a room
    // Whatever was published before the channel was live (or during an outage) is in the store.
    catchUp(roomId, std::numeric_limits<qint64>::max());
    m_documents.catchUp(roomId);
    readRemotePresence(roomId);
    // And the other way round: what this instance stored while its own link was down (or was
    // published into a link that then died) reached no one. Saying how far the room goes lets
    // the others catch up from the store, even if no later event would show them the gap.
    qint64 through = m_unpublished.take(roomId);
    if (const auto room = m_rooms.constFind(roomId); room != m_rooms.cend())
        through = std::max(through, room->deliveredSeq);
    if (through > 0)
        m_bus->publish(roomId, 'S' + QByteArray::number(through));
}

void Hub::onBusMessage(const QString &roomId, const QByteArray &message)
{
    if (message.isEmpty() || !isValidRoomId(roomId))
        return;
    const char kind = message.front();
    const QByteArray body = message.mid(1);
    switch (kind) {
    case 'E':
        if (const auto event = storedEventFrom(body); event && event->roomId == roomId)
            deliverStored(*event, QString::fromUtf8(body));
        return;
    case 'S':
        if (const auto room = m_rooms.constFind(roomId); room != m_rooms.cend()) {
            const qint64 through = body.toLongLong();
            if (through > room->deliveredSeq)
                catchUp(roomId, through);
        }
        return;
    case 'T':
        if (const auto room = m_rooms.constFind(roomId); room != m_rooms.cend()) {
            const QString text = QString::fromUtf8(body);
            const auto subscribers = room->subscribers;
            for (ClientConnection *subscriber : subscribers)
                subscriber->send(text, Delivery::Droppable);
            m_metrics.deliveries += static_cast<quint64>(subscribers.size());
        }
        return;
    case 'C':
        if (const auto room = m_rooms.constFind(roomId); room != m_rooms.cend()) {
            const qsizetype separator = body.indexOf('\x1f');
            if (separator < 0)
                return;
            const QString key = QString::fromUtf8(body.left(separator));
            const QString text = QString::fromUtf8(body.mid(separator + 1));
            const auto subscribers = room->subscribers;
            for (ClientConnection *subscriber : subscribers)
                subscriber->sendLatest(key, text);
            m_metrics.deliveries += static_cast<quint64>(subscribers.size());
        }
        return;
    case 'P': {
        const QJsonObject json = QJsonDocument::fromJson(body).object();
        const QString instance = json.value(QLatin1String("instance")).toString();
        const QString userId = json.value(QLatin1String("userId")).toString();
        auto room = m_rooms.find(roomId);
        if (room == m_rooms.end() || instance.isEmpty() || userId.isEmpty())
            return;
        QHash<QString, PresenceStatus> &leases = room->remotePresence[userId];
        leases.removeIf([&](const auto &lease) { return lease.key().startsWith(instance + u':'); });
        const QJsonObject listed = json.value(QLatin1String("leases")).toObject();
        for (auto it = listed.constBegin(); it != listed.constEnd(); ++it)
            leases.insert(instance + u':' + it.key(), it.value().toString() == QLatin1String("online")
                                                          ? PresenceStatus::Online
                                                          : PresenceStatus::Away);
        if (leases.isEmpty())
            room->remotePresence.remove(userId);
        updatePresence(roomId, userId, false);
        return;
    }
    case 'D': {
        const qsizetype newline = body.indexOf('\n');
        bool ok = false;
        const qint64 updateId = body.left(newline).toLongLong(&ok);
        if (newline > 0 && ok)
            m_documents.applyRemoteUpdate(roomId, updateId, body.mid(newline + 1));
        return;
    }
    case 'A':
        m_documents.applyRemoteAwareness(roomId, body);
        return;
    default:
        qCDebug(lcHub) << "ignored a bus message of unknown kind" << kind << "in" << roomId;
    }
}

void Hub::deliverStored(const StoredEvent &event, const QString &text)
{
    const auto room = m_rooms.constFind(event.roomId);
    if (room == m_rooms.cend()) {
        // Nobody here has the room open (a canvas op from a member who did not join): only the
        // loaded canvas, if any, learns of it, as on a single instance.
        if (event.type == MessageType::CanvasChanged)
            m_canvases.stored(event);
        return;
    }
    if (event.seq <= room->deliveredSeq)
        return; // already delivered: from the store after a gap, or our own echo
    if (event.seq > room->deliveredSeq + 1) {
        // Seqs are committed in order per room, so the store holds every one before this.
        catchUp(event.roomId, event.seq - 1);
        const auto after = m_rooms.constFind(event.roomId);
        if (after == m_rooms.cend() || event.seq <= after->deliveredSeq)
            return;
    }
    if (event.type == MessageType::CanvasChanged)
        m_canvases.stored(event);
    sendStored(event.roomId, event.seq, text);
}

void Hub::catchUp(const QString &roomId, qint64 throughSeq)
{
    for (;;) {
        const auto room = m_rooms.constFind(roomId);
        if (room == m_rooms.cend() || room->deliveredSeq >= throughSeq)
            return;
        constexpr int Page = 500;
        const auto events = m_storage.eventsAfter(roomId, room->deliveredSeq, Page);
        if (!events) {
            qCWarning(lcHub) << "cannot catch up on" << roomId << ":" << events.error().message;
            return;
        }
        for (const StoredEvent &event : *events) {
            if (event.seq > throughSeq)
                return;
            if (event.type == MessageType::CanvasChanged)
                m_canvases.stored(event);
            sendStored(roomId, event.seq, QString::fromUtf8(envelopeOf(event).encode()));
        }
        if (events->size() < Page)
            return;
    }
}

void Hub::sendStored(const QString &roomId, qint64 seq, const QString &text)
{
    auto room = m_rooms.find(roomId);
    if (room == m_rooms.end())
        return;
    room->deliveredSeq = seq;
    const auto subscribers = room->subscribers;
    const auto caughtUp = room->caughtUp;
    for (ClientConnection *subscriber : subscribers) {
        if (caughtUp.value(subscriber) < seq) {
            subscriber->send(text, Delivery::Required);
            ++m_metrics.deliveries;
        }
    }
}

QString Hub::leaseKey(const ClientConnection *connection, const QString &roomId) const
{
    // Room and user ids hold no ':', the instance id neither; the connection is its address here.
    return QStringLiteral("tandem:presence:%1:%2:%3:%4")
        .arg(roomId, connection->userId(), m_bus->instanceId(),
             QString::number(reinterpret_cast<quintptr>(connection), 16));
}

QString Hub::leaseGroup(const QString &roomId)
{
    return QStringLiteral("tandem:presence-index:") + roomId;
}

void Hub::writeLease(const ClientConnection *connection, const QString &roomId)
{
    if (m_bus)
        m_bus->setLease(leaseGroup(roomId), leaseKey(connection, roomId),
                        presenceName(presenceOf(connection->userId())).toUtf8(), m_config.bus.leaseTtlMs);
}

void Hub::refreshLeases()
{
    for (auto room = m_rooms.cbegin(); room != m_rooms.cend(); ++room) {
        for (const ClientConnection *subscriber : room->subscribers)
            writeLease(subscriber, room.key());
    }
}

void Hub::readRemotePresence(const QString &roomId)
{
    if (!m_bus || !m_rooms.contains(roomId))
        return;
    const QString prefix = QStringLiteral("tandem:presence:%1:").arg(roomId);
    m_bus->readLeases(leaseGroup(roomId), [this, hub = QPointer<Hub>(this), roomId,
                                           prefix](const QHash<QString, QByteArray> &leases) {
        // The bus outlives the hub: an answer may come after the hub is gone.
        if (!hub)
            return;
        auto room = m_rooms.find(roomId);
        if (room == m_rooms.end())
            return;
        const QString own = m_bus->instanceId();
        QHash<QString, QHash<QString, PresenceStatus>> remote;
        for (auto it = leases.cbegin(); it != leases.cend(); ++it) {
            // <user>:<instance>:<connection>, after the prefix.
            const QStringList parts = it.key().mid(prefix.size()).split(u':');
            if (parts.size() != 3 || parts.at(1) == own)
                continue;
            remote[parts.at(0)].insert(parts.at(1) + u':' + parts.at(2), it.value() == "online"
                                                                             ? PresenceStatus::Online
                                                                             : PresenceStatus::Away);
        }
        QSet<QString> users(room->remotePresence.keyBegin(), room->remotePresence.keyEnd());
        for (auto it = remote.cbegin(); it != remote.cend(); ++it)
            users.insert(it.key());
        room->remotePresence = std::move(remote);
        for (const QString &userId : std::as_const(users))
            updatePresence(roomId, userId, false);
    });
}

void Hub::publishPresence(const QString &roomId, const QString &userId)
{
    if (!m_bus)
        return;
    QJsonObject leases;
    for (const ClientConnection *connection : m_connectionsByUser.value(userId)) {
        if (connection->rooms().contains(roomId))
            leases.insert(QString::number(reinterpret_cast<quintptr>(connection), 16),
                          presenceName(presenceOf(userId)));
    }
    const QJsonObject message{{QStringLiteral("instance"), m_bus->instanceId()},
                              {QStringLiteral("userId"), userId},
                              {QStringLiteral("leases"), leases}};
    m_bus->publish(roomId, 'P' + QJsonDocument(message).toJson(QJsonDocument::Compact));
}

} // namespace tandem::server
