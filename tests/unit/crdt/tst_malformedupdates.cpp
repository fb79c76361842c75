// Hostile updates are refused with a typed error, change nothing (no partial
// application, no update emitted) and never crash.

#include "core/crdt/Doc.h"
#include "core/crdt/Text.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace tandem::crdt;

namespace {

QByteArray hex(const QByteArray &spaced)
{
    return QByteArray::fromHex(QByteArray(spaced).replace(' ', ""));
}

// A valid full-state update ("axc" with a deleted "b") from the Yjs brief.
const QByteArray kValidUpdate =
    hex("01 04 01 00 04 01 01 74 01 61 81 01 00 01 84 01 01 01 63 c4 01 00 01 01 01 78 01 01 01 01 01");

// A document with content of its own, to show that a refusal leaves it be.
std::unique_ptr<Doc> makeTarget()
{
    auto doc = std::make_unique<Doc>(9);
    doc->getText(QStringLiteral("t")).insert(0, QStringLiteral("existing"));
    return doc;
}

} // namespace

class TestMalformedUpdates : public QObject {
    Q_OBJECT
private slots:
    void hostileUpdates_data()
    {
        QTest::addColumn<QByteArray>("update");
        QTest::addColumn<int>("code");
        const auto row = [](const char *name, const QByteArray &bytes, DecodeErrorCode code) {
            QTest::addRow("%s", name) << bytes << int(code);
        };
        row("unknown content ref", hex("01 01 01 00 0f 00"), DecodeErrorCode::UnknownContentType);
        row("unknown type ref", hex("01 01 01 00 07 01 01 61 09 00"), DecodeErrorCode::UnknownContentType);
        row("parent info neither 0 nor 1", hex("01 01 01 00 04 02 01 74 01 61 00"),
            DecodeErrorCode::BadReference);
        row("origin in its own future", hex("01 01 01 00 84 01 00 01 61 00"), DecodeErrorCode::BadReference);
        row("right origin in its own future", hex("01 01 01 00 44 01 05 01 61 00"),
            DecodeErrorCode::BadReference);
        row("origin equals right origin", hex("01 01 0c 00 c4 01 01 01 01 01 78 00"),
            DecodeErrorCode::BadReference);
        row("zero-length GC", hex("01 01 01 00 00 00 00"), DecodeErrorCode::BadReference);
        row("empty string item", hex("01 01 01 00 04 01 01 74 00 00"), DecodeErrorCode::BadReference);
        row("huge struct count", hex("01 ff ff ff ff 0f 01 00 00 01 00"), DecodeErrorCode::Truncated);
        row("huge client count", hex("ff ff ff ff 0f 00"), DecodeErrorCode::Truncated);
        row("huge string length", hex("01 01 01 00 04 01 01 74 ff ff ff 7f"), DecodeErrorCode::Truncated);
        row("huge any count", hex("01 01 01 00 08 01 01 6d ff ff ff 7f"), DecodeErrorCode::Truncated);
        row("varint past 2^53", hex("01 01 80 80 80 80 80 80 80 10 00 00"),
            DecodeErrorCode::IntegerOutOfRange);
        row("clock past 2^53", hex("01 01 01 ff ff ff ff ff ff ff 0f 00 02 00"),
            DecodeErrorCode::IntegerOutOfRange);
        row("delete range past 2^53", hex("00 01 01 01 ff ff ff ff ff ff ff 0f 02"),
            DecodeErrorCode::IntegerOutOfRange);
        row("invalid UTF-8 text", hex("01 01 01 00 04 01 01 74 03 ed a0 bd 00"),
            DecodeErrorCode::InvalidUtf8);
        row("invalid UTF-8 root name", hex("01 01 01 00 04 01 01 ff 01 61 00"), DecodeErrorCode::InvalidUtf8);
        row("trailing bytes", hex("00 00 00"), DecodeErrorCode::TrailingBytes);
        row("nesting bomb",
            hex("01 01 01 00 08 01 01 6d 01") + hex(QByteArray("75 01").repeated(200)) + hex("7e 00"),
            DecodeErrorCode::TooDeep);
        // The first struct is fine: it must not be applied when the second is bad.
        row("bad second struct", hex("01 02 01 00 04 01 01 74 01 61 0f 00"),
            DecodeErrorCode::UnknownContentType);
        // Yjs would integrate the struct and then fail on the delete set.
        row("truncated delete set", hex("01 01 01 00 04 01 01 74 01 61 01 01"), DecodeErrorCode::Truncated);
    }
    void hostileUpdates()
    {
        QFETCH(QByteArray, update);
        QFETCH(int, code);
        auto doc = makeTarget();
        const QByteArray before = *doc->encodeStateAsUpdate();
        QSignalSpy emitted(doc.get(), &Doc::updated);
        const auto applied = doc->applyUpdate(update);
        QVERIFY(!applied);
        QCOMPARE(int(applied.error().code), code);
        QVERIFY(!applied.error().message.isEmpty());
        QCOMPARE(*doc->encodeStateAsUpdate(), before);
        QCOMPARE(emitted.size(), 0);
        QVERIFY(!doc->hasPending());
    }

    void inconsistentOriginsBecomeGarbage()
    {
        // Found by fuzzing: a right origin left of the origin. Such an item
        // cannot be placed the same way by every peer, so it is kept as an
        // ID range only, and the document round-trips unchanged.
        auto doc = makeTarget(); // "existing" by client 9, clocks 0..7
        QVERIFY(doc->applyUpdate(hex("01 01 0c 00 c4 09 05 09 01 01 78 00")));
        QCOMPARE(doc->getText(QStringLiteral("t")).toString(), QStringLiteral("existing"));
        QCOMPARE(doc->encodeStateVector().toHex(' '), hex("02 0c 01 09 08").toHex(' '));
        Doc copy(10);
        QVERIFY(copy.applyUpdate(*doc->encodeStateAsUpdate()));
        QCOMPARE(copy.getText(QStringLiteral("t")).toString(), QStringLiteral("existing"));
    }

    void everyTruncationIsRefused()
    {
        for (qsizetype length = 0; length < kValidUpdate.size(); ++length) {
            auto doc = makeTarget();
            const QByteArray before = *doc->encodeStateAsUpdate();
            QVERIFY2(!doc->applyUpdate(kValidUpdate.left(length)), qPrintable(QString::number(length)));
            QCOMPARE(*doc->encodeStateAsUpdate(), before);
        }
        auto doc = makeTarget();
        QVERIFY(doc->applyUpdate(kValidUpdate));
    }

    void randomCorruptionNeverCrashesOrHalfApplies()
    {
        QRandomGenerator random(7);
        for (int i = 0; i < 3000; ++i) {
            QByteArray update = kValidUpdate;
            const int flips = 1 + int(random.bounded(4));
            for (int f = 0; f < flips; ++f)
                update[qsizetype(random.bounded(quint32(update.size())))] = char(random.bounded(256));
            auto doc = makeTarget();
            const QByteArray before = *doc->encodeStateAsUpdate();
            if (!doc->applyUpdate(update))
                QCOMPARE(*doc->encodeStateAsUpdate(), before);
            // Whatever was accepted must still encode and decode.
            Doc copy(10);
            QVERIFY(copy.applyUpdate(*doc->encodeStateAsUpdate()));
        }
    }

    void badStateVectorsAreRefused()
    {
        auto doc = makeTarget();
        QVERIFY(!doc->encodeStateAsUpdate(hex("05 01")));
        QVERIFY(!doc->encodeStateAsUpdate(hex("01 01 01 01")));
        QVERIFY(doc->encodeStateAsUpdate(hex("01 09 03")));
    }
};

QTEST_GUILESS_MAIN(TestMalformedUpdates)
#include "tst_malformedupdates.moc"
