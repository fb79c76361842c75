// GET /yjs/<roomId> against a real tandem-server, with plain WebSocket
// clients speaking y-websocket bytes: the reference server's opening, the
// refusals y-websocket does not retry, keepalives for a quiet client, a peer
// that never answers pings, and a malformed update that changes nothing.

#include "core/crdt/Doc.h"
#include "core/crdt/Lib0Decoder.h"
#include "core/crdt/SyncProtocol.h"
#include "core/crdt/Text.h"
#include "tests/integration/DocumentFramePeer.h"
#include "tests/support/RawWebSocket.h"
#include "tests/support/ServerProcess.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>
#include <QWebSocket>

#include <array>
#include <memory>

using namespace tandem;
using namespace tandem::test;
namespace websocket = tandem::crdt::websocket;

namespace {

const QByteArray EmptyStepOne = QByteArray::fromHex("00000100");
const QByteArray EmptyAwareness = QByteArray::fromHex("010100");

/// A y-websocket connection without y-websocket: every binary message it receives, in order.
class YjsSocket : public QObject {
public:
    bool open(const QUrl &url)
    {
        connect(&socket, &QWebSocket::binaryMessageReceived, this,
                [this](const QByteArray &message) { messages.append(message); });
        connect(&socket, &QWebSocket::disconnected, this, [this] { closeCode = socket.closeCode(); });
        socket.open(url);
        return QTest::qWaitFor(
            [this] { return socket.state() == QAbstractSocket::ConnectedState || closeCode; }, 10000);
    }

    QWebSocket socket;
    QList<QByteArray> messages;
    int closeCode = 0;
};

} // namespace

class TestYjsEndpoint : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void openingIsStepOneThenEveryAwarenessState();
    void refusalIsTheAuthMessageAndClose4401_data();
    void refusalIsTheAuthMessageAndClose4401();
    void roomNameIsTheRawPath();
    void quietClientReceivesKeepalives();
    void peerThatNeverAnswersPingsIsClosed();
    void malformedUpdateIsRefusedAndNotRelayed();
    void tooManyConnectionsForOneUserAreClosedWith4008();
    void signingOutClosesTheTokensYjsSockets();

private:
    QUrl yjsUrl(const QString &roomId, const QString &token) const;

    // Fast timers, so the liveness cases take a second, not a minute.
    ServerProcess m_server{{QStringLiteral("[documents]"), QStringLiteral("ping_interval_ms=300"),
                            QStringLiteral("keepalive_interval_ms=200"), QStringLiteral("[limits]"),
                            QStringLiteral("max_connections_per_user=3")}};
    QString m_alice;
    QString m_mallory;
};

QUrl TestYjsEndpoint::yjsUrl(const QString &roomId, const QString &token) const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/yjs/%2?token=%3").arg(m_server.port()).arg(roomId, token));
}

void TestYjsEndpoint::initTestCase()
{
    QVERIFY(m_server.start());
    QVERIFY(m_server.addUser(QStringLiteral("alice")));
    QVERIFY(m_server.addUser(QStringLiteral("mallory")));
    m_alice = m_server.login(QStringLiteral("alice"));
    m_mallory = m_server.login(QStringLiteral("mallory"));
    TestClient alice;
    QVERIFY(alice.connectAndAuthenticate(m_server.wsUrl(), m_alice));
    QVERIFY(alice.join(QStringLiteral("notes")));
    QVERIFY(alice.join(QStringLiteral("vault"), std::nullopt, true));
    // Users of their own for the cases that count connections, so sockets other cases are still
    // closing cannot count against them.
    for (const QString &name : {QStringLiteral("carol"), QStringLiteral("dave")}) {
        QVERIFY(m_server.addUser(name));
        TestClient member;
        QVERIFY(member.connectAndAuthenticate(m_server.wsUrl(), m_server.login(name)));
        QVERIFY(member.join(QStringLiteral("notes")));
    }
}

void TestYjsEndpoint::openingIsStepOneThenEveryAwarenessState()
{
    YjsSocket first;
    QVERIFY(first.open(yjsUrl(QStringLiteral("notes"), m_alice)));
    QTRY_VERIFY(!first.messages.isEmpty());
    QCOMPARE(first.messages.first(), EmptyStepOne); // as the reference server: 00 00 01 00
    first.socket.sendBinaryMessage(awarenessMessage(7, 1, QStringLiteral("A")));
    QTRY_VERIFY(first.messages.contains(awarenessMessage(7, 1, QStringLiteral("A")))); // echoed

    YjsSocket second;
    QVERIFY(second.open(yjsUrl(QStringLiteral("notes"), m_alice)));
    QTRY_VERIFY(second.messages.size() >= 2);
    QCOMPARE(second.messages.at(0), EmptyStepOne);
    QCOMPARE(second.messages.at(1), awarenessMessage(7, 1, QStringLiteral("A")));

    first.socket.close();
    QTRY_VERIFY(second.messages.contains(websocket::awareness(QByteArray::fromHex("0107010"
                                                                                  "46e756c6c"))));
}

void TestYjsEndpoint::refusalIsTheAuthMessageAndClose4401_data()
{
    QTest::addColumn<QString>("roomId");
    QTest::addColumn<QString>("user"); ///< whose token: alice, mallory, or a literal token
    QTest::addRow("forged token") << QStringLiteral("notes") << QStringLiteral("forged");
    QTest::addRow("no token") << QStringLiteral("notes") << QString();
    QTest::addRow("private room without membership") << QStringLiteral("vault") << QStringLiteral("mallory");
    QTest::addRow("room never joined") << QStringLiteral("notes") << QStringLiteral("mallory");
    QTest::addRow("missing room") << QStringLiteral("nowhere") << QStringLiteral("alice");
    QTest::addRow("room id with a slash") << QStringLiteral("notes/x") << QStringLiteral("alice");
}

void TestYjsEndpoint::refusalIsTheAuthMessageAndClose4401()
{
    QFETCH(QString, roomId);
    QFETCH(QString, user);
    const QString token = user == QLatin1String("alice")     ? m_alice
                          : user == QLatin1String("mallory") ? m_mallory
                                                             : user;
    YjsSocket socket;
    socket.open(yjsUrl(roomId, token));
    QTRY_COMPARE(socket.closeCode, 4401);
    QCOMPARE(socket.messages.size(), 1);
    crdt::Lib0Decoder decoder(socket.messages.first());
    QCOMPARE(decoder.readVarUint(), 2u); // messageAuth
    QCOMPARE(decoder.readVarUint(), 0u); // permission denied
    QVERIFY(!decoder.readVarString().isEmpty());
    QVERIFY(!decoder.failed());
}

void TestYjsEndpoint::roomNameIsTheRawPath()
{
    // As in the reference server, "no%74es" is not "notes" (QUrl would decode it; a raw socket sends it as
    // is).
    RawWebSocket encoded;
    QVERIFY(encoded.open(m_server.port(), "/yjs/no%74es?token=" + m_alice.toLatin1()));
    QCOMPARE(encoded.waitForClose(), 4401);
    RawWebSocket plain;
    QVERIFY(plain.open(m_server.port(), "/yjs/notes?token=" + m_alice.toLatin1()));
    QVERIFY(plain.isOpen());
}

void TestYjsEndpoint::quietClientReceivesKeepalives()
{
    YjsSocket quiet;
    QVERIFY(quiet.open(yjsUrl(QStringLiteral("notes"), m_alice)));
    // Nothing to say and nothing to hear, yet messages keep coming: y-websocket stays connected.
    QTRY_VERIFY(quiet.messages.count(EmptyAwareness) >= 2);
    QCOMPARE(quiet.socket.state(), QAbstractSocket::ConnectedState);
}

void TestYjsEndpoint::peerThatNeverAnswersPingsIsClosed()
{
    RawWebSocket deaf; // answers no ping
    QVERIFY(deaf.open(m_server.port(), "/yjs/notes?token=" + m_alice.toLatin1()));
    QCOMPARE(deaf.waitForClose(5000), 4000);
}

void TestYjsEndpoint::malformedUpdateIsRefusedAndNotRelayed()
{
    YjsSocket writer;
    YjsSocket observer;
    QVERIFY(writer.open(yjsUrl(QStringLiteral("notes"), m_alice)));
    QVERIFY(observer.open(yjsUrl(QStringLiteral("notes"), m_alice)));
    QTRY_VERIFY(!writer.messages.isEmpty() && !observer.messages.isEmpty());

    crdt::Doc doc;
    QByteArray update;
    connect(&doc, &crdt::Doc::updated, this, [&](const QByteArray &bytes) { update = bytes; });
    doc.getText(QStringLiteral("content")).insert(0, QStringLiteral("never stored"));
    writer.socket.sendBinaryMessage(websocket::syncUpdate(update.left(update.size() - 3)));
    QTRY_VERIFY(std::any_of(writer.messages.cbegin(), writer.messages.cend(), [](const QByteArray &message) {
        return message.startsWith(QByteArray("\x02\x00", 2));
    }));
    QCOMPARE(writer.socket.state(), QAbstractSocket::ConnectedState);

    // The step 2 a new reader gets holds nothing of it.
    observer.socket.sendBinaryMessage(websocket::syncStep1(crdt::Doc()));
    QTRY_VERIFY(
        std::any_of(observer.messages.cbegin(), observer.messages.cend(),
                    [](const QByteArray &message) { return message.startsWith(QByteArray("\x00\x01", 2)); }));
    const auto stepTwo =
        std::find_if(observer.messages.cbegin(), observer.messages.cend(),
                     [](const QByteArray &message) { return message.startsWith(QByteArray("\x00\x01", 2)); });
    crdt::Doc reader;
    crdt::Lib0Decoder decoder(*stepTwo);
    decoder.readVarUint();
    crdt::Lib0Encoder reply;
    QVERIFY(crdt::sync::readMessage(decoder, reply, reader, 0).hasValue());
    QVERIFY(!reader.getText(QStringLiteral("content")).toString().contains(QStringLiteral("never")));
    QVERIFY(std::none_of(observer.messages.cbegin(), observer.messages.cend(), [](const QByteArray &message) {
        return message.startsWith(QByteArray("\x00\x02", 2));
    }));
}

void TestYjsEndpoint::tooManyConnectionsForOneUserAreClosedWith4008()
{
    const QString carol = m_server.login(QStringLiteral("carol"));
    std::array<YjsSocket, 3> allowed;
    for (YjsSocket &socket : allowed) {
        QVERIFY(socket.open(yjsUrl(QStringLiteral("notes"), carol)));
        QTRY_VERIFY(!socket.messages.isEmpty());
    }
    YjsSocket fourth;
    fourth.open(yjsUrl(QStringLiteral("notes"), carol));
    QTRY_COMPARE(fourth.closeCode, 4008); // y-websocket retries it later, with backoff
    for (YjsSocket &socket : allowed)
        QCOMPARE(socket.socket.state(), QAbstractSocket::ConnectedState);
}

void TestYjsEndpoint::signingOutClosesTheTokensYjsSockets()
{
    const QString token = m_server.login(QStringLiteral("dave"));
    YjsSocket socket;
    QVERIFY(socket.open(yjsUrl(QStringLiteral("notes"), token)));
    QTRY_VERIFY(!socket.messages.isEmpty());

    QNetworkAccessManager http;
    QNetworkRequest logout(m_server.httpUrl(QStringLiteral("/api/logout")));
    logout.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    std::unique_ptr<QNetworkReply> reply(http.post(logout, QByteArray()));
    QTRY_VERIFY(reply->isFinished());
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 204);
    QTRY_COMPARE(socket.closeCode, 4401);
    QVERIFY(socket.messages.constLast().startsWith(QByteArray("\x02\x00", 2)));
}

QTEST_GUILESS_MAIN(TestYjsEndpoint)
#include "tst_yjsendpoint.moc"
