// RemoteCursors (docs/CANVAS.md "Live cursors"): glides between received
// positions over about one update interval, fades after 10 s without a move,
// marks away users, sorts by user id, colours by docs::userColorName. Time
// runs on a ManualClock.

#include "core/canvas/RemoteCursors.h"
#include "core/docs/UserColor.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace tandem;
using tandem::canvas::CursorView;
using tandem::canvas::RemoteCursors;

namespace {
CursorView viewOf(const RemoteCursors &cursors, const QString &userId)
{
    const QList<CursorView> views = cursors.viewsNow();
    for (const CursorView &view : views) {
        if (view.userId == userId)
            return view;
    }
    return {};
}

QPointF positionOf(const RemoteCursors &cursors, const QString &userId)
{
    return viewOf(cursors, userId).position;
}
} // namespace

class TstRemoteCursors : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void firstPositionShowsAtOnce();
    void glidesOverTheMeasuredInterval();
    void nextUpdateGlidesFromWhereItIsDrawn();
    void glideLengthIsClamped_data();
    void glideLengthIsClamped();
    void stream30HzIsSmoothAt60Hz();
    void fadesAfterTenIdleSeconds();
    void moveAfterIdleRestoresFullOpacity();
    void awayIsMarked();
    void removeAndClear();
    void colourIsTheUsersColour();
    void viewsAreSortedByUserId();
    void isAnimatingTransitions();
};

void TstRemoteCursors::firstPositionShowsAtOnce()
{
    ManualClock clock;
    RemoteCursors cursors(clock);
    QSignalSpy changed(&cursors, &RemoteCursors::changed);
    cursors.moved(QStringLiteral("bob"), {10, 20});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(cursors.count(), 1);
    QCOMPARE(positionOf(cursors, QStringLiteral("bob")), QPointF(10, 20));
    QCOMPARE(viewOf(cursors, QStringLiteral("bob")).opacity, 1.0);
    QVERIFY(!cursors.isAnimating());
}

void TstRemoteCursors::glidesOverTheMeasuredInterval()
{
    ManualClock clock;
    RemoteCursors cursors(clock);
    const QString bob = QStringLiteral("bob");
    cursors.moved(bob, {0, 0});
    clock.advance(40);
    cursors.moved(bob, {40, 80}); // 40 ms after the last: glide for 40 ms
    QCOMPARE(positionOf(cursors, bob), QPointF(0, 0));
    clock.advance(10);
    QCOMPARE(positionOf(cursors, bob), QPointF(10, 20));
    clock.advance(10);
    QCOMPARE(positionOf(cursors, bob), QPointF(20, 40));
    clock.advance(10);
    QCOMPARE(positionOf(cursors, bob), QPointF(30, 60));
    clock.advance(10);
    QCOMPARE(positionOf(cursors, bob), QPointF(40, 80));
    clock.advance(1000);
    QCOMPARE(positionOf(cursors, bob), QPointF(40, 80));
}

void TstRemoteCursors::nextUpdateGlidesFromWhereItIsDrawn()
{
    ManualClock clock;
    RemoteCursors cursors(clock);
    const QString bob = QStringLiteral("bob");
    cursors.moved(bob, {0, 0});
    clock.advance(40);
    cursors.moved(bob, {100, 0});
    clock.advance(20); // half way: drawn at 50
    QCOMPARE(positionOf(cursors, bob), QPointF(50, 0));
    cursors.moved(bob, {50, 100});                      // interval now 40*3/4 + 20/4 = 35 ms
    QCOMPARE(positionOf(cursors, bob), QPointF(50, 0)); // no jump
    clock.advance(35);
    QCOMPARE(positionOf(cursors, bob), QPointF(50, 100));
}

void TstRemoteCursors::glideLengthIsClamped_data()
{
    QTest::addColumn<qint64>("gapMs");
    QTest::addColumn<qint64>("glideMs");
    QTest::addRow("faster than 30 Hz") << qint64(5) << RemoteCursors::MinGlideMs;
    QTest::addRow("30 Hz") << qint64(34) << qint64(34);
    QTest::addRow("20 Hz") << qint64(50) << qint64(50);
    QTest::addRow("slow") << qint64(300) << RemoteCursors::MaxGlideMs;
    QTest::addRow("after a quiet spell") << qint64(5000) << RemoteCursors::DefaultGlideMs;
}

void TstRemoteCursors::glideLengthIsClamped()
{
    QFETCH(qint64, gapMs);
    QFETCH(qint64, glideMs);
    ManualClock clock;
    RemoteCursors cursors(clock);
    const QString bob = QStringLiteral("bob");
    cursors.moved(bob, {0, 0});
    clock.advance(gapMs);
    cursors.moved(bob, {1000, 0});
    clock.advance(glideMs - 1);
    QVERIFY(positionOf(cursors, bob).x() < 1000);
    QVERIFY(cursors.isAnimating());
    clock.advance(1);
    QCOMPARE(positionOf(cursors, bob), QPointF(1000, 0));
    QVERIFY(!cursors.isAnimating());
}

void TstRemoteCursors::stream30HzIsSmoothAt60Hz()
{
    // Updates every 34 ms along x, sampled every 16 ms as a 60 Hz display does: the drawn cursor
    // never jumps back and never jumps further than one update's distance.
    ManualClock clock;
    RemoteCursors cursors(clock);
    const QString bob = QStringLiteral("bob");
    qint64 nextUpdate = 0;
    double nextX = 0;
    double lastDrawn = 0;
    for (qint64 t = 0; t < 2000; ++t) {
        if (t == nextUpdate) {
            cursors.moved(bob, {nextX, 0});
            nextX += 34;
            nextUpdate += 34;
        }
        if (t % 16 == 0) {
            const double drawn = positionOf(cursors, bob).x();
            QVERIFY2(drawn >= lastDrawn && drawn - lastDrawn <= 34, qPrintable(QString::number(t)));
            lastDrawn = drawn;
        }
        clock.advance(1);
    }
    QVERIFY(lastDrawn > 1800);
}

void TstRemoteCursors::fadesAfterTenIdleSeconds()
{
    ManualClock clock;
    RemoteCursors cursors(clock);
    const QString bob = QStringLiteral("bob");
    cursors.moved(bob, {1, 1});
    clock.advance(RemoteCursors::IdleAfterMs);
    QCOMPARE(viewOf(cursors, bob).opacity, 1.0);
    QVERIFY(cursors.isAnimating()); // the fade starts now
    clock.advance(RemoteCursors::FadeMs / 2);
    const double halfway = viewOf(cursors, bob).opacity;
    QVERIFY(qFuzzyCompare(halfway, (1.0 + RemoteCursors::IdleOpacity) / 2));
    QVERIFY(cursors.isAnimating());
    clock.advance(RemoteCursors::FadeMs / 2);
    QCOMPARE(viewOf(cursors, bob).opacity, RemoteCursors::IdleOpacity);
    clock.advance(60'000);
    QCOMPARE(viewOf(cursors, bob).opacity, RemoteCursors::IdleOpacity);
    QCOMPARE(positionOf(cursors, bob), QPointF(1, 1)); // faded, not gone
    QVERIFY(!cursors.isAnimating());
    QCOMPARE(cursors.msUntilAnimation(), -1);
}

void TstRemoteCursors::moveAfterIdleRestoresFullOpacity()
{
    ManualClock clock;
    RemoteCursors cursors(clock);
    const QString bob = QStringLiteral("bob");
    cursors.moved(bob, {1, 1});
    clock.advance(20'000);
    QCOMPARE(viewOf(cursors, bob).opacity, RemoteCursors::IdleOpacity);
    cursors.moved(bob, {2, 2});
    QCOMPARE(viewOf(cursors, bob).opacity, 1.0);
    // The glide after a quiet spell has the default length.
    clock.advance(RemoteCursors::DefaultGlideMs);
    QCOMPARE(positionOf(cursors, bob), QPointF(2, 2));
}

void TstRemoteCursors::awayIsMarked()
{
    ManualClock clock;
    RemoteCursors cursors(clock);
    QSignalSpy changed(&cursors, &RemoteCursors::changed);
    cursors.moved(QStringLiteral("bob"), {1, 1});
    cursors.setAway(QStringLiteral("bob"), true);
    QVERIFY(viewOf(cursors, QStringLiteral("bob")).away);
    QCOMPARE(changed.size(), 2);
    cursors.setAway(QStringLiteral("bob"), true); // no change, no signal
    QCOMPARE(changed.size(), 2);
    cursors.setAway(QStringLiteral("carol"), true); // no cursor: nothing to mark
    QCOMPARE(cursors.count(), 1);
    QCOMPARE(changed.size(), 2);
    cursors.setAway(QStringLiteral("bob"), false);
    QVERIFY(!viewOf(cursors, QStringLiteral("bob")).away);
    QCOMPARE(changed.size(), 3);
}

void TstRemoteCursors::removeAndClear()
{
    ManualClock clock;
    RemoteCursors cursors(clock);
    QSignalSpy changed(&cursors, &RemoteCursors::changed);
    cursors.moved(QStringLiteral("a"), {1, 1});
    cursors.moved(QStringLiteral("b"), {2, 2});
    cursors.moved(QStringLiteral("c"), {3, 3});
    QCOMPARE(changed.size(), 3);
    cursors.remove(QStringLiteral("b"));
    QCOMPARE(cursors.count(), 2);
    QCOMPARE(changed.size(), 4);
    cursors.remove(QStringLiteral("b"));
    QCOMPARE(changed.size(), 4);
    QCOMPARE(cursors.viewsNow().size(), 2);
    cursors.clear();
    QCOMPARE(cursors.count(), 0);
    QVERIFY(cursors.viewsNow().isEmpty());
    QCOMPARE(changed.size(), 5);
    cursors.clear();
    QCOMPARE(changed.size(), 5);
    // A removed cursor that comes back appears where it is, without a glide.
    cursors.moved(QStringLiteral("a"), {9, 9});
    QCOMPARE(positionOf(cursors, QStringLiteral("a")), QPointF(9, 9));
}

void TstRemoteCursors::colourIsTheUsersColour()
{
    ManualClock clock;
    RemoteCursors first(clock);
    RemoteCursors second(clock);
    first.moved(QStringLiteral("alice"), {0, 0});
    first.moved(QStringLiteral("bob"), {0, 0});
    second.moved(QStringLiteral("alice"), {5, 5});
    const QString alice = viewOf(first, QStringLiteral("alice")).color;
    QCOMPARE(alice, docs::userColorName(QStringLiteral("alice")));
    QCOMPARE(viewOf(second, QStringLiteral("alice")).color, alice);
    QVERIFY(QRegularExpression(QStringLiteral("^#[0-9a-f]{6}$")).match(alice).hasMatch());
    QCOMPARE(viewOf(first, QStringLiteral("bob")).color, docs::userColorName(QStringLiteral("bob")));
}

void TstRemoteCursors::viewsAreSortedByUserId()
{
    ManualClock clock;
    RemoteCursors cursors(clock);
    for (const char *user : {"mallory", "alice", "zed", "bob", "carol"})
        cursors.moved(QString::fromLatin1(user), {0, 0});
    QStringList order;
    const QList<CursorView> views = cursors.viewsNow();
    for (const CursorView &view : views)
        order.append(view.userId);
    QCOMPARE(order, QStringList({"alice", "bob", "carol", "mallory", "zed"}));
}

void TstRemoteCursors::isAnimatingTransitions()
{
    ManualClock clock;
    RemoteCursors cursors(clock);
    QVERIFY(!cursors.isAnimating());
    QCOMPARE(cursors.msUntilAnimation(), -1);
    cursors.moved(QStringLiteral("bob"), {0, 0});
    QVERIFY(!cursors.isAnimating()); // appeared in place
    QCOMPARE(cursors.msUntilAnimation(), RemoteCursors::IdleAfterMs);
    clock.advance(40);
    cursors.moved(QStringLiteral("bob"), {10, 0});
    QVERIFY(cursors.isAnimating()); // gliding
    clock.advance(40);
    QVERIFY(!cursors.isAnimating()); // arrived
    QCOMPARE(cursors.msUntilAnimation(), RemoteCursors::IdleAfterMs - 40);
    clock.advance(RemoteCursors::IdleAfterMs - 40 + 1);
    QVERIFY(cursors.isAnimating()); // fading
    clock.advance(RemoteCursors::FadeMs);
    QVERIFY(!cursors.isAnimating()); // faded
    cursors.remove(QStringLiteral("bob"));
    QVERIFY(!cursors.isAnimating());
}

QTEST_GUILESS_MAIN(TstRemoteCursors)
#include "tst_remotecursors.moc"
