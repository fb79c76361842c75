#pragma once
// The resume cursor of the HTTP transports (docs/PROTOCOL.md "HTTP
// transports"): the SSE event id, the poll's `since` and its ETag. It names
// the session and how many envelopes it had queued, so the same instance can
// continue exactly; and it lists the last stored seq delivered per joined
// room, so any instance can rebuild the session from the shared store when
// the first one is gone.
//
//   1~<sessionId>~<n>~<roomId>:<seq>,<roomId>:<seq>

#include <QMap>
#include <QString>

#include <optional>

namespace tandem::server::streaming {

struct ResumeCursor {
    QString sessionId;
    qint64 position = 0;         ///< envelopes queued to the session up to and including this one
    QMap<QString, qint64> rooms; ///< roomId -> last stored seq delivered

    /// The text form; `roomsPart` is formatRooms(rooms), cached by a caller that formats often.
    static QString format(const QString &sessionId, qint64 position, const QString &roomsPart);
    static QString formatRooms(const QMap<QString, qint64> &rooms);
    QString toString() const { return format(sessionId, position, formatRooms(rooms)); }
    /// nullopt for anything that is not a cursor of this version with valid room ids and seqs.
    static std::optional<ResumeCursor> parse(const QString &text);

    /// A bound on what a client can make the server parse (and on the rooms it re-joins).
    static constexpr int MaxRooms = 500;
};

} // namespace tandem::server::streaming
