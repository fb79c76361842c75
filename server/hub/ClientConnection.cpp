#include "server/hub/ClientConnection.h"

#include "core/crdt/Lib0Encoder.h"
#include "core/protocol/MessageType.h"
#include "core/protocol/ServerMessage.h"
#include "server/hub/HubLog.h"
#include "server/metrics/ServerMetrics.h"

namespace tandem::server {

using protocol::CloseCode;

ClientConnection::ClientConnection(ClientLink *link, const ConnectionLimits &limits, const Clock &clock,
                                   metrics::ServerMetrics &metrics, QObject *parent)
    : QObject(parent)
    , m_link(link)
    , m_limits(limits)
    , m_clock(clock)
    , m_metrics(metrics)
    , m_receivedCount(metrics.messagesReceived[link->transportName()])
    , m_sentCount(metrics.messagesSent[link->transportName()])
    , m_messageBucket(clock, limits.messagesPerSecond, limits.burst)
    , m_cursorBucket(clock, limits.cursorMovesPerSecond, limits.cursorBurst)
    , m_strikeBucket(clock, 1.0, limits.rateLimitStrikes)
    , m_authDeadlineMs(clock.monotonicMs() + limits.authTimeoutMs)
    , m_lastActivityMs(clock.monotonicMs())
{
    m_link->setParent(this);
    connect(m_link, &ClientLink::textReceived, this, [this](const QString &text) {
        ++m_receivedCount;
        noteActivity();
        Q_EMIT textReceived(this, text);
    });
    connect(m_link, &ClientLink::binaryReceived, this, [this](const QByteArray &bytes) {
        ++m_receivedCount;
        noteActivity();
        Q_EMIT binaryReceived(this, bytes);
    });
    connect(m_link, &ClientLink::activity, this, [this] { noteActivity(); });
    connect(m_link, &ClientLink::bytesWritten, this, [this] { sendHeldWhileBelowSoftLimit(); });
    connect(m_link, &ClientLink::disconnected, this, [this] {
        m_closing = true;
        m_heldLatest.clear();
        Q_EMIT disconnected(this);
    });
}

ClientConnection::~ClientConnection() = default;

void ClientConnection::markAuthenticated(const QString &userId, const QByteArray &tokenHash)
{
    m_userId = userId;
    m_tokenHash = tokenHash;
    m_authDeadlineMs = -1;
}

bool ClientConnection::admitMessage(MessageClass kind)
{
    if ((kind == MessageClass::CursorMove ? m_cursorBucket : m_messageBucket).tryPour())
        return true;
    ++m_metrics.refusals[kind == MessageClass::CursorMove ? QStringLiteral("cursor_rate")
                                                          : QStringLiteral("message_rate")];
    if (!m_strikeBucket.tryPour())
        close(protocol::ClosePolicy, QStringLiteral("rate limit exceeded repeatedly"));
    return false;
}

bool ClientConnection::admitOutgoing(Delivery delivery)
{
    if (m_closing)
        return false;
    qint64 queued = m_link->bytesToWrite();
    if (queued > m_limits.outgoingSoftLimitBytes) {
        // Qt writes to the kernel once per event-loop turn, so a burst queues up even for a fast
        // reader. Flushing hands the kernel what it will take now; what remains is a real backlog.
        m_link->flush();
        queued = m_link->bytesToWrite();
    }
    if (queued > m_limits.outgoingHardLimitBytes) {
        // QWebSocket never refuses a write; without this a stalled reader grows server memory without bound.
        qCWarning(lcHub) << "closing" << m_userId << ": outgoing queue at" << queued << "bytes";
        close(protocol::CloseTryAgainLater, QStringLiteral("too slow; resume with since"));
        return false;
    }
    return delivery == Delivery::Required || queued <= m_limits.outgoingSoftLimitBytes;
}

void ClientConnection::send(const QString &text, Delivery delivery)
{
    if (admitOutgoing(delivery)) {
        m_link->sendText(text);
        ++m_sentCount;
    } else if (delivery == Delivery::Droppable && !m_closing) {
        // Droppable traffic without a key is typing; cursors go through sendLatest().
        countDropped(QStringLiteral("typing"));
    }
}

void ClientConnection::sendLatest(const QString &key, const QString &text)
{
    if (admitOutgoing(Delivery::Droppable)) {
        // Anything held for this key is older than this message.
        if (m_heldLatest.remove(key))
            countDropped(QStringLiteral("cursor"));
        m_link->sendText(text);
        ++m_sentCount;
        return;
    }
    if (m_closing)
        return;
    const auto held = m_heldLatest.find(key);
    if (held != m_heldLatest.end()) {
        *held = text; // the older one is dropped
        countDropped(QStringLiteral("cursor"));
    } else if (m_heldLatest.size() < MaxHeldKeys) {
        if (m_heldLatest.isEmpty())
            qCInfo(lcHub) << "holding latest-only messages for" << m_userId << ": outgoing queue at"
                          << m_link->bytesToWrite() << "bytes";
        m_heldLatest.insert(key, text);
    } else {
        countDropped(QStringLiteral("cursor")); // memory stays bounded: one message per key, this many keys
    }
}

void ClientConnection::sendHeldWhileBelowSoftLimit()
{
    // admitOutgoing() may flush, and a flush may report bytes written from inside this call.
    if (m_heldLatest.isEmpty() || m_sendingHeld || m_closing)
        return;
    m_sendingHeld = true;
    while (!m_heldLatest.isEmpty() && m_link->bytesToWrite() <= m_limits.outgoingSoftLimitBytes) {
        const auto first = m_heldLatest.begin();
        const QString text = first.value();
        m_heldLatest.erase(first);
        m_link->sendText(text);
        ++m_sentCount;
    }
    if (m_heldLatest.isEmpty())
        qCDebug(lcHub) << "sent the held latest-only messages for" << m_userId << "; outgoing queue at"
                       << m_link->bytesToWrite() << "bytes, dropped so far" << m_droppedCount;
    m_sendingHeld = false;
}

void ClientConnection::sendBinary(const QByteArray &bytes, Delivery delivery)
{
    if (admitOutgoing(delivery)) {
        m_link->sendBinary(bytes);
        ++m_sentCount;
    }
}

void ClientConnection::sendDocumentMessage(const QString &roomId, const QByteArray &message)
{
    if (!m_link->supportsBinary() || m_openDocuments.value(roomId) == protocol::DocumentEncoding::Base64) {
        protocol::Envelope envelope =
            protocol::makeEnvelope(protocol::MessageType::DocMessage,
                                   {{QStringLiteral("roomId"), roomId},
                                    {QStringLiteral("data"), QString::fromLatin1(message.toBase64())}},
                                   m_clock.nowUtc());
        envelope.room = roomId;
        sendEnvelope(envelope);
        return;
    }
    crdt::Lib0Encoder frame;
    frame.writeVarString(roomId);
    frame.writeRaw(message);
    sendBinary(frame.data());
}

void ClientConnection::documentMessageRefused(const QString &roomId, const protocol::Error &error)
{
    // The refused message may have come in binary, without an id: the room says which document.
    sendEnvelope(protocol::makeError(error, QString(protocol::MessageType::DocMessage), m_clock.nowUtc(),
                                     {{QStringLiteral("roomId"), roomId}}));
}

void ClientConnection::sendEnvelope(const protocol::Envelope &envelope, Delivery delivery)
{
    send(QString::fromUtf8(envelope.encode()), delivery);
}

void ClientConnection::sendError(const protocol::Error &error, const QString &ref)
{
    sendEnvelope(protocol::makeError(error, ref, m_clock.nowUtc()));
}

void ClientConnection::close(CloseCode code, const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_closeCode = code;
    m_heldLatest.clear();
    m_link->close(code, reason);
}

quint16 ClientConnection::closeCode() const
{
    return m_closeCode != 0 ? m_closeCode : m_link->closeCode();
}

void ClientConnection::countDropped(const QString &kind)
{
    ++m_droppedCount;
    ++m_metrics.dropped[kind];
}

bool ClientConnection::isAuthenticationOverdue(qint64 nowMs) const
{
    return m_authDeadlineMs >= 0 && nowMs >= m_authDeadlineMs;
}

bool ClientConnection::isIdleOverdue(qint64 nowMs) const
{
    return nowMs - m_lastActivityMs >= m_limits.idleTimeoutMs;
}

bool ClientConnection::isOverdue(qint64 nowMs) const
{
    return !m_closing && (isAuthenticationOverdue(nowMs) || isIdleOverdue(nowMs));
}

void ClientConnection::closeIfOverdue(qint64 nowMs)
{
    if (m_closing)
        return;
    if (isAuthenticationOverdue(nowMs)) {
        qCInfo(lcHub) << "closing" << m_link->peerAddress().toString() << ": no authentication in time";
        close(protocol::CloseAuthFailed, QStringLiteral("authentication timeout"));
    } else if (isIdleOverdue(nowMs)) {
        qCInfo(lcHub) << "closing" << m_userId << ": silent for" << m_limits.idleTimeoutMs << "ms";
        close(protocol::CloseHeartbeatTimeout, QStringLiteral("idle timeout"));
    }
}

void ClientConnection::noteActivity()
{
    m_lastActivityMs = m_clock.monotonicMs();
}

} // namespace tandem::server
