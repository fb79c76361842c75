// The Document tab's editor bound to the CRDT, with no network: two
// DocumentEditors on DocumentSessions synced through the fake server of
// tests/unit/docs (real Sessions on fake transports, a manual clock). Typing
// becomes CRDT edits ('\n' for block separators), remote edits keep the local
// caret and selection on the same text, remote carets are painted with a
// name label and fade when idle, Ctrl+Z undoes one's own typing only.
#include "tests/unit/docs/DocumentTestRig.h"
#include "ui/DocumentEditor.h"

#include <QApplication>

using namespace tandem;
using namespace tandem::test::docrig;
using tandem::ui::DocumentEditor;

namespace {
struct Editors {
    Fixture f;
    DocumentEditor ada;
    DocumentEditor bob;

    Editors()
    {
        f.ada->connect();
        f.bob->connect();
        f.settle();
        ada.setDocumentSession(f.ada->document.get());
        bob.setDocumentSession(f.bob->document.get());
        ada.resize(480, 300);
        bob.resize(480, 300);
        ada.show();
        bob.show();
    }
    ~Editors()
    {
        ada.setDocumentSession(nullptr);
        bob.setDocumentSession(nullptr);
    }
};

QList<DocumentEditor::PaintedCaret> caretsShown(DocumentEditor &editor)
{
    editor.grab(); // paints
    return editor.paintedCarets();
}
} // namespace

class TestDocumentBinding : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void typingBecomesCrdtEdits();
    void remoteEditsKeepTheCaretAndSelection();
    void remoteCaretsArePaintedAndFade();
    void undoRedoOwnEditsOnly();
    void existingTextShowsWhenBound();
};

void TestDocumentBinding::typingBecomesCrdtEdits()
{
    Editors e;
    QTest::keyClicks(&e.ada, QStringLiteral("first line"));
    QTest::keyClick(&e.ada, Qt::Key_Return);
    QTest::keyClicks(&e.ada, QStringLiteral("second"));
    QCOMPARE(e.f.ada->text(), QStringLiteral("first line\nsecond"));
    e.f.settle();
    QCOMPARE(e.bob.toPlainText(), QStringLiteral("first line\nsecond"));
    QCOMPARE(e.f.bob->text(), QStringLiteral("first line\nsecond"));
    // Deleting a selection across the block separator, then replacing a word.
    QTextCursor cursor = e.ada.textCursor();
    cursor.setPosition(5);
    cursor.setPosition(12, QTextCursor::KeepAnchor);
    e.ada.setTextCursor(cursor);
    QTest::keyClick(&e.ada, Qt::Key_Backspace);
    QCOMPARE(e.f.ada->text(), QStringLiteral("firstecond"));
    e.ada.selectAll();
    QTest::keyClicks(&e.ada, QStringLiteral("x"));
    QCOMPARE(e.f.ada->text(), QStringLiteral("x"));
    // Pasting several lines is one edit with '\n' in the CRDT.
    e.ada.insertPlainText(QStringLiteral("\na\nb 😀"));
    QCOMPARE(e.f.ada->text(), QStringLiteral("x\na\nb 😀"));
    e.f.settle();
    QCOMPARE(e.bob.toPlainText(), QStringLiteral("x\na\nb 😀"));
}

void TestDocumentBinding::remoteEditsKeepTheCaretAndSelection()
{
    Editors e;
    QTest::keyClicks(&e.ada, QStringLiteral("hello world"));
    e.f.settle();
    // Bob selects "world"; ada types before it and deletes after it.
    QTextCursor selection = e.bob.textCursor();
    selection.setPosition(6);
    selection.setPosition(11, QTextCursor::KeepAnchor);
    e.bob.setTextCursor(selection);
    QTextCursor at = e.ada.textCursor();
    at.setPosition(0);
    e.ada.setTextCursor(at);
    QTest::keyClicks(&e.ada, QStringLiteral(">> "));
    e.f.settle();
    QCOMPARE(e.bob.toPlainText(), QStringLiteral(">> hello world"));
    QCOMPARE(e.bob.textCursor().selectedText(), QStringLiteral("world"));
    QCOMPARE(e.bob.textCursor().position(), 14);
    // A remote delete that covers the caret leaves it where the text went.
    e.bob.moveCursor(QTextCursor::Start);
    for (int i = 0; i < 5; ++i)
        e.bob.moveCursor(QTextCursor::Right);
    e.f.ada->document->remove(2, 6); // " hello"
    e.f.settle();
    QCOMPARE(e.bob.toPlainText(), QStringLiteral(">> world"));
    QCOMPARE(e.bob.textCursor().position(), 2);
}

void TestDocumentBinding::remoteCaretsArePaintedAndFade()
{
    Editors e;
    QTest::keyClicks(&e.ada, QStringLiteral("alpha beta"));
    e.f.settle();
    QTextCursor selection = e.ada.textCursor();
    selection.setPosition(0);
    selection.setPosition(5, QTextCursor::KeepAnchor);
    e.ada.setTextCursor(selection);
    e.f.settle();
    const auto carets = caretsShown(e.bob);
    QCOMPARE(carets.size(), 1);
    QCOMPARE(carets.first().name, QStringLiteral("ada"));
    QCOMPARE(carets.first().color, QColor(docs::userColorName(QStringLiteral("ada"))));
    QCOMPARE(carets.first().selectionLength, 5);
    QCOMPARE(carets.first().opacity, 1.0);
    QVERIFY(carets.first().label.width() > carets.first().caret.width());
    // The caret is painted where "alpha" ends (the head).
    QTextCursor head(e.bob.document());
    head.setPosition(5);
    QCOMPARE(carets.first().caret.left(), e.bob.cursorRect(head).left());
    QCOMPARE(caretsShown(e.ada).size(), 1); // bob's, never her own
    QCOMPARE(caretsShown(e.ada).first().name, QStringLiteral("bob"));
    // Idle for a while: faded, still labelled.
    e.f.timers.advance(DocumentEditor::kIdleAfterMs + DocumentEditor::kFadeMs + 1000);
    e.f.server.pump(e.f.clients());
    QCOMPARE(caretsShown(e.bob).first().opacity, DocumentEditor::kIdleOpacity);
    // Moving again brings it back.
    e.ada.moveCursor(QTextCursor::End);
    e.f.settle();
    QCOMPARE(caretsShown(e.bob).first().opacity, 1.0);
    QCOMPARE(caretsShown(e.bob).first().selectionLength, 0);
}

void TestDocumentBinding::undoRedoOwnEditsOnly()
{
    Editors e;
    QTest::keyClicks(&e.ada, QStringLiteral("ada "));
    e.f.settle();
    e.bob.moveCursor(QTextCursor::End);
    QTest::keyClicks(&e.bob, QStringLiteral("bob"));
    e.f.settle();
    QCOMPARE(e.ada.toPlainText(), QStringLiteral("ada bob"));
    QTest::keyClick(&e.ada, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(e.ada.toPlainText(), QStringLiteral("bob"));
    QTest::keyClick(&e.ada, Qt::Key_Z, Qt::ControlModifier); // nothing more of hers
    QCOMPARE(e.ada.toPlainText(), QStringLiteral("bob"));
    e.f.settle();
    QCOMPARE(e.bob.toPlainText(), QStringLiteral("bob"));
    QTest::keyClick(&e.ada, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(e.ada.toPlainText(), QStringLiteral("ada bob"));
    e.f.settle();
    QCOMPARE(e.bob.toPlainText(), QStringLiteral("ada bob"));
    QVERIFY(!e.ada.document()->isUndoAvailable()); // QTextDocument's own stack stays off
}

void TestDocumentBinding::existingTextShowsWhenBound()
{
    Fixture f;
    f.ada->connect();
    f.settle();
    f.ada->document->insert(0, QStringLiteral("one\ntwo"));
    DocumentEditor editor;
    editor.setDocumentSession(f.ada->document.get());
    QCOMPARE(editor.toPlainText(), QStringLiteral("one\ntwo"));
    QCOMPARE(editor.document()->blockCount(), 2);
    QVERIFY(!editor.isReadOnly());
    f.ada->document.reset(); // the session goes first: the editor lets go
    QVERIFY(editor.isReadOnly());
    QVERIFY(editor.toPlainText().isEmpty());
}

QTEST_MAIN(TestDocumentBinding)
#include "tst_documentbinding.moc"
