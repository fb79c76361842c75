#include "server/auth/AccountService.h"

#include "server/auth/AuthLog.h"

#include <QRandomGenerator>
#include <QRegularExpression>

#include <algorithm>

namespace tandem::server {

using protocol::ErrorCode;
using protocol::fail;

namespace {

Unexpected<protocol::Error> invalidLogin()
{
    return fail(ErrorCode::Unauthorized, QStringLiteral("invalid username or password"));
}

qsizetype codePointCount(const QString &text)
{
    // A surrogate pair is one character to the user, two QChars to QString.
    return text.size() -
           std::count_if(text.cbegin(), text.cend(), [](QChar c) { return c.isLowSurrogate(); });
}

} // namespace

AccountService::AccountService(Storage &storage, Argon2Params params)
    : m_storage(storage)
    , m_params(params)
{
    // A random password nobody knows: the dummy hash never verifies.
    const QString unguessable = QString::number(QRandomGenerator::system()->generate64(), 36) +
                                QString::number(QRandomGenerator::system()->generate64(), 36);
    Result<QString> dummy = PasswordHasher::hash(unguessable, m_params);
    if (dummy)
        m_dummyHash = std::move(*dummy);
    else
        qCWarning(lcAuth).noquote() << "cannot compute the dummy password hash:" << dummy.error().message;
}

bool AccountService::isValidUserName(const QString &name)
{
    // anchoredPattern, not ^...$: PCRE's $ also matches before a final newline.
    static const QRegularExpression pattern(
        QRegularExpression::anchoredPattern(QStringLiteral("[a-z0-9][a-z0-9._-]{0,31}")));
    return pattern.match(name).hasMatch();
}

Result<void> AccountService::addUser(const QString &name, const QString &password)
{
    if (!isValidUserName(name)) {
        return fail(ErrorCode::BadRequest,
                    QStringLiteral("invalid user name: use 1 to 32 characters a-z, 0-9, '.', '_' or '-', "
                                   "starting with a letter or digit"));
    }
    const qsizetype length = codePointCount(password);
    if (length < minPasswordLength || length > maxPasswordLength) {
        return fail(ErrorCode::BadRequest, QStringLiteral("the password must have %1 to %2 characters")
                                               .arg(minPasswordLength)
                                               .arg(maxPasswordLength));
    }
    // Checked first so a taken name does not cost a hash; the insert still
    // reports Conflict if another caller takes the name meanwhile.
    const Result<std::optional<UserRecord>> existing = m_storage.findUser(name);
    if (!existing)
        return unexpected(existing.error());
    if (existing->has_value())
        return fail(ErrorCode::Conflict, QStringLiteral("user %1 already exists").arg(name));

    const Result<QString> hash = PasswordHasher::hash(password, m_params);
    if (!hash)
        return unexpected(hash.error());
    return m_storage.addUser(name, *hash);
}

Result<LoginCandidate> AccountService::loginCandidate(const QString &name)
{
    if (isValidUserName(name)) {
        const Result<std::optional<UserRecord>> user = m_storage.findUser(name);
        if (!user)
            return unexpected(user.error());
        if (user->has_value())
            return LoginCandidate{(*user)->userId, (*user)->passwordHash, true};
    }
    return LoginCandidate{QString(), m_dummyHash, false};
}

Result<QString> AccountService::checkLogin(const LoginCandidate &candidate, const QString &password)
{
    // Verify first, decide after: an unknown user costs the same Argon2 run.
    const bool matches = PasswordHasher::verify(candidate.passwordHash, password);
    if (!matches || !candidate.exists)
        return invalidLogin();
    return candidate.userId;
}

Result<QString> AccountService::verifyLogin(const QString &name, const QString &password)
{
    const Result<LoginCandidate> candidate = loginCandidate(name);
    if (!candidate)
        return unexpected(candidate.error());
    return checkLogin(*candidate, password);
}

Result<void> AccountService::removeUser(const QString &name)
{
    return m_storage.removeUser(name);
}

Result<QList<UserRecord>> AccountService::listUsers()
{
    return m_storage.listUsers();
}

} // namespace tandem::server
