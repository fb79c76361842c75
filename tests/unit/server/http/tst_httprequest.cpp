// HttpRequest's accessors: header lookup and the bearer token handlers authorise with.

#include "server/http/HttpRequest.h"

#include <QTest>

using tandem::server::http::HttpRequest;

class TestHttpRequest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void headerLookupIsCaseInsensitiveAndTakesTheFirst();
    void bearerToken_data();
    void bearerToken();
    void pathParamIsEmptyWhenAbsent();
};

void TestHttpRequest::headerLookupIsCaseInsensitiveAndTakesTheFirst()
{
    HttpRequest request;
    request.headers = {{"Content-Type", "application/json"}, {"X-Twice", "first"}, {"x-twice", "second"}};
    QCOMPARE(request.header("content-type"), QByteArray("application/json"));
    QCOMPARE(request.header("X-TWICE"), QByteArray("first"));
    QVERIFY(request.hasHeader("x-Twice"));
    QVERIFY(request.header("Missing").isEmpty());
    QVERIFY(!request.hasHeader("Missing"));
}

void TestHttpRequest::bearerToken_data()
{
    QTest::addColumn<QByteArray>("authorization"); // empty: no header at all
    QTest::addColumn<bool>("expected");
    QTest::addColumn<QByteArray>("token");

    QTest::addRow("standard") << QByteArray("Bearer abc.def") << true << QByteArray("abc.def");
    QTest::addRow("scheme is case-insensitive") << QByteArray("bearer abc") << true << QByteArray("abc");
    QTest::addRow("extra whitespace") << QByteArray("Bearer    abc  ") << true << QByteArray("abc");
    QTest::addRow("tab separator") << QByteArray("Bearer\tabc") << true << QByteArray("abc");
    QTest::addRow("no header") << QByteArray() << false << QByteArray();
    QTest::addRow("basic scheme") << QByteArray("Basic YWRhOnB3") << false << QByteArray();
    QTest::addRow("scheme without token") << QByteArray("Bearer") << false << QByteArray();
    QTest::addRow("scheme and spaces only") << QByteArray("Bearer    ") << false << QByteArray();
    QTest::addRow("scheme glued to token") << QByteArray("Bearerabc") << false << QByteArray();
    QTest::addRow("two tokens") << QByteArray("Bearer abc def") << false << QByteArray();
}

void TestHttpRequest::bearerToken()
{
    QFETCH(QByteArray, authorization);
    QFETCH(bool, expected);
    QFETCH(QByteArray, token);

    HttpRequest request;
    request.headers = {{"Host", "example"}};
    if (!authorization.isEmpty())
        request.headers.append({"authorization", authorization});
    const auto result = request.bearerToken();
    QCOMPARE(result.has_value(), expected);
    if (expected)
        QCOMPARE(*result, token);
}

void TestHttpRequest::pathParamIsEmptyWhenAbsent()
{
    HttpRequest request;
    request.pathParams.insert(QStringLiteral("roomId"), QStringLiteral("general"));
    QCOMPARE(request.pathParam(QStringLiteral("roomId")), QStringLiteral("general"));
    QVERIFY(request.pathParam(QStringLiteral("other")).isEmpty());
}

QTEST_GUILESS_MAIN(TestHttpRequest)
#include "tst_httprequest.moc"
