#include "tests/support/RawHttp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

namespace tandem::test {

namespace {
QByteArray requestBytes(const QByteArray &method, const QByteArray &target,
                        const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body)
{
    QByteArray out = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    if (!body.isEmpty() || method == "POST")
        out +=
            "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "Connection: close\r\n\r\n" + body;
    return out;
}

/// Splits a response head off `buffer`; nullopt until the blank line has arrived.
std::optional<RawHttpResponse> parseHead(QByteArray &buffer)
{
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    buffer.remove(0, end + 4);
    RawHttpResponse response;
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    response.status = statusLine.value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            response.headers.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
    }
    return response;
}
} // namespace

QByteArray clientEnvelope(const QString &id, const QString &type, const QJsonObject &payload,
                          const QString &cid)
{
    QJsonObject message{
        {QStringLiteral("id"), id}, {QStringLiteral("type"), type}, {QStringLiteral("payload"), payload}};
    if (!cid.isEmpty())
        message.insert(QStringLiteral("cid"), cid);
    return QJsonDocument(message).toJson(QJsonDocument::Compact);
}

QStringList eventTypes(const QJsonObject &pollAnswer)
{
    QStringList types;
    for (const QJsonValue &event : pollAnswer.value(QLatin1String("events")).toArray())
        types.append(event[QLatin1String("type")].toString());
    return types;
}

QByteArray RawHttpResponse::header(QByteArrayView name) const
{
    for (const auto &[headerName, value] : headers) {
        if (headerName.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

RawHttpResponse rawHttp(quint16 port, const QByteArray &method, const QByteArray &target,
                        const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body,
                        int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    QByteArray buffer;
    std::optional<RawHttpResponse> response;
    bool closed = false;
    QObject::connect(&socket, &QTcpSocket::connected,
                     [&] { socket.write(requestBytes(method, target, headers, body)); });
    QObject::connect(&socket, &QTcpSocket::readyRead, [&] { buffer += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, [&] { closed = true; });
    auto done = [&] {
        if (!response)
            response = parseHead(buffer);
        if (!response)
            return closed;
        const QByteArray length = response->header("Content-Length");
        if (!length.isEmpty())
            return buffer.size() >= length.toLongLong();
        return closed || response->status == 304 || response->status == 204;
    };
    (void)QTest::qWaitFor(done, timeoutMs);
    if (!response)
        return {};
    response->body = buffer;
    response->complete = done();
    return *response;
}

RawEventStream::RawEventStream(quint16 port, const QByteArray &target,
                               const QList<QPair<QByteArray, QByteArray>> &headers)
    : m_socket(std::make_unique<QTcpSocket>())
{
    QList<QPair<QByteArray, QByteArray>> all = headers;
    all.append(qMakePair(QByteArray("Accept"), QByteArray("text/event-stream")));
    QObject::connect(m_socket.get(), &QTcpSocket::connected, m_socket.get(),
                     [this, request = requestBytes("GET", target, all, {})] { m_socket->write(request); });
    QObject::connect(m_socket.get(), &QTcpSocket::readyRead, m_socket.get(), [this] { read(); });
    m_socket->connectToHost(QStringLiteral("127.0.0.1"), port);
}

void RawEventStream::read()
{
    QByteArray data = m_socket->readAll();
    if (!m_headDone) {
        m_buffer += data;
        auto head = parseHead(m_buffer);
        if (!head)
            return;
        m_head = *head;
        m_headDone = true;
        data = std::exchange(m_buffer, {});
    }
    m_body += data;
    (void)m_parser.feed(data, m_events);
}

bool RawEventStream::waitForHead(int timeoutMs)
{
    (void)QTest::qWaitFor([&] { return m_headDone; }, timeoutMs);
    return m_headDone;
}

std::optional<client::SseEvent> RawEventStream::waitFor(const QString &type, int timeoutMs)
{
    if (!waitForCount(type, 1, timeoutMs))
        return std::nullopt;
    return events(type).constFirst();
}

bool RawEventStream::waitForCount(const QString &type, int count, int timeoutMs)
{
    (void)QTest::qWaitFor([&] { return events(type).size() >= count; }, timeoutMs);
    return events(type).size() >= count;
}

QList<client::SseEvent> RawEventStream::events(const QString &type) const
{
    QList<client::SseEvent> out;
    for (const client::SseEvent &event : m_events) {
        if (type.isEmpty() || event.type == type)
            out.append(event);
    }
    return out;
}

bool RawEventStream::waitForClose(int timeoutMs)
{
    (void)QTest::qWaitFor([&] { return m_socket->state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
    return m_socket->state() == QAbstractSocket::UnconnectedState;
}

QString RawEventStream::sessionId() const
{
    const auto session = events(QStringLiteral("session"));
    if (session.isEmpty())
        return {};
    return QJsonDocument::fromJson(session.first().data.toUtf8())
        .object()
        .value(QLatin1String("session"))
        .toString();
}

} // namespace tandem::test
