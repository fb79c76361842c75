#pragma once
// The Node reference relay (tests/bench/node-relay.mjs) as a child process on
// 127.0.0.1, port 0, like ServerProcess is for tandem-server.

#include <QProcess>
#include <QString>

namespace tandem::bench {

class NodeRelayProcess {
public:
    NodeRelayProcess();
    ~NodeRelayProcess();
    NodeRelayProcess(const NodeRelayProcess &) = delete;
    NodeRelayProcess &operator=(const NodeRelayProcess &) = delete;

    /// Starts `node node-relay.mjs` and waits for its "listening on PORT" line.
    bool start();
    void stop();
    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    QString errorString() const { return m_error; }
    /// `node --version`, or an empty string when node cannot run.
    static QString nodeVersion();

private:
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace tandem::bench
