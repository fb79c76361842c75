#pragma once
// Builders for the server -> client messages that carry no stored state:
// errors, acks, pongs. Room events are built by the server from its storage.

#include "core/protocol/Envelope.h"
#include "core/protocol/ErrorCode.h"

namespace tandem::protocol {

/// `error {code, message, ref}`; `ref` names the offending client message.
/// `details` adds fields, e.g. the `current` state of a conflict.
Envelope makeError(const Error &error, const QString &ref, const QDateTime &now,
                   const QJsonObject &details = {});

/// `ack {messageId, cid, seq, ref}` for a mutation that created a room event.
/// `details` adds fields, e.g. the new `version` of an entity.
Envelope makeAck(const QString &messageId, const QString &cid, const QString &room, qint64 seq,
                 const QString &ref, const QDateTime &now, const QJsonObject &details = {});

Envelope makeEnvelope(QLatin1StringView type, QJsonObject payload, const QDateTime &now);

} // namespace tandem::protocol
