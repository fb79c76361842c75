#include "server/auth/TokenService.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <algorithm>
#include <array>

namespace tandem::server {

using protocol::ErrorCode;
using protocol::fail;

namespace {

Unexpected<protocol::Error> unauthorized(const char *reason)
{
    return fail(ErrorCode::Unauthorized, QString::fromLatin1(reason));
}

bool looksLikeToken(const QString &token)
{
    if (token.size() != TokenService::tokenLength)
        return false;
    return std::all_of(token.cbegin(), token.cend(), [](QChar c) {
        return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') ||
               c == u'-' || c == u'_';
    });
}

} // namespace

TokenService::TokenService(Storage &storage, const Clock &clock, qint64 ttlSeconds)
    : m_storage(storage)
    , m_clock(clock)
    , m_ttlSeconds(ttlSeconds)
{}

QByteArray TokenService::hashToken(const QString &token)
{
    return QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256);
}

Result<IssuedToken> TokenService::issue(const QString &userId)
{
    std::array<quint32, 8> random{};
    QRandomGenerator::system()->fillRange(random.data(), random.size());
    const QByteArray bytes(reinterpret_cast<const char *>(random.data()), sizeof(random));
    const QString token =
        QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));

    // Millisecond precision is what the store keeps.
    const QDateTime now = m_clock.nowUtc();
    const QDateTime expiresAt =
        QDateTime::fromMSecsSinceEpoch(now.toMSecsSinceEpoch() + m_ttlSeconds * 1000, Qt::UTC);
    if (const Result<void> stored = m_storage.storeToken(hashToken(token), userId, expiresAt); !stored)
        return unexpected(stored.error());
    return IssuedToken{token, userId, expiresAt};
}

Result<QString> TokenService::authenticate(const QString &token)
{
    // Anything that cannot be one of ours needs no database round trip.
    if (!looksLikeToken(token))
        return unauthorized("unknown token");
    const Result<std::optional<TokenRecord>> found = m_storage.findToken(hashToken(token));
    if (!found)
        return unexpected(found.error());
    if (!found->has_value())
        return unauthorized("unknown token");
    const TokenRecord &record = **found;
    if (record.revoked)
        return unauthorized("token revoked");
    if (m_clock.nowUtc() >= record.expiresAt)
        return unauthorized("token expired");
    return record.userId;
}

Result<void> TokenService::revoke(const QString &token)
{
    if (!looksLikeToken(token))
        return fail(ErrorCode::NotFound, QStringLiteral("unknown token"));
    return m_storage.revokeToken(hashToken(token));
}

Result<int> TokenService::purgeExpired()
{
    return m_storage.deleteExpiredTokens(m_clock.nowUtc());
}

} // namespace tandem::server
