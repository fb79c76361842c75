#pragma once
// One client connection, over any ClientLink (a WebSocket, or an HTTP session
// read through SSE or polling): its identity once authenticated, its rooms,
// its rate limiter, its deadlines and its outgoing backpressure. The Hub decides
// what a message means; this class decides whether it may be read and
// whether the peer can keep up with what it is sent.

#include "core/common/Clock.h"
#include "core/protocol/ClientMessage.h"
#include "core/protocol/Envelope.h"
#include "server/config/ServerConfig.h"
#include "server/docs/DocumentPeer.h"
#include "server/hub/ClientLink.h"
#include "server/hub/LeakyBucket.h"

#include <QHash>

#include <QObject>
#include <QStringList>

namespace tandem::server {

namespace metrics {
class ServerMetrics;
}

class ClientConnection : public QObject, public DocumentPeer {
    Q_OBJECT

public:
    /// Droppable traffic (typing, cursors) is the first to go when a peer is slow.
    enum class Delivery { Required, Droppable };

    /// Takes ownership of `link`; counts its traffic, drops and refusals into `metrics`.
    ClientConnection(ClientLink *link, const ConnectionLimits &limits, const Clock &clock,
                     metrics::ServerMetrics &metrics, QObject *parent = nullptr);
    ~ClientConnection() override;

    ClientLink *link() const { return m_link; }
    bool isAuthenticated() const { return !m_userId.isEmpty(); }
    const QString &userId() const { return m_userId; }
    const QByteArray &tokenHash() const { return m_tokenHash; }
    void markAuthenticated(const QString &userId, const QByteArray &tokenHash);

    protocol::PresenceStatus status() const { return m_status; }
    void setStatus(protocol::PresenceStatus status) { m_status = status; }

    /// A list, not a set: a connection joins few rooms, and an empty-bucket QSet costs ~1 KiB each.
    QStringList &rooms() { return m_rooms; }
    const QStringList &rooms() const { return m_rooms; }
    QStringList &typingRooms() { return m_typingRooms; }
    /// Rooms whose document is open on this connection, with the encoding it asked for.
    QHash<QString, protocol::DocumentEncoding> &openDocuments() { return m_openDocuments; }

    /// Rate limiting: false when this message must be refused. After too
    /// many refusals in a row the connection is closed with 4008.
    enum class MessageClass { General, CursorMove };
    bool admitMessage(MessageClass kind = MessageClass::General);

    void send(const QString &text, Delivery delivery = Delivery::Required);
    /// Droppable traffic where only the newest value per `key` matters (a user's cursor in a
    /// room). While the peer is behind it is held, one message per key, each replacing the
    /// previous, and sent once the backlog drains: older values are dropped, the latest
    /// always arrives. Required messages keep their order and are never held back.
    void sendLatest(const QString &key, const QString &text);
    /// Droppable messages not sent because the peer was behind (replaced or skipped).
    qint64 droppedCount() const { return m_droppedCount; }
    /// Keys held for one connection at most; beyond it new keys are dropped as typing is.
    static constexpr int MaxHeldKeys = 256;
    void sendBinary(const QByteArray &bytes, Delivery delivery = Delivery::Required);
    void sendEnvelope(const protocol::Envelope &envelope, Delivery delivery = Delivery::Required);
    /// Sends an `error` message (never dropped) referring to the client message `ref`.
    void sendError(const protocol::Error &error, const QString &ref);
    /// Closes once; later calls are ignored.
    void close(protocol::CloseCode code, const QString &reason);
    bool isClosing() const { return m_closing; }
    /// The code the connection ended with: the server's if it closed it, else the transport's
    /// (ClientLink::closeCode()), 0 if neither said.
    quint16 closeCode() const;
    /// Closes with 4001 past the authentication deadline, or with 4000 after idleTimeoutMs of
    /// silence (the peer sent nothing, not even a pong). `nowMs` is the Clock's monotonic time.
    /// Called by the Hub's one sweep timer, not by timers of its own: see Hub::sweepDeadlines().
    void closeIfOverdue(qint64 nowMs);
    bool isOverdue(qint64 nowMs) const;

    /// A document frame: binary (lib0 varString roomId + message) or doc:message in base64.
    void sendDocumentMessage(const QString &roomId, const QByteArray &message) override;
    void documentMessageRefused(const QString &roomId, const protocol::Error &error) override;

Q_SIGNALS:
    void textReceived(tandem::server::ClientConnection *connection, const QString &text);
    void binaryReceived(tandem::server::ClientConnection *connection, const QByteArray &bytes);
    void disconnected(tandem::server::ClientConnection *connection);

private:
    void noteActivity();
    bool isAuthenticationOverdue(qint64 nowMs) const;
    bool isIdleOverdue(qint64 nowMs) const;
    /// Backpressure before a send: false when the message must not be sent (dropped or closed).
    bool admitOutgoing(Delivery delivery);
    /// The socket wrote some of its backlog: send what sendLatest() held, while there is room.
    void sendHeldWhileBelowSoftLimit();
    void countDropped(const QString &kind);

    ClientLink *m_link;
    const ConnectionLimits &m_limits;
    const Clock &m_clock;
    metrics::ServerMetrics &m_metrics;
    quint64 &m_receivedCount; ///< this transport's counters in m_metrics, looked up once
    quint64 &m_sentCount;
    QString m_userId;
    QByteArray m_tokenHash;
    protocol::PresenceStatus m_status = protocol::PresenceStatus::Online;
    QStringList m_rooms;
    QStringList m_typingRooms;
    QHash<QString, protocol::DocumentEncoding> m_openDocuments;
    LeakyBucket m_messageBucket;
    LeakyBucket m_cursorBucket;
    LeakyBucket m_strikeBucket; ///< refusals drain at 1/s; overflowing it means abuse
    qint64 m_authDeadlineMs;    ///< monotonic; -1 once authenticated
    qint64 m_lastActivityMs;    ///< monotonic; the idle timeout counts from here
    bool m_closing = false;
    quint16 m_closeCode = 0;              ///< set when the server closes
    QHash<QString, QString> m_heldLatest; ///< key -> newest message not yet sent
    qint64 m_droppedCount = 0;
    bool m_sendingHeld = false;
};

} // namespace tandem::server
