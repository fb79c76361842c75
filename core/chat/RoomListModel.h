#pragma once
// The rooms in the sidebar: what room:list said, plus rooms we joined since,
// each with the number of messages that arrived while it was not in view.

#include <QAbstractListModel>
#include <QJsonArray>
#include <QList>

namespace tandem::chat {

class RoomListModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum Role {
        RoomIdRole = Qt::UserRole + 1,
        PrivateRole,
        MemberRole,
        UnreadRole,
        LastSeqRole,
    };
    Q_ENUM(Role)

    struct Room {
        QString roomId;
        bool isPrivate = false;
        bool member = false;
        int unread = 0;
        qint64 lastSeq = 0;
    };

    explicit RoomListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Merges a room:list `rooms` array: known rooms keep their unread count.
    void setRooms(const QJsonArray &rooms);
    /// Adds the room if it is new (a room we just created or joined); returns its row.
    int addRoom(const QString &roomId, bool isPrivate = false);
    /// One more unread message in `roomId` (ignored for unknown rooms).
    void incrementUnread(const QString &roomId);
    void clearUnread(const QString &roomId);
    int unread(const QString &roomId) const;
    int rowOf(const QString &roomId) const;
    QString roomIdAt(int row) const;
    QStringList roomIds() const;

private:
    void rowChanged(int row);

    QList<Room> m_rooms; ///< sorted by roomId, so the sidebar order is stable
};

} // namespace tandem::chat
