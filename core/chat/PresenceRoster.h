#pragma once
// Who is in each room and their presence, from room:joined.presence and
// presence:update. As a list model it shows the members of the current room:
// online first, then away, then offline, each by name.

#include <QAbstractListModel>
#include <QHash>
#include <QJsonArray>
#include <QMap>

namespace tandem::chat {

class PresenceRoster : public QAbstractListModel {
    Q_OBJECT

public:
    enum class Status { Online, Away, Offline };
    Q_ENUM(Status)

    enum Role {
        UserIdRole = Qt::UserRole + 1,
        StatusRole, ///< Status as int
    };
    Q_ENUM(Role)

    explicit PresenceRoster(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    static Status statusFromString(const QString &status);
    static QString statusName(Status status);

    /// The room whose members the model lists.
    void setCurrentRoom(const QString &roomId);
    QString currentRoom() const { return m_currentRoom; }
    /// room:joined: the listed users are there; everyone else we knew is offline.
    void setPresence(const QString &roomId, const QJsonArray &presence);
    void updatePresence(const QString &roomId, const QString &userId, Status status);
    /// Someone we only know from history: listed as offline unless already known.
    void addKnownMember(const QString &roomId, const QString &userId);
    /// Offline when unknown.
    Status status(const QString &roomId, const QString &userId) const;

Q_SIGNALS:
    void presenceChanged(const QString &roomId, const QString &userId,
                         tandem::chat::PresenceRoster::Status status);

private:
    void rebuild();

    QHash<QString, QMap<QString, Status>> m_rooms;
    QString m_currentRoom;
    QList<QPair<QString, Status>> m_rows; ///< the current room, sorted
};

} // namespace tandem::chat
