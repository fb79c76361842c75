#include "core/crdt/CrdtError.h"

namespace tandem::crdt {

QString toString(DecodeErrorCode code)
{
    switch (code) {
    case DecodeErrorCode::Truncated:
        return QStringLiteral("truncated");
    case DecodeErrorCode::IntegerOutOfRange:
        return QStringLiteral("integer_out_of_range");
    case DecodeErrorCode::InvalidUtf8:
        return QStringLiteral("invalid_utf8");
    case DecodeErrorCode::UnknownContentType:
        return QStringLiteral("unknown_content_type");
    case DecodeErrorCode::BadReference:
        return QStringLiteral("bad_reference");
    case DecodeErrorCode::TooDeep:
        return QStringLiteral("too_deep");
    case DecodeErrorCode::TrailingBytes:
        return QStringLiteral("trailing_bytes");
    case DecodeErrorCode::UnknownMessageType:
        return QStringLiteral("unknown_message_type");
    case DecodeErrorCode::InvalidJson:
        return QStringLiteral("invalid_json");
    }
    return QStringLiteral("unknown");
}

} // namespace tandem::crdt
