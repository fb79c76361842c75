// The UndoManager undoes only this user's changes, in capture-timeout steps.

#include "core/common/Clock.h"
#include "core/crdt/Doc.h"
#include "core/crdt/Map.h"
#include "core/crdt/Text.h"
#include "core/crdt/UndoManager.h"

#include <QTest>

using namespace tandem::crdt;

class TestUndoManager : public QObject {
    Q_OBJECT
private slots:
    void undoesOnlyLocalChanges()
    {
        tandem::ManualClock clock;
        Doc doc(1);
        Text text = doc.getText(QStringLiteral("t"));
        UndoManager undo(&doc, {text.sharedType()}, clock);
        text.insert(0, QStringLiteral("mine "));

        Doc remote(2);
        QVERIFY(remote.applyUpdate(*doc.encodeStateAsUpdate()));
        remote.getText(QStringLiteral("t")).insert(5, QStringLiteral("theirs"));
        QVERIFY(doc.applyUpdate(*remote.encodeStateAsUpdate(doc.encodeStateVector())));
        QCOMPARE(text.toString(), QStringLiteral("mine theirs"));

        QVERIFY(undo.undo());
        QCOMPARE(text.toString(), QStringLiteral("theirs"));
        QVERIFY(!undo.undo()); // the remote insert is not ours to undo
        QVERIFY(undo.redo());
        QCOMPARE(text.toString(), QStringLiteral("mine theirs"));
    }

    void restoresDeletedTextAfterGarbageCollection()
    {
        tandem::ManualClock clock;
        Doc doc(1);
        Text text = doc.getText(QStringLiteral("t"));
        text.insert(0, QStringLiteral("keep this 😀 text"));
        UndoManager undo(&doc, {text.sharedType()}, clock);
        text.remove(5, 7);
        QCOMPARE(text.toString(), QStringLiteral("keep  text"));
        QVERIFY(undo.undo());
        QCOMPARE(text.toString(), QStringLiteral("keep this 😀 text"));
        QVERIFY(undo.redo());
        QCOMPARE(text.toString(), QStringLiteral("keep  text"));
        QVERIFY(undo.undo());

        // The restored text reaches other peers like any edit.
        Doc peer(2);
        QVERIFY(peer.applyUpdate(*doc.encodeStateAsUpdate()));
        QCOMPARE(peer.getText(QStringLiteral("t")).toString(), QStringLiteral("keep this 😀 text"));
    }

    void capturesStepsByTimeout()
    {
        tandem::ManualClock clock;
        Doc doc(1);
        Text text = doc.getText(QStringLiteral("t"));
        UndoManager undo(&doc, {text.sharedType()}, clock);
        text.insert(0, QStringLiteral("a"));
        clock.advance(100);
        text.insert(1, QStringLiteral("b")); // within 500 ms: same step
        clock.advance(1000);
        text.insert(2, QStringLiteral("c")); // a new step
        QVERIFY(undo.undo());
        QCOMPARE(text.toString(), QStringLiteral("ab"));
        QVERIFY(undo.undo());
        QCOMPARE(text.toString(), QString());
        QVERIFY(!undo.canUndo());
        QVERIFY(undo.canRedo());
        text.insert(0, QStringLiteral("x")); // a new change drops the redo stack
        QVERIFY(!undo.canRedo());
    }

    void ignoresOtherOriginsAndScopes()
    {
        tandem::ManualClock clock;
        Doc doc(1);
        Text text = doc.getText(QStringLiteral("t"));
        Map map = doc.getMap(QStringLiteral("m"));
        UndoManager undo(&doc, {text.sharedType()}, clock);
        doc.transact([&](Transaction &) { text.insert(0, QStringLiteral("scripted")); }, 99);
        map.set(QStringLiteral("k"), Any(1));
        QVERIFY(!undo.canUndo());
        undo.addTrackedOrigin(99);
        doc.transact([&](Transaction &) { text.insert(0, QStringLiteral("tracked ")); }, 99);
        QVERIFY(undo.undo());
        QCOMPARE(text.toString(), QStringLiteral("scripted"));
    }

    void undoesMapChanges()
    {
        tandem::ManualClock clock;
        Doc doc(1);
        Map map = doc.getMap(QStringLiteral("m"));
        map.set(QStringLiteral("k"), Any("first"));
        UndoManager undo(&doc, {map.sharedType()}, clock);
        map.set(QStringLiteral("k"), Any("second"));
        QVERIFY(undo.undo());
        QVERIFY(map.get(QStringLiteral("k")) == Any("first"));
        QVERIFY(undo.redo());
        QVERIFY(map.get(QStringLiteral("k")) == Any("second"));
    }
};

QTEST_GUILESS_MAIN(TestUndoManager)
#include "tst_undomanager.moc"
