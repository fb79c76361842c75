#include "server/canvas/CanvasHost.h"

#include "core/protocol/MessageType.h"

#include <QLoggingCategory>
#include <QSet>

namespace tandem::server {

Q_LOGGING_CATEGORY(lcCanvas, "tandem.server.canvas")

using protocol::ErrorCode;

namespace {

/// Merges a list of CanvasOp JSON objects; ops that do not parse are skipped
/// (they were checked before they were stored, so this only guards a store
/// written by another version).
int mergeOps(canvas::CanvasModel &model, const QJsonArray &ops)
{
    int skipped = 0;
    for (const QJsonValue &value : ops) {
        const auto op = canvas::CanvasOp::fromJson(value.toObject());
        if (!op || !model.apply(*op))
            ++skipped;
    }
    return skipped;
}

QJsonArray opsOf(const StoredEvent &event)
{
    return event.payload.value(QLatin1String("ops")).toArray();
}

} // namespace

CanvasHost::CanvasHost(Storage &storage, const CanvasSettings &settings, const Clock &clock)
    : m_storage(storage)
    , m_settings(settings)
    , m_clock(clock)
{}

CanvasHost::~CanvasHost() = default;

protocol::Result<CanvasHost::LoadedCanvas *> CanvasHost::load(const QString &roomId)
{
    if (const auto it = m_canvases.constFind(roomId); it != m_canvases.cend())
        return it->get();
    const auto stored = m_storage.loadCanvas(roomId);
    if (!stored)
        return unexpected(stored.error());
    auto canvas = std::make_shared<LoadedCanvas>();
    int skipped = mergeOps(canvas->model, stored->snapshot);
    canvas->throughSeq = stored->snapshotThroughSeq;
    for (const StoredEvent &event : stored->changes) {
        skipped += mergeOps(canvas->model, opsOf(event));
        canvas->throughSeq = event.seq;
    }
    canvas->changesSinceSnapshot = static_cast<int>(stored->changes.size());
    if (skipped > 0)
        qCWarning(lcCanvas) << "room" << roomId << ":" << skipped << "stored canvas ops could not be merged";
    LoadedCanvas *raw = canvas.get();
    m_canvases.insert(roomId, std::move(canvas));
    return raw;
}

protocol::Result<void> CanvasHost::check(const QString &roomId, const QJsonArray &ops)
{
    const auto canvas = load(roomId);
    if (!canvas)
        return unexpected(canvas.error());
    const qint64 latestAllowedMs = m_clock.nowUtc().toMSecsSinceEpoch() + m_settings.maxClockSkewMs;
    QSet<QString> newShapes;
    for (qsizetype i = 0; i < ops.size(); ++i) {
        const auto op = canvas::CanvasOp::fromJson(ops.at(i).toObject());
        if (!op)
            return protocol::fail(ErrorCode::BadRequest,
                                  QStringLiteral("ops[%1]: %2").arg(i).arg(op.error().message));
        if (op->stamp.wallMs > latestAllowedMs)
            return protocol::fail(
                ErrorCode::BadRequest,
                QStringLiteral("ops[%1] is stamped %2 ms ahead of the server's clock; the limit is %3 ms")
                    .arg(i)
                    .arg(op->stamp.wallMs - m_clock.nowUtc().toMSecsSinceEpoch())
                    .arg(m_settings.maxClockSkewMs));
        if (!(*canvas)->model.contains(op->shapeId))
            newShapes.insert(op->shapeId);
    }
    const qsizetype total = (*canvas)->model.recordCount() + newShapes.size();
    if (!newShapes.isEmpty() && total > m_settings.maxShapes)
        return protocol::fail(ErrorCode::TooLarge,
                              QStringLiteral("the canvas would hold %1 shapes; the limit is %2")
                                  .arg(total)
                                  .arg(m_settings.maxShapes));
    return {};
}

protocol::Result<QJsonArray> CanvasHost::state(const QString &roomId)
{
    const auto canvas = load(roomId);
    if (!canvas)
        return unexpected(canvas.error());
    QJsonArray ops;
    for (const canvas::CanvasOp &op : (*canvas)->model.toOps())
        ops.append(op.toJson());
    return ops;
}

void CanvasHost::stored(const StoredEvent &event)
{
    const auto it = m_canvases.find(event.roomId);
    if (it == m_canvases.end())
        return;
    LoadedCanvas &canvas = **it;
    if (event.seq <= canvas.throughSeq)
        return; // loaded from storage after it was written
    mergeOps(canvas.model, opsOf(event));
    canvas.throughSeq = event.seq;
    if (++canvas.changesSinceSnapshot >= m_settings.compactEveryChanges)
        snapshot(event.roomId, canvas);
}

void CanvasHost::snapshot(const QString &roomId, LoadedCanvas &canvas)
{
    QJsonArray ops;
    for (const canvas::CanvasOp &op : canvas.model.toOps())
        ops.append(op.toJson());
    if (const auto saved = m_storage.saveCanvasSnapshot(roomId, ops, canvas.throughSeq); !saved) {
        // The log still holds every change; the next change tries again.
        qCWarning(lcCanvas) << "room" << roomId
                            << ": could not save the canvas snapshot:" << saved.error().message;
        return;
    }
    canvas.changesSinceSnapshot = 0;
}

void CanvasHost::unload(const QString &roomId)
{
    m_canvases.remove(roomId);
}

} // namespace tandem::server
