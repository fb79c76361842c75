#include "core/client/Backoff.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace tandem::client {

Backoff::Backoff(BackoffPolicy policy, RandomSource random)
    : m_policy(policy)
    , m_random(std::move(random))
{
    if (!m_random)
        m_random = [] {
            return QRandomGenerator::global()->generateDouble();
        };
}

qint64 Backoff::nominalDelay(int attempt) const
{
    const int exponent = std::max(0, attempt - 1);
    // Computed in double and capped before converting, so a large attempt cannot overflow.
    const double nominal = static_cast<double>(m_policy.baseMs) * std::pow(m_policy.factor, exponent);
    return static_cast<qint64>(std::min(nominal, static_cast<double>(m_policy.capMs)));
}

qint64 Backoff::nextDelay(int attempt) const
{
    const qint64 nominal = nominalDelay(attempt);
    const qint64 half = nominal / 2;
    const double r = std::clamp(m_random(), 0.0, 1.0);
    return std::min(nominal, half + static_cast<qint64>(r * static_cast<double>(nominal - half)));
}

} // namespace tandem::client
