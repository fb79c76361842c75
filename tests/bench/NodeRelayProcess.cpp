#include "tests/bench/NodeRelayProcess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRegularExpression>

namespace tandem::bench {

namespace {

constexpr int StartTimeoutMs = 20000;

QString nodeBinary()
{
    return qEnvironmentVariable("TANDEM_NODE", QStringLiteral("node"));
}

QString benchDir()
{
    return qEnvironmentVariable("TANDEM_BENCH_DIR", QStringLiteral(TANDEM_BENCH_DIR));
}

} // namespace

NodeRelayProcess::NodeRelayProcess()
{
    m_process.setProgram(nodeBinary());
    m_process.setArguments({QDir(benchDir()).filePath(QStringLiteral("node-relay.mjs"))});
    m_process.setWorkingDirectory(benchDir());
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
}

NodeRelayProcess::~NodeRelayProcess()
{
    stop();
}

bool NodeRelayProcess::start()
{
    if (!QFileInfo::exists(QDir(benchDir()).filePath(QStringLiteral("node_modules/ws/package.json")))) {
        m_error = QStringLiteral("the `ws` package is missing: run `npm ci --prefix %1`").arg(benchDir());
        return false;
    }
    m_process.start();
    if (!m_process.waitForStarted(StartTimeoutMs)) {
        m_error = QStringLiteral("cannot run %1: %2").arg(nodeBinary(), m_process.errorString());
        return false;
    }
    static const QRegularExpression listening(QStringLiteral("listening on (\\d+)"));
    QByteArray output;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < StartTimeoutMs && m_process.state() == QProcess::Running) {
        m_process.waitForReadyRead(200);
        output += m_process.readAllStandardOutput();
        const auto match = listening.match(QString::fromUtf8(output));
        if (match.hasMatch()) {
            m_port = static_cast<quint16>(match.captured(1).toUInt());
            return true;
        }
    }
    m_error = QStringLiteral("node-relay.mjs did not start: %1").arg(QString::fromUtf8(output));
    return false;
}

void NodeRelayProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString NodeRelayProcess::nodeVersion()
{
    QProcess node;
    node.start(nodeBinary(), {QStringLiteral("--version")});
    if (!node.waitForFinished(10000))
        return {};
    return QString::fromUtf8(node.readAllStandardOutput()).trimmed();
}

} // namespace tandem::bench
