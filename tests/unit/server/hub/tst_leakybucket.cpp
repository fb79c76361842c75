// The per-connection rate limiter, driven by a manual clock.

#include "server/hub/LeakyBucket.h"

#include <QTest>

using namespace tandem;
using namespace tandem::server;

class TestLeakyBucket : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void burstUpToCapacityPasses();
    void drainsAtTheConfiguredRate();
    void sustainedRateAboveDrainIsRefused_data();
    void sustainedRateAboveDrainIsRefused();
    void refusedUnitsAreNotPoured();
    void neverDrainsBelowEmpty();
};

void TestLeakyBucket::burstUpToCapacityPasses()
{
    ManualClock clock;
    LeakyBucket bucket(clock, 10, 5);
    for (int i = 0; i < 5; ++i)
        QVERIFY(bucket.tryPour());
    QVERIFY(!bucket.tryPour());
}

void TestLeakyBucket::drainsAtTheConfiguredRate()
{
    ManualClock clock;
    LeakyBucket bucket(clock, 10, 5); // one unit per 100 ms
    for (int i = 0; i < 5; ++i)
        QVERIFY(bucket.tryPour());
    clock.advance(99);
    QVERIFY(!bucket.tryPour());
    clock.advance(1);
    QVERIFY(bucket.tryPour());
    QVERIFY(!bucket.tryPour());
}

void TestLeakyBucket::sustainedRateAboveDrainIsRefused_data()
{
    QTest::addColumn<int>("intervalMs");
    QTest::addColumn<int>("expectedAccepted");
    // 20/s drain, capacity 10, 200 messages offered.
    QTest::addRow("at the drain rate") << 50 << 200;
    QTest::addRow("below the drain rate") << 100 << 200;
    // Twice the drain rate: each accepted message nets +0.5, so the bucket is
    // full after 19 (k = 0..18); from then on every other message passes
    // (k = 20, 22, ..., 198: 90 more).
    QTest::addRow("twice the drain rate") << 25 << 19 + 90;
    QTest::addRow("a flood") << 0 << 10;
}

void TestLeakyBucket::sustainedRateAboveDrainIsRefused()
{
    QFETCH(int, intervalMs);
    QFETCH(int, expectedAccepted);
    ManualClock clock;
    LeakyBucket bucket(clock, 20, 10);
    int accepted = 0;
    for (int i = 0; i < 200; ++i) {
        if (bucket.tryPour())
            ++accepted;
        clock.advance(intervalMs);
    }
    QCOMPARE(accepted, expectedAccepted);
}

void TestLeakyBucket::refusedUnitsAreNotPoured()
{
    ManualClock clock;
    LeakyBucket bucket(clock, 1, 3);
    QVERIFY(bucket.tryPour(2));
    QVERIFY(!bucket.tryPour(2));
    QCOMPARE(bucket.level(), 2.0);
    QVERIFY(bucket.tryPour(1));
}

void TestLeakyBucket::neverDrainsBelowEmpty()
{
    ManualClock clock;
    LeakyBucket bucket(clock, 100, 2);
    clock.advance(60000);
    QCOMPARE(bucket.level(), 0.0);
    QVERIFY(bucket.tryPour());
    QVERIFY(bucket.tryPour());
    QVERIFY(!bucket.tryPour());
}

QTEST_GUILESS_MAIN(TestLeakyBucket)
#include "tst_leakybucket.moc"
