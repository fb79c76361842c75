// Relative positions (cursors) in the Yjs encoding, and how they follow
// concurrent edits.

#include "core/crdt/Doc.h"
#include "core/crdt/RelativePosition.h"
#include "core/crdt/Text.h"
#include "core/crdt/UndoManager.h"

#include <QJsonDocument>
#include <QTest>

using namespace tandem::crdt;

namespace {

QByteArray hex(const char *spaced)
{
    return QByteArray::fromHex(QByteArray(spaced).replace(' ', ""));
}

qsizetype indexOf(const RelativePosition &position, Doc &doc)
{
    const std::optional<AbsolutePosition> absolute = resolveRelativePosition(position, doc);
    return absolute ? absolute->index : -1;
}

} // namespace

class TestRelativePosition : public QObject {
    Q_OBJECT
private slots:
    void encodesAsYjsDoes()
    {
        Doc doc(1);
        Text text = doc.getText(QStringLiteral("t"));
        text.insert(0, QStringLiteral("abc"));
        const RelativePosition atB = createRelativePosition(text, 1);
        QCOMPARE(atB.encode().toHex(' '), hex("00 01 01 00").toHex(' '));
        const RelativePosition atEnd = createRelativePosition(text, 3);
        QCOMPARE(atEnd.encode().toHex(' '), hex("01 01 74 00").toHex(' '));
        const RelativePosition beforeB = createRelativePosition(text, 2, -1);
        QCOMPARE(beforeB.encode().toHex(' '), hex("00 01 01 41").toHex(' '));

        for (const RelativePosition &position : {atB, atEnd, beforeB}) {
            const auto decoded = RelativePosition::decode(position.encode());
            QVERIFY(decoded);
            QCOMPARE(decoded->item, position.item);
            QCOMPARE(decoded->assoc, position.assoc);
        }
        // Encodings from before assoc existed end after the item.
        QCOMPARE(RelativePosition::decode(hex("00 01 01"))->assoc, 0);
        QCOMPARE(QJsonDocument(atB.toJson()).toJson(QJsonDocument::Compact),
                 QByteArray(R"({"assoc":0,"item":{"client":1,"clock":1},"tname":"t"})"));
        QCOMPARE(RelativePosition::fromJson(atB.toJson()), atB);
    }

    void followsConcurrentEdits()
    {
        Doc doc(1);
        Text text = doc.getText(QStringLiteral("t"));
        text.insert(0, QStringLiteral("hello world"));
        const RelativePosition cursor = createRelativePosition(text, 6); // before "world"
        const RelativePosition end = createRelativePosition(text, 11);

        Doc other(2);
        QVERIFY(other.applyUpdate(*doc.encodeStateAsUpdate()));
        other.getText(QStringLiteral("t")).insert(0, QStringLiteral(">> "));
        QVERIFY(doc.applyUpdate(*other.encodeStateAsUpdate(doc.encodeStateVector())));
        QCOMPARE(indexOf(cursor, doc), 9);
        QCOMPARE(indexOf(end, doc), 14);

        text.remove(8, 3); // deletes " wo", the cursor's character with it
        QCOMPARE(text.toString(), QStringLiteral(">> hellorld"));
        QCOMPARE(indexOf(cursor, doc), 8);
    }

    void unknownItemsDoNotResolve()
    {
        Doc doc(1);
        RelativePosition position;
        position.item = Id{99, 5};
        QVERIFY(!resolveRelativePosition(position, doc));
        QVERIFY(!RelativePosition::decode(hex("07")));
        QVERIFY(!RelativePosition::decode(hex("00 01")));
    }

    void followsContentRestoredByUndo()
    {
        Doc doc(1);
        Text text = doc.getText(QStringLiteral("t"));
        UndoManager undo(&doc, {text.sharedType()});
        text.insert(0, QStringLiteral("abc"));
        undo.stopCapturing();
        const RelativePosition atC = createRelativePosition(text, 2);
        text.remove(1, 2);
        QVERIFY(undo.undo());
        QCOMPARE(text.toString(), QStringLiteral("abc"));
        QCOMPARE(indexOf(atC, doc), 2);
    }
};

QTEST_GUILESS_MAIN(TestRelativePosition)
#include "tst_relativeposition.moc"
