#pragma once
// Asks the user how to settle a conflict (docs/OFFLINE.md "Conflicts"): the
// value both sides started from, theirs (now on the server, and who wrote it)
// and mine, side by side; the user keeps theirs, keeps mine, or edits a merge.

#include "core/offline/Mutation.h"
#include "core/offline/SyncEngine.h"
#include "core/protocol/Entity.h"

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace tandem::ui {

class ConflictDialog : public QDialog {
    Q_OBJECT

public:
    ConflictDialog(const offline::Mutation &mine, const protocol::EntityState &theirs,
                   QWidget *parent = nullptr);

    /// The field of the entity the dialog is about: "topic", "title" or "text".
    static QString fieldOf(const QString &entity);
    /// "the topic of #general", "a message in #general", "the document title of #general".
    static QString describe(const QString &roomId, const QString &entity);

    QString cid() const { return m_cid; }
    offline::SyncEngine::Resolution resolution() const { return m_resolution; }
    /// The patch to send for UseMerged.
    QJsonObject mergedPatch() const;

    QPlainTextEdit *baseView() const { return m_base; }
    QPlainTextEdit *theirsView() const { return m_theirs; }
    QPlainTextEdit *mineView() const { return m_mine; }
    QPlainTextEdit *mergeEditor() const { return m_merge; }
    QPushButton *keepTheirsButton() const { return m_keepTheirs; }
    QPushButton *keepMineButton() const { return m_keepMine; }
    QPushButton *useMergeButton() const { return m_useMerge; }

private:
    void choose(offline::SyncEngine::Resolution resolution);

    QString m_cid;
    QString m_field;
    offline::SyncEngine::Resolution m_resolution = offline::SyncEngine::Resolution::KeepTheirs;
    QPlainTextEdit *m_base = nullptr;
    QPlainTextEdit *m_theirs = nullptr;
    QPlainTextEdit *m_mine = nullptr;
    QPlainTextEdit *m_merge = nullptr;
    QPushButton *m_keepTheirs = nullptr;
    QPushButton *m_keepMine = nullptr;
    QPushButton *m_useMerge = nullptr;
};

} // namespace tandem::ui
