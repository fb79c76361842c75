#pragma once
// Where the HTTP transports go (issue 7's wire contract): /events, /send and
// /poll live beside /ws on the same port, so they are derived from the
// Session's WebSocket URL rather than configured.

#include <QUrl>

namespace tandem::client {

struct HttpEndpoints {
    QUrl events;   ///< GET, text/event-stream
    QUrl send;     ///< POST ?session=<id>
    QUrl poll;     ///< GET [?since=<cursor>&wait=<s>]
    QUrl sessions; ///< DELETE <sessions>/<id>: the client leaves

    /// ws://h:p/ws -> http://h:p/events, /send, /poll; wss -> https. A path
    /// prefix is kept (wss://h/tandem/ws -> https://h/tandem/events), so a
    /// reverse proxy that mounts the server under a folder works too. The
    /// query and user info are dropped: a token never travels in these URLs.
    /// Invalid when `webSocketUrl` is neither ws(s) nor http(s).
    static HttpEndpoints fromWebSocketUrl(const QUrl &webSocketUrl);
    bool isValid() const { return events.isValid(); }
};

/// <sessions>/<id>, for DELETE.
QUrl sessionUrl(const QUrl &sessionsUrl, const QString &sessionId);

/// `sendUrl` with ?session=<id>, the one request parameter /send needs.
QUrl sendUrlForSession(const QUrl &sendUrl, const QString &sessionId);

} // namespace tandem::client
