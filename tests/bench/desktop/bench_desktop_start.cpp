// bench_desktop_start: cold start of the desktop app to its first painted
// window, offscreen, over N runs (medians). Each run starts a process with a
// fresh --profile folder and measures from just before QProcess::start to
// the first frame of its top-level window:
//   - the real `tandem` binary, observed from outside through Qt's own
//     painting log (QT_LOGGING_RULES=qt.widgets.painting.info=true prints
//     "Flushing … of <window>" when the backing store is flushed);
//   - tandem_start_probe, the same main.cpp and DesktopApp with an event
//     filter that stamps the first Paint event and the end of that frame;
//   - the reference: the probe showing an empty 1000×680 QMainWindow.
// Both app variants run twice: without an account (to the sign-in dialog)
// and with a token handed over in TANDEM_TOKEN to a running tandem-server
// (to the main window). Resident memory is read when the window is up and
// after a settle time, and once more after the probe loads a big room.

#include "tests/bench/LatencyStats.h"
#include "tests/bench/ProcessStats.h"
#include "tests/bench/desktop/PaintWatcher.h"
#include "tests/support/ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <cstdio>
#include <map>

using tandem::bench::MemoryUsage;
using tandem::bench::monotonicNs;

namespace {

QTextStream out(stdout);

void progress(const QString &line)
{
    std::fprintf(stderr, "%s\n", qPrintable(line));
}

QString fmt(double value, int digits = 1)
{
    return QString::number(value, 'f', digits);
}

QString mib(double kib)
{
    return fmt(kib / 1024.0);
}

struct Variant {
    QString name;
    QString program;
    bool probe = false;     ///< stamps its own first frame on stdout
    bool reference = false; ///< the probe's empty QMainWindow
    bool signedIn = false;  ///< server, user and a token handed over
};

struct Sample {
    double toFrameMs = -1; ///< process start → first frame
    QString window;
    MemoryUsage atFrame;
    MemoryUsage settled;
    // The probe's own stamps, relative to process start.
    double toMainMs = -1;
    double toApplicationMs = -1;
    double toPaintMs = -1;
    double roomMs = -1;
    MemoryUsage afterRoom;
};

struct Setup {
    QString serverUrl;
    QString token;
    int settleMs = 1000;
    int roomMessages = 0;
};

MemoryUsage memoryOf(qint64 pid)
{
    return tandem::bench::readMemoryUsage(pid).value_or(MemoryUsage{});
}

qint64 field(const QString &line, const QString &name)
{
    const QRegularExpression pattern(QStringLiteral("\\b%1=(-?\\d+)").arg(name));
    return pattern.match(line).captured(1).toLongLong();
}

double fieldDouble(const QString &line, const QString &name)
{
    const QRegularExpression pattern(QStringLiteral("\\b%1=([-0-9.e]+)").arg(name));
    return pattern.match(line).captured(1).toDouble();
}

/// Reads the child's merged output until `predicate` accepts a line; returns
/// that line and the monotonic time it arrived, or an empty line on timeout.
std::pair<QString, qint64> waitForLine(QProcess &process,
                                       const std::function<bool(const QString &)> &predicate, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && process.state() != QProcess::NotRunning) {
        while (process.canReadLine()) {
            const qint64 arrived = monotonicNs();
            const QString line = QString::fromUtf8(process.readLine()).trimmed();
            if (predicate(line))
                return {line, arrived};
        }
        process.waitForReadyRead(50);
    }
    return {};
}

void drainFor(QProcess &process, int ms)
{
    const QDeadlineTimer deadline(ms);
    while (!deadline.hasExpired() && process.state() != QProcess::NotRunning) {
        process.waitForReadyRead(static_cast<int>(qMax<qint64>(1, deadline.remainingTime())));
        process.readAll();
    }
}

std::optional<Sample> runOnce(const Variant &variant, const Setup &setup, bool loadRoom)
{
    QTemporaryDir profile;
    QStringList arguments{QStringLiteral("--profile"), profile.path()};
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    if (!variant.probe)
        environment.insert(QStringLiteral("QT_LOGGING_RULES"),
                           QStringLiteral("qt.widgets.painting.info=true"));
    if (variant.signedIn) {
        arguments << QStringLiteral("--server") << setup.serverUrl << QStringLiteral("--user")
                  << QStringLiteral("bench");
        environment.insert(QStringLiteral("TANDEM_TOKEN"), setup.token);
    }
    if (variant.reference)
        arguments << QStringLiteral("--reference");
    if (loadRoom)
        arguments << QStringLiteral("--load-room") << QString::number(setup.roomMessages);

    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setProcessEnvironment(environment);
    const qint64 startNs = monotonicNs();
    process.start(variant.program, arguments);
    if (!process.waitForStarted(10000)) {
        progress(QStringLiteral("%1: cannot start %2").arg(variant.name, variant.program));
        return std::nullopt;
    }
    const qint64 pid = process.processId();
    const auto msFromStart = [startNs](qint64 ns) {
        return static_cast<double>(ns - startNs) / 1e6;
    };

    Sample sample;
    static const QRegularExpression flushed(
        QStringLiteral("^qt\\.widgets\\.painting: Flushing .* of ([\\w:]+)\\("));
    const auto [line, arrived] = waitForLine(
        process,
        [&](const QString &candidate) {
            return variant.probe ? candidate.startsWith(QLatin1String("PROBE "))
                                 : flushed.match(candidate).hasMatch();
        },
        30000);
    if (line.isEmpty()) {
        progress(QStringLiteral("%1: no first frame within 30 s").arg(variant.name));
        process.kill();
        process.waitForFinished(5000);
        return std::nullopt;
    }
    if (variant.probe) {
        sample.toMainMs = msFromStart(field(line, QStringLiteral("main")));
        sample.toApplicationMs = msFromStart(field(line, QStringLiteral("app")));
        sample.toPaintMs = msFromStart(field(line, QStringLiteral("paint")));
        sample.toFrameMs = msFromStart(field(line, QStringLiteral("frame")));
        sample.window = QRegularExpression(QStringLiteral("window=(\\S+)")).match(line).captured(1);
        sample.atFrame = {field(line, QStringLiteral("rss")), field(line, QStringLiteral("hwm"))};
    } else {
        sample.toFrameMs = msFromStart(arrived);
        sample.window = flushed.match(line).captured(1);
        sample.atFrame = memoryOf(pid);
    }
    if (loadRoom) {
        const auto [roomLine, roomArrived] = waitForLine(
            process, [](const QString &candidate) { return candidate.startsWith(QLatin1String("ROOM ")); },
            600000);
        Q_UNUSED(roomArrived);
        if (!roomLine.isEmpty()) {
            sample.roomMs = fieldDouble(roomLine, QStringLiteral("ms"));
            sample.afterRoom = {field(roomLine, QStringLiteral("rss")),
                                field(roomLine, QStringLiteral("hwm"))};
        }
    } else {
        drainFor(process, setup.settleMs);
        sample.settled = memoryOf(pid);
    }
    process.kill();
    process.waitForFinished(5000);
    return sample;
}

QString row(const QStringList &cells)
{
    return QStringLiteral("| ") + cells.join(QStringLiteral(" | ")) + QStringLiteral(" |");
}

template <typename Get> double medianOf(const QList<Sample> &samples, Get get)
{
    std::vector<double> values;
    for (const Sample &sample : samples)
        values.push_back(static_cast<double>(get(sample)));
    return tandem::bench::median(values);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Cold start of the desktop app to its first painted window."));
    parser.addHelpOption();
    const QCommandLineOption runsOption(QStringLiteral("runs"), QStringLiteral("Runs per variant."),
                                        QStringLiteral("n"), QStringLiteral("11"));
    const QCommandLineOption settleOption(QStringLiteral("settle-ms"),
                                          QStringLiteral("Wait before reading memory again."),
                                          QStringLiteral("ms"), QStringLiteral("1000"));
    const QCommandLineOption roomOption(QStringLiteral("room-messages"),
                                        QStringLiteral("Messages of the big room the probe loads (0: skip)."),
                                        QStringLiteral("n"), QStringLiteral("100000"));
    const QCommandLineOption roomRunsOption(QStringLiteral("room-runs"),
                                            QStringLiteral("Runs with the big room."), QStringLiteral("n"),
                                            QStringLiteral("3"));
    parser.addOptions({runsOption, settleOption, roomOption, roomRunsOption});
    parser.process(app);
    const int runs = qMax(1, parser.value(runsOption).toInt());
    const int roomRuns = qMax(0, parser.value(roomRunsOption).toInt());

    if (qEnvironmentVariableIsEmpty("TANDEM_SERVER_BINARY"))
        qputenv("TANDEM_SERVER_BINARY", TANDEM_SERVER_PATH);
    tandem::test::ServerProcess server(
        {QStringLiteral("[limits]"), QStringLiteral("max_connections_per_user=1000")});
    if (!server.start() || !server.addUser(QStringLiteral("bench"))) {
        progress(QStringLiteral("tandem-server did not start:\n") + QString::fromUtf8(server.log()));
        return 1;
    }
    Setup setup;
    setup.serverUrl = QStringLiteral("http://127.0.0.1:%1").arg(server.port());
    setup.token = server.login(QStringLiteral("bench"));
    setup.settleMs = qMax(0, parser.value(settleOption).toInt());
    setup.roomMessages = qMax(0, parser.value(roomOption).toInt());
    if (setup.token.isEmpty()) {
        progress(QStringLiteral("POST /api/login failed"));
        return 1;
    }

    const QString appPath = qEnvironmentVariable("TANDEM_APP_BINARY", QStringLiteral(TANDEM_APP_PATH));
    const QString probePath = QStringLiteral(TANDEM_PROBE_PATH);
    const QList<Variant> variants{
        {QStringLiteral("tandem → sign-in dialog"), appPath, false, false, false},
        {QStringLiteral("tandem → main window"), appPath, false, false, true},
        {QStringLiteral("probe → sign-in dialog"), probePath, true, false, false},
        {QStringLiteral("probe → main window"), probePath, true, false, true},
        {QStringLiteral("reference: empty QMainWindow"), probePath, true, true, false},
    };
    std::map<QString, QList<Sample>> samples;
    bool failed = false;
    for (int run = 0; run < runs; ++run) {
        for (const Variant &variant : variants) {
            const std::optional<Sample> sample = runOnce(variant, setup, false);
            if (!sample) {
                failed = true;
                continue;
            }
            samples[variant.name].append(*sample);
            progress(QStringLiteral("run %1/%2 %3: %4 ms to the first frame of %5")
                         .arg(run + 1)
                         .arg(runs)
                         .arg(variant.name, fmt(sample->toFrameMs), sample->window));
        }
    }
    QList<Sample> roomSamples;
    for (int run = 0; run < roomRuns && setup.roomMessages > 0; ++run) {
        if (const auto sample = runOnce(variants.at(3), setup, true); sample && sample->roomMs >= 0) {
            roomSamples.append(*sample);
            progress(
                QStringLiteral("big room %1/%2: %3 ms").arg(run + 1).arg(roomRuns).arg(fmt(sample->roomMs)));
        } else {
            failed = true;
        }
    }
    server.terminate();

    const double referenceMs =
        medianOf(samples[variants.last().name], [](const Sample &s) { return s.toFrameMs; });
    out << "## bench_desktop_start\n\n"
        << runs << " runs per variant, interleaved; QT_QPA_PLATFORM=offscreen; fresh --profile each run; "
        << "memory settled " << setup.settleMs << " ms after the first frame\n\n";
    out << row({QStringLiteral("variant"), QStringLiteral("first window"),
                QStringLiteral("to first frame, median ms"), QStringLiteral("min – max ms"),
                QStringLiteral("× reference"), QStringLiteral("VmRSS at frame MiB"),
                QStringLiteral("VmRSS settled MiB"), QStringLiteral("VmHWM settled MiB")})
        << "\n|---|---|---|---|---|---|---|---|\n";
    for (const Variant &variant : variants) {
        const QList<Sample> &list = samples[variant.name];
        if (list.isEmpty())
            continue;
        double minimum = list.first().toFrameMs;
        double maximum = minimum;
        for (const Sample &sample : list) {
            minimum = qMin(minimum, sample.toFrameMs);
            maximum = qMax(maximum, sample.toFrameMs);
        }
        const double frameMs = medianOf(list, [](const Sample &s) { return s.toFrameMs; });
        out << row({variant.name, list.first().window, QStringLiteral("**%1**").arg(fmt(frameMs)),
                    fmt(minimum) + QStringLiteral(" – ") + fmt(maximum),
                    referenceMs > 0 ? fmt(frameMs / referenceMs, 2) + QStringLiteral("×") : QString(),
                    mib(medianOf(list, [](const Sample &s) { return s.atFrame.residentKiB; })),
                    mib(medianOf(list, [](const Sample &s) { return s.settled.residentKiB; })),
                    mib(medianOf(list, [](const Sample &s) { return s.settled.peakKiB; }))})
            << "\n";
    }
    out << "\nWhere the probe's start-up time goes (medians, ms from process start):\n\n"
        << row({QStringLiteral("variant"), QStringLiteral("main() entered"),
                QStringLiteral("QApplication built"), QStringLiteral("first Paint event"),
                QStringLiteral("frame done")})
        << "\n|---|---|---|---|---|\n";
    for (const Variant &variant : variants) {
        const QList<Sample> &list = samples[variant.name];
        if (!variant.probe || list.isEmpty())
            continue;
        out << row({variant.name, fmt(medianOf(list, [](const Sample &s) { return s.toMainMs; })),
                    fmt(medianOf(list, [](const Sample &s) { return s.toApplicationMs; })),
                    fmt(medianOf(list, [](const Sample &s) { return s.toPaintMs; })),
                    fmt(medianOf(list, [](const Sample &s) { return s.toFrameMs; }))})
            << "\n";
    }
    if (!roomSamples.isEmpty()) {
        out << "\nProbe, main window, then a room of " << setup.roomMessages
            << " cached messages loaded and shown (" << roomSamples.size() << " runs, medians):\n\n"
            << row({QStringLiteral("fill the model and paint the newest page, ms"),
                    QStringLiteral("VmRSS after MiB"), QStringLiteral("VmHWM after MiB")})
            << "\n|---|---|---|\n"
            << row({fmt(medianOf(roomSamples, [](const Sample &s) { return s.roomMs; })),
                    mib(medianOf(roomSamples, [](const Sample &s) { return s.afterRoom.residentKiB; })),
                    mib(medianOf(roomSamples, [](const Sample &s) { return s.afterRoom.peakKiB; }))})
            << "\n";
    }
    out.flush();
    return failed ? 1 : 0;
}
