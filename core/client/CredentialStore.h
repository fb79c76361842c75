#pragma once
// Where the desktop app keeps a session token between runs: one entry per
// server and user. Asynchronous, because a real keychain answers over D-Bus:
// every call reports through its callback, later, on the store's thread. The
// password is never stored, only the token POST /api/login returned.

#include "core/common/Expected.h"

#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

namespace tandem::client {

struct CredentialError {
    enum Kind {
        NotFound,    ///< no token for this server and user
        Unavailable, ///< no keychain on this system (no Secret Service, locked, denied)
        Failed,      ///< the keychain answered with another error
    };
    Kind kind = Failed;
    QString message;
};

template <typename T> using CredentialResult = Expected<T, CredentialError>;

class CredentialStore : public QObject {
    Q_OBJECT

public:
    using LoadCallback = std::function<void(const CredentialResult<QString> &token)>;
    using DoneCallback = std::function<void(const CredentialResult<void> &result)>;

    using QObject::QObject;

    /// The entry's name: "<user>@<server url>", e.g. "alice@http://127.0.0.1:7420".
    static QString entryKey(const QUrl &serverUrl, const QString &userName);

    virtual void store(const QUrl &serverUrl, const QString &userName, const QString &token,
                       DoneCallback done) = 0;
    virtual void load(const QUrl &serverUrl, const QString &userName, LoadCallback done) = 0;
    /// Removing an entry that does not exist succeeds.
    virtual void remove(const QUrl &serverUrl, const QString &userName, DoneCallback done) = 0;
};

} // namespace tandem::client
