#pragma once
// The y-protocols sync messages (sync.js) and the y-websocket framing around
// them and awareness, byte-compatible with y-websocket 3.x clients and
// @y/websocket-server.
//
// A y-websocket binary message = varUint messageType + body:
//   messageSync (0)      + sync message (step1 / step2 / update)
//   messageAwareness (1) + varUint8Array(awareness update)
//   messageAuth (2)      + varUint 0 (permission denied) + varString reason
//   messageQueryAwareness (3), empty

#include "core/common/Expected.h"
#include "core/crdt/CrdtError.h"
#include "core/crdt/Transaction.h"

#include <QByteArray>

#include <optional>

namespace tandem::crdt {

class Doc;
class Lib0Decoder;
class Lib0Encoder;

namespace sync {

enum class MessageType : quint8 { Step1 = 0, Step2 = 1, Update = 2 };

/// Step1: our state vector, asking the peer for what we lack.
void writeStep1(Lib0Encoder &encoder, const Doc &doc);
/// Step2: everything the peer with `encodedStateVector` lacks (with pending data).
Expected<void, DecodeError> writeStep2(Lib0Encoder &encoder, const Doc &doc,
                                       const QByteArray &encodedStateVector);
void writeUpdate(Lib0Encoder &encoder, const QByteArray &update);

/// Reads one sync message and acts on it: Step1 writes a Step2 into `reply`
/// (nothing is written otherwise); Step2/Update apply the update with
/// `origin`. A malformed message or update is refused and changes nothing.
Expected<MessageType, DecodeError> readMessage(Lib0Decoder &decoder, Lib0Encoder &reply, Doc &doc,
                                               Origin origin);

} // namespace sync

namespace websocket {

enum class MessageType : quint8 { Sync = 0, Awareness = 1, Auth = 2, QueryAwareness = 3 };

/// Complete y-websocket frames, ready for sendBinaryMessage.
QByteArray syncStep1(const Doc &doc);
Expected<QByteArray, DecodeError> syncStep2(const Doc &doc, const QByteArray &encodedStateVector);
QByteArray syncUpdate(const QByteArray &update);
QByteArray awareness(const QByteArray &awarenessUpdate);
QByteArray queryAwareness();
QByteArray permissionDenied(const QString &reason);

} // namespace websocket

} // namespace tandem::crdt
