// HttpRouter: literal and "{name}" segments, decoding per segment, literal
// precedence, 405 with the allowed methods, HEAD served by GET.

#include "server/http/HttpRouter.h"

#include <QTest>

using tandem::server::http::HttpRequest;
using tandem::server::http::HttpResponder;
using tandem::server::http::HttpRouter;

using Outcome = HttpRouter::Match::Outcome;

class TestHttpRouter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void match_data();
    void match();

private:
    HttpRouter::Handler handlerNamed(int id)
    {
        return [this, id](const HttpRequest &, HttpResponder) {
            m_called = id;
        };
    }

    HttpRouter m_router;
    int m_called = 0;
};

void TestHttpRouter::init()
{
    m_router = HttpRouter();
    m_called = 0;
    m_router.add("GET", QStringLiteral("/api/rooms"), handlerNamed(1));
    m_router.add("GET", QStringLiteral("/api/rooms/{roomId}/messages"), handlerNamed(2));
    m_router.add("POST", QStringLiteral("/api/rooms/{roomId}/messages"), handlerNamed(3));
    m_router.add("GET", QStringLiteral("/api/rooms/{roomId}"), handlerNamed(4));
    m_router.add("GET", QStringLiteral("/api/rooms/new"),
                 handlerNamed(5)); // added after the pattern it beats
    m_router.add("POST", QStringLiteral("/api/login"), handlerNamed(6));
    m_router.add("GET", QStringLiteral("/"), handlerNamed(7));
}

void TestHttpRouter::match_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<Outcome>("outcome");
    QTest::addColumn<int>("handler");
    QTest::addColumn<QString>("roomId");
    QTest::addColumn<QByteArray>("allowed");

    QTest::addRow("literal") << QByteArray("GET") << QByteArray("/api/rooms") << Outcome::Found << 1
                             << QString() << QByteArray();
    QTest::addRow("root") << QByteArray("GET") << QByteArray("/") << Outcome::Found << 7 << QString()
                          << QByteArray();
    QTest::addRow("parameter") << QByteArray("GET") << QByteArray("/api/rooms/general/messages")
                               << Outcome::Found << 2 << QStringLiteral("general") << QByteArray();
    QTest::addRow("same path, other method")
        << QByteArray("POST") << QByteArray("/api/rooms/general/messages") << Outcome::Found << 3
        << QStringLiteral("general") << QByteArray();
    QTest::addRow("literal beats parameter") << QByteArray("GET") << QByteArray("/api/rooms/new")
                                             << Outcome::Found << 5 << QString() << QByteArray();
    QTest::addRow("parameter where literal does not match")
        << QByteArray("GET") << QByteArray("/api/rooms/old") << Outcome::Found << 4 << QStringLiteral("old")
        << QByteArray();
    QTest::addRow("encoded slash stays in its segment")
        << QByteArray("GET") << QByteArray("/api/rooms/a%2Fb/messages") << Outcome::Found << 2
        << QStringLiteral("a/b") << QByteArray();
    QTest::addRow("parameter is decoded")
        << QByteArray("GET") << QByteArray("/api/rooms/caf%C3%A9%20x/messages") << Outcome::Found << 2
        << QStringLiteral("café x") << QByteArray();
    QTest::addRow("HEAD served by GET")
        << QByteArray("HEAD") << QByteArray("/api/rooms") << Outcome::Found << 1 << QString() << QByteArray();
    QTest::addRow("unknown path") << QByteArray("GET") << QByteArray("/api/nope") << Outcome::NotFound << 0
                                  << QString() << QByteArray();
    QTest::addRow("empty parameter") << QByteArray("GET") << QByteArray("/api/rooms//messages")
                                     << Outcome::NotFound << 0 << QString() << QByteArray();
    QTest::addRow("trailing slash is another path")
        << QByteArray("GET") << QByteArray("/api/rooms/general/messages/") << Outcome::NotFound << 0
        << QString() << QByteArray();
    QTest::addRow("case matters") << QByteArray("GET") << QByteArray("/API/rooms") << Outcome::NotFound << 0
                                  << QString() << QByteArray();
    QTest::addRow("dot segments are not resolved") << QByteArray("GET") << QByteArray("/api/x/../rooms")
                                                   << Outcome::NotFound << 0 << QString() << QByteArray();
    QTest::addRow("wrong method lists the others")
        << QByteArray("DELETE") << QByteArray("/api/rooms/general/messages") << Outcome::MethodNotAllowed << 0
        << QString() << QByteArray("GET, HEAD, POST");
    QTest::addRow("POST-only path") << QByteArray("GET") << QByteArray("/api/login")
                                    << Outcome::MethodNotAllowed << 0 << QString() << QByteArray("POST");
}

void TestHttpRouter::match()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(Outcome, outcome);
    QFETCH(int, handler);
    QFETCH(QString, roomId);
    QFETCH(QByteArray, allowed);

    const HttpRouter::Match match = m_router.match(method, path);
    QCOMPARE(match.outcome, outcome);
    if (outcome == Outcome::Found) {
        QVERIFY(match.handler);
        match.handler(HttpRequest(), HttpResponder());
        QCOMPARE(m_called, handler);
        QCOMPARE(match.pathParams.value(QStringLiteral("roomId")), roomId);
    } else {
        QVERIFY(!match.handler);
    }
    QCOMPARE(match.allowedMethods.join(", "), allowed);
}

QTEST_GUILESS_MAIN(TestHttpRouter)
#include "tst_httprouter.moc"
