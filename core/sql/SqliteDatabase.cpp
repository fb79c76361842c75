#include "core/sql/SqliteDatabase.h"

#include "core/sql/SqlLog.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>

Q_LOGGING_CATEGORY(tandem::sql::lcSql, "tandem.sql")

namespace tandem::sql {

using protocol::ErrorCode;
using protocol::fail;

SqliteDatabase::~SqliteDatabase()
{
    close();
}

Result<void> SqliteDatabase::open(const QString &path, const QString &purpose)
{
    if (isOpen())
        return {};
    m_purpose = purpose;
    const auto failOpen = [this](const QString &message) {
        qCWarning(lcSql).noquote() << message;
        close();
        return fail(ErrorCode::Internal, message);
    };

    const QFileInfo file(path);
    if (!QDir().mkpath(file.absolutePath()))
        return failOpen(QStringLiteral("%1: cannot create the folder %2")
                            .arg(purpose, QDir::toNativeSeparators(file.absolutePath())));

    static std::atomic<quint64> connectionCounter{0};
    m_connectionName = QStringLiteral("tandem-%1-%2").arg(purpose).arg(connectionCounter.fetch_add(1));
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    if (!m_db.isValid())
        return failOpen(QStringLiteral("%1: the Qt SQLite driver (QSQLITE) is not available").arg(purpose));
    m_db.setDatabaseName(path);
    if (!m_db.open())
        return failOpen(QStringLiteral("%1: cannot open %2: %3")
                            .arg(purpose, QDir::toNativeSeparators(path), m_db.lastError().text()));

    QSqlQuery pragma(m_db);
    if (!pragma.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !pragma.next() ||
        pragma.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
        const QString error = pragma.lastError().text();
        pragma = QSqlQuery();
        return failOpen(QStringLiteral("%1: cannot switch %2 to WAL mode: %3")
                            .arg(purpose, QDir::toNativeSeparators(path), error));
    }
    pragma.finish();
    const QStringList settings{
        QStringLiteral("PRAGMA synchronous = FULL"),
        QStringLiteral("PRAGMA foreign_keys = ON"),
        QStringLiteral("PRAGMA busy_timeout = 5000"),
    };
    for (const QString &setting : settings) {
        if (!pragma.exec(setting)) {
            const QString error = pragma.lastError().text();
            pragma = QSqlQuery();
            return failOpen(QStringLiteral("%1: %2 failed: %3").arg(purpose, setting, error));
        }
        pragma.finish();
    }
    return {};
}

void SqliteDatabase::close()
{
    if (m_connectionName.isEmpty())
        return;
    if (m_db.isOpen()) {
        QSqlQuery checkpoint(m_db);
        if (!checkpoint.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")))
            qCWarning(lcSql) << m_purpose
                             << "WAL checkpoint on close failed:" << checkpoint.lastError().text();
    }
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

} // namespace tandem::sql
