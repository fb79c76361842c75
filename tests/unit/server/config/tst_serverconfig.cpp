// The INI config: every key lands where it should, and a typo or a bad
// value is refused instead of silently leaving a default in place.

#include "server/config/ServerConfig.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace tandem::server;

class TestServerConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsEveryKindOfKey();
    void refusesBadFiles_data();
    void refusesBadFiles();
    void relativePathsAreRelativeToTheFile();
    void listenAddresses_data();
    void listenAddresses();

private:
    QString write(const QByteArray &content);
    QTemporaryDir m_dir;
};

QString TestServerConfig::write(const QByteArray &content)
{
    const QString path = m_dir.filePath(QStringLiteral("tandem-server.conf"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write(content);
    return path;
}

void TestServerConfig::readsEveryKindOfKey()
{
    const auto config =
        ServerConfig::loadFile(write("[server]\nlisten=0.0.0.0:9000\n"
                                     "[auth]\ntoken_ttl_seconds=3600\nargon2_memory_kib=65536\n"
                                     "[limits]\nmax_message_bytes=2048\nmessages_per_second=2.5\n"
                                     "burst=7\n[http]\nmax_connections=12\n"),
                               ServerConfig{});
    QVERIFY2(config, config ? "" : qPrintable(config.error().message));
    QCOMPARE(config->listenAddress, QHostAddress(QHostAddress::AnyIPv4));
    QCOMPARE(config->listenPort, quint16(9000));
    QCOMPARE(config->auth.tokenTtlSeconds, 3600);
    QCOMPARE(config->auth.argon2MemoryKiB, 65536u);
    QCOMPARE(config->limits.maxMessageBytes, 2048);
    QCOMPARE(config->limits.messagesPerSecond, 2.5);
    QCOMPARE(config->limits.burst, 7);
    QCOMPARE(config->http.maxConnections, 12);
    // Untouched keys keep their defaults.
    QCOMPARE(config->limits.maxTextLength, ConnectionLimits{}.maxTextLength);
}

void TestServerConfig::refusesBadFiles_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("mentioned");
    QTest::addRow("unknown key") << QByteArray("[limits]\nmax_mesage_bytes=10\n")
                                 << QStringLiteral("max_mesage_bytes");
    QTest::addRow("unknown section") << QByteArray("[limit]\nburst=10\n") << QStringLiteral("limit/burst");
    QTest::addRow("not a number") << QByteArray("[limits]\nburst=lots\n") << QStringLiteral("lots");
    QTest::addRow("below the minimum") << QByteArray("[limits]\nburst=0\n") << QStringLiteral("burst");
    QTest::addRow("fraction for an integer")
        << QByteArray("[limits]\nburst=1.5\n") << QStringLiteral("burst");
    QTest::addRow("argon2 memory over the cap")
        << QByteArray("[auth]\nargon2_memory_kib=99999999999\n") << QStringLiteral("argon2_memory_kib");
    QTest::addRow("bad listen address")
        << QByteArray("[server]\nlisten=nowhere\n") << QStringLiteral("listen");
    QTest::addRow("port out of range")
        << QByteArray("[server]\nlisten=127.0.0.1:70000\n") << QStringLiteral("listen");
}

void TestServerConfig::refusesBadFiles()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, mentioned);
    const auto config = ServerConfig::loadFile(write(content), ServerConfig{});
    QVERIFY(!config);
    QVERIFY2(config.error().message.contains(mentioned), qPrintable(config.error().message));
}

void TestServerConfig::relativePathsAreRelativeToTheFile()
{
    const auto config = ServerConfig::loadFile(
        write("[server]\ndata=state\n[tls]\ncertificate=tls/cert.pem\n"), ServerConfig{});
    QVERIFY(config);
    QCOMPARE(config->dataDir, m_dir.filePath(QStringLiteral("state")));
    QCOMPARE(config->tlsCertificateFile, m_dir.filePath(QStringLiteral("tls/cert.pem")));
    QVERIFY(!ServerConfig::loadFile(m_dir.filePath(QStringLiteral("missing.conf")), ServerConfig{}));
}

void TestServerConfig::listenAddresses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QHostAddress>("address");
    QTest::addColumn<int>("port");
    QTest::addRow("loopback") << QStringLiteral("127.0.0.1:7420") << true
                              << QHostAddress(QHostAddress::LocalHost) << 7420;
    QTest::addRow("port 0") << QStringLiteral("127.0.0.1:0") << true << QHostAddress(QHostAddress::LocalHost)
                            << 0;
    QTest::addRow("localhost") << QStringLiteral("localhost:80") << true
                               << QHostAddress(QHostAddress::LocalHost) << 80;
    QTest::addRow("any") << QStringLiteral("*:8080") << true << QHostAddress(QHostAddress::Any) << 8080;
    QTest::addRow("ipv6") << QStringLiteral("[::1]:9") << true << QHostAddress(QHostAddress::LocalHostIPv6)
                          << 9;
    QTest::addRow("no port") << QStringLiteral("127.0.0.1") << false << QHostAddress() << 0;
    QTest::addRow("bad port") << QStringLiteral("127.0.0.1:http") << false << QHostAddress() << 0;
    QTest::addRow("bad host") << QStringLiteral("example.invalid:80") << false << QHostAddress() << 0;
}

void TestServerConfig::listenAddresses()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QHostAddress, address);
    QFETCH(int, port);
    ServerConfig config;
    QCOMPARE(config.setListen(text).hasValue(), valid);
    if (valid) {
        QCOMPARE(config.listenAddress, address);
        QCOMPARE(config.listenPort, quint16(port));
    }
}

QTEST_GUILESS_MAIN(TestServerConfig)
#include "tst_serverconfig.moc"
