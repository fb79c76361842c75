#pragma once
// A second, plain connection to a database file, so tests can check what is
// really on disk instead of trusting the class under test.

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QTest>
#include <QVariant>

class RawSqlite {
public:
    explicit RawSqlite(const QString &path)
        : m_name(QStringLiteral("raw-sqlite-%1").arg(++s_counter))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        if (!db.open())
            qWarning() << "cannot open" << path << db.lastError().text();
    }
    ~RawSqlite() { QSqlDatabase::removeDatabase(m_name); }
    RawSqlite(const RawSqlite &) = delete;
    RawSqlite &operator=(const RawSqlite &) = delete;

    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }

    /// Runs `sql` and returns the first column of the first row (invalid if none or on error).
    QVariant scalar(const QString &sql) const
    {
        QSqlDatabase database = db();
        QSqlQuery query(database);
        if (!query.exec(sql)) {
            qWarning() << sql << query.lastError().text();
            return {};
        }
        return query.next() ? query.value(0) : QVariant();
    }

    bool exec(const QString &sql) const
    {
        QSqlDatabase database = db();
        QSqlQuery query(database);
        const bool ok = query.exec(sql);
        if (!ok)
            qWarning() << sql << query.lastError().text();
        return ok;
    }

    bool hasTable(const QString &table) const
    {
        QSqlDatabase database = db();
        QSqlQuery query(database);
        query.prepare(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"));
        query.addBindValue(table);
        return query.exec() && query.next() && query.value(0).toInt() == 1;
    }

    int userVersion() const { return scalar(QStringLiteral("PRAGMA user_version")).toInt(); }

private:
    static inline int s_counter = 0;
    QString m_name;
};
