#pragma once
// Undo/redo of this user's own changes to some types (a text, a map), as
// Yjs's UndoManager does: remote changes are never undone, and undoing
// re-creates deleted content as new items so it merges with what others did
// meanwhile. Changes within the capture timeout form one undo step.

#include "core/common/Clock.h"
#include "core/crdt/DeleteSet.h"
#include "core/crdt/Transaction.h"

#include <QObject>
#include <QSet>

#include <utility>
#include <vector>

namespace tandem::crdt {

class Doc;
class SharedType;
class StructStore;
struct Item;

/// The item that now holds `id` after redo re-created it (possibly several
/// times), and the offset of `id` inside it.
std::pair<Item *, Clock> followRedone(StructStore &store, Id id);

class UndoManager : public QObject {
    Q_OBJECT
public:
    /// Tracks local transactions with origin 0 that change `scope`.
    UndoManager(Doc *doc, std::vector<SharedType *> scope,
                const tandem::Clock &clock = tandem::Clock::system(), QObject *parent = nullptr);
    ~UndoManager() override;

    /// Also track local transactions made with this origin.
    void addTrackedOrigin(Origin origin) { m_trackedOrigins.insert(origin); }
    /// Changes closer together than this (ms) are undone together.
    void setCaptureTimeout(qint64 milliseconds) { m_captureTimeoutMs = milliseconds; }
    /// The next change starts a new undo step whatever the timeout.
    void stopCapturing() { m_lastChangeMs.reset(); }

    bool canUndo() const { return !m_undoStack.empty(); }
    bool canRedo() const { return !m_redoStack.empty(); }
    /// Undoes the last step; false when there was nothing to undo.
    bool undo();
    bool redo();
    void clear();

    /// The origin of the transactions undo and redo make.
    Origin origin() const { return Origin(this); }

signals:
    void stacksChanged();

private:
    struct StackItem {
        DeleteSet insertions;
        DeleteSet deletions;
    };
    void onTransaction(Transaction &transaction);
    bool inScope(const Item &item) const;
    bool popStackItem(std::vector<StackItem> &stack);
    Item *redoItem(Transaction &transaction, Item *item);

    Doc *m_doc;
    std::vector<SharedType *> m_scope;
    const tandem::Clock &m_clock;
    QSet<Origin> m_trackedOrigins{0};
    std::vector<StackItem> m_undoStack;
    std::vector<StackItem> m_redoStack;
    bool m_undoing = false;
    bool m_redoing = false;
    qint64 m_captureTimeoutMs = 500;
    std::optional<qint64> m_lastChangeMs;
    int m_hookId = 0;
};

} // namespace tandem::crdt
