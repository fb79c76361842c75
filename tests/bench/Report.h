#pragma once
// How the fan-out benchmarks print: Markdown tables on stdout that also read
// well in a terminal, numbers formatted the same way in every table, and the
// machine the figures were taken on.

#include "tests/bench/FanoutLoad.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <algorithm>

namespace tandem::bench {

/// A whole number with thousands separators: 1,086,101.
QString number(double value);
/// Milliseconds with two decimals below 10, one above.
QString milliseconds(double value);
/// A share (0 … 1) as a percentage; 100% only when it rounds to it.
QString percent(double share);
/// numerator / denominator as "4.59×", "–" without a denominator.
QString ratio(double numerator, double denominator);
/// A target's verdict, in bold.
QString yesNo(bool reached);
/// The CPU's model name from /proc/cpuinfo, empty when unknown.
QString cpuModel();

/// The order to measure `kinds` in on `repetition` (counted from 1): reversed every other time,
/// so no server or setup always runs on a warmer, or busier, machine.
template <typename Kind> QList<Kind> alternatingOrder(QList<Kind> kinds, int repetition)
{
    if (repetition % 2 == 0)
        std::reverse(kinds.begin(), kinds.end());
    return kinds;
}
/// Progress on stderr after one measured run: why it failed (when it did) and what the server warned.
void printRunOutcome(QTextStream &err, bool ok, const QString &error, const QStringList &serverWarnings);
/// Progress on stderr after a ramp step, when it went wrong: the error messages and the clients lost.
void printStepProblems(QTextStream &err, const PhaseResult &result, const QString &loadError);
/// load.waitForQuietMachine(), with progress on `err`: that it waits for other work, and when it gave up.
void waitForQuietMachine(QTextStream &err, FanoutLoad &load, const std::vector<qint64> &ourPids,
                         double maxOtherPercent, Micros limit);

/// A Markdown table, padded so it also reads well in a terminal.
class Table {
public:
    explicit Table(QStringList header)
        : m_header(std::move(header))
    {}
    void add(QStringList row) { m_rows.append(std::move(row)); }
    void print(QTextStream &out) const;

private:
    QStringList m_header;
    QList<QStringList> m_rows;
};

} // namespace tandem::bench
