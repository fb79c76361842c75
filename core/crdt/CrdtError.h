#pragma once
// Why an update, a state vector or a protocol message was refused. A refused
// input changes nothing: decoding completes before anything is applied.

#include <QString>

#include <optional>

namespace tandem::crdt {

enum class DecodeErrorCode {
    Truncated,          ///< the input ended inside a value
    IntegerOutOfRange,  ///< a varint above 2^53-1, or clock arithmetic past it
    InvalidUtf8,        ///< a string that TextDecoder({fatal:true}) would reject
    UnknownContentType, ///< a struct or Any tag this format does not define
    BadReference,       ///< an ID or parent that can never be satisfied
    TooDeep,            ///< nested Any values beyond the supported depth
    TrailingBytes,      ///< bytes left over after a complete message
    UnknownMessageType, ///< a sync/awareness message type we do not know
    InvalidJson,        ///< an awareness state or embed that is not JSON
};

struct DecodeError {
    DecodeErrorCode code = DecodeErrorCode::Truncated;
    QString message;
};

QString toString(DecodeErrorCode code);

} // namespace tandem::crdt
