#pragma once
// Storage on one SQLite file in WAL mode. Every successful call has been
// committed with synchronous=FULL, so an acked message survives power loss.
//
// Threading: a Qt SQL connection belongs to the thread that opened it. Open,
// use and close one SqliteStorage on a single thread; give another thread its
// own SqliteStorage on the same file (WAL lets readers and one writer share it,
// and busy_timeout makes writers queue instead of failing).

#include "core/common/Clock.h"
#include "core/sql/SqliteDatabase.h"
#include "server/storage/Storage.h"

#include <QSqlDatabase>
#include <QSqlQuery>

#include <vector>

namespace tandem::server {

class SqliteStorage final : public Storage {
public:
    /// `clock` stamps created_at / joined_at; tests pass a ManualClock.
    explicit SqliteStorage(QString databasePath, const Clock &clock = Clock::system());
    ~SqliteStorage() override;
    SqliteStorage(const SqliteStorage &) = delete;
    SqliteStorage &operator=(const SqliteStorage &) = delete;

    /// Creates the parent folder and the file if needed, sets the PRAGMAs and
    /// migrates the schema. A no-op when already open.
    Result<void> open();
    /// Checkpoints the WAL into the main file and releases the connection.
    /// Safe to call twice; the destructor calls it.
    void close();
    bool isOpen() const;
    QString databasePath() const { return m_databasePath; }

    /// The schema, one entry per version (see Migrations.h).
    static const QList<QStringList> &schemaSteps();

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

private:
    struct EntityContext {
        EntityState state;
        QString author;
        QString roomOwner;
    };
    enum class Statement : int; // every statement the class runs, prepared once in open()

    static const char *sqlFor(Statement which);
    QSqlQuery *statement(Statement which);
    Result<QSqlQuery *> run(Statement which, std::initializer_list<QVariant> values);
    template <typename RowHandler>
    Result<void> select(Statement which, std::initializer_list<QVariant> values, RowHandler &&onRow);
    Result<int> change(Statement which, std::initializer_list<QVariant> values);
    template <typename Body> auto inTransaction(Body &&body) -> decltype(body());
    Result<std::optional<StoredEvent>> findEventByCid(const QString &userId, const QString &cid);
    /// The entity's state with who wrote it first and who owns its room; inside or outside a transaction.
    Result<EntityContext> loadEntity(const QString &roomId, const protocol::EntityKey &entity);
    /// Checks and applies one entity write; the new state, or why it was refused.
    Result<EntityState> writeEntity(const NewEvent &event, AppendResult &refusal);

    QString m_databasePath;
    const Clock &m_clock;
    sql::SqliteDatabase m_database;
    std::vector<QSqlQuery> m_statements; ///< indexed by Statement
};

} // namespace tandem::server
