// Argon2id hashing: round trips, salting, the encoded format, and refusal of
// malformed or hostile encoded strings.

#include "server/auth/PasswordHasher.h"
#include "tests/unit/server/storage/ResultText.h"

#include <QTest>

using namespace tandem::server;
using tandem::protocol::ErrorCode;

namespace {
// Cheap parameters keep the suite fast; one test uses the defaults.
const Argon2Params cheap{1, 64, 1};
} // namespace

class TestPasswordHasher : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaultParamsRoundTrip();
    void roundTrip_data();
    void roundTrip();
    void wrongPasswordFails();
    void saltMakesHashesDiffer();
    void garbageEncodingsAreRejected_data();
    void garbageEncodingsAreRejected();
    void outOfRangeParamsAreRefused_data();
    void outOfRangeParamsAreRefused();
};

void TestPasswordHasher::defaultParamsRoundTrip()
{
    const auto hash = PasswordHasher::hash(QStringLiteral("correct horse battery staple"));
    QVERIFY2(hash, errorText(hash).constData());
    // OWASP's minimum: 19 MiB, two passes, one lane.
    QVERIFY2(hash->startsWith(QLatin1String("$argon2id$v=19$m=19456,t=2,p=1$")), qPrintable(*hash));
    QVERIFY(PasswordHasher::verify(*hash, QStringLiteral("correct horse battery staple")));
    QVERIFY(!PasswordHasher::verify(*hash, QStringLiteral("correct horse battery stapler")));
}

void TestPasswordHasher::roundTrip_data()
{
    QTest::addColumn<QString>("password");
    QTest::addRow("ascii") << QStringLiteral("hunter2hunter2");
    QTest::addRow("empty") << QString();
    QTest::addRow("non-ascii") << QStringLiteral("pässwörd-日本語");
    QTest::addRow("emoji") << QStringLiteral("🔑🔒👩‍💻");
    QTest::addRow("long") << QString(1024, u'x');
    QTest::addRow("spaces kept") << QStringLiteral("  padded  ");
}

void TestPasswordHasher::roundTrip()
{
    QFETCH(QString, password);
    const auto hash = PasswordHasher::hash(password, cheap);
    QVERIFY2(hash, errorText(hash).constData());
    QVERIFY(hash->startsWith(QLatin1String("$argon2id$")));
    if (!password.isEmpty())
        QVERIFY(!hash->contains(password));
    QVERIFY(PasswordHasher::verify(*hash, password));
}

void TestPasswordHasher::wrongPasswordFails()
{
    const auto hash = PasswordHasher::hash(QStringLiteral("secret-password"), cheap);
    QVERIFY(hash);
    for (const QString &wrong : {QStringLiteral("secret-passwore"), QStringLiteral("Secret-password"),
                                 QStringLiteral("secret-password "), QString()}) {
        QVERIFY2(!PasswordHasher::verify(*hash, wrong), qPrintable(wrong));
    }
}

void TestPasswordHasher::saltMakesHashesDiffer()
{
    const auto first = PasswordHasher::hash(QStringLiteral("same password"), cheap);
    const auto second = PasswordHasher::hash(QStringLiteral("same password"), cheap);
    QVERIFY(first);
    QVERIFY(second);
    QVERIFY(*first != *second);
    // The salt is the fourth $-separated field.
    QVERIFY(first->split(u'$').at(4) != second->split(u'$').at(4));
    QVERIFY(PasswordHasher::verify(*first, QStringLiteral("same password")));
    QVERIFY(PasswordHasher::verify(*second, QStringLiteral("same password")));
}

void TestPasswordHasher::garbageEncodingsAreRejected_data()
{
    const auto real = PasswordHasher::hash(QStringLiteral("password"), cheap);
    QVERIFY(real);
    const QString good = *real;
    QString flipped = good;
    flipped[flipped.size() - 2] = flipped.at(flipped.size() - 2) == u'A' ? u'B' : u'A';
    const QString argon2i =
        QStringLiteral("$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$") + good.section(u'$', 5, 5);

    QTest::addColumn<QString>("encoded");
    QTest::addRow("empty") << QString();
    QTest::addRow("plain text") << QStringLiteral("not a hash");
    QTest::addRow("the password itself") << QStringLiteral("password");
    QTest::addRow("prefix only") << QStringLiteral("$argon2id$");
    QTest::addRow("no salt or hash") << QStringLiteral("$argon2id$v=19$m=64,t=1,p=1$");
    QTest::addRow("truncated") << good.left(good.size() - 10);
    QTest::addRow("one hash character changed") << flipped;
    QTest::addRow("trailing newline") << good + u'\n';
    QTest::addRow("embedded NUL") << good.left(20) + QChar(0) + good.mid(20);
    QTest::addRow("non-ASCII") << good + QStringLiteral("é");
    QTest::addRow("argon2i, not argon2id") << argon2i;
    QTest::addRow("wrong version") << QString(good).replace(QLatin1String("v=19"), QLatin1String("v=16"));
    QTest::addRow("zero time cost") << QString(good).replace(QLatin1String("t=1"), QLatin1String("t=0"));
    QTest::addRow("zero lanes") << QString(good).replace(QLatin1String("p=1"), QLatin1String("p=0"));
    // Parameters that would make one verify allocate 4 TiB or run for hours.
    QTest::addRow("huge memory") << QString(good).replace(QLatin1String("m=64"),
                                                          QLatin1String("m=4294967295"));
    QTest::addRow("huge time cost") << QString(good).replace(QLatin1String("t=1"),
                                                             QLatin1String("t=4294967295"));
    QTest::addRow("number overflow") << QString(good).replace(QLatin1String("m=64"),
                                                              QLatin1String("m=99999999999"));
    QTest::addRow("bad base64 in the hash") << QString(good).replace(good.lastIndexOf(u'$') + 1, 1, u'!');
}

void TestPasswordHasher::garbageEncodingsAreRejected()
{
    QFETCH(QString, encoded);
    QVERIFY(!PasswordHasher::verify(encoded, QStringLiteral("password")));
}

void TestPasswordHasher::outOfRangeParamsAreRefused_data()
{
    QTest::addColumn<quint32>("timeCost");
    QTest::addColumn<quint32>("memoryKiB");
    QTest::addColumn<quint32>("parallelism");
    QTest::addRow("zero time cost") << 0u << 64u << 1u;
    QTest::addRow("too little memory") << 1u << 7u << 1u;
    QTest::addRow("too much memory") << 1u << PasswordHasher::maxMemoryKiB + 1 << 1u;
    QTest::addRow("zero lanes") << 1u << 64u << 0u;
    QTest::addRow("memory below 8 KiB per lane") << 1u << 64u << 16u;
}

void TestPasswordHasher::outOfRangeParamsAreRefused()
{
    QFETCH(quint32, timeCost);
    QFETCH(quint32, memoryKiB);
    QFETCH(quint32, parallelism);
    const auto hash =
        PasswordHasher::hash(QStringLiteral("password"), Argon2Params{timeCost, memoryKiB, parallelism});
    QVERIFY(!hash);
    QCOMPARE(hash.error().code, ErrorCode::Internal);
}

QTEST_GUILESS_MAIN(TestPasswordHasher)
#include "tst_passwordhasher.moc"
