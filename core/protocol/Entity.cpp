#include "core/protocol/Entity.h"

#include "core/protocol/ClientMessage.h"
#include "core/protocol/Envelope.h"

#include <algorithm>

namespace tandem::protocol {

namespace {

const QString RoomKey = QStringLiteral("room");
const QString DocumentKey = QStringLiteral("document");
const QString MessagePrefix = QStringLiteral("message/");

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

Unexpected<Error> badField(const QString &message)
{
    return fail(ErrorCode::BadRequest, message);
}

Result<void> requireOnly(const QJsonObject &patch, std::initializer_list<const char *> allowed)
{
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        const bool known = std::any_of(allowed.begin(), allowed.end(),
                                       [&](const char *name) { return it.key() == QLatin1String(name); });
        if (!known)
            return badField(QStringLiteral("this entity has no field '%1'").arg(it.key().left(64)));
    }
    return {};
}

Result<void> requireText(const QJsonObject &patch, const char *name, int maxLength, bool allowBlank)
{
    const QJsonValue value = patch.value(QLatin1String(name));
    if (!value.isString())
        return badField(QStringLiteral("field '%1' must be a string").arg(QLatin1String(name)));
    if (!allowBlank && value.toString().trimmed().isEmpty())
        return badField(QStringLiteral("field '%1' must not be empty").arg(QLatin1String(name)));
    if (value.toString().size() > maxLength)
        return fail(ErrorCode::TooLarge, QStringLiteral("field '%1' is %2 UTF-16 units; the limit is %3")
                                             .arg(QLatin1String(name))
                                             .arg(value.toString().size())
                                             .arg(maxLength));
    return {};
}

} // namespace

QString EntityKey::toString() const
{
    switch (kind) {
    case EntityKind::Room:
        return RoomKey;
    case EntityKind::Document:
        return DocumentKey;
    case EntityKind::Message:
        return MessagePrefix + messageId;
    }
    return {};
}

std::optional<EntityKey> EntityKey::parse(const QString &text)
{
    if (text == RoomKey)
        return EntityKey{EntityKind::Room, {}};
    if (text == DocumentKey)
        return EntityKey{EntityKind::Document, {}};
    if (text.startsWith(MessagePrefix)) {
        const QString id = text.mid(MessagePrefix.size());
        if (isValidClientKey(id) && !id.contains(QLatin1Char('/')))
            return message(id);
    }
    return std::nullopt;
}

QJsonObject EntityState::toJson() const
{
    QJsonObject json{
        {key("roomId"), roomId}, {key("entity"), entity}, {key("version"), version}, {key("value"), value}};
    if (!updatedBy.isEmpty())
        json.insert(key("by"), updatedBy);
    if (updatedAt.isValid())
        json.insert(key("ts"), formatTimestamp(updatedAt));
    if (!hlc.isEmpty())
        json.insert(key("hlc"), hlc);
    return json;
}

std::optional<EntityState> EntityState::fromJson(const QJsonObject &json)
{
    EntityState state;
    state.roomId = json.value(key("roomId")).toString();
    state.entity = json.value(key("entity")).toString();
    const QJsonValue version = json.value(key("version"));
    if (state.entity.isEmpty() || !version.isDouble() || !json.value(key("value")).isObject())
        return std::nullopt;
    state.version = version.toInteger();
    state.value = json.value(key("value")).toObject();
    state.updatedBy = json.value(key("by")).toString();
    state.updatedAt = QDateTime::fromString(json.value(key("ts")).toString(), Qt::ISODateWithMs);
    state.hlc = json.value(key("hlc")).toString();
    return state;
}

Result<void> validateEntityPatch(const EntityKey &entity, const QJsonObject &patch, int maxMessageLength)
{
    if (patch.isEmpty())
        return badField(QStringLiteral("a patch must set at least one field"));
    switch (entity.kind) {
    case EntityKind::Room:
        if (auto only = requireOnly(patch, {"topic"}); !only)
            return only;
        return requireText(patch, "topic", MaxTopicLength, true);
    case EntityKind::Document:
        if (auto only = requireOnly(patch, {"title"}); !only)
            return only;
        return requireText(patch, "title", MaxTitleLength, true);
    case EntityKind::Message:
        if (auto only = requireOnly(patch, {"text", "deleted"}); !only)
            return only;
        if (patch.contains(key("deleted"))) {
            if (patch.size() != 1 || patch.value(key("deleted")) != QJsonValue(true))
                return badField(QStringLiteral("a delete is exactly {\"deleted\": true}"));
            return {};
        }
        return requireText(patch, "text", maxMessageLength, false);
    }
    return badField(QStringLiteral("unknown entity"));
}

QJsonObject mergeEntityPatch(const QJsonObject &current, const QJsonObject &patch)
{
    QJsonObject merged = current;
    for (auto it = patch.begin(); it != patch.end(); ++it)
        merged.insert(it.key(), it.value());
    if (patch.value(key("deleted")).toBool())
        merged.remove(key("text"));
    return merged;
}

} // namespace tandem::protocol
