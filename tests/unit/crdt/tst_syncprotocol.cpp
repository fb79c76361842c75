// y-protocols sync messages and y-websocket framing, byte for byte.

#include "core/crdt/Doc.h"
#include "core/crdt/Lib0Decoder.h"
#include "core/crdt/Lib0Encoder.h"
#include "core/crdt/SyncProtocol.h"
#include "core/crdt/Text.h"

#include <QSignalSpy>
#include <QTest>

using namespace tandem::crdt;

namespace {

QByteArray hex(const char *spaced)
{
    return QByteArray::fromHex(QByteArray(spaced).replace(' ', ""));
}

// What a y-websocket peer does with one binary message: strip the framing,
// read the sync message, and return the framed reply (empty if none).
QByteArray receive(Doc &doc, const QByteArray &message, Origin origin = 7)
{
    Lib0Decoder decoder(message);
    if (decoder.readVarUint() != quint8(websocket::MessageType::Sync))
        return "not a sync message";
    Lib0Encoder reply;
    reply.writeVarUint(quint8(websocket::MessageType::Sync));
    if (!sync::readMessage(decoder, reply, doc, origin))
        return "refused";
    return reply.size() > 1 ? reply.takeData() : QByteArray();
}

} // namespace

class TestSyncProtocol : public QObject {
    Q_OBJECT
private slots:
    void framesMatchYWebsocket()
    {
        Doc doc(1);
        doc.getText(QStringLiteral("t")).insert(0, QStringLiteral("thirteen char"));
        QCOMPARE(websocket::syncStep1(doc).toHex(' '), hex("00 00 03 01 01 0d").toHex(' '));
        Doc empty(2);
        QCOMPARE(websocket::syncStep2(empty, {})->toHex(' '), hex("00 01 02 00 00").toHex(' '));
        QCOMPARE(websocket::syncStep1(empty).toHex(' '), hex("00 00 01 00").toHex(' '));
        QCOMPARE(websocket::syncUpdate(hex("00 00")).toHex(' '), hex("00 02 02 00 00").toHex(' '));
        QCOMPARE(websocket::queryAwareness().toHex(' '), hex("03").toHex(' '));
        QCOMPARE(websocket::permissionDenied(QStringLiteral("no")).toHex(' '),
                 hex("02 00 02 6e 6f").toHex(' '));
    }

    void handshakeSyncsBothWays()
    {
        Doc client(1);
        Doc server(2);
        client.getText(QStringLiteral("t")).insert(0, QStringLiteral("from client "));
        server.getText(QStringLiteral("t")).insert(0, QStringLiteral("from server "));

        // Each sends step 1; each answers the other's with step 2.
        const QByteArray serverReply = receive(server, websocket::syncStep1(client));
        const QByteArray clientReply = receive(client, websocket::syncStep1(server));
        QVERIFY(!serverReply.isEmpty() && !clientReply.isEmpty());
        QSignalSpy clientUpdates(&client, &Doc::updated);
        QVERIFY(receive(client, serverReply).isEmpty()); // step 2 needs no answer
        QVERIFY(receive(server, clientReply).isEmpty());
        QCOMPARE(client.getText(QStringLiteral("t")).toString(),
                 server.getText(QStringLiteral("t")).toString());
        QCOMPARE(clientUpdates.size(), 1);
        QCOMPARE(clientUpdates.at(0).at(1).value<Origin>(), Origin(7)); // the origin given to readMessage
        QVERIFY(!clientUpdates.at(0).at(2).toBool());

        // Later edits travel as update messages.
        QByteArray relayed;
        connect(&server, &Doc::updated, this, [&relayed](const QByteArray &update, Origin, bool local) {
            if (local)
                relayed = websocket::syncUpdate(update);
        });
        server.getText(QStringLiteral("t")).insert(0, QStringLiteral("!"));
        QVERIFY(receive(client, relayed).isEmpty());
        QCOMPARE(client.getText(QStringLiteral("t")).toString(),
                 server.getText(QStringLiteral("t")).toString());
    }

    void refusesUnknownAndMalformedMessages()
    {
        Doc doc(1);
        Lib0Encoder reply;
        Lib0Decoder unknown(hex("05 00"));
        const auto refused = sync::readMessage(unknown, reply, doc, 0);
        QVERIFY(!refused);
        QCOMPARE(int(refused.error().code), int(DecodeErrorCode::UnknownMessageType));
        Lib0Decoder truncated(hex("02 05 01 01"));
        QVERIFY(!sync::readMessage(truncated, reply, doc, 0));
        Lib0Decoder badUpdate(hex("02 02 01 01"));
        QVERIFY(!sync::readMessage(badUpdate, reply, doc, 0));
        Lib0Decoder badStateVector(hex("00 02 05 01"));
        QVERIFY(!sync::readMessage(badStateVector, reply, doc, 0));
        QCOMPARE(reply.size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSyncProtocol)
#include "tst_syncprotocol.moc"
