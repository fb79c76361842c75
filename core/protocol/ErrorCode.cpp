#include "core/protocol/ErrorCode.h"

#include <array>
#include <utility>

namespace tandem::protocol {
namespace {
struct CodeInfo {
    ErrorCode code;
    const char *name;
    int httpStatus;
};
constexpr std::array<CodeInfo, 9> codes{{
    {ErrorCode::BadRequest, "bad_request", 400},
    {ErrorCode::Unauthorized, "unauthorized", 401},
    {ErrorCode::Forbidden, "forbidden", 403},
    {ErrorCode::NotFound, "not_found", 404},
    {ErrorCode::Conflict, "conflict", 409},
    {ErrorCode::RateLimited, "rate_limited", 429},
    {ErrorCode::TooLarge, "too_large", 413},
    {ErrorCode::UnsupportedVersion, "unsupported_version", 400},
    {ErrorCode::Internal, "internal", 500},
}};
} // namespace

QString errorCodeName(ErrorCode code)
{
    for (const CodeInfo &info : codes) {
        if (info.code == code)
            return QString::fromLatin1(info.name);
    }
    return QStringLiteral("internal");
}

ErrorCode errorCodeFromString(const QString &text)
{
    for (const CodeInfo &info : codes) {
        if (text == QLatin1String(info.name))
            return info.code;
    }
    return ErrorCode::Internal;
}

int httpStatus(ErrorCode code)
{
    for (const CodeInfo &info : codes) {
        if (info.code == code)
            return info.httpStatus;
    }
    return 500;
}

} // namespace tandem::protocol
