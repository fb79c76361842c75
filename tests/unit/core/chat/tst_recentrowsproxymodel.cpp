// The window of newest rows a chat view shows: its size, revealing older rows,
// and rows that arrive while it is open.

#include "core/chat/RecentRowsProxyModel.h"

#include <QStringListModel>
#include <QTest>

using tandem::chat::RecentRowsProxyModel;

namespace {
QStringList numbered(int count)
{
    QStringList rows;
    for (int i = 0; i < count; ++i)
        rows.append(QString::number(i));
    return rows;
}
} // namespace

class TestRecentRowsProxyModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsOnlyTheNewestRows_data();
    void showsOnlyTheNewestRows();
    void revealsOlderRowsAPageAtATime();
    void newRowsAtTheEndAreShown();
};

void TestRecentRowsProxyModel::showsOnlyTheNewestRows_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("window");
    QTest::addColumn<int>("shown");
    QTest::addRow("empty room") << 0 << 300 << 0;
    QTest::addRow("shorter than the window") << 120 << 300 << 120;
    QTest::addRow("exactly the window") << 300 << 300 << 300;
    QTest::addRow("a long room") << 100000 << 300 << 300;
}

void TestRecentRowsProxyModel::showsOnlyTheNewestRows()
{
    QFETCH(int, rows);
    QFETCH(int, window);
    QFETCH(int, shown);
    QStringListModel source(numbered(rows));
    RecentRowsProxyModel recent;
    recent.setSourceWindow(&source, window);
    QCOMPARE(recent.rowCount(), shown);
    QCOMPARE(recent.hiddenRows(), rows - shown);
    if (shown > 0) {
        QCOMPARE(recent.index(shown - 1, 0).data().toString(), QString::number(rows - 1));
        QCOMPARE(recent.index(0, 0).data().toString(), QString::number(rows - shown));
    }
}

void TestRecentRowsProxyModel::revealsOlderRowsAPageAtATime()
{
    QStringListModel source(numbered(250));
    RecentRowsProxyModel recent;
    recent.setSourceWindow(&source, 100);
    QCOMPARE(recent.revealOlder(100), 100);
    QCOMPARE(recent.rowCount(), 200);
    QCOMPARE(recent.index(0, 0).data().toString(), QStringLiteral("50"));
    QCOMPARE(recent.revealOlder(100), 50);
    QCOMPARE(recent.rowCount(), 250);
    QCOMPARE(recent.hiddenRows(), 0);
    QCOMPARE(recent.revealOlder(100), 0);
}

void TestRecentRowsProxyModel::newRowsAtTheEndAreShown()
{
    QStringListModel source(numbered(500));
    RecentRowsProxyModel recent;
    recent.setSourceWindow(&source, 300);
    QVERIFY(source.insertRows(500, 2));
    source.setData(source.index(500), QStringLiteral("new 1"));
    source.setData(source.index(501), QStringLiteral("new 2"));
    QCOMPARE(recent.rowCount(), 302);
    QCOMPARE(recent.index(301, 0).data().toString(), QStringLiteral("new 2"));
    QCOMPARE(recent.hiddenRows(), 200);
}

QTEST_GUILESS_MAIN(TestRecentRowsProxyModel)
#include "tst_recentrowsproxymodel.moc"
