#include "core/crdt/Any.h"

#include "core/crdt/Lib0Decoder.h"
#include "core/crdt/Lib0Encoder.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cmath>

namespace tandem::crdt {

namespace {

constexpr int kMaxDepth = 64;

enum Tag : quint8 {
    TagUndefined = 127,
    TagNull = 126,
    TagInteger = 125,
    TagFloat32 = 124,
    TagFloat64 = 123,
    TagBigInt = 122,
    TagFalse = 121,
    TagTrue = 120,
    TagString = 119,
    TagObject = 118,
    TagArray = 117,
    TagBinary = 116,
};

const Any::Array &emptyArray()
{
    static const Any::Array empty;
    return empty;
}

const Any::Object &emptyObject()
{
    static const Any::Object empty;
    return empty;
}

} // namespace

Any Any::null()
{
    Any value;
    value.m_kind = Kind::Null;
    return value;
}

Any::Any(bool value)
    : m_kind(Kind::Boolean)
    , m_bool(value)
{}

Any::Any(double value)
    : m_kind(Kind::Number)
    , m_number(value)
{}

Any::Any(int value)
    : Any(double(value))
{}

Any::Any(qint64 value)
    : Any(double(value))
{}

Any::Any(QString value)
    : m_kind(Kind::String)
    , m_string(std::move(value))
{}

Any::Any(const char *value)
    : Any(QString::fromUtf8(value))
{}

Any::Any(Array values)
    : m_kind(Kind::Array)
    , m_array(std::make_shared<const Array>(std::move(values)))
{}

Any::Any(Object members)
    : m_kind(Kind::Object)
    , m_object(std::make_shared<const Object>(std::move(members)))
{}

Any Any::bigInt(qint64 value)
{
    Any result;
    result.m_kind = Kind::BigInt;
    result.m_bigInt = value;
    return result;
}

Any Any::binary(QByteArray bytes)
{
    Any result;
    result.m_kind = Kind::Binary;
    result.m_binary = std::move(bytes);
    return result;
}

const Any::Array &Any::toArray() const
{
    return m_array ? *m_array : emptyArray();
}

const Any::Object &Any::toObject() const
{
    return m_object ? *m_object : emptyObject();
}

Any Any::member(const QString &key) const
{
    for (const auto &[name, value] : toObject()) {
        if (name == key)
            return value;
    }
    return {};
}

void Any::encode(Lib0Encoder &encoder) const
{
    switch (m_kind) {
    case Kind::Undefined:
        encoder.writeUint8(TagUndefined);
        return;
    case Kind::Null:
        encoder.writeUint8(TagNull);
        return;
    case Kind::Boolean:
        encoder.writeUint8(m_bool ? TagTrue : TagFalse);
        return;
    case Kind::Number:
        // lib0's rule, copied exactly so bytes match JS peers: small integers
        // as varInt, then float32 when lossless, else float64.
        if (std::isfinite(m_number) && std::trunc(m_number) == m_number &&
            std::fabs(m_number) <= 0x7FFFFFFF) {
            encoder.writeUint8(TagInteger);
            encoder.writeVarInt(std::int64_t(m_number), std::signbit(m_number));
        } else if (!std::isnan(m_number) && double(float(m_number)) == m_number) {
            encoder.writeUint8(TagFloat32);
            encoder.writeFloat32BigEndian(float(m_number));
        } else {
            encoder.writeUint8(TagFloat64);
            encoder.writeFloat64BigEndian(m_number);
        }
        return;
    case Kind::BigInt:
        encoder.writeUint8(TagBigInt);
        encoder.writeInt64BigEndian(m_bigInt);
        return;
    case Kind::String:
        encoder.writeUint8(TagString);
        encoder.writeVarString(m_string);
        return;
    case Kind::Object:
        encoder.writeUint8(TagObject);
        encoder.writeVarUint(toObject().size());
        for (const auto &[key, value] : toObject()) {
            encoder.writeVarString(key);
            value.encode(encoder);
        }
        return;
    case Kind::Array:
        encoder.writeUint8(TagArray);
        encoder.writeVarUint(toArray().size());
        for (const Any &value : toArray())
            value.encode(encoder);
        return;
    case Kind::Binary:
        encoder.writeUint8(TagBinary);
        encoder.writeVarUint8Array(m_binary);
        return;
    }
}

Any Any::decode(Lib0Decoder &decoder, int depth)
{
    if (depth > kMaxDepth) {
        decoder.fail(DecodeErrorCode::TooDeep, "Any value nested too deeply");
        return {};
    }
    const quint8 tag = decoder.readUint8();
    if (decoder.failed())
        return {};
    switch (tag) {
    case TagUndefined:
        return {};
    case TagNull:
        return null();
    case TagInteger: {
        bool negativeZero = false;
        const std::int64_t value = decoder.readVarInt(&negativeZero);
        return Any(negativeZero ? -0.0 : double(value));
    }
    case TagFloat32:
        return Any(double(decoder.readFloat32BigEndian()));
    case TagFloat64:
        return Any(decoder.readFloat64BigEndian());
    case TagBigInt:
        return bigInt(decoder.readInt64BigEndian());
    case TagFalse:
        return Any(false);
    case TagTrue:
        return Any(true);
    case TagString:
        return Any(decoder.readVarString());
    case TagObject: {
        const std::uint64_t count = decoder.readCount(2);
        Object members;
        members.reserve(count);
        for (std::uint64_t i = 0; i < count && !decoder.failed(); ++i) {
            QString key = decoder.readVarString();
            Any value = decode(decoder, depth + 1);
            members.emplace_back(std::move(key), std::move(value));
        }
        return Any(std::move(members));
    }
    case TagArray: {
        const std::uint64_t count = decoder.readCount(1);
        Array values;
        values.reserve(count);
        for (std::uint64_t i = 0; i < count && !decoder.failed(); ++i)
            values.push_back(decode(decoder, depth + 1));
        return Any(std::move(values));
    }
    case TagBinary:
        return binary(decoder.readVarUint8Array());
    default:
        decoder.fail(DecodeErrorCode::UnknownContentType, "unknown Any tag");
        return {};
    }
}

QJsonValue Any::toJson() const
{
    switch (m_kind) {
    case Kind::Undefined:
        return QJsonValue(QJsonValue::Undefined);
    case Kind::Null:
        return QJsonValue(QJsonValue::Null);
    case Kind::Boolean:
        return m_bool;
    case Kind::Number:
        return m_number;
    case Kind::BigInt:
        return double(m_bigInt);
    case Kind::String:
        return m_string;
    case Kind::Binary:
        return QString::fromLatin1(m_binary.toBase64());
    case Kind::Array: {
        QJsonArray array;
        for (const Any &value : toArray())
            array.append(value.isUndefined() ? QJsonValue(QJsonValue::Null) : value.toJson());
        return array;
    }
    case Kind::Object: {
        QJsonObject object;
        for (const auto &[key, value] : toObject()) {
            if (!value.isUndefined())
                object.insert(key, value.toJson());
        }
        return object;
    }
    }
    return {};
}

Any Any::fromJson(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return null();
    case QJsonValue::Bool:
        return Any(value.toBool());
    case QJsonValue::Double:
        return Any(value.toDouble());
    case QJsonValue::String:
        return Any(value.toString());
    case QJsonValue::Array: {
        Array values;
        for (const QJsonValue &element : value.toArray())
            values.push_back(fromJson(element));
        return Any(std::move(values));
    }
    case QJsonValue::Object: {
        Object members;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            members.emplace_back(it.key(), fromJson(it.value()));
        return Any(std::move(members));
    }
    case QJsonValue::Undefined:
        return {};
    }
    return {};
}

bool operator==(const Any &a, const Any &b)
{
    if (a.m_kind != b.m_kind)
        return false;
    switch (a.m_kind) {
    case Any::Kind::Undefined:
    case Any::Kind::Null:
        return true;
    case Any::Kind::Boolean:
        return a.m_bool == b.m_bool;
    case Any::Kind::Number:
        return a.m_number == b.m_number;
    case Any::Kind::BigInt:
        return a.m_bigInt == b.m_bigInt;
    case Any::Kind::String:
        return a.m_string == b.m_string;
    case Any::Kind::Binary:
        return a.m_binary == b.m_binary;
    case Any::Kind::Array:
        return a.toArray() == b.toArray();
    case Any::Kind::Object:
        return a.toObject() == b.toObject();
    }
    return false;
}

} // namespace tandem::crdt
