#include "server/streaming/HttpSession.h"

#include "core/protocol/MessageType.h"
#include "server/streaming/ResumeCursor.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

namespace tandem::server::streaming {

namespace {
/// A peer that stopped reading cannot keep a closing stream open past this.
constexpr int StreamCloseDeadlineMs = 5000;
/// A heartbeat counts as a sign of life while the peer keeps taking what it is sent.
constexpr qint64 LiveBacklogBytes = 64 * 1024;
} // namespace

HttpSession::HttpSession(QString id, Kind kind, QHostAddress peer, OutgoingEnvelopeReader &reader,
                         QObject *parent)
    : ClientLink(parent)
    , m_reader(reader)
    , m_id(std::move(id))
    , m_kind(kind)
    , m_peer(std::move(peer))
{}

HttpSession::~HttpSession()
{
    if (m_stream)
        m_stream->abort();
}

QString HttpSession::cursor() const
{
    return ResumeCursor::format(m_id, m_position, m_roomsPart);
}

QString HttpSession::transportName() const
{
    return m_kind == Kind::Stream ? QStringLiteral("sse") : QStringLiteral("polling");
}

void HttpSession::receive(const QString &text)
{
    if (!m_ending)
        Q_EMIT textReceived(text);
}

void HttpSession::attachStream(QTcpSocket *socket, int heartbeatIntervalMs, int retryMs)
{
    Q_ASSERT(m_kind == Kind::Stream && !m_stream);
    m_stream = socket;
    socket->setParent(this);
    connect(socket, &QTcpSocket::readyRead, this, [socket] {
        socket->skip(socket->bytesAvailable()); // a stream is one-way; nothing the client sends matters
    });
    connect(socket, &QTcpSocket::bytesWritten, this, &ClientLink::bytesWritten);
    connect(socket, &QTcpSocket::disconnected, this, [this] {
        // The client went away: nothing more is written to this socket.
        end({protocol::CloseGoingAway, QStringLiteral("the event stream ended")});
    });
    connect(&m_heartbeat, &QTimer::timeout, this, [this] {
        writeToStream(": heartbeat\n\n");
        if (m_stream && m_stream->bytesToWrite() < LiveBacklogBytes)
            Q_EMIT activity();
    });
    m_heartbeat.start(heartbeatIntervalMs);

    const QJsonObject session{{QStringLiteral("session"), m_id}};
    writeToStream("retry: " + QByteArray::number(retryMs) + "\n\nevent: session\nid: " + cursor().toUtf8() +
                  "\ndata: " + QJsonDocument(session).toJson(QJsonDocument::Compact) + "\n\n");
}

void HttpSession::acknowledge(qint64 position)
{
    bool forgotten = false;
    while (!m_unacknowledged.empty() && m_unacknowledged.front().position <= position) {
        const Entry &entry = m_unacknowledged.front();
        m_unacknowledgedBytes -= entry.text.size() + entry.cursor.size();
        m_unacknowledged.pop_front();
        forgotten = true;
    }
    if (forgotten)
        Q_EMIT bytesWritten(); // held latest-only messages (cursors) may go now
}

QList<HttpSession::Entry> HttpSession::entriesAfter(qint64 position, qint64 maxBytes) const
{
    QList<Entry> out;
    qint64 bytes = 0;
    for (const Entry &entry : m_unacknowledged) {
        if (entry.position <= position)
            continue;
        if (!out.isEmpty() && bytes + entry.text.size() > maxBytes)
            break;
        bytes += entry.text.size();
        out.append(entry);
    }
    return out;
}

bool HttpSession::hasEntriesAfter(qint64 position) const
{
    return !m_unacknowledged.empty() && m_unacknowledged.back().position > position;
}

void HttpSession::sendText(const QString &text)
{
    if (m_ending)
        return;
    ++m_position;
    const OutgoingEnvelope &envelope = m_reader.read(text);
    track(envelope);
    Entry entry{m_position, envelope.type, cursor(), text};
    Q_EMIT sent(envelope.type, envelope.ref, text);
    if (m_kind == Kind::Stream) {
        writeToStream("event: " + entry.type.toUtf8() + "\nid: " + entry.cursor.toUtf8() +
                      "\ndata: " + envelope.utf8 + "\n\n");
        return;
    }
    m_unacknowledgedBytes += entry.text.size() + entry.cursor.size();
    m_unacknowledged.push_back(std::move(entry));
    Q_EMIT changed();
}

void HttpSession::track(const OutgoingEnvelope &envelope)
{
    bool roomsChanged = false;
    auto advance = [&](const QString &roomId, qint64 seq) {
        const auto known = m_rooms.find(roomId);
        if (known == m_rooms.end())
            m_rooms.insert(roomId, seq);
        else if (seq > *known)
            *known = seq;
        else
            return;
        roomsChanged = true;
    };
    if (!envelope.joinedRoom.isEmpty()) {
        // Without `since` nothing older is replayed: the client starts from the room's newest event.
        advance(envelope.joinedRoom, envelope.joinedLastSeq);
    } else if (!envelope.leftRoom.isEmpty()) {
        roomsChanged = m_rooms.remove(envelope.leftRoom) > 0;
    } else if (envelope.seq > 0 && !envelope.room.isEmpty()) {
        advance(envelope.room, envelope.seq); // replayed events come before their room:joined
    }
    if (roomsChanged)
        m_roomsPart = ResumeCursor::formatRooms(m_rooms);
}

qint64 HttpSession::bytesToWrite() const
{
    if (m_kind == Kind::Stream)
        return m_stream ? m_stream->bytesToWrite() : 0;
    return m_unacknowledgedBytes;
}

void HttpSession::flush()
{
    if (m_stream)
        m_stream->flush();
}

void HttpSession::close(protocol::CloseCode code, const QString &reason)
{
    if (m_ending)
        return;
    if (m_stream) {
        const QJsonObject closing{{QStringLiteral("code"), int(code)}, {QStringLiteral("reason"), reason}};
        writeToStream("event: close\ndata: " + QJsonDocument(closing).toJson(QJsonDocument::Compact) +
                      "\n\n");
        m_stream->disconnectFromHost(); // after what is queued is written
        QTimer::singleShot(StreamCloseDeadlineMs, m_stream.data(), [stream = m_stream] {
            if (stream)
                stream->abort();
        });
    }
    end({code, reason});
}

void HttpSession::writeToStream(const QByteArray &bytes)
{
    if (m_stream && m_stream->state() == QAbstractSocket::ConnectedState)
        m_stream->write(bytes);
}

void HttpSession::end(const Ending &ending)
{
    if (!m_ending)
        m_ending = ending;
    m_heartbeat.stop();
    Q_EMIT changed();
    if (std::exchange(m_disconnectedSent, true))
        return;
    // Not from inside close(): the connection above is still in the middle of its own call.
    QMetaObject::invokeMethod(this, &ClientLink::disconnected, Qt::QueuedConnection);
}

} // namespace tandem::server::streaming
