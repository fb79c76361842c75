#include "core/chat/PresenceRoster.h"

#include <QJsonObject>

#include <algorithm>

namespace tandem::chat {

PresenceRoster::PresenceRoster(QObject *parent)
    : QAbstractListModel(parent)
{}

int PresenceRoster::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QVariant PresenceRoster::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &[userId, status] = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case UserIdRole:
        return userId;
    case StatusRole:
        return static_cast<int>(status);
    case Qt::ToolTipRole:
        switch (status) {
        case Status::Online:
            return tr("%1 is online").arg(userId);
        case Status::Away:
            return tr("%1 is away").arg(userId);
        case Status::Offline:
            return tr("%1 is offline").arg(userId);
        }
        return {};
    default:
        return {};
    }
}

QHash<int, QByteArray> PresenceRoster::roleNames() const
{
    return {{UserIdRole, "userId"}, {StatusRole, "status"}};
}

PresenceRoster::Status PresenceRoster::statusFromString(const QString &status)
{
    if (status == QLatin1StringView("online"))
        return Status::Online;
    if (status == QLatin1StringView("away"))
        return Status::Away;
    return Status::Offline;
}

QString PresenceRoster::statusName(Status status)
{
    switch (status) {
    case Status::Online:
        return QStringLiteral("online");
    case Status::Away:
        return QStringLiteral("away");
    case Status::Offline:
        break;
    }
    return QStringLiteral("offline");
}

void PresenceRoster::setCurrentRoom(const QString &roomId)
{
    m_currentRoom = roomId;
    rebuild();
}

void PresenceRoster::setPresence(const QString &roomId, const QJsonArray &presence)
{
    QMap<QString, Status> &members = m_rooms[roomId];
    QMap<QString, Status> fresh;
    for (auto it = members.cbegin(); it != members.cend(); ++it)
        fresh.insert(it.key(), Status::Offline);
    for (const QJsonValue &value : presence) {
        const QJsonObject entry = value.toObject();
        const QString userId = entry.value(QLatin1StringView("userId")).toString();
        if (!userId.isEmpty())
            fresh.insert(userId, statusFromString(entry.value(QLatin1StringView("status")).toString()));
    }
    for (auto it = fresh.cbegin(); it != fresh.cend(); ++it) {
        if (members.value(it.key(), Status::Offline) != it.value() || !members.contains(it.key()))
            Q_EMIT presenceChanged(roomId, it.key(), it.value());
    }
    members = fresh;
    if (roomId == m_currentRoom)
        rebuild();
}

void PresenceRoster::updatePresence(const QString &roomId, const QString &userId, Status status)
{
    QMap<QString, Status> &members = m_rooms[roomId];
    if (members.contains(userId) && members.value(userId) == status)
        return;
    members.insert(userId, status);
    Q_EMIT presenceChanged(roomId, userId, status);
    if (roomId == m_currentRoom)
        rebuild();
}

void PresenceRoster::addKnownMember(const QString &roomId, const QString &userId)
{
    QMap<QString, Status> &members = m_rooms[roomId];
    if (userId.isEmpty() || members.contains(userId))
        return;
    members.insert(userId, Status::Offline);
    if (roomId == m_currentRoom)
        rebuild();
}

PresenceRoster::Status PresenceRoster::status(const QString &roomId, const QString &userId) const
{
    return m_rooms.value(roomId).value(userId, Status::Offline);
}

void PresenceRoster::rebuild()
{
    // Rosters are small (people, not messages): a reset keeps this simple.
    beginResetModel();
    m_rows.clear();
    const QMap<QString, Status> members = m_rooms.value(m_currentRoom);
    for (auto it = members.cbegin(); it != members.cend(); ++it)
        m_rows.append({it.key(), it.value()});
    std::stable_sort(m_rows.begin(), m_rows.end(),
                     [](const auto &left, const auto &right) { return left.second < right.second; });
    endResetModel();
}

} // namespace tandem::chat
