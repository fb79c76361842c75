// Backoff: the nominal curve, the jitter bounds, and that a thousand clients
// dropped together come back spread out rather than as one herd.

#include "core/client/Backoff.h"

#include <QTest>

#include <algorithm>
#include <random>

using tandem::client::Backoff;
using tandem::client::BackoffPolicy;

namespace {
constexpr int Clients = 1000;

/// One seeded generator per test: deterministic, but a realistic spread.
Backoff::RandomSource seededRandom(unsigned seed)
{
    auto engine = std::make_shared<std::mt19937>(seed);
    return [engine] {
        return std::uniform_real_distribution<double>(0.0, 1.0)(*engine);
    };
}
} // namespace

class TestBackoff : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void nominalDelayGrowsAndCaps_data();
    void nominalDelayGrowsAndCaps();
    void delayStaysWithinBounds_data();
    void delayStaysWithinBounds();
    void thousandClientsSpreadAcrossTheWindow_data();
    void thousandClientsSpreadAcrossTheWindow();
    void thousandClientsAtTheCapFillNoHundredMsBucket();
    void exhaustedAfterMaxAttempts();
};

void TestBackoff::nominalDelayGrowsAndCaps_data()
{
    QTest::addColumn<int>("attempt");
    QTest::addColumn<qint64>("nominal");
    QTest::addRow("1") << 1 << qint64(500);
    QTest::addRow("2") << 2 << qint64(1000);
    QTest::addRow("3") << 3 << qint64(2000);
    QTest::addRow("6") << 6 << qint64(16000);
    QTest::addRow("7 capped") << 7 << qint64(30000);
    QTest::addRow("8 capped") << 8 << qint64(30000);
    QTest::addRow("1000 no overflow") << 1000 << qint64(30000);
}

void TestBackoff::nominalDelayGrowsAndCaps()
{
    QFETCH(int, attempt);
    QFETCH(qint64, nominal);
    const Backoff backoff;
    QCOMPARE(backoff.nominalDelay(attempt), nominal);
    QCOMPARE(backoff.minDelay(attempt), nominal / 2);
    QCOMPARE(backoff.maxDelay(attempt), nominal);
}

void TestBackoff::delayStaysWithinBounds_data()
{
    QTest::addColumn<double>("random");
    QTest::addColumn<bool>("expectMinimum");
    QTest::addRow("r=0 gives the minimum") << 0.0 << true;
    QTest::addRow("r=0.25") << 0.25 << false;
    QTest::addRow("r=0.5") << 0.5 << false;
    QTest::addRow("r just below 1") << 0.9999999 << false;
    QTest::addRow("r out of range is clamped") << 7.0 << false;
}

void TestBackoff::delayStaysWithinBounds()
{
    QFETCH(double, random);
    QFETCH(bool, expectMinimum);
    const Backoff backoff(BackoffPolicy{}, [random] { return random; });
    for (int attempt = 1; attempt <= 12; ++attempt) {
        const qint64 delay = backoff.nextDelay(attempt);
        QVERIFY2(delay >= backoff.minDelay(attempt) && delay <= backoff.maxDelay(attempt),
                 qPrintable(QStringLiteral("attempt %1: %2 ms").arg(attempt).arg(delay)));
        if (expectMinimum)
            QCOMPARE(delay, backoff.minDelay(attempt));
        else
            QVERIFY(delay > backoff.minDelay(attempt));
    }
}

void TestBackoff::thousandClientsSpreadAcrossTheWindow_data()
{
    QTest::addColumn<int>("attempt");
    for (int attempt : {1, 2, 4, 8})
        QTest::addRow("attempt %d", attempt) << attempt;
}

void TestBackoff::thousandClientsSpreadAcrossTheWindow()
{
    // Each simulated client has its own random stream, as separate processes would.
    QFETCH(int, attempt);
    constexpr int Buckets = 10;
    QList<int> buckets(Buckets, 0);
    const Backoff reference;
    const qint64 low = reference.minDelay(attempt);
    const qint64 width = reference.maxDelay(attempt) - low;
    for (int client = 0; client < Clients; ++client) {
        const Backoff backoff(BackoffPolicy{}, seededRandom(static_cast<unsigned>(client * 7919 + attempt)));
        const qint64 delay = backoff.nextDelay(attempt);
        QVERIFY(delay >= low && delay <= low + width);
        ++buckets[static_cast<int>(std::min<qint64>(Buckets - 1, (delay - low) * Buckets / width))];
    }
    // Uniform would be 100 per tenth of the window; a herd would put 1000 in one.
    for (int count : buckets)
        QVERIFY2(count >= 50 && count <= 150, qPrintable(QStringLiteral("bucket holds %1").arg(count)));
}

void TestBackoff::thousandClientsAtTheCapFillNoHundredMsBucket()
{
    // After a long outage everyone is at the cap: 1000 clients over 15 s, about
    // 6.7 per 100 ms when uniform. Without jitter all 1000 would land together.
    const Backoff backoff(BackoffPolicy{}, seededRandom(42));
    QMap<qint64, int> buckets;
    for (int client = 0; client < Clients; ++client) {
        const qint64 delay = backoff.nextDelay(20);
        QVERIFY(delay >= 15000 && delay <= 30000);
        ++buckets[delay / 100];
    }
    const int fullest = *std::max_element(buckets.cbegin(), buckets.cend());
    QVERIFY2(fullest <= Clients * 2 / 100, qPrintable(QStringLiteral("fullest bucket: %1").arg(fullest)));
    QVERIFY2(buckets.size() >= 140, qPrintable(QStringLiteral("buckets used: %1").arg(buckets.size())));
}

void TestBackoff::exhaustedAfterMaxAttempts()
{
    const Backoff defaults;
    QCOMPARE(defaults.policy().maxAttempts, 8);
    QVERIFY(!defaults.exhausted(8));
    QVERIFY(defaults.exhausted(9));
    const Backoff small(BackoffPolicy{20, 2.0, 100, 3});
    QVERIFY(!small.exhausted(3));
    QVERIFY(small.exhausted(4));
    QCOMPARE(small.nominalDelay(4), 100);
}

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
