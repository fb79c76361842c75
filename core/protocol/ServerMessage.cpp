#include "core/protocol/ServerMessage.h"

#include "core/protocol/MessageType.h"

namespace tandem::protocol {

Envelope makeEnvelope(QLatin1StringView type, QJsonObject payload, const QDateTime &now)
{
    Envelope envelope;
    envelope.id = newMessageId();
    envelope.type = type;
    envelope.ts = now;
    envelope.payload = std::move(payload);
    return envelope;
}

Envelope makeError(const Error &error, const QString &ref, const QDateTime &now, const QJsonObject &details)
{
    QJsonObject payload = details;
    payload.insert(QStringLiteral("code"), errorCodeName(error.code));
    payload.insert(QStringLiteral("message"), error.message);
    if (!ref.isEmpty())
        payload.insert(QStringLiteral("ref"), ref);
    return makeEnvelope(MessageType::Error, payload, now);
}

Envelope makeAck(const QString &messageId, const QString &cid, const QString &room, qint64 seq,
                 const QString &ref, const QDateTime &now, const QJsonObject &details)
{
    QJsonObject payload = details;
    payload.insert(QStringLiteral("messageId"), messageId);
    if (!cid.isEmpty())
        payload.insert(QStringLiteral("cid"), cid);
    if (!room.isEmpty())
        payload.insert(QStringLiteral("roomId"), room);
    if (seq > 0)
        payload.insert(QStringLiteral("seq"), seq);
    if (!ref.isEmpty())
        payload.insert(QStringLiteral("ref"), ref);
    return makeEnvelope(MessageType::Ack, payload, now);
}

} // namespace tandem::protocol
