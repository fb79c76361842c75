#include "tests/bench/Report.h"

#include <QFile>
#include <QLocale>

#include <algorithm>

namespace tandem::bench {

QString number(double value)
{
    return QLocale(QLocale::English).toString(qRound64(value));
}

QString milliseconds(double value)
{
    return QString::number(value, 'f', value < 10 ? 2 : 1);
}

QString percent(double share)
{
    return QString::number(100 * share, 'f', share >= 0.9995 ? 0 : 1) + u'%';
}

QString ratio(double numerator, double denominator)
{
    return denominator > 0 ? QString::number(numerator / denominator, 'f', 2) + u'×' : QStringLiteral("–");
}

QString yesNo(bool reached)
{
    return reached ? QStringLiteral("**reached**") : QStringLiteral("**not reached**");
}

QString cpuModel()
{
    QFile cpuinfo(QStringLiteral("/proc/cpuinfo"));
    if (!cpuinfo.open(QIODevice::ReadOnly))
        return {};
    // /proc files report size 0, so read to the end rather than test atEnd().
    const QList<QByteArray> lines = cpuinfo.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("model name"))
            return QString::fromUtf8(line.mid(line.indexOf(':') + 1).trimmed());
    }
    return {};
}

void printRunOutcome(QTextStream &err, bool ok, const QString &error, const QStringList &serverWarnings)
{
    if (!ok)
        err << "  FAILED: " << error << '\n';
    for (const QString &warning : serverWarnings)
        err << "  server: " << warning << '\n';
    err.flush();
}

void printStepProblems(QTextStream &err, const PhaseResult &result, const QString &loadError)
{
    if (result.errors > 0)
        err << "    " << result.errors << " error messages, first: " << result.firstError << '\n';
    if (result.closedConnections > 0)
        err << "    " << result.closedConnections << " clients lost: " << loadError << '\n';
}

void waitForQuietMachine(QTextStream &err, FanoutLoad &load, const std::vector<qint64> &ourPids,
                         double maxOtherPercent, Micros limit)
{
    const QuietWait wait = load.waitForQuietMachine(ourPids, maxOtherPercent, limit, [&err](double others) {
        err << "  waiting for other work on the machine (" << qRound(others) << "% of a core)\n";
        err.flush();
    });
    if (wait.gaveUp)
        err << "  the machine stayed busy (" << qRound(wait.otherCpuPercent)
            << "% of a core); measuring anyway\n";
}

void Table::print(QTextStream &out) const
{
    QList<qsizetype> widths;
    for (const QString &cell : m_header)
        widths.append(cell.size());
    for (const QStringList &row : m_rows) {
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    }
    auto line = [&](const QStringList &cells) {
        out << '|';
        for (qsizetype i = 0; i < widths.size(); ++i)
            out << ' ' << cells.value(i).leftJustified(widths[i]) << " |";
        out << '\n';
    };
    line(m_header);
    out << '|';
    for (const qsizetype width : widths)
        out << QString(width + 2, u'-') << '|';
    out << '\n';
    for (const QStringList &row : m_rows)
        line(row);
    out << '\n';
}

} // namespace tandem::bench
