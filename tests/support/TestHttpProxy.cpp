#include "tests/support/TestHttpProxy.h"

#include <QTcpSocket>

#include <optional>
#include <utility>

namespace tandem::test {

namespace {
constexpr QByteArrayView HeadEnd("\r\n\r\n");
/// A request head larger than this is not inspected (no client under test sends one).
constexpr qsizetype MaxRequestHeadBytes = 64 * 1024;

/// The header lines of an HTTP head, after its start line, as (lower-case name, value).
QList<std::pair<QByteArray, QByteArray>> headerLines(QByteArrayView head)
{
    QList<std::pair<QByteArray, QByteArray>> headers;
    const QList<QByteArray> lines = head.toByteArray().split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }
    return headers;
}

bool isUpgradeToWebSocket(QByteArrayView requestHead)
{
    for (const auto &[name, value] : headerLines(requestHead)) {
        if (name == "upgrade" && value.toLower().contains("websocket"))
            return true;
    }
    return false;
}
} // namespace

/// One client connection and its upstream twin. Before anything reaches the
/// server the first request head is read, so that an upgrade can be refused
/// without the server ever seeing it.
class ProxyConnection : public QObject {
public:
    ProxyConnection(TestHttpProxy &proxy, QTcpSocket *client)
        : QObject(&proxy)
        , m_proxy(proxy)
        , m_client(client)
        , m_upstream(new QTcpSocket(this))
    {
        m_client->setParent(this);
        connect(m_client, &QTcpSocket::readyRead, this, &ProxyConnection::onClientReadyRead);
        connect(m_client, &QTcpSocket::disconnected, this, &ProxyConnection::onClientDisconnected);
        connect(m_upstream, &QTcpSocket::connected, this, &ProxyConnection::onUpstreamConnected);
        connect(m_upstream, &QTcpSocket::readyRead, this, &ProxyConnection::onUpstreamReadyRead);
        connect(m_upstream, &QTcpSocket::disconnected, this, &ProxyConnection::onUpstreamDisconnected);
        connect(m_upstream, &QTcpSocket::errorOccurred, this, [this] {
            // The server is not there (or reset us): the client sees the connection end.
            if (!m_upstreamConnected)
                cut();
        });
        onClientReadyRead(); // bytes may have arrived with the connection
    }

    ~ProxyConnection() override
    {
        // Quietly: nothing may be forwarded or counted while the sockets go.
        m_client->disconnect(this);
        m_upstream->disconnect(this);
        m_client->abort();
        m_upstream->abort();
    }

    void cut()
    {
        if (m_cut)
            return;
        m_cut = true;
        m_client->disconnect(this);
        m_upstream->disconnect(this);
        m_client->abort();
        m_upstream->abort();
        deleteLater();
    }

private:
    enum class ResponsePart { Head, Body, UntilClose };

    void onClientReadyRead()
    {
        m_toUpstream += m_client->readAll();
        if (!m_headChecked) {
            const qsizetype end = m_toUpstream.indexOf(HeadEnd);
            if (end < 0 && m_toUpstream.size() <= MaxRequestHeadBytes)
                return; // the head is not complete yet
            m_headChecked = true;
            const TestHttpProxy::Mode mode = m_proxy.m_mode;
            m_buffer = mode == TestHttpProxy::Mode::RefuseUpgradesAndBuffer;
            if (end >= 0 && mode != TestHttpProxy::Mode::Pass &&
                isUpgradeToWebSocket(QByteArrayView(m_toUpstream).first(end))) {
                refuseUpgrade(mode);
                return;
            }
            m_upstream->connectToHost(QHostAddress::LocalHost, m_proxy.m_upstreamPort);
        }
        flushToUpstream();
    }

    void refuseUpgrade(TestHttpProxy::Mode mode)
    {
        ++m_proxy.m_upgradesRefused;
        m_toUpstream.clear();
        if (mode == TestHttpProxy::Mode::DropUpgrades) {
            cut();
            return;
        }
        const QByteArray body("WebSocket upgrades are not allowed through this proxy\n");
        m_client->write("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: " +
                        QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        m_refused = true;
        m_client->disconnectFromHost(); // after the answer is written
    }

    void onUpstreamConnected()
    {
        m_upstreamConnected = true;
        flushToUpstream();
    }

    void flushToUpstream()
    {
        if (!m_upstreamConnected || m_toUpstream.isEmpty())
            return;
        m_upstream->write(m_toUpstream);
        m_toUpstream.clear();
    }

    void onUpstreamReadyRead()
    {
        if (!m_buffer) {
            writeToClient(m_upstream->readAll());
            return;
        }
        m_held += m_upstream->readAll();
        forwardCompleteResponses();
    }

    /// Writes every response in m_held that is complete; keeps the rest.
    void forwardCompleteResponses()
    {
        for (;;) {
            switch (m_part) {
            case ResponsePart::Head: {
                const qsizetype end = m_held.indexOf(HeadEnd);
                if (end < 0)
                    return;
                const qsizetype bodyStart = end + HeadEnd.size();
                const QByteArrayView head = QByteArrayView(m_held).first(end);
                // "HTTP/1.1 304 Not Modified": these never have a body (RFC 9112 §6.3).
                const int status = head.size() >= 12 ? head.sliced(9, 3).toInt() : 0;
                std::optional<qint64> length;
                for (const auto &[name, value] : headerLines(head)) {
                    if (name == "content-length")
                        length = value.toLongLong();
                }
                if ((status >= 100 && status < 200) || status == 204 || status == 304)
                    length = 0;
                if (!length) {
                    // Close-delimited (the SSE stream): it is whole only when the server closes.
                    m_part = ResponsePart::UntilClose;
                    return;
                }
                m_responseEnd = bodyStart + *length;
                m_part = ResponsePart::Body;
                break;
            }
            case ResponsePart::Body:
                if (m_held.size() < m_responseEnd)
                    return;
                writeToClient(m_held.first(m_responseEnd));
                m_held.remove(0, m_responseEnd);
                m_part = ResponsePart::Head;
                break;
            case ResponsePart::UntilClose:
                return;
            }
        }
    }

    void onUpstreamDisconnected()
    {
        if (m_buffer) {
            m_held += m_upstream->readAll();
            forwardCompleteResponses();
            writeToClient(m_held); // the close-delimited response is complete now
            m_held.clear();
        } else {
            writeToClient(m_upstream->readAll());
        }
        m_client->disconnectFromHost(); // after what was written goes out
        deleteWhenClosed();
    }

    void writeToClient(const QByteArray &bytes)
    {
        // A client that left (a request given up on) gets nothing more.
        if (!bytes.isEmpty() && m_client->state() == QAbstractSocket::ConnectedState)
            m_client->write(bytes);
    }

    void onClientDisconnected()
    {
        if (m_refused || !m_upstreamConnected) {
            cut(); // nothing upstream to finish
            return;
        }
        flushToUpstream();
        m_upstream->disconnectFromHost();
        deleteWhenClosed();
    }

    void deleteWhenClosed()
    {
        if (m_client->state() == QAbstractSocket::UnconnectedState &&
            m_upstream->state() == QAbstractSocket::UnconnectedState)
            cut();
    }

    TestHttpProxy &m_proxy;
    QTcpSocket *m_client;
    QTcpSocket *m_upstream;
    QByteArray m_toUpstream; ///< client bytes not forwarded yet (head unchecked, or not connected)
    QByteArray m_held;       ///< buffering: upstream bytes of responses not complete yet
    ResponsePart m_part = ResponsePart::Head;
    qsizetype m_responseEnd = 0; ///< buffering: where the current response ends in m_held
    bool m_headChecked = false;
    bool m_buffer = false;
    bool m_refused = false;
    bool m_upstreamConnected = false;
    bool m_cut = false;
};

TestHttpProxy::TestHttpProxy(quint16 upstreamPort, QObject *parent)
    : QObject(parent)
    , m_upstreamPort(upstreamPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &TestHttpProxy::onNewConnection);
}

TestHttpProxy::~TestHttpProxy()
{
    m_server.close();
    cutAll();
}

bool TestHttpProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl TestHttpProxy::wsUrl() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(port()));
}

void TestHttpProxy::cutAll()
{
    const auto connections = std::exchange(m_connections, {});
    for (const QPointer<ProxyConnection> &connection : connections) {
        if (connection)
            connection->cut();
    }
}

void TestHttpProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        ++m_connectionsAccepted;
        m_connections.removeAll(nullptr);
        m_connections.append(new ProxyConnection(*this, client));
    }
}

} // namespace tandem::test
