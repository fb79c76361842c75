// CanvasEditor: local actions produce exactly the ops they applied, one
// emission per action; undo and redo are new last-write-wins writes that keep
// other users' concurrent changes; undo of a create and its redo re-create
// under a new id that later undo entries follow; entries for shapes someone
// else deleted are skipped; two editors exchanging their ops converge.

#include "core/canvas/CanvasEditor.h"

#include <QSignalSpy>
#include <QTest>

using tandem::canvas::CanvasEditor;
using tandem::canvas::CanvasOp;
using tandem::canvas::NewShape;
using tandem::canvas::ShapeKind;
using tandem::canvas::ShapeProperty;
using tandem::offline::HlcTimestamp;

namespace {

/// Stamps from a shared logical time, so that several editors in one test
/// order their writes the way they were made.
struct TestTime {
    qint64 tick = 0;
    CanvasEditor::StampSource source(quint64 nodeId)
    {
        return [this, nodeId] {
            return HlcTimestamp{1'764'000'000'000 + ++tick, 0, nodeId};
        };
    }
};

NewShape rectangle(QPointF from = {0, 0}, QPointF to = {40, 30})
{
    NewShape shape;
    shape.kind = ShapeKind::Rectangle;
    shape.points = {from, to};
    shape.strokeColor = QStringLiteral("#112233");
    return shape;
}

QString created(CanvasEditor &editor, const NewShape &shape = rectangle())
{
    const auto id = editor.createShape(shape);
    if (!id)
        qFatal("createShape failed: %s", qPrintable(id.error().message));
    return id.value();
}

QList<CanvasOp> lastOps(const QSignalSpy &spy)
{
    return spy.last().at(0).value<QList<CanvasOp>>();
}

} // namespace

class TstCanvasEditor : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { qRegisterMetaType<QList<CanvasOp>>(); }

    void createEmitsOneCreateOpAndShowsTheShapeOnTop()
    {
        TestTime time;
        CanvasEditor editor("ana", 0xab, time.source(0xab));
        QSignalSpy ops(&editor, &CanvasEditor::localOps);
        QSignalSpy changed(&editor, &CanvasEditor::changed);
        const QString first = created(editor);
        const QString second = created(editor, rectangle({5, 5}, {9, 9}));

        QCOMPARE(ops.count(), 2);
        QCOMPARE(changed.count(), 2);
        const QList<CanvasOp> emitted = lastOps(ops);
        QCOMPARE(emitted.size(), 1);
        QCOMPARE(emitted[0].type, CanvasOp::Type::Create);
        QCOMPARE(emitted[0].shapeId, second);
        QVERIFY(second.startsWith("ab-"));
        QVERIFY(first != second);
        const auto shapes = editor.model().shapes();
        QCOMPARE(shapes.size(), 2);
        QCOMPARE(shapes.last().id, second); // the newest is on top
        QCOMPARE(shapes.last().points, (QList<QPointF>{{5, 5}, {9, 9}}));
        QCOMPARE(shapes.last().strokeColor, QString("#112233"));
        QVERIFY(editor.canUndo());
    }

    void moveWritesTheGeometryOfEachShape()
    {
        TestTime time;
        CanvasEditor editor("ana", 1, time.source(1));
        const QString a = created(editor);
        const QString b = created(editor, rectangle({100, 100}, {110, 120}));
        QSignalSpy ops(&editor, &CanvasEditor::localOps);
        editor.moveShapes({a, b}, {10, -5});

        QCOMPARE(ops.count(), 1);
        const auto emitted = lastOps(ops);
        QCOMPARE(emitted.size(), 2);
        for (const CanvasOp &op : emitted) {
            QCOMPARE(op.type, CanvasOp::Type::SetProperty);
            QCOMPARE(op.property, ShapeProperty::Geometry);
        }
        QCOMPARE(editor.model().shape(a)->points, (QList<QPointF>{{10, -5}, {50, 25}}));
        QCOMPARE(editor.model().shape(b)->points, (QList<QPointF>{{110, 95}, {120, 115}}));
    }

    void recolourAndDeleteEmitTheirOps()
    {
        TestTime time;
        CanvasEditor editor("ana", 1, time.source(1));
        const QString a = created(editor);
        const QString b = created(editor);
        QSignalSpy ops(&editor, &CanvasEditor::localOps);

        editor.setStrokeColor({a, b}, "#ff0000");
        QCOMPARE(ops.count(), 1);
        QCOMPARE(lastOps(ops).size(), 2);
        QCOMPARE(lastOps(ops)[0].property, ShapeProperty::StrokeColor);
        QCOMPARE(lastOps(ops)[0].value().toString(), QString("#ff0000"));
        QCOMPARE(editor.model().shape(b)->strokeColor, QString("#ff0000"));

        editor.setFill({a}, "#00ff00");
        editor.setStrokeWidth({a}, 7);
        QCOMPARE(editor.model().shape(a)->fill, QString("#00ff00"));
        QCOMPARE(editor.model().shape(a)->strokeWidth, 7.0);

        editor.deleteShapes({a});
        QCOMPARE(ops.count(), 4);
        QCOMPARE(lastOps(ops).size(), 1);
        QCOMPARE(lastOps(ops)[0].type, CanvasOp::Type::Delete);
        QVERIFY(editor.model().isDeleted(a));
        QVERIFY(editor.model().isVisible(b));
    }

    void anInvalidValueIsRefusedWithoutAnOpOrAnUndoStep()
    {
        TestTime time;
        CanvasEditor editor("ana", 1, time.source(1));
        const QString a = created(editor);
        QSignalSpy ops(&editor, &CanvasEditor::localOps);
        editor.setStrokeColor({a}, "not a colour");
        QCOMPARE(ops.count(), 0);
        editor.undo(); // undoes the create, not the refused recolour
        QVERIFY(editor.model().isDeleted(a));
    }

    void undoAndRedoAreNewWritesWithFreshStamps()
    {
        TestTime time;
        CanvasEditor editor("ana", 1, time.source(1));
        const QString a = created(editor);
        QSignalSpy ops(&editor, &CanvasEditor::localOps);
        editor.setFill({a}, "#ff0000");
        const HlcTimestamp recolourStamp = lastOps(ops)[0].stamp;

        editor.undo();
        QCOMPARE(editor.model().shape(a)->fill, QString());
        QCOMPARE(lastOps(ops).size(), 1);
        QCOMPARE(lastOps(ops)[0].property, ShapeProperty::Fill);
        QCOMPARE(lastOps(ops)[0].value().toString(), QString());
        QVERIFY(lastOps(ops)[0].stamp > recolourStamp);
        QVERIFY(editor.canRedo());

        editor.redo();
        QCOMPARE(editor.model().shape(a)->fill, QString("#ff0000"));
        QCOMPARE(ops.count(), 3);
        QVERIFY(!editor.canRedo());
    }

    void undoKeepsAConcurrentRemoteChangeToAnotherProperty()
    {
        TestTime time;
        CanvasEditor ana("ana", 1, time.source(1));
        const QString a = created(ana);
        ana.moveShapes({a}, {50, 50});
        // Bob recolours the shape after Ana moved it.
        ana.applyRemote({CanvasOp::setProperty(a, ShapeProperty::StrokeColor, "#0000ff",
                                               HlcTimestamp{1'764'000'000'000 + ++time.tick, 0, 2})});
        ana.undo();
        QCOMPARE(ana.model().shape(a)->points, (QList<QPointF>{{0, 0}, {40, 30}}));
        QCOMPARE(ana.model().shape(a)->strokeColor, QString("#0000ff"));
    }

    void undoOfCreateThenRedoRecreatesUnderANewIdThatLaterEntriesFollow()
    {
        TestTime time;
        CanvasEditor editor("ana", 1, time.source(1));
        const QString original = created(editor);
        editor.setFill({original}, "#ff0000");
        editor.undo(); // fill
        editor.undo(); // create
        QVERIFY(editor.model().isDeleted(original));
        QVERIFY(editor.model().shapes().isEmpty());

        QSignalSpy ops(&editor, &CanvasEditor::localOps);
        editor.redo(); // create, under a new id
        QCOMPARE(lastOps(ops)[0].type, CanvasOp::Type::Create);
        const QString recreated = lastOps(ops)[0].shapeId;
        QVERIFY(recreated != original);
        QVERIFY(editor.model().isVisible(recreated));

        editor.redo(); // the fill follows the new id
        QCOMPARE(lastOps(ops)[0].shapeId, recreated);
        QCOMPARE(editor.model().shape(recreated)->fill, QString("#ff0000"));

        editor.undo();
        QCOMPARE(editor.model().shape(recreated)->fill, QString());
    }

    void undoOfDeleteRecreatesTheLastState()
    {
        TestTime time;
        CanvasEditor editor("ana", 1, time.source(1));
        const QString a = created(editor);
        editor.setFill({a}, "#00ff00");
        editor.deleteShapes({a});
        editor.undo();
        const auto shapes = editor.model().shapes();
        QCOMPARE(shapes.size(), 1);
        QVERIFY(shapes[0].id != a);
        QCOMPARE(shapes[0].fill, QString("#00ff00"));
        QCOMPARE(shapes[0].points, (QList<QPointF>{{0, 0}, {40, 30}}));

        editor.undo(); // the fill, on the re-created shape
        QCOMPARE(editor.model().shape(shapes[0].id)->fill, QString());
    }

    void entriesForAShapeDeletedRemotelyAreSkipped()
    {
        TestTime time;
        CanvasEditor editor("ana", 1, time.source(1));
        const QString first = created(editor);
        const QString second = created(editor);
        editor.setFill({second}, "#ff0000");
        editor.applyRemote({CanvasOp::remove(second, HlcTimestamp{1'764'000'000'000 + ++time.tick, 0, 2})});

        QSignalSpy ops(&editor, &CanvasEditor::localOps);
        editor.undo(); // the fill and the create of `second` no longer apply
        QCOMPARE(ops.count(), 1);
        QCOMPARE(lastOps(ops)[0].type, CanvasOp::Type::Delete);
        QCOMPARE(lastOps(ops)[0].shapeId, first);
        QVERIFY(!editor.canUndo());
        QVERIFY(editor.model().isDeleted(second)); // not resurrected
    }

    void aGestureSendsLiveButIsOneUndoStep()
    {
        TestTime time;
        CanvasEditor editor("ana", 1, time.source(1));
        const QString a = created(editor);
        QSignalSpy ops(&editor, &CanvasEditor::localOps);
        editor.beginGesture();
        for (int i = 1; i <= 3; ++i)
            editor.moveShapes({a}, {10, 0});
        editor.endGesture();
        QCOMPARE(ops.count(), 3);
        QCOMPARE(editor.model().shape(a)->points.first(), QPointF(30, 0));

        editor.undo();
        QCOMPARE(editor.model().shape(a)->points.first(), QPointF(0, 0));
        QVERIFY(editor.model().isVisible(a)); // the create is a separate step
        editor.redo();
        QCOMPARE(editor.model().shape(a)->points.first(), QPointF(30, 0));
    }

    void editingMarksAreSentButNotUndoable()
    {
        TestTime time;
        CanvasEditor editor("ana", 1, time.source(1));
        const QString a = created(editor);
        QSignalSpy ops(&editor, &CanvasEditor::localOps);
        editor.beginEditing({a});
        QCOMPARE(editor.model().shape(a)->editedBy, QString("ana"));
        QCOMPARE(lastOps(ops)[0].property, ShapeProperty::EditedBy);
        editor.endEditing({a});
        QCOMPARE(editor.model().shape(a)->editedBy, QString());
        QCOMPARE(ops.count(), 2);
        editor.undo(); // the create, not a mark
        QVERIFY(editor.model().isDeleted(a));
    }

    void editTextIsOneActionAndOneUndoStep()
    {
        TestTime time;
        CanvasEditor editor("ana", 1, time.source(1));
        NewShape box = rectangle({0, 0}, {50, 20});
        box.kind = ShapeKind::TextBox;
        box.text = "hi";
        const QString a = created(editor, box);
        QSignalSpy ops(&editor, &CanvasEditor::localOps);
        editor.editText(a, "hello there", {{0, 0}, {120, 20}});
        QCOMPARE(ops.count(), 1);
        QCOMPARE(lastOps(ops).size(), 2);
        QCOMPARE(editor.model().shape(a)->text, QString("hello there"));
        editor.undo();
        QCOMPARE(editor.model().shape(a)->text, QString("hi"));
        QCOMPARE(editor.model().shape(a)->points, (QList<QPointF>{{0, 0}, {50, 20}}));
    }

    void editingMarksCarryTheUserIdSetLater()
    {
        TestTime time;
        CanvasEditor editor(QString(), 1, time.source(1));
        const QString a = created(editor);
        editor.setUserId("ana");
        editor.beginEditing({a});
        QCOMPARE(editor.model().shape(a)->editedBy, QString("ana"));
    }

    void endEditingLeavesSomeoneElsesMark()
    {
        TestTime time;
        CanvasEditor editor("ana", 1, time.source(1));
        const QString a = created(editor);
        editor.beginEditing({a});
        editor.applyRemote({CanvasOp::setProperty(a, ShapeProperty::EditedBy, "bob",
                                                  HlcTimestamp{1'764'000'000'000 + ++time.tick, 0, 2})});
        editor.endEditing({a});
        QCOMPARE(editor.model().shape(a)->editedBy, QString("bob"));
    }

    void bringToFrontAndSendToBackReorder()
    {
        TestTime time;
        CanvasEditor editor("ana", 1, time.source(1));
        const QString a = created(editor);
        const QString b = created(editor);
        const QString c = created(editor);
        auto order = [&] {
            QStringList ids;
            for (const auto &shape : editor.model().shapes())
                ids.append(shape.id);
            return ids;
        };
        editor.bringToFront({a});
        QCOMPARE(order(), (QStringList{b, c, a}));
        editor.sendToBack({c, a});
        QCOMPARE(order(), (QStringList{c, a, b}));
        editor.undo();
        QCOMPARE(order(), (QStringList{b, c, a}));
    }

    void shapesChangedNamesTheTouchedShapesBeforeChanged()
    {
        TestTime time;
        CanvasEditor editor("ana", 1, time.source(1));
        const QString a = created(editor);
        const QString b = created(editor);
        QStringList order;
        QList<QStringList> touched;
        connect(&editor, &CanvasEditor::shapesChanged, this, [&](const QStringList &ids) {
            touched.append(ids);
            order.append("shapes");
        });
        connect(&editor, &CanvasEditor::changed, this, [&] { order.append("changed"); });
        editor.setFill({a, b}, "#ff0000");
        editor.applyRemote({CanvasOp::remove(b, HlcTimestamp{1'764'000'000'000 + ++time.tick, 0, 2}),
                            CanvasOp::remove(b, HlcTimestamp{1'764'000'000'000 + ++time.tick, 0, 2})});
        QCOMPARE(touched, (QList<QStringList>{{a, b}, {b}}));
        QCOMPARE(order, (QStringList{"shapes", "changed", "shapes", "changed"}));
    }

    void newShapesGoOnTopEvenAfterTheTopOneWasDeleted()
    {
        TestTime time;
        CanvasEditor editor("ana", 1, time.source(1));
        const QString a = created(editor);
        // Someone else's shape with a high key arrives, then goes.
        std::array<QJsonValue, tandem::canvas::ShapePropertyCount> values;
        values[size_t(ShapeProperty::ZIndex)] = QStringLiteral("y");
        editor.applyRemote({CanvasOp::create("remote", ShapeKind::Ellipse, values,
                                             HlcTimestamp{1'764'000'000'000 + ++time.tick, 0, 2})});
        editor.applyRemote({CanvasOp::remove("remote", HlcTimestamp{1'764'000'000'000 + ++time.tick, 0, 2})});
        const QString b = created(editor);
        QCOMPARE(editor.model().shapes().last().id, b);
        QVERIFY(editor.model().shape(b)->zIndex > editor.model().shape(a)->zIndex);
    }

    void invalidRemoteOpsAreSkipped()
    {
        TestTime time;
        CanvasEditor editor("ana", 1, time.source(1));
        const QString a = created(editor);
        QSignalSpy changed(&editor, &CanvasEditor::changed);
        CanvasOp bad = CanvasOp::setProperty(a, ShapeProperty::StrokeColor, "purple",
                                             HlcTimestamp{1'764'000'000'000 + ++time.tick, 0, 2});
        CanvasOp good = CanvasOp::setProperty(a, ShapeProperty::Fill, "#abcdef",
                                              HlcTimestamp{1'764'000'000'000 + ++time.tick, 0, 2});
        editor.applyRemote({bad, good});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(editor.model().shape(a)->strokeColor, QString("#112233"));
        QCOMPARE(editor.model().shape(a)->fill, QString("#abcdef"));
    }

    void theUndoStackIsBounded()
    {
        TestTime time;
        CanvasEditor editor("ana", 1, time.source(1));
        const QString a = created(editor);
        for (int i = 0; i < CanvasEditor::MaxUndoSteps + 10; ++i)
            editor.setStrokeWidth({a}, i + 1);
        int undone = 0;
        while (editor.canUndo()) {
            editor.undo();
            ++undone;
        }
        QCOMPARE(undone, CanvasEditor::MaxUndoSteps);
        QVERIFY(editor.model().isVisible(a)); // the create fell off the bottom
    }

    void twoEditorsExchangingTheirOpsConverge()
    {
        TestTime time;
        CanvasEditor ana("ana", 1, time.source(1));
        CanvasEditor bob("bob", 2, time.source(2));
        connect(&ana, &CanvasEditor::localOps, &bob, &CanvasEditor::applyRemote);
        connect(&bob, &CanvasEditor::localOps, &ana, &CanvasEditor::applyRemote);

        const QString a = created(ana);
        const QString b = created(bob, rectangle({5, 5}, {50, 50}));
        ana.moveShapes({a, b}, {3, 4});
        bob.setFill({a}, "#ff00ff");
        bob.bringToFront({a});
        ana.deleteShapes({b});
        ana.undo(); // b comes back under a new id
        bob.undo(); // the bring-to-front, as a new write
        ana.redo();
        bob.setStrokeColor({a}, "#00aa00");
        ana.undo();

        QCOMPARE(ana.model().stateHash(), bob.model().stateHash());
        QVERIFY(!ana.model().shapes().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstCanvasEditor)
#include "tst_canvaseditor.moc"
