// AuthClient against a real tandem-server process: login returns a working
// token, wrong credentials come back as the server's typed error, an
// unreachable server as a network error, and logout revokes the token.

#include "core/client/AuthClient.h"
#include "tests/support/ServerProcess.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using tandem::client::AuthClient;
using tandem::protocol::Error;
using tandem::protocol::ErrorCode;
using tandem::test::ServerProcess;

namespace {
const QString Password = QStringLiteral("correct horse");
}

class TestAuthClient : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void serverUrlFromUserInput_data();
    void serverUrlFromUserInput();
    void webSocketUrl_data();
    void webSocketUrl();
    void loginReturnsAWorkingToken();
    void wrongCredentialsAreUnauthorized_data();
    void wrongCredentialsAreUnauthorized();
    void unreachableServerIsANetworkError();
    void invalidServerUrlFailsWithoutNetwork();
    void logoutRevokesTheToken();

private:
    QUrl serverUrl() const { return m_server.httpUrl({}); }
    ServerProcess m_server;
};

void TestAuthClient::initTestCase()
{
    QVERIFY(m_server.start());
    QVERIFY(m_server.addUser(QStringLiteral("alice"), Password));
}

void TestAuthClient::serverUrlFromUserInput_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QUrl>("expected");
    QTest::addRow("host and port") << "127.0.0.1:7420" << QUrl("http://127.0.0.1:7420");
    QTest::addRow("name and port") << "localhost:7420" << QUrl("http://localhost:7420");
    QTest::addRow("http with slash") << "http://chat.example.org:7420/"
                                     << QUrl("http://chat.example.org:7420");
    QTest::addRow("https") << " https://chat.example.org " << QUrl("https://chat.example.org");
    QTest::addRow("ws endpoint") << "ws://127.0.0.1:7420/ws" << QUrl("http://127.0.0.1:7420");
    QTest::addRow("wss endpoint") << "wss://chat.example.org/ws" << QUrl("https://chat.example.org");
    QTest::addRow("empty") << "" << QUrl();
    QTest::addRow("other scheme") << "ftp://chat.example.org" << QUrl();
    QTest::addRow("no host") << "http://" << QUrl();
}

void TestAuthClient::serverUrlFromUserInput()
{
    QFETCH(QString, input);
    QFETCH(QUrl, expected);
    QCOMPARE(AuthClient::serverUrlFromUserInput(input), expected);
}

void TestAuthClient::webSocketUrl_data()
{
    QTest::addColumn<QUrl>("server");
    QTest::addColumn<QUrl>("expected");
    QTest::addRow("http") << QUrl("http://127.0.0.1:7420") << QUrl("ws://127.0.0.1:7420/ws");
    QTest::addRow("https") << QUrl("https://chat.example.org/") << QUrl("wss://chat.example.org/ws");
    QTest::addRow("already ws") << QUrl("ws://127.0.0.1:7420/ws") << QUrl("ws://127.0.0.1:7420/ws");
    QTest::addRow("invalid") << QUrl("mailto:alice@example.org") << QUrl();
}

void TestAuthClient::webSocketUrl()
{
    QFETCH(QUrl, server);
    QFETCH(QUrl, expected);
    QCOMPARE(AuthClient::webSocketUrl(server), expected);
}

void TestAuthClient::loginReturnsAWorkingToken()
{
    AuthClient auth;
    QSignalSpy loggedIn(&auth, &AuthClient::loggedIn);
    QSignalSpy failed(&auth, &AuthClient::loginFailed);
    auth.login(serverUrl(), QStringLiteral("alice"), Password);
    QVERIFY(auth.isLoginPending());
    QVERIFY(loggedIn.wait(20000));
    QCOMPARE(failed.count(), 0);
    QVERIFY(!auth.isLoginPending());
    QCOMPARE(loggedIn.at(0).at(0).toString(), QStringLiteral("alice"));
    const QString token = loggedIn.at(0).at(1).toString();
    QCOMPARE(token.size(), 43); // 256 bits, base64url
    const QDateTime expiresAt = loggedIn.at(0).at(2).toDateTime();
    QVERIFY(expiresAt.isValid());
    QVERIFY(expiresAt > QDateTime::currentDateTimeUtc());

    // The token is accepted: the server revokes it.
    QSignalSpy loggedOut(&auth, &AuthClient::loggedOut);
    auth.logout(serverUrl(), token);
    QVERIFY(loggedOut.wait(20000));
}

void TestAuthClient::wrongCredentialsAreUnauthorized_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addRow("wrong password") << "alice"
                                    << "wrong horse";
    QTest::addRow("unknown user") << "mallory"
                                  << "correct horse";
    QTest::addRow("empty password") << "alice"
                                    << "";
}

void TestAuthClient::wrongCredentialsAreUnauthorized()
{
    QFETCH(QString, user);
    QFETCH(QString, password);
    AuthClient auth;
    QSignalSpy loggedIn(&auth, &AuthClient::loggedIn);
    QSignalSpy failed(&auth, &AuthClient::loginFailed);
    auth.login(serverUrl(), user, password);
    QVERIFY(failed.wait(20000));
    QCOMPARE(loggedIn.count(), 0);
    const auto error = failed.at(0).at(0).value<Error>();
    // The server may call an empty password a bad request; either way it is the server's typed answer.
    QVERIFY2(error.code == ErrorCode::Unauthorized || error.code == ErrorCode::BadRequest,
             qPrintable(tandem::protocol::errorCodeName(error.code)));
    if (!password.isEmpty())
        QCOMPARE(error.code, ErrorCode::Unauthorized);
    QVERIFY(!error.message.isEmpty());
}

void TestAuthClient::unreachableServerIsANetworkError()
{
    // A port that was free a moment ago: nothing listens there.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();

    AuthClient auth;
    QSignalSpy failed(&auth, &AuthClient::loginFailed);
    auth.login(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), QStringLiteral("alice"), Password);
    QVERIFY(failed.wait(20000));
    const auto error = failed.at(0).at(0).value<Error>();
    QCOMPARE(error.code, ErrorCode::Internal);
    QVERIFY2(error.message.contains(QStringLiteral("127.0.0.1:%1").arg(port)), qPrintable(error.message));
}

void TestAuthClient::invalidServerUrlFailsWithoutNetwork()
{
    AuthClient auth;
    QSignalSpy failed(&auth, &AuthClient::loginFailed);
    auth.login(QUrl(QStringLiteral("ftp://example.org")), QStringLiteral("alice"), Password);
    QCOMPARE(failed.count(), 0); // reported later, like every answer
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.at(0).at(0).value<Error>().code, ErrorCode::BadRequest);
}

void TestAuthClient::logoutRevokesTheToken()
{
    const QString token = m_server.login(QStringLiteral("alice"), Password);
    QVERIFY(!token.isEmpty());
    AuthClient auth;
    QSignalSpy loggedOut(&auth, &AuthClient::loggedOut);
    QSignalSpy logoutFailed(&auth, &AuthClient::logoutFailed);
    auth.logout(serverUrl(), token);
    QVERIFY(loggedOut.wait(20000));
    QCOMPARE(logoutFailed.count(), 0);

    // Revoked: the same token is refused now.
    auth.logout(serverUrl(), token);
    QVERIFY(logoutFailed.wait(20000));
    QCOMPARE(logoutFailed.at(0).at(0).value<Error>().code, ErrorCode::Unauthorized);
    QCOMPARE(loggedOut.count(), 1);
}

QTEST_GUILESS_MAIN(TestAuthClient)
#include "tst_authclient.moc"
