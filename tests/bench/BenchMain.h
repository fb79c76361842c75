#pragma once
// What the fan-out benchmarks' main() functions share: reading the options,
// pointing ServerProcess at the tandem-server built with them, and running
// then reporting with the exit code that says whether every run completed.

#include "tests/bench/FanoutLoad.h"

#include <QCoreApplication>
#include <QTextStream>

#include <optional>

namespace tandem::bench {

/// A benchmark's main(): parses `Options` (Options::parse(arguments, &exitCode), which prints --help
/// and errors itself) and returns its exit code when it gives none; else lets ServerProcess start
/// `builtServer` unless TANDEM_SERVER_BINARY names another, and returns `body(options)`.
template <typename Options, typename Body>
int benchMain(int argc, char *argv[], const char *builtServer, Body body)
{
    QCoreApplication app(argc, argv);
    int exitCode = 0;
    const std::optional<Options> options = Options::parse(QCoreApplication::arguments(), &exitCode);
    if (!options)
        return exitCode;
    if (qEnvironmentVariableIsEmpty("TANDEM_SERVER_BINARY"))
        qputenv("TANDEM_SERVER_BINARY", builtServer);
    return body(*options);
}

/// Runs `benchmark` (run()), writes its report (report(out, seconds since `start`)) to stdout and
/// returns the exit code: 0 when every run completed, else 1.
template <typename Benchmark> int runAndReport(Benchmark &benchmark, Micros start)
{
    const bool ok = benchmark.run();
    QTextStream out(stdout);
    benchmark.report(out, (monotonicMicros() - start) / 1e6);
    return ok ? 0 : 1;
}

} // namespace tandem::bench
