#pragma once
// The one error type of the canvas layer: bad input from the network or from
// a caller is refused with a code and a message, never with a crash.

#include "core/common/Expected.h"

#include <QString>

namespace tandem::canvas {

enum class CanvasErrorCode {
    MalformedOp,  ///< not an operation: bad JSON, missing or mistyped field
    InvalidValue, ///< a property value outside what the property may hold
    InvalidKey,   ///< a fractional index key that is malformed or out of order
};

struct CanvasError {
    CanvasErrorCode code = CanvasErrorCode::MalformedOp;
    QString message;
};

template <typename T> using CanvasResult = Expected<T, CanvasError>;

inline Unexpected<CanvasError> canvasError(CanvasErrorCode code, QString message)
{
    return {CanvasError{code, std::move(message)}};
}

} // namespace tandem::canvas
