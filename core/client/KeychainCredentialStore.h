#pragma once
// The CredentialStore of the desktop app: the system keychain through
// QtKeychain (Secret Service on Linux), service "tandem", one entry per
// server and user named CredentialStore::entryKey(). Never falls back to an
// unencrypted file: without a keychain every call fails with Unavailable and
// the app keeps the token for the session only.

#include "core/client/CredentialStore.h"

namespace tandem::client {

class KeychainCredentialStore : public CredentialStore {
    Q_OBJECT

public:
    explicit KeychainCredentialStore(QString service = QStringLiteral("tandem"), QObject *parent = nullptr);

    void store(const QUrl &serverUrl, const QString &userName, const QString &token,
               DoneCallback done) override;
    void load(const QUrl &serverUrl, const QString &userName, LoadCallback done) override;
    void remove(const QUrl &serverUrl, const QString &userName, DoneCallback done) override;

    QString service() const { return m_service; }

private:
    QString m_service;
};

} // namespace tandem::client
