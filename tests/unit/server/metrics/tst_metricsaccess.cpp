// Who may read GET /metrics ([metrics] allow): loopback by default, any, or
// addresses and subnets; and how the config file sets it. The 403 itself is
// shown against a real server by tests/integration/metrics.

#include "server/config/ServerConfig.h"
#include "server/metrics/MetricsAccess.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tandem::server;
using tandem::server::metrics::MetricsAccess;

class TestMetricsAccess : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaultServesLoopbackOnly_data();
    void defaultServesLoopbackOnly();
    void rulesDecideWhoMayScrape_data();
    void rulesDecideWhoMayScrape();
    void badRulesAreRefused_data();
    void badRulesAreRefused();
    void configFileSetsTheRule();
    void configFileRefusesABadRule();
};

void TestMetricsAccess::defaultServesLoopbackOnly_data()
{
    QTest::addColumn<QString>("peer");
    QTest::addColumn<bool>("allowed");
    QTest::addRow("127.0.0.1") << QStringLiteral("127.0.0.1") << true;
    QTest::addRow("127.8.9.10") << QStringLiteral("127.8.9.10") << true;
    QTest::addRow("::1") << QStringLiteral("::1") << true;
    QTest::addRow("v4-mapped loopback") << QStringLiteral("::ffff:127.0.0.1") << true;
    QTest::addRow("private address") << QStringLiteral("192.168.1.20") << false;
    QTest::addRow("public address") << QStringLiteral("203.0.113.7") << false;
    QTest::addRow("v6 address") << QStringLiteral("2001:db8::1") << false;
    QTest::addRow("no address") << QString() << false;
}

void TestMetricsAccess::defaultServesLoopbackOnly()
{
    QFETCH(QString, peer);
    QFETCH(bool, allowed);
    QCOMPARE(MetricsAccess().allows(QHostAddress(peer)), allowed);
    QCOMPARE(ServerConfig().metricsAccess.allows(QHostAddress(peer)), allowed);
}

void TestMetricsAccess::rulesDecideWhoMayScrape_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("peer");
    QTest::addColumn<bool>("allowed");
    QTest::addRow("any: public") << QStringLiteral("any") << QStringLiteral("203.0.113.7") << true;
    QTest::addRow("any: v6") << QStringLiteral("any") << QStringLiteral("2001:db8::1") << true;
    QTest::addRow("loopback: loopback") << QStringLiteral("loopback") << QStringLiteral("127.0.0.1") << true;
    QTest::addRow("loopback: other") << QStringLiteral("loopback") << QStringLiteral("10.0.0.1") << false;
    QTest::addRow("address: itself") << QStringLiteral("10.0.0.5") << QStringLiteral("10.0.0.5") << true;
    QTest::addRow("address: neighbour") << QStringLiteral("10.0.0.5") << QStringLiteral("10.0.0.6") << false;
    QTest::addRow("address alone: not loopback")
        << QStringLiteral("10.0.0.5") << QStringLiteral("127.0.0.1") << false;
    QTest::addRow("subnet: inside") << QStringLiteral("10.0.0.0/8") << QStringLiteral("10.200.3.4") << true;
    QTest::addRow("subnet: outside") << QStringLiteral("10.0.0.0/8") << QStringLiteral("11.0.0.1") << false;
    QTest::addRow("subnet: v4-mapped peer")
        << QStringLiteral("10.0.0.0/8") << QStringLiteral("::ffff:10.1.2.3") << true;
    QTest::addRow("v6 subnet") << QStringLiteral("fd00::/8") << QStringLiteral("fd12::7") << true;
    QTest::addRow("list: second entry")
        << QStringLiteral("loopback 192.0.2.0/24") << QStringLiteral("192.0.2.9") << true;
    QTest::addRow("list: loopback entry")
        << QStringLiteral("loopback 192.0.2.0/24") << QStringLiteral("::1") << true;
    QTest::addRow("list with commas")
        << QStringLiteral("10.0.0.5, 10.0.0.6") << QStringLiteral("10.0.0.6") << true;
    QTest::addRow("list: neither") << QStringLiteral("loopback 192.0.2.0/24")
                                   << QStringLiteral("198.51.100.1") << false;
}

void TestMetricsAccess::rulesDecideWhoMayScrape()
{
    QFETCH(QString, rule);
    QFETCH(QString, peer);
    QFETCH(bool, allowed);
    const auto access = MetricsAccess::parse(rule);
    QVERIFY2(access.hasValue(), qPrintable(access ? QString() : access.error().message));
    QCOMPARE(access->allows(QHostAddress(peer)), allowed);
}

void TestMetricsAccess::badRulesAreRefused_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addRow("empty") << QString();
    QTest::addRow("blank") << QStringLiteral("  ");
    QTest::addRow("word") << QStringLiteral("everyone");
    QTest::addRow("host name") << QStringLiteral("prometheus.internal");
    QTest::addRow("bad subnet") << QStringLiteral("10.0.0.0/99");
    QTest::addRow("one bad among good") << QStringLiteral("loopback 10.0.0.300");
}

void TestMetricsAccess::badRulesAreRefused()
{
    QFETCH(QString, rule);
    QVERIFY(!MetricsAccess::parse(rule).hasValue());
}

void TestMetricsAccess::configFileSetsTheRule()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("tandem-server.conf"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[metrics]\nallow = loopback 192.0.2.0/24\n");
    file.close();
    const auto config = ServerConfig::loadFile(path, {});
    QVERIFY2(config.hasValue(), qPrintable(config ? QString() : config.error().message));
    QVERIFY(config->metricsAccess.allows(QHostAddress(QStringLiteral("192.0.2.44"))));
    QVERIFY(config->metricsAccess.allows(QHostAddress(QStringLiteral("127.0.0.1"))));
    QVERIFY(!config->metricsAccess.allows(QHostAddress(QStringLiteral("198.51.100.1"))));
}

void TestMetricsAccess::configFileRefusesABadRule()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("tandem-server.conf"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[metrics]\nallow = everyone\n");
    file.close();
    const auto config = ServerConfig::loadFile(path, {});
    QVERIFY(!config.hasValue());
    QVERIFY2(config.error().message.contains(QLatin1String("metrics/allow")),
             qPrintable(config.error().message));
}

QTEST_GUILESS_MAIN(TestMetricsAccess)
#include "tst_metricsaccess.moc"
