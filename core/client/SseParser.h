#pragma once
// An incremental parser for a text/event-stream body (WHATWG HTML, "Server-sent
// events": "Parsing an event stream" and "Interpreting an event stream").
// Bytes arrive in chunks of any size, down to one byte; a chunk may end inside
// a UTF-8 sequence, inside a CRLF or inside a field. Work is linear in the
// input: each byte is decoded once and each character copied at most twice
// (into the line, then into the event), so a large event fed byte by byte is
// not quadratic. A line longer than maxLineBytes stops the parser with an
// error instead of buffering without bound.

#include "core/common/Expected.h"

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringDecoder>

#include <optional>
#include <vector>

namespace tandem::client {

/// One dispatched event, as an EventSource would deliver it.
struct SseEvent {
    QString type = QStringLiteral("message"); ///< the `event` field, "message" when absent
    QString data;                             ///< the `data` lines joined by LF
    QString lastEventId;                      ///< the last event ID buffer at dispatch time

    friend bool operator==(const SseEvent &, const SseEvent &) = default;
};

enum class SseParseError {
    LineTooLong, ///< one line exceeded maxLineBytes (UTF-8 bytes of the decoded line)
};

class SseParser {
public:
    /// Generous for any Tandem envelope; the transport may pass its own bound.
    static constexpr qsizetype DefaultMaxLineBytes = 16 * 1024 * 1024;

    explicit SseParser(qsizetype maxLineBytes = DefaultMaxLineBytes);

    /// Consumes the next chunk of the stream and returns the events it
    /// completed, in order. After an error the parser stays failed: every
    /// later call returns the same error and consumes nothing.
    Expected<QList<SseEvent>, SseParseError> feed(QByteArrayView chunk);
    /// The same, appending the completed events to `events` (a transport that
    /// reuses one list avoids building a result per network read). On an
    /// error, the events completed earlier in the chunk are still appended.
    Expected<void, SseParseError> feed(QByteArrayView chunk, QList<SseEvent> &events);

    /// The end of the stream: a line or event not yet ended by a blank line is
    /// discarded (as the spec requires), and the parser is ready for a new
    /// stream (a BOM is stripped again). lastEventId() and
    /// reconnectionTimeMs() are kept: a reconnect sends them back.
    void finish();

    /// The last event ID buffer: set by every `id` field, even one in an
    /// event that is never dispatched; empty until the first.
    QString lastEventId() const { return m_lastEventId; }
    /// The last valid `retry` value, in milliseconds.
    std::optional<qint64> reconnectionTimeMs() const { return m_reconnectionTimeMs; }
    std::optional<SseParseError> error() const { return m_error; }
    qsizetype maxLineBytes() const { return m_maxLineBytes; }

private:
    void appendToLine(QStringView text);
    void processLine(QList<SseEvent> &events);
    void processField(QStringView name, QStringView value);
    void dispatch(QList<SseEvent> &events);
    void resetStream();

    qsizetype m_maxLineBytes;
    QStringDecoder m_decoder;
    char m_pending[3] = {}; ///< the start of a UTF-8 sequence cut by the chunk boundary
    qsizetype m_pendingSize = 0;
    std::vector<QChar> m_decoded; ///< reused decode buffer, so a 1-byte feed does not allocate
    bool m_atStreamStart = true;  ///< no character decoded yet: a leading U+FEFF is the BOM
    bool m_afterCr = false;       ///< the previous character was CR: a following LF is its pair

    QString m_line;
    qsizetype m_lineBytes = 0;

    QString m_eventType;
    QString m_data;
    QString m_lastEventId;
    std::optional<qint64> m_reconnectionTimeMs;
    std::optional<SseParseError> m_error;
};

} // namespace tandem::client
