#pragma once
// The state every shared type has, whatever the application calls it: the
// list of its items in document order (Text, Array, XML children), the map of
// its keyed entries (Map, attributes), its visible length, and a small cache
// of search markers (item -> index) that keeps index lookups local on long
// documents instead of walking from the start every time.

#include "core/crdt/Content.h"
#include "core/crdt/Id.h"

#include <QHash>
#include <QString>

#include <functional>
#include <vector>

namespace tandem::crdt {

class Doc;
class Transaction;
struct Item;
struct TextEvent;
struct MapEvent;

/// How the application reads a root type; roots arrive untyped from the wire.
enum class TypeKind : quint8 { Unknown, Array, Map, Text, XmlElement, XmlFragment, XmlHook, XmlText };

class SharedType {
public:
    SharedType(Doc *doc, TypeKind initialKind)
        : kind(initialKind)
        , m_doc(doc)
    {}

    Doc *doc() const { return m_doc; }

    TypeKind kind = TypeKind::Unknown;
    QString rootName;         // set for root types
    Item *typeItem = nullptr; // the ContentType item of a nested type (null for roots)
    QString nodeName;         // XmlElement / XmlHook
    Item *start = nullptr;
    QHash<QString, Item *> map; // key -> current (rightmost) entry
    Clock length = 0;           // visible, countable length

    /// Where an index falls: between `left` and `right`, `right` starting at
    /// `index`. The item holding the index is split so that it starts there.
    struct Position {
        Item *left = nullptr;
        Item *right = nullptr;
        Clock index = 0;
    };
    Position findPosition(Transaction &transaction, Clock index);

    /// Remembers that the visible `item` starts at `index` (a local edit
    /// just put it there: the next edit is likely close by).
    void rememberPosition(Item *item, Clock index);
    /// Local edits keep markers exact; anything else forgets them.
    void shiftMarkers(Clock fromIndex, std::int64_t delta);
    void clearMarkers() { m_markers.clear(); }
    void onItemsMerged(const Item &left, const Item &right);

    std::vector<std::pair<int, std::function<void(const TextEvent &)>>> textObservers;
    std::vector<std::pair<int, std::function<void(const MapEvent &)>>> mapObservers;

private:
    struct Marker {
        Item *item = nullptr; // always a visible item; `index` is where it starts
        Clock index = 0;
        quint64 lastUse = 0;
    };
    void rememberMarker(Item *item, Clock index);

    Doc *m_doc;
    std::vector<Marker> m_markers;
    quint64 m_useCounter = 0;
};

} // namespace tandem::crdt
