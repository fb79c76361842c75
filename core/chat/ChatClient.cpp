#include "core/chat/ChatClient.h"

#include "core/protocol/MessageType.h"

#include <QJsonArray>
#include <QLoggingCategory>

namespace tandem::chat {

namespace MessageType = protocol::MessageType;

namespace {

Q_LOGGING_CATEGORY(lcChat, "tandem.chat")

/// How many cached messages per room show at start-up; older ones load on scroll.
constexpr int CachedPageSize = 100;
const QString UserIdKey = QStringLiteral("account.userId");
const QString MessagePrefix = QStringLiteral("message/");

QString field(const QJsonObject &object, const char *name)
{
    return object.value(QLatin1StringView(name)).toString();
}

QJsonObject payloadOf(const QJsonObject &message)
{
    return message.value(QLatin1StringView("payload")).toObject();
}

} // namespace

ChatClient::ChatClient(client::Session &session, offline::OfflineSync &offline, const Clock &clock,
                       client::TimerSource &timers, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_offline(offline)
    , m_clock(clock)
    , m_typing(timers)
    , m_typingNotifier(clock, timers)
    , m_away(timers)
{
    const auto on = [this](QLatin1StringView type, void (ChatClient::*handler)(const QJsonObject &)) {
        m_subscriptions.append(m_session.subscribe(
            QString(type), [this, handler](const QJsonObject &message) { (this->*handler)(message); }));
    };
    on(MessageType::RoomListResult, &ChatClient::onRoomList);
    on(MessageType::RoomJoined, &ChatClient::onRoomJoined);
    on(MessageType::ChatMessage, &ChatClient::onChatMessage);
    on(MessageType::Ack, &ChatClient::onAck);
    on(MessageType::HistoryPage, &ChatClient::onHistoryPage);
    on(MessageType::PresenceUpdate, &ChatClient::onPresenceUpdate);
    on(MessageType::TypingUpdate, &ChatClient::onTypingUpdate);
    on(MessageType::Error, &ChatClient::onError);

    connect(&m_session, &client::Session::authenticated, this, &ChatClient::onAuthenticated);
    connect(&m_session, &client::Session::roomReloadRequired, this, [this](const QString &roomId) {
        // The Session already asked for the newest page; it refills the model.
        // The cache must stay one contiguous range, so it starts over too.
        m_unsavedMessages.removeIf(
            [&](const offline::CachedMessage &message) { return message.roomId == roomId; });
        if (const auto cleared = m_offline.store().clearMessages(roomId); !cleared)
            qCWarning(lcChat) << "could not clear the cache of" << roomId << ":" << cleared.error().message;
        messages(roomId)->clear();
        messages(roomId)->setLoadingHistory(true);
    });
    connect(&m_session, &client::Session::stateChanged, this, [this](client::Session::State state) {
        if (state == client::Session::State::Connected)
            return;
        // Typing and presence are live-only: after a drop they are unknown until rejoined.
        for (const QString &roomId : m_rooms.roomIds())
            m_typing.clearRoom(roomId);
    });
    connect(&m_typingNotifier, &TypingNotifier::startRequested, this, [this](const QString &roomId) {
        post(QString(MessageType::TypingStart), {{QStringLiteral("roomId"), roomId}});
    });
    connect(&m_typingNotifier, &TypingNotifier::stopRequested, this, [this](const QString &roomId) {
        post(QString(MessageType::TypingStop), {{QStringLiteral("roomId"), roomId}});
    });
    connect(&m_away, &AwayTracker::awayChanged, this, &ChatClient::sendPresence);

    connect(&m_offline.engine(), &offline::SyncEngine::acknowledged, this,
            &ChatClient::onMutationAcknowledged);
    connect(&m_offline.engine(), &offline::SyncEngine::mutationFailed, this, &ChatClient::onMutationFailed);
    connect(&m_offline.entities(), &offline::EntityCache::entityChanged, this, &ChatClient::onEntityChanged);
    // An unsent message follows its mutation: edited, retried, failed or discarded, from here or the sync
    // details.
    connect(&m_offline.queue(), &offline::MutationQueue::mutationChanged, this,
            [this](const offline::Mutation &m) {
                if (m.isChat())
                    messages(m.roomId)->updateUnsent(
                        m.cid, m.payload.value(QLatin1StringView("text")).toString(),
                        m.state == offline::MutationState::Failed ? ChatMessage::State::Failed
                                                                  : ChatMessage::State::Pending);
            });
    connect(&m_offline.queue(), &offline::MutationQueue::mutationDiscarded, this,
            [this](const offline::Mutation &m) {
                if (m.isChat())
                    messages(m.roomId)->removeUnsent(m.cid);
            });
    // What arrives in one event-loop turn (a replay, a page) is stored in one transaction.
    m_cacheFlush.setSingleShot(true);
    m_cacheFlush.setInterval(0);
    connect(&m_cacheFlush, &QTimer::timeout, this, &ChatClient::flushCache);
    loadCache();
}

ChatClient::~ChatClient()
{
    flushCache();
    for (const int subscription : std::as_const(m_subscriptions))
        m_session.unsubscribe(subscription);
}

MessageListModel *ChatClient::messages(const QString &roomId)
{
    auto it = m_messages.find(roomId);
    if (it == m_messages.end())
        it = m_messages.insert(roomId, new MessageListModel(roomId, this));
    return it.value();
}

void ChatClient::setCurrentRoom(const QString &roomId)
{
    if (roomId == m_currentRoom)
        return;
    m_typingNotifier.stop();
    m_currentRoom = roomId;
    m_rooms.clearUnread(roomId);
    m_presence.setCurrentRoom(roomId);
    Q_EMIT currentRoomChanged(roomId);
}

void ChatClient::setAttentive(bool attentive)
{
    m_attentive = attentive;
    if (attentive)
        m_rooms.clearUnread(m_currentRoom);
}

void ChatClient::refreshRooms()
{
    post(QString(MessageType::RoomList), {});
}

void ChatClient::joinRoom(const QString &roomId, bool isPrivate)
{
    m_rooms.addRoom(roomId, isPrivate);
    if (isPrivate && m_session.isAuthenticated()) {
        // Session::joinRoom cannot ask for a private room: create it with a
        // raw join first; the Session's own join that follows is a no-op rejoin.
        post(QString(MessageType::RoomJoin),
             {{QStringLiteral("roomId"), roomId}, {QStringLiteral("private"), true}});
    }
    if (const auto joined = m_session.joinRoom(roomId); !joined)
        Q_EMIT errorReported(tr("Could not join %1: %2").arg(roomId, joined.error().message));
}

QString ChatClient::localUserId() const
{
    return m_session.userId().isEmpty() ? m_cachedUserId : m_session.userId();
}

bool ChatClient::sendMessage(const QString &roomId, const QString &text)
{
    if (text.trimmed().isEmpty())
        return false;
    m_typingNotifier.messageSent(roomId);
    offline::Mutation mutation;
    mutation.roomId = roomId;
    mutation.entity = offline::chatEntity();
    mutation.type = QString(MessageType::ChatSend);
    mutation.payload = {{QStringLiteral("text"), text}};
    // Stored first: the echo appears only once the message cannot be lost.
    const protocol::Result<offline::Mutation> queued = m_offline.queue().enqueue(mutation);
    if (!queued) {
        Q_EMIT errorReported(tr("Your message could not be saved: %1").arg(queued.error().message));
        return false;
    }
    ChatMessage echo;
    echo.roomId = roomId;
    echo.userId = localUserId();
    echo.text = text;
    echo.timestamp = m_clock.nowUtc();
    echo.cid = queued->cid;
    messages(roomId)->addPending(echo);
    return true;
}

bool ChatClient::editMessage(const QString &roomId, const ChatMessage &message, const QString &text)
{
    if (text.trimmed().isEmpty())
        return false;
    if (message.state != ChatMessage::State::Sent) {
        // Not on the server yet: change what will be sent.
        const std::optional<offline::Mutation> queued = m_offline.queue().find(message.cid);
        if (!queued || queued->state == offline::MutationState::InFlight) {
            Q_EMIT errorReported(tr("This message is being sent; edit it once it is delivered."));
            return false;
        }
        if (const auto changed = m_offline.engine().retryWith(message.cid, {{QStringLiteral("text"), text}});
            !changed) {
            Q_EMIT errorReported(tr("Your edit could not be saved: %1").arg(changed.error().message));
            return false;
        }
        return true;
    }
    return queueEntityChange(roomId, MessagePrefix + message.id, 1, {{QStringLiteral("text"), text}},
                             {{QStringLiteral("text"), message.text}});
}

bool ChatClient::deleteMessage(const QString &roomId, const ChatMessage &message)
{
    if (message.state != ChatMessage::State::Sent) {
        const std::optional<offline::Mutation> queued = m_offline.queue().find(message.cid);
        if (queued && queued->state == offline::MutationState::InFlight) {
            Q_EMIT errorReported(tr("This message is being sent; delete it once it is delivered."));
            return false;
        }
        if (const auto discarded = m_offline.engine().discard(message.cid); !discarded) {
            Q_EMIT errorReported(tr("Could not discard the message: %1").arg(discarded.error().message));
            return false;
        }
        return true;
    }
    return queueEntityChange(roomId, MessagePrefix + message.id, 1, {{QStringLiteral("deleted"), true}},
                             {{QStringLiteral("text"), message.text}});
}

void ChatClient::retryMessage(const QString &cid)
{
    if (const auto retried = m_offline.engine().retry(cid); !retried)
        Q_EMIT errorReported(tr("Could not retry: %1").arg(retried.error().message));
}

namespace {

/// Where a room setting lives: its entity and its field.
std::pair<QString, QString> entityFieldOf(ChatClient::RoomSetting setting)
{
    switch (setting) {
    case ChatClient::RoomSetting::Topic:
        return {QStringLiteral("room"), QStringLiteral("topic")};
    case ChatClient::RoomSetting::DocumentTitle:
        return {QStringLiteral("document"), QStringLiteral("title")};
    }
    return {};
}

} // namespace

QString ChatClient::roomSetting(const QString &roomId, RoomSetting setting) const
{
    const auto [entity, field] = entityFieldOf(setting);
    return m_offline.entities().displayed(roomId, entity).value(field).toString();
}

bool ChatClient::isRoomSettingPending(const QString &roomId, RoomSetting setting) const
{
    return m_offline.entities().hasPending(roomId, entityFieldOf(setting).first);
}

bool ChatClient::setRoomSetting(const QString &roomId, RoomSetting setting, const QString &value)
{
    if (value == roomSetting(roomId, setting))
        return false;
    const auto [entity, field] = entityFieldOf(setting);
    return queueEntityChange(roomId, entity, 0, {{field, value}},
                             m_offline.entities().displayed(roomId, entity));
}

bool ChatClient::queueEntityChange(const QString &roomId, const QString &entity, qint64 minimumBase,
                                   const QJsonObject &patch, const QJsonObject &baseValue)
{
    offline::Mutation mutation;
    mutation.roomId = roomId;
    mutation.entity = entity;
    mutation.type = QString(MessageType::EntityPatch);
    // A message is version 1 from its creation, before anyone edits it.
    mutation.baseVersion = std::max(minimumBase, m_offline.entities().nextBaseVersion(roomId, entity));
    mutation.payload = {{QStringLiteral("patch"), patch}};
    const QJsonObject shown = m_offline.entities().displayed(roomId, entity);
    mutation.baseValue = shown.isEmpty() ? baseValue : shown;
    if (const auto queued = m_offline.queue().enqueue(mutation); !queued) {
        Q_EMIT errorReported(tr("Your change could not be saved: %1").arg(queued.error().message));
        return false;
    }
    return true;
}

void ChatClient::fetchOlder(const QString &roomId)
{
    MessageListModel *model = messages(roomId);
    const std::optional<qint64> oldest = model->oldestSeq();
    if (model->isLoadingHistory() || !model->hasMoreHistory() || !oldest)
        return;
    // The local store first: it works offline and costs no round trip.
    const auto cached = m_offline.store().messagesBefore(roomId, *oldest, CachedPageSize / 2);
    if (cached && !cached->isEmpty()) {
        for (const offline::CachedMessage &message : *cached)
            showStored(ChatMessage{message.id, message.cid, message.roomId, message.userId, message.text,
                                   message.timestamp, message.seq});
        return;
    }
    if (!m_session.isAuthenticated())
        return;
    if (*oldest <= 1) {
        model->setHasMoreHistory(false);
        return;
    }
    const auto request = m_session.fetchHistory(roomId, *oldest);
    if (request) {
        model->setLoadingHistory(true);
        m_pendingHistory.insert(*request, roomId);
    }
}

void ChatClient::composerEdited(const QString &roomId)
{
    if (m_session.isAuthenticated())
        m_typingNotifier.textEdited(roomId);
}

void ChatClient::onAuthenticated()
{
    refreshRooms();
    if (m_cachedUserId != m_session.userId()) {
        m_cachedUserId = m_session.userId();
        if (const auto saved = m_offline.store().setMeta(UserIdKey, m_cachedUserId); !saved)
            qCWarning(lcChat) << "could not cache the user id:" << saved.error().message;
    }
    // Queued messages are the SyncEngine's: it replays them with their cids.
    // The server starts every connection online; tell it if we are away.
    if (m_away.isAway())
        sendPresence(true);
}

void ChatClient::onRoomList(const QJsonObject &message)
{
    const QJsonArray rooms = payloadOf(message).value(QLatin1StringView("rooms")).toArray();
    m_rooms.setRooms(rooms);
    for (const QJsonValue &value : rooms) {
        const QJsonObject room = value.toObject();
        const QString roomId = field(room, "roomId");
        if (room.value(QLatin1StringView("member")).toBool() && !m_session.joinedRooms().contains(roomId))
            joinRoom(roomId);
    }
    if (m_currentRoom.isEmpty() && m_rooms.rowCount() > 0)
        setCurrentRoom(m_rooms.roomIdAt(0));
}

void ChatClient::onRoomJoined(const QJsonObject &message)
{
    const QJsonObject payload = payloadOf(message);
    const QString roomId = field(payload, "roomId");
    m_rooms.addRoom(roomId, payload.value(QLatin1StringView("private")).toBool());
    if (const auto saved =
            m_offline.store().saveRoom({roomId, payload.value(QLatin1StringView("private")).toBool()});
        !saved)
        qCWarning(lcChat) << "could not cache room" << roomId << ":" << saved.error().message;
    const QJsonArray presence = payload.value(QLatin1StringView("presence")).toArray();
    m_presence.setPresence(roomId, presence);
    QStringList present;
    for (const QJsonValue &entry : presence)
        present.append(entry.toObject().value(QLatin1StringView("userId")).toString());
    if (const auto saved = m_offline.store().saveMembers(roomId, present); !saved)
        qCWarning(lcChat) << "could not cache the members of" << roomId << ":" << saved.error().message;
    // The newest page fills an empty room and, after a reconnect, any gap the
    // resume could not cover; the model drops what it already holds.
    MessageListModel *model = messages(roomId);
    const auto request = m_session.fetchHistory(roomId);
    if (request) {
        if (model->rowCount() == 0)
            model->setLoadingHistory(true);
        m_pendingHistory.insert(*request, roomId);
    }
    if (m_currentRoom.isEmpty())
        setCurrentRoom(roomId);
}

void ChatClient::onChatMessage(const QJsonObject &envelope)
{
    const std::optional<ChatMessage> message = ChatMessage::fromEnvelope(envelope);
    if (!message)
        return;
    m_presence.addKnownMember(message->roomId, message->userId);
    m_rooms.addRoom(message->roomId);
    cacheMessage(*message);
    if (!showStored(*message))
        return;
    if (message->userId == m_session.userId())
        return;
    // A sent message ends its author's typing; the server says so too, but
    // the text must not linger until that arrives.
    m_typing.setTyping(message->roomId, message->userId, false);
    const bool seen = m_attentive && message->roomId == m_currentRoom;
    if (!seen)
        m_rooms.incrementUnread(message->roomId);
    Q_EMIT messageArrived(*message, !seen);
}

void ChatClient::onAck(const QJsonObject &message)
{
    const QJsonObject payload = payloadOf(message);
    Q_UNUSED(payload);
}

void ChatClient::onMutationAcknowledged(const offline::Mutation &mutation, const QJsonObject &ack)
{
    if (!mutation.isChat())
        return;
    MessageListModel *model = messages(mutation.roomId);
    const int row = model->rowOfUnsent(mutation.cid);
    ChatMessage stored = row >= 0 ? model->at(row) : ChatMessage{};
    model->acknowledge(mutation.cid, field(ack, "messageId"),
                       ack.value(QLatin1StringView("seq")).toInteger());
    if (row >= 0) {
        stored.id = field(ack, "messageId");
        stored.seq = ack.value(QLatin1StringView("seq")).toInteger();
        stored.state = ChatMessage::State::Sent;
        cacheMessage(stored);
    }
}

void ChatClient::onMutationFailed(const offline::Mutation &mutation, const QString &reason)
{
    if (mutation.isChat()) {
        messages(mutation.roomId)->markFailed(mutation.cid);
        Q_EMIT errorReported(tr("Your message was not sent: %1").arg(reason));
    } else {
        Q_EMIT errorReported(tr("Your change was refused: %1").arg(reason));
    }
}

void ChatClient::onEntityChanged(const QString &roomId, const QString &entity)
{
    for (const RoomSetting setting : {RoomSetting::Topic, RoomSetting::DocumentTitle}) {
        if (entity == entityFieldOf(setting).first) {
            Q_EMIT roomSettingChanged(roomId, setting);
            return;
        }
    }
    if (!entity.startsWith(MessagePrefix))
        return;
    const QString messageId = entity.mid(MessagePrefix.size());
    MessageListModel *model = messages(roomId);
    const int row = model->rowOfId(messageId);
    if (row < 0)
        return;
    const ChatMessage current = withCurrentContent(model->at(row));
    model->updateContent(messageId, current.text, current.edited, current.deleted, current.changePending);
}

ChatMessage ChatClient::withCurrentContent(ChatMessage message) const
{
    const QString entity = MessagePrefix + message.id;
    const offline::EntityCache &entities = m_offline.entities();
    const QJsonObject shown = entities.displayed(message.roomId, entity);
    message.changePending = entities.hasPending(message.roomId, entity);
    if (shown.isEmpty() && !message.changePending)
        return message;
    message.deleted = shown.value(QLatin1StringView("deleted")).toBool();
    message.text =
        message.deleted ? QString() : shown.value(QLatin1StringView("text")).toString(message.text);
    message.edited = entities.confirmed(message.roomId, entity).version > 1 || message.changePending;
    return message;
}

bool ChatClient::showStored(const ChatMessage &message)
{
    return messages(message.roomId)->addMessage(withCurrentContent(message));
}

void ChatClient::cacheMessage(const ChatMessage &message)
{
    m_unsavedMessages.append({message.roomId, message.seq, message.id, message.userId, message.text,
                              message.timestamp, message.cid});
    m_cacheFlush.start();
}

void ChatClient::flushCache()
{
    m_cacheFlush.stop();
    if (m_unsavedMessages.isEmpty())
        return;
    const QList<offline::CachedMessage> batch = std::exchange(m_unsavedMessages, {});
    offline::LocalStore &store = m_offline.store();
    const auto saved = store.transaction([&]() -> protocol::Result<void> {
        if (auto messagesSaved = store.saveMessages(batch); !messagesSaved)
            return messagesSaved;
        QSet<QString> rooms;
        for (const offline::CachedMessage &message : batch)
            rooms.insert(message.roomId);
        // The Session's cursor is the `since` of the next start: saved with the messages it covers.
        for (const QString &roomId : std::as_const(rooms)) {
            if (const std::optional<qint64> cursor = m_session.resumeCursor(roomId)) {
                if (auto cursorSaved = store.setCursor(roomId, *cursor); !cursorSaved)
                    return cursorSaved;
            }
        }
        return {};
    });
    if (!saved)
        qCWarning(lcChat) << "could not cache" << batch.size() << "messages:" << saved.error().message;
}

void ChatClient::loadCache()
{
    offline::LocalStore &store = m_offline.store();
    if (const auto userId = store.meta(UserIdKey); userId && *userId)
        m_cachedUserId = **userId;
    const auto rooms = store.rooms();
    if (!rooms) {
        qCWarning(lcChat) << "could not read the cached rooms:" << rooms.error().message;
        return;
    }
    for (const offline::CachedRoom &room : *rooms) {
        m_rooms.addRoom(room.roomId, room.isPrivate);
        if (const auto members = store.members(room.roomId)) {
            for (const QString &userId : *members)
                m_presence.addKnownMember(room.roomId, userId);
        }
        MessageListModel *model = messages(room.roomId);
        if (const auto cached = store.newestMessages(room.roomId, CachedPageSize)) {
            for (const offline::CachedMessage &message : *cached) {
                m_presence.addKnownMember(room.roomId, message.userId);
                showStored(ChatMessage{message.id, message.cid, message.roomId, message.userId, message.text,
                                       message.timestamp, message.seq});
            }
        }
        model->setHasMoreHistory(true);
        // Resume where the cache ends: the server replays only what we missed.
        const auto cursor = store.cursor(room.roomId);
        const std::optional<qint64> since = cursor ? *cursor : std::nullopt;
        if (const auto joined = m_session.joinRoom(room.roomId, since); !joined)
            qCWarning(lcChat) << "could not rejoin" << room.roomId << ":" << joined.error().message;
    }
    // Messages written offline, or not yet acknowledged when the app last closed.
    for (const offline::Mutation &mutation : m_offline.queue().pending()) {
        if (!mutation.isChat())
            continue;
        ChatMessage echo;
        echo.roomId = mutation.roomId;
        echo.userId = m_cachedUserId;
        echo.text = mutation.payload.value(QLatin1StringView("text")).toString();
        echo.timestamp = QDateTime::fromMSecsSinceEpoch(mutation.createdAt.wallMs, Qt::UTC);
        echo.cid = mutation.cid;
        m_rooms.addRoom(mutation.roomId);
        messages(mutation.roomId)->addPending(echo);
        if (mutation.state == offline::MutationState::Failed)
            messages(mutation.roomId)->markFailed(mutation.cid);
    }
    if (m_currentRoom.isEmpty() && m_rooms.rowCount() > 0)
        setCurrentRoom(m_rooms.roomIdAt(0));
}

void ChatClient::onHistoryPage(const QJsonObject &message)
{
    const QJsonObject payload = payloadOf(message);
    const QString roomId = field(payload, "roomId");
    const QString ref = field(payload, "ref");
    const bool olderPage = m_pendingHistory.contains(ref);
    m_pendingHistory.remove(ref);
    MessageListModel *model = messages(roomId);
    const bool wasEmpty = model->rowCount() == 0;
    for (const QJsonValue &value : payload.value(QLatin1StringView("messages")).toArray()) {
        const QJsonObject event = value.toObject();
        if (event.value(QLatin1StringView("type")).toString() == MessageType::EntityChanged) {
            // An edit or a topic change in the log: newer than what we hold, or ignored.
            if (const auto state = protocol::EntityState::fromJson(payloadOf(event)))
                m_offline.entities().applyRemote(*state);
            continue;
        }
        const std::optional<ChatMessage> chat = ChatMessage::fromEnvelope(event);
        if (!chat)
            continue;
        m_presence.addKnownMember(roomId, chat->userId);
        cacheMessage(*chat);
        showStored(*chat);
    }
    // Only a page that reached the oldest message we held says whether more exist.
    if (wasEmpty || olderPage)
        model->setHasMoreHistory(payload.value(QLatin1StringView("hasMore")).toBool());
    model->setLoadingHistory(false);
}

void ChatClient::onPresenceUpdate(const QJsonObject &message)
{
    const QJsonObject payload = payloadOf(message);
    m_presence.updatePresence(field(payload, "roomId"), field(payload, "userId"),
                              PresenceRoster::statusFromString(field(payload, "status")));
}

void ChatClient::onTypingUpdate(const QJsonObject &message)
{
    const QJsonObject payload = payloadOf(message);
    const QString userId = field(payload, "userId");
    if (userId == m_session.userId())
        return;
    m_typing.setTyping(field(payload, "roomId"), userId, payload.value(QLatin1StringView("typing")).toBool());
}

void ChatClient::onError(const QJsonObject &message)
{
    const QJsonObject payload = payloadOf(message);
    const QString ref = field(payload, "ref");
    // A change's error is the SyncEngine's: it reports it through mutationFailed or a conflict.
    if (m_offline.engine().answeredMutation(ref))
        return;
    if (const auto history = m_pendingHistory.find(ref); history != m_pendingHistory.end()) {
        messages(history.value())->setLoadingHistory(false);
        m_pendingHistory.erase(history);
    }
    Q_EMIT errorReported(field(payload, "message"));
}

void ChatClient::post(const QString &type, const QJsonObject &payload)
{
    // Typing, presence and listing are best effort: offline they are moot, and
    // the next auth:ok refreshes them anyway.
    if (const auto sent = m_session.sendRequest(type, payload); !sent)
        qDebug("tandem.chat: %s not sent: %s", qUtf8Printable(type), qUtf8Printable(sent.error().message));
}

void ChatClient::sendPresence(bool away)
{
    if (!m_session.isAuthenticated())
        return;
    post(QString(MessageType::PresenceSet),
         {{QStringLiteral("status"), away ? QStringLiteral("away") : QStringLiteral("online")}});
}

} // namespace tandem::chat
