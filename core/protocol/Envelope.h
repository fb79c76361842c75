#pragma once
// The JSON envelope every message travels in: {id, type, ts, room?, seq?,
// cid?, payload}. Server-side code builds Envelopes and encodes each one once,
// so a broadcast sends the same bytes to every peer.

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace tandem::protocol {

struct Envelope {
    QString id;
    QString type;
    QDateTime ts;   ///< always UTC; encoded as ISO 8601 with milliseconds
    QString room;   ///< set on room events
    qint64 seq = 0; ///< per-room sequence; 0 means "not a stored room event"
    QString cid;    ///< the client's idempotency key, echoed on acks and on its own events
    QJsonObject payload;

    QJsonObject toJson() const;
    /// Compact UTF-8 JSON, ready to be sent as a text frame.
    QByteArray encode() const;
};

/// A new globally unique message id.
QString newMessageId();
/// ISO 8601 UTC with milliseconds, e.g. "2026-11-28T18:15:19.123Z".
QString formatTimestamp(const QDateTime &utc);

} // namespace tandem::protocol
