#include "ui/DocumentEditor.h"

#include "core/docs/DocumentSession.h"
#include "core/docs/UserColor.h"

#include <QAbstractTextDocumentLayout>
#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextLayout>

#include <algorithm>

namespace tandem::ui {

namespace {
QString toCrdt(QString text)
{
    text.replace(QChar::ParagraphSeparator, QLatin1Char('\n'));
    text.replace(QChar::LineSeparator, QLatin1Char('\n'));
    return text;
}

/// Where an index goes when a remote change happens before or around it.
struct Shift {
    qsizetype index;
    void insertAt(qsizetype at, qsizetype length)
    {
        // Text typed exactly at our caret by someone else stays after it.
        if (index > at)
            index += length;
    }
    void removeAt(qsizetype at, qsizetype length)
    {
        if (index >= at + length)
            index -= length;
        else if (index > at)
            index = at;
    }
};
} // namespace

DocumentEditor::DocumentEditor(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("documentEditor"));
    setPlaceholderText(tr("Write together…"));
    setFrameShape(QFrame::NoFrame);
    document()->setUndoRedoEnabled(false);
    document()->setDocumentMargin(16);
    setReadOnly(true);
    connect(document(), &QTextDocument::contentsChange, this, &DocumentEditor::onContentsChange);
    connect(this, &QPlainTextEdit::cursorPositionChanged, this, &DocumentEditor::publishCursor);
    connect(this, &QPlainTextEdit::selectionChanged, this, &DocumentEditor::publishCursor);
    m_fadeTimer.setInterval(250);
    connect(&m_fadeTimer, &QTimer::timeout, viewport(), qOverload<>(&QWidget::update));
}

DocumentEditor::~DocumentEditor()
{
    detach();
}

void DocumentEditor::detach()
{
    for (const QMetaObject::Connection &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    if (m_session && m_observer != 0)
        m_session->text().unobserve(m_observer);
    m_observer = 0;
    m_session = nullptr;
    m_fadeTimer.stop();
}

void DocumentEditor::setDocumentSession(docs::DocumentSession *session)
{
    if (session == m_session)
        return;
    detach();
    m_session = session;
    m_applyingRemote = true;
    m_shadow = session ? session->text().toString() : QString();
    setPlainText(m_shadow);
    m_applyingRemote = false;
    m_painted.clear();
    setReadOnly(!session);
    if (!session) {
        viewport()->update();
        return;
    }
    m_observer = session->text().observe([this](const crdt::TextEvent &event) { onTextEvent(event); });
    m_connections << connect(session, &docs::DocumentSession::remoteCursorsChanged, viewport(),
                             qOverload<>(&QWidget::update));
    m_connections << connect(session, &QObject::destroyed, this, [this] {
        m_observer = 0; // the text went with its document
        detach();
        m_applyingRemote = true;
        m_shadow.clear();
        clear();
        m_applyingRemote = false;
        m_painted.clear();
        setReadOnly(true);
    });
    publishCursor();
}

int DocumentEditor::editorLength() const
{
    return document()->characterCount() - 1; // the last block's implicit separator
}

QString DocumentEditor::editorText(int position, int length) const
{
    QTextCursor cursor(document());
    cursor.setPosition(position);
    cursor.setPosition(position + length, QTextCursor::KeepAnchor);
    return toCrdt(cursor.selectedText());
}

void DocumentEditor::onContentsChange(int position, int removed, int added)
{
    if (m_applyingRemote || !m_session)
        return;
    // Qt may report a change that spans the final implicit separator, or a
    // whole-document change for formatting: clamp, then trim what did not change.
    const int length = editorLength();
    position = std::clamp(position, 0, int(m_shadow.size()));
    removed = std::clamp(removed, 0, int(m_shadow.size()) - position);
    added = std::clamp(added, 0, length - position);
    if (m_shadow.size() - removed + added != length) {
        resyncFromEditor();
        return;
    }
    QString inserted = editorText(position, added);
    QStringView gone = QStringView(m_shadow).mid(position, removed);
    qsizetype prefix = 0;
    while (prefix < gone.size() && prefix < inserted.size() && gone[prefix] == inserted[prefix])
        ++prefix;
    qsizetype suffix = 0;
    while (suffix < gone.size() - prefix && suffix < inserted.size() - prefix &&
           gone[gone.size() - 1 - suffix] == inserted[inserted.size() - 1 - suffix])
        ++suffix;
    const qsizetype at = position + prefix;
    const qsizetype removeCount = gone.size() - prefix - suffix;
    inserted = inserted.mid(prefix, inserted.size() - prefix - suffix);
    if (removeCount == 0 && inserted.isEmpty())
        return;
    m_shadow.replace(at, removeCount, inserted);
    m_applyingLocal = true;
    m_session->doc().transact([&](crdt::Transaction &) {
        if (removeCount > 0)
            m_session->remove(at, removeCount);
        if (!inserted.isEmpty())
            m_session->insert(at, inserted);
    });
    m_applyingLocal = false;
}

void DocumentEditor::resyncFromEditor()
{
    // The minimal edit between what the CRDT holds and what the editor shows.
    const QString now = toCrdt(document()->toRawText()).left(editorLength());
    qsizetype prefix = 0;
    while (prefix < now.size() && prefix < m_shadow.size() && now[prefix] == m_shadow[prefix])
        ++prefix;
    qsizetype suffix = 0;
    while (suffix < now.size() - prefix && suffix < m_shadow.size() - prefix &&
           now[now.size() - 1 - suffix] == m_shadow[m_shadow.size() - 1 - suffix])
        ++suffix;
    const qsizetype removeCount = m_shadow.size() - prefix - suffix;
    const QString inserted = now.mid(prefix, now.size() - prefix - suffix);
    m_shadow = now;
    m_applyingLocal = true;
    m_session->doc().transact([&](crdt::Transaction &) {
        if (removeCount > 0)
            m_session->remove(prefix, removeCount);
        if (!inserted.isEmpty())
            m_session->insert(prefix, inserted);
    });
    m_applyingLocal = false;
}

void DocumentEditor::onTextEvent(const crdt::TextEvent &event)
{
    if (m_applyingLocal)
        return;
    // Remote edits, undo and redo: apply the delta as the smallest edits, and
    // carry our caret and selection through them.
    QTextCursor own = textCursor();
    Shift anchor{own.anchor()};
    Shift head{own.position()};
    const int scroll = verticalScrollBar()->value();
    m_applyingRemote = true;
    QTextCursor edit(document());
    edit.beginEditBlock();
    qsizetype index = 0;
    for (const crdt::TextDeltaOp &op : event.delta) {
        switch (op.kind) {
        case crdt::TextDeltaOp::Kind::Retain:
            index += op.length;
            break;
        case crdt::TextDeltaOp::Kind::Insert: {
            // An embed from a rich-text peer takes one index: show a placeholder.
            const QString text = op.embed ? QString(QChar::ObjectReplacementCharacter) : op.text;
            edit.setPosition(int(index));
            edit.insertText(text);
            m_shadow.insert(index, text);
            anchor.insertAt(index, text.size());
            head.insertAt(index, text.size());
            index += text.size();
            break;
        }
        case crdt::TextDeltaOp::Kind::Delete:
            edit.setPosition(int(index));
            edit.setPosition(int(index + op.length), QTextCursor::KeepAnchor);
            edit.removeSelectedText();
            m_shadow.remove(index, op.length);
            anchor.removeAt(index, op.length);
            head.removeAt(index, op.length);
            break;
        }
    }
    edit.endEditBlock();
    m_applyingRemote = false;
    if (own.anchor() != anchor.index || own.position() != head.index || !event.local) {
        own.setPosition(int(std::min<qsizetype>(anchor.index, editorLength())));
        own.setPosition(int(std::min<qsizetype>(head.index, editorLength())), QTextCursor::KeepAnchor);
        setTextCursor(own);
        if (!event.local)
            verticalScrollBar()->setValue(scroll);
    }
    viewport()->update();
}

void DocumentEditor::publishCursor()
{
    if (!m_session || m_applyingRemote)
        return;
    const QTextCursor cursor = textCursor();
    m_session->setCursor(cursor.anchor(), cursor.position());
}

void DocumentEditor::undoOrRedo(bool redo)
{
    if (!m_session)
        return;
    m_session->undoManager().stopCapturing();
    if (redo)
        m_session->redo();
    else
        m_session->undo();
}

void DocumentEditor::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Undo)) {
        undoOrRedo(false);
        event->accept();
        return;
    }
    if (event->matches(QKeySequence::Redo) ||
        (event->key() == Qt::Key_Z && event->modifiers() == (Qt::ControlModifier | Qt::ShiftModifier)) ||
        (event->key() == Qt::Key_Y && event->modifiers() == Qt::ControlModifier)) {
        undoOrRedo(true);
        event->accept();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

void DocumentEditor::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu *menu = createStandardContextMenu(event->pos());
    // The standard Undo/Redo entries drive QTextDocument's (disabled) stack: use ours.
    const QList<QAction *> actions = menu->actions();
    if (actions.size() >= 2 && m_session) {
        QAction *undo = actions.at(0);
        QAction *redo = actions.at(1);
        undo->disconnect();
        redo->disconnect();
        undo->setEnabled(m_session->undoManager().canUndo());
        redo->setEnabled(m_session->undoManager().canRedo());
        connect(undo, &QAction::triggered, this, [this] { undoOrRedo(false); });
        connect(redo, &QAction::triggered, this, [this] { undoOrRedo(true); });
    }
    menu->exec(event->globalPos());
    delete menu;
}

void DocumentEditor::paintEvent(QPaintEvent *event)
{
    QPlainTextEdit::paintEvent(event);
    m_painted.clear();
    if (!m_session)
        return;
    const QList<docs::RemoteCursor> cursors = m_session->remoteCursors();
    // Repaint while a caret is active or fading; an idle editor costs nothing.
    const qint64 nowMs = m_session->clock().monotonicMs();
    const bool animating =
        std::any_of(cursors.cbegin(), cursors.cend(), [nowMs](const docs::RemoteCursor &c) {
            return nowMs - c.changedAtMs < kIdleAfterMs + kFadeMs;
        });
    if (animating && !m_fadeTimer.isActive())
        m_fadeTimer.start();
    else if (!animating)
        m_fadeTimer.stop();
    if (cursors.isEmpty())
        return;
    QPainter painter(viewport());
    painter.setRenderHint(QPainter::Antialiasing);
    const qint64 now = nowMs;
    const int length = editorLength();
    QFont labelFont = font();
    labelFont.setPointSizeF(labelFont.pointSizeF() * 0.8);
    labelFont.setBold(true);
    const QFontMetrics labelMetrics(labelFont);
    for (const docs::RemoteCursor &remote : cursors) {
        QColor color(remote.color);
        if (!color.isValid())
            color = QColor::fromHsl(docs::userHue(remote.name), 110, 140);
        const qint64 idle = now - remote.changedAtMs;
        qreal opacity = 1.0;
        if (idle > kIdleAfterMs)
            opacity =
                std::max(kIdleOpacity, 1.0 - (1.0 - kIdleOpacity) * qreal(idle - kIdleAfterMs) / kFadeMs);
        painter.setOpacity(opacity);

        const int from = int(std::clamp<qsizetype>(std::min(remote.anchor, remote.head), 0, length));
        const int to = int(std::clamp<qsizetype>(std::max(remote.anchor, remote.head), 0, length));
        if (from < to) {
            QColor fill = color;
            fill.setAlpha(70);
            for (QTextBlock block = document()->findBlock(from); block.isValid() && block.position() <= to;
                 block = block.next()) {
                if (!block.isVisible())
                    continue;
                const QPointF offset = blockBoundingGeometry(block).translated(contentOffset()).topLeft();
                const QTextLayout *layout = block.layout();
                for (int i = 0; i < layout->lineCount(); ++i) {
                    const QTextLine line = layout->lineAt(i);
                    const int lineStart = block.position() + line.textStart();
                    const int lineEnd = lineStart + line.textLength();
                    const int start = std::max(from, lineStart);
                    const int end = std::min(to, lineEnd);
                    if (start > end || (start == end && end != lineEnd))
                        continue;
                    const qreal x1 = line.cursorToX(start - block.position());
                    qreal x2 = line.cursorToX(end - block.position());
                    if (to > lineEnd)
                        x2 += 4; // the selected line break
                    painter.fillRect(QRectF(x1, line.y(), x2 - x1, line.height()).translated(offset), fill);
                }
            }
        }

        QTextCursor at(document());
        at.setPosition(int(std::clamp<qsizetype>(remote.head, 0, length)));
        const QRect caretRect = cursorRect(at);
        const QRect caret(caretRect.left(), caretRect.top(), 2, caretRect.height());
        painter.fillRect(caret, color);
        const QString name = remote.name.isEmpty() ? tr("someone") : remote.name;
        const int labelWidth = labelMetrics.horizontalAdvance(name) + 8;
        const int labelHeight = labelMetrics.height() + 2;
        int labelTop = caret.top() - labelHeight;
        if (labelTop < 0)
            labelTop = caret.bottom() + 1;
        const QRect label(caret.left(), labelTop, labelWidth, labelHeight);
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        painter.drawRoundedRect(label, 3, 3);
        painter.setPen(color.lightness() > 150 ? Qt::black : Qt::white);
        painter.setFont(labelFont);
        painter.drawText(label, Qt::AlignCenter, name);
        m_painted.append({name, color, caret, label, opacity, to - from});
    }
}

} // namespace tandem::ui
