#pragma once
// The hub: every authenticated WebSocket, every room with live subscribers,
// and what each client message does. Room events are appended to storage in
// group commits (one transaction per event-loop turn), acknowledged only once
// on disk, then broadcast as bytes encoded once for all subscribers. With a
// RoomBus (several instances, docs/ARCHITECTURE.md "Several instances") it
// also publishes what its clients do, delivers what other instances publish,
// keeps presence leases, and delivers every stored event once, in seq order.

#include "core/common/Clock.h"
#include "core/protocol/ClientMessage.h"
#include "core/protocol/Envelope.h"
#include "server/canvas/CanvasHost.h"
#include "server/config/ServerConfig.h"
#include "server/docs/DocumentHost.h"
#include "server/storage/Storage.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>
#include <map>

class QWebSocket;

namespace tandem::server {

namespace metrics {
class ServerMetrics;
}

class ClientConnection;
class ClientLink;
class RoomBus;
class TokenService;
class YjsConnection;

class Hub : public QObject {
    Q_OBJECT

public:
    /// Counts what it and its connections do into `metrics`, which outlives it.
    Hub(Storage &storage, TokenService &tokens, const ServerConfig &config, const Clock &clock,
        metrics::ServerMetrics &metrics, QObject *parent = nullptr);
    ~Hub() override;

    /// Takes ownership of a socket whose WebSocket handshake has completed.
    void addConnection(QWebSocket *socket);
    /// Takes ownership of a link of another transport (an HTTP session); it authenticates
    /// with an `auth` message like a socket that carried no token.
    ClientConnection *addConnection(ClientLink *link);
    /// Takes ownership of a socket that completed its handshake on /yjs/<roomId>. `roomId` is the
    /// raw path after /yjs/, undecoded as in the reference server; only a valid room id is served.
    void addYjsConnection(QWebSocket *socket, const QString &roomId);
    DocumentHost &documents() { return m_documents; }
    /// Joins the cluster through `bus`, which outlives the hub. Without it the hub serves alone.
    void attachBus(RoomBus *bus);
    /// Flushes pending appends and closes every socket with 1001.
    void shutdown();
    int connectionCount() const { return static_cast<int>(m_connections.size() + m_yjsConnections.size()); }
    /// Live connections by transport ("websocket", "sse", "polling", "yjs"), for the metrics.
    std::map<QString, int> connectionsByTransport() const;
    const CanvasHost &canvases() const { return m_canvases; }
    /// For the HTTP handlers that enforce limits of their own (failed logins, the HTTP transports).
    metrics::ServerMetrics &metrics() { return m_metrics; }
    /// Closes every socket authenticated with this token (after logout) with 4001.
    void closeSessionsOfToken(const QByteArray &tokenHash);

    // Shared by the WebSocket protocol and the REST API, so both answer alike.
    protocol::Result<QJsonObject> roomList(const QString &userId);
    protocol::Result<QJsonObject> historyPage(const QString &userId, const QString &roomId,
                                              std::optional<qint64> before, int limit);
    protocol::Result<protocol::EntityState> entityState(const QString &userId, const QString &roomId,
                                                        const protocol::EntityKey &entity);

    /// How a stored (or refused) event is answered to whoever submitted it.
    using AppendReply = std::function<void(const Result<AppendResult> &outcome)>;
    /// Queues an entity change for the next group commit; `reply` runs once it
    /// is stored or refused. The stored change is broadcast as entity:changed.
    void submitEntityPatch(const QString &userId, const QString &cid,
                           const protocol::EntityPatchRequest &request, AppendReply reply);

Q_SIGNALS:
    void connectionCountChanged(int count);

private:
    struct RoomState {
        QSet<ClientConnection *> subscribers;
        QHash<QString, int> presentUsers; ///< userId -> subscribed connections of that user
        QSet<QString> knownMembers;       ///< membership cache, filled as checks succeed
        qint64 deliveredSeq = 0;          ///< the newest stored event handed to the subscribers
        /// Per subscriber, the stored events it already has (replayed on join): never sent again.
        QHash<ClientConnection *, qint64> caughtUp;
        /// Other instances' presence leases: userId -> "instance:connection" -> status.
        QHash<QString, QHash<QString, protocol::PresenceStatus>> remotePresence;
        QHash<QString, protocol::PresenceStatus> shownPresence; ///< what the subscribers were told last
    };
    struct PendingAppend {
        NewEvent event;
        AppendReply reply;
    };

    void onText(ClientConnection *connection, const QString &text);
    void onBinary(ClientConnection *connection, const QByteArray &bytes);
    /// A document frame from a session, after its room id was read.
    void receiveDocumentMessage(ClientConnection *connection, const QString &roomId,
                                const QByteArray &message);
    void onDisconnected(ClientConnection *connection);
    void authenticate(ClientConnection *connection, const QString &token, const QString &ref);

    void handle(ClientConnection *c, const protocol::ClientMessage &m, const protocol::AuthRequest &r);
    void handle(ClientConnection *c, const protocol::ClientMessage &m, const protocol::RoomJoinRequest &r);
    void handle(ClientConnection *c, const protocol::ClientMessage &m, const protocol::RoomLeaveRequest &r);
    void handle(ClientConnection *c, const protocol::ClientMessage &m, const protocol::RoomListRequest &r);
    void handle(ClientConnection *c, const protocol::ClientMessage &m, const protocol::ChatSendRequest &r);
    void handle(ClientConnection *c, const protocol::ClientMessage &m, const protocol::TypingRequest &r);
    void handle(ClientConnection *c, const protocol::ClientMessage &m, const protocol::PresenceSetRequest &r);
    void handle(ClientConnection *c, const protocol::ClientMessage &m,
                const protocol::HistoryFetchRequest &r);
    void handle(ClientConnection *c, const protocol::ClientMessage &m, const protocol::PingRequest &r);
    void handle(ClientConnection *c, const protocol::ClientMessage &m, const protocol::CursorMoveRequest &r);
    void handle(ClientConnection *c, const protocol::ClientMessage &m, const protocol::EntityPatchRequest &r);
    void handle(ClientConnection *c, const protocol::ClientMessage &m, const protocol::DocOpenRequest &r);
    void handle(ClientConnection *c, const protocol::ClientMessage &m, const protocol::DocCloseRequest &r);
    void handle(ClientConnection *c, const protocol::ClientMessage &m, const protocol::DocMessageRequest &r);
    void handle(ClientConnection *c, const protocol::ClientMessage &m, const protocol::CanvasOpRequest &r);
    void handle(ClientConnection *c, const protocol::ClientMessage &m, const protocol::CanvasSyncRequest &r);
    /// The reply for a WebSocket sender: ack with the stored event, or the error (with `current` on a
    /// conflict).
    AppendReply replyTo(ClientConnection *connection, const QString &ref);
    void queueAppend(NewEvent event, AppendReply reply);
    /// A room event by the connection's user, from its message (cid), with `roomId` and `userId` added to
    /// `payload`.
    NewEvent newRoomEvent(const ClientConnection *connection, const protocol::ClientMessage &message,
                          const QString &roomId, QLatin1StringView type, QJsonObject payload) const;

    /// Membership of a stored room; NotFound / Forbidden as typed errors.
    protocol::Result<void> requireMember(const QString &roomId, const QString &userId);
    /// The connection must have joined the room (for ephemeral room traffic).
    bool requireSubscribed(ClientConnection *connection, const QString &roomId, const QString &ref);
    void unsubscribe(ClientConnection *connection, const QString &roomId);
    void setTyping(ClientConnection *connection, const QString &roomId, bool typing);

    void flushAppends();
    /// Closes the connections past their authentication or idle deadline. One timer for all of
    /// them: Qt 6.4 keeps timers in one sorted list, so a QTimer per connection, restarted on
    /// every message, cost a linear insert among N timers per message and ~0.5 KiB each.
    void sweepDeadlines();
    void broadcast(const QString &roomId, const protocol::Envelope &envelope, ClientConnection *except,
                   bool droppable);
    /// Aggregate over the user's connections: online if any is online, away if all are away.
    protocol::PresenceStatus presenceOf(const QString &userId) const;
    void broadcastPresence(const QString &userId, const QString &roomId, protocol::PresenceStatus status);
    void broadcastPresenceToUserRooms(const QString &userId, protocol::PresenceStatus before);
    /// Sends stored events after `since`; returns the seq of the last one sent (`since` if none).
    qint64 replay(ClientConnection *connection, const QString &roomId, qint64 since);

    // Presence of a room: this instance's connections plus the other instances' leases.
    protocol::PresenceStatus roomPresenceOf(const RoomState &state, const QString &userId) const;
    /// Tells the room's subscribers the user's presence if it changed, and the other instances.
    void updatePresence(const QString &roomId, const QString &userId, bool publish = true);

    // The cluster (all no-ops without a bus).
    /// Hands a stored event to the room's subscribers once, in seq order: past a gap (an event
    /// of another instance not yet heard, or lost in an outage) the missing ones come from the store.
    void deliverStored(const StoredEvent &event, const QString &text);
    /// Delivers what the store holds past the room's deliveredSeq, up to `throughSeq`.
    void catchUp(const QString &roomId, qint64 throughSeq);
    void sendStored(const QString &roomId, qint64 seq, const QString &text);
    /// Subscribes the bus to a room while it has subscribers or an open document here.
    void syncBusSubscription(const QString &roomId);
    void onBusMessage(const QString &roomId, const QByteArray &message);
    void onBusSubscribed(const QString &roomId);
    QString leaseKey(const ClientConnection *connection, const QString &roomId) const;
    /// The set that lists a room's lease keys.
    static QString leaseGroup(const QString &roomId);
    void writeLease(const ClientConnection *connection, const QString &roomId);
    void refreshLeases();
    /// Reads the room's leases and tells the subscribers what changed (expired leases included).
    void readRemotePresence(const QString &roomId);
    void publishPresence(const QString &roomId, const QString &userId);

    Storage &m_storage;
    TokenService &m_tokens;
    const ServerConfig &m_config;
    const Clock &m_clock;
    metrics::ServerMetrics &m_metrics;
    protocol::DecodeLimits m_decodeLimits;
    QSet<ClientConnection *> m_connections;
    QHash<QString, QList<ClientConnection *>> m_connectionsByUser; ///< authenticated only
    QHash<QString, RoomState> m_rooms;                             ///< rooms with at least one subscriber
    QList<PendingAppend> m_pendingAppends;
    QTimer m_flushTimer;
    QTimer m_deadlineSweep;
    DocumentHost m_documents;
    CanvasHost m_canvases;
    QSet<YjsConnection *> m_yjsConnections; ///< plain y-websocket connections on /yjs
    RoomBus *m_bus = nullptr;
    QSet<QString> m_busRooms; ///< rooms the bus is subscribed to
    /// Rooms whose events were stored while the bus was down: roomId -> the last seq stored.
    QHash<QString, qint64> m_unpublished;
    QTimer m_leaseTimer;
};

} // namespace tandem::server
