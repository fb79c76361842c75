#pragma once
// Versioned entities (docs/PROTOCOL.md "Versioned entities"): the few things
// that two people can change at once and that are not append-only. Each has a
// server version; a change names the version it was based on, and a change
// based on an old version is answered with `conflict` and the current state.
//
//   "room"             {topic}                     room settings
//   "document"         {title}                     the room document's title
//   "message/<id>"     {text, deleted, editedBy}   a chat message, after its creation
//
// The wire, the REST API and the client's local store all use these key strings.

#include "core/protocol/ErrorCode.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace tandem::protocol {

enum class EntityKind { Room, Document, Message };

struct EntityKey {
    EntityKind kind = EntityKind::Room;
    QString messageId; ///< only for Message

    /// "room", "document" or "message/<id>".
    QString toString() const;
    static std::optional<EntityKey> parse(const QString &text);
    static EntityKey message(const QString &messageId) { return {EntityKind::Message, messageId}; }
    friend bool operator==(const EntityKey &, const EntityKey &) = default;
};

/// One entity as the server last stored it.
struct EntityState {
    QString roomId;
    QString entity;     ///< EntityKey::toString()
    qint64 version = 0; ///< 0: never written (the empty value)
    QJsonObject value;
    QString updatedBy;
    QDateTime updatedAt;
    /// The writer's hybrid-logical-clock stamp (sortable text), for last-write-wins; may be empty.
    QString hlc;

    /// {roomId, entity, version, value, by, ts, hlc}: the `current` of a conflict
    /// and the payload of `entity:changed`.
    QJsonObject toJson() const;
    static std::optional<EntityState> fromJson(const QJsonObject &json);
};

/// Limits of the fields a patch may set.
inline constexpr int MaxTopicLength = 500;
inline constexpr int MaxTitleLength = 200;
inline constexpr int MaxHlcLength = 64;

/// Checks that `patch` only sets fields the entity has, with valid values.
/// A message patch sets either {text} or {deleted: true}.
Result<void> validateEntityPatch(const EntityKey &key, const QJsonObject &patch, int maxMessageLength);

/// The value after applying `patch`: fields it names replace, others stay.
/// Deleting a message drops its text, so a deleted message keeps no content.
QJsonObject mergeEntityPatch(const QJsonObject &current, const QJsonObject &patch);

} // namespace tandem::protocol
