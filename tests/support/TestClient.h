#pragma once
// A real QWebSocket client that records every message it receives, so tests
// can wait for a given type with QTRY-style polling of the event loop.

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QUrl>
#include <QWebSocket>

#include <functional>
#include <optional>

namespace tandem::test {

class TestClient : public QObject {
    Q_OBJECT

public:
    using Predicate = std::function<bool(const QJsonObject &)>;

    explicit TestClient(QObject *parent = nullptr);

    bool open(const QUrl &url, int timeoutMs = 10000);
    /// Opens, authenticates with `auth {token}` and waits for auth:ok.
    bool connectAndAuthenticate(const QUrl &url, const QString &token);
    /// Sends {type, payload[, cid]} with a fresh id; returns that id.
    QString send(const QString &type, const QJsonObject &payload = {}, const QString &cid = {});
    void sendRaw(const QString &text) { m_socket.sendTextMessage(text); }
    QWebSocket &socket() { return m_socket; }

    /// The first not-yet-taken message of `type` matching `predicate`; waits up to timeoutMs.
    std::optional<QJsonObject> take(const QString &type, int timeoutMs = 10000,
                                    const Predicate &predicate = {});
    /// Joins and returns the room:joined message (replayed events stay in received()).
    std::optional<QJsonObject> join(const QString &roomId, std::optional<qint64> since = std::nullopt,
                                    bool isPrivate = false);
    /// Sends chat:send and waits for its ack; returns the ack payload.
    std::optional<QJsonObject> chat(const QString &roomId, const QString &text, const QString &cid = {});
    /// Every message received of `type` (all of them when type is empty), in order.
    QList<QJsonObject> received(const QString &type = {}) const;
    bool waitForClose(int timeoutMs = 10000);
    int closeCode() const { return m_closeCode; }
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_received;
    QList<bool> m_taken;
    int m_closeCode = -1;
    int m_nextId = 0;
};

} // namespace tandem::test
