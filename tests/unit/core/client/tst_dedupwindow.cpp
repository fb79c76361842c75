// The dedup window drops repeated ids and never grows past its capacity.

#include "core/client/DedupWindow.h"

#include <QTest>

using tandem::client::DedupWindow;

class TestDedupWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void duplicateIsRejected();
    void memoryStaysBounded();
    void evictsOldestFirst();
};

void TestDedupWindow::duplicateIsRejected()
{
    DedupWindow window;
    QVERIFY(window.markApplied(QStringLiteral("a")));
    QVERIFY(window.markApplied(QStringLiteral("b")));
    QVERIFY(!window.markApplied(QStringLiteral("a")));
    QVERIFY(!window.markApplied(QStringLiteral("b")));
    QCOMPARE(window.size(), 2);
}

void TestDedupWindow::memoryStaysBounded()
{
    DedupWindow window(10000);
    for (int i = 0; i < 100000; ++i) {
        QVERIFY(window.markApplied(QStringLiteral("id-%1").arg(i)));
        QVERIFY(window.size() <= 10000);
    }
    QCOMPARE(window.size(), 10000);
    // The newest 10 000 are remembered, the rest forgotten.
    QVERIFY(window.contains(QStringLiteral("id-99999")));
    QVERIFY(window.contains(QStringLiteral("id-90000")));
    QVERIFY(!window.contains(QStringLiteral("id-89999")));
    QVERIFY(!window.contains(QStringLiteral("id-0")));
}

void TestDedupWindow::evictsOldestFirst()
{
    DedupWindow window(3);
    for (const char *id : {"1", "2", "3"})
        QVERIFY(window.markApplied(QString::fromLatin1(id)));
    // A duplicate does not refresh or grow anything.
    QVERIFY(!window.markApplied(QStringLiteral("1")));
    QVERIFY(window.markApplied(QStringLiteral("4")));
    QCOMPARE(window.size(), 3);
    QVERIFY(!window.contains(QStringLiteral("1")));
    QVERIFY(!window.markApplied(QStringLiteral("2")));
    QVERIFY(window.markApplied(QStringLiteral("1"))); // forgotten, so accepted again
}

QTEST_GUILESS_MAIN(TestDedupWindow)
#include "tst_dedupwindow.moc"
