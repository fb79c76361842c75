#include "server/storage/PostgresStorage.h"

#include "core/protocol/Envelope.h"
#include "server/storage/SqlDialect.h"
#include "server/storage/StorageLog.h"

#include <QAtomicInteger>
#include <QSqlError>
#include <QUrl>
#include <QUrlQuery>

namespace tandem::server {

using protocol::ErrorCode;
using protocol::fail;

namespace {

constexpr const char *DriverName = "QPSQL";
/// Seconds libpq waits for the server before open() fails; a URL may set its own.
constexpr int DefaultConnectTimeoutSeconds = 10;
/// Any constant key: the advisory lock that lets one server at a time migrate.
constexpr qint64 MigrationLockKey = 0x74616e64656d; // "tandem"

/// SQLSTATEs of a writer that lost a race and may win on another attempt.
bool isLostRace(const QString &sqlState)
{
    return sqlState == QLatin1String("40001")     // serialization_failure
           || sqlState == QLatin1String("40P01")  // deadlock_detected
           || sqlState == QLatin1String("23505"); // unique_violation: another server stored it first
}

QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("tandem-postgres-%1").arg(counter.fetchAndAddRelaxed(1) + 1);
}

Unexpected<protocol::Error> migrationFailure(const QString &what, const QSqlQuery &query)
{
    const QString message =
        QStringLiteral("storage: PostgreSQL migration: %1: %2").arg(what, query.lastError().text());
    qCWarning(lcStorage).noquote() << message;
    return fail(ErrorCode::Internal, message);
}

} // namespace

Result<PostgresLocation> PostgresLocation::fromUrl(const QString &url)
{
    const QUrl parsed(url, QUrl::StrictMode);
    const QString scheme = parsed.scheme();
    if (!parsed.isValid() || (scheme != QLatin1String("postgresql") && scheme != QLatin1String("postgres")))
        return fail(
            ErrorCode::BadRequest,
            QStringLiteral("database must be 'sqlite' or postgresql://user:password@host:port/database"));
    PostgresLocation location;
    location.host = parsed.host();
    location.port = parsed.port(5432);
    location.user = parsed.userName(QUrl::FullyDecoded);
    location.password = parsed.password(QUrl::FullyDecoded);
    location.database = parsed.path(QUrl::FullyDecoded).mid(1);
    if (location.host.isEmpty() || location.database.isEmpty() ||
        location.database.contains(QLatin1Char('/')))
        return fail(ErrorCode::BadRequest, QStringLiteral("a PostgreSQL URL names a host and a database: "
                                                          "postgresql://user:password@host:port/database"));
    QStringList options;
    bool hasTimeout = false;
    for (const auto &[key, value] : QUrlQuery(parsed).queryItems(QUrl::FullyDecoded)) {
        // QPSQL joins the options with spaces into a libpq conninfo string.
        if (key.contains(QLatin1Char(';')) || value.contains(QLatin1Char(';')) ||
            value.contains(QLatin1Char(' ')))
            return fail(ErrorCode::BadRequest, QStringLiteral("bad PostgreSQL option '%1'").arg(key));
        hasTimeout = hasTimeout || key == QLatin1String("connect_timeout");
        options.append(key + QLatin1Char('=') + value);
    }
    if (!hasTimeout)
        options.append(QStringLiteral("connect_timeout=%1").arg(DefaultConnectTimeoutSeconds));
    location.options = options.join(QLatin1Char(';'));
    return location;
}

QString PostgresLocation::describe() const
{
    return QStringLiteral("%1:%2/%3%4")
        .arg(host)
        .arg(port)
        .arg(database, user.isEmpty() ? QString() : QStringLiteral(" as ") + user);
}

PostgresStorage::PostgresStorage(PostgresLocation location, const Clock &clock)
    : SqlStorage(clock)
    , m_location(std::move(location))
{}

PostgresStorage::~PostgresStorage()
{
    close();
}

const QList<QStringList> &PostgresStorage::schemaSteps()
{
    return storageSchemaSteps(SqlDialect::Postgres);
}

Result<void> PostgresStorage::openConnection()
{
    if (!QSqlDatabase::isDriverAvailable(QLatin1String(DriverName)))
        return fail(ErrorCode::Internal,
                    QStringLiteral("storage: Qt's PostgreSQL driver (QPSQL) is not installed; "
                                   "on Debian it is the package libqt6sql6-psql"));
    m_connectionName = nextConnectionName();
    m_database = QSqlDatabase::addDatabase(QLatin1String(DriverName), m_connectionName);
    m_database.setHostName(m_location.host);
    m_database.setPort(m_location.port);
    m_database.setUserName(m_location.user);
    m_database.setPassword(m_location.password);
    m_database.setDatabaseName(m_location.database);
    m_database.setConnectOptions(m_location.options);
    if (!m_database.open()) {
        const QString message = QStringLiteral("storage: cannot connect to PostgreSQL at %1: %2")
                                    .arg(m_location.describe(), m_database.lastError().text().trimmed());
        qCWarning(lcStorage).noquote() << message;
        return fail(ErrorCode::Internal, message);
    }
    QSqlQuery setup(m_database);
    // libpq prints NOTICEs on stderr; the server's log is for warnings.
    if (!setup.exec(QStringLiteral("SET client_min_messages TO WARNING")))
        return migrationFailure(QStringLiteral("cannot configure the session"), setup);
    return migrate();
}

// Every pending step in one transaction with its schema_migrations row, under
// an advisory lock, so two servers starting at once cannot both run a step and
// a failing step leaves the database as it was (PostgreSQL's DDL is transactional).
Result<void> PostgresStorage::migrate()
{
    const QList<QStringList> &steps = schemaSteps();
    QSqlQuery query(m_database);
    const auto execute = [&](const QString &sql) {
        query.finish();
        return query.exec(sql);
    };
    if (!execute(QStringLiteral("BEGIN")))
        return migrationFailure(QStringLiteral("cannot begin"), query);
    const auto rollback = [&](const QString &what) {
        const auto failure = migrationFailure(what, query);
        QSqlQuery rollbackQuery(m_database);
        if (!rollbackQuery.exec(QStringLiteral("ROLLBACK")))
            qCWarning(lcStorage) << "rollback failed:" << rollbackQuery.lastError().text();
        return failure;
    };
    if (!execute(QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(MigrationLockKey)))
        return rollback(QStringLiteral("cannot take the migration lock"));
    if (!execute(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                " version INTEGER NOT NULL PRIMARY KEY,"
                                " applied_at TEXT NOT NULL)")))
        return rollback(QStringLiteral("cannot create schema_migrations"));
    if (!execute(QStringLiteral("SELECT coalesce(max(version), 0) FROM schema_migrations")) || !query.next())
        return rollback(QStringLiteral("cannot read the schema version"));
    const int current = query.value(0).toInt();
    if (current > steps.size()) {
        query.finish();
        QSqlQuery(m_database).exec(QStringLiteral("ROLLBACK"));
        const QString message = QStringLiteral("storage: the database has schema version %1 but this program "
                                               "knows only versions up to %2; it was written by a newer "
                                               "version, refusing to open it")
                                    .arg(current)
                                    .arg(steps.size());
        qCWarning(lcStorage).noquote() << message;
        return fail(ErrorCode::Internal, message);
    }
    for (int version = current + 1; version <= steps.size(); ++version) {
        for (const QString &statement : steps.at(version - 1)) {
            if (!execute(statement))
                return rollback(QStringLiteral("step %1: %2").arg(version).arg(statement.simplified()));
        }
        // Our own loop counter and a timestamp we format: nothing to bind.
        if (!execute(QStringLiteral("INSERT INTO schema_migrations (version, applied_at) VALUES (%1, '%2')")
                         .arg(version)
                         .arg(protocol::formatTimestamp(QDateTime::currentDateTimeUtc()))))
            return rollback(QStringLiteral("step %1: cannot record it").arg(version));
    }
    if (!execute(QStringLiteral("COMMIT")))
        return rollback(QStringLiteral("cannot commit"));
    if (current < steps.size())
        qCInfo(lcStorage) << "PostgreSQL schema migrated from version" << current << "to" << steps.size();
    return {};
}

void PostgresStorage::closeConnection()
{
    if (m_connectionName.isEmpty())
        return;
    m_database.close();
    m_database = QSqlDatabase(); // the registry entry may go only when no handle is left
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

bool PostgresStorage::connectionIsOpen() const
{
    return m_database.isOpen();
}

QSqlDatabase &PostgresStorage::connection()
{
    return m_database;
}

QString PostgresStorage::beginSql(Transaction kind) const
{
    // Writers run in READ COMMITTED: after waiting for a room's row lock, every
    // later statement sees what the previous holder committed. A snapshot read
    // (a document or canvas: snapshot plus the log after it) must not see a
    // compaction land between its two reads.
    return kind == Transaction::Snapshot ? QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                                         : QStringLiteral("BEGIN ISOLATION LEVEL READ COMMITTED");
}

const char *PostgresStorage::dialectSql(Statement which) const
{
    using S = Statement;
    switch (which) {
    case S::LockRoomLastSeq:
        return "SELECT last_seq FROM rooms WHERE room_id = ? FOR UPDATE";
    case S::LockRoom:
        return "SELECT 1 FROM rooms WHERE room_id = ? FOR UPDATE";
    case S::InsertToken:
        // A parameter in a SELECT list has no column to take its type from.
        return "INSERT INTO tokens (token_hash, user_id, expires_at) "
               "SELECT CAST(? AS BYTEA), user_id, CAST(? AS TEXT) FROM users WHERE user_id = ?";
    default:
        return nullptr;
    }
}

bool PostgresStorage::isTransient(const QSqlError &error) const
{
    return isLostRace(error.nativeErrorCode());
}

} // namespace tandem::server
