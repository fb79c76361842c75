// Issue 5's offline test: two desktop clients (a real Session and
// DocumentSession each, with their own local store) edit the same paragraph
// of a room's document through a real tandem-server, then both go offline,
// edit the same paragraph again, and reconnect. Both keep every character
// and end with equal text, which the server holds too.

#include "core/client/QtTimerSource.h"
#include "core/client/Session.h"
#include "core/docs/DocumentSession.h"
#include "core/offline/LocalStore.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tandem;
using tandem::client::Session;
using tandem::docs::DocumentSession;
using tandem::test::ServerProcess;
using tandem::test::TestClient;

namespace {
const QString Room = QStringLiteral("plans");

struct Desktop {
    Desktop(ServerProcess &server, const QString &token, const QString &userId, const QString &storePath)
        : session(server.wsUrl(), token)
        , store(storePath)
    {
        if (!store.open())
            qFatal("cannot open the local store");
        if (!session.joinRoom(Room))
            qFatal("cannot join");
        document = std::make_unique<DocumentSession>(session, Room, &store, Clock::system(), timers);
        document->setUser(userId, QStringLiteral("#336699"));
        document->open();
    }
    QString text() { return document->text().toString(); }

    client::QtTimerSource timers;
    Session session;
    offline::LocalStore store;
    std::unique_ptr<DocumentSession> document;
};
} // namespace

class TestDocumentOffline : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void samePargraphEditedOfflineMergesOnReconnect();
    void refusedEditIsReportedToTheUser();

private:
    ServerProcess m_server;
    QString m_adaToken;
    QString m_bobToken;
};

void TestDocumentOffline::initTestCase()
{
    QVERIFY(m_server.start());
    m_adaToken = m_server.addMember(QStringLiteral("ada"), Room); // ada creates and owns it
    m_bobToken = m_server.addMember(QStringLiteral("bob"), Room);
    QVERIFY(!m_adaToken.isEmpty() && !m_bobToken.isEmpty());
}

void TestDocumentOffline::samePargraphEditedOfflineMergesOnReconnect()
{
    QTemporaryDir dir;
    Desktop ada(m_server, m_adaToken, QStringLiteral("ada"), dir.filePath(QStringLiteral("ada.sqlite")));
    Desktop bob(m_server, m_bobToken, QStringLiteral("bob"), dir.filePath(QStringLiteral("bob.sqlite")));
    ada.session.connectToServer();
    bob.session.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(ada.document->isSynced() && bob.document->isSynced(), 10000);

    const QString paragraph = QStringLiteral("We ship on Friday after the review.");
    ada.document->insert(0, paragraph);
    QTRY_COMPARE_WITH_TIMEOUT(bob.text(), paragraph, 10000);

    ada.session.disconnectFromServer();
    bob.session.disconnectFromServer();
    QTRY_VERIFY(!ada.document->isSynced() && !bob.document->isSynced());

    // Both edit the same paragraph, at the same place and around it, emoji included.
    const QString adaWords = QStringLiteral("definitely ");
    const QString bobWords = QStringLiteral("probably 🚀 ");
    ada.document->insert(11, adaWords); // before "Friday"
    ada.document->remove(0, 3);         // "We "
    ada.document->insert(ada.document->text().length(), QStringLiteral(" (Ada)"));
    bob.document->remove(paragraph.size() - 1, 1); // the final '.'
    bob.document->insert(11, bobWords);
    bob.document->insert(0, QStringLiteral("Note: "));
    const QString adaOffline = ada.text();
    const QString bobOffline = bob.text();
    QCOMPARE(adaOffline, QStringLiteral("ship on definitely Friday after the review. (Ada)"));
    QCOMPARE(bobOffline, QStringLiteral("Note: We ship on probably 🚀 Friday after the review"));

    ada.session.connectToServer();
    bob.session.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(ada.document->isSynced() && bob.document->isSynced(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(ada.text(), bob.text(), 10000);
    const QString merged = ada.text();
    // Every character either typed is there; what either deleted is gone.
    for (const QString &piece : {adaWords, bobWords, QStringLiteral(" (Ada)"), QStringLiteral("Note: "),
                                 QStringLiteral("ship on "), QStringLiteral("Friday after the review")})
        QVERIFY2(merged.contains(piece), qPrintable(merged));
    QVERIFY2(!merged.contains(QStringLiteral("We ")), qPrintable(merged));
    QVERIFY2(!merged.contains(QStringLiteral("review.")), qPrintable(merged));
    QCOMPARE(merged.size(), paragraph.size() - 3 - 1 + adaWords.size() + bobWords.size() + 6 + 6);

    // The server holds the merge too: a third client that only syncs gets it.
    QTemporaryDir other;
    Desktop carol(m_server, m_adaToken, QStringLiteral("ada"), other.filePath(QStringLiteral("c.sqlite")));
    carol.session.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(carol.document->isSynced(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(carol.text(), merged, 10000);
}

void TestDocumentOffline::refusedEditIsReportedToTheUser()
{
    // A server whose update limit one paste exceeds: the edit is refused whole and the user must hear of it.
    ServerProcess strict{{QStringLiteral("[documents]"), QStringLiteral("max_update_bytes=1024")}};
    QVERIFY(strict.start());
    QVERIFY(strict.addUser(QStringLiteral("ada")));
    const QString token = strict.login(QStringLiteral("ada"));
    TestClient creator;
    QVERIFY(creator.connectAndAuthenticate(strict.wsUrl(), token));
    QVERIFY(creator.join(Room));

    QTemporaryDir dir;
    Desktop ada(strict, token, QStringLiteral("ada"), dir.filePath(QStringLiteral("ada.sqlite")));
    QSignalSpy refused(ada.document.get(), &DocumentSession::refused);
    ada.session.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(ada.document->isSynced(), 10000);
    ada.document->insert(0, QString(4000, QLatin1Char('x')));
    ada.document->flush();
    QTRY_VERIFY_WITH_TIMEOUT(refused.count() >= 1, 10000);
    QVERIFY2(!refused.first().first().toString().isEmpty(), "a refusal says why");
}

QTEST_GUILESS_MAIN(TestDocumentOffline)
#include "tst_documentoffline.moc"
