#include "tests/support/TestClient.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

namespace tandem::test {

TestClient::TestClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        m_received.append(QJsonDocument::fromJson(text.toUtf8()).object());
        m_taken.append(false);
    });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] { m_closeCode = m_socket.closeCode(); });
}

bool TestClient::open(const QUrl &url, int timeoutMs)
{
    QSignalSpy connected(&m_socket, &QWebSocket::connected);
    m_socket.open(url);
    if (!connected.wait(timeoutMs)) {
        // A Qt 6.4.2 client can hang in ConnectingState after a refused handshake.
        qWarning() << "could not open" << url << ":" << m_socket.errorString();
        m_socket.abort();
        return false;
    }
    return true;
}

bool TestClient::connectAndAuthenticate(const QUrl &url, const QString &token)
{
    if (!open(url))
        return false;
    send(QStringLiteral("auth"), {{QStringLiteral("token"), token}});
    return take(QStringLiteral("auth:ok")).has_value();
}

QString TestClient::send(const QString &type, const QJsonObject &payload, const QString &cid)
{
    const QString id = QStringLiteral("t%1").arg(++m_nextId);
    QJsonObject message{
        {QStringLiteral("id"), id}, {QStringLiteral("type"), type}, {QStringLiteral("payload"), payload}};
    if (!cid.isEmpty())
        message.insert(QStringLiteral("cid"), cid);
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    return id;
}

std::optional<QJsonObject> TestClient::take(const QString &type, int timeoutMs, const Predicate &predicate)
{
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        for (qsizetype i = 0; i < m_received.size(); ++i) {
            const QJsonObject &message = m_received.at(i);
            if (m_taken.at(i) || message.value(QLatin1String("type")).toString() != type)
                continue;
            if (predicate && !predicate(message))
                continue;
            m_taken[i] = true;
            return message;
        }
        if (timer.elapsed() > timeoutMs)
            return std::nullopt;
        QTest::qWait(5);
    }
}

std::optional<QJsonObject> TestClient::join(const QString &roomId, std::optional<qint64> since,
                                            bool isPrivate)
{
    QJsonObject payload{{QStringLiteral("roomId"), roomId}};
    if (since)
        payload.insert(QStringLiteral("since"), *since);
    if (isPrivate)
        payload.insert(QStringLiteral("private"), true);
    const QString id = send(QStringLiteral("room:join"), payload);
    return take(QStringLiteral("room:joined"), 10000, [&](const QJsonObject &message) {
        return message.value(QLatin1String("payload")).toObject().value(QLatin1String("ref")).toString() ==
               id;
    });
}

std::optional<QJsonObject> TestClient::chat(const QString &roomId, const QString &text, const QString &cid)
{
    const QString id = send(QStringLiteral("chat:send"),
                            {{QStringLiteral("roomId"), roomId}, {QStringLiteral("text"), text}}, cid);
    const auto ack = take(QStringLiteral("ack"), 10000, [&](const QJsonObject &message) {
        return message.value(QLatin1String("payload")).toObject().value(QLatin1String("ref")).toString() ==
               id;
    });
    if (!ack)
        return std::nullopt;
    return ack->value(QLatin1String("payload")).toObject();
}

QList<QJsonObject> TestClient::received(const QString &type) const
{
    QList<QJsonObject> result;
    for (const QJsonObject &message : m_received) {
        if (type.isEmpty() || message.value(QLatin1String("type")).toString() == type)
            result.append(message);
    }
    return result;
}

bool TestClient::waitForClose(int timeoutMs)
{
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        return true;
    QSignalSpy disconnected(&m_socket, &QWebSocket::disconnected);
    return disconnected.wait(timeoutMs);
}

} // namespace tandem::test
