#pragma once
// "N changes waiting to sync", in detail: every change in the mutation queue
// with what it is, where, its state and, when it failed, the server's reason.
// A failed change can be retried, edited or discarded; a conflicted one is
// resolved here too.

#include "core/offline/OfflineSync.h"

#include <QDialog>

class QPushButton;
class QTreeWidget;

namespace tandem::ui {

class SyncDetailsDialog : public QDialog {
    Q_OBJECT

public:
    SyncDetailsDialog(offline::OfflineSync &offline, QWidget *parent = nullptr);

    QTreeWidget *list() const { return m_list; }
    /// One line per change: "Message in #general", "Topic of #general"...
    static QString describe(const offline::Mutation &mutation);

Q_SIGNALS:
    /// The user asked to resolve this conflicted change.
    void resolveRequested(const offline::Mutation &mutation);

private:
    void refill();
    void updateButtons();
    /// The change of the selected row, if it is still pending.
    std::optional<offline::Mutation> selected() const;
    void editSelected();

    offline::OfflineSync &m_offline;
    QTreeWidget *m_list = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_discard = nullptr;
    QPushButton *m_resolve = nullptr;
};

} // namespace tandem::ui
