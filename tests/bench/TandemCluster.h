#pragma once
// The servers a scale-out benchmark measures: one or several tandem-server
// processes (tests/support/ServerProcess), on one shared PostgreSQL database
// and one Redis when asked, else each on its own SQLite, with user `bench`
// signed in so load clients can open authenticated WebSockets to any of them.

#include "tests/bench/FanoutLoad.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace tandem::test {
class ServerProcess;
}

namespace tandem::bench {

struct ClusterSpec {
    int instances = 1;
    QString databaseUrl; ///< postgresql://…; empty: SQLite in each instance's data folder
    QString redisUrl;    ///< redis://…; empty: no bus
    QStringList config;  ///< extra INI lines for every instance (the benchmark's raised limits)
};

/// The INI lines for a server under a fan-out load of `clients`: the limits a public server needs
/// but a load test must not hit.
QStringList fanoutLoadConfig(int clients);

class TandemCluster {
public:
    TandemCluster();
    ~TandemCluster();
    TandemCluster(const TandemCluster &) = delete;
    TandemCluster &operator=(const TandemCluster &) = delete;

    /// Starts every instance, adds user `bench` and signs it in; false with errorString() on failure.
    bool start(const ClusterSpec &spec);
    /// SIGTERM to every instance; keeps their warning and critical log lines (warnings()).
    void stop();

    /// ws://127.0.0.1:PORT/ws?token=… for each instance: one token is valid on all of them when
    /// they share a database.
    std::vector<Endpoint> endpoints() const;
    std::vector<qint64> pids() const;
    int size() const { return static_cast<int>(m_servers.size()); }
    QString errorString() const { return m_error; }
    /// The first warning and critical lines the instances logged, for the report.
    QStringList warnings() const { return m_warnings; }

private:
    std::vector<std::unique_ptr<test::ServerProcess>> m_servers;
    std::vector<QString> m_logPaths;
    QByteArray m_token;
    QString m_error;
    QStringList m_warnings;
};

} // namespace tandem::bench
