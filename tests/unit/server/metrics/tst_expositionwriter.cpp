// The Prometheus text format 0.0.4 as GET /metrics writes it: HELP and TYPE
// lines, escaping, cumulative histogram buckets, and the whole server scrape.

#include "server/metrics/CounterFamily.h"
#include "server/metrics/ExpositionWriter.h"
#include "server/metrics/Histogram.h"
#include "server/metrics/ServerMetrics.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <cmath>
#include <limits>

using namespace tandem::server::metrics;

class TestExpositionWriter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void counterHasHelpTypeAndSample();
    void helpEscapesBackslashAndLineFeedOnly();
    void labelValuesAreEscaped_data();
    void labelValuesAreEscaped();
    void familyListsKnownLabelValuesAtZeroInOrder();
    void valuesAreFormattedAsPrometheusReadsThem_data();
    void valuesAreFormattedAsPrometheusReadsThem();
    void histogramBucketsAreCumulativeAndEndWithInf();
    void histogramBoundsAreInclusive();
    void closeCodesMapToDisconnectReasons_data();
    void closeCodesMapToDisconnectReasons();
    void serverScrapeDeclaresEveryFamilyOnceBeforeItsSamples();
};

void TestExpositionWriter::counterHasHelpTypeAndSample()
{
    ExpositionWriter writer;
    writer.counter("tandem_deliveries_total", "Room traffic handed to a subscriber.", 42);
    writer.gauge("tandem_open_documents", "Documents loaded.", 3);
    QCOMPARE(writer.text(), QByteArray("# HELP tandem_deliveries_total Room traffic handed to a subscriber.\n"
                                       "# TYPE tandem_deliveries_total counter\n"
                                       "tandem_deliveries_total 42\n"
                                       "# HELP tandem_open_documents Documents loaded.\n"
                                       "# TYPE tandem_open_documents gauge\n"
                                       "tandem_open_documents 3\n"));
}

void TestExpositionWriter::helpEscapesBackslashAndLineFeedOnly()
{
    ExpositionWriter writer;
    writer.gauge("g", "a \\ b\nc \"quoted\"", 1);
    QCOMPARE(writer.text().split('\n').first(), QByteArray("# HELP g a \\\\ b\\nc \"quoted\""));
}

void TestExpositionWriter::labelValuesAreEscaped_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("escaped");
    QTest::addRow("plain") << QStringLiteral("websocket") << QByteArray(R"("websocket")");
    QTest::addRow("double quote") << QStringLiteral("say \"hi\"") << QByteArray(R"("say \"hi\"")");
    QTest::addRow("backslash") << QStringLiteral("a\\b") << QByteArray(R"("a\\b")");
    QTest::addRow("line feed") << QStringLiteral("two\nlines") << QByteArray(R"("two\nlines")");
    QTest::addRow("backslash before n") << QStringLiteral("\\n") << QByteArray(R"("\\n")");
    QTest::addRow("utf-8 as is") << QStringLiteral("café") << QByteArray("\"caf\xc3\xa9\"");
    QTest::addRow("empty") << QString() << QByteArray(R"("")");
}

void TestExpositionWriter::labelValuesAreEscaped()
{
    QFETCH(QString, value);
    QFETCH(QByteArray, escaped);
    QCOMPARE(ExpositionWriter::escapeLabelValue(value), escaped);

    CounterFamily family(QStringLiteral("limit"));
    family[value] = 7;
    ExpositionWriter writer;
    writer.counter("x_total", "X.", family);
    QVERIFY2(writer.text().endsWith("x_total{limit=" + escaped + "} 7\n"), writer.text().constData());
}

void TestExpositionWriter::familyListsKnownLabelValuesAtZeroInOrder()
{
    CounterFamily refusals(QStringLiteral("limit"),
                           {QStringLiteral("message_rate"), QStringLiteral("body_size")});
    ++refusals[QStringLiteral("message_rate")];
    ++refusals[QStringLiteral("connection_cap")];
    ++refusals[QStringLiteral("message_rate")];
    ExpositionWriter writer;
    writer.counter("tandem_refusals_total", "Refused.", refusals);
    QCOMPARE(writer.text(), QByteArray("# HELP tandem_refusals_total Refused.\n"
                                       "# TYPE tandem_refusals_total counter\n"
                                       "tandem_refusals_total{limit=\"body_size\"} 0\n"
                                       "tandem_refusals_total{limit=\"connection_cap\"} 1\n"
                                       "tandem_refusals_total{limit=\"message_rate\"} 2\n"));
    QCOMPARE(refusals.value(QStringLiteral("message_rate")), quint64(2));
    QCOMPARE(refusals.value(QStringLiteral("never seen")), quint64(0));
}

void TestExpositionWriter::valuesAreFormattedAsPrometheusReadsThem_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("text");
    QTest::addRow("zero") << 0.0 << QByteArray("0");
    QTest::addRow("integer") << 1234567.0 << QByteArray("1234567");
    QTest::addRow("2^53 - 1") << 9007199254740991.0 << QByteArray("9007199254740991");
    QTest::addRow("fraction") << 0.25 << QByteArray("0.25");
    QTest::addRow("shortest round trip") << 0.1 << QByteArray("0.1");
    QTest::addRow("small bound") << 0.0001 << QByteArray("0.0001");
    QTest::addRow("negative") << -2.5 << QByteArray("-2.5");
    QTest::addRow("+Inf") << std::numeric_limits<double>::infinity() << QByteArray("+Inf");
    QTest::addRow("-Inf") << -std::numeric_limits<double>::infinity() << QByteArray("-Inf");
    QTest::addRow("NaN") << std::numeric_limits<double>::quiet_NaN() << QByteArray("NaN");
}

void TestExpositionWriter::valuesAreFormattedAsPrometheusReadsThem()
{
    QFETCH(double, value);
    QFETCH(QByteArray, text);
    QCOMPARE(ExpositionWriter::formatValue(value), text);
    if (std::isfinite(value))
        QCOMPARE(text.toDouble(), value);
}

void TestExpositionWriter::histogramBucketsAreCumulativeAndEndWithInf()
{
    // Binary fractions, so that the sum is exact.
    Histogram lag({0.25, 1, 2});
    for (const double seconds : {0.125, 0.25, 0.5, 4.0})
        lag.observe(seconds);
    ExpositionWriter writer;
    writer.histogram("tandem_bus_lag_seconds", "Lag.", lag);
    QCOMPARE(writer.text(), QByteArray("# HELP tandem_bus_lag_seconds Lag.\n"
                                       "# TYPE tandem_bus_lag_seconds histogram\n"
                                       "tandem_bus_lag_seconds_bucket{le=\"0.25\"} 2\n"
                                       "tandem_bus_lag_seconds_bucket{le=\"1\"} 3\n"
                                       "tandem_bus_lag_seconds_bucket{le=\"2\"} 3\n"
                                       "tandem_bus_lag_seconds_bucket{le=\"+Inf\"} 4\n"
                                       "tandem_bus_lag_seconds_sum 4.875\n"
                                       "tandem_bus_lag_seconds_count 4\n"));
}

void TestExpositionWriter::histogramBoundsAreInclusive()
{
    Histogram histogram({1, 2});
    histogram.observe(1);
    histogram.observe(2);
    histogram.observe(2.0000001);
    QCOMPARE(histogram.bucketCounts(), (std::vector<quint64>{1, 1, 1}));
    QCOMPARE(histogram.count(), quint64(3));
}

void TestExpositionWriter::closeCodesMapToDisconnectReasons_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reason");
    QTest::addRow("1000") << 1000 << QStringLiteral("normal");
    QTest::addRow("1001") << 1001 << QStringLiteral("going_away");
    QTest::addRow("1002") << 1002 << QStringLiteral("protocol");
    QTest::addRow("1006") << 1006 << QStringLiteral("abnormal");
    QTest::addRow("1009") << 1009 << QStringLiteral("too_big");
    QTest::addRow("1013") << 1013 << QStringLiteral("too_slow");
    QTest::addRow("4000") << 4000 << QStringLiteral("idle");
    QTest::addRow("4001") << 4001 << QStringLiteral("auth_failed");
    QTest::addRow("4008") << 4008 << QStringLiteral("policy");
    QTest::addRow("4401") << 4401 << QStringLiteral("permission_denied");
    QTest::addRow("no code") << 0 << QStringLiteral("peer_closed");
    QTest::addRow("unknown") << 4999 << QStringLiteral("other");
}

void TestExpositionWriter::closeCodesMapToDisconnectReasons()
{
    QFETCH(int, code);
    QFETCH(QString, reason);
    QCOMPARE(ServerMetrics::disconnectReason(code), reason);
    // Every reason is listed from the start, so that a rate() over it exists before the first event.
    QVERIFY(ServerMetrics().disconnects.values().count(reason) == 1);
}

void TestExpositionWriter::serverScrapeDeclaresEveryFamilyOnceBeforeItsSamples()
{
    ServerMetrics metrics;
    ++metrics.messagesReceived[QStringLiteral("websocket")];
    metrics.storageSeconds.observe(0.002);
    ServerMetrics::Live live;
    live.connections[QStringLiteral("websocket")] = 2;
    live.busConnected = true;
    const QByteArray text = metrics.exposition(live);

    static const QRegularExpression sampleLine(
        QStringLiteral(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-z_]+="(?:[^"\\]|\\.)*"\})? (\S+)$)"));
    QSet<QByteArray> declared;
    QByteArray currentFamily;
    QByteArray currentType;
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty())
            continue;
        if (line.startsWith("# HELP "))
            continue;
        if (line.startsWith("# TYPE ")) {
            const QList<QByteArray> parts = line.split(' ');
            QCOMPARE(parts.size(), 4);
            currentFamily = parts.at(2);
            currentType = parts.at(3);
            QVERIFY2(!declared.contains(currentFamily), currentFamily.constData());
            declared.insert(currentFamily);
            if (currentType == "counter")
                QVERIFY2(currentFamily.endsWith("_total"), currentFamily.constData());
            continue;
        }
        const auto match = sampleLine.match(QString::fromUtf8(line));
        QVERIFY2(match.hasMatch(), line.constData());
        const QByteArray name = match.captured(1).toUtf8();
        const bool ofFamily =
            name == currentFamily || (currentType == "histogram" &&
                                      (name == currentFamily + "_bucket" || name == currentFamily + "_sum" ||
                                       name == currentFamily + "_count"));
        QVERIFY2(ofFamily, line.constData());
        bool isNumber = false;
        match.captured(3).toDouble(&isNumber);
        QVERIFY2(isNumber || match.captured(3) == QLatin1String("+Inf"), line.constData());
    }
    for (const char *family :
         {"tandem_connections", "tandem_messages_received_total", "tandem_messages_sent_total",
          "tandem_deliveries_total", "tandem_dropped_messages_total", "tandem_disconnects_total",
          "tandem_refusals_total", "tandem_http_requests_total", "tandem_bus_lag_seconds",
          "tandem_bus_connected", "tandem_storage_seconds", "tandem_open_documents", "tandem_open_canvases",
          "process_resident_memory_bytes", "process_cpu_seconds_total", "process_open_fds"})
        QVERIFY2(declared.contains(family), family);
    QVERIFY(text.contains("\ntandem_connections{transport=\"websocket\"} 2\n"));
    QVERIFY(text.contains("\ntandem_connections{transport=\"polling\"} 0\n"));
    QVERIFY(text.contains("\ntandem_messages_received_total{transport=\"websocket\"} 1\n"));
    QVERIFY(text.contains("\ntandem_bus_connected 1\n"));
    QVERIFY(text.contains("\ntandem_storage_seconds_bucket{le=\"0.0025\"} 1\n"));
    // Read from /proc/self: this test process has some memory and file descriptors.
    static const QRegularExpression resident(QStringLiteral(R"(\nprocess_resident_memory_bytes (\d+)\n)"));
    const auto rss = resident.match(QString::fromUtf8(text));
    QVERIFY(rss.hasMatch());
    QVERIFY(rss.captured(1).toDouble() > 1024 * 1024);

    // Without a bus there is nothing to be connected to: no gauge an alert could fire on.
    QVERIFY(!metrics.exposition({}).contains("tandem_bus_connected"));
}

QTEST_GUILESS_MAIN(TestExpositionWriter)
#include "tst_expositionwriter.moc"
