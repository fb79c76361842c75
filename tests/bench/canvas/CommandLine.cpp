#include "tests/bench/canvas/CommandLine.h"

#include <cstdio>

namespace tandem::bench {

bool parseCommandLine(QCommandLineParser &parser, const QStringList &arguments, int *exitCode)
{
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "%s\n", qPrintable(parser.errorText()));
        *exitCode = 2;
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fprintf(stdout, "%s", qPrintable(parser.helpText()));
        *exitCode = 0;
        return false;
    }
    return true;
}

QCommandLineOption quietWaitOption(const QString &beforeEach)
{
    return QCommandLineOption(
        QStringLiteral("quiet-wait"),
        QStringLiteral(
            "Before each %1, wait up to S seconds until other processes use < 15 % of a core (30).")
            .arg(beforeEach),
        QStringLiteral("s"));
}

bool readQuietWait(const QCommandLineParser &parser, const QCommandLineOption &option, double &seconds)
{
    if (!parser.isSet(option))
        return true;
    bool parsed = false;
    seconds = parser.value(option).toDouble(&parsed);
    return parsed && seconds >= 0;
}

bool readViewSize(const QCommandLineParser &parser, const QCommandLineOption &option, int &width, int &height)
{
    if (!parser.isSet(option))
        return true;
    const QStringList parts = parser.value(option).split(QLatin1Char('x'));
    width = parts.value(0).toInt();
    height = parts.value(1).toInt();
    return width >= 200 && height >= 150;
}

} // namespace tandem::bench
