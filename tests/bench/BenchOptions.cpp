#include "tests/bench/BenchOptions.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <algorithm>

namespace tandem::bench {

std::optional<QList<double>> parsePositiveNumbers(const QString &text)
{
    QList<double> rates;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double rate = part.trimmed().toDouble(&ok);
        if (!ok || rate <= 0)
            return std::nullopt;
        rates.append(rate);
    }
    if (rates.isEmpty())
        return std::nullopt;
    std::sort(rates.begin(), rates.end());
    return rates;
}

QList<double> BenchOptions::relayRamp() const
{
    QList<double> ramp = relayRates;
    if (!ramp.contains(fixedRate))
        ramp.append(fixedRate);
    std::sort(ramp.begin(), ramp.end());
    return ramp;
}

std::optional<BenchOptions> BenchOptions::parse(const QStringList &arguments, int *exitCode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Fan-out benchmark: N WebSocket clients in one room on tandem-server and on a "
                       "minimal Node `ws` relay. Reports deliveries/s, send-to-receipt latency and memory "
                       "per idle connection. See docs/BENCHMARKS.md."));
    parser.addHelpOption();
    const QCommandLineOption clients(QStringLiteral("clients"), QStringLiteral("Connected clients (1000)."),
                                     QStringLiteral("n"));
    const QCommandLineOption senders(QStringLiteral("senders"),
                                     QStringLiteral("Of those, how many send (10)."), QStringLiteral("n"));
    const QCommandLineOption repetitions(QStringLiteral("reps"),
                                         QStringLiteral("Repetitions; medians are reported (5)."),
                                         QStringLiteral("n"));
    const QCommandLineOption warmup(QStringLiteral("warmup"),
                                    QStringLiteral("Seconds of load before each window (0.5)."),
                                    QStringLiteral("s"));
    const QCommandLineOption duration(QStringLiteral("duration"),
                                      QStringLiteral("Seconds in each measured window (2)."),
                                      QStringLiteral("s"));
    const QCommandLineOption rates(
        QStringLiteral("rates"),
        QStringLiteral("Relay ramp, cursor:move messages/s (25,100,200,400,800,1600,3200,6400)."),
        QStringLiteral("list"));
    const QCommandLineOption fixedRate(
        QStringLiteral("fixed-rate"),
        QStringLiteral("Relay rate always measured, for the latency target (100)."), QStringLiteral("r"));
    const QCommandLineOption chatRates(QStringLiteral("chat-rates"),
                                       QStringLiteral("Chat ramp, chat:send messages/s (25,100,400,1600)."),
                                       QStringLiteral("list"));
    const QCommandLineOption refine(
        QStringLiteral("refine"),
        QStringLiteral("Bisections between the last sustained and the first overloaded rate (2)."),
        QStringLiteral("n"));
    const QCommandLineOption scenarios(
        QStringLiteral("scenarios"),
        QStringLiteral("Any of relay, chat, memory (relay,chat); idle memory is measured in every run."),
        QStringLiteral("list"));
    const QCommandLineOption servers(QStringLiteral("servers"),
                                     QStringLiteral("tandem, node or both (tandem,node)."),
                                     QStringLiteral("list"));
    const QCommandLineOption quick(
        QStringLiteral("quick"),
        QStringLiteral("Smoke run: 100 clients, 1 repetition, 1 s windows, short ramps (under a minute)."));
    parser.addOptions({clients, senders, repetitions, warmup, duration, rates, fixedRate, chatRates, refine,
                       scenarios, servers, quick});

    QTextStream err(stderr);
    auto fail = [&](const QString &message) -> std::optional<BenchOptions> {
        err << "bench_fanout: " << message << "\n";
        *exitCode = 2;
        return std::nullopt;
    };
    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        *exitCode = 0;
        return std::nullopt;
    }

    BenchOptions options;
    if (parser.isSet(quick)) {
        options.quick = true;
        options.clients = 100;
        options.repetitions = 1;
        options.warmupSeconds = 0.25;
        options.windowSeconds = 1.0;
        options.drainSeconds = 1.0;
        options.settleSeconds = 0.5;
        options.relayRates = {100, 400};
        options.chatRates = {50};
        options.refineSteps = 0;
    }
    auto positiveNumber = [&](const QCommandLineOption &option, double *target) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        const double value = parser.value(option).toDouble(&ok);
        if (!ok || value <= 0)
            return false;
        *target = value;
        return true;
    };
    double clientCount = options.clients;
    double senderCount = options.senders;
    double repetitionCount = options.repetitions;
    if (!positiveNumber(clients, &clientCount) || !positiveNumber(senders, &senderCount) ||
        !positiveNumber(repetitions, &repetitionCount) || !positiveNumber(warmup, &options.warmupSeconds) ||
        !positiveNumber(duration, &options.windowSeconds) || !positiveNumber(fixedRate, &options.fixedRate))
        return fail(QStringLiteral("counts, durations and rates must be positive numbers"));
    options.clients = static_cast<int>(clientCount);
    options.senders = static_cast<int>(senderCount);
    options.repetitions = static_cast<int>(repetitionCount);
    if (options.clients < 2 || options.senders > options.clients)
        return fail(QStringLiteral("need at least 2 clients and no more senders than clients"));
    if (parser.isSet(refine)) {
        bool ok = false;
        options.refineSteps = parser.value(refine).toInt(&ok);
        if (!ok || options.refineSteps < 0)
            return fail(QStringLiteral("--refine takes a count"));
    }
    if (parser.isSet(rates)) {
        const auto parsed = parsePositiveNumbers(parser.value(rates));
        if (!parsed)
            return fail(QStringLiteral("--rates takes positive numbers separated by commas"));
        options.relayRates = *parsed;
    }
    if (parser.isSet(chatRates)) {
        const auto parsed = parsePositiveNumbers(parser.value(chatRates));
        if (!parsed)
            return fail(QStringLiteral("--chat-rates takes positive numbers separated by commas"));
        options.chatRates = *parsed;
    }
    if (parser.isSet(scenarios)) {
        const QStringList names = parser.value(scenarios).split(QLatin1Char(','), Qt::SkipEmptyParts);
        options.relay = names.contains(QLatin1String("relay"));
        options.chat = names.contains(QLatin1String("chat"));
        for (const QString &name : names) {
            if (name != QLatin1String("relay") && name != QLatin1String("chat") &&
                name != QLatin1String("memory"))
                return fail(QStringLiteral("unknown scenario '%1' (relay, chat, memory)").arg(name));
        }
    }
    if (parser.isSet(servers)) {
        const QStringList names = parser.value(servers).split(QLatin1Char(','), Qt::SkipEmptyParts);
        options.tandem = names.contains(QLatin1String("tandem"));
        options.node = names.contains(QLatin1String("node"));
        for (const QString &name : names) {
            if (name != QLatin1String("tandem") && name != QLatin1String("node"))
                return fail(QStringLiteral("unknown server '%1' (tandem, node)").arg(name));
        }
    }
    if (!options.tandem && !options.node)
        return fail(QStringLiteral("no server selected"));
    return options;
}

} // namespace tandem::bench
