#pragma once
// Writes the lib0 binary encoding that Yjs and y-protocols use on the wire:
// LEB128 unsigned integers, sign-in-first-byte signed integers, UTF-8 strings
// (lone surrogates become U+FFFD as JavaScript's TextEncoder does).

#include <QByteArray>
#include <QString>

#include <cstdint>

namespace tandem::crdt {

class Lib0Encoder {
public:
    void writeUint8(quint8 value) { m_buffer.append(char(value)); }
    void writeVarUint(std::uint64_t value);
    void writeVarInt(std::int64_t value, bool negativeZero = false);
    void writeVarString(const QString &text);
    void writeVarString(QStringView text);
    void writeVarUint8Array(const QByteArray &bytes);
    void writeRaw(const QByteArray &bytes) { m_buffer.append(bytes); }
    void writeFloat32BigEndian(float value);
    void writeFloat64BigEndian(double value);
    void writeInt64BigEndian(std::int64_t value);

    void reserve(qsizetype bytes) { m_buffer.reserve(bytes); }
    const QByteArray &data() const { return m_buffer; }
    QByteArray takeData() { return std::move(m_buffer); }
    qsizetype size() const { return m_buffer.size(); }

private:
    QByteArray m_buffer;
};

} // namespace tandem::crdt
