#pragma once
// The store a storage contract test runs against. One test source builds two
// executables: without a definition it runs on SQLite files; with
// TANDEM_STORAGE_BACKEND_POSTGRES on a PostgreSQL server the test starts
// itself (tests/support/PostgresProcess), one fresh database per test function.

#include "core/common/Clock.h"
#include "server/storage/SqlStorage.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QVariant>

#include <memory>

#ifdef TANDEM_STORAGE_BACKEND_POSTGRES
#include "server/storage/PostgresStorage.h"
#include "tests/support/PostgresProcess.h"
#else
#include "server/storage/SqliteStorage.h"
#endif

class StorageBackend {
public:
#ifdef TANDEM_STORAGE_BACKEND_POSTGRES
    static constexpr bool IsPostgres = true;
    static constexpr const char *RawDriver = "QPSQL";
#else
    static constexpr bool IsPostgres = false;
    static constexpr const char *RawDriver = "QSQLITE";
#endif

    ~StorageBackend()
    {
        QSqlDatabase::removeDatabase(rawConnectionName());
    }

    /// A fresh, empty store for the next test function; false (with error()) if there is none.
    bool reset()
    {
        QSqlDatabase::removeDatabase(rawConnectionName());
        ++m_generation;
#ifdef TANDEM_STORAGE_BACKEND_POSTGRES
        if (!server().isRunning() && !server().start())
            return false;
        return server().createDatabase(databaseName());
#else
        m_dir = std::make_unique<QTemporaryDir>();
        return m_dir->isValid();
#endif
    }

    /// A new connection to the current store (as another thread or server would
    /// have), not yet opened.
    std::unique_ptr<tandem::server::SqlStorage> create(const tandem::Clock &clock) const
    {
#ifdef TANDEM_STORAGE_BACKEND_POSTGRES
        auto location = tandem::server::PostgresLocation::fromUrl(url());
        return std::make_unique<tandem::server::PostgresStorage>(*location, clock);
#else
        return std::make_unique<tandem::server::SqliteStorage>(databasePath(), clock);
#endif
    }

    /// create() and open(); null (with a warning) if it did not open.
    std::unique_ptr<tandem::server::SqlStorage> open(const tandem::Clock &clock) const
    {
        auto storage = create(clock);
        const auto opened = storage->open();
        if (!opened)
            qWarning() << opened.error().message;
        return opened ? std::move(storage) : nullptr;
    }

    /// Runs `sql` on a plain connection of the test's own, so a test checks what
    /// is really stored instead of trusting the class under test. The first
    /// column of the first row; invalid if none or on error.
    QVariant scalar(const QString &sql)
    {
        QSqlDatabase db = QSqlDatabase::database(rawConnectionName(), false);
        if (!db.isValid()) {
            db = QSqlDatabase::addDatabase(QLatin1String(RawDriver), rawConnectionName());
#ifdef TANDEM_STORAGE_BACKEND_POSTGRES
            db.setHostName(QStringLiteral("127.0.0.1"));
            db.setPort(server().port());
            db.setUserName(QLatin1String(tandem::test::PostgresProcess::User));
            db.setDatabaseName(databaseName());
#else
            db.setDatabaseName(databasePath());
#endif
        }
        if (!db.isOpen() && !db.open()) {
            qWarning() << "raw connection:" << db.lastError().text();
            return {};
        }
        QSqlQuery query(db);
        if (!query.exec(sql)) {
            qWarning() << sql << query.lastError().text();
            return {};
        }
        return query.next() ? query.value(0) : QVariant();
    }

    /// For cleanupTestCase: stops the PostgreSQL server while Qt is still up.
    static void shutdown()
    {
#ifdef TANDEM_STORAGE_BACKEND_POSTGRES
        server().stop();
#endif
    }

    /// Closes the raw connection, so that the store can be closed or dropped.
    void closeRaw()
    {
        QSqlDatabase::removeDatabase(rawConnectionName());
    }

#ifdef TANDEM_STORAGE_BACKEND_POSTGRES
    QString error() const
    {
        return server().errorString();
    }
    QString url() const
    {
        return server().url(databaseName());
    }
    static tandem::test::PostgresProcess &server()
    {
        static tandem::test::PostgresProcess process;
        return process;
    }
#else
    QString error() const
    {
        return QStringLiteral("cannot create a temporary folder");
    }
    QString databasePath() const
    {
        return m_dir->filePath(QStringLiteral("data/tandem.db"));
    }
    QString folder() const
    {
        return m_dir->path();
    }
#endif

private:
    QString databaseName() const
    {
        return QStringLiteral("contract_%1").arg(m_generation);
    }
    QString rawConnectionName() const
    {
        return QStringLiteral("raw-store-%1").arg(m_generation);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    int m_generation = 0;
};
