// The real MainWindow, offscreen, signed in to a real tandem-server as alice,
// with bob on a second connection: what alice types reaches bob, bob's reply,
// typing and presence reach alice's window.

#include "core/chat/PresenceRoster.h"
#include "core/client/Session.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestOffline.h"
#include "ui/ChatView.h"
#include "ui/Composer.h"
#include "ui/ConnectionStatusWidget.h"
#include "ui/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QTimer>
#include <QToolButton>

using tandem::chat::ChatMessage;
using tandem::chat::MessageListModel;
using tandem::chat::PresenceRoster;
using tandem::client::Session;
using tandem::test::ServerProcess;
using tandem::test::TestClient;
using tandem::ui::MainWindow;

namespace {

const QString General = QStringLiteral("general");

bool hasMessage(const MessageListModel &model, const QString &text, ChatMessage::State state)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.at(row).text == text && model.at(row).state == state)
            return true;
    }
    return false;
}

int rowOfMember(const QAbstractItemModel &model, const QString &userId)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, 0).data(PresenceRoster::UserIdRole).toString() == userId)
            return row;
    }
    return -1;
}

PresenceRoster::Status shownStatus(const QListView &members, const QString &userId)
{
    const int row = rowOfMember(*members.model(), userId);
    if (row < 0)
        return PresenceRoster::Status::Offline;
    return static_cast<PresenceRoster::Status>(
        members.model()->index(row, 0).data(PresenceRoster::StatusRole).toInt());
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void chatsWithASecondClient();
    void switchesRoomsWithShortcutsAndCountsUnread();
    void signOutActionEmits();
    void createsAPrivateRoomFromTheSidebar();
    void scrollingUpLoadsOlderPages();
    void goesAwayWhenIdleAndBackOnInput();
    void notifiesWhileNotFocused();
    void showsTheConnectionHonestly();

private:
    ServerProcess m_server;
    QString m_aliceToken;
    QString m_bobToken;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_server.start());
    QVERIFY(m_server.addUser(QStringLiteral("alice")));
    QVERIFY(m_server.addUser(QStringLiteral("bob")));
    m_aliceToken = m_server.login(QStringLiteral("alice"));
    m_bobToken = m_server.login(QStringLiteral("bob"));
    QVERIFY(!m_aliceToken.isEmpty());
    QVERIFY(!m_bobToken.isEmpty());
    // Alice becomes a member of #general and #random, so her window joins them from room:list.
    TestClient setup;
    QVERIFY(setup.connectAndAuthenticate(m_server.wsUrl(), m_aliceToken));
    QVERIFY(setup.join(General));
    QVERIFY(setup.join(QStringLiteral("random")));
    QVERIFY(setup.chat(General, QStringLiteral("Welcome to general")));
}

void TestMainWindow::chatsWithASecondClient()
{
    Session session(m_server.wsUrl(), m_aliceToken);
    tandem::test::TestOffline offline(session);
    MainWindow window(session, offline.sync());
    window.show();
    QTRY_VERIFY(session.isAuthenticated());
    auto *badge = window.findChild<QLabel *>(QStringLiteral("connectionBadge"));
    QVERIFY(badge);
    QTRY_VERIFY(
        badge->text().startsWith(tandem::ui::ConnectionStatusWidget::stateText(Session::State::Connected)));
    QTRY_COMPARE(window.chatView()->room(), General);
    MessageListModel *messages = window.chatClient().messages(General);
    QTRY_VERIFY(hasMessage(*messages, QStringLiteral("Welcome to general"), ChatMessage::State::Sent));

    TestClient bob;
    QVERIFY(bob.connectAndAuthenticate(m_server.wsUrl(), m_bobToken));
    QVERIFY(bob.join(General));
    auto *members = window.findChild<QListView *>(QStringLiteral("memberList"));
    QVERIFY(members);
    QTRY_COMPARE(shownStatus(*members, QStringLiteral("bob")), PresenceRoster::Status::Online);

    // Alice types: bob sees her typing, then her message; Shift+Enter only makes a new line.
    tandem::ui::Composer *composer = window.chatView()->composer();
    composer->setFocus();
    QTest::keyClicks(composer, QStringLiteral("Hello"));
    QVERIFY(bob.take(QStringLiteral("typing:update"), 10000, [](const QJsonObject &message) {
        const QJsonObject payload = message.value(QLatin1String("payload")).toObject();
        return payload.value(QLatin1String("userId")).toString() == QLatin1String("alice") &&
               payload.value(QLatin1String("typing")).toBool();
    }));
    QTest::keyClick(composer, Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(composer, QStringLiteral("Bob"));
    QCOMPARE(composer->toPlainText(), QStringLiteral("Hello\nBob"));
    QTest::keyClick(composer, Qt::Key_Return);
    QVERIFY(composer->toPlainText().isEmpty());
    const QString sent = QStringLiteral("Hello\nBob");
    // Local echo at once, pending until the ack.
    QVERIFY(hasMessage(*messages, sent, ChatMessage::State::Pending));
    const auto received = bob.take(QStringLiteral("chat:message"), 10000, [&](const QJsonObject &message) {
        return message.value(QLatin1String("payload")).toObject().value(QLatin1String("text")).toString() ==
               sent;
    });
    QVERIFY(received);
    QTRY_VERIFY(hasMessage(*messages, sent, ChatMessage::State::Sent));
    QVERIFY(!hasMessage(*messages, sent, ChatMessage::State::Pending));

    // Bob types, then replies: the indicator comes and goes, the reply appears.
    bob.send(QStringLiteral("typing:start"), {{QStringLiteral("roomId"), General}});
    QTRY_COMPARE(window.chatView()->typingText(), QStringLiteral("bob is typing…"));
    QVERIFY(bob.chat(General, QStringLiteral("Hi Alice!")));
    QTRY_VERIFY(hasMessage(*messages, QStringLiteral("Hi Alice!"), ChatMessage::State::Sent));
    QTRY_VERIFY(window.chatView()->typingText().isEmpty());
    const int rows = messages->rowCount();
    QCOMPARE(messages->at(rows - 1).text, QStringLiteral("Hi Alice!"));
    QCOMPARE(messages->at(rows - 1).userId, QStringLiteral("bob"));

    // Bob's presence dot: online → away → offline.
    bob.send(QStringLiteral("presence:set"), {{QStringLiteral("status"), QStringLiteral("away")}});
    QTRY_COMPARE(shownStatus(*members, QStringLiteral("bob")), PresenceRoster::Status::Away);
    bob.socket().close();
    QTRY_COMPARE(shownStatus(*members, QStringLiteral("bob")), PresenceRoster::Status::Offline);

    // Our own away toggle reaches the server (bob sees it once he is back).
    TestClient bobAgain;
    QVERIFY(bobAgain.connectAndAuthenticate(m_server.wsUrl(), m_bobToken));
    QVERIFY(bobAgain.join(General));
    auto *away = window.findChild<QAction *>(QStringLiteral("awayAction"));
    QVERIFY(away);
    away->trigger();
    QVERIFY(bobAgain.take(QStringLiteral("presence:update"), 10000, [](const QJsonObject &message) {
        const QJsonObject payload = message.value(QLatin1String("payload")).toObject();
        return payload.value(QLatin1String("userId")).toString() == QLatin1String("alice") &&
               payload.value(QLatin1String("status")).toString() == QLatin1String("away");
    }));
    QCOMPARE(window.findChild<QLabel *>(QStringLiteral("ownPresence"))->text(),
             MainWindow::tr("You are away"));
}

void TestMainWindow::switchesRoomsWithShortcutsAndCountsUnread()
{
    Session session(m_server.wsUrl(), m_aliceToken);
    tandem::test::TestOffline offline(session);
    MainWindow window(session, offline.sync());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE(window.chatClient().rooms()->rowCount(), 2);
    QTRY_COMPARE(window.chatView()->room(), General);
    QTRY_VERIFY(session.isRoomLive(QStringLiteral("random")));

    TestClient bob;
    QVERIFY(bob.connectAndAuthenticate(m_server.wsUrl(), m_bobToken));
    QVERIFY(bob.join(QStringLiteral("random")));
    QVERIFY(bob.chat(QStringLiteral("random"), QStringLiteral("psst")));
    QTRY_COMPARE(window.chatClient().rooms()->unread(QStringLiteral("random")), 1);

    // Ctrl+2 opens the second room (sorted: general, random) and clears its count.
    QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
    QTRY_COMPARE(window.chatView()->room(), QStringLiteral("random"));
    QCOMPARE(window.chatClient().rooms()->unread(QStringLiteral("random")), 0);
    QTest::keyClick(&window, Qt::Key_PageDown, Qt::ControlModifier);
    QCOMPARE(window.chatView()->room(), General);
    QTest::keyClick(&window, Qt::Key_PageUp, Qt::ControlModifier);
    QCOMPARE(window.chatView()->room(), QStringLiteral("random"));

    // Ctrl+L puts the cursor in the composer.
    window.findChild<QListView *>(QStringLiteral("roomList"))->setFocus();
    QTest::keyClick(&window, Qt::Key_L, Qt::ControlModifier);
    QTRY_VERIFY(window.chatView()->composer()->hasFocus());
}

void TestMainWindow::signOutActionEmits()
{
    Session session(m_server.wsUrl(), m_aliceToken);
    tandem::test::TestOffline offline(session);
    MainWindow window(session, offline.sync());
    QSignalSpy signOut(&window, &MainWindow::signOutRequested);
    auto *action = window.findChild<QAction *>(QStringLiteral("signOutAction"));
    QVERIFY(action);
    action->trigger();
    QCOMPARE(signOut.count(), 1);
    // The document and canvas tabs exist, as placeholders.
    auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("mainTabs"));
    QVERIFY(tabs);
    QCOMPARE(tabs->count(), 3);
}

void TestMainWindow::goesAwayWhenIdleAndBackOnInput()
{
    Session session(m_server.wsUrl(), m_aliceToken);
    tandem::test::TestOffline offline(session);
    MainWindow window(session, offline.sync());
    window.setIdleTimeout(300);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY(session.isRoomLive(General));
    TestClient bob;
    QVERIFY(bob.connectAndAuthenticate(m_server.wsUrl(), m_bobToken));
    QVERIFY(bob.join(General));
    const auto aliceIs = [&bob](const QString &status) {
        return bob.take(QStringLiteral("presence:update"), 10000, [&status](const QJsonObject &message) {
            const QJsonObject payload = message.value(QLatin1String("payload")).toObject();
            return payload.value(QLatin1String("userId")).toString() == QLatin1String("alice") &&
                   payload.value(QLatin1String("status")).toString() == status;
        });
    };
    auto *own = window.findChild<QLabel *>(QStringLiteral("ownPresence"));
    // No input for the idle time: away, and the server tells the room.
    QTRY_COMPARE(own->text(), MainWindow::tr("You are away"));
    QVERIFY(aliceIs(QStringLiteral("away")));
    // Any key press in the app (seen by the app-wide event filter) brings her back.
    QTest::keyClick(window.chatView()->composer(), Qt::Key_A);
    QCOMPARE(own->text(), MainWindow::tr("You are online"));
    QVERIFY(aliceIs(QStringLiteral("online")));
    // Minimising is away too.
    window.setIdleTimeout(60000);
    window.showMinimized();
    QTRY_COMPARE(own->text(), MainWindow::tr("You are away"));
    window.showNormal();
    QTRY_COMPARE(own->text(), MainWindow::tr("You are online"));
}

void TestMainWindow::notifiesWhileNotFocused()
{
    Session session(m_server.wsUrl(), m_aliceToken);
    tandem::test::TestOffline offline(session);
    MainWindow window(session, offline.sync()); // never shown, so never the active window
    QSignalSpy notified(&window, &MainWindow::notificationPosted);
    QTRY_VERIFY(session.isRoomLive(QStringLiteral("random")));
    QTRY_COMPARE(window.chatClient().currentRoom(), General);
    TestClient bob;
    QVERIFY(bob.connectAndAuthenticate(m_server.wsUrl(), m_bobToken));
    QVERIFY(bob.join(QStringLiteral("random")));
    QVERIFY(bob.chat(QStringLiteral("random"), QStringLiteral("lunch?")));
    QTRY_COMPARE(notified.count(), 1);
    QCOMPARE(notified.at(0).at(0).toString(),
             MainWindow::tr("%1 in #%2").arg(QStringLiteral("bob"), QStringLiteral("random")));
    QCOMPARE(notified.at(0).at(1).toString(), QStringLiteral("lunch?"));
}

void TestMainWindow::createsAPrivateRoomFromTheSidebar()
{
    Session session(m_server.wsUrl(), m_aliceToken);
    tandem::test::TestOffline offline(session);
    MainWindow window(session, offline.sync());
    window.show();
    QTRY_VERIFY(session.isRoomLive(General));
    // The join dialog is modal: fill it in from inside its event loop.
    bool filled = false;
    QTimer::singleShot(0, this, [&filled] {
        auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("roomNameEdit"));
        auto *join = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QTest::keyClicks(name, QStringLiteral("bad name!"));
        QCOMPARE(name->text(), QStringLiteral("badname")); // the validator refuses what the server would
        name->clear();
        QVERIFY(!join->isEnabled());
        QTest::keyClicks(name, QStringLiteral("secret"));
        dialog->findChild<QCheckBox *>(QStringLiteral("privateCheck"))->setChecked(true);
        QTest::mouseClick(join, Qt::LeftButton);
        filled = true;
    });
    QTest::mouseClick(window.findChild<QToolButton *>(QStringLiteral("joinRoomButton")), Qt::LeftButton);
    QVERIFY(filled);
    QTRY_VERIFY(session.isRoomLive(QStringLiteral("secret")));
    QTRY_COMPARE(window.chatView()->room(), QStringLiteral("secret"));
    const int row = window.chatClient().rooms()->rowOf(QStringLiteral("secret"));
    QVERIFY(row >= 0);
    QVERIFY(window.chatClient().rooms()->index(row).data(tandem::chat::RoomListModel::PrivateRole).toBool());
    // Private for real: bob may not join it.
    TestClient bob;
    QVERIFY(bob.connectAndAuthenticate(m_server.wsUrl(), m_bobToken));
    bob.send(QStringLiteral("room:join"), {{QStringLiteral("roomId"), QStringLiteral("secret")}});
    const auto refused = bob.take(QStringLiteral("error"));
    QVERIFY(refused);
    QCOMPARE(refused->value(QLatin1String("payload")).toObject().value(QLatin1String("code")).toString(),
             QStringLiteral("forbidden"));
}

void TestMainWindow::scrollingUpLoadsOlderPages()
{
    // 120 messages: the window loads the newest page (50) and pages back as the user scrolls up.
    ServerProcess server{{QStringLiteral("[limits]"), QStringLiteral("messages_per_second=100000"),
                          QStringLiteral("burst=100000")}};
    QVERIFY(server.start());
    QVERIFY(server.addUser(QStringLiteral("alice")));
    const QString token = server.login(QStringLiteral("alice"));
    TestClient writer;
    QVERIFY(writer.connectAndAuthenticate(server.wsUrl(), token));
    QVERIFY(writer.join(General));
    for (int i = 1; i <= 120; ++i)
        QVERIFY(writer.chat(General, QStringLiteral("message %1").arg(i)));

    Session session(server.wsUrl(), token);
    tandem::test::TestOffline offline(session);
    MainWindow window(session, offline.sync());
    window.resize(800, 600);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    MessageListModel *messages = window.chatClient().messages(General);
    QTRY_COMPARE(messages->rowCount(), 50);
    QCOMPARE(messages->at(49).text, QStringLiteral("message 120"));
    QScrollBar *bar = window.chatView()->messageView()->verticalScrollBar();
    // The view opens at the newest message.
    QTRY_VERIFY(bar->maximum() > 0 && bar->value() == bar->maximum());
    bar->setValue(bar->minimum());
    QTRY_COMPARE(messages->rowCount(), 100);
    // What the user was reading stays in view: not thrown back to the top.
    QTRY_VERIFY(bar->value() > bar->minimum());
    bar->setValue(bar->minimum());
    QTRY_COMPARE(messages->rowCount(), 120);
    QCOMPARE(messages->at(0).text, QStringLiteral("message 1"));
    QTRY_VERIFY(!messages->hasMoreHistory());
}

void TestMainWindow::showsTheConnectionHonestly()
{
    ServerProcess server;
    QVERIFY(server.start());
    QVERIFY(server.addUser(QStringLiteral("alice")));
    const QString token = server.login(QStringLiteral("alice"));
    Session session(server.wsUrl(), token);
    tandem::test::TestOffline offline(session);
    MainWindow window(session, offline.sync());
    window.show();
    auto *banner = window.findChild<QLabel *>(QStringLiteral("offlineBanner"));
    auto *badge = window.findChild<QLabel *>(QStringLiteral("connectionBadge"));
    auto *retry = window.findChild<QPushButton *>(QStringLiteral("retryButton"));
    QVERIFY(banner && badge && retry);
    QTRY_VERIFY(session.isAuthenticated());
    QVERIFY(!banner->isVisible());
    QVERIFY(!retry->isVisible());

    const quint16 port = server.port();
    server.kill();
    QTRY_COMPARE(session.state(), Session::State::Reconnecting);
    QTRY_VERIFY(banner->isVisible());
    QVERIFY(badge->text().startsWith(
        tandem::ui::ConnectionStatusWidget::stateText(Session::State::Reconnecting)));
    QVERIFY(retry->isVisible());
    QTRY_VERIFY(window.findChild<QLabel *>(QStringLiteral("retryCountdown"))->isVisible() ||
                session.state() != Session::State::Reconnecting);

    QVERIFY(server.start(port));
    QTest::mouseClick(retry, Qt::LeftButton);
    QTRY_COMPARE(session.state(), Session::State::Connected);
    QTRY_VERIFY(!banner->isVisible());
    QVERIFY(!retry->isVisible());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
