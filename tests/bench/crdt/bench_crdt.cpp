// bench_crdt: the CRDT on the automerge-paper editing trace and the b4
// update, against yjs under Node in the same run (yjs-bench.mjs). Never run
// by ctest; build in Release. See docs/BENCHMARKS.md.
//
//   bench_crdt [--runs N] [--no-yjs]
//
// Editing trace by Martin Kleppmann and Alastair R. Beresford
// (automerge-perf), CC BY 4.0; see tests/data/README.md.

#include "core/crdt/Doc.h"
#include "core/crdt/Text.h"
#include "tests/bench/ProcessStats.h"
#include "tests/unit/crdt/EditingTrace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <memory>

using namespace tandem::crdt;

namespace {

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const std::size_t middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

double milliseconds(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

// CPU time of the process (all threads), next to wall time: what the shared
// benchmark machine's other load disturbs least.
double cpuMilliseconds()
{
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

// Live heap bytes (glibc), and RSS after handing free pages back, so that
// neither counts memory the allocator merely keeps around.
struct MemorySample {
    qint64 heapBytes = 0;
    qint64 residentKiB = 0;
};

MemorySample sampleMemory()
{
    malloc_trim(0);
    MemorySample sample;
    sample.heapBytes = qint64(mallinfo2().uordblks);
    if (auto usage = tandem::bench::readMemoryUsage(0))
        sample.residentKiB = usage->residentKiB;
    return sample;
}

// Applies every patch of the trace to `text`, shifted by `offset`.
void replayTrace(Text &text, const testdata::EditingTrace &trace, qsizetype offset)
{
    for (const testdata::TracePatch &patch : trace.patches) {
        if (patch.deleted > 0)
            text.remove(offset + patch.position, patch.deleted);
        if (!patch.inserted.isEmpty())
            text.insert(offset + patch.position, patch.inserted);
    }
}

struct NativeResults {
    std::vector<double> replayMs, replayCpuMs, decodeMs, decodeCpuMs, encodeMs, heapKiB, rssKiB,
        secondReplayCpuMs;
    qint64 updateBytes = 0;
    qint64 encodedBytes = 0;
};

bool runNative(const testdata::EditingTrace &trace, const QByteArray &b4, int runs, NativeResults &results)
{
    for (int run = 0; run < runs; ++run) {
        const MemorySample before = sampleMemory();
        QElapsedTimer timer;
        double cpuStart = cpuMilliseconds();
        timer.start();
        auto doc = std::make_unique<Doc>();
        Text text = doc->getText(QStringLiteral("text"));
        qint64 updateBytes = 0;
        QObject::connect(doc.get(), &Doc::updated,
                         [&updateBytes](const QByteArray &update) { updateBytes += update.size(); });
        replayTrace(text, trace, 0);
        results.replayMs.push_back(milliseconds(timer));
        results.replayCpuMs.push_back(cpuMilliseconds() - cpuStart);
        if (text.toString() != trace.endContent) {
            std::fprintf(stderr, "replay diverged from endContent\n");
            return false;
        }
        results.updateBytes = updateBytes;

        timer.restart();
        const QByteArray encoded = *doc->encodeStateAsUpdate();
        results.encodeMs.push_back(milliseconds(timer));
        results.encodedBytes = encoded.size();

        const MemorySample withDoc = sampleMemory();

        // Not quadratic: the same trace again, after the first copy's ~11,000
        // items and 77,000 tombstones, must cost what the first one did.
        cpuStart = cpuMilliseconds();
        replayTrace(text, trace, text.length());
        results.secondReplayCpuMs.push_back(cpuMilliseconds() - cpuStart);
        if (text.toString() != trace.endContent + trace.endContent) {
            std::fprintf(stderr, "second replay diverged\n");
            return false;
        }

        doc.reset();
        const MemorySample withoutDoc = sampleMemory();
        results.heapKiB.push_back(double(withDoc.heapBytes - withoutDoc.heapBytes) / 1024);
        results.rssKiB.push_back(double(withDoc.residentKiB - before.residentKiB));

        cpuStart = cpuMilliseconds();
        timer.restart();
        Doc decoded;
        if (!decoded.applyUpdate(b4)) {
            std::fprintf(stderr, "b4 update refused\n");
            return false;
        }
        const QString decodedText = decoded.getText(QStringLiteral("text")).toString();
        results.decodeMs.push_back(milliseconds(timer));
        results.decodeCpuMs.push_back(cpuMilliseconds() - cpuStart);
        if (decodedText != trace.endContent) {
            std::fprintf(stderr, "b4 decode diverged from endContent\n");
            return false;
        }
    }
    return true;
}

std::vector<double> numbers(const QJsonValue &array)
{
    std::vector<double> values;
    for (const QJsonValue &value : array.toArray())
        values.push_back(value.toDouble());
    return values;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("CRDT benchmark against yjs under Node"));
    parser.addHelpOption();
    const QCommandLineOption runsOption(QStringLiteral("runs"),
                                        QStringLiteral("Runs per measurement (median)."), QStringLiteral("n"),
                                        QStringLiteral("5"));
    const QCommandLineOption noYjsOption(QStringLiteral("no-yjs"), QStringLiteral("Skip the Node/yjs side."));
    parser.addOptions({runsOption, noYjsOption});
    parser.process(app);
    const int runs = std::max(1, parser.value(runsOption).toInt());

    const QString dataDir = QStringLiteral(TANDEM_CRDT_TEST_DATA);
    const std::optional<testdata::EditingTrace> trace = testdata::loadEditingTrace(dataDir);
    const QByteArray b4 = testdata::loadB4Update(dataDir);
    if (!trace || b4.isEmpty()) {
        std::fprintf(stderr, "test data missing in %s\n", qPrintable(dataDir));
        return 1;
    }

    NativeResults native;
    if (!runNative(*trace, b4, runs, native))
        return 1;

    QJsonObject yjs;
    if (!parser.isSet(noYjsOption)) {
        QProcess node;
        node.setWorkingDirectory(QStringLiteral(TANDEM_CRDT_BENCH_DIR));
        node.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        node.start(QStringLiteral("node"), {QStringLiteral("--expose-gc"), QStringLiteral("yjs-bench.mjs"),
                                            dataDir, QString::number(runs)});
        if (!node.waitForFinished(600000) || node.exitCode() != 0) {
            std::fprintf(stderr, "yjs-bench.mjs failed (npm ci --prefix tests/bench?)\n");
            return 1;
        }
        yjs = QJsonDocument::fromJson(node.readAllStandardOutput()).object();
    }

    std::printf("bench_crdt: automerge-paper trace (%zu edits) and b4-update.bin, median of %d runs\n",
                trace->patches.size(), runs);
    std::printf("%-44s %12s %12s %8s\n", "measurement", "tandem", "yjs", "ratio");
    auto row = [&](const char *name, double ours, const char *yjsKey, const char *unit, double yjsScale = 1) {
        const double theirs =
            yjs.isEmpty() ? 0 : median(numbers(yjs.value(QLatin1String(yjsKey)))) * yjsScale;
        std::printf("%-44s %9.1f %s %9.1f %s %7.1fx\n", name, ours, unit, theirs, unit,
                    ours > 0 && theirs > 0 ? theirs / ours : 0.0);
    };
    row("replay, one transaction + v1 update per edit", median(native.replayMs), "replayMs", "ms");
    row("  same, CPU time", median(native.replayCpuMs), "replayCpuMs", "ms");
    row("decode b4-update.bin (apply + toString)", median(native.decodeMs), "decodeMs", "ms");
    row("  same, CPU time", median(native.decodeCpuMs), "decodeCpuMs", "ms");
    row("encode final state (v1)", median(native.encodeMs), "encodeMs", "ms");
    std::printf("%-44s %9.1f ms\n", "replay again after the first copy, CPU time",
                median(native.secondReplayCpuMs));
    row("final doc, live heap", median(native.heapKiB) / 1024, "heapKiB", "MB", 1.0 / 1024);
    std::printf("%-44s %9.1f MB\n", "final doc, resident growth of the process",
                median(native.rssKiB) / 1024);
    if (!yjs.isEmpty())
        std::printf("%-44s %12s %9.1f MB\n", "final doc, resident (yjs, rss given back)", "",
                    median(numbers(yjs.value(QLatin1String("rssKiB")))) / 1024);
    std::printf("%-44s %10lld B %10lld B\n", "v1 updates emitted during replay", native.updateBytes,
                qint64(yjs.value(QLatin1String("updateBytes")).toDouble()));
    std::printf("%-44s %10lld B %10lld B\n", "final state as v1 update", native.encodedBytes,
                qint64(yjs.value(QLatin1String("encodedBytes")).toDouble()));
    return 0;
}
