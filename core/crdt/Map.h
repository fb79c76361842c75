#pragma once
// Y.Map with JSON-like values (ContentAny). Concurrent sets of one key
// converge on the same winner everywhere (the YATA order of the key's chain).

#include "core/crdt/Any.h"
#include "core/crdt/Transaction.h"

#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace tandem::crdt {

class Doc;
class SharedType;

struct MapEvent {
    QSet<QString> keysChanged;
    Origin origin = 0;
    bool local = true;
};

/// A handle to a map type owned by its Doc; cheap to copy.
class Map {
public:
    Map(Doc *doc, SharedType *type)
        : m_doc(doc)
        , m_type(type)
    {}

    void set(const QString &key, const Any &value);
    /// The current value, or nullopt when the key is absent (or holds
    /// something that is not an Any value, e.g. a nested type).
    std::optional<Any> get(const QString &key) const;
    bool contains(const QString &key) const;
    void remove(const QString &key);
    QStringList keys() const;
    qsizetype size() const { return keys().size(); }
    /// The map as a JSON object (keys sorted, as QJsonObject does).
    QJsonObject toJson() const;

    int observe(std::function<void(const MapEvent &)> observer);
    void unobserve(int id);

    SharedType *sharedType() const { return m_type; }

private:
    Doc *m_doc;
    SharedType *m_type;
};

MapEvent makeMapEvent(const SharedType &type, const Transaction &transaction, const QSet<QString> &keys);

} // namespace tandem::crdt
