#pragma once
// Bearer tokens for the REST API and the WebSocket handshake. A token is 32
// random bytes in base64url; the store keeps only its SHA-256, so a leaked
// database does not leak usable tokens. SHA-256 (not Argon2) suffices because
// the token has 256 bits of entropy: there is nothing to brute-force.

#include "core/common/Clock.h"
#include "server/storage/Storage.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace tandem::server {

struct IssuedToken {
    QString token; ///< give to the client once; it is not stored
    QString userId;
    QDateTime expiresAt;
};

class TokenService {
public:
    /// Length of a token: 32 bytes in base64url without padding.
    static constexpr int tokenLength = 43;

    TokenService(Storage &storage, const Clock &clock, qint64 ttlSeconds);

    /// A new token for an existing user, valid for ttlSeconds. NotFound for an unknown user.
    Result<IssuedToken> issue(const QString &userId);
    /// The token's user id, or Unauthorized: "unknown token", "token revoked" or
    /// "token expired". Tokens of a removed user are unknown.
    Result<QString> authenticate(const QString &token);
    /// Logout. NotFound for an unknown token; revoking twice succeeds.
    Result<void> revoke(const QString &token);
    /// Deletes expired tokens from the store; returns how many.
    Result<int> purgeExpired();

    /// The 32-byte SHA-256 the store keys tokens by.
    static QByteArray hashToken(const QString &token);

private:
    Storage &m_storage;
    const Clock &m_clock;
    qint64 m_ttlSeconds;
};

} // namespace tandem::server
