// bench_canvas_cursors: 50 remote users move their pointers at 30 Hz in one
// room; what does that cost the desktop client that watches them, and how
// late are the cursors on its screen? (issue #6, docs/BENCHMARKS.md)
//
// The senders are a Node process (cursor-senders.mjs); this process holds
// only the receiving side, so its own getrusage() is the receiver's CPU.
// Phases, each with the same sender load, alternating per repetition:
//   node-plain    the Node `ws` relay (node-relay.mjs) → a plain QWebSocket receiver
//   tandem-plain  tandem-server → the same plain receiver
//   tandem-desktop tandem-server → the app's CanvasSession + RemoteCursors +
//                 CanvasView, shown offscreen
//   tandem-desktop-60hz  the same, with the view's repaints held to one per
//                 16 ms by an event filter here (a what-if, not the app's
//                 behaviour: what a display-rate cap in CanvasView would give)
// Latency is the server envelope's `ts` (ISO, whole ms, wall clock) to the
// moment the receiver handled the message (plain), to the end of the first
// CanvasView paint after RemoteCursors got it (desktop), and to the first
// paint that shows the cursor at that position once its glide ended.

#include "core/canvas/CanvasSession.h"
#include "core/canvas/RemoteCursors.h"
#include "core/client/QtTimerSource.h"
#include "core/client/Session.h"
#include "core/common/Clock.h"
#include "core/offline/OfflineSync.h"
#include "tests/bench/LatencyStats.h"
#include "tests/bench/NodeRelayProcess.h"
#include "tests/bench/ProcessStats.h"
#include "tests/bench/canvas/CommandLine.h"
#include "tests/bench/canvas/QuietMachine.h"
#include "tests/support/ServerProcess.h"
#include "ui/canvas/CanvasView.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEvent>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTextStream>
#include <QTimer>
#include <QWebSocket>

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <type_traits>

using namespace tandem;
using bench::LatencyStats;
using bench::median;

namespace {

QTextStream out(stdout);
const QString RoomId = QStringLiteral("canvas-bench");
const QString ViewerId = QStringLiteral("viewer");

void progress(const QString &line)
{
    std::fprintf(stderr, "%s\n", qPrintable(line));
    std::fflush(stderr);
}

QString senderScript()
{
    return QDir(qEnvironmentVariable("TANDEM_CANVAS_BENCH_DIR", QStringLiteral(TANDEM_CANVAS_BENCH_DIR)))
        .filePath(QStringLiteral("cursor-senders.mjs"));
}

/// Wall clock in µs: the server stamps `ts` from the same clock.
qint64 realtimeMicros()
{
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    return static_cast<qint64>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
}

/// User + system CPU seconds of this process (every thread).
double selfCpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/// The envelope's `ts` in µs since the epoch (whole milliseconds), or nullopt.
std::optional<qint64> envelopeMicros(const QJsonObject &message)
{
    const QDateTime ts =
        QDateTime::fromString(message.value(QLatin1String("ts")).toString(), Qt::ISODateWithMs);
    if (!ts.isValid())
        return std::nullopt;
    return ts.toMSecsSinceEpoch() * 1000;
}

/// Runs the event loop for `ms` milliseconds.
void runFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

/// Runs the event loop until `done` holds or `ms` passed; returns done().
bool runUntil(const std::function<bool()> &done, int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > ms)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 20);
    }
    return true;
}

struct Options {
    int users = 50;
    double rate = 30;
    double seconds = 10;
    double warmup = 2;
    int repetitions = 3;
    int width = 1280;
    int height = 800;
    bool node = true;
    bool plain = true;
    bool desktop = true;
    bool capped = true;
    double quietWaitSeconds = 30; ///< before each phase, wait up to this for other processes to calm down
};

std::optional<Options> parseOptions(const QStringList &arguments, int *exitCode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Live cursors: N users at R Hz into one room; CPU and cursor latency of the receiving desktop client "
        "(CanvasSession + CanvasView, offscreen), with tandem-server and the Node `ws` relay measured by a "
        "plain receiver in the same run. See docs/BENCHMARKS.md."));
    parser.addHelpOption();
    const QCommandLineOption users(QStringLiteral("users"), QStringLiteral("Sending users (50)."),
                                   QStringLiteral("n"));
    const QCommandLineOption rate(QStringLiteral("rate"),
                                  QStringLiteral("cursor:move per user per second (30)."),
                                  QStringLiteral("hz"));
    const QCommandLineOption seconds(QStringLiteral("seconds"),
                                     QStringLiteral("Measured window per phase (10)."), QStringLiteral("s"));
    const QCommandLineOption warmup(QStringLiteral("warmup"), QStringLiteral("Load before each window (2)."),
                                    QStringLiteral("s"));
    const QCommandLineOption reps(QStringLiteral("reps"),
                                  QStringLiteral("Repetitions; medians reported (3)."), QStringLiteral("n"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("View size (1280x800)."),
                                  QStringLiteral("WxH"));
    const QCommandLineOption phases(QStringLiteral("phases"),
                                    QStringLiteral("Any of node, plain, desktop, capped (all four)."),
                                    QStringLiteral("list"));
    const QCommandLineOption quietWait = bench::quietWaitOption(QStringLiteral("phase"));
    const QCommandLineOption quick(QStringLiteral("quick"),
                                   QStringLiteral("Smoke run: 1 rep, 3 s windows, no quiet wait."));
    parser.addOptions({users, rate, seconds, warmup, reps, size, phases, quietWait, quick});
    if (!bench::parseCommandLine(parser, arguments, exitCode))
        return std::nullopt;
    Options options;
    if (parser.isSet(quick)) {
        options.repetitions = 1;
        options.seconds = 3;
        options.warmup = 1;
        options.quietWaitSeconds = 0;
    }
    bool ok = true;
    const auto number = [&](const QCommandLineOption &option, auto &target) {
        if (!parser.isSet(option))
            return;
        bool parsed = false;
        const double value = parser.value(option).toDouble(&parsed);
        if (!parsed || value <= 0)
            ok = false;
        else
            target = static_cast<std::remove_reference_t<decltype(target)>>(value);
    };
    number(users, options.users);
    number(rate, options.rate);
    number(seconds, options.seconds);
    number(warmup, options.warmup);
    number(reps, options.repetitions);
    ok = bench::readQuietWait(parser, quietWait, options.quietWaitSeconds) && ok;
    ok = bench::readViewSize(parser, size, options.width, options.height) && ok;
    if (parser.isSet(phases)) {
        const QStringList list = parser.value(phases).split(QLatin1Char(','));
        options.node = list.contains(QLatin1String("node"));
        options.plain = list.contains(QLatin1String("plain"));
        options.desktop = list.contains(QLatin1String("desktop"));
        options.capped = list.contains(QLatin1String("capped"));
    }
    if (!ok) {
        std::fprintf(stderr, "bad option value\n%s", qPrintable(parser.helpText()));
        *exitCode = 2;
        return std::nullopt;
    }
    return options;
}

/// The Node sender process: one WebSocket per user, started once every user
/// is in the room, stopped (with its counters) by closing its stdin.
class Senders {
public:
    Senders(const Options &options, quint16 port, const QStringList &queries, bool authenticate)
    {
        m_queries.setAutoRemove(true);
        if (m_queries.open()) {
            m_queries.write(queries.join(QLatin1Char('\n')).toUtf8());
            m_queries.flush();
        }
        QStringList arguments{senderScript(),
                              QStringLiteral("--url"),
                              QStringLiteral("ws://127.0.0.1:%1/ws").arg(port),
                              QStringLiteral("--room"),
                              RoomId,
                              QStringLiteral("--rate"),
                              QString::number(options.rate),
                              QStringLiteral("--width"),
                              QString::number(options.width),
                              QStringLiteral("--height"),
                              QString::number(options.height),
                              QStringLiteral("--queries"),
                              m_queries.fileName()};
        if (authenticate)
            arguments.append(QStringLiteral("--auth"));
        m_process.setProgram(qEnvironmentVariable("TANDEM_NODE", QStringLiteral("node")));
        m_process.setArguments(arguments);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput,
                         [this] { m_output += m_process.readAllStandardOutput(); });
    }
    ~Senders()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    /// Starts the process and waits until it is sending.
    bool start()
    {
        m_process.start();
        if (!m_process.waitForStarted(10000))
            return false;
        return runUntil(
                   [this] {
                       return m_output.contains("sending\n") || m_process.state() == QProcess::NotRunning;
                   },
                   60000) &&
               m_output.contains("sending\n");
    }
    qint64 pid() const { return m_process.processId(); }
    /// Stops the senders; returns their counters.
    QJsonObject stop()
    {
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(10000))
            m_process.kill();
        m_output += m_process.readAllStandardOutput();
        const QList<QByteArray> lines = m_output.trimmed().split('\n');
        return QJsonDocument::fromJson(lines.value(lines.size() - 1)).object();
    }

private:
    QTemporaryFile m_queries;
    QProcess m_process;
    QByteArray m_output;
};

/// What one phase measured.
struct PhaseResult {
    bool ok = false;
    QString error;
    double windowSeconds = 0;
    double cpuPercent = 0; ///< this process (the receiver), % of one core
    double serverCpuPercent = 0;
    double senderCpuPercent = 0;
    double otherCpuPercent = 0; ///< everything else on the machine
    qint64 received = 0;        ///< cursor:move handled in the window
    qint64 paints = 0;
    double cpuPerFrameMs = 0;
    LatencyStats receive;  ///< ts → handled
    LatencyStats paint;    ///< ts → first paint after it
    LatencyStats target;   ///< ts → first paint showing the cursor at its target
    qint64 superseded = 0; ///< updates replaced before their glide ended on screen
    qint64 senderErrors = 0;
    qint64 senderSent = 0;
    QString senderFirstError;
};

/// Samples the CPU of this process, the server, the senders and the machine over a window.
class CpuWindow {
public:
    CpuWindow(qint64 serverPid, qint64 senderPid)
        : m_serverPid(serverPid)
        , m_senderPid(senderPid)
    {
        m_timer.start();
        m_self = selfCpuSeconds();
        m_server = bench::readCpuSeconds(serverPid).value_or(0);
        m_sender = bench::readCpuSeconds(senderPid).value_or(0);
        m_machine = bench::readMachineCpuTimes().value_or(bench::MachineCpuTimes{});
    }
    void finish(PhaseResult &result) const
    {
        const double seconds = static_cast<double>(m_timer.nsecsElapsed()) / 1e9;
        result.windowSeconds = seconds;
        const double self = selfCpuSeconds() - m_self;
        const double server = bench::readCpuSeconds(m_serverPid).value_or(0) - m_server;
        const double sender = bench::readCpuSeconds(m_senderPid).value_or(0) - m_sender;
        result.cpuPercent = 100 * self / seconds;
        result.serverCpuPercent = 100 * server / seconds;
        result.senderCpuPercent = 100 * sender / seconds;
        if (const auto machine = bench::readMachineCpuTimes()) {
            const double total = machine->total - m_machine.total;
            const double busy = total - (machine->idle - m_machine.idle) - (machine->steal - m_machine.steal);
            const double cores = total / (static_cast<double>(sysconf(_SC_CLK_TCK)) * seconds);
            const double busyPercent = total > 0 ? 100 * cores * busy / total : 0;
            result.otherCpuPercent = std::max(0.0, busyPercent - result.cpuPercent - result.serverCpuPercent -
                                                       result.senderCpuPercent);
        }
        result.cpuPerFrameMs = result.paints > 0 ? 1000 * self / static_cast<double>(result.paints) : 0;
    }

private:
    QElapsedTimer m_timer;
    qint64 m_serverPid;
    qint64 m_senderPid;
    double m_self = 0;
    double m_server = 0;
    double m_sender = 0;
    bench::MachineCpuTimes m_machine;
};

void takeSenderCounters(const QJsonObject &counters, PhaseResult &result)
{
    result.senderSent = counters.value(QLatin1String("sent")).toInteger();
    result.senderErrors = counters.value(QLatin1String("errors")).toInteger();
    result.senderFirstError = counters.value(QLatin1String("firstError")).toString();
}

/// A plain receiver: QWebSocket, JSON parse, latency from `ts`. Nothing else.
PhaseResult runPlain(const Options &options, quint16 port, const QString &viewerQuery,
                     const QStringList &queries, bool authenticate, qint64 serverPid)
{
    PhaseResult result;
    QWebSocket socket;
    bool joined = false;
    bool measuring = false;
    QObject::connect(&socket, &QWebSocket::connected, [&] {
        if (!authenticate)
            socket.sendTextMessage(
                QStringLiteral(R"({"id":"j","type":"room:join","payload":{"roomId":"%1"}})").arg(RoomId));
    });
    QObject::connect(&socket, &QWebSocket::textMessageReceived, [&](const QString &text) {
        const qint64 now = realtimeMicros();
        const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString type = message.value(QLatin1String("type")).toString();
        if (type == QLatin1String("cursor:move")) {
            if (measuring) {
                ++result.received;
                if (const auto ts = envelopeMicros(message))
                    result.receive.add(now - *ts);
            }
        } else if (type == QLatin1String("auth:ok")) {
            socket.sendTextMessage(
                QStringLiteral(R"({"id":"j","type":"room:join","payload":{"roomId":"%1"}})").arg(RoomId));
        } else if (type == QLatin1String("room:joined")) {
            joined = true;
        }
    });
    socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws?%2").arg(port).arg(viewerQuery)));
    if (!runUntil([&] { return joined; }, 20000)) {
        result.error = QStringLiteral("the receiver could not join");
        return result;
    }
    Senders senders(options, port, queries, authenticate);
    if (!senders.start()) {
        result.error = QStringLiteral("the senders did not start");
        return result;
    }
    runFor(static_cast<int>(options.warmup * 1000));
    measuring = true;
    CpuWindow window(serverPid, senders.pid());
    runFor(static_cast<int>(options.seconds * 1000));
    window.finish(result);
    measuring = false;
    takeSenderCounters(senders.stop(), result);
    socket.close();
    runUntil([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, 3000);
    result.ok = true;
    return result;
}

/// The app's canvas view, with a stamp at the end of each paint.
class TimedCanvasView : public ui::CanvasView {
public:
    using ui::CanvasView::CanvasView;
    std::function<void()> afterPaint;

protected:
    void paintEvent(QPaintEvent *event) override
    {
        ui::CanvasView::paintEvent(event);
        if (afterPaint)
            afterPaint();
    }
};

/// Holds a top-level widget's repaints to one per `intervalMs`: an UpdateRequest that comes
/// sooner is swallowed and re-sent when the interval is up. Qt posts no further request while
/// one is outstanding, so the dirty region simply accumulates until then.
class PaintCap : public QObject {
public:
    PaintCap(QWidget *widget, int intervalMs)
        : QObject(widget)
        , m_widget(widget)
        , m_intervalMs(intervalMs)
    {
        m_timer.setSingleShot(true);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            m_releasing = true;
            QEvent request(QEvent::UpdateRequest);
            QCoreApplication::sendEvent(m_widget, &request);
            m_releasing = false;
        });
        widget->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() != QEvent::UpdateRequest)
            return false;
        if (m_releasing || !m_last.isValid() || m_last.elapsed() >= m_intervalMs) {
            m_last.start();
            return false;
        }
        if (!m_timer.isActive())
            m_timer.start(static_cast<int>(m_intervalMs - m_last.elapsed()));
        return true;
    }

private:
    QWidget *m_widget;
    int m_intervalMs;
    QElapsedTimer m_last;
    QTimer m_timer;
    bool m_releasing = false;
};

PhaseResult runDesktop(const Options &options, test::ServerProcess &server, const QString &viewerToken,
                       const QStringList &queries, bool capped)
{
    PhaseResult result;
    QTemporaryDir storeDir;
    client::QtTimerSource timers;
    client::Session session(server.wsUrl(), viewerToken);
    offline::OfflineSync offline(session, storeDir.filePath(QStringLiteral("store.sqlite")), Clock::system(),
                                 timers);
    if (const auto opened = offline.open(); !opened) {
        result.error = QStringLiteral("local store: ") + opened.error().message;
        return result;
    }
    canvas::CanvasSession canvas(session, offline, ViewerId, RoomId, Clock::system(), timers);
    canvas.open();

    // Subscribed after CanvasSession: by the time this runs, RemoteCursors has the update.
    bool measuring = false;
    struct Pending {
        qint64 ts = 0;
        QPointF position;
    };
    std::vector<qint64> awaitingPaint; // ts of updates not yet painted
    QHash<QString, Pending> awaitingTarget;
    const int subscription =
        session.subscribe(QStringLiteral("cursor:move"), [&](const QJsonObject &message) {
            if (!measuring)
                return;
            const qint64 now = realtimeMicros();
            const auto ts = envelopeMicros(message);
            if (!ts)
                return;
            ++result.received;
            result.receive.add(now - *ts);
            awaitingPaint.push_back(*ts);
            const QJsonObject payload = message.value(QLatin1String("payload")).toObject();
            const QString user = payload.value(QLatin1String("userId")).toString();
            const QPointF position(payload.value(QLatin1String("x")).toDouble(),
                                   payload.value(QLatin1String("y")).toDouble());
            if (awaitingTarget.contains(user))
                ++result.superseded;
            awaitingTarget.insert(user, {*ts, position});
        });

    {
        TimedCanvasView view(canvas.editor(), &canvas.cursors());
        view.resize(options.width, options.height);
        if (capped)
            new PaintCap(&view, 16);
        view.afterPaint = [&] {
            if (!measuring)
                return;
            ++result.paints;
            const qint64 now = realtimeMicros();
            for (const qint64 ts : awaitingPaint)
                result.paint.add(now - ts);
            awaitingPaint.clear();
            if (awaitingTarget.isEmpty())
                return;
            for (const canvas::CursorView &cursor : canvas.cursors().viewsNow()) {
                const auto it = awaitingTarget.constFind(cursor.userId);
                if (it == awaitingTarget.constEnd())
                    continue;
                const QPointF delta = cursor.position - it->position;
                if (std::abs(delta.x()) < 0.01 && std::abs(delta.y()) < 0.01) {
                    result.target.add(now - it->ts);
                    awaitingTarget.erase(it);
                }
            }
        };
        view.show();

        bool synced = false;
        QObject::connect(&canvas, &canvas::CanvasSession::synced, [&] { synced = true; });
        if (const auto joined = session.joinRoom(RoomId); !joined) {
            result.error = QStringLiteral("joinRoom: ") + joined.error().message;
            return result;
        }
        session.connectToServer();
        if (!runUntil([&] { return synced; }, 20000)) {
            result.error = QStringLiteral("the desktop client did not sync the canvas");
            return result;
        }
        Senders senders(options, server.port(), queries, true);
        if (!senders.start()) {
            result.error = QStringLiteral("the senders did not start");
            return result;
        }
        runFor(static_cast<int>(options.warmup * 1000));
        measuring = true;
        CpuWindow window(server.process().processId(), senders.pid());
        runFor(static_cast<int>(options.seconds * 1000));
        window.finish(result);
        measuring = false;
        takeSenderCounters(senders.stop(), result);
        result.ok = true;
    }
    session.unsubscribe(subscription);
    session.disconnectFromServer();
    runFor(200);
    return result;
}

QString fmt(double value, int decimals = 1)
{
    return QString::number(value, 'f', decimals);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    int exitCode = 0;
    const auto parsed = parseOptions(app.arguments(), &exitCode);
    if (!parsed)
        return exitCode;
    const Options options = *parsed;
    if (qEnvironmentVariableIsEmpty("TANDEM_SERVER_BINARY"))
        qputenv("TANDEM_SERVER_BINARY", TANDEM_SERVER_PATH);

    // --- servers and users -------------------------------------------------
    // ServerProcess already makes Argon2 cheap, so creating the users is quick.
    // Otherwise the default config: cursor:move has its own bucket (40/s), above the clients' 30 Hz.
    // Every user connects from 127.0.0.1 (sign-in, join, sender sockets, once per phase): the
    // per-address opening limit, meant for one host among many, would refuse them.
    test::ServerProcess tandem(
        {QStringLiteral("[http]"), QStringLiteral("new_connection_burst_per_address=100000")});
    if (!tandem.start()) {
        progress(QStringLiteral("tandem-server did not start: %1").arg(test::ServerProcess::binary()));
        return 1;
    }
    progress(QStringLiteral("creating %1 users…").arg(options.users + 1));
    const QString viewerToken = tandem.addMember(ViewerId, RoomId);
    QStringList tandemQueries;
    QStringList nodeQueries;
    for (int i = 0; i < options.users; ++i) {
        const QString name = QStringLiteral("user%1").arg(i, 2, 10, QLatin1Char('0'));
        const QString token = tandem.addMember(name, RoomId);
        if (token.isEmpty()) {
            progress(QStringLiteral("could not create %1").arg(name));
            return 1;
        }
        tandemQueries.append(QStringLiteral("token=") + token);
        nodeQueries.append(QStringLiteral("user=") + name);
    }
    if (viewerToken.isEmpty()) {
        progress(QStringLiteral("could not create the viewer"));
        return 1;
    }
    bench::NodeRelayProcess node;
    if (options.node && !node.start()) {
        progress(QStringLiteral("Node relay: %1").arg(node.errorString()));
        return 1;
    }

    // --- phases --------------------------------------------------------------
    std::map<QString, std::vector<PhaseResult>> results;
    const QStringList order{QStringLiteral("node-plain"), QStringLiteral("tandem-plain"),
                            QStringLiteral("tandem-desktop"), QStringLiteral("tandem-desktop-60hz")};
    bool failed = false;
    for (int rep = 0; rep < options.repetitions; ++rep) {
        QStringList phases = order;
        if (rep % 2 == 1)
            std::reverse(phases.begin(), phases.end());
        for (const QString &phase : phases) {
            if ((phase == QLatin1String("node-plain") && !options.node) ||
                (phase == QLatin1String("tandem-plain") && !options.plain) ||
                (phase == QLatin1String("tandem-desktop") && !options.desktop) ||
                (phase == QLatin1String("tandem-desktop-60hz") && !options.capped))
                continue;
            const double before = bench::waitForQuietMachine(
                15, static_cast<int>(options.quietWaitSeconds * 1000), tandem.process().processId());
            progress(QStringLiteral("rep %1: %2 (other processes: %3 % of a core)")
                         .arg(rep + 1)
                         .arg(phase)
                         .arg(fmt(before, 0)));
            PhaseResult result;
            if (phase == QLatin1String("node-plain"))
                result = runPlain(options, node.port(), QStringLiteral("user=") + ViewerId, nodeQueries,
                                  false, node.pid());
            else if (phase == QLatin1String("tandem-plain"))
                result = runPlain(options, tandem.port(), QStringLiteral("token=") + viewerToken,
                                  tandemQueries, true, tandem.process().processId());
            else
                result = runDesktop(options, tandem, viewerToken, tandemQueries,
                                    phase == QLatin1String("tandem-desktop-60hz"));
            if (!result.ok) {
                progress(QStringLiteral("  failed: %1").arg(result.error));
                failed = true;
                continue;
            }
            progress(QStringLiteral(
                         "  %1 cursors/s received, receiver CPU %2%, %3 paints/s, receive p50/p99 %4/%5 "
                         "ms, paint p50/p99 %6/%7 ms, sender errors %8")
                         .arg(fmt(static_cast<double>(result.received) / result.windowSeconds, 0))
                         .arg(fmt(result.cpuPercent))
                         .arg(fmt(static_cast<double>(result.paints) / result.windowSeconds, 0))
                         .arg(fmt(result.receive.percentileMs(0.5)))
                         .arg(fmt(result.receive.percentileMs(0.99)))
                         .arg(fmt(result.paint.percentileMs(0.5)))
                         .arg(fmt(result.paint.percentileMs(0.99)))
                         .arg(result.senderErrors));
            results[phase].push_back(std::move(result));
        }
    }

    // --- report --------------------------------------------------------------
    const auto med = [&](const QString &phase, const std::function<double(PhaseResult &)> &value) {
        std::vector<double> values;
        for (PhaseResult &result : results[phase])
            values.push_back(value(result));
        return median(values);
    };
    out << "## bench_canvas_cursors\n\n"
        << options.users << " users × " << options.rate << " Hz cursor:move into one room ("
        << options.users * options.rate << " msg/s offered), " << options.seconds << " s windows after "
        << options.warmup << " s warm-up, medians of " << options.repetitions << " repetitions. "
        << "tandem-server with its default limits.\n\n";
    out << "| phase | cursors/s received | receiver CPU % of a core | CPU per frame ms | paints/s | "
           "ts → received p50 / p99 ms | ts → painted p50 / p99 ms | ts → at target p50 / p99 ms | "
           "server CPU % | senders CPU % | other CPU % | sender errors |\n"
        << "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (const QString &phase : order) {
        if (results[phase].empty())
            continue;
        const bool desktop = phase.startsWith(QLatin1String("tandem-desktop"));
        const auto pair = [&](const std::function<LatencyStats &(PhaseResult &)> &stats) {
            return fmt(med(phase, [&](PhaseResult &r) { return stats(r).percentileMs(0.5); })) + " / " +
                   fmt(med(phase, [&](PhaseResult &r) { return stats(r).percentileMs(0.99); }));
        };
        out << "| " << phase << " | "
            << fmt(med(phase,
                       [](PhaseResult &r) { return static_cast<double>(r.received) / r.windowSeconds; }),
                   0)
            << " | " << fmt(med(phase, [](PhaseResult &r) { return r.cpuPercent; })) << " | "
            << (desktop ? fmt(med(phase, [](PhaseResult &r) { return r.cpuPerFrameMs; }), 2)
                        : QStringLiteral("–"))
            << " | "
            << (desktop
                    ? fmt(med(phase,
                              [](PhaseResult &r) { return static_cast<double>(r.paints) / r.windowSeconds; }),
                          0)
                    : QStringLiteral("–"))
            << " | " << pair([](PhaseResult &r) -> LatencyStats & { return r.receive; }) << " | "
            << (desktop ? pair([](PhaseResult &r) -> LatencyStats & { return r.paint; })
                        : QStringLiteral("–"))
            << " | "
            << (desktop ? pair([](PhaseResult &r) -> LatencyStats & { return r.target; })
                        : QStringLiteral("–"))
            << " | " << fmt(med(phase, [](PhaseResult &r) { return r.serverCpuPercent; })) << " | "
            << fmt(med(phase, [](PhaseResult &r) { return r.senderCpuPercent; })) << " | "
            << fmt(med(phase, [](PhaseResult &r) { return r.otherCpuPercent; })) << " | "
            << fmt(med(phase, [](PhaseResult &r) { return static_cast<double>(r.senderErrors); }), 0)
            << " |\n";
    }
    if (!results[QStringLiteral("tandem-desktop")].empty()) {
        const double reached = med(QStringLiteral("tandem-desktop"), [](PhaseResult &r) {
            const double all = static_cast<double>(r.target.count() + r.superseded);
            return all > 0 ? 100.0 * static_cast<double>(r.target.count()) / all : 0;
        });
        out << "\nDesktop: " << fmt(reached, 0)
            << " % of updates were shown at their target before the next update of that user replaced them "
               "(the glide lasts about one update interval).\n";
    }
    for (auto &[phase, list] : results) {
        for (const PhaseResult &result : list) {
            if (!result.senderFirstError.isEmpty()) {
                out << "\nFirst error a sender got (" << phase << "): `" << result.senderFirstError << "`\n";
                break;
            }
        }
    }
    if (!results[QStringLiteral("tandem-desktop-60hz")].empty())
        out << "\ntandem-desktop-60hz is a what-if, not the app's behaviour: the same client with the view's "
               "repaints held to one per 16 ms by an event filter in the benchmark.\n";
    out << "\nReceiver CPU: getrusage(RUSAGE_SELF) of this process, which holds only the receiving client; "
           "latency from the server envelope's `ts` (whole ms, wall clock) to this process's wall clock.\n";
    out.flush();
    return failed ? 1 : 0;
}
