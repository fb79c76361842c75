#include "server/auth/PasswordHasher.h"

#include <QByteArray>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <argon2.h>

#include <array>

namespace tandem::server {

using protocol::ErrorCode;
using protocol::fail;

namespace {

constexpr int saltBytes = 16;
constexpr int hashBytes = 32;

bool withinLimits(quint64 timeCost, quint64 memoryKiB, quint64 parallelism)
{
    return timeCost >= ARGON2_MIN_TIME && timeCost <= PasswordHasher::maxTimeCost &&
           parallelism >= ARGON2_MIN_LANES && parallelism <= PasswordHasher::maxParallelism &&
           memoryKiB >= 8 * parallelism && memoryKiB <= PasswordHasher::maxMemoryKiB;
}

} // namespace

Result<QString> PasswordHasher::hash(const QString &password, const Argon2Params &params)
{
    if (!withinLimits(params.timeCost, params.memoryKiB, params.parallelism)) {
        return fail(ErrorCode::Internal,
                    QStringLiteral("Argon2 parameters out of range (t=%1, m=%2 KiB, p=%3)")
                        .arg(params.timeCost)
                        .arg(params.memoryKiB)
                        .arg(params.parallelism));
    }

    std::array<quint32, saltBytes / sizeof(quint32)> salt{};
    QRandomGenerator::system()->fillRange(salt.data(), salt.size());
    const QByteArray utf8 = password.toUtf8();
    QByteArray encoded(
        static_cast<qsizetype>(argon2_encodedlen(params.timeCost, params.memoryKiB, params.parallelism,
                                                 saltBytes, hashBytes, Argon2_id)),
        '\0');
    const int rc =
        argon2id_hash_encoded(params.timeCost, params.memoryKiB, params.parallelism, utf8.constData(),
                              static_cast<size_t>(utf8.size()), salt.data(), saltBytes, hashBytes,
                              encoded.data(), static_cast<size_t>(encoded.size()));
    if (rc != ARGON2_OK)
        return fail(ErrorCode::Internal,
                    QStringLiteral("Argon2 failed: %1").arg(QLatin1String(argon2_error_message(rc))));
    // argon2_encodedlen counts the terminating NUL.
    return QString::fromLatin1(encoded.constData());
}

bool PasswordHasher::verify(const QString &encoded, const QString &password)
{
    static const QRegularExpression format(QRegularExpression::anchoredPattern(QStringLiteral(
        R"(\$argon2id\$v=19\$m=(\d{1,10}),t=(\d{1,10}),p=(\d{1,10})\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+)")));
    const QRegularExpressionMatch match = format.match(encoded);
    if (!match.hasMatch())
        return false;
    const quint64 memoryKiB = match.captured(1).toULongLong();
    const quint64 timeCost = match.captured(2).toULongLong();
    const quint64 parallelism = match.captured(3).toULongLong();
    if (!withinLimits(timeCost, memoryKiB, parallelism))
        return false;

    const QByteArray encodedBytes = encoded.toLatin1(); // the regex admitted ASCII only
    const QByteArray utf8 = password.toUtf8();
    return argon2id_verify(encodedBytes.constData(), utf8.constData(), static_cast<size_t>(utf8.size())) ==
           ARGON2_OK;
}

} // namespace tandem::server
