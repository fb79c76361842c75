// CanvasModel, one rule per test: last write wins per property by HLC stamp
// with the node id breaking ties; a delete is a tombstone no edit undoes; an
// edit that arrives before its create is kept; a create writes every
// property at its stamp; "being edited by" marks are last-write-wins too;
// duplicates change nothing; render order is z-index then shape id.

#include "core/canvas/CanvasModel.h"

#include <QJsonArray>
#include <QTest>

#include <algorithm>
#include <numeric>

using tandem::canvas::CanvasModel;
using tandem::canvas::CanvasOp;
using tandem::canvas::ShapeKind;
using tandem::canvas::ShapeProperty;
using tandem::canvas::ShapePropertyCount;
using tandem::offline::HlcTimestamp;
using Outcome = tandem::canvas::CanvasModel::Outcome;

Q_DECLARE_METATYPE(tandem::canvas::CanvasModel::Outcome)

namespace {
HlcTimestamp at(qint64 wallMs, quint64 node, quint32 counter = 0)
{
    return HlcTimestamp{1'764'000'000'000 + wallMs, counter, node};
}

CanvasOp createAt(const QString &id, HlcTimestamp stamp, const QString &z = QStringLiteral("V"),
                  ShapeKind kind = ShapeKind::Rectangle)
{
    std::array<QJsonValue, ShapePropertyCount> values;
    values[size_t(ShapeProperty::ZIndex)] = z;
    values[size_t(ShapeProperty::Geometry)] = QJsonArray{QJsonArray{0, 0}, QJsonArray{10, 10}};
    return CanvasOp::create(id, kind, values, stamp);
}

CanvasOp fill(const QString &id, const QString &colour, HlcTimestamp stamp)
{
    return CanvasOp::setProperty(id, ShapeProperty::Fill, colour, stamp);
}

Outcome applied(CanvasModel &model, const CanvasOp &op)
{
    const auto outcome = model.apply(op);
    if (!outcome)
        qFatal("apply refused a valid op: %s", qPrintable(outcome.error().message));
    return outcome.value();
}

/// Applies `ops` to a fresh model in every order; returns the hashes seen.
QList<QByteArray> hashesOverAllOrders(QList<CanvasOp> ops)
{
    QList<int> order(ops.size());
    std::iota(order.begin(), order.end(), 0);
    QList<QByteArray> hashes;
    do {
        CanvasModel model;
        for (int i : order)
            applied(model, ops[i]);
        hashes.append(model.stateHash());
    } while (std::next_permutation(order.begin(), order.end()));
    return hashes;
}
} // namespace

class TestCanvasModel : public QObject {
    Q_OBJECT

private slots:
    void createMakesAVisibleShapeWithEveryProperty()
    {
        CanvasModel model;
        QCOMPARE(applied(model, createAt("s", at(0, 1), "V", ShapeKind::Ellipse)), Outcome::Applied);
        const auto shape = model.shape("s");
        QVERIFY(shape);
        QCOMPARE(shape->kind, ShapeKind::Ellipse);
        QCOMPARE(shape->points, (QList<QPointF>{{0, 0}, {10, 10}}));
        QCOMPARE(shape->strokeColor, QStringLiteral("#000000"));
        QCOMPARE(shape->strokeWidth, 1.0);
        QCOMPARE(shape->zIndex, QStringLiteral("V"));
        QCOMPARE(shape->editedBy, QString());
        QCOMPARE(model.shapes().size(), 1);
    }

    void laterWriteWinsPerProperty()
    {
        CanvasModel model;
        applied(model, createAt("s", at(0, 1)));
        QCOMPARE(applied(model, fill("s", "#111111", at(20, 2))), Outcome::Applied);
        QCOMPARE(applied(model, fill("s", "#222222", at(10, 3))), Outcome::Superseded);
        QCOMPARE(model.shape("s")->fill, QStringLiteral("#111111"));
        // A move at another stamp does not touch the fill: the registers are per property.
        applied(model, CanvasOp::setProperty("s", ShapeProperty::StrokeWidth, 4.0, at(5, 3)));
        QCOMPARE(model.shape("s")->strokeWidth, 4.0);
        QCOMPARE(model.shape("s")->fill, QStringLiteral("#111111"));
    }

    void counterOrdersWithinOneMillisecond()
    {
        CanvasModel model;
        applied(model, createAt("s", at(0, 1)));
        applied(model, fill("s", "#bbbbbb", at(10, 1, 2)));
        applied(model, fill("s", "#aaaaaa", at(10, 1, 1)));
        QCOMPARE(model.shape("s")->fill, QStringLiteral("#bbbbbb"));
    }

    void nodeIdBreaksTiesTheSameEverywhere()
    {
        const QList<CanvasOp> ops{createAt("s", at(0, 1)), fill("s", "#aaaaaa", at(10, 7)),
                                  fill("s", "#bbbbbb", at(10, 3))};
        const QList<QByteArray> hashes = hashesOverAllOrders(ops);
        for (const QByteArray &hash : hashes)
            QCOMPARE(hash, hashes.first());
        CanvasModel model;
        for (const CanvasOp &op : ops)
            applied(model, op);
        QCOMPARE(model.shape("s")->fill, QStringLiteral("#aaaaaa"));
    }

    void duplicatesChangeNothing()
    {
        CanvasModel model;
        const CanvasOp create = createAt("s", at(0, 1));
        const CanvasOp edit = fill("s", "#123456", at(5, 2));
        applied(model, create);
        applied(model, edit);
        const QByteArray before = model.stateHash();
        QCOMPARE(applied(model, create), Outcome::Superseded);
        QCOMPARE(applied(model, edit), Outcome::Superseded);
        QCOMPARE(model.stateHash(), before);
    }

    void deleteWinsOverConcurrentAndLaterEdits()
    {
        CanvasModel model;
        applied(model, createAt("s", at(0, 1)));
        QCOMPARE(applied(model, CanvasOp::remove("s", at(10, 1))), Outcome::Applied);
        QVERIFY(model.isDeleted("s"));
        QVERIFY(!model.isVisible("s"));
        // Edits stamped before, after and far after the delete all stay dropped.
        QCOMPARE(applied(model, fill("s", "#010101", at(5, 2))), Outcome::Deleted);
        QCOMPARE(applied(model, fill("s", "#020202", at(50, 2))), Outcome::Deleted);
        QCOMPARE(applied(model, createAt("s", at(90, 3))), Outcome::Deleted);
        QCOMPARE(applied(model, CanvasOp::remove("s", at(9, 4))), Outcome::Superseded);
        QVERIFY(model.shapes().isEmpty());
        QCOMPARE(model.toJson(), QJsonArray());
    }

    void deleteBeforeCreateStillDeletes()
    {
        const QList<CanvasOp> ops{createAt("s", at(0, 1)), CanvasOp::remove("s", at(10, 2)),
                                  fill("s", "#abcdef", at(20, 3))};
        const QByteArray empty = CanvasModel().stateHash();
        for (const QByteArray &hash : hashesOverAllOrders(ops))
            QCOMPARE(hash, empty);
    }

    void editBeforeCreateIsKeptAndShownOnCreate()
    {
        CanvasModel model;
        QCOMPARE(applied(model, fill("s", "#00ff00", at(20, 2))), Outcome::Applied);
        QVERIFY(!model.isVisible("s"));
        QVERIFY(model.shapes().isEmpty());
        applied(model, createAt("s", at(0, 1)));
        QCOMPARE(model.shape("s")->fill, QStringLiteral("#00ff00"));
    }

    void createIsAWriteOfEveryPropertyAtItsStamp()
    {
        // An edit older than the create (a replica with a slow clock that
        // received the create through another path) loses to the create's value.
        CanvasModel model;
        applied(model, fill("s", "#00ff00", at(-5, 2)));
        std::array<QJsonValue, ShapePropertyCount> values;
        values[size_t(ShapeProperty::Fill)] = QStringLiteral("#ff0000");
        applied(model, CanvasOp::create("s", ShapeKind::Line, values, at(0, 1)));
        QCOMPARE(model.shape("s")->fill, QStringLiteral("#ff0000"));
    }

    void editedByMarkIsLastWriteWins()
    {
        CanvasModel model;
        applied(model, createAt("s", at(0, 1)));
        applied(model, CanvasOp::setProperty("s", ShapeProperty::EditedBy, QStringLiteral("ana"), at(10, 1)));
        QCOMPARE(model.shape("s")->editedBy, QStringLiteral("ana"));
        applied(model, CanvasOp::setProperty("s", ShapeProperty::EditedBy, QStringLiteral("bo"), at(5, 2)));
        QCOMPARE(model.shape("s")->editedBy, QStringLiteral("ana"));
        applied(model, CanvasOp::setProperty("s", ShapeProperty::EditedBy, QString(), at(30, 1)));
        QCOMPARE(model.shape("s")->editedBy, QString());
    }

    void textOfATextBox()
    {
        CanvasModel model;
        applied(model, createAt("t", at(0, 1), "V", ShapeKind::TextBox));
        applied(model, CanvasOp::setProperty("t", ShapeProperty::Text, QStringLiteral("hello"), at(3, 1)));
        QCOMPARE(model.shape("t")->kind, ShapeKind::TextBox);
        QCOMPARE(model.shape("t")->text, QStringLiteral("hello"));
    }

    void renderOrderIsZIndexThenShapeId()
    {
        CanvasModel model;
        applied(model, createAt("c", at(0, 1), "a"));
        applied(model, createAt("b", at(1, 1), "V"));
        applied(model, createAt("a", at(2, 1), "V"));
        applied(model, createAt("d", at(3, 1), "1"));
        QStringList ids;
        for (const auto &shape : model.shapes())
            ids << shape.id;
        QCOMPARE(ids, (QStringList{"d", "a", "b", "c"}));
        // Reorder: bring d to the top with a key above c's.
        const auto top = model.zIndexOnTop(1);
        QVERIFY(top);
        applied(model, CanvasOp::setProperty("d", ShapeProperty::ZIndex, top.value(), at(9, 1)));
        QCOMPARE(model.shapes().back().id, QStringLiteral("d"));
        // a and b share a key: there is no room between them, and that is refused.
        QVERIFY(!model.zIndexBetween("a", "b", 1));
        const auto between = model.zIndexBetween("d", {}, 2);
        QVERIFY(between);
        QVERIFY(model.shapes().back().zIndex < between.value());
    }

    void concurrentReordersToTheSameSpotStayDistinct()
    {
        CanvasModel model;
        applied(model, createAt("low", at(0, 1), "G"));
        applied(model, createAt("high", at(1, 1), "g"));
        applied(model, createAt("x", at(2, 1), "1"));
        applied(model, createAt("y", at(3, 1), "2"));
        const auto keyA = model.zIndexBetween("low", "high", 11);
        const auto keyB = model.zIndexBetween("low", "high", 12);
        QVERIFY(keyA && keyB);
        QVERIFY(keyA.value() != keyB.value());
        applied(model, CanvasOp::setProperty("x", ShapeProperty::ZIndex, keyA.value(), at(10, 11)));
        applied(model, CanvasOp::setProperty("y", ShapeProperty::ZIndex, keyB.value(), at(10, 12)));
        QStringList ids;
        for (const auto &shape : model.shapes())
            ids << shape.id;
        QCOMPARE(ids.first(), QStringLiteral("low"));
        QCOMPARE(ids.last(), QStringLiteral("high"));
    }

    void invalidOpsAreRefusedAndChangeNothing()
    {
        CanvasModel model;
        applied(model, createAt("s", at(0, 1)));
        const QByteArray before = model.stateHash();
        QVERIFY(!model.apply(fill("s", "not a colour", at(10, 1))));
        QVERIFY(!model.apply(fill("s", "#123456", HlcTimestamp{})));
        QVERIFY(!model.apply(fill("", "#123456", at(10, 1))));
        QCOMPARE(model.stateHash(), before);
    }

    void hashTellsStatesApart()
    {
        CanvasModel a;
        CanvasModel b;
        applied(a, createAt("s", at(0, 1)));
        applied(b, createAt("s", at(0, 1)));
        QCOMPARE(a.stateHash(), b.stateHash());
        applied(b, fill("s", "#000001", at(1, 1)));
        QVERIFY(a.stateHash() != b.stateHash());
    }
};

QTEST_GUILESS_MAIN(TestCanvasModel)
#include "tst_canvasmodel.moc"
