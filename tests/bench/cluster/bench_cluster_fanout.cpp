// bench_cluster_fanout: one room of N clients, the same offered load, on
//   - one tandem-server instance (PostgreSQL, no bus),
//   - the same instance with the Redis bus (--redis): the cost of the hop alone,
//   - three instances on PostgreSQL + Redis, clients spread evenly over them,
//   - and the Node `ws` relay (node-relay.mjs) as the reference,
// in one run, repeated with the order alternating; medians to stdout as
// Markdown, progress to stderr. docs/BENCHMARKS.md, "Scale-out (issue 8)",
// explains the method and records the results.

#include "tests/bench/BenchMain.h"
#include "tests/bench/BenchOptions.h"
#include "tests/bench/FanoutLoad.h"
#include "tests/bench/LatencyStats.h"
#include "tests/bench/NodeRelayProcess.h"
#include "tests/bench/ProcessStats.h"
#include "tests/bench/Report.h"
#include "tests/bench/TandemCluster.h"
#include "tests/bench/canvas/CommandLine.h"
#include "tests/support/PostgresProcess.h"
#include "tests/support/RedisProcess.h"
#include "tests/support/ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QSysInfo>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>

using namespace tandem::bench;
using tandem::test::PostgresProcess;
using tandem::test::RedisProcess;
using tandem::test::ServerProcess;

namespace {

constexpr Micros OpenTimeout = 120'000'000;
constexpr Micros Settle = 1'000'000;
constexpr Micros QuietBetweenSteps = 300'000;
constexpr Micros QuiesceLimit = 20'000'000;
constexpr double QuietOtherCpuPercent = 15;

enum class Setup { Node, One, OneRedis, Three };

struct SetupInfo {
    Setup setup;
    const char *name;
    int instances; ///< tandem-server processes; 0 for Node
    bool redis;
};

constexpr SetupInfo Setups[] = {
    {Setup::Node, "node", 0, false},
    {Setup::One, "one", 1, false},
    {Setup::OneRedis, "one+redis", 1, true},
    {Setup::Three, "three", 3, true},
};

const SetupInfo &infoOf(Setup setup)
{
    return *std::find_if(std::begin(Setups), std::end(Setups),
                         [setup](const SetupInfo &info) { return info.setup == setup; });
}

QString nameOf(Setup setup)
{
    return QString::fromLatin1(infoOf(setup).name);
}

QString nameOf(Traffic traffic)
{
    return traffic == Traffic::CursorMove ? QStringLiteral("cursor") : QStringLiteral("chat");
}

struct Options {
    int clients = 300;
    int senders = 12; ///< a multiple of 3, so each instance of three has as many
    int repetitions = 3;
    double warmupSeconds = 0.5;
    double windowSeconds = 2.0;
    double drainSeconds = 1.0;
    double quietWaitSeconds = 30;
    double p99BoundMs = 100;
    QList<double> cursorRates{100, 400, 1000, 2000, 4000};
    QList<double> chatRates{50, 200, 500};
    QList<Setup> setups{Setup::Node, Setup::One, Setup::OneRedis, Setup::Three};
    bool quick = false;

    static std::optional<Options> parse(const QStringList &arguments, int *exitCode);
    bool needs(bool redis) const
    {
        return std::any_of(setups.cbegin(), setups.cend(), [redis](Setup setup) {
            return infoOf(setup).instances > 0 && (!redis || infoOf(setup).redis);
        });
    }
};

std::optional<Options> Options::parse(const QStringList &arguments, int *exitCode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Scale-out fan-out benchmark: N clients in one room on one tandem-server instance, the same "
        "with the Redis bus, three instances on PostgreSQL + Redis, and the Node `ws` relay. "
        "See docs/BENCHMARKS.md, \"Scale-out (issue 8)\"."));
    parser.addHelpOption();
    const QCommandLineOption clients(QStringLiteral("clients"), QStringLiteral("Clients in the room (300)."),
                                     QStringLiteral("n"));
    const QCommandLineOption senders(QStringLiteral("senders"),
                                     QStringLiteral("Of those, how many send, round-robin (12)."),
                                     QStringLiteral("n"));
    const QCommandLineOption repetitions(QStringLiteral("reps"), QStringLiteral("Repetitions (3)."),
                                         QStringLiteral("n"));
    const QCommandLineOption duration(QStringLiteral("duration"),
                                      QStringLiteral("Seconds in each measured window (2)."),
                                      QStringLiteral("s"));
    const QCommandLineOption cursorRates(
        QStringLiteral("cursor-rates"),
        QStringLiteral("cursor:move messages/s, in total (100,400,1000,2000,4000)."), QStringLiteral("list"));
    const QCommandLineOption chatRates(QStringLiteral("chat-rates"),
                                       QStringLiteral("chat:send messages/s, in total (50,200,500)."),
                                       QStringLiteral("list"));
    const QCommandLineOption noChat(QStringLiteral("no-chat"), QStringLiteral("Relay (cursor:move) only."));
    const QCommandLineOption setups(QStringLiteral("setups"),
                                    QStringLiteral("Which of node,one,one+redis,three (all)."),
                                    QStringLiteral("list"));
    const QCommandLineOption quick(QStringLiteral("quick"),
                                   QStringLiteral("Smoke run: 60 clients, one repetition, 1 s windows, "
                                                  "rates 100 and 20, no wait for a quiet machine."));
    const QCommandLineOption quietWait = quietWaitOption(QStringLiteral("step"));
    parser.addOptions(
        {clients, senders, repetitions, duration, cursorRates, chatRates, noChat, setups, quick, quietWait});
    if (!parseCommandLine(parser, arguments, exitCode))
        return std::nullopt;

    Options options;
    auto fail = [exitCode](const QString &message) -> std::optional<Options> {
        QTextStream(stderr) << "bench_cluster_fanout: " << message << '\n';
        *exitCode = 2;
        return std::nullopt;
    };
    if (parser.isSet(quick)) {
        options.quick = true;
        options.clients = 60;
        options.repetitions = 1;
        options.windowSeconds = 1;
        options.cursorRates = {100};
        options.chatRates = {20};
        options.quietWaitSeconds = 0;
    }
    auto readInt = [&parser](const QCommandLineOption &option, int &value, int minimum) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        value = parser.value(option).toInt(&ok);
        return ok && value >= minimum;
    };
    if (!readInt(clients, options.clients, 3) || !readInt(senders, options.senders, 1) ||
        !readInt(repetitions, options.repetitions, 1))
        return fail(QStringLiteral("--clients, --senders and --reps take whole numbers (clients ≥ 3)"));
    if (options.senders > options.clients)
        return fail(QStringLiteral("more senders than clients"));
    if (parser.isSet(duration)) {
        options.windowSeconds = parser.value(duration).toDouble();
        if (options.windowSeconds <= 0)
            return fail(QStringLiteral("--duration takes seconds > 0"));
    }
    for (const auto &[option, list] :
         {std::pair{&cursorRates, &options.cursorRates}, std::pair{&chatRates, &options.chatRates}}) {
        if (!parser.isSet(*option))
            continue;
        const auto parsed = parsePositiveNumbers(parser.value(*option));
        if (!parsed)
            return fail(QStringLiteral("--%1 takes a list of rates > 0").arg(option->names().constFirst()));
        *list = *parsed;
    }
    if (parser.isSet(noChat))
        options.chatRates.clear();
    if (parser.isSet(setups)) {
        options.setups.clear();
        for (const QString &name : parser.value(setups).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const auto it =
                std::find_if(std::begin(Setups), std::end(Setups), [&name](const SetupInfo &info) {
                    return name.trimmed() == QLatin1String(info.name);
                });
            if (it == std::end(Setups))
                return fail(QStringLiteral("unknown setup '%1'").arg(name));
            options.setups.append(it->setup);
        }
    }
    if (!readQuietWait(parser, quietWait, options.quietWaitSeconds))
        return fail(QStringLiteral("--quiet-wait takes seconds ≥ 0"));
    return options;
}

struct Step {
    Setup setup = Setup::Node;
    Traffic traffic = Traffic::CursorMove;
    double rate = 0;
    double offeredDeliveries = 0;
    PhaseResult result;
    double p50Ms = 0;
    double p99Ms = 0;
    double ackP99Ms = 0;
    double tandemCpuPercent = 0; ///< all instances together (Node's own process for the reference)
    double redisCpuPercent = 0;
    bool sustained = false;

    /// Server CPU time (all instances, Redis not included) per delivery, µs.
    double serverMicrosPerDelivery() const
    {
        return result.arrivedInWindow > 0
                   ? tandemCpuPercent / 100.0 * result.windowSeconds * 1e6 / result.arrivedInWindow
                   : 0;
    }
    /// Redis CPU time per message sent, µs: one PUBLISH fanned out to the subscribed instances.
    double redisMicrosPerMessage() const
    {
        return result.sent > 0 ? redisCpuPercent / 100.0 * result.windowSeconds * 1e6 / result.sent : 0;
    }
};

struct Run {
    Setup setup = Setup::Node;
    bool ok = false;
    QString error;
    double openSeconds = 0;
    std::vector<Step> steps;
    QStringList warnings;

    double maxSustained(Traffic traffic) const
    {
        double best = 0;
        for (const Step &step : steps) {
            if (step.traffic == traffic && step.sustained)
                best = std::max(best, step.result.deliveriesPerSecond());
        }
        return best;
    }
};

class ClusterFanoutBenchmark {
public:
    explicit ClusterFanoutBenchmark(Options options)
        : m_options(std::move(options))
        , m_err(stderr)
    {}

    /// Starts PostgreSQL and Redis when a setup needs them; false (with a message) when they fail.
    bool prepare();
    /// Every repetition of every setup; false when one could not complete.
    bool run();
    void report(QTextStream &out, double elapsedSeconds);

private:
    Run runSetup(Setup setup, int repetition);
    Step runStep(FanoutLoad &load, Setup setup, Traffic traffic, double rate, const std::vector<qint64> &pids,
                 int tandemPids);

    QList<const Step *> stepsOf(Setup setup, Traffic traffic, double rate) const;
    double medianOverRuns(Setup setup, const std::function<double(const Run &)> &value) const;
    void reportSteps(QTextStream &out, Traffic traffic);
    void reportComparison(QTextStream &out);

    Options m_options;
    QTextStream m_err;
    PostgresProcess m_postgres;
    RedisProcess m_redis;
    std::vector<Run> m_runs;
};

bool ClusterFanoutBenchmark::prepare()
{
    if (m_options.needs(false) && !m_postgres.start()) {
        m_err << "PostgreSQL did not start: " << m_postgres.errorString() << '\n';
        return false;
    }
    if (m_options.needs(true) && !m_redis.start()) {
        m_err << "Redis did not start: " << m_redis.errorString() << '\n';
        return false;
    }
    return true;
}

bool ClusterFanoutBenchmark::run()
{
    bool ok = true;
    for (int repetition = 1; repetition <= m_options.repetitions; ++repetition) {
        for (const Setup setup : alternatingOrder(m_options.setups, repetition)) {
            m_err << "[run " << repetition << '/' << m_options.repetitions << "] " << nameOf(setup) << '\n';
            m_err.flush();
            Run run = runSetup(setup, repetition);
            printRunOutcome(m_err, run.ok, run.error, run.warnings);
            ok = ok && run.ok;
            m_runs.push_back(std::move(run));
        }
    }
    return ok;
}

Run ClusterFanoutBenchmark::runSetup(Setup setup, int repetition)
{
    const SetupInfo &info = infoOf(setup);
    Run run;
    run.setup = setup;

    TandemCluster cluster;
    NodeRelayProcess node;
    std::vector<Endpoint> endpoints;
    std::vector<qint64> pids; // the servers', then Redis's when the setup uses it
    if (setup == Setup::Node) {
        if (!node.start()) {
            run.error = node.errorString();
            return run;
        }
        endpoints = {{node.port(), "/ws?user=bench"}};
        pids = {node.pid()};
    } else {
        // A fresh database per run, so no run inherits another's rooms and messages.
        const QString database = QStringLiteral("bench_%1_%2").arg(repetition).arg(static_cast<int>(setup));
        if (!m_postgres.createDatabase(database)) {
            run.error = m_postgres.errorString();
            return run;
        }
        ClusterSpec spec{info.instances, m_postgres.url(database), info.redis ? m_redis.url() : QString(),
                         fanoutLoadConfig(m_options.clients)};
        if (!cluster.start(spec)) {
            run.error = cluster.errorString();
            return run;
        }
        endpoints = cluster.endpoints();
        pids = cluster.pids();
    }
    const int serverPids = static_cast<int>(pids.size());
    if (info.redis)
        pids.push_back(m_redis.pid());

    if (endpoints.size() > 1) {
        // The first join creates the room. Joins racing on several instances for a room that
        // does not exist yet are refused with "conflict: room already exists" (see
        // docs/BENCHMARKS.md), so one client creates it before the load joins everywhere.
        FanoutLoad creator;
        if (!creator.open(endpoints.front().port, endpoints.front().pathAndQuery, "bench", 1, OpenTimeout)) {
            run.error = QStringLiteral("creating the room: %1").arg(creator.errorString());
            return run;
        }
    }
    FanoutLoad load;
    const Micros openStart = monotonicMicros();
    if (!load.open(endpoints, "bench", m_options.clients, OpenTimeout)) {
        run.error =
            QStringLiteral("connecting %1 clients: %2").arg(m_options.clients).arg(load.errorString());
        return run;
    }
    run.openSeconds = (monotonicMicros() - openStart) / 1e6;
    load.pump(Settle);
    m_err << "  " << m_options.clients << " clients joined in " << QString::number(run.openSeconds, 'f', 2)
          << " s over " << endpoints.size() << " endpoint(s)\n";

    for (const Traffic traffic : {Traffic::CursorMove, Traffic::ChatSend}) {
        if (traffic == Traffic::ChatSend && setup == Setup::Node)
            break; // the reference relays; it stores nothing
        const QList<double> &rates =
            traffic == Traffic::CursorMove ? m_options.cursorRates : m_options.chatRates;
        for (const double rate : rates) {
            run.steps.push_back(runStep(load, setup, traffic, rate, pids, serverPids));
            if (load.openConnections() < m_options.clients) {
                run.error = QStringLiteral("clients lost: %1").arg(load.errorString());
                return run;
            }
            // Past the first overloaded step, higher rates only measure a longer queue.
            if (!run.steps.back().sustained)
                break;
        }
    }
    load.closeAll();
    cluster.stop();
    run.warnings = cluster.warnings();
    node.stop();
    run.ok = true;
    return run;
}

Step ClusterFanoutBenchmark::runStep(FanoutLoad &load, Setup setup, Traffic traffic, double rate,
                                     const std::vector<qint64> &pids, int serverPids)
{
    Step step;
    step.setup = setup;
    step.traffic = traffic;
    step.rate = rate;
    step.offeredDeliveries = offeredDeliveries(traffic, rate, m_options.clients);
    if (m_options.quietWaitSeconds > 0)
        waitForQuietMachine(m_err, load, pids, QuietOtherCpuPercent, micros(m_options.quietWaitSeconds));
    step.result = load.run(rampPhase(m_options, traffic, rate, pids));
    const PhaseResult &result = step.result;
    step.p50Ms = step.result.latency.percentileMs(0.50);
    step.p99Ms = step.result.latency.percentileMs(0.99);
    step.ackP99Ms = step.result.ackLatency.percentileMs(0.99);
    for (std::size_t i = 0; i < result.serverCpuPercentByPid.size(); ++i)
        (static_cast<int>(i) < serverPids ? step.tandemCpuPercent : step.redisCpuPercent) +=
            result.serverCpuPercentByPid[i];
    step.sustained = result.sustained(traffic, step.offeredDeliveries, step.p99Ms, m_options.p99BoundMs);

    m_err << "  " << nameOf(setup) << ' ' << nameOf(traffic) << ' ' << rate
          << " msg/s: " << number(result.deliveriesPerSecond()) << " deliveries/s of "
          << number(step.offeredDeliveries) << ", complete " << percent(result.completeness()) << ", p50 "
          << milliseconds(step.p50Ms) << " ms, p99 " << milliseconds(step.p99Ms) << " ms, CPU servers "
          << qRound(step.tandemCpuPercent) << "% redis " << qRound(step.redisCpuPercent) << "% generator "
          << qRound(result.generatorCpuPercent) << "% other " << qRound(result.otherCpuPercent()) << '%'
          << (step.sustained ? "" : "  [not sustained]") << '\n';
    printStepProblems(m_err, result, load.errorString());
    m_err.flush();
    load.quiesce(QuietBetweenSteps, QuiesceLimit);
    return step;
}

QList<const Step *> ClusterFanoutBenchmark::stepsOf(Setup setup, Traffic traffic, double rate) const
{
    QList<const Step *> steps;
    for (const Run &run : m_runs) {
        for (const Step &step : run.steps) {
            if (run.ok && step.setup == setup && step.traffic == traffic && step.rate == rate)
                steps.append(&step);
        }
    }
    return steps;
}

double ClusterFanoutBenchmark::medianOverRuns(Setup setup,
                                              const std::function<double(const Run &)> &value) const
{
    std::vector<double> values;
    for (const Run &run : m_runs) {
        if (run.ok && run.setup == setup)
            values.push_back(value(run));
    }
    return median(values);
}

double medianOf(const QList<const Step *> &steps, const std::function<double(const Step &)> &value)
{
    std::vector<double> values;
    for (const Step *step : steps)
        values.push_back(value(*step));
    return median(values);
}

QString cpu(double percentOfCore)
{
    return QString::number(qRound(percentOfCore)) + u'%';
}

QString microseconds(double value)
{
    return QString::number(value, 'f', value < 10 ? 2 : 1);
}

void ClusterFanoutBenchmark::reportSteps(QTextStream &out, Traffic traffic)
{
    const bool relay = traffic == Traffic::CursorMove;
    out << (relay ? "### Relay (cursor:move, not stored), medians\n\n"
                  : "### Persisted chat (chat:send: stored in PostgreSQL, acked, broadcast to all), "
                    "medians\n\n");
    QStringList header{
        QStringLiteral("setup"),       QStringLiteral("msg/s"),    QStringLiteral("offered deliveries/s"),
        QStringLiteral("delivered/s"), QStringLiteral("complete"), QStringLiteral("p50 ms"),
        QStringLiteral("p99 ms")};
    if (!relay)
        header << QStringLiteral("ack p99 ms");
    header << QStringLiteral("server CPU") << QStringLiteral("Redis CPU")
           << QStringLiteral("server µs/delivery") << QStringLiteral("Redis µs/msg")
           << QStringLiteral("generator CPU") << QStringLiteral("other CPU") << QStringLiteral("sustained");
    Table table(header);
    for (const Setup setup : std::as_const(m_options.setups)) {
        for (const double rate : relay ? m_options.cursorRates : m_options.chatRates) {
            const QList<const Step *> steps = stepsOf(setup, traffic, rate);
            if (steps.isEmpty())
                continue;
            const auto sustained =
                std::count_if(steps.cbegin(), steps.cend(), [](const Step *step) { return step->sustained; });
            QStringList row{
                nameOf(setup),
                number(rate),
                number(steps.front()->offeredDeliveries),
                number(medianOf(steps, [](const Step &s) { return s.result.deliveriesPerSecond(); })),
                percent(medianOf(steps, [](const Step &s) { return s.result.completeness(); })),
                milliseconds(medianOf(steps, [](const Step &s) { return s.p50Ms; })),
                milliseconds(medianOf(steps, [](const Step &s) { return s.p99Ms; }))};
            if (!relay)
                row << milliseconds(medianOf(steps, [](const Step &s) { return s.ackP99Ms; }));
            const bool redis = infoOf(setup).redis;
            row << cpu(medianOf(steps, [](const Step &s) { return s.tandemCpuPercent; }))
                << (redis ? cpu(medianOf(steps, [](const Step &s) { return s.redisCpuPercent; }))
                          : QStringLiteral("–"))
                << microseconds(medianOf(steps, [](const Step &s) { return s.serverMicrosPerDelivery(); }))
                << (redis ? microseconds(
                                medianOf(steps, [](const Step &s) { return s.redisMicrosPerMessage(); }))
                          : QStringLiteral("–"))
                << cpu(medianOf(steps, [](const Step &s) { return s.result.generatorCpuPercent; }))
                << cpu(medianOf(steps, [](const Step &s) { return s.result.otherCpuPercent(); }))
                << QStringLiteral("%1/%2").arg(sustained).arg(steps.size());
            table.add(row);
        }
    }
    table.print(out);
}

void ClusterFanoutBenchmark::reportComparison(QTextStream &out)
{
    const bool chat = !m_options.chatRates.isEmpty();
    out << "### Summary (medians over repetitions)\n\n";
    Table summary({QStringLiteral("setup"), QStringLiteral("max sustained relay deliveries/s"),
                   QStringLiteral("vs one"), QStringLiteral("max sustained chat deliveries/s"),
                   QStringLiteral("vs one"), QStringLiteral("clients joined in")});
    const double oneRelay =
        medianOverRuns(Setup::One, [](const Run &r) { return r.maxSustained(Traffic::CursorMove); });
    const double oneChat =
        medianOverRuns(Setup::One, [](const Run &r) { return r.maxSustained(Traffic::ChatSend); });
    for (const Setup setup : std::as_const(m_options.setups)) {
        const double relay =
            medianOverRuns(setup, [](const Run &r) { return r.maxSustained(Traffic::CursorMove); });
        const double stored =
            medianOverRuns(setup, [](const Run &r) { return r.maxSustained(Traffic::ChatSend); });
        const bool hasChat = chat && setup != Setup::Node;
        summary.add(
            {nameOf(setup), number(relay), ratio(relay, oneRelay),
             hasChat ? number(stored) : QStringLiteral("–"), hasChat ? ratio(stored, oneChat) : QString(),
             QString::number(medianOverRuns(setup, [](const Run &r) { return r.openSeconds; }), 'f', 2) +
                 QStringLiteral(" s")});
    }
    summary.print(out);
    out << "*Max sustained* is the highest delivered/s of a step that was sustained; the rates are a "
           "fixed list, so it is a lower bound quantised to the list.\n\n";

    // The Redis hop alone: the same single instance with and without the bus, rate by rate.
    if (!m_options.setups.contains(Setup::One) || !m_options.setups.contains(Setup::OneRedis))
        return;
    out << "### The cost of the Redis hop: one instance, without and with `--redis` (medians)\n\n";
    Table hop({QStringLiteral("traffic"), QStringLiteral("msg/s"), QStringLiteral("p50 ms one → one+redis"),
               QStringLiteral("p99 ms one → one+redis"), QStringLiteral("server µs/delivery one → one+redis"),
               QStringLiteral("server CPU one → one+redis"), QStringLiteral("Redis CPU"),
               QStringLiteral("Redis µs/msg")});
    for (const Traffic traffic : {Traffic::CursorMove, Traffic::ChatSend}) {
        for (const double rate :
             traffic == Traffic::CursorMove ? m_options.cursorRates : m_options.chatRates) {
            const auto without = stepsOf(Setup::One, traffic, rate);
            const auto with = stepsOf(Setup::OneRedis, traffic, rate);
            if (without.isEmpty() || with.isEmpty())
                continue;
            auto pair = [&](const std::function<double(const Step &)> &value,
                            const std::function<QString(double)> &format) {
                const double a = medianOf(without, value);
                const double b = medianOf(with, value);
                return QStringLiteral("%1 → %2 (%3%4)")
                    .arg(format(a), format(b), b >= a ? QStringLiteral("+") : QString(), format(b - a));
            };
            hop.add({nameOf(traffic), number(rate), pair([](const Step &s) { return s.p50Ms; }, milliseconds),
                     pair([](const Step &s) { return s.p99Ms; }, milliseconds),
                     pair([](const Step &s) { return s.serverMicrosPerDelivery(); }, microseconds),
                     pair([](const Step &s) { return s.tandemCpuPercent; }, cpu),
                     cpu(medianOf(with, [](const Step &s) { return s.redisCpuPercent; })),
                     microseconds(medianOf(with, [](const Step &s) { return s.redisMicrosPerMessage(); }))});
        }
    }
    hop.print(out);
}

void ClusterFanoutBenchmark::report(QTextStream &out, double elapsedSeconds)
{
    out << "## bench_cluster_fanout " << QDateTime::currentDateTimeUtc().toString(Qt::ISODate) << "\n\n";
    out << "- machine: " << QThread::idealThreadCount() << " × " << cpuModel() << ", "
        << QSysInfo::prettyProductName() << ", kernel " << QSysInfo::kernelVersion() << "; Qt " << qVersion();
    if (m_options.setups.contains(Setup::Node))
        out << ", Node " << NodeRelayProcess::nodeVersion();
    out << '\n';
    out << "- " << m_options.clients << " clients in one room, " << m_options.senders
        << " of them sending round-robin at the total rate; clients and senders spread evenly over the "
           "instances; "
        << m_options.repetitions << " repetition(s), setups in alternating order; each step "
        << m_options.warmupSeconds << " s warm-up + " << m_options.windowSeconds << " s window"
        << (m_options.quick ? " (--quick smoke run)" : "") << '\n';
    out << "- setups: *one* = 1 tandem-server on PostgreSQL; *one+redis* = the same with the Redis bus; "
           "*three* = 3 instances on one PostgreSQL database and one Redis; *node* = node-relay.mjs\n";
    out << "- a step is *sustained* when ≥ " << percent(MinDeliveredShare)
        << " of the offered deliveries/s arrive during the window, ≥ " << percent(MinCompleteness)
        << " arrive at all, p99 ≤ " << m_options.p99BoundMs
        << " ms and no client is lost; a setup's ramp stops at its first step not sustained\n";
    out << "- CPU in % of one core over the window: *server* = all tandem-server instances (or node), "
           "*Redis* = redis-server; PostgreSQL's backends count as *other*\n";
    out << "- tandem-server: " << ServerProcess::binary() << "; total time " << qRound(elapsedSeconds)
        << " s\n\n";
    reportComparison(out);
    reportSteps(out, Traffic::CursorMove);
    if (!m_options.chatRates.isEmpty())
        reportSteps(out, Traffic::ChatSend);

    std::vector<double> otherCpu;
    for (const Run &run : m_runs) {
        for (const Step &step : run.steps)
            otherCpu.push_back(step.result.otherCpuPercent());
    }
    if (!otherCpu.empty())
        out << "Other processes (PostgreSQL included) used a median " << qRound(median(otherCpu))
            << "% (at most " << qRound(*std::max_element(otherCpu.cbegin(), otherCpu.cend()))
            << "%) of a core during the measured windows.\n";
}

} // namespace

int main(int argc, char *argv[])
{
    return benchMain<Options>(argc, argv, TANDEM_SERVER_PATH, [](const Options &options) {
        // N client sockets here, up to N in one server: the servers inherit the limit.
        raiseOpenFileLimit(2 * options.clients + 1000);

        const Micros start = monotonicMicros();
        ClusterFanoutBenchmark benchmark(options);
        if (!benchmark.prepare())
            return 1;
        return runAndReport(benchmark, start);
    });
}
