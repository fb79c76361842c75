#pragma once
// The automerge-paper editing trace and the b4 golden update (tests/data),
// shared by the CRDT tests and benchmarks.

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace tandem::crdt::testdata {

struct TracePatch {
    qsizetype position = 0;
    qsizetype deleted = 0;
    QString inserted;
};

struct EditingTrace {
    QString endContent;
    std::vector<TracePatch> patches;
};

/// Reads `automerge-paper.json.gz` from `dataDir`; nullopt if absent or bad.
std::optional<EditingTrace> loadEditingTrace(const QString &dataDir);
/// Reads `b4-update.bin` from `dataDir`; empty if absent.
QByteArray loadB4Update(const QString &dataDir);
/// Inflates a gzip stream (zlib); empty on error.
QByteArray gunzip(const QByteArray &compressed);

} // namespace tandem::crdt::testdata
