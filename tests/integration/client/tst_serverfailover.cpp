// Issue 8's load-balanced set-up from the client's side: one account, several
// server URLs (instances of one deployment sharing a PostgreSQL database).
// The Session tries them in turn: an unreachable first URL is skipped, and
// when the instance it is on dies (SIGKILL), it moves to another one and
// resumes its rooms with `since`: nothing lost, nothing twice.

#include "core/client/Session.h"
#include "tests/support/PostgresProcess.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace tandem;
using tandem::client::Session;
using tandem::test::PostgresProcess;
using tandem::test::ServerProcess;
using tandem::test::TestClient;

namespace {
const QString Room = QStringLiteral("ops");
constexpr int Timeout = 20000;

/// A loopback URL on which nothing listens (the port was free a moment ago).
QUrl deadUrl()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(probe.serverPort()));
}

/// Fast retries: the test is about where the retry goes, not how long it waits.
client::SessionOptions quickRetries()
{
    client::SessionOptions options;
    options.backoff.baseMs = 50;
    options.backoff.capMs = 200;
    options.backoff.maxAttempts = 50;
    return options;
}
} // namespace

class TestServerFailover : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void unreachableFirstUrlIsSkipped();
    void killedInstanceIsReplacedAndRoomsResume();

private:
    QStringList storageConfig() const
    {
        return {QStringLiteral("[storage]"),
                QStringLiteral("database=%1").arg(m_postgres.url(QStringLiteral("failover")))};
    }
    PostgresProcess m_postgres;
};

void TestServerFailover::initTestCase()
{
    QVERIFY2(m_postgres.start(), qPrintable(m_postgres.errorString()));
    QVERIFY2(m_postgres.createDatabase(QStringLiteral("failover")), qPrintable(m_postgres.errorString()));
}

void TestServerFailover::unreachableFirstUrlIsSkipped()
{
    ServerProcess server(storageConfig());
    QVERIFY(server.start());
    const QString token = server.addMember(QStringLiteral("ada"), Room);
    QVERIFY(!token.isEmpty());

    Session session(deadUrl(), token, quickRetries());
    session.setAlternativeServers({server.wsUrl()});
    QSignalSpy authenticated(&session, &Session::authenticated);
    session.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(authenticated.size(), 1, Timeout);
    QCOMPARE(session.currentServerUrl(), server.wsUrl());
}

void TestServerFailover::killedInstanceIsReplacedAndRoomsResume()
{
    ServerProcess first(storageConfig());
    ServerProcess second(storageConfig());
    QVERIFY(first.start());
    QVERIFY(second.start());
    const QString bobToken = first.addMember(QStringLiteral("bob"), Room);
    QVERIFY(!bobToken.isEmpty());

    Session session(first.wsUrl(), bobToken, quickRetries());
    session.setAlternativeServers({second.wsUrl()});
    QList<QString> texts;
    session.subscribe(QStringLiteral("chat:message"), [&texts](const QJsonObject &message) {
        texts.append(
            message.value(QLatin1String("payload")).toObject().value(QLatin1String("text")).toString());
    });
    QVERIFY(session.joinRoom(Room));
    session.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(session.isRoomLive(Room), Timeout);
    QVERIFY(session.sendChat(Room, QStringLiteral("before")));
    QTRY_COMPARE_WITH_TIMEOUT(texts, QList<QString>{QStringLiteral("before")}, Timeout);

    // The instance dies; meanwhile someone writes through the other one.
    first.kill();
    TestClient other;
    QVERIFY(other.connectAndAuthenticate(second.wsUrl(), bobToken));
    QVERIFY(other.join(Room));
    QVERIFY(other.chat(Room, QStringLiteral("while you were away")));

    // The session moves to the survivor and resumes: the missed message once, nothing twice.
    QTRY_VERIFY_WITH_TIMEOUT(session.isRoomLive(Room) && session.currentServerUrl() == second.wsUrl(),
                             Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(
        texts, (QList<QString>{QStringLiteral("before"), QStringLiteral("while you were away")}), Timeout);
    QVERIFY(session.sendChat(Room, QStringLiteral("after")));
    QTRY_COMPARE_WITH_TIMEOUT(texts.size(), 3, Timeout);
    QCOMPARE(texts.last(), QStringLiteral("after"));
}

QTEST_GUILESS_MAIN(TestServerFailover)
#include "tst_serverfailover.moc"
