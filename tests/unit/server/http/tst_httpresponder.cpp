// HttpResponder: answering later, answering once, answering nobody after the
// client left, and a 500 when a handler forgets to answer.

#include "RawHttpClient.h"

#include "server/http/HttpServer.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace tandem::server::http;
using tandem::server::http::test::RawHttpClient;
using tandem::server::http::test::RawResponse;

class TestHttpResponder : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void answersAsynchronously();
    void secondSendIsIgnored();
    void staleResponderCannotAnswerTheNextRequest();
    void sendAfterTheClientLeftIsANoOp();
    void droppedResponderAnswers500();
    void defaultResponderAnswersNobody();

private:
    static HttpResponse text(const QByteArray &body)
    {
        HttpResponse response;
        response.body = body;
        return response;
    }

    std::unique_ptr<HttpServer> m_server;
    QList<HttpResponder> m_parked;
};

void TestHttpResponder::init()
{
    m_server = std::make_unique<HttpServer>(HttpLimits());
    m_server->route("GET", QStringLiteral("/later"), [](const HttpRequest &, HttpResponder responder) {
        QTimer::singleShot(50, [responder] { responder.send(text("later")); });
    });
    m_server->route("GET", QStringLiteral("/twice"), [](const HttpRequest &, HttpResponder responder) {
        QVERIFY(responder.isPending());
        responder.send(text("first"));
        QVERIFY(!responder.isPending());
        HttpResponder copy = responder;
        copy.send(text("second"));
    });
    m_server->route("GET", QStringLiteral("/park"),
                    [this](const HttpRequest &, HttpResponder responder) { m_parked.append(responder); });
    m_server->route("GET", QStringLiteral("/park-after-answer"),
                    [this](const HttpRequest &, HttpResponder responder) {
                        m_parked.append(responder);
                        responder.send(text("answered"));
                    });
    m_server->route("GET", QStringLiteral("/forget"), [](const HttpRequest &, HttpResponder) {});
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
}

void TestHttpResponder::cleanup()
{
    m_parked.clear();
    m_server.reset();
}

void TestHttpResponder::answersAsynchronously()
{
    RawHttpClient client;
    client.connectTo(m_server->serverPort());
    client.send(RawHttpClient::get("/later"));
    QTRY_VERIFY(client.hasResponse());
    const RawResponse response = client.takeResponse();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("later"));
}

void TestHttpResponder::secondSendIsIgnored()
{
    QSignalSpy served(m_server.get(), &HttpServer::requestServed);
    RawHttpClient client;
    client.connectTo(m_server->serverPort());
    client.send(RawHttpClient::get("/twice") + RawHttpClient::get("/later"));
    QTRY_COMPARE(client.responseCount(), 2);
    QCOMPARE(client.takeResponse().body, QByteArray("first"));
    QCOMPARE(client.takeResponse().body, QByteArray("later")); // "second" never went out
    QCOMPARE(served.count(), 2);
}

void TestHttpResponder::staleResponderCannotAnswerTheNextRequest()
{
    RawHttpClient client;
    client.connectTo(m_server->serverPort());
    client.send(RawHttpClient::get("/park-after-answer"));
    QTRY_VERIFY(client.hasResponse());
    QCOMPARE(client.takeResponse().body, QByteArray("answered"));

    client.send(RawHttpClient::get("/park"));
    QTRY_COMPARE(m_parked.size(), 2);
    m_parked.first().send(text("stale")); // belongs to the first request, already answered
    m_parked.last().send(text("fresh"));
    QTRY_VERIFY(client.hasResponse());
    QCOMPARE(client.takeResponse().body, QByteArray("fresh"));
    QVERIFY(!client.received().contains("stale"));
}

void TestHttpResponder::sendAfterTheClientLeftIsANoOp()
{
    QSignalSpy served(m_server.get(), &HttpServer::requestServed);
    {
        RawHttpClient client;
        client.connectTo(m_server->serverPort());
        client.send(RawHttpClient::get("/park"));
        QTRY_COMPARE(m_parked.size(), 1);
        client.socket()->abort();
    }
    QTRY_COMPARE(m_server->connectionCount(), 0); // the connection object is gone
    QVERIFY(m_parked.first().isPending());
    m_parked.first().send(text("too late"));
    QVERIFY(!m_parked.first().isPending());
    QCOMPARE(served.count(), 0);
}

void TestHttpResponder::droppedResponderAnswers500()
{
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("dropped its responder")));
    RawHttpClient client;
    client.connectTo(m_server->serverPort());
    client.send(RawHttpClient::get("/forget"));
    QTRY_VERIFY(client.hasResponse());
    const RawResponse response = client.takeResponse();
    QCOMPARE(response.status, 500);
    QCOMPARE(response.errorCode(), QStringLiteral("internal"));
    QVERIFY(client.isConnected()); // still usable
}

void TestHttpResponder::defaultResponderAnswersNobody()
{
    const HttpResponder nobody;
    QVERIFY(!nobody.isPending());
    nobody.send(text("void")); // must not crash
}

QTEST_GUILESS_MAIN(TestHttpResponder)
#include "tst_httpresponder.moc"
