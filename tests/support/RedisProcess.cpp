#include "tests/support/RedisProcess.h"

#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>

#include <csignal>

namespace tandem::test {

namespace {

constexpr int StartTimeoutMs = 20000;

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

} // namespace

RedisProcess::~RedisProcess()
{
    stop();
}

QString RedisProcess::url() const
{
    return QStringLiteral("redis://127.0.0.1:%1").arg(m_port);
}

bool RedisProcess::answersPing()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    if (!socket.waitForConnected(500))
        return false;
    socket.write("PING\r\n");
    QByteArray answer;
    while (!answer.contains("\r\n") && socket.waitForReadyRead(500))
        answer += socket.readAll();
    return answer.startsWith("+PONG");
}

bool RedisProcess::start()
{
    const QString program = QStandardPaths::findExecutable(QStringLiteral("redis-server"));
    if (program.isEmpty()) {
        m_error = QStringLiteral("redis-server is not installed (packaging/install-deps.sh installs it)");
        return false;
    }
    if (m_port == 0)
        m_port = freePort();
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(program, {QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
                              QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                              QStringLiteral("--appendonly"), QStringLiteral("no")});
    if (!m_process.waitForStarted(StartTimeoutMs)) {
        m_error = QStringLiteral("redis-server did not start: %1").arg(m_process.errorString());
        return false;
    }
    QElapsedTimer elapsed;
    elapsed.start();
    while (elapsed.elapsed() < StartTimeoutMs) {
        if (answersPing())
            return true;
        if (m_process.state() != QProcess::Running)
            break;
        // Paced by the server's own output (it logs as it comes up), not by a sleep.
        m_process.waitForReadyRead(100);
    }
    m_error = QStringLiteral("redis-server did not answer PING: %1")
                  .arg(QString::fromLocal8Bit(m_process.readAll()));
    stop();
    return false;
}

void RedisProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    resume(); // a stopped process would not die until continued
    m_process.kill();
    m_process.waitForFinished(10000);
}

bool RedisProcess::restart()
{
    stop();
    return start();
}

void RedisProcess::pause()
{
    if (isRunning())
        ::kill(static_cast<pid_t>(m_process.processId()), SIGSTOP);
}

void RedisProcess::resume()
{
    if (isRunning())
        ::kill(static_cast<pid_t>(m_process.processId()), SIGCONT);
}

QString RedisProcess::cli(const QStringList &command)
{
    QProcess process;
    process.start(QStringLiteral("redis-cli"),
                  QStringList{QStringLiteral("-p"), QString::number(m_port)} + command);
    if (!process.waitForFinished(10000) || process.exitCode() != 0)
        return {};
    return QString::fromLocal8Bit(process.readAllStandardOutput());
}

} // namespace tandem::test
