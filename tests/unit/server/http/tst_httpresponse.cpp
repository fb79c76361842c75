// HttpResponse's wire form: status line, managed headers, JSON error bodies,
// and no way for a header value to split the response.

#include "server/http/HttpResponse.h"

#include <QJsonDocument>
#include <QTest>

using tandem::protocol::ErrorCode;
using tandem::server::http::HttpResponse;

class TestHttpResponse : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void statusLine_data();
    void statusLine();
    void framesBodyWithLengthAndConnection_data();
    void framesBodyWithLengthAndConnection();
    void statusesWithoutBodyCarryNoLength_data();
    void statusesWithoutBodyCarryNoLength();
    void headAnswerKeepsLengthButOmitsBody();
    void jsonSetsContentType();
    void errorBody_data();
    void errorBody();
    void errorWithExplicitStatusKeepsCode();
    void unsafeHeadersAreDropped_data();
    void unsafeHeadersAreDropped();
    void managedHeadersCannotBeOverridden();
    void setHeaderReplacesCaseInsensitively();
};

static QByteArray statusLineOf(const QByteArray &wire)
{
    return wire.left(wire.indexOf("\r\n"));
}

void TestHttpResponse::statusLine_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("line");

    QTest::addRow("200") << 200 << QByteArray("HTTP/1.1 200 OK");
    QTest::addRow("201") << 201 << QByteArray("HTTP/1.1 201 Created");
    QTest::addRow("404") << 404 << QByteArray("HTTP/1.1 404 Not Found");
    QTest::addRow("405") << 405 << QByteArray("HTTP/1.1 405 Method Not Allowed");
    QTest::addRow("408") << 408 << QByteArray("HTTP/1.1 408 Request Timeout");
    QTest::addRow("413") << 413 << QByteArray("HTTP/1.1 413 Payload Too Large");
    QTest::addRow("431") << 431 << QByteArray("HTTP/1.1 431 Request Header Fields Too Large");
    QTest::addRow("503") << 503 << QByteArray("HTTP/1.1 503 Service Unavailable");
    QTest::addRow("unlisted code") << 299 << QByteArray("HTTP/1.1 299 Unknown");
    QTest::addRow("out of range") << 42 << QByteArray("HTTP/1.1 500 Internal Server Error");
}

void TestHttpResponse::statusLine()
{
    QFETCH(int, status);
    QFETCH(QByteArray, line);
    HttpResponse response;
    response.status = status;
    QCOMPARE(statusLineOf(response.serialize(true)), line);
}

void TestHttpResponse::framesBodyWithLengthAndConnection_data()
{
    QTest::addColumn<bool>("keepAlive");
    QTest::addColumn<QByteArray>("connectionHeader");
    QTest::addRow("keep-alive") << true << QByteArray("Connection: keep-alive\r\n");
    QTest::addRow("close") << false << QByteArray("Connection: close\r\n");
}

void TestHttpResponse::framesBodyWithLengthAndConnection()
{
    QFETCH(bool, keepAlive);
    QFETCH(QByteArray, connectionHeader);
    HttpResponse response;
    response.body = "hello";
    response.headers = {{"Content-Type", "text/plain"}};
    QCOMPARE(response.serialize(keepAlive),
             "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n" + connectionHeader +
                 "\r\nhello");
}

void TestHttpResponse::statusesWithoutBodyCarryNoLength_data()
{
    QTest::addColumn<int>("status");
    QTest::addRow("101") << 101;
    QTest::addRow("204") << 204;
    QTest::addRow("304") << 304;
}

void TestHttpResponse::statusesWithoutBodyCarryNoLength()
{
    QFETCH(int, status);
    HttpResponse response;
    response.status = status;
    response.body = "ignored";
    const QByteArray wire = response.serialize(true);
    QVERIFY(!wire.contains("Content-Length"));
    QVERIFY(wire.endsWith("\r\n\r\n"));
}

void TestHttpResponse::headAnswerKeepsLengthButOmitsBody()
{
    HttpResponse response;
    response.body = "twelve bytes";
    const QByteArray wire = response.serialize(true, false);
    QVERIFY(wire.contains("Content-Length: 12\r\n"));
    QVERIFY(wire.endsWith("\r\n\r\n"));
}

void TestHttpResponse::jsonSetsContentType()
{
    const HttpResponse response = HttpResponse::json(201, {{QStringLiteral("id"), 7}});
    QCOMPARE(response.status, 201);
    QCOMPARE(response.header("content-type"), QByteArray("application/json"));
    QCOMPARE(response.body, QByteArray(R"({"id":7})"));
}

void TestHttpResponse::errorBody_data()
{
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("name");

    QTest::addRow("bad_request") << ErrorCode::BadRequest << 400 << QStringLiteral("bad_request");
    QTest::addRow("unauthorized") << ErrorCode::Unauthorized << 401 << QStringLiteral("unauthorized");
    QTest::addRow("not_found") << ErrorCode::NotFound << 404 << QStringLiteral("not_found");
    QTest::addRow("too_large") << ErrorCode::TooLarge << 413 << QStringLiteral("too_large");
    QTest::addRow("rate_limited") << ErrorCode::RateLimited << 429 << QStringLiteral("rate_limited");
    QTest::addRow("internal") << ErrorCode::Internal << 500 << QStringLiteral("internal");
}

void TestHttpResponse::errorBody()
{
    QFETCH(ErrorCode, code);
    QFETCH(int, status);
    QFETCH(QString, name);

    const HttpResponse response = HttpResponse::error(code, QStringLiteral("what \"went\" wrong"));
    QCOMPARE(response.status, status);
    QCOMPARE(response.header("Content-Type"), QByteArray("application/json"));
    const QJsonObject error =
        QJsonDocument::fromJson(response.body).object().value(QLatin1String("error")).toObject();
    QCOMPARE(error.value(QLatin1String("code")).toString(), name);
    QCOMPARE(error.value(QLatin1String("message")).toString(), QStringLiteral("what \"went\" wrong"));
}

void TestHttpResponse::errorWithExplicitStatusKeepsCode()
{
    const HttpResponse response =
        HttpResponse::error(431, ErrorCode::TooLarge, QStringLiteral("head too large"));
    QCOMPARE(response.status, 431);
    QCOMPARE(QJsonDocument::fromJson(response.body)[QLatin1String("error")][QLatin1String("code")].toString(),
             QStringLiteral("too_large"));
}

void TestHttpResponse::unsafeHeadersAreDropped_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");

    QTest::addRow("CRLF in value") << QByteArray("X-Evil") << QByteArray("a\r\nSet-Cookie: owned=1");
    QTest::addRow("bare LF in value") << QByteArray("X-Evil") << QByteArray("a\nSet-Cookie: owned=1");
    QTest::addRow("NUL in value") << QByteArray("X-Evil") << QByteArray("a\0b", 3);
    QTest::addRow("space in name") << QByteArray("X Evil") << QByteArray("1");
    QTest::addRow("colon in name") << QByteArray("Set-Cookie: owned=1\r\nX") << QByteArray("1");
    QTest::addRow("empty name") << QByteArray() << QByteArray("1");
}

void TestHttpResponse::unsafeHeadersAreDropped()
{
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);

    HttpResponse response;
    response.headers = {{name, value}, {"X-Fine", "yes"}};
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("dropping malformed response header")));
    const QByteArray wire = response.serialize(true);
    QVERIFY(!wire.contains("owned"));
    QVERIFY(wire.contains("X-Fine: yes\r\n"));
    QCOMPARE(wire.count("\r\n"), 5); // status, X-Fine, Content-Length, Connection, blank line
}

void TestHttpResponse::managedHeadersCannotBeOverridden()
{
    HttpResponse response;
    response.body = "abc";
    response.headers = {
        {"Content-Length", "999"}, {"connection", "upgrade"}, {"Transfer-Encoding", "chunked"}};
    const QByteArray wire = response.serialize(false);
    QCOMPARE(wire, QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"));
}

void TestHttpResponse::setHeaderReplacesCaseInsensitively()
{
    HttpResponse response = HttpResponse::json(200, {});
    response.setHeader("content-type", "text/plain");
    QCOMPARE(response.headers.size(), 1);
    QCOMPARE(response.header("Content-Type"), QByteArray("text/plain"));
}

QTEST_GUILESS_MAIN(TestHttpResponse)
#include "tst_httpresponse.moc"
