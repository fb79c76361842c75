// HttpRequestParser: what it extracts, where it stops (after the head, after
// each message) and the hostile inputs it must refuse.

#include "server/http/HttpRequestParser.h"

#include <QTest>

using tandem::server::http::HttpRequestParser;

class TestHttpRequestParser : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parsesRequestLineHeadersAndQuery();
    void absoluteFormTargetYieldsItsPath();
    void stopsAfterHeadThenAfterMessage();
    void chunkedBodyIsDecoded();
    void declaredLengthOverLimitIsKnownFromHead();
    void chunkedTotalOverLimitIsTooLarge();
    void chunkFramingIsCapped();
    void keepAlive_data();
    void keepAlive();
    void hostileInput_data();
    void hostileInput();
    void resetStartsOver();
    void partialHead_data();
    void partialHead();
};

/// Feeds everything the parser accepts, as the connection does across reads; returns what is left.
static QByteArray feedAll(HttpRequestParser &parser, QByteArray bytes)
{
    while (!bytes.isEmpty()) {
        const qint64 consumed = parser.feed(bytes);
        if (consumed <= 0)
            break;
        bytes.remove(0, consumed);
    }
    return bytes;
}

void TestHttpRequestParser::parsesRequestLineHeadersAndQuery()
{
    HttpRequestParser parser(1024);
    const QByteArray rest =
        feedAll(parser, "GET /api/rooms/caf%C3%A9%20au%20lait?limit=5&name=a%26b HTTP/1.1\r\n"
                        "Host: example\r\nX-Spaced:   padded value  \r\n\r\n");
    QVERIFY(rest.isEmpty());
    QVERIFY(parser.messageComplete());
    QVERIFY(!parser.failed());
    const auto request = parser.takeRequest();
    QCOMPARE(request.method, QByteArray("GET"));
    QCOMPARE(request.encodedPath, QByteArray("/api/rooms/caf%C3%A9%20au%20lait"));
    QCOMPARE(request.path, QStringLiteral("/api/rooms/café au lait"));
    QCOMPARE(request.query.queryItemValue(QStringLiteral("limit")), QStringLiteral("5"));
    QCOMPARE(request.query.queryItemValue(QStringLiteral("name"), QUrl::FullyDecoded), QStringLiteral("a&b"));
    QCOMPARE(request.header("x-spaced"), QByteArray("padded value"));
    QCOMPARE(request.headers.first().first, QByteArray("Host"));
    QCOMPARE(request.httpMinorVersion, 1);
}

void TestHttpRequestParser::absoluteFormTargetYieldsItsPath()
{
    HttpRequestParser parser(1024);
    feedAll(parser, "GET http://example.com/healthz?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n");
    QVERIFY(parser.messageComplete());
    QCOMPARE(parser.request().path, QStringLiteral("/healthz"));
    QCOMPARE(parser.request().target, QByteArray("http://example.com/healthz?x=1"));
}

void TestHttpRequestParser::stopsAfterHeadThenAfterMessage()
{
    const QByteArray first = "POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello";
    const QByteArray second = "GET /b HTTP/1.1\r\n\r\n";
    QByteArray wire = first + second;

    HttpRequestParser parser(1024);
    const qint64 headBytes = parser.feed(wire);
    QVERIFY(parser.headComplete());
    QVERIFY(!parser.messageComplete());
    QVERIFY(parser.expectsBody());
    QVERIFY(parser.request().body.isEmpty()); // nothing of the body consumed before the caller decides
    QVERIFY(headBytes <= first.indexOf("hello"));
    wire.remove(0, headBytes);

    QCOMPARE(feedAll(parser, wire), second); // stops exactly at the end of the first message
    QVERIFY(parser.messageComplete());
    QCOMPARE(parser.takeRequest().body, QByteArray("hello"));
}

void TestHttpRequestParser::chunkedBodyIsDecoded()
{
    HttpRequestParser parser(1024);
    const QByteArray rest =
        feedAll(parser, "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\nNEXT");
    QCOMPARE(rest, QByteArray("NEXT"));
    QVERIFY(parser.messageComplete());
    QCOMPARE(parser.request().body, QByteArray("hello, world"));
}

void TestHttpRequestParser::declaredLengthOverLimitIsKnownFromHead()
{
    HttpRequestParser parser(1024 * 1024);
    feedAll(parser, "POST /upload HTTP/1.1\r\nContent-Length: 10485760\r\n\r\n");
    QVERIFY(parser.headComplete());
    QVERIFY(parser.bodyTooLarge());
    QVERIFY(!parser.failed());
}

void TestHttpRequestParser::chunkedTotalOverLimitIsTooLarge()
{
    HttpRequestParser parser(10);
    feedAll(parser,
            "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n123456\r\n6\r\n123456\r\n0\r\n\r\n");
    QVERIFY(parser.bodyTooLarge());
    QVERIFY(!parser.messageComplete());
}

void TestHttpRequestParser::chunkFramingIsCapped()
{
    // One-byte chunks with long extensions: a tiny body, but unbounded bytes on the wire.
    HttpRequestParser parser(200);
    QByteArray wire = "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    const QByteArray chunk = "1;" + QByteArray(1000, 'x') + "\r\na\r\n";
    for (int i = 0; i < 100; ++i)
        wire += chunk;
    feedAll(parser, wire);
    QVERIFY(parser.bodyTooLarge());
    QVERIFY(parser.request().body.size() <= 200);
}

void TestHttpRequestParser::keepAlive_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<bool>("keepAlive");

    QTest::addRow("1.1 default") << QByteArray("GET / HTTP/1.1\r\n\r\n") << true;
    QTest::addRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nConnection: close\r\n\r\n") << false;
    QTest::addRow("1.0 default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false;
    QTest::addRow("1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") << true;
}

void TestHttpRequestParser::keepAlive()
{
    QFETCH(QByteArray, wire);
    QFETCH(bool, keepAlive);
    HttpRequestParser parser(1024);
    feedAll(parser, wire);
    QVERIFY(parser.messageComplete());
    QCOMPARE(parser.keepAlive(), keepAlive);
}

void TestHttpRequestParser::hostileInput_data()
{
    QTest::addColumn<QByteArray>("wire");

    QTest::addRow("not http") << QByteArray("HELLO WORLD\r\n\r\n");
    QTest::addRow("lower-case method") << QByteArray("get / HTTP/1.1\r\n\r\n");
    QTest::addRow("no target") << QByteArray("GET HTTP/1.1\r\n\r\n");
    QTest::addRow("http/0.9") << QByteArray("GET /\r\n\r\n");
    QTest::addRow("http/2.0 request line") << QByteArray("GET / HTTP/2.0\r\n\r\n");
    QTest::addRow("space in header name") << QByteArray("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n");
    QTest::addRow("NUL in target") << QByteArray("GET /a") + '\0' + QByteArray("b HTTP/1.1\r\n\r\n");
    QTest::addRow("non-numeric length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 12a\r\n\r\n");
    QTest::addRow("two lengths") << QByteArray(
        "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab");
    QTest::addRow("length and chunked (smuggling)")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    QTest::addRow("chunked not last")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n");
    QTest::addRow("bad chunk size") << QByteArray(
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
}

void TestHttpRequestParser::hostileInput()
{
    QFETCH(QByteArray, wire);
    HttpRequestParser parser(1024);
    feedAll(parser, wire);
    QVERIFY(parser.failed());
    QVERIFY(!parser.errorString().isEmpty());
    QVERIFY(!parser.messageComplete());
    QCOMPARE(parser.feed("GET / HTTP/1.1\r\n\r\n"), 0); // a failed parser takes nothing more
}

void TestHttpRequestParser::resetStartsOver()
{
    HttpRequestParser parser(1024);
    feedAll(parser, "BROKEN\r\n\r\n");
    QVERIFY(parser.failed());
    parser.reset();
    feedAll(parser, "GET /ok HTTP/1.1\r\n\r\n");
    QVERIFY(!parser.failed());
    QVERIFY(parser.messageComplete());
    QCOMPARE(parser.request().path, QStringLiteral("/ok"));
}

void TestHttpRequestParser::partialHead_data()
{
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<bool>("rejected");

    QTest::addRow("request line so far") << QByteArray("GET /api/ro") << false;
    QTest::addRow("headers so far") << QByteArray("GET / HTTP/1.1\r\nHost: exa") << false;
    QTest::addRow("not a method") << QByteArray("HELLO") << true;
    QTest::addRow("tls client hello") << QByteArray::fromHex("160301020001000001fc0303") << true;
    QTest::addRow("bad header name so far") << QByteArray("GET / HTTP/1.1\r\nBad\x01") << true;
}

void TestHttpRequestParser::partialHead()
{
    QFETCH(QByteArray, prefix);
    QFETCH(bool, rejected);
    HttpRequestParser parser(1024);
    QCOMPARE(parser.rejectsPartialHead(prefix), rejected);
    // Probing consumed nothing: the parser still takes a whole request from the start.
    feedAll(parser, "GET /whole HTTP/1.1\r\n\r\n");
    QVERIFY(parser.messageComplete());
    QCOMPARE(parser.request().path, QStringLiteral("/whole"));
}

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
