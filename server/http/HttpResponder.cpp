#include "server/http/HttpResponder.h"

#include "server/http/HttpConnection.h"
#include "server/http/HttpLog.h"

#include <QPointer>
#include <QThread>

namespace tandem::server::http {

struct HttpResponder::State {
    QPointer<HttpConnection> connection;
    quint64 requestId = 0;
    QThread *thread = nullptr;
    bool sent = false;

    void deliver(const HttpResponse &response)
    {
        Q_ASSERT_X(QThread::currentThread() == thread, "HttpResponder::send",
                   "answer on the HTTP server's thread (QFutureWatcher or a queued invokeMethod)");
        if (sent)
            return;
        sent = true;
        if (connection)
            connection->respond(requestId, response);
    }

    ~State()
    {
        if (!sent && connection && QThread::currentThread() == thread) {
            qCWarning(lcHttp) << "a handler dropped its responder without answering; sending 500";
            deliver(HttpResponse::error(protocol::ErrorCode::Internal,
                                        QStringLiteral("the request was not answered")));
        }
    }
};

HttpResponder::HttpResponder(HttpConnection *connection, quint64 requestId)
    : m_state(std::make_shared<State>())
{
    m_state->connection = connection;
    m_state->requestId = requestId;
    m_state->thread = connection->thread();
}

void HttpResponder::send(HttpResponse response) const
{
    if (m_state)
        m_state->deliver(response);
}

QTcpSocket *HttpResponder::startStream(const HttpResponse &head) const
{
    if (!m_state || m_state->sent)
        return nullptr;
    Q_ASSERT(QThread::currentThread() == m_state->thread);
    m_state->sent = true;
    return m_state->connection ? m_state->connection->startStream(m_state->requestId, head) : nullptr;
}

bool HttpResponder::isPending() const
{
    return m_state && !m_state->sent;
}

} // namespace tandem::server::http
