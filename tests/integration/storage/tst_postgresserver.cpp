// tandem-server on PostgreSQL, as an admin runs it: selected by the config
// file's [storage] database or by --database, a chat round trip, a restart
// that resumes with `since` and still knows every cid, two servers on one
// database sharing one gap-free log, and a clean exit when the database
// cannot be reached.

#include "tests/support/PostgresProcess.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace tandem::test;

namespace {

QJsonObject payloadOf(const QJsonObject &message)
{
    return message.value(QLatin1String("payload")).toObject();
}

qint64 seqOf(const QJsonObject &message)
{
    return message.value(QLatin1String("seq")).toInteger();
}

} // namespace

class TestPostgresServer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void chatRoundTripAndRestartResume();
    void twoServersShareOneLog();
    void databaseFlagSelectsPostgres();
    void unreachableDatabaseExitsCleanly();
    void badDatabaseSettingIsUsageError();

private:
    QStringList storageConfig() const
    {
        return {QStringLiteral("[storage]"), QStringLiteral("database=%1").arg(m_postgres.url(m_database))};
    }
    /// The first column of the first row of `sql`, read straight from the database.
    QVariant scalar(const QString &sql);

    PostgresProcess m_postgres;
    QString m_database = QStringLiteral("tandem");
};

void TestPostgresServer::initTestCase()
{
    QVERIFY2(m_postgres.start(), qPrintable(m_postgres.errorString()));
    QVERIFY2(m_postgres.createDatabase(m_database), qPrintable(m_postgres.errorString()));
}

void TestPostgresServer::cleanupTestCase()
{
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    m_postgres.stop();
}

QVariant TestPostgresServer::scalar(const QString &sql)
{
    QSqlDatabase db = QSqlDatabase::database(QStringLiteral("raw"), false);
    if (!db.isValid()) {
        db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("raw"));
        db.setHostName(QStringLiteral("127.0.0.1"));
        db.setPort(m_postgres.port());
        db.setUserName(QLatin1String(PostgresProcess::User));
        db.setDatabaseName(m_database);
    }
    if (!db.isOpen() && !db.open())
        return {};
    QSqlQuery query(db);
    if (!query.exec(sql) || !query.next()) {
        qWarning() << sql << query.lastError().text();
        return {};
    }
    return query.value(0);
}

void TestPostgresServer::chatRoundTripAndRestartResume()
{
    ServerProcess server(storageConfig());
    QVERIFY(server.addUser(QStringLiteral("ada")));
    QVERIFY(server.addUser(QStringLiteral("bob")));
    QVERIFY(server.start());

    TestClient ada, bob;
    QVERIFY(ada.connectAndAuthenticate(server.wsUrl(), server.login(QStringLiteral("ada"))));
    QVERIFY(bob.connectAndAuthenticate(server.wsUrl(), server.login(QStringLiteral("bob"))));
    QVERIFY(ada.join(QStringLiteral("general")));
    QVERIFY(bob.join(QStringLiteral("general")));
    const auto ack = ada.chat(QStringLiteral("general"), QStringLiteral("hello from postgres"),
                              QStringLiteral("cid-hello"));
    QVERIFY(ack);
    QCOMPARE(ack->value(QLatin1String("seq")).toInteger(), 1);
    const auto delivered = bob.take(QStringLiteral("chat:message"));
    QVERIFY(delivered);
    QCOMPARE(payloadOf(*delivered).value(QLatin1String("text")).toString(),
             QStringLiteral("hello from postgres"));

    // It is in PostgreSQL, and the data folder holds no SQLite file.
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM events WHERE room_id = 'general'")).toInt(), 1);
    QCOMPARE(scalar(QStringLiteral("SELECT cid FROM events WHERE seq = 1")).toString(),
             QStringLiteral("cid-hello"));
    QVERIFY(!QFile::exists(server.dataDir() + QStringLiteral("/tandem.db")));

    // Bob drops off, Ada writes on, the server restarts where clients expect it.
    bob.socket().close();
    QVERIFY(bob.waitForClose());
    for (int i = 0; i < 3; ++i)
        QVERIFY(ada.chat(QStringLiteral("general"), QStringLiteral("missed %1").arg(i)));
    const quint16 port = server.port();
    QCOMPARE(server.terminate(), 0);
    QVERIFY(server.start(port));

    TestClient bobAgain;
    QVERIFY(bobAgain.connectAndAuthenticate(server.wsUrl(), server.login(QStringLiteral("bob"))));
    const auto joined = bobAgain.join(QStringLiteral("general"), 1);
    QVERIFY(joined);
    QVERIFY(payloadOf(*joined).value(QLatin1String("recovered")).toBool());
    QCOMPARE(payloadOf(*joined).value(QLatin1String("lastSeq")).toInteger(), 4);
    const QList<QJsonObject> replayed = bobAgain.received(QStringLiteral("chat:message"));
    QCOMPARE(replayed.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(seqOf(replayed.at(i)), 2 + i);
        QCOMPARE(payloadOf(replayed.at(i)).value(QLatin1String("text")).toString(),
                 QStringLiteral("missed %1").arg(i));
    }

    // The cid survived the restart: a re-send is answered with the original.
    TestClient adaAgain;
    QVERIFY(adaAgain.connectAndAuthenticate(server.wsUrl(), server.login(QStringLiteral("ada"))));
    QVERIFY(adaAgain.join(QStringLiteral("general"), 4));
    const auto resent = adaAgain.chat(QStringLiteral("general"), QStringLiteral("hello from postgres"),
                                      QStringLiteral("cid-hello"));
    QVERIFY(resent);
    QCOMPARE(resent->value(QLatin1String("seq")).toInteger(), 1);
    QCOMPARE(resent->value(QLatin1String("messageId")).toString(),
             ack->value(QLatin1String("messageId")).toString());
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM events WHERE room_id = 'general'")).toInt(), 4);
    QCOMPARE(server.terminate(), 0);
}

void TestPostgresServer::twoServersShareOneLog()
{
    // Two instances, two data folders, one database: accounts, rooms and the
    // log are shared, and seq stays one gap-free sequence across both.
    ServerProcess first(storageConfig());
    ServerProcess second(storageConfig());
    QVERIFY(first.addUser(QStringLiteral("cy")));
    QVERIFY(first.start());
    QVERIFY(second.start());

    TestClient onFirst, onSecond;
    QVERIFY(onFirst.connectAndAuthenticate(first.wsUrl(), first.login(QStringLiteral("cy"))));
    QVERIFY(onSecond.connectAndAuthenticate(second.wsUrl(), second.login(QStringLiteral("cy"))));
    QVERIFY(onFirst.join(QStringLiteral("shared")));
    QVERIFY(onSecond.join(QStringLiteral("shared")));
    QList<qint64> seqs;
    for (int i = 0; i < 6; ++i) {
        TestClient &writer = i % 2 == 0 ? onFirst : onSecond;
        const auto ack = writer.chat(QStringLiteral("shared"), QStringLiteral("turn %1").arg(i));
        QVERIFY(ack);
        seqs.append(ack->value(QLatin1String("seq")).toInteger());
    }
    QCOMPARE(seqs, (QList<qint64>{1, 2, 3, 4, 5, 6}));

    // A client of either server catches up from the shared store with `since`.
    TestClient late;
    QVERIFY(late.connectAndAuthenticate(second.wsUrl(), second.login(QStringLiteral("cy"))));
    const auto joined = late.join(QStringLiteral("shared"), 0);
    QVERIFY(joined);
    QCOMPARE(payloadOf(*joined).value(QLatin1String("lastSeq")).toInteger(), 6);
    const QList<QJsonObject> replayed = late.received(QStringLiteral("chat:message"));
    QCOMPARE(replayed.size(), 6);
    for (int i = 0; i < 6; ++i)
        QCOMPARE(payloadOf(replayed.at(i)).value(QLatin1String("text")).toString(),
                 QStringLiteral("turn %1").arg(i));
    QCOMPARE(first.terminate(), 0);
    QCOMPARE(second.terminate(), 0);
}

void TestPostgresServer::databaseFlagSelectsPostgres()
{
    // No [storage] in this config: the flag alone picks PostgreSQL.
    ServerProcess server;
    const QString url = m_postgres.url(m_database);
    const auto added = server.runCommand({QStringLiteral("user"), QStringLiteral("add"),
                                          QStringLiteral("dee"), QStringLiteral("--database"), url},
                                         "correct horse\n");
    QVERIFY2(added.first == 0, qPrintable(added.second));
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM users WHERE user_id = 'dee'")).toInt(), 1);
    QVERIFY(!QFile::exists(server.dataDir() + QStringLiteral("/tandem.db")));

    const auto listed = server.runCommand(
        {QStringLiteral("user"), QStringLiteral("list"), QStringLiteral("--database"), url});
    QCOMPARE(listed.first, 0);
    QVERIFY2(listed.second.contains(QStringLiteral("dee\t")), qPrintable(listed.second));
    // Without the flag the same folder is SQLite, where dee does not exist.
    const auto local = server.runCommand({QStringLiteral("user"), QStringLiteral("list")});
    QCOMPARE(local.first, 0);
    QVERIFY(!local.second.contains(QStringLiteral("dee\t")));
}

void TestPostgresServer::unreachableDatabaseExitsCleanly()
{
    ServerProcess server;
    // Port 1 on this machine: nothing listens, the connection is refused at once.
    const auto served = server.runCommand(
        {QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
         QStringLiteral("--database"),
         QStringLiteral("postgresql://tandem:hunter2@127.0.0.1:1/tandem?connect_timeout=5")});
    QCOMPARE(served.first, 1); // a typed error and exit 1: no crash, no hang
    QVERIFY2(served.second.contains(QStringLiteral("cannot connect to PostgreSQL at 127.0.0.1:1/tandem")),
             qPrintable(served.second));
    QVERIFY(!served.second.contains(QStringLiteral("hunter2")));
    QVERIFY(!served.second.contains(QStringLiteral("listening on")));
}

void TestPostgresServer::badDatabaseSettingIsUsageError()
{
    ServerProcess server({QStringLiteral("[storage]"), QStringLiteral("database=mysql://u:secret@host/db")});
    const auto fromFile = server.runCommand({QStringLiteral("serve")});
    QCOMPARE(fromFile.first, 2);
    QVERIFY2(fromFile.second.contains(QStringLiteral("storage/database")), qPrintable(fromFile.second));
    QVERIFY(!fromFile.second.contains(QStringLiteral("secret")));

    ServerProcess plain;
    const auto fromFlag = plain.runCommand({QStringLiteral("serve"), QStringLiteral("--database"),
                                            QStringLiteral("postgresql://host-without-db")});
    QCOMPARE(fromFlag.first, 2);
    QVERIFY2(fromFlag.second.contains(QStringLiteral("names a host and a database")),
             qPrintable(fromFlag.second));
}

QTEST_GUILESS_MAIN(TestPostgresServer)
#include "tst_postgresserver.moc"
