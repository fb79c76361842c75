#pragma once
// The Document tab's editor: a QPlainTextEdit bound to a room's Y.Text
// `content` (docs::DocumentSession).
//
// - Local edits come from QTextDocument::contentsChange (position, removed,
//   added; UTF-16 units like Yjs) and become one CRDT transaction each; block
//   separators (U+2029) and line separators (U+2028) are '\n' in the CRDT.
// - Remote changes (and undo/redo) arrive as the Y.Text delta and are applied
//   as minimal edits; the local caret and selection are carried through them.
// - Other users' carets and selections are painted in their colour with a
//   name label; a caret idle for a few seconds fades.
// - Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y) undo and redo this user's own edits
//   through the CRDT UndoManager; QTextDocument's own undo stack is off.

#include "core/crdt/Text.h"

#include <QColor>
#include <QPlainTextEdit>
#include <QPointer>
#include <QTimer>

namespace tandem::docs {
class DocumentSession;
}

namespace tandem::ui {

class DocumentEditor : public QPlainTextEdit {
    Q_OBJECT

public:
    /// A caret as painted, for tests and accessibility.
    struct PaintedCaret {
        QString name;
        QColor color;
        QRect caret;   ///< in viewport coordinates
        QRect label;   ///< the name label, in viewport coordinates
        qreal opacity; ///< 1 while active, lower once idle
        int selectionLength;
    };

    /// A caret idle this long starts to fade, over kFadeMs, to kIdleOpacity.
    static constexpr qint64 kIdleAfterMs = 4000;
    static constexpr qint64 kFadeMs = 2000;
    static constexpr qreal kIdleOpacity = 0.35;

    explicit DocumentEditor(QWidget *parent = nullptr);
    ~DocumentEditor() override;

    /// Binds to `session` (nullptr: unbound, read-only and empty).
    void setDocumentSession(docs::DocumentSession *session);
    docs::DocumentSession *documentSession() const { return m_session; }
    /// The remote carets as the last paint placed them.
    QList<PaintedCaret> paintedCarets() const { return m_painted; }

protected:
    void paintEvent(QPaintEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    void onContentsChange(int position, int removed, int added);
    void onTextEvent(const crdt::TextEvent &event);
    void publishCursor();
    void resyncFromEditor();
    void detach();
    QString editorText(int position, int length) const;
    int editorLength() const;
    void undoOrRedo(bool redo);

    QPointer<docs::DocumentSession> m_session;
    int m_observer = 0;
    bool m_applyingRemote = false;
    bool m_applyingLocal = false;
    QString m_shadow; ///< the CRDT text as the editor shows it ('\n' for separators)
    QList<PaintedCaret> m_painted;
    QTimer m_fadeTimer;
    QList<QMetaObject::Connection> m_connections;
};

} // namespace tandem::ui
