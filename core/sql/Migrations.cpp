#include "core/sql/Migrations.h"

#include "core/sql/SqlLog.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace tandem::sql {

using protocol::ErrorCode;
using protocol::fail;

namespace {

Unexpected<protocol::Error> migrationFailure(QString message)
{
    qCWarning(lcSql).noquote() << message;
    return fail(ErrorCode::Internal, std::move(message));
}

bool execute(QSqlQuery &query, const QString &sql)
{
    query.finish();
    return query.exec(sql);
}

} // namespace

Result<int> schemaVersion(QSqlDatabase &db)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return migrationFailure(
            QStringLiteral("cannot read the schema version: %1").arg(query.lastError().text()));
    return query.value(0).toInt();
}

Result<void> applyMigrations(QSqlDatabase &db, const QList<QStringList> &steps)
{
    const Result<int> initial = schemaVersion(db);
    if (!initial)
        return unexpected(initial.error());
    if (*initial > steps.size()) {
        return migrationFailure(
            QStringLiteral("the database has schema version %1 but this program knows only "
                           "versions up to %2; it was written by a newer version, refusing "
                           "to open it")
                .arg(*initial)
                .arg(steps.size()));
    }

    for (int version = *initial + 1; version <= steps.size(); ++version) {
        QSqlQuery query(db);
        // IMMEDIATE takes the write lock before reading the version, so two
        // servers starting on one file cannot both run the same step.
        if (!execute(query, QStringLiteral("BEGIN IMMEDIATE"))) {
            return migrationFailure(QStringLiteral("migration step %1: cannot begin: %2")
                                        .arg(version)
                                        .arg(query.lastError().text()));
        }
        const auto rollback = [&](const QString &reason) {
            const QString sqlError = query.lastError().text();
            query.finish();
            QSqlQuery rollbackQuery(db);
            if (!rollbackQuery.exec(QStringLiteral("ROLLBACK")))
                qCWarning(lcSql) << "rollback failed:" << rollbackQuery.lastError().text();
            return migrationFailure(
                QStringLiteral("migration step %1 failed: %2: %3").arg(version).arg(reason, sqlError));
        };

        if (!execute(query, QStringLiteral("PRAGMA user_version")) || !query.next())
            return rollback(QStringLiteral("cannot read the schema version"));
        const bool alreadyApplied = query.value(0).toInt() >= version;
        query.finish();

        if (!alreadyApplied) {
            for (const QString &statement : steps.at(version - 1)) {
                if (!execute(query, statement))
                    return rollback(statement.simplified());
            }
            // PRAGMA takes no bound parameters; the value is our own loop counter.
            if (!execute(query, QStringLiteral("PRAGMA user_version = %1").arg(version)))
                return rollback(QStringLiteral("cannot set the schema version"));
        }
        if (!execute(query, QStringLiteral("COMMIT")))
            return rollback(QStringLiteral("cannot commit"));
        if (!alreadyApplied)
            qCInfo(lcSql) << "database schema migrated to version" << version;
    }
    return {};
}

} // namespace tandem::sql
