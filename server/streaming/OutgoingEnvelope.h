#pragma once
// What an HTTP session needs to know about an envelope it sends (its type, its
// room and seq, the room a join or leave names, the `ref`) and its UTF-8 bytes.
// A broadcast hands the same text to every subscriber, so the reader keeps the
// last one: one JSON parse and one UTF-8 encoding per broadcast, not one per
// session (bench_transports measured the per-session parse as most of SSE's
// extra CPU per delivery).

#include <QByteArray>
#include <QString>

namespace tandem::server::streaming {

struct OutgoingEnvelope {
    QString type; ///< "message" when the envelope names none
    QString room;
    qint64 seq = 0;
    QString ref;
    QString joinedRoom; ///< room:joined: its roomId, with the room's lastSeq
    qint64 joinedLastSeq = 0;
    QString leftRoom; ///< room:left: its roomId
    QByteArray utf8;
};

class OutgoingEnvelopeReader {
public:
    const OutgoingEnvelope &read(const QString &text);

private:
    /// Held, so its buffer cannot be freed and reused by another text while it is the key.
    QString m_lastText;
    OutgoingEnvelope m_last;
};

} // namespace tandem::server::streaming
