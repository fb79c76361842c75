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
//
// `cached-50mb`: a returning user with a big local store. Before the runs the
// benchmark writes, through offline::LocalStore, a store of some 50 MB (20
// rooms of chat history, topics, edits, queued mutations), once. Before each
// run it copies that file to the exact path the app opens
// (LocalStore::pathFor(<profile>/data, server, user)) and writes the profile's
// settings as a previous sign-in leaves them. The server URL is a port nothing
// listens on, so the first frame shows what the cache alone gives; the probe
// prints the current room's rows at that first paint. "Cold" is a fresh
// process and a freshly copied (and fdatasync'ed) file, which sits in the page
// cache; a second variant also evicts that file from the page cache
// (POSIX_FADV_DONTNEED, checked with mincore), the closest a non-root
// benchmark gets to a cold disk: the shared libraries stay cached.

#include "core/offline/LocalStore.h"
#include "tests/bench/LatencyStats.h"
#include "tests/bench/ProcessStats.h"
#include "tests/bench/desktop/CachedStore.h"
#include "tests/bench/desktop/PaintWatcher.h"
#include "tests/support/ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <cstdio>
#include <map>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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

enum class Cache {
    None,    ///< a fresh, empty profile
    Copied,  ///< the 50 MB store, freshly copied into the profile
    Evicted, ///< the same, then dropped from the page cache
};

struct Variant {
    QString name;
    QString program;
    bool probe = false;     ///< stamps its own first frame on stdout
    bool reference = false; ///< the probe's empty QMainWindow
    bool signedIn = false;  ///< server, user and a token handed over
    Cache cache = Cache::None;
};

struct Sample {
    double toFrameMs = -1; ///< process start → first frame
    QString window;
    MemoryUsage atFrame;
    MemoryUsage settled;
    // The probe's own stamps, relative to process start.
    double toMainMs = -1;
    double toApplicationMs = -1;
    double toBuiltMs = -1;
    double toPaintMs = -1;
    // What the main window showed at its first paint (probe only).
    QString room;
    int rows = -1;
    int shownRows = -1;
    int rooms = -1;
    double residentStore = -1; ///< fraction of the store file in the page cache at start
    double roomMs = -1;
    MemoryUsage afterRoom;
};

struct Setup {
    QString serverUrl;
    QString token;
    QString deadServerUrl;   ///< nothing listens there
    QString cachedStorePath; ///< the store built once, copied before each cached run
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

/// A port on 127.0.0.1 that nothing listens on: one the kernel just handed out and took back.
int deadPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 9;
    const int port = probe.serverPort();
    probe.close();
    return port;
}

/// Writes the file's dirty pages out, so that no writeback of the copy runs
/// during the measurement, and if `evict`, asks the kernel to drop its pages
/// from the page cache (allowed for any file one can open, unlike
/// drop_caches). Returns the fraction of its pages resident, from mincore; -1
/// if unknown.
double syncToDisk(const QString &path, bool evict)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY);
    if (fd < 0)
        return -1;
    double resident = -1;
    struct stat status {};
    if (::fdatasync(fd) == 0 && (!evict || ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0) &&
        ::fstat(fd, &status) == 0 && status.st_size > 0) {
        const auto size = static_cast<std::size_t>(status.st_size);
        void *map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
        if (map != MAP_FAILED) {
            const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
            std::vector<unsigned char> pages((size + page - 1) / page);
            if (::mincore(map, size, pages.data()) == 0) {
                std::size_t inCache = 0;
                for (const unsigned char flags : pages)
                    inCache += flags & 1U;
                resident = static_cast<double>(inCache) / static_cast<double>(pages.size());
            }
            ::munmap(map, size);
        }
    }
    ::close(fd);
    return resident;
}

/// A returning user's profile: the settings a sign-in left and the store at
/// the path the app opens for that account. Returns the fraction of the
/// store in the page cache, or an error text.
std::optional<double> prepareCachedProfile(const QString &profileDir, const Setup &setup, Cache cache,
                                           QString &error)
{
    const QString user = QStringLiteral("bench");
    {
        QSettings settings(QDir(profileDir).filePath(QStringLiteral("tandem.conf")), QSettings::IniFormat);
        settings.setValue(QStringLiteral("account/server"), setup.deadServerUrl);
        settings.setValue(QStringLiteral("account/user"), user);
        settings.setValue(QStringLiteral("account/joinedDefaultRoom"), true);
        settings.sync();
    }
    const QString store = tandem::offline::LocalStore::pathFor(
        QDir(profileDir).filePath(QStringLiteral("data")), QUrl(setup.deadServerUrl), user);
    if (!QDir().mkpath(QFileInfo(store).path()) || !QFile::copy(setup.cachedStorePath, store)) {
        error = QStringLiteral("cannot copy the store to %1").arg(store);
        return std::nullopt;
    }
    return syncToDisk(store, cache == Cache::Evicted);
}

std::optional<Sample> runOnce(const Variant &variant, const Setup &setup, bool loadRoom)
{
    QTemporaryDir profile;
    QStringList arguments{QStringLiteral("--profile"), profile.path()};
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    double residentStore = -1;
    if (variant.cache != Cache::None) {
        QString error;
        const std::optional<double> prepared =
            prepareCachedProfile(profile.path(), setup, variant.cache, error);
        if (!prepared) {
            progress(QStringLiteral("%1: %2").arg(variant.name, error));
            return std::nullopt;
        }
        residentStore = *prepared;
        // The settings name the server and user; the token is handed over as scripts/run.sh does.
        environment.insert(QStringLiteral("TANDEM_TOKEN"), setup.token);
    }
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
    sample.residentStore = residentStore;
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
        sample.toBuiltMs = msFromStart(field(line, QStringLiteral("built")));
        if (line.contains(QLatin1String(" rows="))) {
            sample.room = QRegularExpression(QStringLiteral("room=(\\S+)")).match(line).captured(1);
            sample.rows = static_cast<int>(field(line, QStringLiteral("rows")));
            sample.shownRows = static_cast<int>(field(line, QStringLiteral("shown")));
            sample.rooms = static_cast<int>(field(line, QStringLiteral("rooms")));
        }
        sample.toPaintMs = msFromStart(field(line, QStringLiteral("paint")));
        sample.toFrameMs = msFromStart(field(line, QStringLiteral("frame")));
        sample.window = QRegularExpression(QStringLiteral("window=(\\S+)")).match(line).captured(1);
        sample.atFrame = {field(line, QStringLiteral("rss")), field(line, QStringLiteral("hwm"))};
    } else {
        sample.toFrameMs = msFromStart(arrived);
        sample.window = flushed.match(line).captured(1);
        sample.atFrame = memoryOf(pid);
    }
    // A cached start counts only if it reached the main window with the cache in it.
    if (variant.cache != Cache::None &&
        (!sample.window.contains(QLatin1String("MainWindow")) || (variant.probe && sample.rows <= 0))) {
        progress(QStringLiteral("%1: first frame was %2 with %3 rows, not the main window with cached rows")
                     .arg(variant.name, sample.window)
                     .arg(sample.rows));
        process.kill();
        process.waitForFinished(5000);
        return std::nullopt;
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
    const QCommandLineOption cacheOption(
        QStringLiteral("cache-messages"),
        QStringLiteral("Messages per room of the cached-50mb store, 20 rooms (0: skip those variants)."),
        QStringLiteral("n"), QStringLiteral("12000"));
    const QCommandLineOption writeStoreOption(
        QStringLiteral("write-store"),
        QStringLiteral("Only write the cached-50mb store to this new file (to profile by hand), then exit."),
        QStringLiteral("path"));
    parser.addOptions({runsOption, settleOption, roomOption, roomRunsOption, cacheOption, writeStoreOption});
    parser.process(app);
    const int runs = qMax(1, parser.value(runsOption).toInt());
    const int roomRuns = qMax(0, parser.value(roomRunsOption).toInt());
    const int cacheMessages = qMax(0, parser.value(cacheOption).toInt());
    if (parser.isSet(writeStoreOption)) {
        const auto built = tandem::bench::buildCachedStore(parser.value(writeStoreOption),
                                                           {QStringLiteral("bench"), 20, cacheMessages, 5});
        if (!built)
            progress(built.error().message);
        else
            progress(QStringLiteral("%1 bytes, %2 messages").arg(built->bytes).arg(built->messages));
        return built ? 0 : 1;
    }

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

    // The cached store, built once; every cached run starts on a fresh copy of it.
    QTemporaryDir cacheDir;
    tandem::bench::CachedStoreSummary store;
    if (cacheMessages > 0) {
        setup.deadServerUrl = QStringLiteral("http://127.0.0.1:%1").arg(deadPort());
        setup.cachedStorePath = cacheDir.filePath(QStringLiteral("local.sqlite"));
        const qint64 buildStart = monotonicNs();
        const auto built = tandem::bench::buildCachedStore(setup.cachedStorePath,
                                                           {QStringLiteral("bench"), 20, cacheMessages, 5});
        if (!built) {
            progress(QStringLiteral("cannot build the cached store: ") + built.error().message);
            return 1;
        }
        store = *built;
        progress(QStringLiteral("cached store: %1 MB (%2 MiB), %3 messages, %4 entities, %5 mutations, "
                                "built in %6 s; server %7 (nothing listening)")
                     .arg(fmt(static_cast<double>(store.bytes) / 1e6))
                     .arg(fmt(static_cast<double>(store.bytes) / 1048576.0))
                     .arg(store.messages)
                     .arg(store.entities)
                     .arg(store.mutations)
                     .arg(fmt(static_cast<double>(monotonicNs() - buildStart) / 1e9))
                     .arg(setup.deadServerUrl));
    }

    const QString appPath = qEnvironmentVariable("TANDEM_APP_BINARY", QStringLiteral(TANDEM_APP_PATH));
    const QString probePath = QStringLiteral(TANDEM_PROBE_PATH);
    QList<Variant> variants{
        {QStringLiteral("tandem → sign-in dialog"), appPath, false, false, false},
        {QStringLiteral("tandem → main window"), appPath, false, false, true},
        {QStringLiteral("probe → sign-in dialog"), probePath, true, false, false},
        {QStringLiteral("probe → main window"), probePath, true, false, true},
    };
    const QString cachedApp = QStringLiteral("cached-50mb: tandem → main window");
    const QString cachedProbe = QStringLiteral("cached-50mb: probe → main window");
    const QString evictedProbe = QStringLiteral("cached-50mb, store evicted: probe → main window");
    if (cacheMessages > 0) {
        variants.append({cachedApp, appPath, false, false, false, Cache::Copied});
        variants.append({cachedProbe, probePath, true, false, false, Cache::Copied});
        variants.append({evictedProbe, probePath, true, false, false, Cache::Evicted});
    }
    // Last: the reference every ratio is taken to.
    variants.append({QStringLiteral("reference: empty QMainWindow"), probePath, true, true, false});
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
                QStringLiteral("QApplication built"), QStringLiteral("DesktopApp started (window shown)"),
                QStringLiteral("first Paint event"), QStringLiteral("frame done")})
        << "\n|---|---|---|---|---|---|\n";
    for (const Variant &variant : variants) {
        const QList<Sample> &list = samples[variant.name];
        if (!variant.probe || list.isEmpty())
            continue;
        out << row({variant.name, fmt(medianOf(list, [](const Sample &s) { return s.toMainMs; })),
                    fmt(medianOf(list, [](const Sample &s) { return s.toApplicationMs; })),
                    fmt(medianOf(list, [](const Sample &s) { return s.toBuiltMs; })),
                    fmt(medianOf(list, [](const Sample &s) { return s.toPaintMs; })),
                    fmt(medianOf(list, [](const Sample &s) { return s.toFrameMs; }))})
            << "\n";
    }
    if (cacheMessages > 0) {
        // Each cached variant against the same binary's empty-profile start to the main window.
        const QList<std::pair<QString, QString>> emptyOf{{cachedApp, variants.at(1).name},
                                                         {cachedProbe, variants.at(3).name},
                                                         {evictedProbe, variants.at(3).name}};
        out << "\ncached-50mb: a returning user, local store of "
            << fmt(static_cast<double>(store.bytes) / 1e6) << " MB ("
            << fmt(static_cast<double>(store.bytes) / 1048576.0) << " MiB: " << store.messages
            << " messages in 20 rooms, " << store.entities << " entities, " << store.mutations
            << " queued mutations), copied fresh into each run's profile; server " << setup.deadServerUrl
            << " with nothing listening (medians):\n\n"
            << row({QStringLiteral("variant"), QStringLiteral("to first frame of the main window, ms"),
                    QStringLiteral("× empty profile → main window"), QStringLiteral("× reference"),
                    QStringLiteral("room shown at first paint, all runs"),
                    QStringLiteral("rows: room model / chat view / sidebar rooms, all runs"),
                    QStringLiteral("store in page cache at start")})
            << "\n|---|---|---|---|---|---|---|\n";
        for (const auto &[name, emptyName] : emptyOf) {
            const QList<Sample> &list = samples[name];
            const QList<Sample> &empty = samples[emptyName];
            if (list.isEmpty())
                continue;
            const double frameMs = medianOf(list, [](const Sample &s) { return s.toFrameMs; });
            const double emptyMs =
                empty.isEmpty() ? 0 : medianOf(empty, [](const Sample &s) { return s.toFrameMs; });
            // What the window showed, in every run: one entry when all runs agree.
            QStringList rooms;
            QStringList rows;
            for (const Sample &sample : list) {
                const QString room = sample.room.isEmpty() ? QStringLiteral("(probe only)") : sample.room;
                const QString counts = sample.rows < 0 ? QStringLiteral("(probe only)")
                                                       : QStringLiteral("%1 / %2 / %3")
                                                             .arg(sample.rows)
                                                             .arg(sample.shownRows)
                                                             .arg(sample.rooms);
                if (!rooms.contains(room))
                    rooms.append(room);
                if (!rows.contains(counts))
                    rows.append(counts);
            }
            const double resident = medianOf(list, [](const Sample &s) { return s.residentStore; });
            out << row({name, QStringLiteral("**%1**").arg(fmt(frameMs)),
                        emptyMs > 0 ? fmt(frameMs / emptyMs, 2) + QStringLiteral("×") : QString(),
                        referenceMs > 0 ? fmt(frameMs / referenceMs, 2) + QStringLiteral("×") : QString(),
                        rooms.join(QStringLiteral("; ")), rows.join(QStringLiteral("; ")),
                        resident < 0 ? QStringLiteral("?") : fmt(resident * 100.0) + QStringLiteral("%")})
                << "\n";
        }
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
