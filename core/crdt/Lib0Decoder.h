#pragma once
// Reads the lib0 encoding (see Lib0Encoder). A decoder never throws and never
// reads past its buffer: the first failure is remembered, every later read
// returns a neutral value, and the caller checks failed() once at the end of a
// message before acting on anything it read.

#include "core/crdt/CrdtError.h"

#include <QByteArray>
#include <QString>

#include <cstdint>

namespace tandem::crdt {

/// The largest integer lib0 accepts (Number.MAX_SAFE_INTEGER).
constexpr std::uint64_t kMaxSafeInteger = (std::uint64_t(1) << 53) - 1;

class Lib0Decoder {
public:
    explicit Lib0Decoder(const QByteArray &data)
        : m_data(data)
    {}

    bool failed() const { return m_error.has_value(); }
    const std::optional<DecodeError> &error() const { return m_error; }
    void fail(DecodeErrorCode code, const char *what);

    bool hasContent() const { return m_position < m_data.size(); }
    qsizetype remaining() const { return m_data.size() - m_position; }
    qsizetype position() const { return m_position; }

    quint8 readUint8();
    std::uint64_t readVarUint();
    /// Sign-magnitude integer; `negativeZero` is set for the encoding of -0.
    std::int64_t readVarInt(bool *negativeZero = nullptr);
    QString readVarString();
    QByteArray readVarUint8Array();
    /// The rest of the buffer, as y-protocols reads a trailing payload.
    QByteArray readTail();
    float readFloat32BigEndian();
    double readFloat64BigEndian();
    std::int64_t readInt64BigEndian();

    /// Reads a count that announces at least `minimumBytesEach` bytes per
    /// element, failing early on counts the remaining input cannot hold, so a
    /// hostile length never drives an allocation.
    std::uint64_t readCount(qsizetype minimumBytesEach = 1);

private:
    const char *take(qsizetype count);

    QByteArray m_data;
    qsizetype m_position = 0;
    std::optional<DecodeError> m_error;
};

} // namespace tandem::crdt
