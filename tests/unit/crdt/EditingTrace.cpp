#include "EditingTrace.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <zlib.h>

namespace tandem::crdt::testdata {

QByteArray gunzip(const QByteArray &compressed)
{
    z_stream stream{};
    // 16 + MAX_WBITS: expect a gzip header (qUncompress only reads zlib).
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK)
        return {};
    QByteArray output;
    QByteArray chunk(1 << 20, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(compressed.constData()));
    stream.avail_in = uInt(compressed.size());
    int status = Z_OK;
    while (status == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef *>(chunk.data());
        stream.avail_out = uInt(chunk.size());
        status = inflate(&stream, Z_NO_FLUSH);
        output.append(chunk.constData(), chunk.size() - qsizetype(stream.avail_out));
    }
    inflateEnd(&stream);
    return status == Z_STREAM_END ? output : QByteArray();
}

std::optional<EditingTrace> loadEditingTrace(const QString &dataDir)
{
    QFile file(dataDir + QStringLiteral("/automerge-paper.json.gz"));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonDocument json = QJsonDocument::fromJson(gunzip(file.readAll()));
    if (!json.isObject())
        return std::nullopt;
    EditingTrace trace;
    trace.endContent = json[QLatin1String("endContent")].toString();
    const QJsonArray txns = json[QLatin1String("txns")].toArray();
    trace.patches.reserve(std::size_t(txns.size()));
    for (const QJsonValue &txn : txns) {
        for (const QJsonValue &patchValue : txn[QLatin1String("patches")].toArray()) {
            const QJsonArray patch = patchValue.toArray();
            trace.patches.push_back(
                TracePatch{patch[0].toInteger(), patch[1].toInteger(), patch[2].toString()});
        }
    }
    return trace;
}

QByteArray loadB4Update(const QString &dataDir)
{
    QFile file(dataDir + QStringLiteral("/b4-update.bin"));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace tandem::crdt::testdata
