#pragma once
// One room's messages, oldest first: stored messages in seq order, then our
// own pending ones (local echo) until their ack gives them a seq. Each row
// also says whether it starts a day and a run of one author, so a delegate
// can group without looking at its neighbours.

#include "core/chat/ChatMessage.h"

#include <QAbstractListModel>
#include <QList>
#include <QSet>

#include <optional>

namespace tandem::chat {

class MessageListModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        CidRole,
        UserIdRole,
        TextRole,
        TimestampRole,
        SeqRole,
        StateRole,       ///< ChatMessage::State as int
        StartsDayRole,   ///< first message of its (local) day
        StartsGroupRole, ///< first of a run by one author (new day or 5 min gap also start one)
        EditedRole,
        DeletedRole,
        ChangePendingRole, ///< an edit or delete of ours waits to sync
    };
    Q_ENUM(Role)

    /// A run of one author is broken after this many minutes of silence.
    static constexpr qint64 GroupGapSeconds = 5 * 60;

    explicit MessageListModel(QString roomId, QObject *parent = nullptr);

    QString roomId() const { return m_roomId; }
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    const ChatMessage &at(int row) const { return m_messages.at(row); }
    /// Adds a stored message at its seq position. Duplicates (same id) are
    /// ignored; a message carrying the cid of a pending one replaces it.
    /// Returns true when a new row appeared.
    bool addMessage(const ChatMessage &message);
    /// Adds the local echo of a message we just sent.
    void addPending(const ChatMessage &message);
    /// The ack for `cid` arrived: the pending row becomes a stored one.
    void acknowledge(const QString &cid, const QString &messageId, qint64 seq);
    /// The send for `cid` failed: keep the row, mark it failed.
    void markFailed(const QString &cid);
    /// Our messages still waiting for an ack, oldest first.
    QList<ChatMessage> pendingMessages() const;
    /// The row of a stored message, or -1.
    int rowOfId(const QString &messageId) const;
    /// The row of an unsent message (pending or failed), or -1.
    int rowOfUnsent(const QString &cid) const;
    /// Shows a stored message's current text and state (after an edit or delete).
    void updateContent(const QString &messageId, const QString &text, bool edited, bool deleted,
                       bool changePending);
    /// An unsent message's new text, or its state (queued again after a retry).
    void updateUnsent(const QString &cid, const QString &text, ChatMessage::State state);
    /// Drops an unsent message (the user discarded it).
    void removeUnsent(const QString &cid);
    /// Drops every message (the room must be reloaded).
    void clear();

    /// The lowest seq held: the `before` of the next history page.
    std::optional<qint64> oldestSeq() const;
    bool hasMoreHistory() const { return m_hasMoreHistory; }
    void setHasMoreHistory(bool hasMore) { m_hasMoreHistory = hasMore; }
    bool isLoadingHistory() const { return m_loadingHistory; }
    void setLoadingHistory(bool loading) { m_loadingHistory = loading; }

private:
    int rowOfPendingCid(const QString &cid) const;
    /// Where a stored message with `seq` belongs: after every lower seq, before pending ones.
    int insertionRow(qint64 seq) const;
    void insertRow(int row, const ChatMessage &message);
    void removeRowAt(int row);
    bool startsDay(int row) const;
    bool startsGroup(int row) const;
    void neighbourChanged(int row);

    /// Rows not yet stored (pending or failed) form the tail of m_messages: their count.
    int unsentTailLength() const;

    QString m_roomId;
    QList<ChatMessage> m_messages;
    QSet<QString> m_storedIds; ///< ids of the stored rows, so a duplicate check is O(1)
    bool m_hasMoreHistory = true;
    bool m_loadingHistory = false;
};

} // namespace tandem::chat
