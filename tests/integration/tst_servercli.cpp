// The tandem-server command line as an admin uses it: help, version, user
// management without a running server, config errors, graceful SIGTERM, and
// logs that never contain a secret.

#include "tests/support/ServerProcess.h"
#include "tests/support/TestCertificate.h"
#include "tests/support/TestClient.h"

#include <QFile>
#include <QTest>

using namespace tandem::test;

class TestServerCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void helpAndVersion();
    void unknownCommandIsAUsageError();
    void userAddListRemove();
    void weakPasswordIsRefused();
    void unknownConfigKeyIsRefused();
    void sigtermClosesClientsWith1001AndKeepsData();
    void secretsNeverReachTheLog();
    void tlsConfigServesHttpsAndWss();
    void unreadableTlsKeyFailsToStart();
};

void TestServerCli::helpAndVersion()
{
    ServerProcess server;
    const auto help = server.runCommand({QStringLiteral("--help")});
    QCOMPARE(help.first, 0);
    QVERIFY(help.second.contains(QStringLiteral("user add NAME")));
    const auto version = server.runCommand({QStringLiteral("--version")});
    QCOMPARE(version.first, 0);
    QVERIFY(version.second.startsWith(QStringLiteral("tandem-server ")));
}

void TestServerCli::unknownCommandIsAUsageError()
{
    ServerProcess server;
    QCOMPARE(server.runCommand({QStringLiteral("launch")}).first, 2);
    QCOMPARE(
        server.runCommand({QStringLiteral("user"), QStringLiteral("promote"), QStringLiteral("x")}).first, 2);
    QCOMPARE(
        server.runCommand({QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("nowhere")})
            .first,
        2);
}

void TestServerCli::userAddListRemove()
{
    ServerProcess server;
    QVERIFY(server.addUser(QStringLiteral("grace")));
    QVERIFY(server.addUser(QStringLiteral("linus")));
    const auto taken = server.runCommand(
        {QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("grace")}, "another password\n");
    QCOMPARE(taken.first, 1);
    const auto list = server.runCommand({QStringLiteral("user"), QStringLiteral("list")});
    QCOMPARE(list.first, 0);
    QVERIFY(list.second.contains(QStringLiteral("grace")));
    QVERIFY(list.second.contains(QStringLiteral("linus")));

    QCOMPARE(
        server.runCommand({QStringLiteral("user"), QStringLiteral("remove"), QStringLiteral("grace")}).first,
        0);
    QCOMPARE(
        server.runCommand({QStringLiteral("user"), QStringLiteral("remove"), QStringLiteral("grace")}).first,
        1);
    const auto after = server.runCommand({QStringLiteral("user"), QStringLiteral("list")});
    QVERIFY(!after.second.contains(QStringLiteral("grace")));
    QVERIFY(after.second.contains(QStringLiteral("linus")));

    // A removed user can no longer sign in; the remaining one can.
    QVERIFY(server.start());
    QVERIFY(server.login(QStringLiteral("grace")).isEmpty());
    QVERIFY(!server.login(QStringLiteral("linus")).isEmpty());
}

void TestServerCli::weakPasswordIsRefused()
{
    ServerProcess server;
    const auto result =
        server.runCommand({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("eve")}, "short\n");
    QCOMPARE(result.first, 1);
    QVERIFY(result.second.contains(QStringLiteral("password")));
}

void TestServerCli::unknownConfigKeyIsRefused()
{
    ServerProcess server{{QStringLiteral("[limits]"), QStringLiteral("max_mesage_bytes=10")}};
    const auto result = server.runCommand({QStringLiteral("serve")});
    QCOMPARE(result.first, 2);
    QVERIFY2(result.second.contains(QStringLiteral("max_mesage_bytes")), qPrintable(result.second));
}

void TestServerCli::sigtermClosesClientsWith1001AndKeepsData()
{
    ServerProcess server;
    QVERIFY(server.addUser(QStringLiteral("ada")));
    QVERIFY(server.start());
    TestClient ada;
    QVERIFY(ada.connectAndAuthenticate(server.wsUrl(), server.login(QStringLiteral("ada"))));
    QVERIFY(ada.join(QStringLiteral("shutdown")));
    QVERIFY(ada.chat(QStringLiteral("shutdown"), QStringLiteral("before the restart")));

    server.process().terminate();
    QVERIFY(ada.waitForClose());
    QCOMPARE(ada.closeCode(), 1001);
    QVERIFY(server.process().waitForFinished(10000));
    QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.process().exitCode(), 0);

    QVERIFY(server.start());
    TestClient again;
    QVERIFY(again.connectAndAuthenticate(server.wsUrl(), server.login(QStringLiteral("ada"))));
    const auto joined = again.join(QStringLiteral("shutdown"), 0);
    QVERIFY(joined);
    QCOMPARE(again.received(QStringLiteral("chat:message")).size(), 1);
}

void TestServerCli::secretsNeverReachTheLog()
{
    ServerProcess server;
    const QString password = QStringLiteral("a very secret passphrase");
    QVERIFY(server.addUser(QStringLiteral("ada"), password));
    QVERIFY(server.start());
    const QString token = server.login(QStringLiteral("ada"), password);
    QVERIFY(!token.isEmpty());
    QVERIFY(server.login(QStringLiteral("ada"), QStringLiteral("wrong guess here")).isEmpty());
    TestClient ada;
    QVERIFY(ada.open(server.wsUrl(QStringLiteral("token=") + token)));
    QVERIFY(ada.take(QStringLiteral("auth:ok")));
    TestClient forged;
    QVERIFY(forged.open(server.wsUrl(QStringLiteral("token=forged-token-value"))));
    QVERIFY(forged.waitForClose());
    QCOMPARE(server.terminate(), 0);

    const QByteArray log = server.log();
    QVERIFY(log.contains("ada")); // it does log, just not secrets
    QVERIFY(!log.contains(password.toUtf8()));
    QVERIFY(!log.contains(token.toUtf8()));
    QVERIFY(!log.contains("forged-token-value"));
    QVERIFY(!log.contains("wrong guess here"));
}

void TestServerCli::tlsConfigServesHttpsAndWss()
{
    TestCertificate certificate;
    QVERIFY2(certificate.create(), qPrintable(certificate.errorString()));
    ServerProcess server{{QStringLiteral("[tls]"),
                          QStringLiteral("certificate=") + certificate.certificatePath(),
                          QStringLiteral("key=") + certificate.keyPath()}};
    server.setClientTls(certificate.clientConfiguration());
    QVERIFY(server.addUser(QStringLiteral("ada")));
    QVERIFY(server.start());
    QCOMPARE(server.httpUrl(QString()).scheme(), QStringLiteral("https"));

    const QString token = server.login(QStringLiteral("ada"));
    QCOMPARE(token.size(), 43); // the REST call went over verified TLS
    TestClient ada;
    ada.socket().setSslConfiguration(certificate.clientConfiguration());
    QVERIFY(ada.connectAndAuthenticate(server.wsUrl(), token));
    QVERIFY(ada.join(QStringLiteral("secure")));
    QVERIFY(ada.chat(QStringLiteral("secure"), QStringLiteral("over wss")));

    // Plain HTTP on the TLS port gets nothing useful.
    TestClient plain;
    QVERIFY(!plain.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(server.port())), 3000));
}

void TestServerCli::unreadableTlsKeyFailsToStart()
{
    ServerProcess server{{QStringLiteral("[tls]"), QStringLiteral("certificate=/nonexistent/cert.pem"),
                          QStringLiteral("key=/nonexistent/key.pem")}};
    const auto result = server.runCommand(
        {QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    QCOMPARE(result.first, 1);
    QVERIFY2(result.second.contains(QStringLiteral("TLS")), qPrintable(result.second));
}

QTEST_GUILESS_MAIN(TestServerCli)
#include "tst_servercli.moc"
