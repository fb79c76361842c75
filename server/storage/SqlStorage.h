#pragma once
// Storage on a Qt SQL connection, written once for every database it runs on:
// the statements, the transactions and the Storage contract live here; a
// subclass only opens its connection, migrates its schema and names what its
// database spells differently (see SqliteStorage and PostgresStorage).
//
// Threading: a Qt SQL connection belongs to the thread that opened it. Open,
// use and close one instance on a single thread; give another thread its own.

#include "core/common/Clock.h"
#include "server/storage/Storage.h"

#include <QSqlDatabase>
#include <QSqlQuery>

#include <vector>

class QSqlError;

namespace tandem::server {

class SqlStorage : public Storage {
public:
    ~SqlStorage() override;
    SqlStorage(const SqlStorage &) = delete;
    SqlStorage &operator=(const SqlStorage &) = delete;

    /// Connects, migrates the schema and prepares every statement. A no-op when already open.
    Result<void> open();
    /// Releases the connection (a subclass may flush first). Safe to call twice.
    void close();
    bool isOpen() const;

    Result<void> addUser(const QString &userId, const QString &passwordHash) override;
    Result<std::optional<UserRecord>> findUser(const QString &userId) override;
    Result<QList<UserRecord>> listUsers() override;
    Result<void> removeUser(const QString &userId) override;

    Result<void> storeToken(const QByteArray &tokenHash, const QString &userId,
                            const QDateTime &expiresAt) override;
    Result<std::optional<TokenRecord>> findToken(const QByteArray &tokenHash) override;
    Result<void> revokeToken(const QByteArray &tokenHash) override;
    Result<int> deleteExpiredTokens(const QDateTime &now) override;

    Result<std::optional<RoomRecord>> findRoom(const QString &roomId) override;
    Result<RoomRecord> createRoom(const QString &roomId, const QString &ownerId, bool isPrivate) override;
    Result<bool> isMember(const QString &roomId, const QString &userId) override;
    Result<void> addMember(const QString &roomId, const QString &userId) override;
    Result<QStringList> members(const QString &roomId) override;
    Result<QList<RoomRecord>> roomsVisibleTo(const QString &userId) override;

    Result<QList<AppendResult>> appendEvents(const QList<NewEvent> &events) override;
    Result<QList<StoredEvent>> eventsAfter(const QString &roomId, qint64 afterSeq, int limit) override;
    Result<QList<StoredEvent>> eventsBefore(const QString &roomId, std::optional<qint64> beforeSeq,
                                            int limit) override;
    Result<EntityState> findEntity(const QString &roomId, const protocol::EntityKey &entity) override;

    Result<QList<qint64>> appendDocumentUpdates(const QList<NewDocumentUpdate> &updates) override;
    Result<StoredDocument> loadDocument(const QString &roomId) override;
    Result<void> compactDocument(const QString &roomId, const QByteArray &state, qint64 throughId) override;
    Result<StoredCanvas> loadCanvas(const QString &roomId) override;
    Result<QList<StoredEvent>> canvasChangesAfter(const QString &roomId, qint64 afterSeq, int limit) override;
    Result<void> saveCanvasSnapshot(const QString &roomId, const QJsonArray &state,
                                    qint64 throughSeq) override;

protected:
    /// `clock` stamps created_at / joined_at; tests pass a ManualClock.
    explicit SqlStorage(const Clock &clock);

    /// Every statement the class runs, prepared once in open().
    enum class Statement : int {
        InsertUser,
        FindUser,
        ListUsers,
        DeleteUser,
        DeleteMembershipsOfUser,
        InsertToken,
        FindToken,
        RevokeToken,
        DeleteExpiredTokens,
        RoomExists,
        FindRoom,
        InsertRoom,
        IsMember,
        InsertMember,
        ListMembers,
        RoomsVisibleTo,
        /// Read at the start of an append; it must hold the room against other writers until commit.
        LockRoomLastSeq,
        /// Taken before a room's document updates get their ids, for the same reason.
        LockRoom,
        UpdateRoomLastSeq,
        FindEventByCid,
        InsertEvent,
        EventsAfter,
        EventsBeforeNewestFirst,
        FindEntity,
        UpsertEntity,
        FindMessage,
        RoomOwner,
        InsertDocumentUpdate,
        FindDocumentSnapshot,
        DocumentUpdatesAfter,
        UpsertDocumentSnapshot,
        DeleteDocumentUpdatesThrough,
        FindCanvasSnapshot,
        CanvasChangesAfter,
        UpsertCanvasSnapshot,
        Count,
    };

    /// What a transaction does: Write changes data; Snapshot only reads, but
    /// its reads must all see the same committed state.
    enum class Transaction { Write, Snapshot };

    /// Connects and brings the schema up to date.
    virtual Result<void> openConnection() = 0;
    /// Releases the connection; every prepared statement is gone by then.
    virtual void closeConnection() = 0;
    virtual bool connectionIsOpen() const = 0;
    virtual QSqlDatabase &connection() = 0;
    /// The statement that starts a transaction of this kind.
    virtual QString beginSql(Transaction kind) const = 0;
    /// This database's text for `which`, or nullptr where the portable text fits.
    virtual const char *dialectSql(Statement which) const;
    /// A failure that another attempt of the whole transaction may not meet
    /// (a lost race with another writer): the transaction is run again.
    virtual bool isTransient(const QSqlError &error) const;

private:
    struct EntityContext {
        EntityState state;
        QString author;
        QString roomOwner;
    };

    static const char *portableSql(Statement which);
    const char *sqlFor(Statement which) const;
    QSqlQuery *statement(Statement which);
    Result<QSqlQuery *> run(Statement which, std::initializer_list<QVariant> values);
    template <typename RowHandler>
    Result<void> select(Statement which, std::initializer_list<QVariant> values, RowHandler &&onRow);
    Result<int> change(Statement which, std::initializer_list<QVariant> values);
    Result<void> control(const QString &sql);
    template <typename Body> auto inTransaction(Transaction kind, Body &&body) -> decltype(body());
    template <typename Body> auto attemptTransaction(Transaction kind, Body &&body) -> decltype(body());
    Result<std::optional<StoredEvent>> findEventByCid(const QString &userId, const QString &cid);
    /// The entity's state with who wrote it first and who owns its room; inside or outside a transaction.
    Result<EntityContext> loadEntity(const QString &roomId, const protocol::EntityKey &entity);
    /// Checks and applies one entity write; the new state, or why it was refused.
    Result<EntityState> writeEntity(const NewEvent &event, AppendResult &refusal);

    const Clock &m_clock;
    std::vector<QSqlQuery> m_statements; ///< indexed by Statement
    bool m_transientFailure = false;     ///< the last failed statement lost a race (isTransient)
};

} // namespace tandem::server
