// The HTTP transports find /events, /send and /poll beside the Session's
// WebSocket URL: scheme mapped, port and path prefix kept, query dropped.

#include "core/client/HttpEndpoints.h"

#include <QTest>

using tandem::client::HttpEndpoints;

class TestHttpEndpoints : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void derived_data();
    void derived();
    void sendUrlNamesTheSession();
};

void TestHttpEndpoints::derived_data()
{
    QTest::addColumn<QUrl>("webSocket");
    QTest::addColumn<QString>("events"); ///< empty: invalid
    QTest::addColumn<QString>("send");
    QTest::addColumn<QString>("poll");
    const auto row = [](const char *name, const char *ws, const char *base) {
        const QString prefix = QString::fromLatin1(base);
        QTest::newRow(name) << QUrl(QString::fromLatin1(ws))
                            << (base ? prefix + QStringLiteral("events") : QString())
                            << (base ? prefix + QStringLiteral("send") : QString())
                            << (base ? prefix + QStringLiteral("poll") : QString());
    };
    row("ws with port", "ws://127.0.0.1:7420/ws", "http://127.0.0.1:7420/");
    row("wss default port", "wss://chat.example.org/ws", "https://chat.example.org/");
    row("path prefix kept", "wss://example.org:8443/tandem/ws", "https://example.org:8443/tandem/");
    row("token query dropped", "ws://h:1/ws?token=secret", "http://h:1/");
    row("user info dropped", "ws://user:pw@h:1/ws", "http://h:1/");
    row("no path", "ws://h:1", "http://h:1/");
    row("upper-case scheme", "WSS://h/ws", "https://h/");
    row("http given as is", "http://h:2/ws", "http://h:2/");
    row("ipv6", "ws://[::1]:7420/ws", "http://[::1]:7420/");
    row("not a server scheme", "ftp://h/ws", nullptr);
    row("no host", "ws:///ws", nullptr);
}

void TestHttpEndpoints::derived()
{
    QFETCH(QUrl, webSocket);
    QFETCH(QString, events);
    QFETCH(QString, send);
    QFETCH(QString, poll);
    const HttpEndpoints endpoints = HttpEndpoints::fromWebSocketUrl(webSocket);
    QCOMPARE(endpoints.isValid(), !events.isEmpty());
    if (events.isEmpty())
        return;
    QCOMPARE(endpoints.events.toString(), events);
    QCOMPARE(endpoints.send.toString(), send);
    QCOMPARE(endpoints.poll.toString(), poll);
    QCOMPARE(tandem::client::sessionUrl(endpoints.sessions, QStringLiteral("S1")).toString(),
             poll.chopped(4) + QStringLiteral("sessions/S1"));
}

void TestHttpEndpoints::sendUrlNamesTheSession()
{
    const QUrl url = tandem::client::sendUrlForSession(QUrl(QStringLiteral("http://h:1/send")),
                                                       QStringLiteral("AbC-_0123456789abcdefgh"));
    QCOMPARE(url.toString(), QStringLiteral("http://h:1/send?session=AbC-_0123456789abcdefgh"));
}

QTEST_GUILESS_MAIN(TestHttpEndpoints)
#include "tst_httpendpoints.moc"
