// FractionalIndex: a key strictly between any two keys, before the first and
// after the last; many inserts at one spot stay ordered and distinct; two
// replicas inserting at the same spot concurrently never get the same key;
// malformed or out-of-order bounds are refused, not trusted.

#include "core/canvas/FractionalIndex.h"

#include <QTest>

#include <algorithm>
#include <random>
#include <set>

namespace FractionalIndex = tandem::canvas::FractionalIndex;
using tandem::canvas::CanvasErrorCode;

namespace {
constexpr quint64 NodeA = 0xa11ce;
constexpr quint64 NodeB = 0xb0b;

QString between(const QString &before, const QString &after, quint64 node = NodeA)
{
    const auto key = FractionalIndex::between(before, after, node);
    if (!key) {
        qWarning("between(%s, %s) refused: %s", qPrintable(before), qPrintable(after),
                 qPrintable(key.error().message));
        return {};
    }
    return key.value();
}
} // namespace

class TestFractionalIndex : public QObject {
    Q_OBJECT

private slots:
    void firstKeyOnAnEmptyCanvas()
    {
        const QString key = between({}, {});
        QVERIFY(FractionalIndex::isValidKey(key));
    }

    void keyBetweenTwoKeys_data()
    {
        QTest::addColumn<QString>("before");
        QTest::addColumn<QString>("after");
        QTest::addRow("far apart") << "1"
                                   << "z";
        QTest::addRow("adjacent digits") << "V"
                                         << "W";
        QTest::addRow("prefix below") << "V"
                                      << "V5";
        QTest::addRow("zeros after a shared prefix") << "V"
                                                     << "V001";
        QTest::addRow("long shared prefix") << "abcdefg1"
                                            << "abcdefg2";
        QTest::addRow("top digit") << "y"
                                   << "z";
        QTest::addRow("tagged keys") << between({}, {}, NodeB) << between({}, {}, NodeA);
    }
    void keyBetweenTwoKeys()
    {
        QFETCH(QString, before);
        QFETCH(QString, after);
        QVERIFY(before < after);
        const QString key = between(before, after);
        QVERIFY2(before < key && key < after, qPrintable(before + " < " + key + " < " + after));
        QVERIFY(FractionalIndex::isValidKey(key));
        const auto untagged = FractionalIndex::midpoint(before, after);
        QVERIFY(untagged);
        QVERIFY(before < untagged.value() && untagged.value() < after);
        QVERIFY(!after.startsWith(untagged.value()));
    }

    void keyBeforeTheFirstAndAfterTheLast()
    {
        for (const QString &edge : {QStringLiteral("1"), QStringLiteral("V"), QStringLiteral("z"),
                                    QStringLiteral("zzzz"), QStringLiteral("0001")}) {
            const QString below = between({}, edge);
            const QString above = between(edge, {});
            QVERIFY2(below < edge, qPrintable(below + " < " + edge));
            QVERIFY2(edge < above, qPrintable(edge + " < " + above));
        }
    }

    void manyInsertsAtTheSameSpotStayOrderedAndDistinct()
    {
        // Always right after `low`: the hardest case for key length. Then
        // always before the first key, and always after the last.
        const QString low = between({}, {});
        QString high = between(low, {});
        QStringList keys{low, high};
        for (int i = 0; i < 300; ++i) {
            high = between(low, high);
            QVERIFY(!high.isEmpty());
            keys.append(high);
        }
        QString first = low;
        QString last = low;
        for (int i = 0; i < 300; ++i) {
            first = between({}, first, NodeB);
            last = between(last, {}, NodeB);
            QVERIFY(!first.isEmpty() && !last.isEmpty());
            keys << first << last;
        }
        const std::set<QString> distinct(keys.cbegin(), keys.cend());
        QCOMPARE(distinct.size(), size_t(keys.size()));
        for (const QString &key : keys)
            QVERIFY2(FractionalIndex::isValidKey(key), qPrintable(key));
        QVERIFY2(high.size() < 120, qPrintable(QString::number(high.size())));
    }

    void randomInsertsKeepTheListSorted()
    {
        std::mt19937_64 random(6);
        QStringList keys;
        for (int i = 0; i < 2000; ++i) {
            const auto at = std::uniform_int_distribution<qsizetype>(0, keys.size())(random);
            const QString before = at > 0 ? keys[at - 1] : QString();
            const QString after = at < keys.size() ? keys[at] : QString();
            const QString key = between(before, after, 1 + random() % 5);
            QVERIFY(!key.isEmpty());
            keys.insert(at, key);
        }
        QVERIFY(std::is_sorted(keys.cbegin(), keys.cend()));
        QVERIFY(std::adjacent_find(keys.cbegin(), keys.cend()) == keys.cend());
    }

    void concurrentInsertsFromDifferentNodesAreDistinct()
    {
        // Both replicas see the same neighbours and insert between them.
        const QString low = between({}, {});
        const QString high = between(low, {});
        const QString a = between(low, high, NodeA);
        const QString b = between(low, high, NodeB);
        QVERIFY(a != b);
        for (const QString &key : {a, b})
            QVERIFY(low < key && key < high);
        // And a third replica can still insert between the two results.
        const QString c = between(std::min(a, b), std::max(a, b), 3);
        QVERIFY(std::min(a, b) < c && c < std::max(a, b));
        // Same neighbours at the very top and bottom.
        QVERIFY(between({}, low, NodeA) != between({}, low, NodeB));
        QVERIFY(between(high, {}, NodeA) != between(high, {}, NodeB));
    }

    void replicaTagsHaveFixedLength()
    {
        for (quint64 node : {quint64(1), quint64(61), quint64(62), ~quint64(0)}) {
            const QString tag = FractionalIndex::replicaTag(node);
            QCOMPARE(tag.size(), FractionalIndex::TagLength);
            QVERIFY(FractionalIndex::isValidKey(tag));
        }
        QVERIFY(FractionalIndex::replicaTag(1) != FractionalIndex::replicaTag(62));
    }

    void badBoundsAreRefused_data()
    {
        QTest::addColumn<QString>("before");
        QTest::addColumn<QString>("after");
        QTest::addRow("equal") << "V"
                               << "V";
        QTest::addRow("reversed") << "W"
                                  << "V";
        QTest::addRow("trailing zero") << "V0"
                                       << "W";
        QTest::addRow("only zero") << ""
                                   << "0";
        QTest::addRow("not a digit") << "V-"
                                     << "";
        QTest::addRow("non-ASCII") << "" << QString::fromUtf8("\xc3\xa9");
        QTest::addRow("too long") << QString(FractionalIndex::MaxKeyLength + 1, QLatin1Char('V')) << "";
    }
    void badBoundsAreRefused()
    {
        QFETCH(QString, before);
        QFETCH(QString, after);
        const auto key = FractionalIndex::between(before, after, NodeA);
        QVERIFY(!key);
        QCOMPARE(key.error().code, CanvasErrorCode::InvalidKey);
    }
};

QTEST_GUILESS_MAIN(TestFractionalIndex)
#include "tst_fractionalindex.moc"
