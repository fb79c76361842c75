#pragma once
// Stable error codes and WebSocket close codes of protocol v1 (docs/PROTOCOL.md).
// The strings are part of the wire format: never rename one.

#include "core/common/Expected.h"

#include <QObject>
#include <QString>

namespace tandem::protocol {
Q_NAMESPACE

enum class ErrorCode {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    RateLimited,
    TooLarge,
    UnsupportedVersion,
    Internal,
};
Q_ENUM_NS(ErrorCode)

QString errorCodeName(ErrorCode code);
/// Unknown strings map to Internal.
ErrorCode errorCodeFromString(const QString &text);
/// The HTTP status that carries this code on the REST API.
int httpStatus(ErrorCode code);

/// A typed error: what went wrong (stable code) and why (human text).
struct Error {
    ErrorCode code = ErrorCode::Internal;
    QString message;
};

template <typename T> using Result = Expected<T, Error>;

inline Unexpected<Error> fail(ErrorCode code, QString message)
{
    return {Error{code, std::move(message)}};
}

/// WebSocket close codes (RFC 6455 plus Tandem's 4xxx range, DESIGN.md §3).
enum CloseCode : quint16 {
    CloseNormal = 1000,          ///< done; the client must not retry
    CloseGoingAway = 1001,       ///< server shutting down; retry with backoff
    CloseProtocolError = 1002,   ///< unsupported protocol version
    CloseUnsupportedData = 1003, ///< binary frame where JSON text is expected
    CloseTooBig = 1009,          ///< frame or message over the size limit
    CloseTryAgainLater = 1013,   ///< overloaded or too slow; retry with backoff
    CloseHeartbeatTimeout = 4000,
    CloseAuthFailed = 4001, ///< no retry; the user must sign in again
    ClosePolicy = 4008,     ///< rate-limit abuse or too many connections
};

} // namespace tandem::protocol
