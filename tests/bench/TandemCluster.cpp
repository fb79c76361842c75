#include "tests/bench/TandemCluster.h"

#include "tests/support/ServerProcess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace tandem::bench {

namespace {
constexpr int MaxWarnings = 5;
}

QStringList fanoutLoadConfig(int clients)
{
    // One user holds every connection and each sender far exceeds a human's message rate.
    // Receivers never send, so no idle timeout.
    return {QStringLiteral("[limits]"), QStringLiteral("messages_per_second=1000000"),
            QStringLiteral("burst=1000000"),
            // cursor:move has its own bucket (40/s by default) since 35f24bb: without these lines
            // every sender past 40 moves/s is dropped, then closed with 4008.
            QStringLiteral("cursor_moves_per_second=1000000"), QStringLiteral("cursor_burst=1000000"),
            QStringLiteral("max_connections_per_user=%1").arg(clients + 10),
            QStringLiteral("idle_timeout_ms=3600000"), QStringLiteral("[http]"),
            QStringLiteral("max_connections=%1").arg(clients + 1000),
            // Every load client comes from 127.0.0.1: the per-address opening limit would refuse them.
            QStringLiteral("new_connection_burst_per_address=%1").arg(clients + 1000)};
}

TandemCluster::TandemCluster() = default;

TandemCluster::~TandemCluster()
{
    stop();
}

bool TandemCluster::start(const ClusterSpec &spec)
{
    QStringList config = spec.config;
    if (!spec.databaseUrl.isEmpty())
        config << QStringLiteral("[storage]") << QStringLiteral("database=%1").arg(spec.databaseUrl);
    if (!spec.redisUrl.isEmpty())
        config << QStringLiteral("[bus]") << QStringLiteral("redis=%1").arg(spec.redisUrl);
    for (int i = 0; i < spec.instances; ++i) {
        auto server = std::make_unique<test::ServerProcess>(config);
        // To a file: a pipe nobody reads during the measurement would fill and stall the server.
        const QString logPath = QFileInfo(server->configPath()).dir().filePath(QStringLiteral("server.log"));
        server->process().setStandardErrorFile(logPath);
        if (!server->start()) {
            m_error = QStringLiteral("instance %1 of %2 (%3) did not start; its log: %4")
                          .arg(i + 1)
                          .arg(spec.instances)
                          .arg(test::ServerProcess::binary(), logPath);
            m_servers.push_back(std::move(server));
            m_logPaths.push_back(logPath);
            return false;
        }
        m_servers.push_back(std::move(server));
        m_logPaths.push_back(logPath);
    }
    // Users live in the shared database: adding and signing in through the first instance will do.
    test::ServerProcess &first = *m_servers.front();
    if (!first.addUser(QStringLiteral("bench"))) {
        m_error = QStringLiteral("tandem-server user add bench failed");
        return false;
    }
    const QString token = first.login(QStringLiteral("bench"));
    if (token.isEmpty()) {
        m_error = QStringLiteral("POST /api/login failed");
        return false;
    }
    m_token = token.toLatin1();
    return true;
}

void TandemCluster::stop()
{
    for (std::size_t i = 0; i < m_servers.size(); ++i) {
        m_servers[i]->terminate();
        QFile log(m_logPaths[i]);
        if (!log.open(QIODevice::ReadOnly))
            continue;
        while (!log.atEnd()) {
            const QByteArray line = log.readLine().trimmed();
            if (!line.contains(" warning ") && !line.contains(" critical "))
                continue;
            if (m_warnings.size() < MaxWarnings)
                m_warnings.append(QStringLiteral("instance %1: %2").arg(i + 1).arg(QString::fromUtf8(line)));
            else if (m_warnings.size() == MaxWarnings)
                m_warnings.append(QStringLiteral("… and more warnings"));
        }
    }
    m_servers.clear();
    m_logPaths.clear();
}

std::vector<Endpoint> TandemCluster::endpoints() const
{
    std::vector<Endpoint> endpoints;
    for (const auto &server : m_servers)
        endpoints.push_back({server->port(), "/ws?token=" + m_token});
    return endpoints;
}

std::vector<qint64> TandemCluster::pids() const
{
    std::vector<qint64> pids;
    for (const auto &server : m_servers)
        pids.push_back(server->process().processId());
    return pids;
}

} // namespace tandem::bench
