// Schema migrations keyed on PRAGMA user_version: fresh databases, re-opens,
// failing steps and databases from a newer server.

#include "core/sql/Migrations.h"
#include "server/storage/SqliteStorage.h"
#include "tests/unit/server/storage/RawSqlite.h"
#include "tests/unit/server/storage/ResultText.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace tandem::server;
using namespace tandem::sql;
using tandem::protocol::ErrorCode;

class TestMigrations : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void freshDatabaseReachesLatestVersion();
    void reopenIsNoOp();
    void appliesOnlyMissingSteps();
    void failingStepRollsBack_data();
    void failingStepRollsBack();
    void newerVersionIsRefused();
    void storageRefusesNewerDatabase();
    void walModeIsOn();

private:
    QString databasePath() const { return m_dir->filePath(QStringLiteral("tandem.db")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestMigrations::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestMigrations::freshDatabaseReachesLatestVersion()
{
    {
        SqliteStorage storage(databasePath());
        const auto opened = storage.open();
        QVERIFY2(opened, errorText(opened).constData());
    }
    const RawSqlite raw(databasePath());
    QCOMPARE(raw.userVersion(), static_cast<int>(SqliteStorage::schemaSteps().size()));
    for (const char *table : {"users", "tokens", "rooms", "room_members", "events"})
        QVERIFY2(raw.hasTable(QLatin1String(table)), table);
    QCOMPARE(
        raw.scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = 'events_by_user_cid'"))
            .toInt(),
        1);
}

void TestMigrations::reopenIsNoOp()
{
    // Not idempotent SQL: running the step twice would fail with "table t already exists".
    const QList<QStringList> steps{{QStringLiteral("CREATE TABLE t (x INTEGER)")}};
    const RawSqlite raw(databasePath());
    QSqlDatabase db = raw.db();
    QVERIFY(applyMigrations(db, steps));
    QVERIFY(raw.exec(QStringLiteral("INSERT INTO t VALUES (42)")));
    const auto again = applyMigrations(db, steps);
    QVERIFY2(again, errorText(again).constData());
    QCOMPARE(raw.userVersion(), 1);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT x FROM t")).toInt(), 42);

    // The real schema, through SqliteStorage, opened three times.
    for (int round = 0; round < 3; ++round) {
        SqliteStorage storage(m_dir->filePath(QStringLiteral("real.db")));
        const auto opened = storage.open();
        QVERIFY2(opened, errorText(opened).constData());
    }
}

void TestMigrations::appliesOnlyMissingSteps()
{
    const RawSqlite raw(databasePath());
    QSqlDatabase db = raw.db();
    QVERIFY(applyMigrations(db, {{QStringLiteral("CREATE TABLE a (x)")}}));
    QCOMPARE(raw.userVersion(), 1);
    QVERIFY(applyMigrations(
        db, {{QStringLiteral("CREATE TABLE a (x)")},
             {QStringLiteral("CREATE TABLE b (y)"), QStringLiteral("INSERT INTO b VALUES (1)")}}));
    QCOMPARE(raw.userVersion(), 2);
    QVERIFY(raw.hasTable(QStringLiteral("b")));
    QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM b")).toInt(), 1);
}

void TestMigrations::failingStepRollsBack_data()
{
    QTest::addColumn<QString>("failingStatement");
    QTest::addRow("syntax error") << QStringLiteral("CREATE TABLE broken (");
    QTest::addRow("unknown table") << QStringLiteral("INSERT INTO missing VALUES (1)");
    QTest::addRow("constraint violation") << QStringLiteral("INSERT INTO partial VALUES (1)");
}

void TestMigrations::failingStepRollsBack()
{
    QFETCH(QString, failingStatement);
    const RawSqlite raw(databasePath());
    QSqlDatabase db = raw.db();
    const QList<QStringList> steps{
        {QStringLiteral("CREATE TABLE first (x)")},
        {QStringLiteral("CREATE TABLE partial (x INTEGER PRIMARY KEY)"),
         QStringLiteral("INSERT INTO partial VALUES (1)"), failingStatement},
    };
    // The operator learns about it in the log, too.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^migration step 2 failed: ")));
    const auto result = applyMigrations(db, steps);
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::Internal);
    QVERIFY2(result.error().message.contains(QLatin1String("step 2")), errorText(result).constData());

    QCOMPARE(raw.userVersion(), 1);
    QVERIFY(raw.hasTable(QStringLiteral("first")));
    QVERIFY(!raw.hasTable(QStringLiteral("partial")));
    // The connection is usable afterwards: no transaction was left open.
    QVERIFY(raw.exec(QStringLiteral("BEGIN")));
    QVERIFY(raw.exec(QStringLiteral("ROLLBACK")));
}

void TestMigrations::newerVersionIsRefused()
{
    const RawSqlite raw(databasePath());
    QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 7")));
    QSqlDatabase db = raw.db();
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("schema version 7 .* newer version")));
    const auto result = applyMigrations(db, {{QStringLiteral("CREATE TABLE a (x)")}});
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::Internal);
    QVERIFY2(result.error().message.contains(QLatin1String("newer")), errorText(result).constData());
    QCOMPARE(raw.userVersion(), 7);
    QVERIFY(!raw.hasTable(QStringLiteral("a")));
}

void TestMigrations::storageRefusesNewerDatabase()
{
    {
        const RawSqlite raw(databasePath());
        QVERIFY(raw.exec(
            QStringLiteral("PRAGMA user_version = %1").arg(SqliteStorage::schemaSteps().size() + 1)));
    }
    SqliteStorage storage(databasePath());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("newer version")));
    const auto opened = storage.open();
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, ErrorCode::Internal);
    QVERIFY(!storage.isOpen());
    QVERIFY(!storage.findUser(QStringLiteral("ada")));
}

void TestMigrations::walModeIsOn()
{
    SqliteStorage storage(databasePath());
    QVERIFY(storage.open());
    const RawSqlite raw(databasePath());
    // WAL is a property of the file, so a second connection sees it.
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
}

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
