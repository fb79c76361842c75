// Runs the Node `ws` client (chat-client.mjs) against a real tandem-server:
// a JavaScript peer that knows only docs/PROTOCOL.md must be able to chat.

#include "tests/support/ServerProcess.h"

#include <QProcess>
#include <QTest>

using namespace tandem::test;

class TestNodeInterop : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void nodeWsClientChatsAndResumes();
};

void TestNodeInterop::nodeWsClientChatsAndResumes()
{
    const QString interopDir = QStringLiteral(TANDEM_INTEROP_DIR);
    QVERIFY2(QFile::exists(interopDir + QStringLiteral("/node_modules/ws/package.json")),
             "run `npm ci` in tests/interop first (scripts/test.sh does)");
    ServerProcess server;
    QVERIFY(server.start());
    QVERIFY(server.addUser(QStringLiteral("alice")));
    QVERIFY(server.addUser(QStringLiteral("bob")));

    QProcess node;
    node.setWorkingDirectory(interopDir);
    node.setProcessChannelMode(QProcess::MergedChannels);
    node.start(QStringLiteral("node"),
               {QStringLiteral("chat-client.mjs"), server.httpUrl(QString()).toString(),
                QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("correct horse")});
    QVERIFY(node.waitForFinished(60000));
    const QString output = QString::fromUtf8(node.readAll());
    qInfo().noquote() << output;
    QCOMPARE(node.exitCode(), 0);
    QVERIFY(output.contains(QStringLiteral(" passed, 0 failed")));
}

QTEST_GUILESS_MAIN(TestNodeInterop)
#include "tst_nodeinterop.moc"
