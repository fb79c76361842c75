// The canvas tab driven like a user would: QTest mouse and key events on the
// real CanvasTab (offscreen) draw, select, move, delete, undo, redo and zoom;
// the exports are checked as XML and as pixels; remote cursors are checked on
// a grab of the widget. With TANDEM_SCREENSHOT_DIR set, canvas.png is saved
// there.

#include "core/canvas/CanvasEditor.h"
#include "core/canvas/RemoteCursors.h"
#include "core/common/Clock.h"
#include "core/docs/UserColor.h"
#include "ui/canvas/CanvasExport.h"
#include "ui/canvas/CanvasTab.h"
#include "ui/canvas/ShapePainter.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonValue>
#include <QLineEdit>
#include <QNativeGestureEvent>
#include <QPointingDevice>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QXmlStreamReader>

#include <algorithm>

using tandem::ManualClock;
using tandem::canvas::CanvasEditor;
using tandem::canvas::CanvasOp;
using tandem::canvas::RemoteCursors;
using tandem::canvas::Shape;
using tandem::canvas::ShapeKind;
using tandem::canvas::ShapeProperty;
using tandem::offline::HlcTimestamp;
using tandem::ui::CanvasTab;
using tandem::ui::CanvasView;

namespace {

/// One user's canvas tab on a local editor, with stamps from a counter.
struct Rig {
    qint64 tick = 0;
    ManualClock clock;
    CanvasEditor editor{"ana", 0xa1, [this] {
                            return HlcTimestamp{1'764'000'000'000 + ++tick, 0, 0xa1};
                        }};
    RemoteCursors cursors{clock};
    CanvasTab tab{editor, &cursors};
    QList<CanvasOp> sent;

    Rig()
    {
        QObject::connect(&editor, &CanvasEditor::localOps, &tab,
                         [this](const QList<CanvasOp> &ops) { sent += ops; });
        tab.resize(1400, 700); // wide enough for the whole toolbar
        tab.show();
        if (!QTest::qWaitForWindowExposed(&tab))
            qFatal("the canvas tab was not exposed");
        view()->setFocus();
    }
    CanvasView *view() const { return tab.view(); }
    QPoint at(QPointF canvasPosition) const { return view()->mapFromCanvas(canvasPosition).toPoint(); }
    void choose(CanvasView::Tool tool) { QTest::mouseClick(tab.toolButton(tool), Qt::LeftButton); }
    void drag(QPointF from, QPointF to, Qt::KeyboardModifiers modifiers = {})
    {
        QTest::mousePress(view(), Qt::LeftButton, modifiers, at(from));
        const int steps = 8;
        for (int i = 1; i <= steps; ++i) {
            const QPointF point = from + (to - from) * i / double(steps);
            QMouseEvent move(QEvent::MouseMove, at(point), view()->mapToGlobal(at(point)), Qt::NoButton,
                             Qt::LeftButton, modifiers);
            QApplication::sendEvent(view(), &move);
        }
        QTest::mouseRelease(view(), Qt::LeftButton, modifiers, at(to));
    }
    QList<Shape> shapes() const { return editor.model().shapes(); }
};

QColor pixel(const QImage &image, QPointF position)
{
    return image.pixelColor(position.toPoint());
}

} // namespace

class TstCanvasView : public QObject {
    Q_OBJECT

private slots:
    void panningRepaintsOnlyWhatItUncoversYetLooksLikeAFullRepaint()
    {
        // Shapes of every kind all over the view; the view then pans in
        // integral steps (its layer is shifted and the uncovered strips
        // painted) and must show exactly what a view opened there paints.
        Rig rig;
        QList<CanvasOp> ops;
        const QList<ShapeKind> kinds{ShapeKind::Stroke,    ShapeKind::Line,    ShapeKind::Arrow,
                                     ShapeKind::Rectangle, ShapeKind::Ellipse, ShapeKind::TextBox};
        for (int i = 0; i < 60; ++i) {
            std::array<QJsonValue, tandem::canvas::ShapePropertyCount> values;
            const double x = (i % 10) * 130.0 - 100;
            const double y = (i / 10) * 110.0 - 60;
            QList<QPointF> points{{x, y}, {x + 90, y + 70}};
            if (kinds[i % 6] == ShapeKind::Stroke)
                points = {{x, y}, {x + 30, y + 50}, {x + 60, y + 10}, {x + 95, y + 65}};
            values[size_t(ShapeProperty::Geometry)] = tandem::canvas::encodePoints(points);
            values[size_t(ShapeProperty::StrokeColor)] = i % 2 ? "#1f6feb" : "#d1242f";
            values[size_t(ShapeProperty::Fill)] = i % 3 ? "" : "#ffd33d";
            values[size_t(ShapeProperty::StrokeWidth)] = 1 + i % 4;
            values[size_t(ShapeProperty::Text)] = QStringLiteral("note %1").arg(i);
            values[size_t(ShapeProperty::ZIndex)] = *rig.editor.model().zIndexOnTop(0x100 + i);
            ops.append(CanvasOp::create(QStringLiteral("s%1").arg(i), kinds[i % 6], values,
                                        HlcTimestamp{1'764'000'000'000 + i, 0, 0xb2}));
        }
        rig.editor.applyRemote(ops);
        CanvasView *view = rig.view();
        view->grab(); // the layer at the start
        for (const QPointF step : {QPointF(37, 0), QPointF(0, -23), QPointF(-61, 44), QPointF(5, 5)}) {
            view->panBy(step);
            const QImage panned = view->grab().toImage();
            CanvasView fresh(rig.editor, nullptr);
            fresh.resize(view->size());
            fresh.panBy(view->mapFromCanvas({0, 0}) - fresh.mapFromCanvas({0, 0}));
            QCOMPARE(fresh.mapFromCanvas({0, 0}), view->mapFromCanvas({0, 0}));
            const QImage whole = fresh.grab().toImage().convertToFormat(panned.format());
            QCOMPARE(panned.size(), whole.size());
            // Equal but for the antialiasing of lines that cross the view's
            // edge: Qt clips them to the device first, which moves their
            // rasterised edge by a fraction of a pixel (two full repaints at
            // offsets 5 px apart differ the same way). A strip painted in the
            // wrong place, or not at all, would differ in thousands of pixels.
            int differing = 0;
            for (int y = 0; y < panned.height(); ++y) {
                for (int x = 0; x < panned.width(); ++x)
                    differing += panned.pixel(x, y) != whole.pixel(x, y);
            }
            QVERIFY2(
                differing <= panned.width() * panned.height() / 2000,
                qPrintable(QStringLiteral("after a pan by (%1, %2), %3 pixels differ from a full repaint")
                               .arg(step.x())
                               .arg(step.y())
                               .arg(differing)));
        }
    }

    void drawingARectangleCreatesOneShapeWithTheChosenStyle()
    {
        Rig rig;
        rig.choose(CanvasView::Tool::Rectangle);
        QCOMPARE(rig.view()->tool(), CanvasView::Tool::Rectangle);
        rig.view()->setStrokeColor(QColor("#cc2200"));
        rig.drag({100, 100}, {300, 200});

        const auto shapes = rig.shapes();
        QCOMPARE(shapes.size(), 1);
        QCOMPARE(shapes[0].kind, ShapeKind::Rectangle);
        QCOMPARE(shapes[0].points, (QList<QPointF>{{100, 100}, {300, 200}}));
        QCOMPARE(shapes[0].strokeColor, QString("#cc2200"));
        QCOMPARE(rig.sent.size(), 1);
        QCOMPARE(rig.sent[0].type, CanvasOp::Type::Create);

        const QImage grab = rig.view()->grab().toImage();
        QCOMPARE(pixel(grab, rig.at({200, 100})), QColor("#cc2200"));
        QCOMPARE(pixel(grab, rig.at({200, 150})), QColor(Qt::white));
    }

    void aPenStrokeKeepsItsPoints()
    {
        Rig rig;
        QTest::keyClick(rig.view(), Qt::Key_P);
        QCOMPARE(rig.view()->tool(), CanvasView::Tool::Pen);
        rig.drag({50, 50}, {250, 130});
        const auto shapes = rig.shapes();
        QCOMPARE(shapes.size(), 1);
        QCOMPARE(shapes[0].kind, ShapeKind::Stroke);
        QVERIFY(shapes[0].points.size() >= 5);
        QCOMPARE(shapes[0].points.first(), QPointF(50, 50));
        QCOMPARE(shapes[0].points.last(), QPointF(250, 130));
    }

    void selectMoveDeleteUndoRedo()
    {
        Rig rig;
        rig.choose(CanvasView::Tool::Rectangle);
        rig.drag({100, 100}, {200, 200});
        rig.choose(CanvasView::Tool::Select);
        const QString id = rig.shapes()[0].id;

        QTest::mouseClick(rig.view(), Qt::LeftButton, {}, rig.at({150, 150}));
        QCOMPARE(rig.view()->selection(), QStringList{id});

        rig.sent.clear();
        rig.drag({150, 150}, {190, 170});
        QCOMPARE(rig.shapes()[0].points, (QList<QPointF>{{140, 120}, {240, 220}}));
        // Editing marks on and off, and at least the final geometry.
        QVERIFY(rig.sent.size() >= 3);
        QCOMPARE(rig.sent.first().property, tandem::canvas::ShapeProperty::EditedBy);
        QCOMPARE(rig.sent.last().property, tandem::canvas::ShapeProperty::EditedBy);
        QCOMPARE(rig.shapes()[0].editedBy, QString());
        // Eight moves in one burst: the first goes out at once, the rest coalesce into the final one.
        const auto geometryOps = std::count_if(rig.sent.cbegin(), rig.sent.cend(), [](const CanvasOp &op) {
            return op.property == tandem::canvas::ShapeProperty::Geometry;
        });
        QCOMPARE(geometryOps, 2);

        QTest::keyClick(rig.view(), Qt::Key_Delete);
        QVERIFY(rig.shapes().isEmpty());

        QTest::keyClick(rig.view(), Qt::Key_Z, Qt::ControlModifier); // the delete: back under a new id
        QCOMPARE(rig.shapes().size(), 1);
        QCOMPARE(rig.shapes()[0].points, (QList<QPointF>{{140, 120}, {240, 220}}));
        QTest::keyClick(rig.view(), Qt::Key_Z, Qt::ControlModifier); // the whole drag is one step
        QCOMPARE(rig.shapes()[0].points, (QList<QPointF>{{100, 100}, {200, 200}}));
        QTest::keyClick(rig.view(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(rig.shapes()[0].points, (QList<QPointF>{{140, 120}, {240, 220}}));
        QTest::keyClick(rig.view(), Qt::Key_Z, Qt::ControlModifier);
        QTest::keyClick(rig.view(), Qt::Key_Y, Qt::ControlModifier);
        QCOMPARE(rig.shapes()[0].points, (QList<QPointF>{{140, 120}, {240, 220}}));
    }

    void shiftClickAndRubberBandSelectSeveral()
    {
        Rig rig;
        rig.choose(CanvasView::Tool::Ellipse);
        rig.drag({100, 100}, {150, 150});
        rig.drag({300, 100}, {350, 150});
        rig.drag({500, 400}, {550, 450});
        rig.choose(CanvasView::Tool::Select);
        const auto shapes = rig.shapes();

        QTest::mouseClick(rig.view(), Qt::LeftButton, {}, rig.at({125, 125}));
        QTest::mouseClick(rig.view(), Qt::LeftButton, Qt::ShiftModifier, rig.at({325, 125}));
        QCOMPARE(rig.view()->selection().size(), 2);

        rig.drag({80, 80}, {400, 200}); // from empty space: a rubber band
        QCOMPARE(rig.view()->selection(), (QStringList{shapes[0].id, shapes[1].id}));
        QTest::keyClick(rig.view(), Qt::Key_Delete);
        QCOMPARE(rig.shapes().size(), 1);
        QCOMPARE(rig.shapes()[0].id, shapes[2].id);
    }

    void reorderingButtonsFollowTheSelection()
    {
        Rig rig;
        rig.choose(CanvasView::Tool::Rectangle);
        rig.drag({100, 100}, {200, 200});
        rig.drag({150, 150}, {250, 250});
        rig.choose(CanvasView::Tool::Select);
        const QString bottom = rig.shapes()[0].id;
        auto *front = rig.tab.findChild<QToolButton *>("canvasBringToFront");
        QVERIFY(!front->isEnabled());
        QTest::mouseClick(rig.view(), Qt::LeftButton, {}, rig.at({110, 110}));
        QVERIFY(front->isEnabled());
        QTest::mouseClick(front, Qt::LeftButton);
        QCOMPARE(rig.shapes()[1].id, bottom);
        QTest::keyClick(rig.view(), Qt::Key_BracketLeft, Qt::ControlModifier);
        QCOMPARE(rig.shapes()[0].id, bottom);
    }

    void selectAllAndArrowKeysNudge()
    {
        Rig rig;
        rig.choose(CanvasView::Tool::Rectangle);
        rig.drag({100, 100}, {200, 200});
        rig.drag({300, 100}, {400, 200});
        QTest::keyClick(rig.view(), Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(rig.view()->tool(), CanvasView::Tool::Select);
        QCOMPARE(rig.view()->selection().size(), 2);
        QTest::keyClick(rig.view(), Qt::Key_Right);
        QTest::keyClick(rig.view(), Qt::Key_Down, Qt::ShiftModifier);
        QCOMPARE(rig.shapes()[0].points.first(), QPointF(101, 110));
        QCOMPARE(rig.shapes()[1].points.first(), QPointF(301, 110));
        QTest::keyClick(rig.view(), Qt::Key_Z, Qt::ControlModifier); // one step per key press
        QCOMPARE(rig.shapes()[0].points.first(), QPointF(101, 100));
    }

    void aCornerHandleResizes()
    {
        Rig rig;
        rig.choose(CanvasView::Tool::Rectangle);
        rig.drag({100, 100}, {200, 200});
        rig.choose(CanvasView::Tool::Select);
        QTest::mouseClick(rig.view(), Qt::LeftButton, {}, rig.at({150, 150}));
        rig.drag({200, 200}, {300, 250});
        QCOMPARE(rig.shapes()[0].points, (QList<QPointF>{{100, 100}, {300, 250}}));
    }

    void zoomKeepsThePointUnderTheCursorAndStaysInBounds()
    {
        Rig rig;
        const QPoint anchor(400, 300);
        const QPointF before = rig.view()->mapToCanvas(anchor);
        QSignalSpy zoomed(rig.view(), &CanvasView::zoomChanged);
        QWheelEvent wheel(anchor, rig.view()->mapToGlobal(anchor), {}, QPoint(0, 240), Qt::NoButton,
                          Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(rig.view(), &wheel);
        QCOMPARE(zoomed.count(), 1);
        QVERIFY(rig.view()->zoom() > 1.2);
        QVERIFY(QLineF(rig.view()->mapToCanvas(anchor), before).length() < 1e-6);

        // A touchpad pinch zooms around the fingers too.
        const double beforePinch = rig.view()->zoom();
        const QPointF pinchedAt = rig.view()->mapToCanvas(QPointF(200, 150));
        QNativeGestureEvent pinch(Qt::ZoomNativeGesture, QPointingDevice::primaryPointingDevice(), 2,
                                  QPointF(200, 150), QPointF(200, 150),
                                  rig.view()->mapToGlobal(QPointF(200, 150)), 0.5, QPointF(), 1);
        QApplication::sendEvent(rig.view(), &pinch);
        QCOMPARE(rig.view()->zoom(), beforePinch * 1.5);
        QVERIFY(QLineF(rig.view()->mapToCanvas(QPointF(200, 150)), pinchedAt).length() < 1e-6);

        for (int i = 0; i < 40; ++i)
            QTest::mouseClick(rig.tab.findChild<QToolButton *>("canvasZoomIn"), Qt::LeftButton);
        QCOMPARE(rig.view()->zoom(), CanvasView::MaxZoom);
        for (int i = 0; i < 60; ++i)
            QTest::mouseClick(rig.tab.findChild<QToolButton *>("canvasZoomOut"), Qt::LeftButton);
        QCOMPARE(rig.view()->zoom(), CanvasView::MinZoom);
        QTest::mouseClick(rig.tab.findChild<QToolButton *>("canvasZoomReset"), Qt::LeftButton);
        QCOMPARE(rig.view()->zoom(), 1.0);

        // Drawing while zoomed lands in canvas coordinates.
        rig.view()->setZoom(2, QPointF(0, 0));
        rig.choose(CanvasView::Tool::Line);
        rig.drag({10, 10}, {60, 40});
        QCOMPARE(rig.shapes()[0].points, (QList<QPointF>{{10, 10}, {60, 40}}));

        // The wheel without Ctrl pans.
        const QPointF origin = rig.view()->mapFromCanvas({0, 0});
        QWheelEvent scroll(anchor, rig.view()->mapToGlobal(anchor), {}, QPoint(0, -120), Qt::NoButton, {},
                           Qt::NoScrollPhase, false);
        QApplication::sendEvent(rig.view(), &scroll);
        QCOMPARE(rig.view()->mapFromCanvas({0, 0}).y(), origin.y() - 40);
    }

    void exportsHoldTheShapes()
    {
        Rig rig;
        rig.view()->setStrokeColor(QColor("#0044aa"));
        rig.view()->setFillColor(QColor("#ffcc00"));
        rig.choose(CanvasView::Tool::Rectangle);
        rig.drag({10, 10}, {110, 90}); // not at (0, 0): QTest reads a null point as the centre
        rig.choose(CanvasView::Tool::Arrow);
        rig.drag({200, 50}, {300, 120});
        // A text box with characters XML must escape.
        rig.choose(CanvasView::Tool::Text);
        QTest::mouseClick(rig.view(), Qt::LeftButton, {}, rig.at({20, 200}));
        auto *edit = rig.view()->findChild<QLineEdit *>("canvasTextEdit");
        QVERIFY(edit);
        QTest::keyClicks(edit, "a < b & \"c\"");
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(rig.shapes().size(), 3);
        QCOMPARE(rig.shapes()[2].text, QString("a < b & \"c\""));

        QTemporaryDir directory;
        QVERIFY(directory.isValid());
        const QString svgPath = directory.filePath("canvas.svg");
        QString error;
        QVERIFY2(rig.tab.exportSvg(svgPath, &error), qPrintable(error));
        QFile svgFile(svgPath);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&svgFile);
        QStringList elements;
        QString text;
        while (!xml.atEnd()) {
            if (xml.readNext() == QXmlStreamReader::StartElement)
                elements.append(xml.name().toString());
            else if (xml.isCharacters())
                text += xml.text();
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(elements.first(), QString("svg"));
        QVERIFY(elements.contains("rect"));
        QVERIFY(elements.contains("polygon")); // the arrow head
        QVERIFY(elements.contains("tspan"));
        QVERIFY(text.contains("a < b & \"c\""));

        const QImage image = tandem::ui::renderCanvasImage(rig.editor.model());
        QVERIFY(!image.isNull());
        // The image starts at the shapes' top left minus the margin.
        const QRectF bounds = tandem::ui::canvasBounds(rig.editor.model());
        const QPointF offset = QPointF(tandem::ui::ExportMargin, tandem::ui::ExportMargin) - bounds.topLeft();
        QCOMPARE(pixel(image, QPointF(60, 50) + offset), QColor("#ffcc00"));
        QCOMPARE(pixel(image, QPointF(60, 10) + offset), QColor("#0044aa"));
        QCOMPARE(pixel(image, QPointF(150, 150) + offset), QColor(Qt::white));

        const QString pngPath = directory.filePath("canvas.png");
        QVERIFY2(rig.tab.exportPng(pngPath, &error), qPrintable(error));
        QImage reloaded(pngPath);
        QCOMPARE(reloaded.size(), image.size());
    }

    void doubleClickEditsATextBoxUnderAnEditingMark()
    {
        Rig rig;
        QTest::keyClick(rig.view(), Qt::Key_T);
        QTest::mouseClick(rig.view(), Qt::LeftButton, {}, rig.at({100, 100}));
        auto *edit = rig.view()->findChild<QLineEdit *>("canvasTextEdit");
        QVERIFY(edit);
        QTest::keyClicks(edit, "Plan");
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_VERIFY(!rig.view()->findChild<QLineEdit *>("canvasTextEdit"));
        QCOMPARE(rig.shapes().size(), 1);
        const QString id = rig.shapes()[0].id;

        QTest::keyClick(rig.view(), Qt::Key_V);
        QTest::mouseDClick(rig.view(), Qt::LeftButton, {}, rig.at({110, 110}));
        edit = rig.view()->findChild<QLineEdit *>("canvasTextEdit");
        QVERIFY(edit);
        QCOMPARE(edit->text(), QString("Plan"));
        QCOMPARE(rig.editor.model().shape(id)->editedBy, QString("ana"));
        edit->end(false);
        QTest::keyClicks(edit, " B");
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(rig.editor.model().shape(id)->text, QString("Plan B"));
        QCOMPARE(rig.editor.model().shape(id)->editedBy, QString());
        QVERIFY(rig.editor.model().shape(id)->points.last().x() > rig.shapes()[0].points.first().x() + 40);

        QTest::keyClick(rig.view(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(rig.editor.model().shape(id)->text, QString("Plan"));

        // The text tool on an existing box edits it too.
        QTRY_VERIFY(!rig.view()->findChild<QLineEdit *>("canvasTextEdit")); // the last one is gone
        QTest::keyClick(rig.view(), Qt::Key_T);
        QTest::mouseClick(rig.view(), Qt::LeftButton, {}, rig.at({110, 110}));
        edit = rig.view()->findChild<QLineEdit *>("canvasTextEdit");
        QVERIFY(edit);
        QCOMPARE(edit->text(), QString("Plan"));
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(rig.shapes().size(), 1);
    }

    void spaceDragAndMiddleDragPan()
    {
        Rig rig;
        // Widget coordinates throughout: the canvas moves under the pointer.
        auto pan = [&rig](Qt::MouseButton button, QPoint from, QPoint to) {
            QTest::mousePress(rig.view(), button, {}, from);
            QMouseEvent move(QEvent::MouseMove, to, rig.view()->mapToGlobal(to), Qt::NoButton, button, {});
            QApplication::sendEvent(rig.view(), &move);
            QTest::mouseRelease(rig.view(), button, {}, to);
        };
        const QPointF origin = rig.view()->mapFromCanvas({0, 0});
        QTest::keyPress(rig.view(), Qt::Key_Space);
        pan(Qt::LeftButton, {100, 100}, {130, 150});
        QTest::keyRelease(rig.view(), Qt::Key_Space);
        QCOMPARE(rig.view()->mapFromCanvas({0, 0}), origin + QPointF(30, 50));
        QCOMPARE(rig.view()->selection(), QStringList()); // no rubber band either

        pan(Qt::MiddleButton, {400, 300}, {380, 310});
        QCOMPARE(rig.view()->mapFromCanvas({0, 0}), origin + QPointF(10, 60));
    }

    void thePaintOrderFollowsRemoteCreatesReordersAndDeletes()
    {
        Rig rig;
        auto modelOrder = [&rig] {
            QStringList ids;
            for (const Shape &shape : rig.shapes())
                ids.append(shape.id);
            return ids;
        };
        auto remote = [&rig](CanvasOp op) {
            rig.editor.applyRemote({op});
        };
        auto stamp = [&rig] {
            return HlcTimestamp{1'764'000'000'000 + ++rig.tick, 0, 0xb0};
        };
        rig.choose(CanvasView::Tool::Rectangle);
        rig.drag({10, 10}, {50, 50});
        rig.drag({60, 60}, {90, 90});
        std::array<QJsonValue, tandem::canvas::ShapePropertyCount> values;
        values[size_t(tandem::canvas::ShapeProperty::Geometry)] =
            tandem::canvas::encodePoints({{5, 5}, {8, 8}});
        values[size_t(tandem::canvas::ShapeProperty::ZIndex)] = QStringLiteral("1");
        remote(CanvasOp::create("remote-bottom", ShapeKind::Ellipse, values, stamp()));
        QCOMPARE(rig.view()->shapeIdsInPaintOrder(), modelOrder());
        QCOMPARE(rig.view()->shapeIdsInPaintOrder().first(), QString("remote-bottom"));

        remote(CanvasOp::setProperty("remote-bottom", tandem::canvas::ShapeProperty::ZIndex, "z", stamp()));
        QCOMPARE(rig.view()->shapeIdsInPaintOrder(), modelOrder());
        QCOMPARE(rig.view()->shapeIdsInPaintOrder().last(), QString("remote-bottom"));

        rig.choose(CanvasView::Tool::Select);
        const QString first = rig.shapes()[0].id;
        QTest::mouseClick(rig.view(), Qt::LeftButton, {}, rig.at({30, 30}));
        QCOMPARE(rig.view()->selection(), QStringList{first});
        remote(CanvasOp::remove(first, stamp()));
        QCOMPARE(rig.view()->shapeIdsInPaintOrder(), modelOrder());
        QCOMPARE(rig.view()->selection(), QStringList()); // a deleted shape leaves the selection

        // Local creates land on top, above the remote key too.
        rig.choose(CanvasView::Tool::Line);
        rig.drag({100, 100}, {150, 150});
        QCOMPARE(rig.view()->shapeIdsInPaintOrder(), modelOrder());
        QCOMPARE(rig.shapes().last().kind, ShapeKind::Line);
    }

    void coloursKeepTheirAlphaInTheModelsFormat()
    {
        using tandem::ui::colorFromHex;
        using tandem::ui::hexFromColor;
        QCOMPARE(colorFromHex("#11223344"), QColor(0x11, 0x22, 0x33, 0x44));
        QCOMPARE(hexFromColor(QColor(0x11, 0x22, 0x33, 0x44)), QString("#11223344"));
        QCOMPARE(hexFromColor(QColor(0xAB, 0xCD, 0xEF)), QString("#abcdef"));
        QVERIFY(!colorFromHex("").isValid());
        QVERIFY(!colorFromHex("#12345").isValid());
        QVERIFY(!colorFromHex("#1122334g").isValid());
    }

    void svgSplitsAlphaAndDropsCharactersXmlCannotHold()
    {
        tandem::canvas::CanvasModel model;
        std::array<QJsonValue, tandem::canvas::ShapePropertyCount> values;
        values[size_t(ShapeProperty::Geometry)] = tandem::canvas::encodePoints({{0, 0}, {100, 40}});
        values[size_t(ShapeProperty::StrokeColor)] = QStringLiteral("#ff000080");
        values[size_t(ShapeProperty::Fill)] = QStringLiteral("#00ff00");
        values[size_t(ShapeProperty::Text)] = QStringLiteral("bell\x07 <tag> &amp;\nline two");
        QVERIFY(model.apply(CanvasOp::create("t", ShapeKind::TextBox, values, HlcTimestamp{1, 0, 1})));

        const QString svg = tandem::ui::canvasToSvg(model);
        QXmlStreamReader xml(svg);
        QStringList lines;
        QString fillOpacity;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == QLatin1String("text"))
                fillOpacity = xml.attributes().value("fill-opacity").toString();
            if (xml.name() == QLatin1String("tspan"))
                lines.append(xml.readElementText());
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(lines, (QStringList{"bell <tag> &amp;", "line two"}));
        QVERIFY(qAbs(fillOpacity.toDouble() - 128 / 255.0) < 0.01);
    }

    void remoteCursorsAndEditingMarksArePainted()
    {
        Rig rig;
        rig.choose(CanvasView::Tool::Rectangle);
        rig.drag({300, 300}, {400, 380});
        const QString id = rig.shapes()[0].id;
        rig.editor.applyRemote(
            {CanvasOp::setProperty(id, tandem::canvas::ShapeProperty::EditedBy, "bob",
                                   HlcTimestamp{1'764'000'000'000 + ++rig.tick, 0, 0xb0})});

        QSignalSpy changed(&rig.cursors, &RemoteCursors::changed);
        rig.cursors.moved("carol", {100, 100});
        QVERIFY(changed.count() >= 1);
        QCOMPARE(rig.cursors.count(), 1);
        const QColor carol(tandem::docs::userColorName("carol"));
        const QColor bob(tandem::docs::userColorName("bob"));
        QImage grab;
        // The label sits below and right of the pointer tip.
        const QPoint labelPixel = rig.at({100, 100}) + QPoint(14, 28);
        QTRY_VERIFY((grab = rig.view()->grab().toImage(), pixel(grab, labelPixel) == carol));
        // Bob's dashed frame: find his colour along the frame's left edge.
        // Half the 2 px stroke plus 1, then the frame's own 3 px margin.
        const QPoint frameLeft = rig.at({300, 300}) - QPoint(2 + 3, 0);
        bool found = false;
        for (int y = 0; y < 80 && !found; ++y)
            found = pixel(grab, frameLeft + QPoint(0, y)) == bob;
        QVERIFY(found);

        const QString directory = qEnvironmentVariable("TANDEM_SCREENSHOT_DIR");
        if (!directory.isEmpty()) {
            // A fuller picture for the screenshot: one shape of every kind, one selected.
            auto draw = [&rig](ShapeKind kind, QList<QPointF> points, const char *stroke, const char *fill,
                               const char *text = "") {
                tandem::canvas::NewShape shape;
                shape.kind = kind;
                shape.points = std::move(points);
                shape.strokeColor = QString::fromLatin1(stroke);
                shape.fill = QString::fromLatin1(fill);
                shape.strokeWidth = 3;
                shape.text = QString::fromUtf8(text);
                return rig.editor.createShape(shape).value();
            };
            draw(ShapeKind::Ellipse, {{520, 80}, {700, 200}}, "#1f6feb", "#cfe3ff");
            draw(ShapeKind::Arrow, {{420, 340}, {560, 240}}, "#d1242f", "");
            draw(ShapeKind::Stroke, {{80, 420}, {120, 380}, {170, 430}, {220, 370}, {260, 420}}, "#2da44e",
                 "");
            draw(ShapeKind::Line, {{760, 300}, {900, 420}}, "#6e7781", "");
            const QString note = draw(ShapeKind::TextBox, {{740, 100}, {940, 130}}, "#24292f", "#fff8c5",
                                      "Sprint plan & notes");
            rig.view()->setSelection({note});
            rig.cursors.moved("dave", {640, 380});
            QVERIFY(QDir().mkpath(directory));
            QVERIFY(rig.tab.grab().save(QDir(directory).filePath("canvas.png")));
        }
    }

    void pointerMovesAreReportedInCanvasCoordinates()
    {
        Rig rig;
        rig.view()->setZoom(2, QPointF(0, 0));
        QSignalSpy moved(rig.view(), &CanvasView::pointerMoved);
        QTest::mouseMove(rig.view(), QPoint(200, 100));
        QTRY_VERIFY(!moved.isEmpty());
        QCOMPARE(moved.last().at(0).toPointF(), QPointF(100, 50));
    }

    void panningAndZoomingTenThousandShapesStaysCheap()
    {
        Rig rig;
        QList<CanvasOp> ops;
        for (int i = 0; i < 10'000; ++i) {
            std::array<QJsonValue, tandem::canvas::ShapePropertyCount> values;
            const double x = (i % 100) * 30, y = (i / 100) * 30;
            values[size_t(tandem::canvas::ShapeProperty::Geometry)] =
                tandem::canvas::encodePoints({{x, y}, {x + 20, y + 20}});
            values[size_t(tandem::canvas::ShapeProperty::ZIndex)] = QStringLiteral("V");
            values[size_t(tandem::canvas::ShapeProperty::StrokeWidth)] = 4.0;
            ops.append(CanvasOp::create(QStringLiteral("b-%1").arg(i), ShapeKind::Rectangle, values,
                                        HlcTimestamp{1'764'000'000'000 + i, 0, 0xb0}));
        }
        rig.editor.applyRemote(ops);
        QElapsedTimer timer;
        timer.start();
        // A remote drag at 20 Hz: each op must not decode the whole canvas again.
        for (int i = 0; i < 20; ++i) {
            rig.editor.applyRemote(
                {CanvasOp::setProperty(QStringLiteral("b-%1").arg(i), ShapeProperty::Fill, "#ff0000",
                                       HlcTimestamp{1'764'000'100'000 + i, 0, 0xb0})});
        }
        QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(rig.view()->shapeIdsInPaintOrder().size(), 10'000);

        timer.restart();
        for (int i = 0; i < 20; ++i) {
            rig.view()->panBy({5, 5});
            rig.view()->repaint();
        }
        // Generous for a sanitizer build; without culling and the cache this takes far longer.
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        // b-0's remote fill is painted: the cache took the edit.
        QCOMPARE(rig.view()->grab().toImage().pixelColor(rig.at({10, 10})), QColor("#ff0000"));
        QCOMPARE(rig.view()->grab().toImage().pixelColor(rig.at({0, 10})), QColor(Qt::black));
    }
};

QTEST_MAIN(TstCanvasView)
#include "tst_canvasview.moc"
