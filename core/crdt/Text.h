#pragma once
// Y.Text as a plain-text editor sees it. Indices and lengths are UTF-16 code
// units (QString units, QTextDocument positions and JavaScript lengths agree).
// Format markers and embeds written by rich-text peers are preserved; format
// markers take no index, an embed takes one.

#include "core/crdt/Any.h"
#include "core/crdt/Transaction.h"

#include <QString>

#include <functional>
#include <vector>

namespace tandem::crdt {

class Doc;
class SharedType;

/// One step of a change, in document order, as an editor applies it.
struct TextDeltaOp {
    enum class Kind { Retain, Insert, Delete };
    Kind kind = Kind::Retain;
    qsizetype length = 0;     // Retain/Delete count; Insert: inserted length
    QString text;             // Insert of text
    std::optional<Any> embed; // Insert of an embed (length 1)

    friend bool operator==(const TextDeltaOp &, const TextDeltaOp &) = default;
};

struct TextEvent {
    std::vector<TextDeltaOp> delta;
    Origin origin = 0;
    bool local = true;
};

/// A handle to a text type owned by its Doc; cheap to copy.
class Text {
public:
    Text(Doc *doc, SharedType *type)
        : m_doc(doc)
        , m_type(type)
    {}

    qsizetype length() const;
    QString toString() const;

    /// Inserts plain text at `index` (clamped to the length), inheriting the
    /// formatting around it as Yjs does for an insert without attributes.
    void insert(qsizetype index, const QString &text);
    /// Removes `length` units from `index` (clamped to the document).
    void remove(qsizetype index, qsizetype length);

    /// Called after every transaction that changed this text.
    int observe(std::function<void(const TextEvent &)> observer);
    void unobserve(int id);

    SharedType *sharedType() const { return m_type; }
    Doc *doc() const { return m_doc; }

private:
    Doc *m_doc;
    SharedType *m_type;
};

/// The change a transaction made to a text, computed for its observers.
TextEvent makeTextEvent(const SharedType &type, const Transaction &transaction);

} // namespace tandem::crdt
