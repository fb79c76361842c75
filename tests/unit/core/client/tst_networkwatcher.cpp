// The network watcher reports "back" only on a transition to full reachability.

#include "core/client/NetworkWatcher.h"

#include <QSignalSpy>
#include <QTest>

using tandem::client::NetworkWatcher;
using Reachability = QNetworkInformation::Reachability;

class TestNetworkWatcher : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void reportsOnlyTransitionsToOnline_data();
    void reportsOnlyTransitionsToOnline();
};

void TestNetworkWatcher::reportsOnlyTransitionsToOnline_data()
{
    QTest::addColumn<QList<Reachability>>("reports");
    QTest::addColumn<int>("expectedBack");
    QTest::addRow("still online") << QList<Reachability>{Reachability::Online, Reachability::Online} << 0;
    QTest::addRow("off then on") << QList<Reachability>{Reachability::Disconnected, Reachability::Online}
                                 << 1;
    QTest::addRow("local network is not back")
        << QList<Reachability>{Reachability::Disconnected, Reachability::Local, Reachability::Site} << 0;
    QTest::addRow("local then online")
        << QList<Reachability>{Reachability::Disconnected, Reachability::Local, Reachability::Online} << 1;
    QTest::addRow("two outages") << QList<Reachability>{Reachability::Disconnected, Reachability::Online,
                                                        Reachability::Disconnected, Reachability::Online}
                                 << 2;
}

void TestNetworkWatcher::reportsOnlyTransitionsToOnline()
{
    QFETCH(QList<Reachability>, reports);
    QFETCH(int, expectedBack);
    NetworkWatcher watcher;
    // Whatever the machine's backend says first, start from a known "online".
    watcher.reachabilityChanged(Reachability::Online);
    QSignalSpy back(&watcher, &NetworkWatcher::networkBack);
    for (const Reachability reachability : reports)
        watcher.reachabilityChanged(reachability);
    QCOMPARE(back.count(), expectedBack);
}

QTEST_GUILESS_MAIN(TestNetworkWatcher)
#include "tst_networkwatcher.moc"
