#pragma once
// A throwaway redis-server for tests: on 127.0.0.1 with a free port, nothing
// saved to disk, stopped in the destructor. restart() brings it back on the
// same port, so the servers' buses reconnect where they were (the outage test).

#include <QProcess>
#include <QString>

namespace tandem::test {

class RedisProcess {
public:
    RedisProcess() = default;
    ~RedisProcess();
    RedisProcess(const RedisProcess &) = delete;
    RedisProcess &operator=(const RedisProcess &) = delete;

    /// Starts redis-server and waits until it answers PING. False (with errorString()) when it is
    /// not installed or did not come up.
    bool start();
    /// Stops it (SIGKILL: an outage, not a shutdown). Safe to call twice.
    void stop();
    /// stop() then start() on the same port.
    bool restart();
    /// SIGSTOP / SIGCONT: a Redis that stops answering but keeps its connections open.
    void pause();
    void resume();
    bool isRunning() const { return m_process.state() == QProcess::Running; }
    /// The redis-server process, whose CPU time a benchmark reads; 0 when not running.
    qint64 pid() const { return m_process.processId(); }
    QString errorString() const { return m_error; }

    quint16 port() const { return m_port; }
    /// redis://127.0.0.1:PORT, as tandem-server --redis takes it.
    QString url() const;
    /// Runs one command through redis-cli (e.g. {"KEYS", "tandem:*"}); its output, empty on failure.
    QString cli(const QStringList &command);

private:
    bool answersPing();

    QProcess m_process;
    QString m_error;
    quint16 m_port = 0;
};

} // namespace tandem::test
