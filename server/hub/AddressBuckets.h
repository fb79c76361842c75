#pragma once
// One leaky bucket per client address (failed logins, new connections), in
// bounded memory: past `maxTracked` addresses, those whose buckets have
// drained are forgotten, so a spray of addresses cannot grow the table
// without limit.

#include "server/hub/LeakyBucket.h"

#include <QHash>
#include <QString>

#include <memory>

namespace tandem::server {

class AddressBuckets {
public:
    AddressBuckets(const Clock &clock, double drainPerSecond, double capacity, qsizetype maxTracked = 10000);

    /// The bucket of `address`, created empty on first use.
    LeakyBucket &of(const QString &address);
    double capacity() const { return m_capacity; }
    qsizetype trackedCount() const { return m_buckets.size(); }

private:
    const Clock &m_clock;
    double m_drainPerSecond;
    double m_capacity;
    qsizetype m_maxTracked;
    QHash<QString, std::shared_ptr<LeakyBucket>> m_buckets;
};

} // namespace tandem::server
