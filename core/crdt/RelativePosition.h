#pragma once
// Positions that survive concurrent edits (cursors, selections, comments):
// "just before the character with this ID" instead of an index. Encoded as
// Yjs encodes them, so awareness cursors interoperate with JS editors.

#include "core/common/Expected.h"
#include "core/crdt/CrdtError.h"
#include "core/crdt/Id.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace tandem::crdt {

class Doc;
class SharedType;
class Text;

struct RelativePosition {
    std::optional<Id> type;          // the nested type's item, when not a root
    std::optional<QString> typeName; // the root type's name
    std::optional<Id> item;          // the character the position sticks to
    /// >= 0: stick to the character after the position (Yjs default);
    /// < 0: stick to the one before it.
    int assoc = 0;

    /// y-js encodeRelativePosition: the item if any, else the type.
    QByteArray encode() const;
    static Expected<RelativePosition, DecodeError> decode(const QByteArray &encoded);
    /// relativePositionToJSON: {type?:{client,clock}, tname?, item?:{client,clock}, assoc}
    QJsonObject toJson() const;
    static std::optional<RelativePosition> fromJson(const QJsonObject &json);

    friend bool operator==(const RelativePosition &, const RelativePosition &) = default;
};

/// The position at `index` (UTF-16 units) of `text`.
RelativePosition createRelativePosition(const Text &text, qsizetype index, int assoc = 0);

struct AbsolutePosition {
    SharedType *type = nullptr;
    qsizetype index = 0;
    int assoc = 0;
};

/// Where `position` is now; nullopt when its item or type is unknown to
/// `doc` (not received yet) or its type was deleted. Follows items re-created
/// by the UndoManager.
std::optional<AbsolutePosition> resolveRelativePosition(const RelativePosition &position, Doc &doc);

} // namespace tandem::crdt
