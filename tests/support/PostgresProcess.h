#pragma once
// A throwaway PostgreSQL server for tests: initdb into a temporary folder,
// pg_ctl start on 127.0.0.1 with a free port and trust authentication, and
// pg_ctl stop in the destructor. PostgreSQL refuses to run as root, so when
// the tests do (CI), the server runs as the `postgres` system user.

#include <QString>
#include <QTemporaryDir>

namespace tandem::test {

class PostgresProcess {
public:
    PostgresProcess();
    ~PostgresProcess();
    PostgresProcess(const PostgresProcess &) = delete;
    PostgresProcess &operator=(const PostgresProcess &) = delete;

    /// initdb and start; waits until the server accepts connections (pg_ctl -w).
    /// False with errorString() when PostgreSQL is not installed or did not start.
    bool start();
    /// Stops the server (immediate shutdown: nothing in it is worth keeping). Safe to call twice.
    void stop();
    bool isRunning() const { return m_running; }
    QString errorString() const { return m_error; }

    /// CREATE DATABASE `name`; false (with errorString()) on failure.
    bool createDatabase(const QString &name);
    /// postgresql://postgres@127.0.0.1:PORT/DATABASE, as tandem-server --database takes it.
    QString url(const QString &database) const;
    quint16 port() const { return m_port; }
    static constexpr const char *User = "postgres";

private:
    /// Runs one PostgreSQL program as the user the server runs as; false (with m_error) on failure.
    bool runTool(const QString &tool, const QStringList &arguments);

    QTemporaryDir m_dir;
    QString m_binDir;
    QString m_error;
    quint16 m_port = 0;
    bool m_running = false;
};

} // namespace tandem::test
