#pragma once
// One client session of the HTTP transports (docs/PROTOCOL.md "HTTP
// transports"): the ClientLink the Hub sees instead of a WebSocket. What the
// client sends arrives through POST /send (receive()); what the server sends is
// numbered, stamped with the resume cursor it leads to, and either written at
// once to an SSE stream or kept until a poll acknowledges it. Backpressure
// looks at the stream socket's backlog, or at the bytes not yet acknowledged
// by a poll, so a reader that stops is closed with 1013 like a WebSocket one.

#include "server/hub/ClientLink.h"
#include "server/streaming/OutgoingEnvelope.h"

#include <QMap>
#include <QPointer>
#include <QTimer>
#include <deque>

#include <optional>

class QTcpSocket;

namespace tandem::server::streaming {

class HttpSession : public ClientLink {
    Q_OBJECT

public:
    enum class Kind { Stream, Poll };
    /// One envelope for the client.
    struct Entry {
        qint64 position = 0; ///< 1, 2, 3… per session
        QString type;
        QString cursor; ///< the resume cursor once the client has this entry
        QString text;
    };
    struct Ending {
        int code = 0;
        QString reason;
    };

    /// `reader` (shared by the sessions, outliving them) reads each envelope sent.
    HttpSession(QString id, Kind kind, QHostAddress peer, OutgoingEnvelopeReader &reader,
                QObject *parent = nullptr);
    ~HttpSession() override;

    const QString &id() const { return m_id; }
    Kind kind() const { return m_kind; }
    /// Where the client is once it has everything queued so far.
    QString cursor() const;
    qint64 position() const { return m_position; }
    /// Set once the server ended the session (close()) or the stream's connection ended.
    const std::optional<Ending> &ending() const { return m_ending; }

    /// Hands one client message to the connection above, as if it had arrived on a socket.
    void receive(const QString &text);
    /// A poll or another sign of life that carries no message.
    void noteActivity() { Q_EMIT activity(); }

    // Kind::Stream
    /// Takes ownership of the socket of a GET /events whose response head was written, and writes
    /// the stream's preamble (retry, the session event). Every later entry is written at once.
    void attachStream(QTcpSocket *socket, int heartbeatIntervalMs, int retryMs);

    // Kind::Poll
    /// The client has everything up to `position`: those entries are forgotten.
    void acknowledge(qint64 position);
    /// The entries after `position`, oldest first, at most about `maxBytes` of them (always one).
    QList<Entry> entriesAfter(qint64 position, qint64 maxBytes) const;
    bool hasEntriesAfter(qint64 position) const;

    // ClientLink
    QString transportName() const override;
    QHostAddress peerAddress() const override { return m_peer; }
    void sendText(const QString &text) override;
    qint64 bytesToWrite() const override;
    void flush() override;
    void close(protocol::CloseCode code, const QString &reason) override;

Q_SIGNALS:
    /// An entry was queued, or the session ended: a waiting poll can answer.
    void changed();
    /// Every envelope sent, with the client message id its payload names in `ref` (if any).
    void sent(const QString &type, const QString &ref, const QString &text);

private:
    /// Keeps the rooms' resume seqs up to date.
    void track(const OutgoingEnvelope &envelope);
    void writeToStream(const QByteArray &bytes);
    void end(const Ending &ending);

    OutgoingEnvelopeReader &m_reader;
    QString m_id;
    Kind m_kind;
    QHostAddress m_peer;
    qint64 m_position = 0;
    QMap<QString, qint64> m_rooms;      ///< roomId -> last stored seq queued
    QString m_roomsPart;                ///< ResumeCursor::formatRooms(m_rooms), kept current
    std::deque<Entry> m_unacknowledged; ///< Kind::Poll
    qint64 m_unacknowledgedBytes = 0;
    QPointer<QTcpSocket> m_stream; ///< Kind::Stream
    QTimer m_heartbeat;
    std::optional<Ending> m_ending;
    bool m_disconnectedSent = false;
};

} // namespace tandem::server::streaming
