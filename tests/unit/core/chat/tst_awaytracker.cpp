// AwayTracker: away after the idle time, while hidden, or by the toggle;
// online again on input (except when the toggle says away).

#include "core/chat/AwayTracker.h"
#include "core/client/ManualTimerSource.h"

#include <QSignalSpy>
#include <QTest>

using tandem::ManualClock;
using tandem::chat::AwayTracker;
using tandem::client::ManualTimerSource;

class TestAwayTracker : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void awayAfterIdleTime_data();
    void awayAfterIdleTime();
    void inputBringsYouBack();
    void hiddenWindowIsAway();
    void manualAwayWinsOverInput();
    void defaultIsTwoMinutes();
};

void TestAwayTracker::awayAfterIdleTime_data()
{
    QTest::addColumn<qint64>("idleMs");
    QTest::addRow("2 min") << qint64(120000);
    QTest::addRow("configured 10 s") << qint64(10000);
}

void TestAwayTracker::awayAfterIdleTime()
{
    QFETCH(qint64, idleMs);
    ManualClock clock;
    ManualTimerSource timers(clock);
    AwayTracker tracker(timers, idleMs);
    QSignalSpy changed(&tracker, &AwayTracker::awayChanged);
    timers.advance(idleMs - 1);
    tracker.activity();
    timers.advance(idleMs - 1);
    QVERIFY(!tracker.isAway());
    timers.advance(1);
    QVERIFY(tracker.isAway());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toBool(), true);
}

void TestAwayTracker::inputBringsYouBack()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    AwayTracker tracker(timers, 1000);
    QSignalSpy changed(&tracker, &AwayTracker::awayChanged);
    timers.advance(1000);
    tracker.activity();
    QVERIFY(!tracker.isAway());
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.at(1).at(0).toBool(), false);
    tracker.activity(); // no change, no signal
    QCOMPARE(changed.count(), 2);
}

void TestAwayTracker::hiddenWindowIsAway()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    AwayTracker tracker(timers, 1000);
    tracker.setWindowHidden(true);
    QVERIFY(tracker.isAway());
    tracker.setWindowHidden(false);
    QVERIFY(!tracker.isAway());
}

void TestAwayTracker::manualAwayWinsOverInput()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    AwayTracker tracker(timers, 1000);
    tracker.setManualAway(true);
    tracker.activity();
    QVERIFY(tracker.isAway());
    QVERIFY(tracker.isManualAway());
    tracker.setManualAway(false);
    QVERIFY(!tracker.isAway());
}

void TestAwayTracker::defaultIsTwoMinutes()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    AwayTracker tracker(timers);
    QCOMPARE(tracker.idleMs(), 2 * 60 * 1000);
    QCOMPARE(timers.msUntilNext(), 2 * 60 * 1000);
}

QTEST_GUILESS_MAIN(TestAwayTracker)
#include "tst_awaytracker.moc"
