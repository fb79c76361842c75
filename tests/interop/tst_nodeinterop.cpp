// Runs JavaScript clients under Node against a real tandem-server: the `ws`
// client (chat-client.mjs) and a browser-style EventSource from the
// `eventsource` package (sse-client.mjs). Peers that know only
// docs/PROTOCOL.md must be able to chat and resume.

#include "tests/support/ServerProcess.h"

#include <QProcess>
#include <QTest>

using namespace tandem::test;

class TestNodeInterop : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void nodeWsClientChatsAndResumes() { runScript(QStringLiteral("chat-client.mjs"), QStringLiteral("ws")); }
    void nodeEventSourceResumesWithLastEventId()
    {
        runScript(QStringLiteral("sse-client.mjs"), QStringLiteral("eventsource"));
    }

private:
    void runScript(const QString &script, const QString &package);
};

void TestNodeInterop::runScript(const QString &script, const QString &package)
{
    const QString interopDir = QStringLiteral(TANDEM_INTEROP_DIR);
    QVERIFY2(QFile::exists(interopDir + QStringLiteral("/node_modules/%1/package.json").arg(package)),
             "run `npm ci` in tests/interop first (scripts/test.sh does)");
    ServerProcess server;
    QVERIFY(server.start());
    QVERIFY(server.addUser(QStringLiteral("alice")));
    QVERIFY(server.addUser(QStringLiteral("bob")));

    QProcess node;
    node.setWorkingDirectory(interopDir);
    node.setProcessChannelMode(QProcess::MergedChannels);
    node.start(QStringLiteral("node"), {script, server.httpUrl(QString()).toString(), QStringLiteral("alice"),
                                        QStringLiteral("bob"), QStringLiteral("correct horse")});
    QVERIFY(node.waitForFinished(60000));
    const QString output = QString::fromUtf8(node.readAll());
    qInfo().noquote() << output;
    QCOMPARE(node.exitCode(), 0);
    QVERIFY(output.contains(QStringLiteral(" passed, 0 failed")));
}

QTEST_GUILESS_MAIN(TestNodeInterop)
#include "tst_nodeinterop.moc"
