#pragma once
// What an Item holds. The ref numbers are the wire's (update v1, ref = info &
// 0x1F). Text content is kept as UTF-16 so lengths equal JavaScript lengths.

#include "core/crdt/Any.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace tandem::crdt {

class SharedType;

enum class ContentKind : quint8 {
    Deleted = 1,
    Json = 2,
    Binary = 3,
    String = 4,
    Embed = 5,
    Format = 6,
    Type = 7,
    Any = 8,
    Doc = 9,
};

/// The kind of a nested type (ContentType typeRef).
enum class TypeRef : quint8 {
    Array = 0,
    Map = 1,
    Text = 2,
    XmlElement = 3,
    XmlFragment = 4,
    XmlHook = 5,
    XmlText = 6,
};

/// The rarely used payloads, kept out of line so a text item stays small.
struct ContentPayload {
    QStringList jsonValues;     // Json: JSON.stringify of each element
    QByteArray binary;          // Binary
    QString formatValue;        // Format: JSON of the attribute value
    std::vector<Any> anyValues; // Any
    SharedType *type = nullptr; // Type: owned by the Doc
    TypeRef typeRef = TypeRef::Array;
    QString nodeName; // Type: XmlElement node name / XmlHook name
    Any docOptions;   // Doc
};

struct Content {
    ContentKind kind = ContentKind::Deleted;
    /// String: the text; Embed: its JSON; Format: the attribute key; Doc: guid.
    QString text;
    std::unique_ptr<ContentPayload> payload;

    bool countable() const { return kind != ContentKind::Deleted && kind != ContentKind::Format; }
    /// Whether two adjacent items of this kind may become one.
    bool mergeable() const
    {
        return kind == ContentKind::Deleted || kind == ContentKind::String || kind == ContentKind::Any ||
               kind == ContentKind::Json;
    }
    ContentPayload &ensurePayload();
    Content clone() const;
};

} // namespace tandem::crdt
