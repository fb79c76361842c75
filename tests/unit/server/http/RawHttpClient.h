#pragma once
// A test client that speaks HTTP/1.1 byte by byte over a QTcpSocket (or
// QSslSocket), so tests send exactly the bytes they mean, hostile ones
// included, and read back every response the server wrote.

#include <QByteArray>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTcpSocket>

#include <memory>
#include <optional>

namespace tandem::server::http::test {

struct RawResponse {
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString errorCode() const
    {
        return json().value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString();
    }
};

class RawHttpClient {
public:
    explicit RawHttpClient(std::unique_ptr<QTcpSocket> socket = std::make_unique<QTcpSocket>())
        : m_socket(std::move(socket))
    {
        // The lambdas below capture this: the client must stay where it was built.
        QObject::connect(m_socket.get(), &QIODevice::readyRead, m_socket.get(),
                         [this] { m_received += m_socket->readAll(); });
        QObject::connect(m_socket.get(), &QAbstractSocket::disconnected, m_socket.get(),
                         [this] { m_disconnected = true; });
    }

    Q_DISABLE_COPY_MOVE(RawHttpClient)

    QTcpSocket *socket() const { return m_socket.get(); }

    void connectTo(quint16 port) { m_socket->connectToHost(QHostAddress::LocalHost, port); }
    bool isConnected() const { return m_socket->state() == QAbstractSocket::ConnectedState; }
    /// The server closed the connection (or it failed).
    bool isDisconnected() const
    {
        return m_disconnected || m_socket->state() == QAbstractSocket::UnconnectedState;
    }

    void send(const QByteArray &bytes) { m_socket->write(bytes); }

    const QByteArray &received() const { return m_received; }
    /// Responses parsed so far; an interim 100 Continue counts as one.
    int responseCount() const
    {
        QByteArray copy = m_received;
        int count = 0;
        while (parseOne(copy))
            ++count;
        return count;
    }
    bool hasResponse() const { return responseCount() > 0; }
    RawResponse takeResponse()
    {
        std::optional<RawResponse> response = parseOne(m_received);
        return response ? *response : RawResponse{};
    }

    static QByteArray get(const QByteArray &target, const QByteArray &extraHeaders = {})
    {
        return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extraHeaders + "\r\n";
    }
    static QByteArray post(const QByteArray &target, const QByteArray &body,
                           const QByteArray &extraHeaders = {})
    {
        return "POST " + target +
               " HTTP/1.1\r\nHost: test\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n" +
               extraHeaders + "\r\n" + body;
    }

private:
    /// Takes one complete response (Content-Length framed, or none for 1xx/204/304) off the front.
    static std::optional<RawResponse> parseOne(QByteArray &buffer)
    {
        const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return std::nullopt;
        const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
        RawResponse response;
        const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
        if (statusLine.size() < 2)
            return std::nullopt;
        response.status = statusLine.at(1).toInt();
        qint64 length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            response.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
        }
        length = response.header("Content-Length").toLongLong();
        if (buffer.size() < headEnd + 4 + length)
            return std::nullopt;
        response.body = buffer.mid(headEnd + 4, length);
        buffer.remove(0, headEnd + 4 + length);
        return response;
    }

    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_received;
    bool m_disconnected = false;
};

} // namespace tandem::server::http::test
