// TypingTracker: who is typing per room, in words, and expiry of a stop that
// never came, on a ManualClock.

#include "core/chat/TypingTracker.h"
#include "core/client/ManualTimerSource.h"

#include <QSignalSpy>
#include <QTest>

using tandem::ManualClock;
using tandem::chat::TypingTracker;
using tandem::client::ManualTimerSource;

class TestTypingTracker : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void describesWhoIsTyping_data();
    void describesWhoIsTyping();
    void stopEndsTyping();
    void expiresWithoutStop();
    void refreshExtendsExpiry();
    void clearRoomStopsEveryone();
};

void TestTypingTracker::describesWhoIsTyping_data()
{
    QTest::addColumn<QStringList>("users");
    QTest::addColumn<QString>("text");
    QTest::addRow("nobody") << QStringList{} << QString();
    QTest::addRow("one") << QStringList{QStringLiteral("alice")} << QStringLiteral("alice is typing…");
    QTest::addRow("two, sorted") << QStringList{QStringLiteral("bob"), QStringLiteral("alice")}
                                 << QStringLiteral("alice and bob are typing…");
    QTest::addRow("three") << QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}
                           << QStringLiteral("Several people are typing…");
}

void TestTypingTracker::describesWhoIsTyping()
{
    QFETCH(QStringList, users);
    QFETCH(QString, text);
    ManualClock clock;
    ManualTimerSource timers(clock);
    TypingTracker tracker(timers);
    for (const QString &user : users)
        tracker.setTyping(QStringLiteral("general"), user, true);
    QCOMPARE(tracker.text(QStringLiteral("general")), text);
    QCOMPARE(tracker.text(QStringLiteral("other")), QString());
}

void TestTypingTracker::stopEndsTyping()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    TypingTracker tracker(timers);
    QSignalSpy changed(&tracker, &TypingTracker::typingChanged);
    tracker.setTyping(QStringLiteral("general"), QStringLiteral("bob"), true);
    tracker.setTyping(QStringLiteral("general"), QStringLiteral("bob"), false);
    tracker.setTyping(QStringLiteral("general"), QStringLiteral("bob"), false); // nothing changes
    QCOMPARE(changed.count(), 2);
    QVERIFY(tracker.typingUsers(QStringLiteral("general")).isEmpty());
    QCOMPARE(timers.pendingCount(), 0);
}

void TestTypingTracker::expiresWithoutStop()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    TypingTracker tracker(timers, 5000);
    QSignalSpy changed(&tracker, &TypingTracker::typingChanged);
    tracker.setTyping(QStringLiteral("general"), QStringLiteral("bob"), true);
    timers.advance(4999);
    QCOMPARE(tracker.typingUsers(QStringLiteral("general")), QStringList{QStringLiteral("bob")});
    timers.advance(1);
    QVERIFY(tracker.typingUsers(QStringLiteral("general")).isEmpty());
    QCOMPARE(changed.count(), 2);
}

void TestTypingTracker::refreshExtendsExpiry()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    TypingTracker tracker(timers, 5000);
    tracker.setTyping(QStringLiteral("general"), QStringLiteral("bob"), true);
    timers.advance(3000);
    tracker.setTyping(QStringLiteral("general"), QStringLiteral("bob"), true); // typing:start again
    timers.advance(3000);
    QCOMPARE(tracker.typingUsers(QStringLiteral("general")), QStringList{QStringLiteral("bob")});
    QCOMPARE(timers.pendingCount(), 1);
}

void TestTypingTracker::clearRoomStopsEveryone()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    TypingTracker tracker(timers);
    tracker.setTyping(QStringLiteral("general"), QStringLiteral("bob"), true);
    tracker.setTyping(QStringLiteral("general"), QStringLiteral("carol"), true);
    tracker.setTyping(QStringLiteral("random"), QStringLiteral("bob"), true);
    QSignalSpy changed(&tracker, &TypingTracker::typingChanged);
    tracker.clearRoom(QStringLiteral("general"));
    QCOMPARE(changed.count(), 1);
    QVERIFY(tracker.typingUsers(QStringLiteral("general")).isEmpty());
    QCOMPARE(tracker.typingUsers(QStringLiteral("random")), QStringList{QStringLiteral("bob")});
    QCOMPARE(timers.pendingCount(), 1);
}

QTEST_GUILESS_MAIN(TestTypingTracker)
#include "tst_typingtracker.moc"
