// Update format v1 byte for byte against Yjs 13.6.33 (the brief, section
// 2.3): the same ops with the same client id must give the same bytes.

#include "core/crdt/Doc.h"
#include "core/crdt/Map.h"
#include "core/crdt/Text.h"

#include <QSignalSpy>
#include <QTest>

using namespace tandem::crdt;

namespace {

QByteArray hex(const char *spaced)
{
    return QByteArray::fromHex(QByteArray(spaced).replace(' ', ""));
}

// Runs `edit` and returns the single update the transaction emitted.
template <typename Edit> QByteArray updateOf(Doc &doc, Edit &&edit)
{
    QSignalSpy spy(&doc, &Doc::updated);
    edit();
    if (spy.size() != 1)
        return QByteArray("expected exactly one update");
    return spy.at(0).at(0).toByteArray();
}

} // namespace

class TestUpdateFormat : public QObject {
    Q_OBJECT
private slots:
    void textEditsMatchYjsBytes()
    {
        Doc doc(1);
        Text text = doc.getText(QStringLiteral("t"));
        QCOMPARE(updateOf(doc, [&] { text.insert(0, QStringLiteral("abc")); }).toHex(' '),
                 hex("01 01 01 00 04 01 01 74 03 61 62 63 00").toHex(' '));
        QCOMPARE(updateOf(doc, [&] { text.insert(1, QStringLiteral("x")); }).toHex(' '),
                 hex("01 01 01 03 c4 01 00 01 01 01 78 00").toHex(' '));
        QCOMPARE(updateOf(doc, [&] { text.remove(2, 1); }).toHex(' '), hex("00 01 01 01 01 01").toHex(' '));
        QCOMPARE(text.toString(), QStringLiteral("axc"));

        QCOMPARE(doc.encodeStateVector().toHex(' '), hex("01 01 04").toHex(' '));
        QCOMPARE(doc.encodeStateAsUpdate()->toHex(' '), hex("01 04 01 00 04 01 01 74 01 61 81 01 00 01 84 01 "
                                                            "01 01 63 c4 01 00 01 01 01 78 01 01 01 01 01")
                                                            .toHex(' '));

        // The map example continues on the same document (clock 4).
        Map map = doc.getMap(QStringLiteral("m"));
        QCOMPARE(updateOf(doc, [&] { map.set(QStringLiteral("key"), Any("v")); }).toHex(' '),
                 hex("01 01 01 04 28 01 01 6d 03 6b 65 79 01 77 01 76 00").toHex(' '));
        QCOMPARE(updateOf(doc, [&] { map.set(QStringLiteral("key"), Any(2)); }).toHex(' '),
                 hex("01 01 01 05 a8 01 04 01 7d 02 01 01 01 04 01").toHex(' '));
        QVERIFY(map.get(QStringLiteral("key")) == Any(2));
    }

    void remoteBytesGiveTheSameDocument()
    {
        Doc doc(7);
        for (const char *update :
             {"01 01 01 00 04 01 01 74 03 61 62 63 00", "01 01 01 03 c4 01 00 01 01 01 78 00",
              "00 01 01 01 01 01", "01 01 01 04 28 01 01 6d 03 6b 65 79 01 77 01 76 00",
              "01 01 01 05 a8 01 04 01 7d 02 01 01 01 04 01"}) {
            QVERIFY(doc.applyUpdate(hex(update)));
        }
        QCOMPARE(doc.getText(QStringLiteral("t")).toString(), QStringLiteral("axc"));
        QVERIFY(doc.getMap(QStringLiteral("m")).get(QStringLiteral("key")) == Any(2));
        QVERIFY(!doc.hasPending());
    }

    void emojiTakesTwoClocks()
    {
        Doc doc(1);
        Text text = doc.getText(QStringLiteral("t"));
        text.insert(0, QStringLiteral("axc"));
        const QByteArray update = updateOf(doc, [&] { text.insert(0, QStringLiteral("😀")); });
        QVERIFY2(update.contains(hex("44 01 00 04 f0 9f 98 80")), update.toHex(' ').constData());
        QCOMPARE(text.length(), 5);
        QCOMPARE(doc.encodeStateVector().toHex(' '), hex("01 01 05").toHex(' '));
    }

    void largeClientIdIsWrittenInFull()
    {
        Doc doc((quint64(1) << 53) - 1);
        Text text = doc.getText(QStringLiteral("t"));
        QCOMPARE(updateOf(doc, [&] { text.insert(0, QStringLiteral("z")); }).toHex(' '),
                 hex("01 01 ff ff ff ff ff ff ff 0f 00 04 01 01 74 01 7a 00").toHex(' '));
    }

    void nestedTypeWaitsAndIsRelayedUnchanged()
    {
        // Example 6: a Y.Text nested in array "a", and an insert into it, from
        // client 1 at clock 6: clocks 0..5 are missing, so both stay pending
        // and a full-state update carries them on as they arrived.
        Doc doc(2);
        QVERIFY(doc.applyUpdate(hex("01 01 01 06 07 01 01 61 02 00")));
        QVERIFY(doc.applyUpdate(hex("01 01 01 07 04 00 01 06 01 6e 00")));
        QVERIFY(doc.hasPending());
        QCOMPARE(doc.encodeStateVector().toHex(' '), hex("00").toHex(' '));
        QCOMPARE(doc.encodeStateAsUpdate()->toHex(' '),
                 hex("01 02 01 06 07 01 01 61 02 04 00 01 06 01 6e 00").toHex(' '));
    }

    void emptyDocumentEncodesAsTwoZeros()
    {
        Doc doc(1);
        QCOMPARE(doc.encodeStateAsUpdate()->toHex(' '), hex("00 00").toHex(' '));
        QCOMPARE(doc.encodeStateVector().toHex(' '), hex("00").toHex(' '));
    }

    void concurrentInsertsOrderByClient()
    {
        // Clients 5, 3 and 9 insert after "X" concurrently: every order gives Xbbaacc.
        Doc origin(1);
        origin.getText(QStringLiteral("t")).insert(0, QStringLiteral("X"));
        const QByteArray base = *origin.encodeStateAsUpdate();
        std::vector<QByteArray> updates;
        for (const auto &[client, letters] : {std::pair{5, "aa"}, {3, "bb"}, {9, "cc"}}) {
            Doc peer(client);
            QVERIFY(peer.applyUpdate(base));
            peer.getText(QStringLiteral("t")).insert(1, QString::fromLatin1(letters));
            updates.push_back(*peer.encodeStateAsUpdate(origin.encodeStateVector()));
        }
        std::vector<int> order{0, 1, 2};
        do {
            Doc doc(42);
            QVERIFY(doc.applyUpdate(base));
            for (int i : order)
                QVERIFY(doc.applyUpdate(updates[std::size_t(i)]));
            QCOMPARE(doc.getText(QStringLiteral("t")).toString(), QStringLiteral("Xbbaacc"));
        } while (std::next_permutation(order.begin(), order.end()));
    }
};

QTEST_GUILESS_MAIN(TestUpdateFormat)
#include "tst_updateformat.moc"
