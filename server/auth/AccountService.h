#pragma once
// User accounts: creation with validated names and hashed passwords, login
// checks that do not reveal which names exist, removal.
//
// Threading: the Storage calls must run on the storage's thread; the Argon2
// work is pure. verifyLogin() does both and blocks for one Argon2 verify
// (tens of ms). To keep an event loop responsive, split it: loginCandidate() on
// the storage's thread, then checkLogin() on a thread pool (QtConcurrent::run).

#include "server/auth/PasswordHasher.h"
#include "server/storage/Storage.h"

#include <QString>

namespace tandem::server {

/// What a login check needs from the store. For an unknown user it holds a
/// dummy hash, so checking it costs the same as for a real user.
struct LoginCandidate {
    QString userId;       ///< empty when the user does not exist
    QString passwordHash; ///< the user's Argon2id string, or the dummy
    bool exists = false;
};

class AccountService {
public:
    static constexpr int minPasswordLength = 8;    ///< in Unicode code points
    static constexpr int maxPasswordLength = 1024; ///< in Unicode code points

    /// Computes the dummy hash for unknown users with `params` (one Argon2 hash).
    explicit AccountService(Storage &storage, Argon2Params params = {});

    /// [a-z0-9][a-z0-9._-]{0,31}: safe in URLs, file names and log lines.
    static bool isValidUserName(const QString &name);

    /// BadRequest for an invalid name or password length, Conflict if taken.
    Result<void> addUser(const QString &name, const QString &password);
    /// The user id, or Unauthorized "invalid username or password" whether the
    /// name is unknown or the password wrong; both cost one Argon2 verify.
    Result<QString> verifyLogin(const QString &name, const QString &password);
    /// The storage half of verifyLogin(); call it on the storage's thread.
    Result<LoginCandidate> loginCandidate(const QString &name);
    /// The Argon2 half of verifyLogin(); pure and thread-safe.
    static Result<QString> checkLogin(const LoginCandidate &candidate, const QString &password);
    /// NotFound if absent. Also invalidates the user's tokens and memberships.
    Result<void> removeUser(const QString &name);
    Result<QList<UserRecord>> listUsers();

private:
    Storage &m_storage;
    Argon2Params m_params;
    QString m_dummyHash;
};

} // namespace tandem::server
