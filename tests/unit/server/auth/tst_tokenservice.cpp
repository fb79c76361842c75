// Bearer tokens: format, hashing at rest, expiry on an injected clock,
// revocation and removal of the owner.

#include "server/auth/TokenService.h"
#include "server/storage/SqliteStorage.h"
#include "tests/unit/server/storage/RawSqlite.h"
#include "tests/unit/server/storage/ResultText.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

using namespace tandem::server;
using tandem::ManualClock;
using tandem::protocol::ErrorCode;

namespace {
constexpr qint64 ttlSeconds = 3600;
}

class TestTokenService : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void issueThenAuthenticate();
    void tokenIsBase64Url();
    void storeHoldsOnlyTheHash();
    void expiresAfterTtl();
    void revokedTokenIsRefused();
    void revokingUnknownTokenIsNotFound();
    void unknownTokens_data();
    void unknownTokens();
    void removingUserInvalidatesTokens();
    void issuingForUnknownUserFails();
    void purgeDeletesOnlyExpiredTokens();

private:
    QString databasePath() const { return m_dir->filePath(QStringLiteral("tandem.db")); }
    /// Checks that `result` is Unauthorized with exactly `message`.
    static bool isUnauthorized(const tandem::protocol::Result<QString> &result, const QString &message);

    std::unique_ptr<QTemporaryDir> m_dir;
    ManualClock m_clock;
    std::unique_ptr<SqliteStorage> m_storage;
    std::unique_ptr<TokenService> m_tokens;
};

void TestTokenService::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_clock = ManualClock();
    m_storage = std::make_unique<SqliteStorage>(databasePath(), m_clock);
    QVERIFY(m_storage->open());
    QVERIFY(m_storage->addUser(QStringLiteral("ada"), QStringLiteral("$argon2id$not-used-here")));
    m_tokens = std::make_unique<TokenService>(*m_storage, m_clock, ttlSeconds);
}

void TestTokenService::cleanup()
{
    m_tokens.reset();
    m_storage.reset();
    m_dir.reset();
}

bool TestTokenService::isUnauthorized(const tandem::protocol::Result<QString> &result, const QString &message)
{
    if (result) {
        qWarning() << "expected" << message << "but the token was accepted for" << *result;
        return false;
    }
    if (result.error().code != ErrorCode::Unauthorized || result.error().message != message) {
        qWarning() << "expected" << message << "but got" << result.error().message;
        return false;
    }
    return true;
}

void TestTokenService::issueThenAuthenticate()
{
    const auto issued = m_tokens->issue(QStringLiteral("ada"));
    QVERIFY2(issued, errorText(issued).constData());
    QCOMPARE(issued->userId, QStringLiteral("ada"));
    QCOMPARE(issued->expiresAt, m_clock.nowUtc().addSecs(ttlSeconds));

    const auto userId = m_tokens->authenticate(issued->token);
    QVERIFY2(userId, errorText(userId).constData());
    QCOMPARE(*userId, QStringLiteral("ada"));
}

void TestTokenService::tokenIsBase64Url()
{
    static const QRegularExpression base64Url(
        QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z0-9_-]{43}")));
    QSet<QString> seen;
    for (int i = 0; i < 20; ++i) {
        const auto issued = m_tokens->issue(QStringLiteral("ada"));
        QVERIFY(issued);
        QCOMPARE(issued->token.size(), 43);
        QVERIFY2(base64Url.match(issued->token).hasMatch(), qPrintable(issued->token));
        QCOMPARE(QByteArray::fromBase64(issued->token.toLatin1(), QByteArray::Base64UrlEncoding).size(), 32);
        seen.insert(issued->token);
    }
    QCOMPARE(seen.size(), 20);
}

void TestTokenService::storeHoldsOnlyTheHash()
{
    const auto issued = m_tokens->issue(QStringLiteral("ada"));
    QVERIFY(issued);
    const QByteArray expectedHash = TokenService::hashToken(issued->token);
    QCOMPARE(expectedHash.size(), 32);
    {
        const RawSqlite raw(databasePath());
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM tokens")).toInt(), 1);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT token_hash FROM tokens")).toByteArray(), expectedHash);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT typeof(token_hash) FROM tokens")).toString(),
                 QStringLiteral("blob"));
        // No column of any row holds the token text.
        QSqlDatabase db = raw.db();
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("SELECT * FROM tokens")));
        while (query.next()) {
            for (int column = 0; column < query.record().count(); ++column) {
                QVERIFY(query.value(column).toByteArray() != issued->token.toUtf8());
                QVERIFY(!query.value(column).toString().contains(issued->token));
            }
        }
    }
    // Nor do the raw bytes of the database file, once everything is checkpointed into it.
    m_tokens.reset();
    m_storage->close();
    QFile file(databasePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(bytes.contains(expectedHash));
    QVERIFY(!bytes.contains(issued->token.toUtf8()));
}

void TestTokenService::expiresAfterTtl()
{
    const auto issued = m_tokens->issue(QStringLiteral("ada"));
    QVERIFY(issued);
    m_clock.advance(ttlSeconds * 1000 - 1);
    QVERIFY(m_tokens->authenticate(issued->token));
    m_clock.advance(1);
    QVERIFY(isUnauthorized(m_tokens->authenticate(issued->token), QStringLiteral("token expired")));
    m_clock.advance(24 * 3600 * 1000);
    QVERIFY(isUnauthorized(m_tokens->authenticate(issued->token), QStringLiteral("token expired")));
}

void TestTokenService::revokedTokenIsRefused()
{
    const auto issued = m_tokens->issue(QStringLiteral("ada"));
    const auto other = m_tokens->issue(QStringLiteral("ada"));
    QVERIFY(issued);
    QVERIFY(other);
    QVERIFY(m_tokens->revoke(issued->token));
    QVERIFY(isUnauthorized(m_tokens->authenticate(issued->token), QStringLiteral("token revoked")));
    QVERIFY(m_tokens->revoke(issued->token)); // logging out twice is fine
    // Other sessions of the same user are untouched.
    QVERIFY(m_tokens->authenticate(other->token));
}

void TestTokenService::revokingUnknownTokenIsNotFound()
{
    for (const QString &token : {QString(QStringLiteral("A").repeated(43)), QStringLiteral("short")}) {
        const auto revoked = m_tokens->revoke(token);
        QVERIFY(!revoked);
        QCOMPARE(revoked.error().code, ErrorCode::NotFound);
    }
}

void TestTokenService::unknownTokens_data()
{
    QTest::addColumn<QString>("token");
    QTest::addRow("well-formed but never issued") << QStringLiteral("A").repeated(43);
    QTest::addRow("empty") << QString();
    QTest::addRow("too short") << QStringLiteral("abc");
    QTest::addRow("too long") << QStringLiteral("A").repeated(44);
    QTest::addRow("standard base64 characters") << QStringLiteral("+/").repeated(21) + u'A';
    QTest::addRow("with padding") << QStringLiteral("A").repeated(42) + u'=';
    QTest::addRow("non-ASCII") << QStringLiteral("é").repeated(43);
    QTest::addRow("sql-looking") << QStringLiteral("' OR '1'='1").leftJustified(43, u' ');
}

void TestTokenService::unknownTokens()
{
    QFETCH(QString, token);
    QVERIFY(m_tokens->issue(QStringLiteral("ada"))); // the store is not empty
    QVERIFY(isUnauthorized(m_tokens->authenticate(token), QStringLiteral("unknown token")));
}

void TestTokenService::removingUserInvalidatesTokens()
{
    const auto issued = m_tokens->issue(QStringLiteral("ada"));
    QVERIFY(issued);
    QVERIFY(m_storage->removeUser(QStringLiteral("ada")));
    QVERIFY(isUnauthorized(m_tokens->authenticate(issued->token), QStringLiteral("unknown token")));
    // Re-creating the name does not bring the old token back.
    QVERIFY(m_storage->addUser(QStringLiteral("ada"), QStringLiteral("$argon2id$new")));
    QVERIFY(isUnauthorized(m_tokens->authenticate(issued->token), QStringLiteral("unknown token")));
}

void TestTokenService::issuingForUnknownUserFails()
{
    const auto issued = m_tokens->issue(QStringLiteral("ghost"));
    QVERIFY(!issued);
    QCOMPARE(issued.error().code, ErrorCode::NotFound);
    const RawSqlite raw(databasePath());
    QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM tokens")).toInt(), 0);
}

void TestTokenService::purgeDeletesOnlyExpiredTokens()
{
    const auto old = m_tokens->issue(QStringLiteral("ada"));
    QVERIFY(old);
    m_clock.advance(ttlSeconds * 1000 / 2);
    const auto young = m_tokens->issue(QStringLiteral("ada"));
    QVERIFY(young);
    m_clock.advance(ttlSeconds * 1000 / 2);

    const auto purged = m_tokens->purgeExpired();
    QVERIFY(purged);
    QCOMPARE(*purged, 1);
    QVERIFY(isUnauthorized(m_tokens->authenticate(old->token), QStringLiteral("unknown token")));
    QVERIFY(m_tokens->authenticate(young->token));
}

QTEST_GUILESS_MAIN(TestTokenService)
#include "tst_tokenservice.moc"
