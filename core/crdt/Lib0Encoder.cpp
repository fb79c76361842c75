#include "core/crdt/Lib0Encoder.h"

#include "core/crdt/Utf8.h"

#include <bit>
#include <cstring>

namespace tandem::crdt {

void Lib0Encoder::writeVarUint(std::uint64_t value)
{
    while (value > 0x7F) {
        m_buffer.append(char(0x80 | (value & 0x7F)));
        value >>= 7;
    }
    m_buffer.append(char(value));
}

void Lib0Encoder::writeVarInt(std::int64_t value, bool negativeZero)
{
    const bool negative = value < 0 || (value == 0 && negativeZero);
    std::uint64_t magnitude = value < 0 ? std::uint64_t(0) - std::uint64_t(value) : std::uint64_t(value);
    // The first byte carries the sign beside the low six bits.
    m_buffer.append(char((magnitude > 0x3F ? 0x80 : 0) | (negative ? 0x40 : 0) | (magnitude & 0x3F)));
    magnitude >>= 6;
    while (magnitude > 0) {
        m_buffer.append(char((magnitude > 0x7F ? 0x80 : 0) | (magnitude & 0x7F)));
        magnitude >>= 7;
    }
}

void Lib0Encoder::writeVarString(const QString &text)
{
    writeVarString(QStringView(text));
}

void Lib0Encoder::writeVarString(QStringView text)
{
    writeVarUint(std::uint64_t(utf8::encodedLength(text)));
    utf8::append(m_buffer, text);
}

void Lib0Encoder::writeVarUint8Array(const QByteArray &bytes)
{
    writeVarUint(std::uint64_t(bytes.size()));
    m_buffer.append(bytes);
}

void Lib0Encoder::writeFloat32BigEndian(float value)
{
    const auto bits = std::bit_cast<std::uint32_t>(value);
    for (int shift = 24; shift >= 0; shift -= 8)
        m_buffer.append(char((bits >> shift) & 0xFF));
}

void Lib0Encoder::writeFloat64BigEndian(double value)
{
    writeInt64BigEndian(std::bit_cast<std::int64_t>(value));
}

void Lib0Encoder::writeInt64BigEndian(std::int64_t value)
{
    const auto bits = std::uint64_t(value);
    for (int shift = 56; shift >= 0; shift -= 8)
        m_buffer.append(char((bits >> shift) & 0xFF));
}

} // namespace tandem::crdt
