// bench_offline: what the offline queue costs (docs/BENCHMARKS.md "bench_offline").
//
//  1. Durable enqueue: N chat mutations through MutationQueue::enqueue into a
//     fresh local store, (a) one transaction each, (b) in batches of B (one
//     transaction per batch). Reference in the same run: bare SQLite inserts
//     of the same rows on the same file system, with the store's settings
//     (WAL, synchronous=FULL), per row and per batch.
//  2. Replay: N queued chat mutations from the store to a real tandem-server,
//     through Session + SyncEngine, from connect to the last ack. Reference
//     in the same run, against the same server: a bare Node `ws` client
//     (replay-client.mjs) sending the same N chat:send frames with cids,
//     with the same window, until every ack arrived.
//
// Each repetition runs everything, alternating which side goes first.
// Medians go to stdout as Markdown; progress goes to stderr.

#include "core/client/QtTimerSource.h"
#include "core/client/Session.h"
#include "core/common/Clock.h"
#include "core/offline/ConflictResolver.h"
#include "core/offline/EntityCache.h"
#include "core/offline/HybridLogicalClock.h"
#include "core/offline/LocalStore.h"
#include "core/offline/MutationQueue.h"
#include "core/offline/SyncEngine.h"
#include "core/protocol/MessageType.h"
#include "core/sql/SqliteDatabase.h"
#include "tests/bench/LatencyStats.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QLocale>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>
#include <QUuid>

#include <functional>
#include <optional>
#include <vector>

using namespace tandem;
using namespace tandem::offline;
using tandem::bench::median;
using tandem::test::ServerProcess;

namespace {

constexpr double EnqueueTargetMs = 1000;
constexpr double ReplayTargetMs = 3000;
constexpr int ReplayTimeoutMs = 120000;
const QString Room = QStringLiteral("bench");

struct Options {
    int count = 10000;
    int batch = 100;
    int repetitions = 5;
    bool enqueue = true;
    bool replay = true;
};

std::optional<Options> parseOptions(const QStringList &arguments, int *exitCode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Offline queue benchmark: durable enqueue into the local store, and replay to a real "
                       "tandem-server against a bare Node `ws` client. See docs/BENCHMARKS.md."));
    parser.addHelpOption();
    const QCommandLineOption count(QStringLiteral("count"),
                                   QStringLiteral("Mutations per measurement (10000)."), QStringLiteral("n"));
    const QCommandLineOption batch(QStringLiteral("batch"),
                                   QStringLiteral("Mutations per transaction when batched (100)."),
                                   QStringLiteral("n"));
    const QCommandLineOption reps(QStringLiteral("reps"),
                                  QStringLiteral("Repetitions; medians are reported (5)."),
                                  QStringLiteral("n"));
    const QCommandLineOption scenarios(QStringLiteral("scenarios"),
                                       QStringLiteral("enqueue, replay or both (enqueue,replay)."),
                                       QStringLiteral("list"));
    parser.addOptions({count, batch, reps, scenarios});
    QTextStream err(stderr);
    auto fail = [&](const QString &message) -> std::optional<Options> {
        err << "bench_offline: " << message << '\n';
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
    Options options;
    auto positive = [&](const QCommandLineOption &option, int *target) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        *target = parser.value(option).toInt(&ok);
        return ok && *target > 0;
    };
    if (!positive(count, &options.count) || !positive(batch, &options.batch) ||
        !positive(reps, &options.repetitions))
        return fail(QStringLiteral("--count, --batch and --reps take positive numbers"));
    if (parser.isSet(scenarios)) {
        const QStringList names = parser.value(scenarios).split(QLatin1Char(','), Qt::SkipEmptyParts);
        options.enqueue = names.contains(QLatin1String("enqueue"));
        options.replay = names.contains(QLatin1String("replay"));
        if (!options.enqueue && !options.replay)
            return fail(QStringLiteral("--scenarios takes enqueue, replay or both"));
    }
    return options;
}

QString benchDir()
{
    return qEnvironmentVariable("TANDEM_BENCH_DIR", QStringLiteral(TANDEM_BENCH_DIR));
}

QString nodeBinary()
{
    return qEnvironmentVariable("TANDEM_NODE", QStringLiteral("node"));
}

Mutation chatMutation(int index)
{
    Mutation mutation;
    mutation.roomId = Room;
    mutation.entity = chatEntity();
    mutation.type = QString(protocol::MessageType::ChatSend);
    mutation.payload = {{QStringLiteral("text"), QStringLiteral("m%1").arg(index)}};
    return mutation;
}

/// A store, clock, queue and cache as the app holds them.
struct OfflineState {
    explicit OfflineState(const QString &path)
        : store(path)
        , clock(Clock::system(), 1)
        , queue(store, clock)
        , entities(store, queue)
    {}
    bool open() { return store.open() && queue.load() && entities.load(); }

    LocalStore store;
    HybridLogicalClock clock;
    MutationQueue queue;
    EntityCache entities;
};

/// Enqueues `count` chat mutations, `batch` per transaction; returns the
/// milliseconds, or -1 on failure.
double timeEnqueue(const QString &path, int count, int batch)
{
    OfflineState offline(path);
    if (!offline.open())
        return -1;
    QElapsedTimer timer;
    timer.start();
    for (int index = 0; index < count; index += batch) {
        QList<Mutation> mutations;
        for (int i = index; i < std::min(count, index + batch); ++i)
            mutations.append(chatMutation(i));
        if (!offline.queue.enqueue(std::move(mutations)))
            return -1;
    }
    const double elapsed = timer.nsecsElapsed() / 1e6;
    const auto stored = offline.store.mutations();
    return stored && stored->size() == count ? elapsed : -1;
}

/// The floor: the same rows inserted with plain SQL into a table like the
/// queue's, through the same SqliteDatabase settings, `batch` per transaction.
double timeSqliteReference(const QString &path, int count, int batch)
{
    sql::SqliteDatabase database;
    if (!database.open(path, QStringLiteral("reference")))
        return -1;
    QSqlDatabase &db = database.database();
    QSqlQuery query(db);
    if (!query.exec(
            QStringLiteral("CREATE TABLE rows (id INTEGER PRIMARY KEY AUTOINCREMENT, cid TEXT NOT NULL "
                           "UNIQUE, payload TEXT NOT NULL, created_at TEXT NOT NULL)")))
        return -1;
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT INTO rows (cid, payload, created_at) VALUES (?, ?, ?)"));
    QElapsedTimer timer;
    timer.start();
    for (int index = 0; index < count; index += batch) {
        if (!db.transaction())
            return -1;
        for (int i = index; i < std::min(count, index + batch); ++i) {
            insert.bindValue(0, QUuid::createUuid().toString(QUuid::WithoutBraces));
            insert.bindValue(1, QStringLiteral("{\"text\":\"m%1\"}").arg(i));
            insert.bindValue(2, QStringLiteral("000001764363000000-0000000000-0000000000000001"));
            if (!insert.exec())
                return -1;
        }
        if (!db.commit())
            return -1;
    }
    return timer.nsecsElapsed() / 1e6;
}

/// A tandem-server for the replay, with a user, a token and the room.
struct ReplayServer {
    ServerProcess process{{QStringLiteral("[limits]"), QStringLiteral("messages_per_second=1000000"),
                           QStringLiteral("burst=1000000")}};
    QString token;
    QString error;

    bool start()
    {
        // To a file: a pipe nobody reads during the measurement would fill and stall the server.
        process.process().setStandardErrorFile(
            QFileInfo(process.configPath()).dir().filePath(QStringLiteral("server.log")));
        if (!process.start()) {
            error = QStringLiteral("%1 did not start").arg(ServerProcess::binary());
            return false;
        }
        if (!process.addUser(QStringLiteral("bench"))) {
            error = QStringLiteral("tandem-server user add bench failed");
            return false;
        }
        token = process.login(QStringLiteral("bench"));
        test::TestClient client;
        if (token.isEmpty() || !client.connectAndAuthenticate(process.wsUrl(), token) || !client.join(Room)) {
            error = QStringLiteral("could not sign in and create the room");
            return false;
        }
        return true;
    }
};

struct ReplayRun {
    double loadMs = -1;   ///< opening the store and loading the queue
    double replayMs = -1; ///< connect to last ack
    double emptyMs = -1;  ///< connect to the store holding none of them
};

/// Queues `count` chat mutations in a fresh store, then times their replay to the server.
ReplayRun timeTandemReplay(ReplayServer &server, const QString &path, int count, int batch)
{
    ReplayRun run;
    if (timeEnqueue(path, count, batch) < 0)
        return run;
    QElapsedTimer load;
    load.start();
    OfflineState offline(path);
    if (!offline.open() || offline.queue.pendingCount() != count)
        return run;
    run.loadMs = load.nsecsElapsed() / 1e6;

    client::QtTimerSource timers;
    client::Session session(server.process.wsUrl(), server.token);
    ConflictResolver resolver;
    SyncEngine engine(session, offline.queue, offline.entities, resolver, timers);
    int acks = 0;
    bool failed = false;
    QEventLoop loop;
    QObject::connect(&engine, &SyncEngine::acknowledged, &loop, [&] {
        if (++acks == count)
            loop.quit();
    });
    QObject::connect(&engine, &SyncEngine::mutationFailed, &loop, [&] {
        failed = true;
        loop.quit();
    });
    QTimer::singleShot(ReplayTimeoutMs, &loop, [&] {
        failed = true;
        loop.quit();
    });
    QElapsedTimer timer;
    timer.start();
    session.connectToServer();
    loop.exec();
    const double elapsed = timer.nsecsElapsed() / 1e6;
    // Settled rows leave the store at the end of their event-loop turn.
    QCoreApplication::processEvents();
    const auto stored = offline.store.mutations();
    const double empty = timer.nsecsElapsed() / 1e6;
    session.disconnectFromServer();
    if (!failed && acks == count && offline.queue.pendingCount() == 0 && stored && stored->isEmpty()) {
        run.replayMs = elapsed;
        run.emptyMs = empty;
    }
    return run;
}

/// The Node reference: returns its milliseconds from open to last ack, or -1.
double timeNodeReplay(ReplayServer &server, int count, QString *error)
{
    QProcess node;
    node.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    node.setWorkingDirectory(benchDir());
    node.start(nodeBinary(), {QDir(benchDir()).filePath(QStringLiteral("offline/replay-client.mjs")),
                              server.process.wsUrl().toString(), server.token, Room, QString::number(count),
                              QString::number(SyncEngine::DefaultWindow)});
    if (!node.waitForStarted(20000) || !node.waitForFinished(ReplayTimeoutMs)) {
        *error = QStringLiteral("node replay-client.mjs did not run: %1").arg(node.errorString());
        node.kill();
        node.waitForFinished(5000);
        return -1;
    }
    static const QRegularExpression result(QStringLiteral("elapsed_ms ([0-9.]+) acks (\\d+)"));
    const auto match = result.match(QString::fromUtf8(node.readAllStandardOutput()));
    if (node.exitCode() != 0 || !match.hasMatch() || match.captured(2).toInt() != count) {
        *error = QStringLiteral("node replay-client.mjs failed (exit %1)").arg(node.exitCode());
        return -1;
    }
    return match.captured(1).toDouble();
}

QString ms(double value)
{
    return QString::number(value, 'f', value < 100 ? 1 : 0) + QStringLiteral(" ms");
}

QString rate(int count, double milliseconds)
{
    return QLocale(QLocale::English).toString(qRound64(count / (milliseconds / 1000))) + QStringLiteral("/s");
}

QString ratio(double numerator, double denominator)
{
    return denominator > 0 ? QString::number(numerator / denominator, 'f', 2) + u'×' : QStringLiteral("–");
}

QString runs(const std::vector<double> &values)
{
    QStringList parts;
    for (const double value : values)
        parts.append(QString::number(value, 'f', 0));
    return parts.join(QStringLiteral(", "));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    int exitCode = 0;
    const std::optional<Options> options = parseOptions(QCoreApplication::arguments(), &exitCode);
    if (!options)
        return exitCode;
    if (qEnvironmentVariableIsEmpty("TANDEM_SERVER_BINARY"))
        qputenv("TANDEM_SERVER_BINARY", TANDEM_SERVER_PATH);
    QTextStream err(stderr);
    QTextStream out(stdout);

    std::vector<double> single, batched, sqliteSingle, sqliteBatched, load, replay, empty, node;
    bool ok = true;
    for (int rep = 1; rep <= options->repetitions; ++rep) {
        const bool referenceFirst = rep % 2 == 0; // alternate, so neither side always runs warmer
        QTemporaryDir dir;
        auto path = [&](const char *name) {
            return dir.filePath(QString::fromLatin1(name));
        };
        if (options->enqueue) {
            std::vector<std::function<void()>> steps{
                [&] { single.push_back(timeEnqueue(path("single.sqlite"), options->count, 1)); },
                [&] {
                    batched.push_back(timeEnqueue(path("batched.sqlite"), options->count, options->batch));
                },
                [&] {
                    sqliteSingle.push_back(timeSqliteReference(path("ref-single.sqlite"), options->count, 1));
                },
                [&] {
                    sqliteBatched.push_back(
                        timeSqliteReference(path("ref-batched.sqlite"), options->count, options->batch));
                }};
            if (referenceFirst)
                std::rotate(steps.begin(), steps.begin() + 2, steps.end());
            for (const auto &step : steps)
                step();
            err << "[run " << rep << '/' << options->repetitions << "] enqueue: one per transaction "
                << single.back() << " ms, batched " << batched.back() << " ms; SQLite reference "
                << sqliteSingle.back() << " / " << sqliteBatched.back() << " ms\n";
            err.flush();
            for (const double value :
                 {single.back(), batched.back(), sqliteSingle.back(), sqliteBatched.back()})
                ok = ok && value >= 0;
        }
        if (options->replay) {
            ReplayServer server;
            if (!server.start()) {
                err << "  FAILED: " << server.error << '\n';
                return 1;
            }
            QString error;
            auto runTandem = [&] {
                const ReplayRun run =
                    timeTandemReplay(server, path("replay.sqlite"), options->count, options->batch);
                load.push_back(run.loadMs);
                replay.push_back(run.replayMs);
                empty.push_back(run.emptyMs);
            };
            auto runNode = [&] {
                node.push_back(timeNodeReplay(server, options->count, &error));
            };
            if (referenceFirst) {
                runNode();
                runTandem();
            } else {
                runTandem();
                runNode();
            }
            err << "[run " << rep << '/' << options->repetitions << "] replay: tandem " << replay.back()
                << " ms (store load " << load.back() << " ms), node " << node.back() << " ms\n";
            if (!error.isEmpty())
                err << "  " << error << '\n';
            err.flush();
            ok = ok && replay.back() >= 0 && node.back() >= 0;
            server.process.terminate();
        }
    }
    if (!ok) {
        err << "bench_offline: a measurement failed (-1 above)\n";
        return 1;
    }

    const int n = options->count;
    out << "bench_offline: " << n << " mutations, " << options->repetitions << " repetitions, "
        << QSysInfo::prettyProductName() << ", " << QSysInfo::currentCpuArchitecture() << "\n\n";
    out << "| measure (median of " << options->repetitions
        << ") | time | rate | reference | ratio | runs (ms) |\n"
        << "|---|---|---|---|---|---|\n";
    if (options->enqueue) {
        out << "| enqueue, one transaction each | " << ms(median(single)) << " | " << rate(n, median(single))
            << " | SQLite INSERT + COMMIT per row: " << ms(median(sqliteSingle)) << " | "
            << ratio(median(single), median(sqliteSingle)) << " | " << runs(single) << " |\n";
        out << "| enqueue, " << options->batch << " per transaction | " << ms(median(batched)) << " | "
            << rate(n, median(batched)) << " | SQLite, " << options->batch
            << " rows per COMMIT: " << ms(median(sqliteBatched)) << " | "
            << ratio(median(batched), median(sqliteBatched)) << " | " << runs(batched) << " |\n";
    }
    if (options->replay) {
        out << "| replay, connect → last ack | " << ms(median(replay)) << " | " << rate(n, median(replay))
            << " | Node `ws` client, same frames: " << ms(median(node)) << " | "
            << ratio(median(replay), median(node)) << " | " << runs(replay) << " (node: " << runs(node)
            << ") |\n";
        out << "| replay, connect → store empty | " << ms(median(empty)) << " | " << rate(n, median(empty))
            << " | | | " << runs(empty) << " |\n";
        out << "| loading the queued store (before the replay) | " << ms(median(load)) << " | | | | "
            << runs(load) << " |\n";
    }
    out << '\n';
    if (options->enqueue)
        out << "- target: " << n << " durable enqueues < " << EnqueueTargetMs << " ms: one each "
            << (median(single) < EnqueueTargetMs ? "**reached**" : "**not reached**") << ", batched "
            << (median(batched) < EnqueueTargetMs ? "**reached**" : "**not reached**") << '\n';
    if (options->replay)
        out << "- target: replay of " << n << " < " << ReplayTargetMs
            << " ms: " << (median(replay) < ReplayTargetMs ? "**reached**" : "**not reached**") << '\n';
    return 0;
}
