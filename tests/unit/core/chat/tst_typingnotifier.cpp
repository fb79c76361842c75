// TypingNotifier: typing:start at most once per 3 s while keys keep coming,
// typing:stop after 3 s idle, none after a send. Keystrokes are replayed at
// given times on a ManualClock.

#include "core/chat/TypingNotifier.h"
#include "core/client/ManualTimerSource.h"

#include <QSignalSpy>
#include <QTest>

using tandem::ManualClock;
using tandem::chat::TypingNotifier;
using tandem::client::ManualTimerSource;

class TestTypingNotifier : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void throttlesStartAndStopsWhenIdle_data();
    void throttlesStartAndStopsWhenIdle();
    void sendingEndsTypingWithoutStop();
    void switchingRoomsStopsTheOldOne();
};

void TestTypingNotifier::throttlesStartAndStopsWhenIdle_data()
{
    QTest::addColumn<QList<qint64>>("keystrokesAtMs");
    QTest::addColumn<qint64>("observeAtMs");
    QTest::addColumn<int>("starts");
    QTest::addColumn<int>("stops");
    QTest::addRow("one key, still typing") << QList<qint64>{0} << qint64(2999) << 1 << 0;
    QTest::addRow("one key, idle 3 s") << QList<qint64>{0} << qint64(3000) << 1 << 1;
    QTest::addRow("burst within 3 s") << QList<qint64>{0, 100, 500, 2900} << qint64(3000) << 1 << 0;
    QTest::addRow("steady typing for 7 s")
        << QList<qint64>{0, 1000, 2000, 3000, 4000, 5000, 6000, 7000} << qint64(7000) << 3 << 0;
    QTest::addRow("typing, pause, typing") << QList<qint64>{0, 500, 5000} << qint64(5000) << 2 << 1;
}

void TestTypingNotifier::throttlesStartAndStopsWhenIdle()
{
    QFETCH(QList<qint64>, keystrokesAtMs);
    QFETCH(qint64, observeAtMs);
    QFETCH(int, starts);
    QFETCH(int, stops);
    ManualClock clock;
    ManualTimerSource timers(clock);
    TypingNotifier notifier(clock, timers);
    QSignalSpy started(&notifier, &TypingNotifier::startRequested);
    QSignalSpy stopped(&notifier, &TypingNotifier::stopRequested);
    qint64 now = 0;
    for (const qint64 at : keystrokesAtMs) {
        timers.advance(at - now);
        now = at;
        notifier.textEdited(QStringLiteral("general"));
    }
    timers.advance(observeAtMs - now);
    QCOMPARE(started.count(), starts);
    QCOMPARE(stopped.count(), stops);
}

void TestTypingNotifier::sendingEndsTypingWithoutStop()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    TypingNotifier notifier(clock, timers);
    QSignalSpy stopped(&notifier, &TypingNotifier::stopRequested);
    notifier.textEdited(QStringLiteral("general"));
    notifier.messageSent(QStringLiteral("general"));
    QVERIFY(!notifier.isTyping());
    timers.advance(10000);
    QCOMPARE(stopped.count(), 0); // the server ends typing on a send
}

void TestTypingNotifier::switchingRoomsStopsTheOldOne()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    TypingNotifier notifier(clock, timers);
    QSignalSpy started(&notifier, &TypingNotifier::startRequested);
    QSignalSpy stopped(&notifier, &TypingNotifier::stopRequested);
    notifier.textEdited(QStringLiteral("general"));
    timers.advance(100);
    notifier.textEdited(QStringLiteral("random"));
    QCOMPARE(stopped.count(), 1);
    QCOMPARE(stopped.at(0).at(0).toString(), QStringLiteral("general"));
    QCOMPARE(started.count(), 2);
    QCOMPARE(started.at(1).at(0).toString(), QStringLiteral("random"));
}

QTEST_GUILESS_MAIN(TestTypingNotifier)
#include "tst_typingnotifier.moc"
