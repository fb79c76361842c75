// KeychainCredentialStore against a real Secret Service (gnome-keyring on a
// private D-Bus session, started by run-keychain-test.sh): a token survives a
// round trip through the keychain, entries are per server and user, and
// removal forgets the token. The in-memory store covers the rest of the contract.

#include "core/client/KeychainCredentialStore.h"

#include <QTest>
#include <QUuid>

#include <optional>

using tandem::client::CredentialError;
using tandem::client::CredentialResult;
using tandem::client::KeychainCredentialStore;

namespace {
const QUrl Server(QStringLiteral("http://127.0.0.1:7420"));

template <typename T, typename Call> std::optional<CredentialResult<T>> await(Call call)
{
    std::optional<CredentialResult<T>> result;
    call([&result](const CredentialResult<T> &answer) { result.emplace(answer); });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 20000))
        return std::nullopt;
    return result;
}

/// What went wrong, for a failure message; empty on success (QVERIFY2 evaluates it either way).
template <typename T> QString describe(const CredentialResult<T> &result)
{
    if (result)
        return {};
    return QStringLiteral("kind %1: %2").arg(int(result.error().kind)).arg(result.error().message);
}
} // namespace

class TestKeychain : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void tokenSurvivesARoundTrip();
    void entriesArePerServerAndUser();
    void removeForgetsTheToken();

private:
    /// A token as POST /api/login makes them: 43 characters of base64url.
    static QString newToken()
    {
        return QString::fromLatin1(
            (QUuid::createUuid().toRfc4122() + QUuid::createUuid().toRfc4122())
                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
                .left(43));
    }

    KeychainCredentialStore m_keychain;
};

void TestKeychain::initTestCase()
{
    QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
             "run through run-keychain-test.sh under dbus-run-session");
    QCOMPARE(m_keychain.service(), QStringLiteral("tandem"));
}

void TestKeychain::tokenSurvivesARoundTrip()
{
    const QString token = newToken();
    const auto stored =
        await<void>([&](auto done) { m_keychain.store(Server, QStringLiteral("alice"), token, done); });
    QVERIFY(stored);
    QVERIFY2(stored->hasValue(), qPrintable(describe(*stored)));

    // A second store object: the token comes from the keychain, not from memory.
    KeychainCredentialStore another;
    const auto loaded =
        await<QString>([&](auto done) { another.load(Server, QStringLiteral("alice"), done); });
    QVERIFY(loaded);
    QVERIFY2(loaded->hasValue(), qPrintable(describe(*loaded)));
    QCOMPARE(loaded->value(), token);
}

void TestKeychain::entriesArePerServerAndUser()
{
    const QUrl otherServer(QStringLiteral("https://chat.example.org"));
    const QString aliceHere = newToken(), bobHere = newToken(), aliceThere = newToken();
    for (const auto &[server, user, token] : {std::tuple{Server, QStringLiteral("alice"), aliceHere},
                                              std::tuple{Server, QStringLiteral("bob"), bobHere},
                                              std::tuple{otherServer, QStringLiteral("alice"), aliceThere}}) {
        const auto stored = await<void>([&](auto done) { m_keychain.store(server, user, token, done); });
        QVERIFY(stored && stored->hasValue());
    }
    const auto load = [this](const QUrl &server, const QString &user) {
        const auto loaded = await<QString>([&](auto done) { m_keychain.load(server, user, done); });
        return loaded && loaded->hasValue() ? loaded->value() : QString();
    };
    QCOMPARE(load(Server, QStringLiteral("alice")), aliceHere);
    QCOMPARE(load(Server, QStringLiteral("bob")), bobHere);
    QCOMPARE(load(otherServer, QStringLiteral("alice")), aliceThere);
}

void TestKeychain::removeForgetsTheToken()
{
    const auto stored =
        await<void>([&](auto done) { m_keychain.store(Server, QStringLiteral("carol"), newToken(), done); });
    QVERIFY(stored && stored->hasValue());
    const auto removed =
        await<void>([&](auto done) { m_keychain.remove(Server, QStringLiteral("carol"), done); });
    QVERIFY(removed);
    QVERIFY2(removed->hasValue(), qPrintable(describe(*removed)));
    const auto loaded =
        await<QString>([&](auto done) { m_keychain.load(Server, QStringLiteral("carol"), done); });
    QVERIFY(loaded);
    QVERIFY(!loaded->hasValue());
    QCOMPARE(loaded->error().kind, CredentialError::NotFound);

    // Removing it again is not an error.
    const auto again =
        await<void>([&](auto done) { m_keychain.remove(Server, QStringLiteral("carol"), done); });
    QVERIFY(again && again->hasValue());
}

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
