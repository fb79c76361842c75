// The CredentialStore contract on its in-memory implementation: one entry per
// server and user, answers that arrive later (like a keychain's), NotFound
// for a missing entry, removal, and Unavailable when there is no keychain.

#include "core/client/InMemoryCredentialStore.h"

#include <QSignalSpy>
#include <QTest>

#include <optional>

using tandem::client::CredentialError;
using tandem::client::CredentialResult;
using tandem::client::CredentialStore;
using tandem::client::InMemoryCredentialStore;

namespace {
const QUrl Server(QStringLiteral("http://127.0.0.1:7420"));
const QUrl OtherServer(QStringLiteral("https://chat.example.org"));

/// Waits for the callback and returns what it reported.
template <typename T, typename Call> std::optional<CredentialResult<T>> await(Call call)
{
    std::optional<CredentialResult<T>> result;
    call([&result](const CredentialResult<T> &answer) { result.emplace(answer); });
    if (result) // must not answer synchronously
        return std::nullopt;
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 5000))
        return std::nullopt;
    return result;
}

std::optional<CredentialResult<QString>> load(CredentialStore &store, const QUrl &server, const QString &user)
{
    return await<QString>([&](auto done) { store.load(server, user, done); });
}

bool store(CredentialStore &store, const QUrl &server, const QString &user, const QString &token)
{
    const auto result = await<void>([&](auto done) { store.store(server, user, token, done); });
    return result && result->hasValue();
}
} // namespace

class TestCredentialStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void entryKey_data();
    void entryKey();
    void storeThenLoad();
    void missingEntryIsNotFound();
    void entriesAreKeptPerServerAndUser();
    void storeReplacesTheToken();
    void removeForgetsTheToken();
    void removingAMissingEntrySucceeds();
    void unavailableStoreFailsEveryCall();
};

void TestCredentialStore::entryKey_data()
{
    QTest::addColumn<QUrl>("server");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("expected");
    QTest::addRow("http") << Server << "alice"
                          << "alice@http://127.0.0.1:7420";
    QTest::addRow("trailing slash") << QUrl("http://127.0.0.1:7420/") << "alice"
                                    << "alice@http://127.0.0.1:7420";
    QTest::addRow("ws endpoint") << QUrl("ws://127.0.0.1:7420/ws") << "bob"
                                 << "bob@http://127.0.0.1:7420";
    QTest::addRow("https") << OtherServer << "alice"
                           << "alice@https://chat.example.org";
}

void TestCredentialStore::entryKey()
{
    QFETCH(QUrl, server);
    QFETCH(QString, user);
    QFETCH(QString, expected);
    QCOMPARE(CredentialStore::entryKey(server, user), expected);
}

void TestCredentialStore::storeThenLoad()
{
    InMemoryCredentialStore credentials;
    QVERIFY(store(credentials, Server, QStringLiteral("alice"), QStringLiteral("token-a")));
    const auto token = load(credentials, Server, QStringLiteral("alice"));
    QVERIFY(token);
    QVERIFY(token->hasValue());
    QCOMPARE(token->value(), QStringLiteral("token-a"));
    QCOMPARE(credentials.entries().size(), 1);
}

void TestCredentialStore::missingEntryIsNotFound()
{
    InMemoryCredentialStore credentials;
    const auto token = load(credentials, Server, QStringLiteral("alice"));
    QVERIFY(token);
    QVERIFY(!token->hasValue());
    QCOMPARE(token->error().kind, CredentialError::NotFound);
}

void TestCredentialStore::entriesAreKeptPerServerAndUser()
{
    InMemoryCredentialStore credentials;
    QVERIFY(store(credentials, Server, QStringLiteral("alice"), QStringLiteral("alice-here")));
    QVERIFY(store(credentials, Server, QStringLiteral("bob"), QStringLiteral("bob-here")));
    QVERIFY(store(credentials, OtherServer, QStringLiteral("alice"), QStringLiteral("alice-there")));
    QCOMPARE(credentials.entries().size(), 3);
    QCOMPARE(load(credentials, Server, QStringLiteral("alice"))->value(), QStringLiteral("alice-here"));
    QCOMPARE(load(credentials, Server, QStringLiteral("bob"))->value(), QStringLiteral("bob-here"));
    QCOMPARE(load(credentials, OtherServer, QStringLiteral("alice"))->value(), QStringLiteral("alice-there"));
}

void TestCredentialStore::storeReplacesTheToken()
{
    InMemoryCredentialStore credentials;
    QVERIFY(store(credentials, Server, QStringLiteral("alice"), QStringLiteral("old")));
    QVERIFY(store(credentials, Server, QStringLiteral("alice"), QStringLiteral("new")));
    QCOMPARE(credentials.entries().size(), 1);
    QCOMPARE(load(credentials, Server, QStringLiteral("alice"))->value(), QStringLiteral("new"));
}

void TestCredentialStore::removeForgetsTheToken()
{
    InMemoryCredentialStore credentials;
    QVERIFY(store(credentials, Server, QStringLiteral("alice"), QStringLiteral("token-a")));
    QVERIFY(store(credentials, Server, QStringLiteral("bob"), QStringLiteral("token-b")));
    const auto removed =
        await<void>([&](auto done) { credentials.remove(Server, QStringLiteral("alice"), done); });
    QVERIFY(removed && removed->hasValue());
    QCOMPARE(load(credentials, Server, QStringLiteral("alice"))->error().kind, CredentialError::NotFound);
    QCOMPARE(load(credentials, Server, QStringLiteral("bob"))->value(), QStringLiteral("token-b"));
}

void TestCredentialStore::removingAMissingEntrySucceeds()
{
    InMemoryCredentialStore credentials;
    const auto removed =
        await<void>([&](auto done) { credentials.remove(Server, QStringLiteral("alice"), done); });
    QVERIFY(removed && removed->hasValue());
}

void TestCredentialStore::unavailableStoreFailsEveryCall()
{
    InMemoryCredentialStore credentials;
    credentials.setAvailable(false);
    const auto stored = await<void>(
        [&](auto done) { credentials.store(Server, QStringLiteral("alice"), QStringLiteral("t"), done); });
    QVERIFY(stored);
    QVERIFY(!stored->hasValue());
    QCOMPARE(stored->error().kind, CredentialError::Unavailable);
    QVERIFY(credentials.entries().isEmpty());
    QCOMPARE(load(credentials, Server, QStringLiteral("alice"))->error().kind, CredentialError::Unavailable);
    const auto removed =
        await<void>([&](auto done) { credentials.remove(Server, QStringLiteral("alice"), done); });
    QVERIFY(removed && !removed->hasValue());
    QCOMPARE(removed->error().kind, CredentialError::Unavailable);
}

QTEST_GUILESS_MAIN(TestCredentialStore)
#include "tst_credentialstore.moc"
