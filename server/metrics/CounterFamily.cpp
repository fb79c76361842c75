#include "server/metrics/CounterFamily.h"

namespace tandem::server::metrics {

CounterFamily::CounterFamily(QString labelName, const QStringList &knownValues)
    : m_labelName(std::move(labelName))
{
    for (const QString &value : knownValues)
        m_values.emplace(value, 0);
}

quint64 CounterFamily::value(const QString &labelValue) const
{
    const auto it = m_values.find(labelValue);
    return it == m_values.end() ? 0 : it->second;
}

} // namespace tandem::server::metrics
