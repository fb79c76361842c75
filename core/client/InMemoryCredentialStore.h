#pragma once
// A CredentialStore in a map, for tests and for a session without a keychain.
// Answers asynchronously (queued), like the real keychain.

#include "core/client/CredentialStore.h"

#include <QHash>

namespace tandem::client {

class InMemoryCredentialStore : public CredentialStore {
    Q_OBJECT

public:
    using CredentialStore::CredentialStore;

    void store(const QUrl &serverUrl, const QString &userName, const QString &token,
               DoneCallback done) override;
    void load(const QUrl &serverUrl, const QString &userName, LoadCallback done) override;
    void remove(const QUrl &serverUrl, const QString &userName, DoneCallback done) override;

    /// False makes every call fail with Unavailable, as on a system without a keychain.
    void setAvailable(bool available) { m_available = available; }
    /// The entries by key; for tests.
    const QHash<QString, QString> &entries() const { return m_entries; }

private:
    QHash<QString, QString> m_entries;
    bool m_available = true;
};

} // namespace tandem::client
