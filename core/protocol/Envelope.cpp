#include "core/protocol/Envelope.h"

#include <QJsonDocument>
#include <QUuid>

namespace tandem::protocol {

QJsonObject Envelope::toJson() const
{
    QJsonObject object{
        {QStringLiteral("id"), id},
        {QStringLiteral("type"), type},
        {QStringLiteral("ts"), formatTimestamp(ts)},
        {QStringLiteral("payload"), payload},
    };
    if (!room.isEmpty())
        object.insert(QStringLiteral("room"), room);
    if (seq > 0)
        object.insert(QStringLiteral("seq"), seq);
    if (!cid.isEmpty())
        object.insert(QStringLiteral("cid"), cid);
    return object;
}

QByteArray Envelope::encode() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
}

QString newMessageId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString formatTimestamp(const QDateTime &utc)
{
    return utc.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace tandem::protocol
