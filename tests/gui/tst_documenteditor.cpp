// Issue 5's GUI test: two offscreen app windows (ada and bob, each with its
// own Session and local store) against a real tandem-server type into the
// Document tab with QTest::keyClicks. Both end with the same text, each
// paints the other's caret with a name label in the other's colour, and
// Ctrl+Z undoes only one's own typing. With TANDEM_SCREENSHOT_DIR set, the
// two windows are saved side by side as document-editor.png.
#include "core/client/Session.h"
#include "core/docs/DocumentSession.h"
#include "core/docs/UserColor.h"
#include "tests/gui/AppWindow.h"
#include "tests/gui/Screenshot.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestOffline.h"
#include "ui/DocumentEditor.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QTabWidget>
#include <QTest>

using tandem::client::Session;
using tandem::test::AppWindow;
using tandem::test::ServerProcess;
using tandem::test::TestClient;
using tandem::test::TestOffline;
using tandem::ui::DocumentEditor;
using tandem::ui::MainWindow;

namespace {
const QString Room = QStringLiteral("general");

DocumentEditor *openDocumentTab(MainWindow &window)
{
    window.showRoom(Room);
    window.findChild<QTabWidget *>(QStringLiteral("mainTabs"))->setCurrentIndex(1);
    DocumentEditor *editor = window.documentEditor();
    editor->setFocus();
    return editor;
}

/// The carets the editor paints now (rendering it first).
QList<DocumentEditor::PaintedCaret> caretsShown(DocumentEditor *editor)
{
    editor->grab();
    return editor->paintedCarets();
}

bool showsCaretOf(DocumentEditor *editor, const QString &name)
{
    for (const DocumentEditor::PaintedCaret &caret : caretsShown(editor)) {
        if (caret.name == name && caret.label.width() > caret.caret.width() && caret.caret.height() > 0)
            return true;
    }
    return false;
}
} // namespace

class TestDocumentEditor : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void twoWindowsTypeAndSeeEachOthersCarets();

private:
    ServerProcess m_server;
    QString m_adaToken;
    QString m_bobToken;
};

void TestDocumentEditor::initTestCase()
{
    QVERIFY(m_server.start());
    m_adaToken = m_server.addMember(QStringLiteral("ada"), Room); // ada creates and owns it
    m_bobToken = m_server.addMember(QStringLiteral("bob"), Room);
    QVERIFY(!m_adaToken.isEmpty() && !m_bobToken.isEmpty());
}

void TestDocumentEditor::twoWindowsTypeAndSeeEachOthersCarets()
{
    AppWindow adaApp(m_server, m_adaToken);
    AppWindow bobApp(m_server, m_bobToken);
    MainWindow &ada = adaApp.window;
    MainWindow &bob = bobApp.window;
    Session &adaSession = adaApp.session;
    Session &bobSession = bobApp.session;
    ada.resize(720, 460);
    bob.resize(720, 460);
    ada.show();
    bob.show();
    adaSession.connectToServer();
    bobSession.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(adaSession.isRoomLive(Room) && bobSession.isRoomLive(Room), 10000);

    DocumentEditor *adaEditor = openDocumentTab(ada);
    DocumentEditor *bobEditor = openDocumentTab(bob);
    QTRY_VERIFY_WITH_TIMEOUT(ada.documentSession() && ada.documentSession()->isSynced(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(bob.documentSession() && bob.documentSession()->isSynced(), 10000);

    QTest::keyClicks(adaEditor, QStringLiteral("Agenda: ship the editor."));
    QTest::keyClick(adaEditor, Qt::Key_Return);
    QTest::keyClicks(adaEditor, QStringLiteral("Ada writes here."));
    QTRY_COMPARE_WITH_TIMEOUT(bobEditor->toPlainText(),
                              QStringLiteral("Agenda: ship the editor.\nAda writes here."), 10000);
    // Bob adds a line of his own at the end; ada's caret stays where she typed.
    bobEditor->moveCursor(QTextCursor::End);
    QTest::keyClick(bobEditor, Qt::Key_Return);
    QTest::keyClicks(bobEditor, QStringLiteral("Bob reviews it!"));
    const QString together = QStringLiteral("Agenda: ship the editor.\nAda writes here.\nBob reviews it!");
    QTRY_COMPARE_WITH_TIMEOUT(adaEditor->toPlainText(), together, 10000);
    QCOMPARE(bobEditor->toPlainText(), together);
    QCOMPARE(adaEditor->textCursor().position(),
             QStringLiteral("Agenda: ship the editor.\nAda writes here.").size());
    // Ada selects "ship the editor" for bob to see.
    QTextCursor selection = adaEditor->textCursor();
    selection.setPosition(8);
    selection.setPosition(23, QTextCursor::KeepAnchor);
    adaEditor->setTextCursor(selection);

    // Each paints the other's caret with a name label, in the other's colour.
    QTRY_VERIFY_WITH_TIMEOUT(showsCaretOf(adaEditor, QStringLiteral("bob")), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(showsCaretOf(bobEditor, QStringLiteral("ada")), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(caretsShown(bobEditor).value(0).selectionLength == 15, 10000);
    QCOMPARE(caretsShown(bobEditor).value(0).color,
             QColor(tandem::docs::userColorName(QStringLiteral("ada"))));
    QCOMPARE(caretsShown(adaEditor).size(), 1); // not her own

    QVERIFY(tandem::test::saveScreenshot({&ada, &bob}, QStringLiteral("document-editor.png")));

    // Ctrl+Z in ada's editor undoes her typing, never bob's line.
    adaEditor->setFocus();
    for (int i = 0; i < 10 && adaEditor->toPlainText() != QStringLiteral("\nBob reviews it!"); ++i)
        QTest::keyClick(adaEditor, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(adaEditor->toPlainText(), QStringLiteral("\nBob reviews it!"));
    QTRY_COMPARE_WITH_TIMEOUT(bobEditor->toPlainText(), QStringLiteral("\nBob reviews it!"), 10000);
    QTest::keyClick(adaEditor, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(adaEditor->toPlainText().contains(QStringLiteral("Ada writes here.")) ||
            adaEditor->toPlainText().contains(QStringLiteral("Agenda")));
    QTRY_COMPARE_WITH_TIMEOUT(bobEditor->toPlainText(), adaEditor->toPlainText(), 10000);
}

QTEST_MAIN(TestDocumentEditor)
#include "tst_documenteditor.moc"
