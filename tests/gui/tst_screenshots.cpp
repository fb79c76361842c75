// Screenshots of the main window for the README: a few rooms (one private,
// one with unread messages), members in every presence state, a conversation
// and someone typing, in a light and a dark palette. The images are written
// only when TANDEM_SCREENSHOT_DIR is set; the grab is checked either way.

#include "core/client/Session.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestOffline.h"
#include "ui/ChatView.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QDir>
#include <QListView>
#include <QStyleFactory>
#include <QTest>

using tandem::client::Session;
using tandem::test::ServerProcess;
using tandem::test::TestClient;
using tandem::ui::MainWindow;

namespace {

const QString General = QStringLiteral("general");
const QSize WindowSize(1000, 640);

QPalette darkPalette()
{
    // What a dark platform theme hands the app; the UI derives everything else from it.
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
    palette.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    palette.setColor(QPalette::Base, QColor(0x1f, 0x20, 0x23));
    palette.setColor(QPalette::AlternateBase, QColor(0x2b, 0x2d, 0x31));
    palette.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    palette.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9c, 0xa0));
    palette.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3c));
    palette.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    palette.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xd6));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::ToolTipBase, QColor(0x35, 0x37, 0x3c));
    palette.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
    palette.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    palette.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    palette.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    palette.setColor(QPalette::Light, QColor(0x45, 0x47, 0x4c));
    palette.setColor(QPalette::Midlight, QColor(0x3a, 0x3c, 0x41));
    palette.setColor(QPalette::Mid, QColor(0x25, 0x26, 0x29));
    palette.setColor(QPalette::Dark, QColor(0x1a, 0x1b, 0x1d));
    palette.setColor(QPalette::Shadow, Qt::black);
    return palette;
}

} // namespace

class TestScreenshots : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void mainWindow_data();
    void mainWindow();

private:
    ServerProcess m_server;
    QString m_aliceToken;
    QString m_bobToken;
    TestClient m_carol;
};

void TestScreenshots::initTestCase()
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QVERIFY(m_server.start());
    QMap<QString, QString> tokens;
    for (const QString &name :
         {QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol"), QStringLiteral("dave")}) {
        QVERIFY(m_server.addUser(name));
        tokens.insert(name, m_server.login(name));
        QVERIFY(!tokens.value(name).isEmpty());
    }
    m_aliceToken = tokens.value(QStringLiteral("alice"));
    m_bobToken = tokens.value(QStringLiteral("bob"));

    TestClient alice;
    QVERIFY(alice.connectAndAuthenticate(m_server.wsUrl(), m_aliceToken));
    QVERIFY(alice.join(General));
    QVERIFY(alice.join(QStringLiteral("design"), std::nullopt, true));
    QVERIFY(alice.join(QStringLiteral("random")));
    TestClient dave;
    QVERIFY(dave.connectAndAuthenticate(m_server.wsUrl(), tokens.value(QStringLiteral("dave"))));
    QVERIFY(dave.join(General));
    QVERIFY(dave.chat(General,
                      QStringLiteral("Morning! The nightly build is up, release notes are in the wiki.")));
    TestClient bob;
    QVERIFY(bob.connectAndAuthenticate(m_server.wsUrl(), m_bobToken));
    QVERIFY(bob.join(General));
    QVERIFY(bob.chat(General, QStringLiteral("Thanks Dave. The reconnect banner is much clearer now.")));
    QVERIFY(
        bob.chat(General, QStringLiteral("I killed the server twice and nothing got lost or duplicated.")));
    QVERIFY(alice.chat(General, QStringLiteral("Great! Then let's ship it on Friday.")));
    QVERIFY(
        alice.chat(General, QStringLiteral("Carol, can you check the German translation before that? A few "
                                           "strings in the sign-in dialog are still in English.")));
    QVERIFY(m_carol.connectAndAuthenticate(m_server.wsUrl(), tokens.value(QStringLiteral("carol"))));
    QVERIFY(m_carol.join(General));
    QVERIFY(m_carol.chat(General, QStringLiteral("Sure, right after lunch.")));
    m_carol.send(QStringLiteral("presence:set"), {{QStringLiteral("status"), QStringLiteral("away")}});
}

void TestScreenshots::mainWindow_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QPalette>("palette");
    QTest::addRow("light") << QStringLiteral("main-window-light.png")
                           << QApplication::style()->standardPalette();
    QTest::addRow("dark") << QStringLiteral("main-window-dark.png") << darkPalette();
}

void TestScreenshots::mainWindow()
{
    QFETCH(QString, name);
    QFETCH(QPalette, palette);
    QApplication::setPalette(palette);

    Session session(m_server.wsUrl(), m_aliceToken);
    tandem::test::TestOffline offline(session);
    MainWindow window(session, offline.sync());
    window.resize(WindowSize);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE(window.chatClient().rooms()->rowCount(), 3);
    window.showRoom(General);
    QTRY_COMPARE(window.chatView()->room(), General);
    QTRY_VERIFY(window.chatClient().messages(General)->rowCount() >= 6);
    QTRY_VERIFY(session.isRoomLive(QStringLiteral("random")));
    QTRY_COMPARE(window.findChild<QListView *>(QStringLiteral("memberList"))->model()->rowCount(), 4);

    TestClient bob;
    QVERIFY(bob.connectAndAuthenticate(m_server.wsUrl(), m_bobToken));
    QVERIFY(bob.join(QStringLiteral("random")));
    QVERIFY(bob.join(General));
    QVERIFY(bob.chat(QStringLiteral("random"), QStringLiteral("Anyone up for lunch?")));
    QVERIFY(bob.chat(QStringLiteral("random"), QStringLiteral("The new place around the corner?")));
    QTRY_COMPARE(window.chatClient().rooms()->unread(QStringLiteral("random")), 2);
    bob.send(QStringLiteral("typing:start"), {{QStringLiteral("roomId"), General}});
    QTRY_VERIFY(!window.chatView()->typingText().isEmpty());
    QTest::qWait(50); // let the last layout pass paint

    const QPixmap shot = window.grab();
    QVERIFY(!shot.isNull());
    QCOMPARE(shot.size(), WindowSize * shot.devicePixelRatio());
    const QString directory = qEnvironmentVariable("TANDEM_SCREENSHOT_DIR");
    if (!directory.isEmpty()) {
        QVERIFY(QDir().mkpath(directory));
        QVERIFY(shot.save(QDir(directory).filePath(name)));
    }
}

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"
