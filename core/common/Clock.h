#pragma once
// Time is injected: everything that expires, backs off or rate-limits asks a
// Clock, so tests drive time with ManualClock instead of sleeping.

#include <QDateTime>

namespace tandem {

class Clock {
public:
    virtual ~Clock() = default;
    /// Milliseconds on a monotonic scale, for intervals and rates.
    virtual qint64 monotonicMs() const = 0;
    /// Wall-clock time in UTC, for timestamps and expiry.
    virtual QDateTime nowUtc() const = 0;

    /// The process-wide real clock.
    static const Clock &system();
};

class SystemClock final : public Clock {
public:
    qint64 monotonicMs() const override;
    QDateTime nowUtc() const override;
};

/// A clock that only moves when a test says so.
class ManualClock final : public Clock {
public:
    explicit ManualClock(QDateTime start = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC))
        : m_wall(std::move(start))
    {}
    qint64 monotonicMs() const override { return m_monotonicMs; }
    QDateTime nowUtc() const override { return m_wall.addMSecs(m_monotonicMs); }
    void advance(qint64 ms) { m_monotonicMs += ms; }

private:
    QDateTime m_wall;
    qint64 m_monotonicMs = 0;
};

} // namespace tandem
