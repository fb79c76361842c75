#include "core/client/InMemoryCredentialStore.h"

namespace tandem::client {

namespace {

CredentialError unavailable()
{
    return {CredentialError::Unavailable, QStringLiteral("no keychain is available")};
}

} // namespace

void InMemoryCredentialStore::store(const QUrl &serverUrl, const QString &userName, const QString &token,
                                    DoneCallback done)
{
    CredentialResult<void> result;
    if (m_available)
        m_entries.insert(entryKey(serverUrl, userName), token);
    else
        result = unexpected(unavailable());
    QMetaObject::invokeMethod(
        this, [done = std::move(done), result] { done(result); }, Qt::QueuedConnection);
}

void InMemoryCredentialStore::load(const QUrl &serverUrl, const QString &userName, LoadCallback done)
{
    CredentialResult<QString> result = unexpected(unavailable());
    if (m_available) {
        const QString key = entryKey(serverUrl, userName);
        const auto entry = m_entries.constFind(key);
        if (entry != m_entries.constEnd())
            result = *entry;
        else
            result = unexpected(
                CredentialError{CredentialError::NotFound, QStringLiteral("no entry %1").arg(key)});
    }
    QMetaObject::invokeMethod(
        this, [done = std::move(done), result] { done(result); }, Qt::QueuedConnection);
}

void InMemoryCredentialStore::remove(const QUrl &serverUrl, const QString &userName, DoneCallback done)
{
    CredentialResult<void> result;
    if (m_available)
        m_entries.remove(entryKey(serverUrl, userName));
    else
        result = unexpected(unavailable());
    QMetaObject::invokeMethod(
        this, [done = std::move(done), result] { done(result); }, Qt::QueuedConnection);
}

} // namespace tandem::client
