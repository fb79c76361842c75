#pragma once
// The chat side of one Session: lists and joins rooms, keeps each room's
// messages (history pages, live events, local echo until the ack), presence,
// typing, unread counts and our own away state. Views bind to its models and
// call its actions; it never touches a widget.
//
// Offline first (docs/OFFLINE.md): it starts from the account's local store,
// so rooms and history show before the connection is up; every change the
// user makes (a message, an edit, a delete, a topic) goes through the durable
// mutation queue, and what arrives is written back to the store.

#include "core/chat/AwayTracker.h"
#include "core/chat/MessageListModel.h"
#include "core/chat/PresenceRoster.h"
#include "core/chat/RoomListModel.h"
#include "core/chat/TypingNotifier.h"
#include "core/chat/TypingTracker.h"
#include "core/client/Session.h"
#include "core/offline/OfflineSync.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <memory>

namespace tandem::chat {

class ChatClient : public QObject {
    Q_OBJECT

public:
    /// `clock` and `timers` drive typing and away; `offline` must be open.
    /// All must outlive the client. Cached rooms and messages load at once.
    ChatClient(client::Session &session, offline::OfflineSync &offline, const Clock &clock,
               client::TimerSource &timers, QObject *parent = nullptr);
    ~ChatClient() override;

    client::Session &session() { return m_session; }
    offline::OfflineSync &offline() { return m_offline; }
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
    /// Queues a message (durably) and shows it as pending; false when the
    /// text is blank or it could not be stored.
    bool sendMessage(const QString &roomId, const QString &text);
    /// Edits one of our messages: a sent one by id (a versioned change), an
    /// unsent one by cid (its queued text is replaced).
    bool editMessage(const QString &roomId, const ChatMessage &message, const QString &text);
    /// Deletes a sent message, or discards an unsent one.
    bool deleteMessage(const QString &roomId, const ChatMessage &message);
    /// Queues a failed message again.
    void retryMessage(const QString &cid);

    /// A room-wide versioned setting (docs/PROTOCOL.md "Versioned entities").
    enum class RoomSetting { Topic, DocumentTitle };
    Q_ENUM(RoomSetting)
    /// The setting as the user sees it: the server's value with their unsynced change on top.
    QString roomSetting(const QString &roomId, RoomSetting setting) const;
    bool isRoomSettingPending(const QString &roomId, RoomSetting setting) const;
    /// Queues the change; false when it is no change or could not be stored.
    bool setRoomSetting(const QString &roomId, RoomSetting setting, const QString &value);

    QString topic(const QString &roomId) const { return roomSetting(roomId, RoomSetting::Topic); }
    bool isTopicPending(const QString &roomId) const
    {
        return isRoomSettingPending(roomId, RoomSetting::Topic);
    }
    bool setTopic(const QString &roomId, const QString &topic)
    {
        return setRoomSetting(roomId, RoomSetting::Topic, topic);
    }
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
    void roomSettingChanged(const QString &roomId, tandem::chat::ChatClient::RoomSetting setting);

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
    void onMutationAcknowledged(const offline::Mutation &mutation, const QJsonObject &ack);
    void onMutationFailed(const offline::Mutation &mutation, const QString &reason);
    void onEntityChanged(const QString &roomId, const QString &entity);
    void sendPresence(bool away);
    void post(const QString &type, const QJsonObject &payload);
    /// Fills the models from the local store and joins the cached rooms with their cursors.
    void loadCache();
    /// A stored message as the cache and the entity cache know it now (edits, deletes).
    ChatMessage withCurrentContent(ChatMessage message) const;
    /// Adds a stored message to its model, with its current content; true when new.
    bool showStored(const ChatMessage &message);
    /// Queues a change of a versioned entity; false (and errorReported) if it could not be stored.
    bool queueEntityChange(const QString &roomId, const QString &entity, qint64 minimumBase,
                           const QJsonObject &patch, const QJsonObject &baseValue);
    /// Our user id: from auth:ok, or from the cache before the first one.
    QString localUserId() const;
    /// Writes what arrived to the local store, batched per event-loop turn.
    void cacheMessage(const ChatMessage &message);
    void flushCache();

    client::Session &m_session;
    offline::OfflineSync &m_offline;
    const Clock &m_clock;
    RoomListModel m_rooms;
    PresenceRoster m_presence;
    TypingTracker m_typing;
    TypingNotifier m_typingNotifier;
    AwayTracker m_away;
    QHash<QString, MessageListModel *> m_messages; ///< owned through QObject parenting
    QHash<QString, QString> m_pendingHistory;      ///< request id -> room
    QList<offline::CachedMessage> m_unsavedMessages;
    QTimer m_cacheFlush;
    QString m_cachedUserId;
    QList<int> m_subscriptions;
    QString m_currentRoom;
    bool m_attentive = true;
};

} // namespace tandem::chat
