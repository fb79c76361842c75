// The real MainWindow offline (issue 4): it opens on its local store with no
// server, shows what it cached, queues what the user does and says so in the
// status bar, replays it when the server is back; and a conflict whose policy
// asks the user is settled through the real ConflictDialog.
#include "core/client/Session.h"
#include "tests/gui/AppWindow.h"
#include "tests/gui/Screenshot.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestOffline.h"
#include "ui/ChatView.h"
#include "ui/ConflictDialog.h"
#include "ui/DocumentTitleEdit.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using tandem::client::Session;
using tandem::test::AppWindow;
using tandem::test::ServerProcess;
using tandem::test::TestClient;
using tandem::test::TestOffline;
using tandem::ui::ConflictDialog;
using tandem::ui::MainWindow;

namespace {
const QString General = QStringLiteral("general");

} // namespace

class TestOfflineWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void opensOnTheCacheAndReplaysWhenTheServerIsBack();
    void askTheUserConflictGoesThroughTheDialog();

private:
    /// The entity as the server holds it now, through the REST API.
    QJsonObject serverEntity(const QString &token, const QString &entity);

    ServerProcess m_server;
    QString m_adaToken;
    QString m_bobToken;
};

void TestOfflineWindow::initTestCase()
{
    QVERIFY(m_server.start());
    m_adaToken = m_server.addMember(QStringLiteral("ada"), General); // ada owns the room
    m_bobToken = m_server.addMember(QStringLiteral("bob"), General);
    QVERIFY(!m_adaToken.isEmpty() && !m_bobToken.isEmpty());
    TestClient ada;
    QVERIFY(ada.connectAndAuthenticate(m_server.wsUrl(), m_adaToken));
    QVERIFY(ada.join(General));
    QVERIFY(ada.chat(General, QStringLiteral("cached before the tunnel")));
}

QJsonObject TestOfflineWindow::serverEntity(const QString &token, const QString &entity)
{
    QNetworkAccessManager network;
    QNetworkRequest request(m_server.httpUrl(QStringLiteral("/api/entities/general/%1").arg(entity)));
    request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    QNetworkReply *reply = network.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(10000))
        return {};
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object();
}

void TestOfflineWindow::opensOnTheCacheAndReplaysWhenTheServerIsBack()
{
    QTemporaryDir storeDir;
    const QString storePath = storeDir.filePath(QStringLiteral("local.sqlite"));
    {
        // A first run online fills the cache.
        Session session(m_server.wsUrl(), m_adaToken);
        TestOffline offline(session, storePath);
        MainWindow window(session, offline.sync());
        window.show();
        QTRY_VERIFY(session.isRoomLive(General));
        QTRY_VERIFY(window.chatClient().messages(General)->rowCount() >= 1);
    }

    // Nothing listens on this port: the app must work from its store alone.
    Session session(QUrl(QStringLiteral("ws://127.0.0.1:9/ws")), m_adaToken);
    TestOffline offline(session, storePath);
    MainWindow window(session, offline.sync());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Shown from the cache at once, not after a connection.
    QCOMPARE(window.chatClient().rooms()->rowCount(), 1);
    QCOMPARE(window.chatClient().messages(General)->at(0).text, QStringLiteral("cached before the tunnel"));
    QToolButton *syncStatus = window.syncStatusButton();
    QVERIFY(!syncStatus->isVisible());

    window.showRoom(General);
    QVERIFY(window.chatClient().sendMessage(General, QStringLiteral("written in the tunnel")));
    QVERIFY(window.chatClient().setTopic(General, QStringLiteral("Launch on Friday")));
    // The document title, renamed in place on the Document tab.
    window.findChild<QTabWidget *>(QStringLiteral("mainTabs"))->setCurrentIndex(1);
    QLineEdit *title = window.documentTitle()->editor();
    title->setFocus();
    QTest::keyClicks(title, QStringLiteral("Release plan"));
    QTest::keyClick(title, Qt::Key_Return);
    QCOMPARE(window.documentTitle()->stateText(), QStringLiteral("waiting to sync"));
    QTRY_VERIFY(syncStatus->isVisible());
    QCOMPARE(syncStatus->text(), QStringLiteral("3 changes waiting to sync"));
    auto *messages = window.chatClient().messages(General);
    QCOMPARE(messages->at(messages->rowCount() - 1).state, tandem::chat::ChatMessage::State::Pending);
    QCOMPARE(window.chatView()->topicLabel()->text(), QStringLiteral("Launch on Friday (waiting to sync)"));
    QVERIFY(tandem::test::saveScreenshot({&window}, QStringLiteral("offline-window.png")));

    // The sync details list both changes.
    window.showSyncDetails();
    auto *details = window.findChild<QDialog *>(QStringLiteral("syncDetailsDialog"));
    QVERIFY(details);
    QTRY_VERIFY(details->isVisible());
    details->close();

    // The network comes back: the same store, a session that can reach the server.
    Session online(m_server.wsUrl(), m_adaToken);
    window.close();
    TestOffline reopened(online, storePath);
    // The first window's store connection must be gone before the second uses the file: it is
    // a separate connection on the same WAL file, which SQLite allows.
    MainWindow back(online, reopened.sync());
    back.show();
    QCOMPARE(back.syncStatusButton()->text(), QStringLiteral("3 changes waiting to sync"));
    QTRY_VERIFY_WITH_TIMEOUT(!back.syncStatusButton()->isVisible(), 15000);
    QCOMPARE(serverEntity(m_adaToken, QStringLiteral("room"))
                 .value(QLatin1String("value"))
                 .toObject()
                 .value(QLatin1String("topic")),
             QJsonValue(QStringLiteral("Launch on Friday")));
    QCOMPARE(serverEntity(m_adaToken, QStringLiteral("document"))
                 .value(QLatin1String("value"))
                 .toObject()
                 .value(QLatin1String("title")),
             QJsonValue(QStringLiteral("Release plan")));
    QCOMPARE(back.documentTitle()->editor()->text(), QStringLiteral("Release plan"));
    QVERIFY(back.documentTitle()->stateText().isEmpty());
    auto *backMessages = back.chatClient().messages(General);
    QTRY_COMPARE(backMessages->at(backMessages->rowCount() - 1).state,
                 tandem::chat::ChatMessage::State::Sent);
    QCOMPARE(backMessages->at(backMessages->rowCount() - 1).text, QStringLiteral("written in the tunnel"));
    // Exactly once on the server.
    TestClient reader;
    QVERIFY(reader.connectAndAuthenticate(m_server.wsUrl(), m_bobToken));
    QVERIFY(reader.join(General, 0));
    int copies = 0;
    for (const QJsonObject &event : reader.received()) {
        if (event.value(QLatin1String("payload")).toObject().value(QLatin1String("text")) ==
            QJsonValue(QStringLiteral("written in the tunnel")))
            ++copies;
    }
    QCOMPARE(copies, 1);
}

void TestOfflineWindow::askTheUserConflictGoesThroughTheDialog()
{
    AppWindow adaApp(m_server, m_adaToken);
    AppWindow bobApp(m_server, m_bobToken);
    MainWindow &ada = adaApp.window;
    MainWindow &bob = bobApp.window;
    Session &adaSession = adaApp.session;
    Session &bobSession = bobApp.session;
    ada.show();
    bob.show();
    QTRY_VERIFY(adaSession.isRoomLive(General));
    QTRY_VERIFY(bobSession.isRoomLive(General));
    const QString before = ada.chatClient().topic(General);
    QTRY_COMPARE(bob.chatClient().topic(General), before);

    // Both go into the tunnel and change the topic.
    adaSession.disconnectFromServer();
    bobSession.disconnectFromServer();
    QVERIFY(ada.chatClient().setTopic(General, QStringLiteral("Ship it on Friday")));
    QVERIFY(bob.chatClient().setTopic(General, QStringLiteral("Ship it on Monday")));

    adaSession.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(!ada.syncStatusButton()->isVisible(), 15000);
    bobSession.connectToServer();
    // The room topic asks the user: bob's window shows the dialog with all three values.
    ConflictDialog *dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = bob.findChild<ConflictDialog *>()) != nullptr, 15000);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(dialog->baseView()->toPlainText(), before);
    QCOMPARE(dialog->theirsView()->toPlainText(), QStringLiteral("Ship it on Friday"));
    QCOMPARE(dialog->mineView()->toPlainText(), QStringLiteral("Ship it on Monday"));
    // While it waits, bob sees the server's topic and the change is still counted.
    QCOMPARE(bob.chatClient().topic(General), QStringLiteral("Ship it on Friday"));
    QVERIFY(bob.syncStatusButton()->isVisible());

    QVERIFY(tandem::test::saveScreenshot({dialog}, QStringLiteral("conflict-dialog.png")));

    dialog->mergeEditor()->setPlainText(QStringLiteral("Ship it on Friday, party on Monday"));
    QTest::mouseClick(dialog->useMergeButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!bob.syncStatusButton()->isVisible(), 15000);
    const QString merged = QStringLiteral("Ship it on Friday, party on Monday");
    QTRY_COMPARE(ada.chatClient().topic(General), merged);
    QCOMPARE(bob.chatClient().topic(General), merged);
    const QJsonObject room = serverEntity(m_adaToken, QStringLiteral("room"));
    QCOMPARE(room.value(QLatin1String("value")).toObject().value(QLatin1String("topic")), QJsonValue(merged));
    QCOMPARE(room.value(QLatin1String("by")), QJsonValue(QStringLiteral("bob")));
}

QTEST_MAIN(TestOfflineWindow)
#include "tst_offlinewindow.moc"
