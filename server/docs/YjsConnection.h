#pragma once
// One plain y-websocket client on GET /yjs/<roomId> (docs/PROTOCOL.md,
// "Documents"): binary frames only, one document per connection. It behaves
// like the reference server's connection: a WebSocket ping every 30 s closes a
// peer that did not answer the previous one, and a refusal is the auth message
// [2, 0, reason] with close code 4401, which y-websocket does not retry. It
// also keeps a quiet client from its 30 s "no message received" reconnect.

#include "server/config/ServerConfig.h"
#include "server/docs/DocumentPeer.h"

#include <QObject>
#include <QTimer>

class QWebSocket;

namespace tandem::server {

namespace metrics {
class ServerMetrics;
}

class YjsConnection : public QObject, public DocumentPeer {
    Q_OBJECT

public:
    /// What y-websocket treats as final (4400-4499 stop its reconnect loop).
    static constexpr quint16 ClosePermissionDenied = 4401;

    /// Counts the messages it reads and sends into `metrics`, as transport "yjs".
    YjsConnection(QWebSocket *socket, const ConnectionLimits &limits, const DocumentSettings &settings,
                  metrics::ServerMetrics &metrics, QObject *parent = nullptr);
    ~YjsConnection() override;

    QWebSocket *socket() const { return m_socket; }
    QString token() const;

    /// Admitted: who it is, with which token, on which room's document.
    void admit(const QString &userId, const QByteArray &tokenHash, const QString &roomId);
    bool isAdmitted() const { return !m_userId.isEmpty(); }
    const QString &userId() const { return m_userId; }
    const QByteArray &tokenHash() const { return m_tokenHash; }
    const QString &roomId() const { return m_roomId; }
    /// After disconnected(): the close code, ours or the peer's.
    quint16 closeCode() const;

    /// The auth message with `reason`, then close 4401.
    void refuse(const QString &reason);
    void close(quint16 code, const QString &reason);

    void sendDocumentMessage(const QString &roomId, const QByteArray &message) override;
    void documentMessageRefused(const QString &roomId, const protocol::Error &error) override;

Q_SIGNALS:
    void messageReceived(tandem::server::YjsConnection *connection, const QByteArray &message);
    void disconnected(tandem::server::YjsConnection *connection);

private:
    void send(const QByteArray &message);
    void pingOrDrop();

    QWebSocket *m_socket;
    const ConnectionLimits &m_limits;
    quint64 &m_receivedCount; ///< the "yjs" counters of the metrics
    quint64 &m_sentCount;
    QString m_userId;
    QByteArray m_tokenHash;
    QString m_roomId;
    QTimer m_pingTimer;
    QTimer m_keepaliveTimer;
    bool m_pongSinceLastPing = true;
    bool m_closing = false;
    bool m_closeHandshake = false; ///< a close frame went out or came in (QWebSocket::aboutToClose)
};

} // namespace tandem::server
