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
    bool edited = false;        ///< changed after it was sent
    bool deleted = false;       ///< deleted by its author or a moderator; text is empty
    bool changePending = false; ///< an edit or delete of ours waits to sync

    /// Parses a chat:message envelope; nullopt when it is not a usable one
    /// (or not a chat:message at all: history pages also carry entity:changed).
    static std::optional<ChatMessage> fromEnvelope(const QJsonObject &envelope);
};

} // namespace tandem::chat
