#pragma once
// A JSON-like value as lib0's writeAny/readAny carry it (Y.Map values and
// ContentAny). Numbers are doubles as in JavaScript; objects keep insertion
// order because the wire does; BigInt and binary exist for completeness.

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include <memory>
#include <utility>
#include <vector>

namespace tandem::crdt {

class Lib0Encoder;
class Lib0Decoder;

class Any {
public:
    enum class Kind { Undefined, Null, Boolean, Number, BigInt, String, Array, Object, Binary };
    using Array = std::vector<Any>;
    using Object = std::vector<std::pair<QString, Any>>;

    Any() = default;
    static Any null();
    Any(bool value);
    Any(double value);
    Any(int value);
    Any(qint64 value);
    Any(QString value);
    Any(const char *value);
    Any(Array values);
    Any(Object members);
    static Any bigInt(qint64 value);
    static Any binary(QByteArray bytes);

    Kind kind() const { return m_kind; }
    bool isUndefined() const { return m_kind == Kind::Undefined; }
    bool isNull() const { return m_kind == Kind::Null; }
    bool toBool() const { return m_bool; }
    double toNumber() const { return m_number; }
    qint64 toBigInt() const { return m_bigInt; }
    const QString &toString() const { return m_string; }
    const QByteArray &toBinary() const { return m_binary; }
    const Array &toArray() const;
    const Object &toObject() const;
    /// The member named `key`, or undefined.
    Any member(const QString &key) const;

    /// lib0 writeAny / readAny. Decoding fails on unknown tags and on nesting
    /// deeper than 64 levels (no recursion bomb).
    void encode(Lib0Encoder &encoder) const;
    static Any decode(Lib0Decoder &decoder, int depth = 0);

    /// JSON as JSON.stringify writes it (undefined in an array becomes null).
    QJsonValue toJson() const;
    static Any fromJson(const QJsonValue &value);

    friend bool operator==(const Any &a, const Any &b);

private:
    Kind m_kind = Kind::Undefined;
    bool m_bool = false;
    double m_number = 0;
    qint64 m_bigInt = 0;
    QString m_string;
    QByteArray m_binary;
    std::shared_ptr<const Array> m_array;
    std::shared_ptr<const Object> m_object;
};

} // namespace tandem::crdt
