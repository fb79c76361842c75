#include "server/streaming/OutgoingEnvelope.h"

#include "core/protocol/MessageType.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tandem::server::streaming {

const OutgoingEnvelope &OutgoingEnvelopeReader::read(const QString &text)
{
    // The same shared buffer is the same text: QString data does not change while shared.
    if (!text.isEmpty() && text.constData() == m_lastText.constData() && text.size() == m_lastText.size())
        return m_last;
    m_lastText = text;
    m_last = {};
    m_last.utf8 = text.toUtf8();
    const QJsonObject envelope = QJsonDocument::fromJson(m_last.utf8).object();
    const QJsonObject payload = envelope.value(QLatin1String("payload")).toObject();
    m_last.type = envelope.value(QLatin1String("type")).toString();
    if (m_last.type.isEmpty())
        m_last.type = QStringLiteral("message");
    m_last.room = envelope.value(QLatin1String("room")).toString();
    m_last.seq = envelope.value(QLatin1String("seq")).toInteger();
    m_last.ref = payload.value(QLatin1String("ref")).toString();
    if (m_last.type == protocol::MessageType::RoomJoined) {
        m_last.joinedRoom = payload.value(QLatin1String("roomId")).toString();
        m_last.joinedLastSeq = payload.value(QLatin1String("lastSeq")).toInteger();
    } else if (m_last.type == protocol::MessageType::RoomLeft) {
        m_last.leftRoom = payload.value(QLatin1String("roomId")).toString();
    }
    return m_last;
}

} // namespace tandem::server::streaming
