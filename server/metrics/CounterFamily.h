#pragma once
// A counter per value of one label (tandem_refusals_total{limit="…"}): a
// monotonic count that only the event loop's thread touches, so plain integers
// suffice. Label values a reader expects are created at 0 up front, so that a
// rate() over them works before the first event.

#include <QString>
#include <QStringList>

#include <map>

namespace tandem::server::metrics {

class CounterFamily {
public:
    explicit CounterFamily(QString labelName, const QStringList &knownValues = {});

    /// The counter of one label value, created at 0. The reference stays valid for the family's
    /// life (std::map nodes never move), so a hot path may keep it.
    quint64 &operator[](const QString &labelValue) { return m_values[labelValue]; }
    quint64 value(const QString &labelValue) const;

    const QString &labelName() const { return m_labelName; }
    /// Every label value seen or known, sorted: the exposition is deterministic.
    const std::map<QString, quint64> &values() const { return m_values; }

private:
    QString m_labelName;
    std::map<QString, quint64> m_values;
};

} // namespace tandem::server::metrics
