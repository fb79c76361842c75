#pragma once
// What both canvas benchmarks read from their command line the same way:
// parsing with --help, the wait for a quiet machine and the view size.

#include <QCommandLineParser>
#include <QStringList>

namespace tandem::bench {

/// Parses `arguments`; after a parse error or --help (printed) returns false
/// with the exit code in *exitCode, and the caller returns it.
bool parseCommandLine(QCommandLineParser &parser, const QStringList &arguments, int *exitCode);
/// --quiet-wait S, where `beforeEach` names what it precedes ("phase", "scenario").
QCommandLineOption quietWaitOption(const QString &beforeEach);
/// False when the option is set but not a number >= 0.
bool readQuietWait(const QCommandLineParser &parser, const QCommandLineOption &option, double &seconds);
/// --size WxH: false when set but smaller than 200 × 150.
bool readViewSize(const QCommandLineParser &parser, const QCommandLineOption &option, int &width,
                  int &height);

} // namespace tandem::bench
