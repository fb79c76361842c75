// Y.Text as an editor uses it: edits against a plain QString model (this
// exercises the search markers on long documents), observer deltas, and
// format markers and embeds from rich-text peers kept out of index math.

#include "core/crdt/Doc.h"
#include "core/crdt/Map.h"
#include "core/crdt/Text.h"

#include <QRandomGenerator>
#include <QTest>

using namespace tandem::crdt;

namespace {

QByteArray hex(const char *spaced)
{
    return QByteArray::fromHex(QByteArray(spaced).replace(' ', ""));
}

// Applies a delta to `text` the way an editor would.
QString applyDelta(QString text, const std::vector<TextDeltaOp> &delta)
{
    qsizetype at = 0;
    for (const TextDeltaOp &op : delta) {
        switch (op.kind) {
        case TextDeltaOp::Kind::Retain:
            at += op.length;
            break;
        case TextDeltaOp::Kind::Insert:
            text.insert(at, op.embed ? QString(QChar(0xFFFC)) : op.text);
            at += op.length;
            break;
        case TextDeltaOp::Kind::Delete:
            text.remove(at, op.length);
            break;
        }
    }
    return text;
}

} // namespace

class TestTextType : public QObject {
    Q_OBJECT
private slots:
    void matchesAStringModelOverManyEdits()
    {
        Doc doc(3);
        Text text = doc.getText(QStringLiteral("t"));
        QString model;
        QRandomGenerator random(42);
        for (int i = 0; i < 20000; ++i) {
            // Random positions over a growing document. BMP text only: splits
            // inside surrogate pairs are checked against real Yjs in
            // tst_yjsinterop.
            const qsizetype at = qsizetype(random.bounded(quint32(model.size() + 1)));
            if (model.isEmpty() || random.bounded(3) != 0) {
                const QString inserted = random.bounded(10) == 0 ? QStringLiteral("é") : QStringLiteral("ab");
                text.insert(at, inserted);
                model.insert(at, inserted);
            } else {
                const qsizetype count =
                    std::min<qsizetype>(1 + random.bounded(4), model.size() - std::min(at, model.size()));
                text.remove(at, count);
                model.remove(at, count);
            }
            QCOMPARE(text.length(), model.size());
        }
        QCOMPARE(text.toString(), model);
        Doc copy(4);
        QVERIFY(copy.applyUpdate(*doc.encodeStateAsUpdate()));
        QCOMPARE(copy.getText(QStringLiteral("t")).toString(), model);
    }

    void observersGetAMinimalDelta()
    {
        Doc doc(1);
        Text text = doc.getText(QStringLiteral("t"));
        text.insert(0, QStringLiteral("hello world"));
        std::vector<TextEvent> events;
        text.observe([&events](const TextEvent &event) { events.push_back(event); });

        text.insert(5, QStringLiteral(","));
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].delta.size(), std::size_t(2));
        QVERIFY(events[0].delta[0] == (TextDeltaOp{TextDeltaOp::Kind::Retain, 5, {}, std::nullopt}));
        QVERIFY(events[0].delta[1] ==
                (TextDeltaOp{TextDeltaOp::Kind::Insert, 1, QStringLiteral(","), std::nullopt}));
        QVERIFY(events[0].local);

        // A remote change arrives as a delta too, and an editor applying the
        // deltas stays equal to the text.
        Doc remote(2);
        QVERIFY(remote.applyUpdate(*doc.encodeStateAsUpdate()));
        Text remoteText = remote.getText(QStringLiteral("t"));
        remote.transact([&](Transaction &) {
            remoteText.remove(0, 1);
            remoteText.insert(0, QStringLiteral("J"));
            remoteText.insert(remoteText.length(), QStringLiteral("!"));
        });
        QString editor = QStringLiteral("hello, world");
        QVERIFY(doc.applyUpdate(*remote.encodeStateAsUpdate(doc.encodeStateVector())));
        QCOMPARE(events.size(), std::size_t(2));
        QVERIFY(!events[1].local);
        QCOMPARE(applyDelta(editor, events[1].delta), QStringLiteral("Jello, world!"));
        QCOMPARE(text.toString(), QStringLiteral("Jello, world!"));
    }

    void formatMarkersAndEmbedsArePreservedAndSkipped()
    {
        // From yjs 13.6.33: t.insert(0,"ab"); t.format(1,1,{bold:true});
        // t.insertEmbed(3,{img:"x"}) by client 9.
        Doc doc(1);
        QVERIFY(doc.applyUpdate(
            hex("01 05 09 00 04 01 01 74 01 61 84 09 00 01 62 c6 09 00 09 01 04 62 6f 6c 64 04 74 "
                "72 75 65 86 09 01 04 62 6f 6c 64 04 6e 75 6c 6c 85 09 03 0b 7b 22 69 6d 67 22 3a 22 78 "
                "22 7d 00")));
        Text text = doc.getText(QStringLiteral("t"));
        QCOMPARE(text.toString(), QStringLiteral("ab"));
        QCOMPARE(text.length(), 3); // two characters and the embed; format markers take no index
        text.insert(2, QStringLiteral("c"));
        text.insert(1, QStringLiteral("X"));
        QCOMPARE(text.toString(), QStringLiteral("aXbc"));
        // The markers survive a round trip through our encoder.
        Doc copy(2);
        QVERIFY(copy.applyUpdate(*doc.encodeStateAsUpdate()));
        QCOMPARE(copy.getText(QStringLiteral("t")).length(), 5);
        QCOMPARE(*copy.encodeStateAsUpdate(), *doc.encodeStateAsUpdate());
    }

    void mapConvergesOnConcurrentSets()
    {
        Doc a(1);
        Doc b(2);
        a.getMap(QStringLiteral("m")).set(QStringLiteral("k"), Any("from a"));
        b.getMap(QStringLiteral("m")).set(QStringLiteral("k"), Any("from b"));
        b.getMap(QStringLiteral("m"))
            .set(QStringLiteral("n"), Any(Any::Object{{QStringLiteral("x"), Any(1.5)}}));
        const QByteArray fromA = *a.encodeStateAsUpdate();
        const QByteArray fromB = *b.encodeStateAsUpdate();
        QVERIFY(a.applyUpdate(fromB));
        QVERIFY(b.applyUpdate(fromA));
        QCOMPARE(a.getMap(QStringLiteral("m")).toJson(), b.getMap(QStringLiteral("m")).toJson());
        QVERIFY(a.getMap(QStringLiteral("m")).get(QStringLiteral("k")) ==
                Any("from b")); // higher client wins
        a.getMap(QStringLiteral("m")).remove(QStringLiteral("k"));
        QVERIFY(!a.getMap(QStringLiteral("m")).contains(QStringLiteral("k")));
        QCOMPARE(a.getMap(QStringLiteral("m")).keys(), QStringList{QStringLiteral("n")});
    }
};

QTEST_GUILESS_MAIN(TestTextType)
#include "tst_texttype.moc"
