// lib0 primitives against the byte vectors verified with lib0@0.2.120 (the
// Yjs brief, section 1), and the decoder's refusals.

#include "core/crdt/Any.h"
#include "core/crdt/Lib0Decoder.h"
#include "core/crdt/Lib0Encoder.h"

#include <QTest>

#include <cmath>

using namespace tandem::crdt;

namespace {

QByteArray hex(const char *spaced)
{
    return QByteArray::fromHex(QByteArray(spaced).replace(' ', ""));
}

} // namespace

class TestLib0 : public QObject {
    Q_OBJECT
private slots:
    void varUint_data()
    {
        QTest::addColumn<quint64>("value");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addRow("0") << quint64(0) << hex("00");
        QTest::addRow("127") << quint64(127) << hex("7f");
        QTest::addRow("128") << quint64(128) << hex("80 01");
        QTest::addRow("300") << quint64(300) << hex("ac 02");
        QTest::addRow("2^32-1") << quint64(0xFFFFFFFF) << hex("ff ff ff ff 0f");
        QTest::addRow("2^53-1") << quint64(kMaxSafeInteger) << hex("ff ff ff ff ff ff ff 0f");
    }
    void varUint()
    {
        QFETCH(quint64, value);
        QFETCH(QByteArray, bytes);
        Lib0Encoder encoder;
        encoder.writeVarUint(value);
        QCOMPARE(encoder.data().toHex(' '), bytes.toHex(' '));
        Lib0Decoder decoder(bytes);
        QCOMPARE(decoder.readVarUint(), value);
        QVERIFY(!decoder.failed());
        QVERIFY(!decoder.hasContent());
    }

    void varInt_data()
    {
        QTest::addColumn<qint64>("value");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addRow("0") << qint64(0) << hex("00");
        QTest::addRow("1") << qint64(1) << hex("01");
        QTest::addRow("-1") << qint64(-1) << hex("41");
        QTest::addRow("63") << qint64(63) << hex("3f");
        QTest::addRow("64") << qint64(64) << hex("80 01");
        QTest::addRow("-64") << qint64(-64) << hex("c0 01");
    }
    void varInt()
    {
        QFETCH(qint64, value);
        QFETCH(QByteArray, bytes);
        Lib0Encoder encoder;
        encoder.writeVarInt(value);
        QCOMPARE(encoder.data().toHex(' '), bytes.toHex(' '));
        Lib0Decoder decoder(bytes);
        QCOMPARE(decoder.readVarInt(), value);
        QVERIFY(!decoder.failed());
    }

    void negativeZeroIsItsOwnEncoding()
    {
        Lib0Encoder encoder;
        encoder.writeVarInt(0, true);
        QCOMPARE(encoder.data(), hex("40"));
        Lib0Decoder decoder(encoder.data());
        bool negativeZero = false;
        QCOMPARE(decoder.readVarInt(&negativeZero), 0);
        QVERIFY(negativeZero);
    }

    void varStringIsUtf8WithByteLength()
    {
        Lib0Encoder encoder;
        encoder.writeVarString(QStringLiteral("hé😀"));
        QCOMPARE(encoder.data().toHex(' '), hex("07 68 c3 a9 f0 9f 98 80").toHex(' '));
        Lib0Decoder decoder(encoder.data());
        const QString decoded = decoder.readVarString();
        QCOMPARE(decoded, QStringLiteral("hé😀"));
        QCOMPARE(decoded.size(), 4); // UTF-16 units, as JavaScript counts
    }

    void loneSurrogateIsWrittenAsReplacementLikeTextEncoder()
    {
        Lib0Encoder encoder;
        encoder.writeVarString(QString(QChar(0xD83D)));
        QCOMPARE(encoder.data().toHex(' '), hex("03 ef bf bd").toHex(' '));
    }

    void any_data()
    {
        QTest::addColumn<Any>("value");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addRow("42") << Any(42) << hex("7d 2a");
        QTest::addRow("-5") << Any(-5) << hex("7d 45");
        QTest::addRow("2^31 becomes float32") << Any(2147483648.0) << hex("7c 4f 00 00 00");
        QTest::addRow("1.5") << Any(1.5) << hex("7c 3f c0 00 00");
        QTest::addRow("0.1") << Any(0.1) << hex("7b 3f b9 99 99 99 99 99 9a");
        QTest::addRow("array") << Any(Any::Array{Any(1), Any("a")}) << hex("75 02 7d 01 77 01 61");
        QTest::addRow("object") << Any(Any::Object{{QStringLiteral("k"), Any(1)}})
                                << hex("76 01 01 6b 7d 01");
        QTest::addRow("bigint") << Any::bigInt(10) << hex("7a 00 00 00 00 00 00 00 0a");
        QTest::addRow("undefined") << Any() << hex("7f");
        QTest::addRow("null") << Any::null() << hex("7e");
        QTest::addRow("false") << Any(false) << hex("79");
        QTest::addRow("true") << Any(true) << hex("78");
        QTest::addRow("binary") << Any::binary(QByteArray("\x01\x02", 2)) << hex("74 02 01 02");
    }
    void any()
    {
        QFETCH(Any, value);
        QFETCH(QByteArray, bytes);
        Lib0Encoder encoder;
        value.encode(encoder);
        QCOMPARE(encoder.data().toHex(' '), bytes.toHex(' '));
        Lib0Decoder decoder(bytes);
        QVERIFY(Any::decode(decoder) == value);
        QVERIFY(!decoder.failed());
    }

    void nanIsWrittenAsFloat64()
    {
        Lib0Encoder encoder;
        Any(std::nan("")).encode(encoder);
        QCOMPARE(quint8(encoder.data().at(0)), quint8(123));
        QCOMPARE(encoder.size(), 9);
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("code");
        QTest::addRow("truncated varint") << hex("80") << int(DecodeErrorCode::Truncated);
        QTest::addRow("above 2^53-1")
            << hex("80 80 80 80 80 80 80 10") << int(DecodeErrorCode::IntegerOutOfRange);
        QTest::addRow("nine groups") << hex("80 80 80 80 80 80 80 80 00")
                                     << int(DecodeErrorCode::IntegerOutOfRange);
        QTest::addRow("string past the end") << hex("05 61 62") << int(DecodeErrorCode::Truncated);
        QTest::addRow("huge string length") << hex("ff ff ff ff 0f 61") << int(DecodeErrorCode::Truncated);
        QTest::addRow("encoded surrogate") << hex("03 ed a0 bd") << int(DecodeErrorCode::InvalidUtf8);
        QTest::addRow("overlong") << hex("02 c0 af") << int(DecodeErrorCode::InvalidUtf8);
        QTest::addRow("lone continuation") << hex("01 80") << int(DecodeErrorCode::InvalidUtf8);
        QTest::addRow("cut sequence") << hex("02 e2 82") << int(DecodeErrorCode::InvalidUtf8);
        QTest::addRow("above U+10FFFF") << hex("04 f4 90 80 80") << int(DecodeErrorCode::InvalidUtf8);
    }
    void refusals()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, code);
        Lib0Decoder decoder(bytes);
        if (code == int(DecodeErrorCode::InvalidUtf8) ||
            QByteArray(QTest::currentDataTag()).contains("string"))
            decoder.readVarString();
        else
            decoder.readVarUint();
        QVERIFY(decoder.failed());
        QCOMPARE(int(decoder.error()->code), code);
    }

    void anyRefusesUnknownTagsAndDeepNesting()
    {
        Lib0Decoder unknown(hex("73"));
        Any::decode(unknown);
        QCOMPARE(int(unknown.error()->code), int(DecodeErrorCode::UnknownContentType));

        QByteArray deep;
        for (int i = 0; i < 1000; ++i)
            deep.append(hex("75 01"));
        deep.append(hex("7e"));
        Lib0Decoder nested(deep);
        Any::decode(nested);
        QCOMPARE(int(nested.error()->code), int(DecodeErrorCode::TooDeep));

        Lib0Decoder hugeCount(hex("75 ff ff ff ff 0f"));
        Any::decode(hugeCount);
        QCOMPARE(int(hugeCount.error()->code), int(DecodeErrorCode::Truncated));
    }
};

QTEST_APPLESS_MAIN(TestLib0)
#include "tst_lib0.moc"
