#pragma once
// The handle a handler answers through, now or later (after a password hash
// finished on a thread pool, say). Copies share one state: the first send()
// wins and later ones do nothing; sending after the client went away does
// nothing. If every copy is destroyed without an answer, the client gets a
// 500 rather than a request that hangs until its timeout.
//
// Call send() on the thread the HTTP server lives in (hop back with a
// QFutureWatcher or a queued invokeMethod); that is asserted.

#include "server/http/HttpResponse.h"

#include <memory>

class QTcpSocket;

namespace tandem::server::http {

class HttpConnection;

class HttpResponder {
public:
    /// A responder that answers nobody; send() on it does nothing.
    HttpResponder() = default;

    /// Writes the response, unless one was already sent or the connection is gone. const so a
    /// copy captured by a non-mutable lambda can answer.
    void send(HttpResponse response) const;
    /// Answers with the head of a body that runs until the connection closes (Server-Sent Events)
    /// and hands over the socket, which the caller then owns and writes the body to. Counts as the
    /// answer. nullptr when already answered or the client is gone.
    QTcpSocket *startStream(const HttpResponse &head) const;
    /// True until the first send() (by any copy).
    bool isPending() const;

private:
    friend class HttpConnection;
    HttpResponder(HttpConnection *connection, quint64 requestId);

    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace tandem::server::http
