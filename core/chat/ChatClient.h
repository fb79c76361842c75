#pragma once
// The chat side of one Session: lists and joins rooms, keeps each room's
// messages (history pages, live events, local echo until the ack), presence,
// typing, unread counts and our own away state. Views bind to its models and
// call its actions; it never touches a widget.

#include "core/chat/AwayTracker.h"
#include "core/chat/MessageListModel.h"
#include "core/chat/PresenceRoster.h"
#include "core/chat/RoomListModel.h"
#include "core/chat/TypingNotifier.h"
#include "core/chat/TypingTracker.h"
#include "core/client/Session.h"

#include <QHash>
#include <QObject>

#include <memory>

namespace tandem::chat {

class ChatClient : public QObject {
    Q_OBJECT

public:
    /// `clock` and `timers` drive typing and away; both must outlive the client.
    ChatClient(client::Session &session, const Clock &clock, client::TimerSource &timers,
               QObject *parent = nullptr);
    ~ChatClient() override;

    client::Session &session() { return m_session; }
    RoomListModel *rooms() { return &m_rooms; }
    PresenceRoster *presence() { return &m_presence; }
    TypingTracker *typing() { return &m_typing; }
    TypingNotifier *typingNotifier() { return &m_typingNotifier; }
    AwayTracker *away() { return &m_away; }
    /// The room's messages, created empty on first use.
    MessageListModel *messages(const QString &roomId);

    QString currentRoom() const { return m_currentRoom; }
    /// The room in view: its unread count is cleared and its members listed.
    void setCurrentRoom(const QString &roomId);
    /// Whether the user can see new messages (the window is active); when not,
    /// new messages in the current room count as unread too.
    void setAttentive(bool attentive);

    /// Asks the server for room:list.
    void refreshRooms();
    /// Joins (and creates, if new) a room; `isPrivate` matters only on creation.
    void joinRoom(const QString &roomId, bool isPrivate = false);
    /// Sends a message with local echo; false when the text is blank.
    bool sendMessage(const QString &roomId, const QString &text);
    /// Loads the page before the oldest message held, unless one is loading or none is left.
    void fetchOlder(const QString &roomId);
    /// The composer of `roomId` changed.
    void composerEdited(const QString &roomId);

Q_SIGNALS:
    /// A message from someone else; `notify` is true when the user is not looking at it.
    void messageArrived(const tandem::chat::ChatMessage &message, bool notify);
    /// A request failed; `message` is for humans.
    void errorReported(const QString &message);
    void currentRoomChanged(const QString &roomId);

private:
    void onAuthenticated();
    void onRoomList(const QJsonObject &message);
    void onRoomJoined(const QJsonObject &message);
    void onChatMessage(const QJsonObject &message);
    void onAck(const QJsonObject &message);
    void onHistoryPage(const QJsonObject &message);
    void onPresenceUpdate(const QJsonObject &message);
    void onTypingUpdate(const QJsonObject &message);
    void onError(const QJsonObject &message);
    void sendPresence(bool away);
    /// Sends chat:send for a message already in its room's model (new, or re-sent after a reconnect).
    void sendStored(const ChatMessage &message);
    void post(const QString &type, const QJsonObject &payload);

    client::Session &m_session;
    const Clock &m_clock;
    RoomListModel m_rooms;
    PresenceRoster m_presence;
    TypingTracker m_typing;
    TypingNotifier m_typingNotifier;
    AwayTracker m_away;
    QHash<QString, MessageListModel *> m_messages;          ///< owned through QObject parenting
    QHash<QString, QPair<QString, QString>> m_pendingSends; ///< request id -> (room, cid)
    QHash<QString, QString> m_pendingHistory;               ///< request id -> room
    QList<int> m_subscriptions;
    QString m_currentRoom;
    bool m_attentive = true;
};

} // namespace tandem::chat
