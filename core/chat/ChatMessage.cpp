#include "core/chat/ChatMessage.h"

namespace tandem::chat {

std::optional<ChatMessage> ChatMessage::fromEnvelope(const QJsonObject &envelope)
{
    const QJsonValue type = envelope.value(QLatin1StringView("type"));
    if (!type.isUndefined() && type.toString() != QLatin1StringView("chat:message"))
        return std::nullopt;
    const QJsonObject payload = envelope.value(QLatin1StringView("payload")).toObject();
    ChatMessage message;
    message.id = envelope.value(QLatin1StringView("id")).toString();
    message.cid = envelope.value(QLatin1StringView("cid")).toString();
    message.seq = envelope.value(QLatin1StringView("seq")).toInteger();
    message.roomId = payload.value(QLatin1StringView("roomId"))
                         .toString(envelope.value(QLatin1StringView("room")).toString());
    message.userId = payload.value(QLatin1StringView("userId")).toString();
    message.text = payload.value(QLatin1StringView("text")).toString();
    message.timestamp =
        QDateTime::fromString(envelope.value(QLatin1StringView("ts")).toString(), Qt::ISODateWithMs).toUTC();
    if (message.id.isEmpty() || message.seq <= 0 || message.roomId.isEmpty())
        return std::nullopt;
    return message;
}

} // namespace tandem::chat
