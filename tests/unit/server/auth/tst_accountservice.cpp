// Accounts: name rules, password bounds, login results that do not reveal
// which names exist, and removal.

#include "server/auth/AccountService.h"
#include "server/storage/SqliteStorage.h"
#include "tests/unit/server/storage/ResultText.h"

#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

using namespace tandem::server;
using tandem::protocol::ErrorCode;

namespace {
// Cheap parameters keep the suite fast; the defaults are covered by tst_passwordhasher.
const Argon2Params cheap{1, 64, 1};
const QString adaPassword = QStringLiteral("analytical engine");
} // namespace

class TestAccountService : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void userNames_data();
    void userNames();
    void invalidNameIsBadRequest();
    void passwordBounds_data();
    void passwordBounds();
    void takenNameConflicts();
    void storedHashIsArgon2id();
    void loginSucceeds();
    void loginFailures_data();
    void loginFailures();
    void unknownUserAndWrongPasswordLookAlike();
    void unknownUserIsCheckedAgainstDummyHash();
    void loginCheckRunsOnThreadPool();
    void removeAndList();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SqliteStorage> m_storage;
    std::unique_ptr<AccountService> m_accounts;
};

void TestAccountService::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_storage = std::make_unique<SqliteStorage>(m_dir->filePath(QStringLiteral("tandem.db")));
    QVERIFY(m_storage->open());
    m_accounts = std::make_unique<AccountService>(*m_storage, cheap);
    const auto added = m_accounts->addUser(QStringLiteral("ada"), adaPassword);
    QVERIFY2(added, errorText(added).constData());
}

void TestAccountService::cleanup()
{
    m_accounts.reset();
    m_storage.reset();
    m_dir.reset();
}

void TestAccountService::userNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::addRow("letters") << QStringLiteral("bob") << true;
    QTest::addRow("one character") << QStringLiteral("b") << true;
    QTest::addRow("digit first") << QStringLiteral("7of9") << true;
    QTest::addRow("dot, dash, underscore inside") << QStringLiteral("a.b-c_d") << true;
    QTest::addRow("ends with punctuation") << QStringLiteral("bob.") << true;
    QTest::addRow("32 characters") << QStringLiteral("a").repeated(32) << true;
    QTest::addRow("33 characters") << QStringLiteral("a").repeated(33) << false;
    QTest::addRow("empty") << QString() << false;
    QTest::addRow("upper case") << QStringLiteral("Bob") << false;
    QTest::addRow("starts with dot") << QStringLiteral(".bob") << false;
    QTest::addRow("starts with dash") << QStringLiteral("-bob") << false;
    QTest::addRow("starts with underscore") << QStringLiteral("_bob") << false;
    QTest::addRow("space") << QStringLiteral("bo b") << false;
    QTest::addRow("slash") << QStringLiteral("bob/../x") << false;
    QTest::addRow("at sign") << QStringLiteral("bob@example") << false;
    QTest::addRow("non-ASCII letter") << QStringLiteral("zoë") << false;
    QTest::addRow("fullwidth letter") << QStringLiteral("ｂob") << false;
    QTest::addRow("trailing newline") << QStringLiteral("bob\n") << false;
    QTest::addRow("embedded NUL") << QStringLiteral("bob") + QChar(0) + QStringLiteral("x") << false;
}

void TestAccountService::userNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(AccountService::isValidUserName(name), valid);
}

void TestAccountService::invalidNameIsBadRequest()
{
    const auto added = m_accounts->addUser(QStringLiteral("Bad Name"), QStringLiteral("long enough"));
    QVERIFY(!added);
    QCOMPARE(added.error().code, ErrorCode::BadRequest);
    QCOMPARE(m_accounts->listUsers()->size(), 1);
}

void TestAccountService::passwordBounds_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<bool>("accepted");
    QTest::addRow("empty") << QString() << false;
    QTest::addRow("7 characters") << QStringLiteral("1234567") << false;
    QTest::addRow("8 characters") << QStringLiteral("12345678") << true;
    QTest::addRow("1024 characters") << QStringLiteral("x").repeated(1024) << true;
    QTest::addRow("1025 characters") << QStringLiteral("x").repeated(1025) << false;
    // Each emoji is two UTF-16 units but one character.
    QTest::addRow("7 emoji") << QStringLiteral("🔑").repeated(7) << false;
    QTest::addRow("8 emoji") << QStringLiteral("🔑").repeated(8) << true;
    QTest::addRow("1024 emoji") << QStringLiteral("🔑").repeated(1024) << true;
    QTest::addRow("1025 emoji") << QStringLiteral("🔑").repeated(1025) << false;
}

void TestAccountService::passwordBounds()
{
    QFETCH(QString, password);
    QFETCH(bool, accepted);
    const auto added = m_accounts->addUser(QStringLiteral("bob"), password);
    QCOMPARE(bool(added), accepted);
    if (accepted) {
        QCOMPARE(*m_accounts->verifyLogin(QStringLiteral("bob"), password), QStringLiteral("bob"));
    } else {
        QCOMPARE(added.error().code, ErrorCode::BadRequest);
        QVERIFY(!m_storage->findUser(QStringLiteral("bob"))->has_value());
    }
}

void TestAccountService::takenNameConflicts()
{
    const auto again = m_accounts->addUser(QStringLiteral("ada"), QStringLiteral("another password"));
    QVERIFY(!again);
    QCOMPARE(again.error().code, ErrorCode::Conflict);
    // The original password still works.
    QVERIFY(m_accounts->verifyLogin(QStringLiteral("ada"), adaPassword));
}

void TestAccountService::storedHashIsArgon2id()
{
    const auto user = m_storage->findUser(QStringLiteral("ada"));
    QVERIFY(user && user->has_value());
    QVERIFY((*user)->passwordHash.startsWith(QLatin1String("$argon2id$v=19$m=64,t=1,p=1$")));
    QVERIFY(!(*user)->passwordHash.contains(adaPassword));
}

void TestAccountService::loginSucceeds()
{
    const auto userId = m_accounts->verifyLogin(QStringLiteral("ada"), adaPassword);
    QVERIFY2(userId, errorText(userId).constData());
    QCOMPARE(*userId, QStringLiteral("ada"));
}

void TestAccountService::loginFailures_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("password");
    QTest::addRow("wrong password") << QStringLiteral("ada") << QStringLiteral("analytical engine!");
    QTest::addRow("empty password") << QStringLiteral("ada") << QString();
    QTest::addRow("unknown user") << QStringLiteral("bob") << adaPassword;
    QTest::addRow("other case of the name") << QStringLiteral("Ada") << adaPassword;
    QTest::addRow("invalid name") << QStringLiteral("ada; DROP TABLE users") << adaPassword;
    QTest::addRow("empty name") << QString() << adaPassword;
}

void TestAccountService::loginFailures()
{
    QFETCH(QString, name);
    QFETCH(QString, password);
    const auto result = m_accounts->verifyLogin(name, password);
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::Unauthorized);
    QCOMPARE(result.error().message, QStringLiteral("invalid username or password"));
}

void TestAccountService::unknownUserAndWrongPasswordLookAlike()
{
    const auto wrongPassword =
        m_accounts->verifyLogin(QStringLiteral("ada"), QStringLiteral("not her password"));
    const auto unknownUser =
        m_accounts->verifyLogin(QStringLiteral("nobody"), QStringLiteral("not her password"));
    QVERIFY(!wrongPassword);
    QVERIFY(!unknownUser);
    QCOMPARE(wrongPassword.error().code, unknownUser.error().code);
    QCOMPARE(wrongPassword.error().message, unknownUser.error().message);
}

void TestAccountService::unknownUserIsCheckedAgainstDummyHash()
{
    // The unknown user's check runs Argon2 with the same parameters as a real
    // user's, so it takes as long.
    const auto candidate = m_accounts->loginCandidate(QStringLiteral("nobody"));
    QVERIFY(candidate);
    QVERIFY(candidate->userId.isEmpty());
    QVERIFY(!candidate->exists);
    QVERIFY2(candidate->passwordHash.startsWith(QLatin1String("$argon2id$v=19$m=64,t=1,p=1$")),
             qPrintable(candidate->passwordHash));
    const auto invalidName = m_accounts->loginCandidate(QStringLiteral("Not Valid"));
    QVERIFY(invalidName);
    QCOMPARE(invalidName->passwordHash, candidate->passwordHash);
    // No password opens the dummy.
    for (const QString &guess : {QString(), adaPassword, QStringLiteral("password")})
        QVERIFY(!AccountService::checkLogin(*candidate, guess));
}

void TestAccountService::loginCheckRunsOnThreadPool()
{
    // The storage half on this thread, the Argon2 half on the pool.
    const auto candidate = m_accounts->loginCandidate(QStringLiteral("ada"));
    QVERIFY(candidate);
    QVERIFY(candidate->exists);
    const LoginCandidate login = *candidate;
    auto right = QtConcurrent::run([login] { return AccountService::checkLogin(login, adaPassword); });
    auto wrong =
        QtConcurrent::run([login] { return AccountService::checkLogin(login, QStringLiteral("nope")); });
    const auto rightResult = right.result();
    const auto wrongResult = wrong.result();
    QVERIFY(rightResult);
    QCOMPARE(*rightResult, QStringLiteral("ada"));
    QVERIFY(!wrongResult);
    QCOMPARE(wrongResult.error().code, ErrorCode::Unauthorized);
}

void TestAccountService::removeAndList()
{
    QVERIFY(m_accounts->addUser(QStringLiteral("bob"), QStringLiteral("builder-bob")));
    auto users = m_accounts->listUsers();
    QVERIFY(users);
    QCOMPARE(users->size(), 2);
    QCOMPARE(users->at(0).userId, QStringLiteral("ada"));
    QCOMPARE(users->at(1).userId, QStringLiteral("bob"));

    QVERIFY(m_accounts->removeUser(QStringLiteral("ada")));
    const auto login = m_accounts->verifyLogin(QStringLiteral("ada"), adaPassword);
    QVERIFY(!login);
    QCOMPARE(login.error().code, ErrorCode::Unauthorized);
    users = m_accounts->listUsers();
    QCOMPARE(users->size(), 1);

    const auto again = m_accounts->removeUser(QStringLiteral("ada"));
    QVERIFY(!again);
    QCOMPARE(again.error().code, ErrorCode::NotFound);
}

QTEST_GUILESS_MAIN(TestAccountService)
#include "tst_accountservice.moc"
