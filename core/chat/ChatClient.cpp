#include "core/chat/ChatClient.h"

#include "core/protocol/MessageType.h"

#include <QJsonArray>
#include <QUuid>

namespace tandem::chat {

namespace MessageType = protocol::MessageType;

namespace {

QString field(const QJsonObject &object, const char *name)
{
    return object.value(QLatin1StringView(name)).toString();
}

QJsonObject payloadOf(const QJsonObject &message)
{
    return message.value(QLatin1StringView("payload")).toObject();
}

} // namespace

ChatClient::ChatClient(client::Session &session, const Clock &clock, client::TimerSource &timers,
                       QObject *parent)
    : QObject(parent)
    , m_session(session)
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
}

ChatClient::~ChatClient()
{
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

bool ChatClient::sendMessage(const QString &roomId, const QString &text)
{
    if (text.trimmed().isEmpty())
        return false;
    m_typingNotifier.messageSent(roomId);
    ChatMessage echo;
    echo.roomId = roomId;
    echo.userId = m_session.userId();
    echo.text = text;
    echo.timestamp = m_clock.nowUtc();
    echo.cid = QUuid::createUuid().toString(QUuid::WithoutBraces);
    messages(roomId)->addPending(echo);
    sendStored(echo);
    return true;
}

void ChatClient::sendStored(const ChatMessage &message)
{
    // sendRequest rather than sendChat: its envelope id is what an error's ref names.
    const auto sent = m_session.sendRequest(
        QString(MessageType::ChatSend),
        {{QStringLiteral("roomId"), message.roomId}, {QStringLiteral("text"), message.text}}, message.cid);
    if (sent) {
        m_pendingSends.insert(*sent, {message.roomId, message.cid});
    } else {
        messages(message.roomId)->markFailed(message.cid);
        Q_EMIT errorReported(tr("Your message was not sent: %1").arg(sent.error().message));
    }
}

void ChatClient::fetchOlder(const QString &roomId)
{
    MessageListModel *model = messages(roomId);
    const std::optional<qint64> oldest = model->oldestSeq();
    if (model->isLoadingHistory() || !model->hasMoreHistory() || !oldest || !m_session.isAuthenticated())
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
    // A send whose ack never came may or may not be stored: re-sending it with
    // the same cid is safe (the server answers with the original ack).
    for (MessageListModel *model : std::as_const(m_messages)) {
        for (const ChatMessage &pending : model->pendingMessages())
            sendStored(pending);
    }
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
    m_presence.setPresence(roomId, payload.value(QLatin1StringView("presence")).toArray());
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
    if (!messages(message->roomId)->addMessage(*message))
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
    m_pendingSends.remove(field(payload, "ref"));
    messages(field(payload, "roomId"))
        ->acknowledge(field(payload, "cid"), field(payload, "messageId"),
                      payload.value(QLatin1StringView("seq")).toInteger());
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
        const std::optional<ChatMessage> chat = ChatMessage::fromEnvelope(value.toObject());
        if (!chat)
            continue;
        m_presence.addKnownMember(roomId, chat->userId);
        model->addMessage(*chat);
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
    if (const auto send = m_pendingSends.find(ref); send != m_pendingSends.end()) {
        messages(send->first)->markFailed(send->second);
        m_pendingSends.erase(send);
    }
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
