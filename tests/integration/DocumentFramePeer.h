#pragma once
// A Tandem session speaking documents by hand (docs/PROTOCOL.md, "Documents
// (Yjs)"): binary document frames or base64 doc:message, applied to a CRDT
// document of its own. Header-only: the integration and interop tests share it.

#include "core/crdt/Awareness.h"
#include "core/crdt/Doc.h"
#include "core/crdt/Lib0Decoder.h"
#include "core/crdt/Lib0Encoder.h"
#include "core/crdt/SyncProtocol.h"
#include "core/crdt/Text.h"
#include "tests/support/TestClient.h"

#include <QJsonObject>

namespace tandem::test {

inline QByteArray documentFrame(const QString &roomId, const QByteArray &message)
{
    crdt::Lib0Encoder frame;
    frame.writeVarString(roomId);
    frame.writeRaw(message);
    return frame.takeData();
}

/// A session with a CRDT document of its own: applies what the server sends.
class DocumentFramePeer : public QObject {
public:
    bool start(const QUrl &url, const QString &token)
    {
        connect(&client.socket(), &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &frame) {
            ++binaryFrames;
            crdt::Lib0Decoder decoder(frame);
            const QString frameRoom = decoder.readVarString();
            receive(frameRoom, decoder.readTail());
        });
        return client.connectAndAuthenticate(url, token);
    }

    /// Applies a document message; counts updates and awareness messages.
    void receive(const QString &room, const QByteArray &message)
    {
        rooms.append(room);
        messages.append(message);
        crdt::Lib0Decoder decoder(message);
        const quint64 type = decoder.readVarUint();
        if (type == 0) {
            crdt::Lib0Encoder reply;
            const auto read = crdt::sync::readMessage(decoder, reply, doc, 1);
            if (read && *read == crdt::sync::MessageType::Update)
                ++updatesReceived;
        } else if (type == 1) {
            if (auto change = awareness.applyUpdate(decoder.readVarUint8Array()))
                removedClients += change->removed;
        }
    }

    /// Takes the doc:message frames received as text (base64 encoding) into receive().
    void takeBase64Messages()
    {
        while (auto message = client.take(QStringLiteral("doc:message"), 0)) {
            const QJsonObject payload = message->value(QLatin1String("payload")).toObject();
            receive(payload.value(QLatin1String("roomId")).toString(),
                    QByteArray::fromBase64(payload.value(QLatin1String("data")).toString().toLatin1()));
        }
    }

    /// doc:open; `encoding` "base64" asks for doc:message instead of binary frames.
    void open(const QString &room, const QString &encoding = {})
    {
        roomId = room;
        QJsonObject payload{{QStringLiteral("roomId"), room}};
        if (!encoding.isEmpty())
            payload.insert(QStringLiteral("encoding"), encoding);
        client.send(QStringLiteral("doc:open"), payload);
    }

    void sendBinary(const QByteArray &message)
    {
        client.socket().sendBinaryMessage(documentFrame(roomId, message));
    }

    QByteArray insert(int index, const QString &text)
    {
        QByteArray captured;
        auto connection =
            QObject::connect(&doc, &crdt::Doc::updated,
                             [&](const QByteArray &update, crdt::Origin, bool) { captured = update; });
        doc.getText(QStringLiteral("content")).insert(index, text);
        QObject::disconnect(connection);
        return crdt::websocket::syncUpdate(captured);
    }

    QString text() { return doc.getText(QStringLiteral("content")).toString(); }

    TestClient client;
    QString roomId;
    crdt::Doc doc;
    crdt::Awareness awareness{doc.clientId()};
    QStringList rooms;
    QList<QByteArray> messages;
    int updatesReceived = 0;
    int binaryFrames = 0;
    QList<crdt::ClientId> removedClients;
};

inline QByteArray awarenessMessage(crdt::ClientId client, quint64 clock, const QString &name)
{
    crdt::Lib0Encoder encoder;
    encoder.writeVarUint(1);
    encoder.writeVarUint(client);
    encoder.writeVarUint(clock);
    encoder.writeVarString(QStringLiteral(R"({"user":{"name":"%1"}})").arg(name));
    return crdt::websocket::awareness(encoder.takeData());
}

} // namespace tandem::test
