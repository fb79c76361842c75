#include "core/crdt/Lib0Decoder.h"

#include "core/crdt/Utf8.h"

#include <bit>

namespace tandem::crdt {

void Lib0Decoder::fail(DecodeErrorCode code, const char *what)
{
    if (!m_error)
        m_error = DecodeError{code, QString::fromLatin1(what)};
    m_position = m_data.size();
}

const char *Lib0Decoder::take(qsizetype count)
{
    if (failed())
        return nullptr;
    if (count < 0 || count > remaining()) {
        fail(DecodeErrorCode::Truncated, "unexpected end of input");
        return nullptr;
    }
    const char *start = m_data.constData() + m_position;
    m_position += count;
    return start;
}

quint8 Lib0Decoder::readUint8()
{
    const char *byte = take(1);
    return byte ? quint8(*byte) : 0;
}

std::uint64_t Lib0Decoder::readVarUint()
{
    // Hot in update decoding: read straight from the buffer, no per-byte checks.
    const auto *bytes = reinterpret_cast<const quint8 *>(m_data.constData());
    const qsizetype size = m_data.size();
    std::uint64_t value = 0;
    for (int shift = 0; shift <= 49; shift += 7) {
        if (m_position >= size) {
            fail(DecodeErrorCode::Truncated, "unexpected end of input");
            return 0;
        }
        const quint8 byte = bytes[m_position++];
        value |= std::uint64_t(byte & 0x7F) << shift;
        if ((byte & 0x80) == 0) {
            if (value > kMaxSafeInteger) {
                fail(DecodeErrorCode::IntegerOutOfRange, "integer above 2^53-1");
                return 0;
            }
            return value;
        }
    }
    fail(DecodeErrorCode::IntegerOutOfRange, "varint longer than 8 groups");
    return 0;
}

std::int64_t Lib0Decoder::readVarInt(bool *negativeZero)
{
    const char *first = take(1);
    if (!first)
        return 0;
    const quint8 lead = quint8(*first);
    std::uint64_t magnitude = lead & 0x3F;
    const bool negative = (lead & 0x40) != 0;
    bool more = (lead & 0x80) != 0;
    for (int shift = 6; more; shift += 7) {
        if (shift > 48) {
            fail(DecodeErrorCode::IntegerOutOfRange, "varint longer than 8 groups");
            return 0;
        }
        const char *byte = take(1);
        if (!byte)
            return 0;
        magnitude |= std::uint64_t(quint8(*byte) & 0x7F) << shift;
        more = (quint8(*byte) & 0x80) != 0;
    }
    if (magnitude > kMaxSafeInteger) {
        fail(DecodeErrorCode::IntegerOutOfRange, "integer above 2^53-1");
        return 0;
    }
    if (negativeZero)
        *negativeZero = negative && magnitude == 0;
    return negative ? -std::int64_t(magnitude) : std::int64_t(magnitude);
}

QString Lib0Decoder::readVarString()
{
    const std::uint64_t length = readVarUint();
    if (failed())
        return {};
    if (length > std::uint64_t(remaining())) {
        fail(DecodeErrorCode::Truncated, "string longer than the input");
        return {};
    }
    const char *bytes = take(qsizetype(length));
    if (!bytes)
        return {};
    std::optional<QString> text = utf8::decode(bytes, qsizetype(length));
    if (!text) {
        fail(DecodeErrorCode::InvalidUtf8, "invalid UTF-8 in a string");
        return {};
    }
    return std::move(*text);
}

QByteArray Lib0Decoder::readVarUint8Array()
{
    const std::uint64_t length = readVarUint();
    if (failed())
        return {};
    if (length > std::uint64_t(remaining())) {
        fail(DecodeErrorCode::Truncated, "byte array longer than the input");
        return {};
    }
    const char *bytes = take(qsizetype(length));
    return bytes ? QByteArray(bytes, qsizetype(length)) : QByteArray();
}

QByteArray Lib0Decoder::readTail()
{
    const qsizetype count = remaining();
    const char *bytes = take(count);
    return bytes ? QByteArray(bytes, count) : QByteArray();
}

float Lib0Decoder::readFloat32BigEndian()
{
    const char *bytes = take(4);
    if (!bytes)
        return 0;
    std::uint32_t bits = 0;
    for (int i = 0; i < 4; ++i)
        bits = (bits << 8) | quint8(bytes[i]);
    return std::bit_cast<float>(bits);
}

double Lib0Decoder::readFloat64BigEndian()
{
    return std::bit_cast<double>(readInt64BigEndian());
}

std::int64_t Lib0Decoder::readInt64BigEndian()
{
    const char *bytes = take(8);
    if (!bytes)
        return 0;
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i)
        bits = (bits << 8) | quint8(bytes[i]);
    return std::int64_t(bits);
}

std::uint64_t Lib0Decoder::readCount(qsizetype minimumBytesEach)
{
    const std::uint64_t count = readVarUint();
    if (failed())
        return 0;
    if (count > std::uint64_t(remaining() / std::max<qsizetype>(minimumBytesEach, 1))) {
        fail(DecodeErrorCode::Truncated, "count larger than the input can hold");
        return 0;
    }
    return count;
}

} // namespace tandem::crdt
