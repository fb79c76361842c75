// Documents over the Tandem session against a real tandem-server, with plain
// WebSocket clients speaking docs/PROTOCOL.md "Documents (Yjs)" by hand:
// binary document frames and base64 doc:message, echo to the sender, awareness
// removal on doc:close, typed refusals, and the text surviving a restart.

#include "tests/integration/DocumentFramePeer.h"
#include "tests/support/ServerProcess.h"

#include <QJsonObject>
#include <QTest>

using namespace tandem;
using namespace tandem::test;
namespace websocket = tandem::crdt::websocket;

namespace {
const QString Room = QStringLiteral("notes");
} // namespace

class TestDocFrames : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void binaryFramesSyncAndEchoToTheSender();
    void base64SessionEditsWithABinaryOne();
    void closingRemovesAwarenessWithANullState();
    void refusalsAreTypedAndChangeNothing();
    void textSurvivesARestart();

private:
    ServerProcess m_server;
    QString m_alice;
    QString m_bob;
    QString m_mallory;
};

void TestDocFrames::initTestCase()
{
    QVERIFY(m_server.start());
    for (const QString &name : {QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("mallory")})
        QVERIFY(m_server.addUser(name));
    m_alice = m_server.login(QStringLiteral("alice"));
    m_bob = m_server.login(QStringLiteral("bob"));
    m_mallory = m_server.login(QStringLiteral("mallory"));
    TestClient alice;
    QVERIFY(alice.connectAndAuthenticate(m_server.wsUrl(), m_alice));
    QVERIFY(alice.join(Room));
    QVERIFY(alice.join(QStringLiteral("vault"), std::nullopt, true));
    TestClient bob;
    QVERIFY(bob.connectAndAuthenticate(m_server.wsUrl(), m_bob));
    QVERIFY(bob.join(Room));
}

void TestDocFrames::binaryFramesSyncAndEchoToTheSender()
{
    DocumentFramePeer alice;
    DocumentFramePeer bob;
    QVERIFY(alice.start(m_server.wsUrl(), m_alice));
    QVERIFY(bob.start(m_server.wsUrl(), m_bob));
    alice.open(Room);
    QTRY_COMPARE(alice.messages.size(), 1);
    QCOMPARE(alice.rooms.first(), Room);
    QCOMPARE(alice.messages.first().left(2), QByteArray::fromHex("0000")); // the server's step 1
    bob.open(Room);
    QTRY_COMPARE(bob.messages.size(), 1);

    alice.sendBinary(websocket::syncStep1(alice.doc));
    QTRY_COMPARE(alice.messages.size(), 2);
    QCOMPARE(alice.messages.at(1).left(2), QByteArray::fromHex("0001")); // step 2

    alice.sendBinary(alice.insert(0, QStringLiteral("Hello from a raw session")));
    QTRY_COMPARE(bob.updatesReceived, 1);
    QCOMPARE(bob.text(), QStringLiteral("Hello from a raw session"));
    QTRY_COMPARE(alice.updatesReceived, 1); // the echo: the server has stored it

    bob.sendBinary(bob.insert(0, QStringLiteral(">> ")));
    QTRY_COMPARE(alice.updatesReceived, 2);
    QCOMPARE(alice.text(), bob.text());
    QVERIFY(alice.client.received(QStringLiteral("error")).isEmpty());
    QVERIFY(bob.client.received(QStringLiteral("error")).isEmpty());
}

void TestDocFrames::base64SessionEditsWithABinaryOne()
{
    DocumentFramePeer binary;
    DocumentFramePeer textOnly;
    QVERIFY(binary.start(m_server.wsUrl(), m_alice));
    QVERIFY(textOnly.start(m_server.wsUrl(), m_bob));
    binary.open(Room);
    textOnly.open(Room, QStringLiteral("base64"));
    QVERIFY(textOnly.client.take(QStringLiteral("doc:message")).has_value()); // step 1, in JSON
    QVERIFY(textOnly.messages.isEmpty());                                     // and nothing in binary

    // Catch up on what the previous case wrote, in base64 both ways.
    textOnly.client.send(
        QStringLiteral("doc:message"),
        {{QStringLiteral("roomId"), Room},
         {QStringLiteral("data"), QString::fromLatin1(websocket::syncStep1(textOnly.doc).toBase64())}});
    QTRY_VERIFY((textOnly.takeBase64Messages(), !textOnly.text().isEmpty()));
    const QString before = textOnly.text();

    textOnly.client.send(QStringLiteral("doc:message"),
                         {{QStringLiteral("roomId"), Room},
                          {QStringLiteral("data"),
                           QString::fromLatin1(textOnly.insert(0, QStringLiteral("b64 ")).toBase64())}});
    binary.sendBinary(websocket::syncStep1(binary.doc));
    QTRY_COMPARE(binary.text(), QStringLiteral("b64 ") + before);
    QTRY_VERIFY((textOnly.takeBase64Messages(), textOnly.updatesReceived == 1)); // its own echo
    QCOMPARE(textOnly.binaryFrames, 0); // everything in the encoding it opened with
    QVERIFY(binary.binaryFrames >= 2);
}

void TestDocFrames::closingRemovesAwarenessWithANullState()
{
    DocumentFramePeer leaving;
    DocumentFramePeer staying;
    QVERIFY(leaving.start(m_server.wsUrl(), m_alice));
    QVERIFY(staying.start(m_server.wsUrl(), m_bob));
    leaving.open(Room);
    staying.open(Room);
    QTRY_VERIFY(!leaving.messages.isEmpty() && !staying.messages.isEmpty());

    leaving.sendBinary(awarenessMessage(4242, 1, QStringLiteral("Alice")));
    QTRY_VERIFY(staying.awareness.states().contains(4242));
    QTRY_VERIFY(leaving.awareness.states().contains(4242)); // echoed to the sender

    const QString id = leaving.client.send(QStringLiteral("doc:close"), {{QStringLiteral("roomId"), Room}});
    const auto closed = leaving.client.take(QStringLiteral("doc:closed"));
    QVERIFY(closed);
    QCOMPARE(closed->value(QLatin1String("payload")).toObject().value(QLatin1String("ref")).toString(), id);
    QTRY_COMPARE(staying.removedClients, QList<crdt::ClientId>{4242});
    QVERIFY(!staying.awareness.states().contains(4242));
}

void TestDocFrames::refusalsAreTypedAndChangeNothing()
{
    DocumentFramePeer mallory;
    QVERIFY(mallory.start(m_server.wsUrl(), m_mallory));
    auto errorFor = [&](const QString &id) {
        return mallory.client.take(QStringLiteral("error"), 10000, [&](const QJsonObject &message) {
            return message.value(QLatin1String("payload"))
                       .toObject()
                       .value(QLatin1String("ref"))
                       .toString() == id;
        });
    };
    auto codeOf = [](const std::optional<QJsonObject> &error) {
        return error
                   ? error->value(QLatin1String("payload")).toObject().value(QLatin1String("code")).toString()
                   : QString();
    };
    QCOMPARE(codeOf(errorFor(mallory.client.send(QStringLiteral("doc:open"),
                                                 {{QStringLiteral("roomId"), QStringLiteral("vault")}}))),
             QStringLiteral("forbidden"));
    QCOMPARE(codeOf(errorFor(mallory.client.send(
                 QStringLiteral("doc:open"), {{QStringLiteral("roomId"), QStringLiteral("no-such-room")}}))),
             QStringLiteral("not_found"));
    // Not a member of notes either: a frame for it is refused as a document not open.
    mallory.roomId = Room;
    mallory.sendBinary(websocket::syncStep1(mallory.doc));
    QCOMPARE(codeOf(errorFor(QStringLiteral("doc:message"))), QStringLiteral("forbidden"));
    QVERIFY(mallory.messages.isEmpty());

    // A member's malformed update: refused, and nobody else hears of it.
    DocumentFramePeer bob;
    DocumentFramePeer observer;
    QVERIFY(bob.start(m_server.wsUrl(), m_bob));
    QVERIFY(observer.start(m_server.wsUrl(), m_alice));
    bob.open(Room);
    observer.open(Room);
    QTRY_VERIFY(!bob.messages.isEmpty() && !observer.messages.isEmpty());
    QByteArray truncated = bob.insert(0, QStringLiteral("never"));
    truncated.chop(2);
    bob.sendBinary(truncated);
    const auto refused = bob.client.take(QStringLiteral("error"));
    QVERIFY(refused);
    const QJsonObject payload = refused->value(QLatin1String("payload")).toObject();
    QCOMPARE(payload.value(QLatin1String("code")).toString(), QStringLiteral("bad_request"));
    QCOMPARE(payload.value(QLatin1String("roomId")).toString(), Room);
    // A later good update arrives alone: the bad one was never relayed.
    crdt::Doc other;
    QByteArray good;
    connect(&other, &crdt::Doc::updated, this, [&](const QByteArray &update) { good = update; });
    other.getText(QStringLiteral("content")).insert(0, QStringLiteral("ok "));
    bob.sendBinary(websocket::syncUpdate(good));
    QTRY_COMPARE(observer.updatesReceived, 1);
    QVERIFY(!observer.text().contains(QStringLiteral("never")));
    QVERIFY(bob.client.isOpen());
}

void TestDocFrames::textSurvivesARestart()
{
    QString written;
    {
        DocumentFramePeer writer;
        QVERIFY(writer.start(m_server.wsUrl(), m_alice));
        writer.open(Room);
        QTRY_VERIFY(!writer.messages.isEmpty());
        writer.sendBinary(websocket::syncStep1(writer.doc));
        QTRY_VERIFY(writer.messages.size() >= 2);
        writer.sendBinary(writer.insert(0, QStringLiteral("durable ")));
        QTRY_COMPARE(writer.updatesReceived, 1);
        written = writer.text();
    }
    const quint16 port = m_server.port();
    QCOMPARE(m_server.terminate(), 0);
    QVERIFY(m_server.start(port));

    DocumentFramePeer reader;
    QVERIFY(reader.start(m_server.wsUrl(), m_bob));
    reader.open(Room);
    QTRY_VERIFY(!reader.messages.isEmpty());
    reader.sendBinary(websocket::syncStep1(reader.doc));
    QTRY_COMPARE(reader.text(), written);
}

QTEST_GUILESS_MAIN(TestDocFrames)
#include "tst_docframes.moc"
