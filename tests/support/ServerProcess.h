#pragma once
// A real tandem-server process on 127.0.0.1, port 0, with its own data folder
// and config file. Tests talk to it only over the network, as clients do.

#include <QMap>
#include <QProcess>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QUrl>

#include <optional>

namespace tandem::test {

class ServerProcess {
public:
    /// `configLines` are extra INI lines, e.g. {"[limits]", "burst=5"}.
    explicit ServerProcess(QStringList configLines = {});
    ~ServerProcess();

    /// Starts the server and waits for its "listening on" line. A non-zero
    /// `port` restarts it where clients expect it (same data folder, same port).
    bool start(quint16 port = 0);
    /// SIGTERM and wait for a clean exit; returns the exit code (-1 on timeout).
    int terminate();
    /// SIGKILL: the crash case.
    void kill();
    /// `tandem-server user add NAME` with the password on stdin; true on success.
    bool addUser(const QString &name, const QString &password = QStringLiteral("correct horse"));
    /// Runs any tandem-server command against this data folder; returns {exit code, stdout+stderr}.
    QPair<int, QString> runCommand(const QStringList &arguments, const QByteArray &input = {});

    quint16 port() const { return m_port; }
    QUrl httpUrl(const QString &path) const;
    QUrl wsUrl(const QString &query = {}) const;
    QString dataDir() const { return m_dir.filePath(QStringLiteral("data")); }
    QString configPath() const { return m_dir.filePath(QStringLiteral("tandem-server.conf")); }
    QProcess &process() { return m_process; }
    /// Everything the server wrote to stderr so far (its log).
    QByteArray log();

    /// POST /api/login; returns the token or an empty string.
    QString login(const QString &name, const QString &password = QStringLiteral("correct horse"));
    /// Adds the user, signs them in and makes them a member of `roomId` (the
    /// first member creates and owns it); returns their token, empty on failure.
    QString addMember(const QString &name, const QString &roomId);

    static QString binary();
    /// What login() trusts when the server serves https.
    void setClientTls(const QSslConfiguration &tls) { m_clientTls = tls; }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QByteArray m_log;
    quint16 m_port = 0;
    QString m_scheme = QStringLiteral("http");
    std::optional<QSslConfiguration> m_clientTls;
};

} // namespace tandem::test
