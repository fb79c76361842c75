#pragma once
// One account's connection to one server (DESIGN.md §2): one transport, one
// state machine, one dedup window, shared by every view. It authenticates,
// keeps the connection alive (heartbeat, backoff), rejoins every joined room
// with `since` after a reconnect, drops duplicates, and routes each server
// message to whoever subscribed to its type.

#include "core/client/Backoff.h"
#include "core/client/ConnectionStateMachine.h"
#include "core/client/DedupWindow.h"
#include "core/client/Heartbeat.h"
#include "core/client/TimerSource.h"
#include "core/client/Transport.h"
#include "core/common/Clock.h"
#include "core/protocol/ErrorCode.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace tandem::client {

struct SessionOptions {
    BackoffPolicy backoff;
    HeartbeatPolicy heartbeat;
    /// Opening the transport; Qt 6.4.2 can hang without it. The default
    /// FallbackTransport's stages share it (FallbackPolicy::forConnectTimeout).
    qint64 connectTimeoutMs = 10000;
    qint64 authTimeoutMs = 10000; ///< from socket open to auth:ok
    int dedupCapacity = 10000;
    int historyPageSize = 50; ///< the page fetched when a room must be reloaded
};

/// What a Session takes from outside. Everything is optional: the defaults are
/// the system clock, Qt timers and a FallbackTransport in Auto mode (WebSocket,
/// else SSE, else polling; its stages share connectTimeoutMs). Tests inject a
/// ManualClock, a ManualTimerSource and a fixed random source.
struct SessionEnvironment {
    const Clock *clock = nullptr;
    TimerSource *timers = nullptr; ///< must outlive the Session
    std::unique_ptr<Transport> transport;
    Backoff::RandomSource random;
};

class Session : public QObject {
    Q_OBJECT

public:
    using State = ConnectionStateMachine::State;
    using Handler = std::function<void(const QJsonObject &message)>;

    /// `serverUrl` is the WebSocket endpoint, e.g. ws://127.0.0.1:7420/ws.
    Session(QUrl serverUrl, QString token, SessionOptions options = {}, SessionEnvironment environment = {},
            QObject *parent = nullptr);
    ~Session() override;

    const ConnectionStateMachine &connection() const { return *m_connection; }
    State state() const { return m_connection->state(); }
    /// True between auth:ok and the connection's end: requests can be sent.
    bool isAuthenticated() const { return m_authenticated; }
    /// From auth:ok; empty before the first one.
    QString userId() const { return m_userId; }
    /// A new token (after the user signed in again); used from the next connect.
    void setToken(const QString &token) { m_token = token; }
    /// Other instances of the same deployment (docs/OPERATIONS.md "Several
    /// instances"): an attempt that fails before auth:ok moves on to the next
    /// URL, in turn, wrapping round; a connection that was working is retried
    /// where it was first. The token is valid on all of them.
    void setAlternativeServers(const QList<QUrl> &urls);
    /// Where the current or next attempt goes.
    QUrl currentServerUrl() const { return m_servers.value(m_serverIndex); }

    void connectToServer();
    /// Closes with 1000 and stops retrying; joined rooms are kept for the next connect.
    void disconnectFromServer();
    /// Reconnect at once ("Retry now" after giving up, or skip the backoff wait).
    void retryNow();
    /// The OS reports the network is back: skip the backoff wait.
    void networkBack();
    /// The app's window is hidden or minimised: a polling transport polls less often.
    void setBackground(bool background);
    /// The transport carrying this session (a FallbackTransport unless the environment gave another).
    Transport &transport() const { return *m_transport; }

    /// Subscribes to a room now (when authenticated) and after every reconnect.
    /// `since` is the last seq the caller already has (e.g. from a local cache).
    protocol::Result<void> joinRoom(const QString &roomId, std::optional<qint64> since = std::nullopt);
    void leaveRoom(const QString &roomId);
    QStringList joinedRooms() const { return m_rooms.keys(); }
    /// True once room:joined arrived on the current connection (replay done, events are live).
    bool isRoomLive(const QString &roomId) const;
    /// The highest seq applied in the room: the `since` of the next rejoin.
    std::optional<qint64> resumeCursor(const QString &roomId) const;

    /// Sends chat:send; returns the cid (generated when `cid` is empty). A
    /// message whose ack never came must be re-sent with the same cid.
    protocol::Result<QString> sendChat(const QString &roomId, const QString &text, const QString &cid = {});
    /// Sends history:fetch; the page arrives as a `history:page` message. Returns the request id.
    protocol::Result<QString> fetchHistory(const QString &roomId, std::optional<qint64> before = std::nullopt,
                                           int limit = 0);
    /// Sends any client message; returns its envelope id (replies name it in `ref`).
    protocol::Result<QString> sendRequest(const QString &type, const QJsonObject &payload,
                                          const QString &cid = {});

    // Documents (PROTOCOL.md "Documents (Yjs)"): one y-websocket message per
    // document frame, a binary frame `varString roomId + message`, or the JSON
    // `doc:message {roomId, data: base64}` where the transport carries text only.
    using DocumentHandler = std::function<void(const QByteArray &message)>;
    /// Sends doc:open now (when authenticated) and after every reconnect, like a joined room.
    protocol::Result<void> openDocument(const QString &roomId);
    /// Sends doc:close and stops reopening the document.
    void closeDocument(const QString &roomId);
    QStringList openDocuments() const { return m_documents; }
    /// Sends one y-websocket message for the room's document; fails when not connected.
    protocol::Result<void> sendDocumentMessage(const QString &roomId, const QByteArray &message);
    /// Calls `handler` with every y-websocket message the server sends for the
    /// room's document, in either form. Returns an id for unsubscribe().
    int subscribeDocument(const QString &roomId, DocumentHandler handler);
    /// The binary document frame (`varString roomId` + message) and its inverse.
    static QByteArray encodeDocumentFrame(const QString &roomId, const QByteArray &message);
    static std::optional<std::pair<QString, QByteArray>> decodeDocumentFrame(const QByteArray &frame);

    /// Calls `handler` for every server message of `type` (all
    /// types when empty), after the Session has applied it. Returns an id for unsubscribe().
    int subscribe(const QString &type, Handler handler);
    void unsubscribe(int subscriptionId);

Q_SIGNALS:
    void stateChanged(tandem::client::ConnectionStateMachine::State state);
    void authenticated(const QString &userId);
    /// 4001: the token is bad, expired or revoked. No retry; show sign-in.
    void authenticationRequired();
    /// The room is subscribed and caught up; `recovered` is false when the gap could not be replayed.
    void roomJoined(const QString &roomId, bool recovered);
    /// The server could not replay what was missed: drop the room's messages and
    /// reload; the newest history page has been requested.
    void roomReloadRequired(const QString &roomId);
    /// Every server message, as the whole envelope; stored events that were already applied are dropped.
    void messageReceived(const QJsonObject &message);
    /// doc:open went out for the room on this connection: the server's first
    /// document frames follow.
    void documentOpening(const QString &roomId);

private:
    struct RoomState {
        std::optional<qint64> cursor; ///< last applied seq
        bool live = false;            ///< room:joined received on this connection
        bool sentSince = false;       ///< the pending join asked for a replay
    };

    void onConnectRequired();
    void onTransportOpened();
    void onTransportClosed(int code, const QString &reason);
    void onTransportMessage(const QByteArray &json);
    void onTransportBinaryMessage(const QByteArray &frame);
    void routeDocument(const QString &roomId, const QByteArray &message);
    void sendDocumentOpen(const QString &roomId);
    void onAuthTimeout();
    void onStateChanged(State state);
    void handleAuthOk(const QJsonObject &payload);
    void handleRoomJoined(const QJsonObject &payload);
    void handleHistoryPage(const QJsonObject &payload);
    /// Dedup and resume cursor of a stored room event; false when it is a
    /// duplicate (by id, or by a seq at or below the room's cursor).
    bool applyRoomEvent(const QJsonObject &message);
    void sendJoin(const QString &roomId);
    void send(const QJsonObject &envelope);
    /// Builds and sends a client message without the authenticated check; returns its id.
    QString post(const QString &type, const QJsonObject &payload, const QString &cid = {});
    void route(const QJsonObject &message);
    void cancelAuthTimer();

    QList<QUrl> m_servers; ///< the first is the one the account was created on
    qsizetype m_serverIndex = 0;
    bool m_attemptAuthenticated = false; ///< the current attempt reached auth:ok
    QString m_token;
    SessionOptions m_options;
    const Clock &m_clock;
    std::unique_ptr<TimerSource> m_ownedTimers;
    TimerSource &m_timers;
    std::unique_ptr<Transport> m_transport;
    std::unique_ptr<ConnectionStateMachine> m_connection;
    std::unique_ptr<Heartbeat> m_heartbeat;
    DedupWindow m_dedup;
    QMap<QString, RoomState> m_rooms;
    std::map<int, std::pair<QString, Handler>> m_subscribers;
    std::map<int, std::pair<QString, DocumentHandler>> m_documentSubscribers;
    QStringList m_documents;
    int m_nextSubscription = 0;
    int m_authTimer = 0;
    bool m_authenticated = false;
    QString m_userId;
};

} // namespace tandem::client
