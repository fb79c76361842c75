#pragma once
// The canvas of one room as a state-based CRDT: every shape property is a
// last-write-wins register ordered by HLC stamp (nodeId breaks ties), and a
// delete is a tombstone that no edit can undo. apply() is idempotent and
// commutative, so replicas that received the same operations, in any order
// and any number of times, hold the same canvas.

#include "core/canvas/CanvasError.h"
#include "core/canvas/CanvasOp.h"
#include "core/canvas/Shape.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QString>

#include <optional>

namespace tandem::canvas {

class CanvasModel {
public:
    /// What apply() did; only Applied and Superseded change or confirm state.
    enum class Outcome {
        Applied,    ///< at least one register or the tombstone moved forward
        Superseded, ///< older than (or a duplicate of) what the model holds
        Deleted,    ///< the shape is tombstoned: the edit is dropped for good
    };

    /// Refuses an op that fails CanvasOp::validate(); otherwise merges it.
    CanvasResult<Outcome> apply(const CanvasOp &op);

    /// Visible shapes (created and not deleted) in render order: by z-index
    /// key, then by shape id so that equal keys still order the same
    /// everywhere. Back to front.
    QList<Shape> shapes() const;
    std::optional<Shape> shape(const QString &id) const;
    bool isDeleted(const QString &id) const;
    /// Created and not deleted.
    bool isVisible(const QString &id) const;

    /// The visible state as JSON: shapes() in order, each with every property.
    QJsonArray toJson() const;
    /// The whole state, tombstones and stamps included, as operations that
    /// rebuild it in an empty model (and merge into any other): the snapshot
    /// the server stores and sends to a joining client, and what a client
    /// keeps in its local store. Ordered by shape id, so equal states give
    /// equal lists.
    QList<CanvasOp> toOps() const;
    /// Shapes and tombstones held; what the per-canvas limit counts.
    qsizetype recordCount() const { return m_records.size(); }
    bool contains(const QString &id) const { return m_records.contains(id); }

    /// SHA-256 of toJson() in compact form: equal on replicas that converged.
    QByteArray stateHash() const;

    /// A z-index key strictly between the shapes `below` and `above` (either
    /// empty: the bottom or the top of the canvas), tagged with `nodeId` so
    /// that concurrent reorders from different replicas never collide.
    CanvasResult<QString> zIndexBetween(const QString &below, const QString &above, quint64 nodeId) const;
    /// A key above every visible shape.
    CanvasResult<QString> zIndexOnTop(quint64 nodeId) const;

private:
    struct Register {
        QJsonValue value;
        offline::HlcTimestamp stamp; ///< invalid: never written
    };
    struct Record {
        std::optional<ShapeKind> kind; ///< set by the create; edits may come first
        offline::HlcTimestamp kindStamp;
        std::array<Register, ShapePropertyCount> properties;
        offline::HlcTimestamp deletedAt; ///< valid: tombstoned
    };

    static bool merge(Register &target, const QJsonValue &value, const offline::HlcTimestamp &stamp);
    static Shape decode(const QString &id, const Record &record);

    QHash<QString, Record> m_records;
};

} // namespace tandem::canvas
