#pragma once
// Who may scrape GET /metrics ([metrics] allow). The metrics say how busy the
// server is, which users' limits trip and how its storage performs: not for
// the internet. By default only loopback peers may read them; an operator opens
// them to a Prometheus host or subnet, or to anyone.

#include "core/protocol/ErrorCode.h"

#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>

namespace tandem::server::metrics {

class MetricsAccess {
public:
    /// Loopback only.
    MetricsAccess() = default;

    /// "loopback", "any", or addresses and subnets ("10.0.0.5", "10.0.0.0/8", "fd00::/8"),
    /// "loopback" among them if wanted, separated by spaces (commas work too, but an INI file
    /// would read a comma-separated value as a list).
    static protocol::Result<MetricsAccess> parse(const QString &text);

    bool allows(const QHostAddress &peer) const;

private:
    bool m_any = false;
    bool m_loopback = true;
    QList<QPair<QHostAddress, int>> m_subnets;
};

} // namespace tandem::server::metrics
