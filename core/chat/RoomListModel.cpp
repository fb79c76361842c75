#include "core/chat/RoomListModel.h"

#include <QJsonObject>

#include <algorithm>

namespace tandem::chat {

RoomListModel::RoomListModel(QObject *parent)
    : QAbstractListModel(parent)
{}

int RoomListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rooms.size());
}

QVariant RoomListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Room &room = m_rooms.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case RoomIdRole:
        return room.roomId;
    case Qt::ToolTipRole:
        return room.isPrivate ? tr("%1 (private)").arg(room.roomId) : room.roomId;
    case PrivateRole:
        return room.isPrivate;
    case MemberRole:
        return room.member;
    case UnreadRole:
        return room.unread;
    case LastSeqRole:
        return room.lastSeq;
    default:
        return {};
    }
}

QHash<int, QByteArray> RoomListModel::roleNames() const
{
    return {{RoomIdRole, "roomId"},
            {PrivateRole, "private"},
            {MemberRole, "member"},
            {UnreadRole, "unread"},
            {LastSeqRole, "lastSeq"}};
}

void RoomListModel::setRooms(const QJsonArray &rooms)
{
    for (const QJsonValue &value : rooms) {
        const QJsonObject object = value.toObject();
        const QString roomId = object.value(QLatin1StringView("roomId")).toString();
        if (roomId.isEmpty())
            continue;
        const int row = addRoom(roomId, object.value(QLatin1StringView("private")).toBool());
        Room &room = m_rooms[row];
        room.member = object.value(QLatin1StringView("member")).toBool();
        room.lastSeq = object.value(QLatin1StringView("lastSeq")).toInteger();
        rowChanged(row);
    }
}

int RoomListModel::addRoom(const QString &roomId, bool isPrivate)
{
    const int existing = rowOf(roomId);
    if (existing >= 0)
        return existing;
    const auto position =
        std::lower_bound(m_rooms.cbegin(), m_rooms.cend(), roomId,
                         [](const Room &room, const QString &id) { return room.roomId < id; });
    const int row = static_cast<int>(position - m_rooms.cbegin());
    beginInsertRows({}, row, row);
    Room room;
    room.roomId = roomId;
    room.isPrivate = isPrivate;
    room.member = true;
    m_rooms.insert(row, room);
    endInsertRows();
    return row;
}

void RoomListModel::incrementUnread(const QString &roomId)
{
    const int row = rowOf(roomId);
    if (row < 0)
        return;
    ++m_rooms[row].unread;
    rowChanged(row);
}

void RoomListModel::clearUnread(const QString &roomId)
{
    const int row = rowOf(roomId);
    if (row < 0 || m_rooms.at(row).unread == 0)
        return;
    m_rooms[row].unread = 0;
    rowChanged(row);
}

int RoomListModel::unread(const QString &roomId) const
{
    const int row = rowOf(roomId);
    return row < 0 ? 0 : m_rooms.at(row).unread;
}

int RoomListModel::rowOf(const QString &roomId) const
{
    for (int row = 0; row < m_rooms.size(); ++row) {
        if (m_rooms.at(row).roomId == roomId)
            return row;
    }
    return -1;
}

QString RoomListModel::roomIdAt(int row) const
{
    return row >= 0 && row < m_rooms.size() ? m_rooms.at(row).roomId : QString();
}

QStringList RoomListModel::roomIds() const
{
    QStringList ids;
    for (const Room &room : m_rooms)
        ids.append(room.roomId);
    return ids;
}

void RoomListModel::rowChanged(int row)
{
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed);
}

} // namespace tandem::chat
