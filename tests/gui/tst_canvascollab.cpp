// Issue 6's GUI test: two offscreen app windows (ada and bob, each with its
// own Session and local store) against a real tandem-server. Ada draws a
// rectangle and a freehand stroke on the Canvas tab with QTest mouse events
// and moves her pointer over it; bob's window shows both shapes and ada's
// cursor with her name, in her colour. With TANDEM_SCREENSHOT_DIR set, the
// two windows are saved side by side as canvas-collaboration.png (README).
#include "core/canvas/CanvasSession.h"
#include "core/client/Session.h"
#include "core/docs/UserColor.h"
#include "tests/gui/AppWindow.h"
#include "tests/gui/Screenshot.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestOffline.h"
#include "ui/MainWindow.h"
#include "ui/canvas/CanvasTab.h"

#include <QApplication>
#include <QTabWidget>
#include <QTest>

using tandem::canvas::ShapeKind;
using tandem::client::Session;
using tandem::test::AppWindow;
using tandem::test::ServerProcess;
using tandem::test::TestOffline;
using tandem::ui::CanvasView;
using tandem::ui::MainWindow;

namespace {
const QString Room = QStringLiteral("general");

CanvasView *openCanvasTab(MainWindow &window)
{
    window.showRoom(Room);
    window.findChild<QTabWidget *>(QStringLiteral("mainTabs"))->setCurrentIndex(2);
    return window.canvasTab() ? window.canvasTab()->view() : nullptr;
}

/// A drag with the left button through `points` (widget coordinates).
void drag(QWidget *widget, const QList<QPoint> &points)
{
    QTest::mousePress(widget, Qt::LeftButton, Qt::NoModifier, points.first());
    for (const QPoint &point : points.mid(1))
        QTest::mouseMove(widget, point);
    QTest::mouseRelease(widget, Qt::LeftButton, Qt::NoModifier, points.last());
}

/// How many pixels of `image` inside `area` are close to `colour`.
int pixelsNear(const QImage &image, const QRect &area, const QColor &colour)
{
    int count = 0;
    const QRect inside = area.intersected(image.rect());
    for (int y = inside.top(); y <= inside.bottom(); ++y) {
        for (int x = inside.left(); x <= inside.right(); ++x) {
            const QColor pixel = image.pixelColor(x, y);
            if (std::abs(pixel.red() - colour.red()) < 24 && std::abs(pixel.green() - colour.green()) < 24 &&
                std::abs(pixel.blue() - colour.blue()) < 24)
                ++count;
        }
    }
    return count;
}
} // namespace

class TestCanvasCollaboration : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void oneDrawsTheOtherSeesShapesAndCursor();

private:
    ServerProcess m_server;
    QString m_adaToken;
    QString m_bobToken;
};

void TestCanvasCollaboration::initTestCase()
{
    QVERIFY(m_server.start());
    m_adaToken = m_server.addMember(QStringLiteral("ada"), Room);
    m_bobToken = m_server.addMember(QStringLiteral("bob"), Room);
    QVERIFY(!m_adaToken.isEmpty() && !m_bobToken.isEmpty());
}

void TestCanvasCollaboration::oneDrawsTheOtherSeesShapesAndCursor()
{
    AppWindow adaApp(m_server, m_adaToken);
    AppWindow bobApp(m_server, m_bobToken);
    MainWindow &ada = adaApp.window;
    MainWindow &bob = bobApp.window;
    Session &adaSession = adaApp.session;
    Session &bobSession = bobApp.session;
    for (MainWindow *window : {&ada, &bob}) {
        window->resize(1040, 520);
        window->show();
    }
    adaSession.connectToServer();
    bobSession.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(adaSession.isRoomLive(Room) && bobSession.isRoomLive(Room), 10000);

    CanvasView *adaView = openCanvasTab(ada);
    CanvasView *bobView = openCanvasTab(bob);
    QVERIFY(adaView && bobView);
    QTRY_VERIFY_WITH_TIMEOUT(ada.canvasSession()->isSynced() && bob.canvasSession()->isSynced(), 10000);

    // Ada draws a rectangle and a stroke, each in its own colour.
    adaView->setTool(CanvasView::Tool::Rectangle);
    adaView->setStrokeColor(QColor(QStringLiteral("#1f6feb")));
    adaView->setStrokeWidth(4);
    drag(adaView, {{60, 60}, {120, 90}, {220, 160}});
    adaView->setTool(CanvasView::Tool::Pen);
    adaView->setStrokeColor(QColor(QStringLiteral("#d1242f")));
    drag(adaView, {{260, 80}, {280, 120}, {300, 100}, {330, 150}, {360, 110}});
    QCOMPARE(ada.canvasSession()->editor().model().shapes().size(), 2);

    // Bob sees both, with the same geometry.
    const auto &bobModel = bob.canvasSession()->editor().model();
    QTRY_COMPARE_WITH_TIMEOUT(bobModel.shapes().size(), 2, 10000);
    QCOMPARE(bobModel.stateHash(), ada.canvasSession()->editor().model().stateHash());
    QList<ShapeKind> kinds;
    for (const auto &shape : bobModel.shapes())
        kinds.append(shape.kind);
    QVERIFY(kinds.contains(ShapeKind::Rectangle) && kinds.contains(ShapeKind::Stroke));

    // Ada's pointer moves across the canvas; bob sees her cursor arrive where it stopped.
    for (int x = 200; x <= 300; x += 10)
        QTest::mouseMove(adaView, QPoint(x, 220));
    const QPointF adaPointer = adaView->mapToCanvas(QPointF(300, 220));
    auto &bobCursors = bob.canvasSession()->cursors();
    QTRY_VERIFY_WITH_TIMEOUT(bobCursors.count() == 1 && !bobCursors.isAnimating() &&
                                 bobCursors.viewsNow().first().position == adaPointer,
                             10000);
    QCOMPARE(bobCursors.viewsNow().first().userId, QStringLiteral("ada"));

    // Painted: the rectangle's blue, the stroke's red, and ada's colour at her cursor on bob's screen.
    const QImage bobScreen = bobView->grab().toImage();
    QVERIFY(pixelsNear(bobScreen, QRect(55, 55, 170, 110), QColor(QStringLiteral("#1f6feb"))) > 50);
    QVERIFY(pixelsNear(bobScreen, QRect(255, 75, 110, 80), QColor(QStringLiteral("#d1242f"))) > 20);
    const QPoint cursorOnBob = bobView->mapFromCanvas(adaPointer).toPoint();
    QVERIFY(pixelsNear(bobScreen, QRect(cursorOnBob, QSize(90, 40)),
                       QColor(tandem::docs::userColorName(QStringLiteral("ada")))) > 30);

    QVERIFY(tandem::test::saveScreenshot({&ada, &bob}, QStringLiteral("canvas-collaboration.png")));

    // Bob grabs the rectangle: ada sees it marked as his. Then his app dies
    // mid-drag (no release is ever sent): once his presence is gone, ada no
    // longer shows a mark that nobody will clear.
    const QString rectangleId = [&] {
        for (const auto &shape : bobModel.shapes())
            if (shape.kind == ShapeKind::Rectangle)
                return shape.id;
        return QString();
    }();
    bob.canvasSession()->editor().beginEditing({rectangleId});
    const QColor bobColour(tandem::docs::userColorName(QStringLiteral("bob")));
    const QRect aroundRectangle(40, 25, 200, 150);
    QTRY_VERIFY_WITH_TIMEOUT(pixelsNear(adaView->grab().toImage(), aroundRectangle, bobColour) > 40, 10000);
    const int marked = pixelsNear(adaView->grab().toImage(), aroundRectangle, bobColour);
    bobSession.disconnectFromServer();
    QTRY_VERIFY_WITH_TIMEOUT(!ada.canvasSession()->isPresent(QStringLiteral("bob")), 10000);
    QCOMPARE(ada.canvasSession()->editor().model().shape(rectangleId)->editedBy, QStringLiteral("bob"));
    QVERIFY(pixelsNear(adaView->grab().toImage(), aroundRectangle, bobColour) < marked / 4);
}

QTEST_MAIN(TestCanvasCollaboration)
#include "tst_canvascollab.moc"
