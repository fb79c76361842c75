#pragma once
// A Transport the test plays the server for: it records what the Session
// opens, sends and closes, and delivers what the test says the server sent.

#include "core/client/Transport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

namespace tandem::client::test {

class FakeTransport final : public Transport {
    Q_OBJECT

public:
    QString name() const override { return transportName; }
    void open(const QUrl &url) override
    {
        opens.append(url);
        m_active = true;
        m_open = false;
    }
    void close(quint16 code, const QString &reason) override
    {
        if (!m_active)
            return;
        closes.append(code);
        finish(code, reason);
    }
    void send(const QByteArray &json) override
    {
        if (m_open)
            sent.append(QJsonDocument::fromJson(json).object());
    }
    void sendBinary(const QByteArray &data) override
    {
        if (m_open)
            sentBinary.append(data);
    }
    bool supportsBinary() const override { return binary; }
    bool isOpen() const override { return m_open; }
    void setBackground(bool value) override { background = value; }

    // The server's side.
    void accept()
    {
        m_open = true;
        Q_EMIT opened();
    }
    void drop(int code, const QString &reason = {}) { finish(code, reason); }
    void rename(const QString &name)
    {
        transportName = name;
        Q_EMIT nameChanged(name);
    }
    void deliver(const QJsonObject &message) { Q_EMIT messageReceived(QJsonDocument(message).toJson()); }
    void deliverBinary(const QByteArray &frame) { Q_EMIT binaryMessageReceived(frame); }
    /// The messages sent of `type`, in order.
    QList<QJsonObject> sentOfType(const QString &type) const
    {
        QList<QJsonObject> matching;
        for (const QJsonObject &message : sent) {
            if (message.value(QLatin1String("type")).toString() == type)
                matching.append(message);
        }
        return matching;
    }
    bool isActive() const { return m_active; }

    QList<QUrl> opens;
    QList<QJsonObject> sent;
    QList<int> closes;
    QList<QByteArray> sentBinary;
    bool binary = true; ///< false: a text-only transport (documents travel as base64 JSON)
    QString transportName = QStringLiteral("Fake");
    bool background = false; ///< the last setBackground()

private:
    void finish(int code, const QString &reason)
    {
        m_active = false;
        m_open = false;
        Q_EMIT closed(code, reason);
    }

    bool m_active = false;
    bool m_open = false;
};

} // namespace tandem::client::test
