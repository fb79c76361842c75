#include "core/crdt/SyncProtocol.h"

#include "core/crdt/Doc.h"
#include "core/crdt/Lib0Decoder.h"
#include "core/crdt/Lib0Encoder.h"

namespace tandem::crdt {

namespace sync {

void writeStep1(Lib0Encoder &encoder, const Doc &doc)
{
    encoder.writeVarUint(quint8(MessageType::Step1));
    encoder.writeVarUint8Array(doc.encodeStateVector());
}

Expected<void, DecodeError> writeStep2(Lib0Encoder &encoder, const Doc &doc,
                                       const QByteArray &encodedStateVector)
{
    Expected<QByteArray, DecodeError> update = doc.encodeStateAsUpdate(encodedStateVector);
    if (!update)
        return unexpected(update.error());
    encoder.writeVarUint(quint8(MessageType::Step2));
    encoder.writeVarUint8Array(*update);
    return {};
}

void writeUpdate(Lib0Encoder &encoder, const QByteArray &update)
{
    encoder.writeVarUint(quint8(MessageType::Update));
    encoder.writeVarUint8Array(update);
}

Expected<MessageType, DecodeError> readMessage(Lib0Decoder &decoder, Lib0Encoder &reply, Doc &doc,
                                               Origin origin)
{
    const std::uint64_t type = decoder.readVarUint();
    const QByteArray payload = decoder.readVarUint8Array();
    if (decoder.failed())
        return unexpected(*decoder.error());
    switch (type) {
    case quint8(MessageType::Step1): {
        Expected<void, DecodeError> written = writeStep2(reply, doc, payload);
        if (!written)
            return unexpected(written.error());
        return MessageType::Step1;
    }
    case quint8(MessageType::Step2):
    case quint8(MessageType::Update): {
        Expected<void, DecodeError> applied = doc.applyUpdate(payload, origin);
        if (!applied)
            return unexpected(applied.error());
        return MessageType(type);
    }
    default:
        return unexpected(
            DecodeError{DecodeErrorCode::UnknownMessageType, QStringLiteral("unknown sync message type")});
    }
}

} // namespace sync

namespace websocket {

namespace {

Lib0Encoder frame(MessageType type)
{
    Lib0Encoder encoder;
    encoder.writeVarUint(quint8(type));
    return encoder;
}

} // namespace

QByteArray syncStep1(const Doc &doc)
{
    Lib0Encoder encoder = frame(MessageType::Sync);
    sync::writeStep1(encoder, doc);
    return encoder.takeData();
}

Expected<QByteArray, DecodeError> syncStep2(const Doc &doc, const QByteArray &encodedStateVector)
{
    Lib0Encoder encoder = frame(MessageType::Sync);
    Expected<void, DecodeError> written = sync::writeStep2(encoder, doc, encodedStateVector);
    if (!written)
        return unexpected(written.error());
    return encoder.takeData();
}

QByteArray syncUpdate(const QByteArray &update)
{
    Lib0Encoder encoder = frame(MessageType::Sync);
    sync::writeUpdate(encoder, update);
    return encoder.takeData();
}

QByteArray awareness(const QByteArray &awarenessUpdate)
{
    Lib0Encoder encoder = frame(MessageType::Awareness);
    encoder.writeVarUint8Array(awarenessUpdate);
    return encoder.takeData();
}

QByteArray queryAwareness()
{
    return frame(MessageType::QueryAwareness).takeData();
}

QByteArray permissionDenied(const QString &reason)
{
    Lib0Encoder encoder = frame(MessageType::Auth);
    encoder.writeVarUint(0);
    encoder.writeVarString(reason);
    return encoder.takeData();
}

} // namespace websocket

} // namespace tandem::crdt
