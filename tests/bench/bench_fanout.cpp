// bench_fanout: fan-out of one room to N connected clients, on tandem-server
// and, in the same run, on a minimal Node `ws` relay (node-relay.mjs).
//
// For each repetition and each server: start it, read its memory, connect N
// clients and join them to one room, read its memory again (the cost of an
// idle connection), then ramp the offered load of cursor:move (relayed) and,
// on Tandem, chat:send (stored with fsync, acked, broadcast). Medians over
// the repetitions go to stdout as Markdown tables; progress goes to stderr.
// docs/BENCHMARKS.md explains the method and records the results.

#include "tests/bench/BenchMain.h"
#include "tests/bench/BenchOptions.h"
#include "tests/bench/FanoutLoad.h"
#include "tests/bench/LatencyStats.h"
#include "tests/bench/NodeRelayProcess.h"
#include "tests/bench/ProcessStats.h"
#include "tests/bench/Report.h"
#include "tests/bench/TandemCluster.h"
#include "tests/support/ServerProcess.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSysInfo>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>

using namespace tandem::bench;
using tandem::test::ServerProcess;

namespace {

constexpr Micros OpenTimeout = 120'000'000;
constexpr Micros QuietBetweenSteps = 300'000;
constexpr Micros QuiesceLimit = 20'000'000;
constexpr double DisturbedOtherCpuPercent = 20; ///< other processes' median CPU above which a run is suspect
constexpr double QuietOtherCpuPercent = 15;     ///< a step starts once other processes use less than this
constexpr Micros QuietWaitLimit = 30'000'000;
// The targets.
constexpr double TargetRelayRatio = 2.0;
constexpr double TargetP99Ms = 50;
constexpr double TargetIdleKiB = 20;

enum class ServerKind { Tandem, Node };

QString nameOf(ServerKind kind)
{
    return kind == ServerKind::Tandem ? QStringLiteral("tandem") : QStringLiteral("node");
}

struct Step {
    double rate = 0;              ///< offered messages/s
    double offeredDeliveries = 0; ///< offered deliveries/s: rate × receivers per message
    PhaseResult result;
    double p50Ms = 0;
    double p99Ms = 0;
    double ackP50Ms = 0;
    double ackP99Ms = 0;
    bool sustained = false;
};

struct TargetRun {
    ServerKind kind = ServerKind::Tandem;
    bool ok = false;
    QString error;
    int clients = 0;
    MemoryUsage before;
    MemoryUsage half;      ///< with the first half of the clients connected
    MemoryUsage afterLoad; ///< all clients still connected, after the relay ramp
    MemoryUsage after;
    std::vector<Step> relay;
    std::vector<Step> chat;
    QStringList serverWarnings;

    double residentPerConnectionKiB() const
    {
        return static_cast<double>(after.residentKiB - before.residentKiB) / clients;
    }
    /// The measure: peak resident memory, over the idle baseline, per connection.
    double peakPerConnectionKiB() const
    {
        return static_cast<double>(after.peakKiB - before.residentKiB) / clients;
    }
    /// What the second half of the clients added, per connection: the cost without start-up effects.
    double marginalPerConnectionKiB() const
    {
        return static_cast<double>(after.residentKiB - half.residentKiB) / (clients - clients / 2);
    }
    /// Buffers grown under load stay with their connection: the same measure after the relay ramp.
    double afterLoadPerConnectionKiB() const
    {
        return static_cast<double>(afterLoad.residentKiB - before.residentKiB) / clients;
    }
    double maxSustainedRelay() const
    {
        double best = 0;
        for (const Step &step : relay) {
            if (step.sustained)
                best = std::max(best, step.result.deliveriesPerSecond());
        }
        return best;
    }
    double peakRelay() const
    {
        double best = 0;
        for (const Step &step : relay)
            best = std::max(best, step.result.deliveriesPerSecond());
        return best;
    }
    const Step *relayStep(double rate) const
    {
        const auto it = std::find_if(relay.cbegin(), relay.cend(),
                                     [rate](const Step &step) { return step.rate == rate; });
        return it == relay.cend() ? nullptr : &*it;
    }
};

class FanoutBenchmark {
public:
    explicit FanoutBenchmark(BenchOptions options)
        : m_options(std::move(options))
        , m_err(stderr)
    {}

    /// Runs every repetition; false when a run could not complete.
    bool run();
    void report(QTextStream &out, double elapsedSeconds);

private:
    TargetRun runTarget(ServerKind kind);
    std::vector<Step> runRamp(FanoutLoad &load, ServerKind kind, Traffic traffic, const QList<double> &rates,
                              double alwaysRunUpTo, qint64 pid);
    Step runStep(FanoutLoad &load, ServerKind kind, Traffic traffic, double rate, qint64 pid);

    QList<const TargetRun *> runsOf(ServerKind kind) const;
    void reportMachine(QTextStream &out, double elapsedSeconds);
    void reportSteps(QTextStream &out, Traffic traffic);
    void reportSummary(QTextStream &out);

    BenchOptions m_options;
    QTextStream m_err;
    std::vector<TargetRun> m_runs;
};

bool FanoutBenchmark::run()
{
    QList<ServerKind> kinds;
    if (m_options.tandem)
        kinds.append(ServerKind::Tandem);
    if (m_options.node)
        kinds.append(ServerKind::Node);
    bool ok = true;
    for (int repetition = 1; repetition <= m_options.repetitions; ++repetition) {
        for (const ServerKind kind : alternatingOrder(kinds, repetition)) {
            m_err << "[run " << repetition << '/' << m_options.repetitions << "] " << nameOf(kind) << '\n';
            m_err.flush();
            TargetRun run = runTarget(kind);
            printRunOutcome(m_err, run.ok, run.error, run.serverWarnings);
            ok = ok && run.ok;
            m_runs.push_back(std::move(run));
        }
    }
    return ok;
}

TargetRun FanoutBenchmark::runTarget(ServerKind kind)
{
    TargetRun run;
    run.kind = kind;
    run.clients = m_options.clients;

    std::unique_ptr<TandemCluster> tandem;
    std::unique_ptr<NodeRelayProcess> node;
    qint64 pid = 0;
    quint16 port = 0;
    QByteArray path;
    if (kind == ServerKind::Tandem) {
        tandem = std::make_unique<TandemCluster>();
        if (!tandem->start({1, {}, {}, fanoutLoadConfig(m_options.clients)})) {
            run.error = tandem->errorString();
            return run;
        }
        pid = tandem->pids().front();
        port = tandem->endpoints().front().port;
        path = tandem->endpoints().front().pathAndQuery;
    } else {
        node = std::make_unique<NodeRelayProcess>();
        if (!node->start()) {
            run.error = node->errorString();
            return run;
        }
        pid = node->pid();
        port = node->port();
        path = "/ws?user=bench";
    }

    QThread::msleep(300);
    run.before = readMemoryUsage(pid).value_or(MemoryUsage{});
    FanoutLoad load;
    // In two halves, so the report can separate a connection's own cost from one-off start-up costs.
    const Micros openStart = monotonicMicros();
    auto connectAndSettle = [&](int count, MemoryUsage *memory) {
        if (!load.open(port, path, "bench", count, OpenTimeout)) {
            run.error =
                QStringLiteral("connecting %1 clients: %2").arg(m_options.clients).arg(load.errorString());
            return false;
        }
        load.pump(micros(m_options.settleSeconds));
        *memory = readMemoryUsage(pid).value_or(MemoryUsage{});
        return true;
    };
    const int firstHalf = m_options.clients / 2;
    if (!connectAndSettle(firstHalf, &run.half) ||
        !connectAndSettle(m_options.clients - firstHalf, &run.after))
        return run;
    const double openSeconds = (monotonicMicros() - openStart) / 1e6 - 2 * m_options.settleSeconds;
    m_err << "  " << m_options.clients << " clients joined in " << QString::number(openSeconds, 'f', 2)
          << " s; idle: " << QString::number(run.peakPerConnectionKiB(), 'f', 1)
          << " KiB peak RSS per connection (RSS " << run.before.residentKiB / 1024 << " → "
          << run.after.residentKiB / 1024 << " MiB, peak " << run.after.peakKiB / 1024
          << " MiB); second half " << QString::number(run.marginalPerConnectionKiB(), 'f', 1)
          << " KiB per connection\n";
    m_err.flush();

    if (m_options.relay) {
        run.relay = runRamp(load, kind, Traffic::CursorMove, m_options.relayRamp(), m_options.fixedRate, pid);
        // Before the chat ramp grows SQLite's page cache: what the server kept after the traffic
        // (mostly freed memory glibc holds on to; docs/BENCHMARKS.md).
        run.afterLoad = readMemoryUsage(pid).value_or(MemoryUsage{});
    }
    if (m_options.chat && kind == ServerKind::Tandem)
        run.chat = runRamp(load, kind, Traffic::ChatSend, m_options.chatRates, 0, pid);
    load.closeAll();

    if (tandem) {
        tandem->stop();
        run.serverWarnings = tandem->warnings();
    } else {
        node->stop();
    }
    run.ok = true;
    return run;
}

std::vector<Step> FanoutBenchmark::runRamp(FanoutLoad &load, ServerKind kind, Traffic traffic,
                                           const QList<double> &rates, double alwaysRunUpTo, qint64 pid)
{
    std::vector<Step> steps;
    auto clientsLost = [&] {
        return load.openConnections() < m_options.clients;
    };
    double lastSustained = 0;
    double firstOverloaded = 0;
    for (const double rate : rates) {
        steps.push_back(runStep(load, kind, traffic, rate, pid));
        if (clientsLost())
            return steps;
        if (steps.back().sustained) {
            lastSustained = rate;
        } else if (rate >= alwaysRunUpTo) {
            // Past the first overloaded step, higher rates only measure a longer queue.
            firstOverloaded = rate;
            break;
        }
    }
    // Bisect, so the maximum is not quantised to the ramp's factor of two.
    for (int i = 0; i < m_options.refineSteps && lastSustained > 0 && firstOverloaded > 0; ++i) {
        const double rate = std::round((lastSustained + firstOverloaded) / 2);
        if (rate <= lastSustained || rate >= firstOverloaded)
            break;
        steps.push_back(runStep(load, kind, traffic, rate, pid));
        if (clientsLost())
            break;
        (steps.back().sustained ? lastSustained : firstOverloaded) = rate;
    }
    return steps;
}

Step FanoutBenchmark::runStep(FanoutLoad &load, ServerKind kind, Traffic traffic, double rate, qint64 pid)
{
    Step step;
    step.rate = rate;
    step.offeredDeliveries = offeredDeliveries(traffic, rate, m_options.clients);
    if (!m_options.quick) // a smoke run checks that everything works, not how fast
        waitForQuietMachine(m_err, load, {pid}, QuietOtherCpuPercent, QuietWaitLimit);
    step.result = load.run(rampPhase(m_options, traffic, rate, {pid}));
    PhaseResult &result = step.result;
    step.p50Ms = result.latency.percentileMs(0.50);
    step.p99Ms = result.latency.percentileMs(0.99);
    step.ackP50Ms = result.ackLatency.percentileMs(0.50);
    step.ackP99Ms = result.ackLatency.percentileMs(0.99);
    step.sustained = result.sustained(traffic, step.offeredDeliveries, step.p99Ms, m_options.p99BoundMs);

    m_err << "  " << nameOf(kind) << (traffic == Traffic::CursorMove ? " relay " : " chat ") << rate
          << " msg/s: " << number(result.deliveriesPerSecond()) << " deliveries/s of "
          << number(step.offeredDeliveries) << ", complete " << percent(result.completeness()) << ", p50 "
          << milliseconds(step.p50Ms) << " ms, p99 " << milliseconds(step.p99Ms) << " ms";
    if (traffic == Traffic::ChatSend)
        m_err << ", ack p99 " << milliseconds(step.ackP99Ms) << " ms";
    m_err << ", CPU server " << qRound(result.serverCpuPercent) << "% generator "
          << qRound(result.generatorCpuPercent) << "% other " << qRound(result.otherCpuPercent())
          << "% steal " << qRound(result.machineStealPercent) << "%, send lag max "
          << milliseconds(result.maxSendLag / 1000.0) << " ms" << (step.sustained ? "" : "  [not sustained]")
          << '\n';
    printStepProblems(m_err, result, load.errorString());
    m_err.flush();

    load.quiesce(QuietBetweenSteps, QuiesceLimit);
    return step;
}

QList<const TargetRun *> FanoutBenchmark::runsOf(ServerKind kind) const
{
    QList<const TargetRun *> runs;
    for (const TargetRun &run : m_runs) {
        if (run.kind == kind && run.ok)
            runs.append(&run);
    }
    return runs;
}

void FanoutBenchmark::report(QTextStream &out, double elapsedSeconds)
{
    reportMachine(out, elapsedSeconds);
    reportSummary(out);
    if (m_options.relay)
        reportSteps(out, Traffic::CursorMove);
    if (m_options.chat && m_options.tandem)
        reportSteps(out, Traffic::ChatSend);
}

void FanoutBenchmark::reportMachine(QTextStream &out, double elapsedSeconds)
{
    out << "## bench_fanout " << QDateTime::currentDateTimeUtc().toString(Qt::ISODate) << "\n\n";
    out << "- machine: " << QThread::idealThreadCount() << " × " << cpuModel() << ", "
        << QSysInfo::prettyProductName() << ", kernel " << QSysInfo::kernelVersion() << '\n';
    out << "- Qt " << qVersion();
    if (m_options.node)
        out << ", Node " << NodeRelayProcess::nodeVersion();
    out << '\n';
    out << "- " << m_options.clients << " clients in one room, " << m_options.senders << " of them sending; "
        << m_options.repetitions << " repetition(s); each step " << m_options.warmupSeconds << " s warm-up + "
        << m_options.windowSeconds << " s window; medians over repetitions"
        << (m_options.quick ? " (--quick smoke run)" : "") << '\n';
    auto rates = [](const QList<double> &list) {
        QStringList names;
        for (const double rate : list)
            names.append(number(rate));
        return names.join(QStringLiteral(", "));
    };
    out << "- relay ramp " << rates(m_options.relayRamp()) << " msg/s";
    if (m_options.chat && m_options.tandem)
        out << "; chat ramp " << rates(m_options.chatRates) << " msg/s";
    out << "; each stops at its first overloaded step (the relay ramp not before "
        << number(m_options.fixedRate) << " msg/s), then bisects " << m_options.refineSteps
        << " time(s) towards the maximum\n";
    out << "- a step is *sustained* when ≥ " << percent(MinDeliveredShare)
        << " of the offered deliveries/s arrive during the window, ≥ " << percent(MinCompleteness)
        << " of the window's deliveries arrive at all, p99 ≤ " << m_options.p99BoundMs
        << " ms and no client is lost\n";
    out << "- tandem-server: " << ServerProcess::binary()
        << "; CPU % is of one core; *steal* is the share of the "
        << "machine's CPU time the hypervisor gave to others\n";
    out << "- total time " << qRound(elapsedSeconds) << " s\n\n";
}

void FanoutBenchmark::reportSteps(QTextStream &out, Traffic traffic)
{
    const bool relay = traffic == Traffic::CursorMove;
    out << (relay ? "### Relay ramp (cursor:move, not stored)\n\n"
                  : "### Persisted chat ramp (chat:send: fsync, ack, broadcast to all; Tandem only)\n\n");
    QStringList header{
        QStringLiteral("server"),      QStringLiteral("msg/s"),    QStringLiteral("offered deliveries/s"),
        QStringLiteral("delivered/s"), QStringLiteral("complete"), QStringLiteral("p50 ms"),
        QStringLiteral("p99 ms")};
    if (!relay)
        header << QStringLiteral("acks/s") << QStringLiteral("ack p50 ms") << QStringLiteral("ack p99 ms");
    header << QStringLiteral("server CPU") << QStringLiteral("generator CPU") << QStringLiteral("other CPU")
           << QStringLiteral("steal") << QStringLiteral("send lag ms") << QStringLiteral("sustained");
    Table table(header);
    for (const ServerKind kind : {ServerKind::Tandem, ServerKind::Node}) {
        std::map<double, std::vector<const Step *>> byRate;
        for (const TargetRun *run : runsOf(kind)) {
            for (const Step &step : relay ? run->relay : run->chat)
                byRate[step.rate].push_back(&step);
        }
        for (const auto &[rate, steps] : byRate) {
            auto medianOf = [&steps](const std::function<double(const Step &)> &value) {
                std::vector<double> values;
                for (const Step *step : steps)
                    values.push_back(value(*step));
                return median(values);
            };
            const auto sustained =
                std::count_if(steps.cbegin(), steps.cend(), [](const Step *step) { return step->sustained; });
            QStringList row{nameOf(kind),
                            number(rate),
                            number(steps.front()->offeredDeliveries),
                            number(medianOf([](const Step &s) { return s.result.deliveriesPerSecond(); })),
                            percent(medianOf([](const Step &s) { return s.result.completeness(); })),
                            milliseconds(medianOf([](const Step &s) { return s.p50Ms; })),
                            milliseconds(medianOf([](const Step &s) { return s.p99Ms; }))};
            if (!relay) {
                row << number(medianOf([](const Step &s) { return s.result.acksPerSecond(); }))
                    << milliseconds(medianOf([](const Step &s) { return s.ackP50Ms; }))
                    << milliseconds(medianOf([](const Step &s) { return s.ackP99Ms; }));
            }
            row << QString::number(
                       qRound(medianOf([](const Step &s) { return s.result.serverCpuPercent; }))) +
                       u'%'
                << QString::number(
                       qRound(medianOf([](const Step &s) { return s.result.generatorCpuPercent; }))) +
                       u'%'
                << QString::number(
                       qRound(medianOf([](const Step &s) { return s.result.otherCpuPercent(); }))) +
                       u'%'
                << QString::number(medianOf([](const Step &s) { return s.result.machineStealPercent; }), 'f',
                                   1) +
                       u'%'
                << milliseconds(medianOf([](const Step &s) { return s.result.maxSendLag / 1000.0; }))
                << QStringLiteral("%1/%2").arg(sustained).arg(steps.size());
            table.add(row);
        }
    }
    table.print(out);
}

void FanoutBenchmark::reportSummary(QTextStream &out)
{
    const auto tandemRuns = runsOf(ServerKind::Tandem);
    const auto nodeRuns = runsOf(ServerKind::Node);
    auto medianOver = [](const QList<const TargetRun *> &runs,
                         const std::function<double(const TargetRun &)> &f) {
        std::vector<double> values;
        for (const TargetRun *run : runs)
            values.push_back(f(*run));
        return median(values);
    };
    auto listOver = [](const QList<const TargetRun *> &runs,
                       const std::function<QString(const TargetRun &)> &f) {
        QStringList values;
        for (const TargetRun *run : runs)
            values.append(f(*run));
        return values.join(QStringLiteral(", "));
    };
    const double fixed = m_options.fixedRate;
    auto fixedStep = [fixed](const TargetRun &run, const std::function<double(const Step &)> &f) {
        const Step *step = run.relayStep(fixed);
        return step ? f(*step) : 0.0;
    };

    out << "### Summary (medians over repetitions)\n\n";
    Table table({QStringLiteral("measure"), QStringLiteral("tandem"), QStringLiteral("node"),
                 QStringLiteral("tandem / node")});
    const bool both = !tandemRuns.isEmpty() && !nodeRuns.isEmpty();
    auto addRow = [&](const QString &measure, const std::function<double(const TargetRun &)> &f,
                      const std::function<QString(double)> &format, bool withRatio) {
        const double t = medianOver(tandemRuns, f);
        const double n = medianOver(nodeRuns, f);
        table.add({measure, tandemRuns.isEmpty() ? QStringLiteral("–") : format(t),
                   nodeRuns.isEmpty() ? QStringLiteral("–") : format(n),
                   both && withRatio ? ratio(t, n) : QString()});
    };
    if (m_options.relay) {
        addRow(
            QStringLiteral("max sustained relay deliveries/s"),
            [](const TargetRun &r) { return r.maxSustainedRelay(); }, number, true);
        addRow(
            QStringLiteral("peak relay deliveries/s (any step)"),
            [](const TargetRun &r) { return r.peakRelay(); }, number, true);
        const QString at = QStringLiteral(" at %1 msg/s").arg(number(fixed));
        addRow(
            QStringLiteral("relay deliveries/s") + at,
            [&](const TargetRun &r) {
                return fixedStep(r, [](const Step &s) { return s.result.deliveriesPerSecond(); });
            },
            number, true);
        addRow(
            QStringLiteral("relay p50 ms") + at,
            [&](const TargetRun &r) { return fixedStep(r, [](const Step &s) { return s.p50Ms; }); },
            milliseconds, true);
        addRow(
            QStringLiteral("relay p99 ms") + at,
            [&](const TargetRun &r) { return fixedStep(r, [](const Step &s) { return s.p99Ms; }); },
            milliseconds, true);
        addRow(
            QStringLiteral("server CPU") + at,
            [&](const TargetRun &r) {
                return fixedStep(r, [](const Step &s) { return s.result.serverCpuPercent; });
            },
            [](double v) { return QString::number(qRound(v)) + u'%'; }, true);
    }
    addRow(
        QStringLiteral("peak RSS per idle connection, KiB"),
        [](const TargetRun &r) { return r.peakPerConnectionKiB(); },
        [](double v) { return QString::number(v, 'f', 1); }, true);
    addRow(
        QStringLiteral("RSS per idle connection, KiB"),
        [](const TargetRun &r) { return r.residentPerConnectionKiB(); },
        [](double v) { return QString::number(v, 'f', 1); }, true);
    addRow(
        QStringLiteral("RSS per idle connection, second half only, KiB"),
        [](const TargetRun &r) { return r.marginalPerConnectionKiB(); },
        [](double v) { return QString::number(v, 'f', 1); }, true);
    if (m_options.relay) {
        addRow(
            QStringLiteral("RSS per connection after the relay ramp, KiB"),
            [](const TargetRun &r) { return r.afterLoadPerConnectionKiB(); },
            [](double v) { return QString::number(v, 'f', 1); }, true);
    }
    addRow(
        QStringLiteral("RSS with no client, MiB"),
        [](const TargetRun &r) { return r.before.residentKiB / 1024.0; },
        [](double v) { return QString::number(v, 'f', 1); }, false);
    addRow(
        QStringLiteral("peak RSS with all clients idle, MiB"),
        [](const TargetRun &r) { return r.after.peakKiB / 1024.0; },
        [](double v) { return QString::number(v, 'f', 1); }, false);
    table.print(out);

    if (m_options.relay) {
        out << "Max sustained relay deliveries/s per run: tandem "
            << listOver(tandemRuns, [](const TargetRun &r) { return number(r.maxSustainedRelay()); })
            << "; node "
            << listOver(nodeRuns, [](const TargetRun &r) { return number(r.maxSustainedRelay()); })
            << ".\n\n";
    }

    // Paired ratios: repetition i of Tandem against repetition i of Node.
    std::vector<double> pairedRatios;
    for (qsizetype i = 0; i < std::min(tandemRuns.size(), nodeRuns.size()); ++i) {
        if (nodeRuns[i]->maxSustainedRelay() > 0)
            pairedRatios.push_back(tandemRuns[i]->maxSustainedRelay() / nodeRuns[i]->maxSustainedRelay());
    }

    // The machine is shared: say how much CPU other work took while the windows ran.
    std::vector<double> otherCpu;
    for (const TargetRun &run : m_runs) {
        for (const auto *steps : {&run.relay, &run.chat}) {
            for (const Step &step : *steps)
                otherCpu.push_back(step.result.otherCpuPercent());
        }
    }
    if (!otherCpu.empty()) {
        const double busiest = *std::max_element(otherCpu.cbegin(), otherCpu.cend());
        out << "Other processes used a median " << qRound(median(otherCpu)) << "% (at most "
            << qRound(busiest) << "%) of a core during the measured windows.";
        if (median(otherCpu) > DisturbedOtherCpuPercent)
            out << " **The machine was busy with other work: rerun before trusting these figures.**";
        out << "\n\n";
    }

    out << "### Targets\n\n";
    if (m_options.quick)
        out << "(A --quick smoke run is too small to judge the targets by.)\n\n";
    Table targets({QStringLiteral("target"), QStringLiteral("result"), QStringLiteral("measured")});
    if (m_options.relay && both) {
        const double t = medianOver(tandemRuns, [](const TargetRun &r) { return r.maxSustainedRelay(); });
        const double n = medianOver(nodeRuns, [](const TargetRun &r) { return r.maxSustainedRelay(); });
        targets.add({QStringLiteral("relay deliveries/s ≥ 2× Node's"),
                     yesNo(n > 0 && t >= TargetRelayRatio * n),
                     QStringLiteral("%1 (ratio of medians; median of paired ratios %2)")
                         .arg(ratio(t, n), QString::number(median(pairedRatios), 'f', 2) + u'×')});
    }
    if (m_options.relay && !tandemRuns.isEmpty()) {
        const double p99 = medianOver(tandemRuns, [&](const TargetRun &r) {
            return fixedStep(r, [](const Step &s) { return s.p99Ms; });
        });
        const double delivered = medianOver(tandemRuns, [&](const TargetRun &r) {
            return fixedStep(r, [](const Step &s) { return s.result.deliveriesPerSecond(); });
        });
        const double complete = medianOver(tandemRuns, [&](const TargetRun &r) {
            return fixedStep(r, [](const Step &s) { return s.result.completeness(); });
        });
        targets.add(
            {QStringLiteral("p99 < 50 ms at %1 deliveries/s").arg(number(fixed * (m_options.clients - 1))),
             yesNo(p99 < TargetP99Ms && complete >= MinCompleteness),
             QStringLiteral("p99 %1 ms with %2 deliveries/s, %3 complete")
                 .arg(milliseconds(p99), number(delivered), percent(complete))});
    }
    if (!tandemRuns.isEmpty()) {
        const double kib =
            medianOver(tandemRuns, [](const TargetRun &r) { return r.peakPerConnectionKiB(); });
        targets.add({QStringLiteral("idle connection ≤ 20 KiB of server memory"), yesNo(kib <= TargetIdleKiB),
                     QStringLiteral("%1 KiB peak RSS per connection").arg(QString::number(kib, 'f', 1))});
    }
    targets.print(out);
}

} // namespace

int main(int argc, char *argv[])
{
    return benchMain<BenchOptions>(argc, argv, TANDEM_SERVER_PATH, [](const BenchOptions &options) {
        // N clients and the server's N sockets, both under this limit (the server inherits it).
        const qint64 fileLimit = raiseOpenFileLimit();
        if (fileLimit >= 0 && fileLimit < options.clients + 200) {
            QTextStream(stderr) << "bench_fanout: the open-file limit is " << fileLimit << "; "
                                << options.clients << " clients need about " << options.clients + 200 << '\n';
            return 2;
        }

        const Micros start = monotonicMicros();
        FanoutBenchmark benchmark(options);
        return runAndReport(benchmark, start);
    });
}
