// bench_transports: chat latency and server CPU per delivered message for N
// clients of one room on each transport — WebSocket, Server-Sent Events and
// long polling — in one run, against one real tandem-server (issue 7).
//
// The receivers are the desktop client's own transports (core/client:
// WebSocketTransport, SseTransport, PollingTransport), all in this process,
// each authenticated and joined like a Session would. One WebSocket writer
// sends chat at a fixed rate; every message carries the time it was sent, so
// each delivery gives a latency on one clock. Server CPU comes from /proc.
// Results are Markdown on stdout; docs/BENCHMARKS.md records them.

#include "core/client/PollingTransport.h"
#include "core/client/QtTimerSource.h"
#include "core/client/SseTransport.h"
#include "core/client/WebSocketTransport.h"
#include "tests/bench/LatencyStats.h"
#include "tests/bench/ProcessStats.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>
#include <QTextStream>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>
#include <vector>

using namespace tandem;
using namespace tandem::bench;

namespace {

const QString Room = QStringLiteral("bench");

struct Options {
    int clients = 200;
    int messages = 100;
    double rate = 10;
    QStringList transports{QStringLiteral("websocket"), QStringLiteral("sse"), QStringLiteral("polling")};
    int repetitions = 3;
};

struct Result {
    QString transport;
    int ready = 0;
    qint64 expected = 0;
    qint64 delivered = 0;
    qint64 duplicates = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double serverCpuSeconds = 0;
    double benchCpuSeconds = 0;
    double seconds = 0;
    double cpuMedianMicros = -1; ///< set on a median over repetitions
    double cpuMicrosPerDelivery() const
    {
        if (cpuMedianMicros >= 0)
            return cpuMedianMicros;
        return delivered ? serverCpuSeconds * 1e6 / double(delivered) : 0;
    }
};

std::unique_ptr<client::Transport> makeTransport(const QString &kind, client::TimerSource &timers)
{
    constexpr qint64 ConnectTimeoutMs = 60000; // 200 handshakes queue up on a busy machine
    if (kind == QLatin1String("sse"))
        return std::make_unique<client::SseTransport>(timers, ConnectTimeoutMs);
    if (kind == QLatin1String("polling"))
        return std::make_unique<client::PollingTransport>(timers, ConnectTimeoutMs);
    return std::make_unique<client::WebSocketTransport>(timers, ConnectTimeoutMs);
}

QByteArray clientMessage(const QString &type, const QJsonObject &payload)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("type"), type}, {QStringLiteral("payload"), payload}})
        .toJson(QJsonDocument::Compact);
}

/// One receiver: opens, authenticates, joins the room, then times every chat message.
class Receiver {
public:
    Receiver(const QString &kind, client::TimerSource &timers, const QElapsedTimer &clock,
             LatencyStats &latency)
        : m_transport(makeTransport(kind, timers))
    {
        QObject::connect(m_transport.get(), &client::Transport::opened, m_transport.get(), [this] {
            m_transport->send(clientMessage(QStringLiteral("auth"), {{QStringLiteral("token"), m_token}}));
        });
        QObject::connect(m_transport.get(), &client::Transport::closed, m_transport.get(),
                         [this] { m_closed = true; });
        QObject::connect(m_transport.get(), &client::Transport::messageReceived, m_transport.get(),
                         [this, &clock, &latency](const QByteArray &json) {
                             const QJsonObject message = QJsonDocument::fromJson(json).object();
                             const QString type = message.value(QLatin1String("type")).toString();
                             if (type == QLatin1String("auth:ok")) {
                                 m_transport->send(clientMessage(QStringLiteral("room:join"),
                                                                 {{QStringLiteral("roomId"), Room}}));
                             } else if (type == QLatin1String("room:joined")) {
                                 m_joined = true;
                             } else if (type == QLatin1String("chat:message")) {
                                 const qint64 seq = message.value(QLatin1String("seq")).toInteger();
                                 if (seq <= m_lastSeq) {
                                     ++m_duplicates;
                                     return;
                                 }
                                 m_lastSeq = seq;
                                 ++m_received;
                                 const qint64 sentNs = message.value(QLatin1String("payload"))
                                                           .toObject()
                                                           .value(QLatin1String("text"))
                                                           .toString()
                                                           .toLongLong();
                                 latency.add((clock.nsecsElapsed() - sentNs) / 1000);
                             }
                         });
    }

    void open(const QUrl &url, const QString &token)
    {
        m_token = token;
        m_transport->open(url);
    }
    void close() { m_transport->close(1000, QStringLiteral("benchmark done")); }
    bool joined() const { return m_joined && !m_closed; }
    qint64 received() const { return m_received; }
    qint64 duplicates() const { return m_duplicates; }

private:
    std::unique_ptr<client::Transport> m_transport;
    QString m_token;
    bool m_joined = false;
    bool m_closed = false;
    qint64 m_lastSeq = 0;
    qint64 m_received = 0;
    qint64 m_duplicates = 0;
};

/// Connections the server holds, from GET /healthz.
int liveConnections(test::ServerProcess &server)
{
    QNetworkAccessManager network;
    QNetworkReply *reply = network.get(QNetworkRequest(server.httpUrl(QStringLiteral("/healthz"))));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        return -1;
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object().value(QLatin1String("connections")).toInt(-1);
}

Result measure(const QString &kind, const Options &options, test::ServerProcess &server,
               const QString &readerToken, test::TestClient &writer, QTextStream &log)
{
    Result result;
    result.transport = kind;
    client::QtTimerSource timers;
    QElapsedTimer clock;
    clock.start();
    LatencyStats latency;
    latency.reserve(qsizetype(options.clients) * options.messages);
    std::vector<std::unique_ptr<Receiver>> receivers;
    for (int i = 0; i < options.clients; ++i) {
        receivers.push_back(std::make_unique<Receiver>(kind, timers, clock, latency));
        receivers.back()->open(server.wsUrl(), readerToken);
    }
    auto count = [&](auto &&value) {
        qint64 total = 0;
        for (const auto &receiver : receivers)
            total += value(*receiver);
        return total;
    };
    const bool allJoined = QTest::qWaitFor(
        [&] { return count([](const Receiver &r) { return r.joined(); }) == options.clients; }, 120000);
    result.ready = int(count([](const Receiver &r) { return r.joined(); }));
    log << kind << ": " << result.ready << " of " << options.clients << " clients joined"
        << (allJoined ? "" : " (the others did not in 120 s)") << "\n";
    log.flush();

    const qint64 serverPid = server.process().processId();
    const double serverCpuBefore = readCpuSeconds(serverPid).value_or(0);
    const double benchCpuBefore = readCpuSeconds(0).value_or(0);
    QElapsedTimer phase;
    phase.start();
    int sent = 0;
    QTimer pacer;
    pacer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&pacer, &QTimer::timeout, [&] {
        // Paced by elapsed time, so a late timer catches up instead of lowering the rate.
        while (sent < options.messages && sent < phase.elapsed() * options.rate / 1000.0 + 1) {
            writer.send(QStringLiteral("chat:send"),
                        {{QStringLiteral("roomId"), Room},
                         {QStringLiteral("text"), QString::number(clock.nsecsElapsed())}});
            ++sent;
        }
        if (sent >= options.messages)
            pacer.stop();
    });
    pacer.start(5);
    result.expected = qint64(result.ready) * options.messages;
    const qint64 sendMs = qint64(options.messages / options.rate * 1000);
    const bool allDelivered = QTest::qWaitFor(
        [&] { return count([](const Receiver &r) { return r.received(); }) >= result.expected; },
        int(sendMs + 30000));
    result.seconds = phase.elapsed() / 1000.0;
    result.serverCpuSeconds = readCpuSeconds(serverPid).value_or(0) - serverCpuBefore;
    result.benchCpuSeconds = readCpuSeconds(0).value_or(0) - benchCpuBefore;
    result.delivered = count([](const Receiver &r) { return r.received(); });
    result.duplicates = count([](const Receiver &r) { return r.duplicates(); });
    result.p50Ms = latency.percentileMs(0.50);
    result.p99Ms = latency.percentileMs(0.99);
    log << kind << ": " << result.delivered << " of " << result.expected << " deliveries in "
        << result.seconds << " s" << (allDelivered ? "" : " (gave up waiting for the rest)") << "\n";
    log.flush();

    // The next transport starts with the writer alone (pollers say goodbye with a DELETE, which
    // must get out before their transports are destroyed).
    for (const auto &receiver : receivers)
        receiver->close();
    if (!QTest::qWaitFor([&] { return liveConnections(server) <= 1; }, 30000))
        log << kind << ": the server still holds receivers; the next figures may include them\n";
    receivers.clear();
    return result;
}

/// Each figure's median over the repetitions; counts are summed (loss anywhere is loss).
Result medianOf(const std::vector<Result> &runs)
{
    Result out = runs.front();
    auto medianBy = [&](auto field) {
        std::vector<double> values;
        for (const Result &run : runs)
            values.push_back(double(run.*field));
        return median(values);
    };
    out.p50Ms = medianBy(&Result::p50Ms);
    out.p99Ms = medianBy(&Result::p99Ms);
    out.serverCpuSeconds = 0;
    out.delivered = out.expected = out.duplicates = 0;
    std::vector<double> cpu;
    for (const Result &run : runs) {
        out.delivered += run.delivered;
        out.expected += run.expected;
        out.duplicates += run.duplicates;
        out.ready = std::min(out.ready, run.ready);
        cpu.push_back(run.cpuMicrosPerDelivery());
    }
    out.cpuMedianMicros = median(cpu);
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Chat latency and server CPU per delivery on each transport"));
    parser.addHelpOption();
    const QCommandLineOption clientsOption(QStringLiteral("clients"),
                                           QStringLiteral("receivers per transport"), QStringLiteral("N"),
                                           QStringLiteral("200"));
    const QCommandLineOption messagesOption(QStringLiteral("messages"), QStringLiteral("chat messages sent"),
                                            QStringLiteral("N"), QStringLiteral("100"));
    const QCommandLineOption rateOption(QStringLiteral("rate"), QStringLiteral("messages per second"),
                                        QStringLiteral("R"), QStringLiteral("10"));
    const QCommandLineOption repetitionsOption(
        QStringLiteral("repetitions"), QStringLiteral("runs over all transports; medians are reported"),
        QStringLiteral("N"), QStringLiteral("3"));
    const QCommandLineOption transportsOption(
        QStringLiteral("transports"), QStringLiteral("comma-separated: websocket,sse,polling"),
        QStringLiteral("LIST"), QStringLiteral("websocket,sse,polling"));
    parser.addOptions({clientsOption, messagesOption, rateOption, repetitionsOption, transportsOption});
    parser.process(app);
    Options options;
    options.clients = parser.value(clientsOption).toInt();
    options.messages = parser.value(messagesOption).toInt();
    options.rate = parser.value(rateOption).toDouble();
    options.transports = parser.value(transportsOption).split(u',', Qt::SkipEmptyParts);
    options.repetitions = std::max(1, parser.value(repetitionsOption).toInt());
    // One line per transport closing would drown the progress lines.
    QLoggingCategory::setFilterRules(
        QStringLiteral("tandem.client.*.info=false\ntandem.client.*.debug=false"));

    QTextStream out(stdout);
    QTextStream log(stderr);
    raiseOpenFileLimit();
    if (qEnvironmentVariableIsEmpty("TANDEM_SERVER_BINARY"))
        qputenv("TANDEM_SERVER_BINARY", TANDEM_SERVER_PATH);
    // Every receiver is one user's connection from 127.0.0.1: the per-user and per-address caps
    // are raised, the message-rate limit is not in play (receivers send three messages each).
    test::ServerProcess server({QStringLiteral("[limits]"), QStringLiteral("max_connections_per_user=100000"),
                                QStringLiteral("messages_per_second=100000"), QStringLiteral("burst=100000"),
                                QStringLiteral("[http]"), QStringLiteral("max_connections=100000"),
                                QStringLiteral("new_connection_burst_per_address=100000"),
                                QStringLiteral("new_connections_per_second_per_address=100000")});
    if (!server.start()) {
        log << "cannot start " << test::ServerProcess::binary() << "\n";
        return 1;
    }
    const QString readerToken = server.addMember(QStringLiteral("reader"), Room);
    const QString writerToken = server.addMember(QStringLiteral("writer"), Room);
    test::TestClient writer;
    if (readerToken.isEmpty() || writerToken.isEmpty() ||
        !writer.connectAndAuthenticate(server.wsUrl(), writerToken) || !writer.join(Room)) {
        log << "cannot set up the room\n";
        return 1;
    }

    // Transports interleaved per repetition, so a burst of load from elsewhere does not land on one only.
    std::map<QString, std::vector<Result>> runs;
    for (int repetition = 0; repetition < options.repetitions; ++repetition) {
        for (const QString &kind : std::as_const(options.transports))
            runs[kind].push_back(measure(kind, options, server, readerToken, writer, log));
    }
    std::vector<Result> results;
    for (const QString &kind : std::as_const(options.transports))
        results.push_back(medianOf(runs[kind]));

    const Result *reference = nullptr;
    for (const Result &result : results) {
        if (result.transport == QLatin1String("websocket"))
            reference = &result;
    }
    out << "| transport | clients joined | deliveries | lost | duplicates | p50 ms | p99 ms | server CPU "
           "µs/delivery "
           "| p99 / WebSocket | CPU / WebSocket |\n";
    out << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const Result &result : results) {
        auto ratio = [&](double value, double base) {
            return reference && base > 0 ? QString::number(value / base, 'f', 2) : QStringLiteral("–");
        };
        out << "| " << result.transport << " | " << result.ready << " | " << result.delivered << " | "
            << (result.expected - result.delivered) << " | " << result.duplicates << " | "
            << QString::number(result.p50Ms, 'f', 1) << " | " << QString::number(result.p99Ms, 'f', 1)
            << " | " << QString::number(result.cpuMicrosPerDelivery(), 'f', 1) << " | "
            << ratio(result.p99Ms, reference ? reference->p99Ms : 0) << " | "
            << ratio(result.cpuMicrosPerDelivery(), reference ? reference->cpuMicrosPerDelivery() : 0)
            << " |\n";
    }
    out << "\n"
        << options.clients << " receivers per transport, " << options.messages << " messages at "
        << options.rate << "/s from one WebSocket writer; server CPU is tandem-server's user+system time "
        << "during the send phase, divided by the deliveries.\n";
    return 0;
}
