#pragma once
// One chat message as the UI shows it: a stored chat:message, or a local echo
// of our own message waiting for its ack.

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace tandem::chat {

struct ChatMessage {
    enum class State { Pending, Sent, Failed };

    QString id; ///< server id; empty while pending
    QString cid;
    QString roomId;
    QString userId;
    QString text;
    QDateTime timestamp; ///< UTC
    qint64 seq = 0;      ///< 0 while pending
    State state = State::Sent;

    /// Parses a chat:message envelope; nullopt when it is not a usable one.
    static std::optional<ChatMessage> fromEnvelope(const QJsonObject &envelope);
};

} // namespace tandem::chat
