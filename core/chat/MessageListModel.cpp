#include "core/chat/MessageListModel.h"

#include <algorithm>

namespace tandem::chat {

MessageListModel::MessageListModel(QString roomId, QObject *parent)
    : QAbstractListModel(parent)
    , m_roomId(std::move(roomId))
{}

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_messages.size());
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ChatMessage &message = m_messages.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return message.text;
    case IdRole:
        return message.id;
    case CidRole:
        return message.cid;
    case UserIdRole:
        return message.userId;
    case TimestampRole:
        return message.timestamp;
    case SeqRole:
        return message.seq;
    case StateRole:
        return static_cast<int>(message.state);
    case StartsDayRole:
        return startsDay(index.row());
    case StartsGroupRole:
        return startsGroup(index.row());
    case EditedRole:
        return message.edited;
    case DeletedRole:
        return message.deleted;
    case ChangePendingRole:
        return message.changePending;
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    return {{IdRole, "messageId"},
            {CidRole, "cid"},
            {UserIdRole, "userId"},
            {TextRole, "text"},
            {TimestampRole, "ts"},
            {SeqRole, "seq"},
            {StateRole, "state"},
            {StartsDayRole, "startsDay"},
            {StartsGroupRole, "startsGroup"},
            {EditedRole, "edited"},
            {DeletedRole, "deleted"},
            {ChangePendingRole, "changePending"}};
}

bool MessageListModel::addMessage(const ChatMessage &message)
{
    if (!message.id.isEmpty() && m_storedIds.contains(message.id))
        return false;
    if (!message.cid.isEmpty()) {
        // Our own message coming back (live echo or in a page) before or without its ack.
        const int pending = rowOfPendingCid(message.cid);
        if (pending >= 0)
            removeRowAt(pending);
    }
    insertRow(insertionRow(message.seq), message);
    return true;
}

void MessageListModel::addPending(const ChatMessage &message)
{
    ChatMessage pending = message;
    pending.state = ChatMessage::State::Pending;
    pending.seq = 0;
    insertRow(static_cast<int>(m_messages.size()), pending);
}

void MessageListModel::acknowledge(const QString &cid, const QString &messageId, qint64 seq)
{
    const int row = rowOfPendingCid(cid);
    if (row < 0)
        return;
    ChatMessage stored = m_messages.at(row);
    removeRowAt(row);
    stored.id = messageId;
    stored.seq = seq;
    stored.state = ChatMessage::State::Sent;
    addMessage(stored);
}

void MessageListModel::markFailed(const QString &cid)
{
    const int row = rowOfPendingCid(cid);
    if (row < 0)
        return;
    m_messages[row].state = ChatMessage::State::Failed;
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed, {StateRole});
}

QList<ChatMessage> MessageListModel::pendingMessages() const
{
    QList<ChatMessage> pending;
    for (const ChatMessage &message : m_messages) {
        if (message.state == ChatMessage::State::Pending)
            pending.append(message);
    }
    return pending;
}

int MessageListModel::rowOfId(const QString &messageId) const
{
    if (!m_storedIds.contains(messageId))
        return -1;
    // Edits are mostly of recent messages: search from the newest.
    for (int row = static_cast<int>(m_messages.size()) - 1; row >= 0; --row) {
        if (m_messages.at(row).id == messageId)
            return row;
    }
    return -1;
}

int MessageListModel::rowOfUnsent(const QString &cid) const
{
    return rowOfPendingCid(cid);
}

void MessageListModel::updateContent(const QString &messageId, const QString &text, bool edited, bool deleted,
                                     bool changePending)
{
    const int row = rowOfId(messageId);
    if (row < 0)
        return;
    ChatMessage &message = m_messages[row];
    message.text = deleted ? QString() : text;
    message.edited = edited;
    message.deleted = deleted;
    message.changePending = changePending;
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed,
                       {Qt::DisplayRole, TextRole, EditedRole, DeletedRole, ChangePendingRole});
}

void MessageListModel::updateUnsent(const QString &cid, const QString &text, ChatMessage::State state)
{
    const int row = rowOfPendingCid(cid);
    if (row < 0)
        return;
    m_messages[row].text = text;
    m_messages[row].state = state;
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed, {Qt::DisplayRole, TextRole, StateRole});
}

void MessageListModel::removeUnsent(const QString &cid)
{
    if (const int row = rowOfPendingCid(cid); row >= 0)
        removeRowAt(row);
}

void MessageListModel::clear()
{
    beginResetModel();
    m_messages.clear();
    m_storedIds.clear();
    m_hasMoreHistory = true;
    m_loadingHistory = false;
    endResetModel();
}

std::optional<qint64> MessageListModel::oldestSeq() const
{
    for (const ChatMessage &message : m_messages) {
        if (message.seq > 0)
            return message.seq;
    }
    return std::nullopt;
}

int MessageListModel::unsentTailLength() const
{
    int length = 0;
    for (auto it = m_messages.crbegin(); it != m_messages.crend() && it->state != ChatMessage::State::Sent;
         ++it)
        ++length;
    return length;
}

int MessageListModel::rowOfPendingCid(const QString &cid) const
{
    if (cid.isEmpty())
        return -1;
    // Only the unsent tail can hold it: a scan of a few rows, not of the whole room.
    for (int row = static_cast<int>(m_messages.size()) - 1; row >= 0; --row) {
        const ChatMessage &message = m_messages.at(row);
        if (message.state == ChatMessage::State::Sent)
            break;
        if (message.cid == cid)
            return row;
    }
    return -1;
}

int MessageListModel::insertionRow(qint64 seq) const
{
    // Stored rows are sorted by seq and come before every pending row.
    const auto storedEnd = m_messages.cend() - unsentTailLength();
    const auto position =
        std::upper_bound(m_messages.cbegin(), storedEnd, seq,
                         [](qint64 value, const ChatMessage &message) { return value < message.seq; });
    return static_cast<int>(position - m_messages.cbegin());
}

void MessageListModel::insertRow(int row, const ChatMessage &message)
{
    beginInsertRows({}, row, row);
    m_messages.insert(row, message);
    if (message.state == ChatMessage::State::Sent && !message.id.isEmpty())
        m_storedIds.insert(message.id);
    endInsertRows();
    neighbourChanged(row + 1);
}

void MessageListModel::removeRowAt(int row)
{
    beginRemoveRows({}, row, row);
    if (m_messages.at(row).state == ChatMessage::State::Sent)
        m_storedIds.remove(m_messages.at(row).id);
    m_messages.removeAt(row);
    endRemoveRows();
    neighbourChanged(row);
}

bool MessageListModel::startsDay(int row) const
{
    if (row == 0)
        return true;
    return m_messages.at(row - 1).timestamp.toLocalTime().date() !=
           m_messages.at(row).timestamp.toLocalTime().date();
}

bool MessageListModel::startsGroup(int row) const
{
    if (startsDay(row))
        return true;
    const ChatMessage &previous = m_messages.at(row - 1);
    const ChatMessage &current = m_messages.at(row);
    return previous.userId != current.userId ||
           previous.timestamp.secsTo(current.timestamp) > GroupGapSeconds;
}

void MessageListModel::neighbourChanged(int row)
{
    // A row's grouping depends on the row above it.
    if (row < 0 || row >= m_messages.size())
        return;
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed, {StartsDayRole, StartsGroupRole});
}

} // namespace tandem::chat
