#pragma once
// bench_fanout's command line: how many clients, how long, how often, and
// which scenarios against which servers. `--quick` is a smoke-sized run.

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace tandem::bench {

struct BenchOptions {
    int clients = 1000;
    int senders = 10;
    int repetitions = 5;
    double warmupSeconds = 0.5;
    double windowSeconds = 2.0;
    double drainSeconds = 1.0;  ///< later than this after the window counts as not delivered
    double settleSeconds = 1.0; ///< idle time before reading the memory of connected clients
    QList<double> relayRates{25, 100, 200, 400, 800, 1600, 3200, 6400}; ///< cursor:move messages/s, ramped
    double fixedRate = 100;                      ///< always run: the "100k deliveries/s" step
    QList<double> chatRates{25, 100, 400, 1600}; ///< chat:send messages/s, ramped; bisection refines it
    int refineSteps = 2;     ///< bisections between the last sustained and the first overloaded rate
    double p99BoundMs = 100; ///< a step is sustained only while p99 stays under this
    bool relay = true;       ///< idle memory is measured in every run, whatever the scenarios
    bool chat = true;
    bool tandem = true;
    bool node = true;
    bool quick = false;

    /// Parses the arguments; on error or --help returns nullopt after printing (exit code in *exitCode).
    static std::optional<BenchOptions> parse(const QStringList &arguments, int *exitCode);
    /// The relay ramp in ascending order, with the fixed rate included.
    QList<double> relayRamp() const;
};

/// "25,100,400" → {25, 100, 400}, sorted; nullopt when a value is not a number > 0 or none is given.
std::optional<QList<double>> parsePositiveNumbers(const QString &text);

} // namespace tandem::bench
