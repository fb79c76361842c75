#include "server/metrics/MetricsAccess.h"

#include <QRegularExpression>

#include <algorithm>

namespace tandem::server::metrics {

using protocol::ErrorCode;
using protocol::fail;

protocol::Result<MetricsAccess> MetricsAccess::parse(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[\\s,]+"));
    const QStringList entries = text.split(separators, Qt::SkipEmptyParts);
    if (entries.isEmpty())
        return fail(ErrorCode::BadRequest,
                    QStringLiteral("say loopback, any, or which addresses may scrape"));
    MetricsAccess access;
    access.m_loopback = false;
    for (const QString &entry : entries) {
        if (entry == QLatin1String("any")) {
            access.m_any = true;
        } else if (entry == QLatin1String("loopback")) {
            access.m_loopback = true;
        } else if (!entry.contains(u'/')) {
            // parseSubnet() would read "10.1" as 10.1.0.0/16: a bare address means that address only.
            QHostAddress address;
            if (!address.setAddress(entry))
                return fail(ErrorCode::BadRequest, QStringLiteral("'%1' is not an address").arg(entry));
            access.m_subnets.append(
                {address, address.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128});
        } else {
            const QPair<QHostAddress, int> subnet = QHostAddress::parseSubnet(entry);
            if (subnet.first.isNull())
                return fail(ErrorCode::BadRequest, QStringLiteral("'%1' is not a subnet").arg(entry));
            access.m_subnets.append(subnet);
        }
    }
    return access;
}

bool MetricsAccess::allows(const QHostAddress &peer) const
{
    if (m_any)
        return true;
    // A dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d; the rules are written in IPv4.
    QHostAddress address = peer;
    bool isMappedIPv4 = false;
    const quint32 ipv4 = peer.toIPv4Address(&isMappedIPv4);
    if (isMappedIPv4)
        address = QHostAddress(ipv4);
    if (m_loopback && address.isLoopback())
        return true;
    return std::any_of(m_subnets.cbegin(), m_subnets.cend(),
                       [&](const QPair<QHostAddress, int> &subnet) { return address.isInSubnet(subnet); });
}

} // namespace tandem::server::metrics
