// bench_idle_connections: how many idle, authenticated WebSocket connections
// one tandem-server instance holds, and what each costs. For each scale (by
// default 1,000, 5,000 and 20,000) and repetition: start a fresh instance,
// open N connections as user `bench` and join each to one room, timing it;
// read the server's memory from /proc; check every connection is still open
// and that each receives one chat broadcast (no loss at any scale). Then, as
// the reference every figure is reported next to, the same number of idle
// connections to the minimal Node `ws` relay (tests/bench/node-relay.mjs),
// opened, settled and read the same way (memory only: it has no chat).
// Medians to stdout as Markdown, progress to stderr; docs/BENCHMARKS.md,
// "Scale-out (issue 8)", records the results.
//
// One client address reaches one server port through ~28,000 ephemeral ports
// (32768–60999), so connections bind to further loopback addresses, at most
// --per-address of them each. Every run takes fresh addresses (127.0.1.1,
// 127.0.1.2, …), so no run waits for the TIME_WAIT ports of the one before.

#include "tests/bench/BenchMain.h"
#include "tests/bench/BenchOptions.h"
#include "tests/bench/FanoutLoad.h"
#include "tests/bench/LatencyStats.h"
#include "tests/bench/NodeRelayProcess.h"
#include "tests/bench/ProcessStats.h"
#include "tests/bench/Report.h"
#include "tests/bench/TandemCluster.h"
#include "tests/bench/canvas/CommandLine.h"
#include "tests/support/ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QSysInfo>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <functional>
#include <optional>

#include <sys/resource.h>

using namespace tandem::bench;
using tandem::test::ServerProcess;

namespace {

constexpr double QuietOtherCpuPercent = 15;
constexpr double TargetKiBPerConnection = 20;                                      // the target
constexpr quint32 FirstSourceAddress = (127u << 24) | (0u << 16) | (1u << 8) | 1u; // 127.0.1.1

struct Options {
    QList<int> scales{1000, 5000, 20000};
    int repetitions = 3;
    int perAddress = 10000;
    double settleSeconds = 2;
    double quietWaitSeconds = 30;
    bool quick = false;
    bool reference = true; ///< also measure the Node relay

    static std::optional<Options> parse(const QStringList &arguments, int *exitCode);
    int largest() const { return *std::max_element(scales.cbegin(), scales.cend()); }
};

std::optional<Options> Options::parse(const QStringList &arguments, int *exitCode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Idle connections on one tandem-server: memory per connection, time to open them, and that "
        "none is lost. See docs/BENCHMARKS.md, \"Scale-out (issue 8)\"."));
    parser.addHelpOption();
    const QCommandLineOption scales(QStringLiteral("scales"),
                                    QStringLiteral("Connection counts to measure (1000,5000,20000)."),
                                    QStringLiteral("list"));
    const QCommandLineOption repetitions(QStringLiteral("reps"), QStringLiteral("Repetitions per scale (3)."),
                                         QStringLiteral("n"));
    const QCommandLineOption perAddress(
        QStringLiteral("per-address"),
        QStringLiteral("Connections per client source address, 127.0.1.1 upwards (10000; a single "
                       "address has ~28,000 ports)."),
        QStringLiteral("n"));
    const QCommandLineOption settle(QStringLiteral("settle"),
                                    QStringLiteral("Seconds idle before reading the memory (2)."),
                                    QStringLiteral("s"));
    const QCommandLineOption quick(
        QStringLiteral("quick"), QStringLiteral("Smoke run: 200 and 1,000 connections, 200 per address, one "
                                                "repetition, no wait for a quiet machine."));
    const QCommandLineOption noReference(
        QStringLiteral("no-reference"),
        QStringLiteral("Skip the Node `ws` relay (node-relay.mjs) measured after each Tandem sample."));
    const QCommandLineOption quietWait = quietWaitOption(QStringLiteral("scale"));
    parser.addOptions({scales, repetitions, perAddress, settle, quick, noReference, quietWait});
    if (!parseCommandLine(parser, arguments, exitCode))
        return std::nullopt;

    Options options;
    auto fail = [exitCode](const QString &message) -> std::optional<Options> {
        QTextStream(stderr) << "bench_idle_connections: " << message << '\n';
        *exitCode = 2;
        return std::nullopt;
    };
    if (parser.isSet(quick)) {
        options.quick = true;
        options.scales = {200, 1000};
        options.repetitions = 1;
        options.perAddress = 200;
        options.settleSeconds = 1;
        options.quietWaitSeconds = 0;
    }
    options.reference = !parser.isSet(noReference);
    if (parser.isSet(scales)) {
        const auto parsed = parsePositiveNumbers(parser.value(scales));
        if (!parsed)
            return fail(QStringLiteral("--scales takes a list of connection counts"));
        options.scales.clear();
        for (const double scale : *parsed)
            options.scales.append(qRound(scale));
    }
    bool ok = true;
    if (parser.isSet(repetitions))
        options.repetitions = parser.value(repetitions).toInt(&ok);
    if (!ok || options.repetitions < 1)
        return fail(QStringLiteral("--reps takes a whole number ≥ 1"));
    if (parser.isSet(perAddress))
        options.perAddress = parser.value(perAddress).toInt(&ok);
    if (!ok || options.perAddress < 1 || options.perAddress > 28000)
        return fail(QStringLiteral("--per-address takes 1 … 28000"));
    if (parser.isSet(settle))
        options.settleSeconds = parser.value(settle).toDouble(&ok);
    if (!ok || options.settleSeconds < 0)
        return fail(QStringLiteral("--settle takes seconds ≥ 0"));
    if (!readQuietWait(parser, quietWait, options.quietWaitSeconds))
        return fail(QStringLiteral("--quiet-wait takes seconds ≥ 0"));
    return options;
}

QStringList tandemConfig(int connections)
{
    // One user holds every connection; nothing is sent, so no idle timeout; every connection opens
    // in one burst from a handful of addresses, so the per-address opening limit must allow it.
    return {QStringLiteral("[limits]"),
            QStringLiteral("max_connections_per_user=%1").arg(connections + 10),
            QStringLiteral("idle_timeout_ms=3600000"),
            QStringLiteral("messages_per_second=1000"),
            QStringLiteral("burst=1000"),
            QStringLiteral("[http]"),
            QStringLiteral("max_connections=%1").arg(connections + 1000),
            QStringLiteral("new_connection_burst_per_address=%1").arg(connections + 1000)};
}

/// Idle connections opened to one server, tandem-server or the Node relay, and what they cost it:
/// what both measurements share (IdleConnectionsBenchmark::openIdle).
struct IdleCost {
    int connections = 0;
    bool opened = false; ///< every connection opened and joined the room
    QString error;
    int addresses = 0;
    double openSeconds = 0;
    double serverCpuOpenPercent = 0;    ///< during the opening, % of one core
    double generatorCpuOpenPercent = 0; ///< the same for this process: is the client the bottleneck?
    MemoryUsage before;
    MemoryUsage idle; ///< all connections open and settled
    int openAfterSettle = 0;

    bool allOpenAfterSettle() const { return opened && openAfterSettle == connections; }
    double residentPerConnectionKiB() const
    {
        return static_cast<double>(idle.residentKiB - before.residentKiB) / connections;
    }
    double peakPerConnectionKiB() const
    {
        return static_cast<double>(idle.peakKiB - before.residentKiB) / connections;
    }
    /// The opening and the memory, for the progress lines on stderr.
    QString summary() const
    {
        return QStringLiteral("opened in %1 s (%2/s; CPU server %3% generator %4%) from %5 address(es); RSS "
                              "%6 → %7 MiB (peak %8): %9 KiB per connection, peak %10")
            .arg(QString::number(openSeconds, 'f', 2), number(connections / openSeconds))
            .arg(qRound(serverCpuOpenPercent))
            .arg(qRound(generatorCpuOpenPercent))
            .arg(addresses)
            .arg(before.residentKiB / 1024)
            .arg(idle.residentKiB / 1024)
            .arg(idle.peakKiB / 1024)
            .arg(QString::number(residentPerConnectionKiB(), 'f', 1),
                 QString::number(peakPerConnectionKiB(), 'f', 1));
    }
};

struct Sample {
    IdleCost tandem;
    bool ok = false; ///< tandem-server was measured through, the broadcast included
    QString error;
    qint64 afterBroadcastKiB = 0; ///< VmRSS after the broadcast reached everyone
    int openAtEnd = 0;
    qint64 broadcastExpected = 0;
    qint64 broadcastDelivered = 0;
    double broadcastP50Ms = 0;
    double broadcastMaxMs = 0;
    qint64 serverOpenFileLimit = 0;
    QStringList warnings;
    std::optional<IdleCost> node; ///< the Node relay with as many connections; none without the reference
    qint64 nodeOpenFileLimit = 0;

    int connections() const { return tandem.connections; }
    double afterBroadcastPerConnectionKiB() const
    {
        return static_cast<double>(afterBroadcastKiB - tandem.before.residentKiB) / connections();
    }
    bool lossless() const
    {
        return ok && openAtEnd == connections() && broadcastDelivered == broadcastExpected &&
               broadcastExpected == connections();
    }
    bool referenceMeasured() const { return node && node->allOpenAfterSettle(); }
};

/// The soft open-file limit of process `pid` (prlimit); 0 when unreadable.
qint64 openFileLimitOf(qint64 pid)
{
    rlimit limit{};
    if (prlimit(static_cast<pid_t>(pid), RLIMIT_NOFILE, nullptr, &limit) != 0)
        return 0;
    return limit.rlim_cur == RLIM_INFINITY ? -1 : static_cast<qint64>(limit.rlim_cur);
}

class IdleConnectionsBenchmark {
public:
    explicit IdleConnectionsBenchmark(Options options)
        : m_options(std::move(options))
        , m_err(stderr)
    {}
    bool run();
    void report(QTextStream &out, double elapsedSeconds);

private:
    Sample measureTandem(int connections);
    /// The reference: the Node relay holding `connections` idle connections.
    IdleCost measureNodeRelay(int connections, qint64 *openFileLimit);
    /// Opens `connections` connections to `endpoint` from fresh source addresses, joins each to room
    /// `idle`, lets them settle and reads what they cost server process `pid`. Waits up to
    /// `quietWait` for a quiet machine first.
    IdleCost openIdle(FanoutLoad &load, qint64 pid, const Endpoint &endpoint, int connections,
                      Micros quietWait);

    Options m_options;
    QTextStream m_err;
    quint32 m_nextSourceAddress = FirstSourceAddress;
    QString m_nodeVersion;    ///< empty when the reference is not measured
    QString m_noReferenceWhy; ///< why not, for the report
    std::vector<Sample> m_samples;
};

bool IdleConnectionsBenchmark::run()
{
    if (!m_options.reference) {
        m_noReferenceWhy = QStringLiteral("--no-reference");
    } else {
        m_nodeVersion = NodeRelayProcess::nodeVersion();
        if (m_nodeVersion.isEmpty()) {
            m_noReferenceWhy =
                QStringLiteral("`node --version` did not run (install Node, or name it in TANDEM_NODE)");
            m_err << "no Node reference: " << m_noReferenceWhy << '\n';
        }
    }
    bool ok = true;
    for (int repetition = 1; repetition <= m_options.repetitions; ++repetition) {
        for (const int connections : std::as_const(m_options.scales)) {
            m_err << "[run " << repetition << '/' << m_options.repetitions << "] " << connections
                  << " connections\n";
            m_err.flush();
            Sample sample = measureTandem(connections);
            printRunOutcome(m_err, sample.lossless(),
                            sample.error.isEmpty() ? QStringLiteral("connections lost") : sample.error,
                            sample.warnings);
            ok = ok && sample.lossless();
            if (!m_nodeVersion.isEmpty()) {
                // After Tandem's server has stopped, so the two never share the machine.
                sample.node = measureNodeRelay(connections, &sample.nodeOpenFileLimit);
                printRunOutcome(m_err, sample.referenceMeasured(),
                                QStringLiteral("node: ") + sample.node->error, {});
                ok = ok && sample.referenceMeasured();
            }
            m_samples.push_back(std::move(sample));
        }
    }
    return ok;
}

IdleCost IdleConnectionsBenchmark::openIdle(FanoutLoad &load, qint64 pid, const Endpoint &endpoint,
                                            int connections, Micros quietWait)
{
    IdleCost cost;
    cost.connections = connections;
    cost.addresses = (connections + m_options.perAddress - 1) / m_options.perAddress;
    std::vector<quint32> addresses;
    for (int i = 0; i < cost.addresses; ++i)
        addresses.push_back(m_nextSourceAddress++);
    load.setSourceAddresses(std::move(addresses), m_options.perAddress);

    if (quietWait > 0)
        waitForQuietMachine(m_err, load, {pid}, QuietOtherCpuPercent, quietWait);
    cost.before = readMemoryUsage(pid).value_or(MemoryUsage{});

    const double serverCpuStart = readCpuSeconds(pid).value_or(0);
    const double generatorCpuStart = readCpuSeconds(0).value_or(0);
    const Micros openStart = monotonicMicros();
    // Generous: this measures how long it takes, it does not judge it.
    const Micros openTimeout = micros(60 + connections / 100.0);
    if (!load.open(endpoint.port, endpoint.pathAndQuery, "idle", connections, openTimeout)) {
        cost.error = QStringLiteral("opening %1 connections: %2 (%3 open)")
                         .arg(connections)
                         .arg(load.errorString())
                         .arg(load.openConnections());
        return cost;
    }
    cost.opened = true;
    cost.openSeconds = (monotonicMicros() - openStart) / 1e6;
    cost.serverCpuOpenPercent = 100.0 * (readCpuSeconds(pid).value_or(0) - serverCpuStart) / cost.openSeconds;
    cost.generatorCpuOpenPercent =
        100.0 * (readCpuSeconds(0).value_or(0) - generatorCpuStart) / cost.openSeconds;

    load.pump(micros(m_options.settleSeconds));
    cost.idle = readMemoryUsage(pid).value_or(MemoryUsage{});
    cost.openAfterSettle = load.openConnections();
    if (cost.openAfterSettle < connections)
        cost.error = QStringLiteral("%1 of %2 connections lost while settling: %3")
                         .arg(connections - cost.openAfterSettle)
                         .arg(connections)
                         .arg(load.errorString());
    return cost;
}

IdleCost IdleConnectionsBenchmark::measureNodeRelay(int connections, qint64 *openFileLimit)
{
    NodeRelayProcess node;
    if (!node.start()) {
        IdleCost failed;
        failed.connections = connections;
        failed.error = node.errorString();
        return failed;
    }
    // Node raises its soft limit to the hard one at start; the report shows it could hold them all.
    *openFileLimit = openFileLimitOf(node.pid());
    // As bench_fanout does: "listening" is printed before start-up allocations have all settled,
    // and they are not the connections' cost.
    QThread::msleep(300);
    FanoutLoad load;
    // No wait for a quiet machine: only the Node relay's memory is compared, which other load does
    // not change, and the wait would add up to --quiet-wait per sample.
    const IdleCost cost =
        openIdle(load, node.pid(), {node.port(), QByteArrayLiteral("/ws?user=bench")}, connections, 0);
    if (cost.opened)
        m_err << "  node: " << cost.summary() << "; open " << cost.openAfterSettle << '/' << connections
              << '\n';
    m_err.flush();
    load.closeAll();
    node.stop();
    return cost;
}

Sample IdleConnectionsBenchmark::measureTandem(int connections)
{
    Sample sample;
    sample.tandem.connections = connections;
    TandemCluster server;
    if (!server.start({1, {}, {}, tandemConfig(connections)})) {
        sample.error = server.errorString();
        return sample;
    }
    const qint64 pid = server.pids().front();
    sample.serverOpenFileLimit = openFileLimitOf(pid);

    FanoutLoad load;
    sample.tandem =
        openIdle(load, pid, server.endpoints().front(), connections, micros(m_options.quietWaitSeconds));
    if (!sample.tandem.opened) {
        sample.error = sample.tandem.error;
        return sample;
    }
    // One chat message from the first connection, stored and broadcast to every connection
    // (its sender's included): each must receive it.
    PhaseSpec broadcast;
    broadcast.traffic = Traffic::ChatSend;
    broadcast.messagesPerSecond = 1;
    broadcast.senders = 1;
    broadcast.warmup = 0;
    broadcast.window = 1'000'000; // one message: the next would be due when the window closes
    broadcast.drainLimit = micros(30 + connections / 1000.0);
    broadcast.serverPids = {pid};
    const PhaseResult result = load.run(broadcast);
    sample.broadcastExpected = result.expected;
    sample.broadcastDelivered = result.delivered;
    LatencyStats latency = result.latency;
    sample.broadcastP50Ms = latency.percentileMs(0.5);
    sample.broadcastMaxMs = latency.percentileMs(1.0);
    load.pump(500'000);
    sample.afterBroadcastKiB = readMemoryUsage(pid).value_or(MemoryUsage{}).residentKiB;
    sample.openAtEnd = load.openConnections();
    if (sample.openAtEnd < connections)
        sample.error = QStringLiteral("%1 of %2 connections lost: %3")
                           .arg(connections - sample.openAtEnd)
                           .arg(connections)
                           .arg(load.errorString());
    else if (result.delivered < result.expected || result.expected != connections)
        sample.error = QStringLiteral("the broadcast reached %1 of %2 connections")
                           .arg(result.delivered)
                           .arg(connections);

    m_err << "  " << sample.tandem.summary() << "; open " << sample.openAtEnd << '/' << connections
          << ", broadcast " << result.delivered << '/' << result.expected << " (max "
          << milliseconds(sample.broadcastMaxMs) << " ms)\n";
    m_err.flush();

    load.closeAll();
    server.stop();
    sample.warnings = server.warnings();
    sample.ok = true;
    return sample;
}

void IdleConnectionsBenchmark::report(QTextStream &out, double elapsedSeconds)
{
    out << "## bench_idle_connections " << QDateTime::currentDateTimeUtc().toString(Qt::ISODate) << "\n\n";
    out << "- machine: " << QThread::idealThreadCount() << " × " << cpuModel() << ", "
        << QSysInfo::prettyProductName() << ", kernel " << QSysInfo::kernelVersion() << "; Qt " << qVersion();
    if (!m_nodeVersion.isEmpty())
        out << "; Node " << m_nodeVersion;
    out << '\n';
    out << "- one tandem-server (SQLite, no bus), user `bench` on every connection, each joined to room "
           "`idle`; at most "
        << number(m_options.perAddress) << " connections per client address (127.0.1.1 upwards); "
        << m_options.repetitions << " repetition(s), medians; memory read " << m_options.settleSeconds
        << " s after the last join" << (m_options.quick ? " (--quick smoke run)" : "") << '\n';
    out << "- *per connection* = (VmRSS with all open − VmRSS before any) / N; *peak* uses VmHWM; *open "
           "time* includes the WebSocket handshake and room:join, at most 32 in flight (the listen "
           "backlog is 50)\n";
    if (m_nodeVersion.isEmpty())
        out << "- no Node reference: " << m_noReferenceWhy << '\n';
    else
        out << "- reference: the Node `ws` relay (tests/bench/node-relay.mjs) after each Tandem sample, "
               "with as many connections from fresh addresses, joined and settled alike; memory only, "
               "no broadcast (it has no chat). *Tandem / Node* divides the two medians\n";
    out << "- tandem-server: " << ServerProcess::binary() << "; total time " << qRound(elapsedSeconds)
        << " s\n\n";

    Table table({QStringLiteral("connections"), QStringLiteral("client addresses"),
                 QStringLiteral("open time"), QStringLiteral("opened/s"),
                 QStringLiteral("server / generator CPU while opening"), QStringLiteral("RSS before → idle"),
                 QStringLiteral("KiB per connection"), QStringLiteral("Node ws KiB per connection"),
                 QStringLiteral("Tandem / Node"), QStringLiteral("peak KiB per connection"),
                 QStringLiteral("KiB per connection after broadcast"), QStringLiteral("still open"),
                 QStringLiteral("broadcast received"), QStringLiteral("broadcast p50 / max")});
    bool allLossless = true;
    bool underTarget = true;
    for (const int connections : std::as_const(m_options.scales)) {
        std::vector<const Sample *> samples;
        for (const Sample &sample : m_samples) {
            if (sample.connections() == connections)
                samples.push_back(&sample);
        }
        auto medianOf = [&samples](const std::function<double(const Sample &)> &value) {
            std::vector<double> values;
            for (const Sample *sample : samples) {
                if (sample->ok)
                    values.push_back(value(*sample));
            }
            return median(values);
        };
        std::vector<double> nodePerConnection;
        for (const Sample *sample : samples) {
            if (sample->referenceMeasured())
                nodePerConnection.push_back(sample->node->residentPerConnectionKiB());
        }
        const auto lossless =
            std::count_if(samples.cbegin(), samples.cend(), [](const Sample *s) { return s->lossless(); });
        allLossless = allLossless && lossless == static_cast<qsizetype>(samples.size());
        qint64 open = 0, received = 0, expected = 0;
        for (const Sample *sample : samples) {
            open += sample->openAtEnd;
            received += sample->broadcastDelivered;
            expected += connections;
        }
        const double perConnection =
            medianOf([](const Sample &s) { return s.tandem.residentPerConnectionKiB(); });
        const double nodeMedian = median(nodePerConnection);
        const double peak = medianOf([](const Sample &s) { return s.tandem.peakPerConnectionKiB(); });
        underTarget = underTarget && peak <= TargetKiBPerConnection;
        table.add(
            {number(connections), QString::number(samples.front()->tandem.addresses),
             QString::number(medianOf([](const Sample &s) { return s.tandem.openSeconds; }), 'f', 2) +
                 QStringLiteral(" s"),
             number(medianOf([](const Sample &s) { return s.connections() / s.tandem.openSeconds; })),
             QStringLiteral("%1% / %2%")
                 .arg(qRound(medianOf([](const Sample &s) { return s.tandem.serverCpuOpenPercent; })))
                 .arg(qRound(medianOf([](const Sample &s) { return s.tandem.generatorCpuOpenPercent; }))),
             QStringLiteral("%1 → %2 MiB")
                 .arg(medianOf([](const Sample &s) { return s.tandem.before.residentKiB / 1024.0; }), 0, 'f',
                      1)
                 .arg(medianOf([](const Sample &s) { return s.tandem.idle.residentKiB / 1024.0; }), 0, 'f',
                      1),
             QString::number(perConnection, 'f', 1),
             nodePerConnection.empty() ? QStringLiteral("–") : QString::number(nodeMedian, 'f', 1),
             nodePerConnection.empty() ? QStringLiteral("–") : ratio(perConnection, nodeMedian),
             QString::number(peak, 'f', 1),
             QString::number(medianOf([](const Sample &s) { return s.afterBroadcastPerConnectionKiB(); }),
                             'f', 1),
             QStringLiteral("%1 / %2").arg(number(open), number(expected)),
             QStringLiteral("%1 / %2").arg(number(received), number(expected)),
             QStringLiteral("%1 / %2 ms")
                 .arg(milliseconds(medianOf([](const Sample &s) { return s.broadcastP50Ms; })),
                      milliseconds(medianOf([](const Sample &s) { return s.broadcastMaxMs; })))});
    }
    table.print(out);
    out << "*Still open* and *broadcast received* are totals over the repetitions. The server's open-file "
           "limit was "
        << (m_samples.empty() ? 0 : m_samples.front().serverOpenFileLimit)
        << " (inherited from this benchmark, which raised its own).";
    if (!m_nodeVersion.isEmpty()) {
        qint64 nodeOpen = 0, nodeExpected = 0, nodeOpenFileLimit = 0;
        for (const Sample &sample : m_samples) {
            nodeOpen += sample.node ? sample.node->openAfterSettle : 0;
            nodeExpected += sample.connections();
            nodeOpenFileLimit = std::max(nodeOpenFileLimit, sample.nodeOpenFileLimit);
        }
        // Node raises its soft limit to the hard one itself, so it can differ from the server's.
        out << " Node relay: " << number(nodeOpen) << " / " << number(nodeExpected)
            << " connections open after settling (over the repetitions), open-file limit "
            << nodeOpenFileLimit << "; a run that lost any is left out of its median.";
    }
    out << "\n\n";

    Table targets({QStringLiteral("target"), QStringLiteral("result")});
    targets.add({QStringLiteral("≤ 20 KiB per idle connection (peak RSS)"), yesNo(underTarget)});
    targets.add({QStringLiteral("no loss at any scale"), yesNo(allLossless)});
    targets.print(out);
}

} // namespace

int main(int argc, char *argv[])
{
    return benchMain<Options>(argc, argv, TANDEM_SERVER_PATH, [](const Options &options) {
        // N client sockets here and N in the server, which inherits this limit: tandem-server raises
        // its soft limit only as far as the hard one. Both also hold a few dozen other descriptors.
        const qint64 wanted = options.largest() + 100;
        const qint64 limit = raiseOpenFileLimit(wanted);
        if (limit >= 0 && limit < wanted) {
            QTextStream(stderr) << "bench_idle_connections: the open-file limit is " << limit
                                << " and cannot be raised here (it takes CAP_SYS_RESOURCE); "
                                << options.largest() << " connections need about " << wanted
                                << ". Measure at most --scales …," << limit - 100
                                << " or raise the hard limit.\n";
            return 2;
        }

        const Micros start = monotonicMicros();
        IdleConnectionsBenchmark benchmark(options);
        return runAndReport(benchmark, start);
    });
}
