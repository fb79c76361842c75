#pragma once
// The local editing logic over one room's canvas, without widgets: turns user
// actions (draw, move, recolour, delete, reorder, "being edited" marks) into
// CanvasOps applied to the local CanvasModel and handed to the network layer,
// merges ops from other users, and undoes and redoes this user's own actions
// as new last-write-wins writes, so that other users' later changes survive.

#include "core/canvas/CanvasModel.h"
#include "core/canvas/CanvasOp.h"
#include "core/canvas/Shape.h"
#include "core/offline/HybridLogicalClock.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointF>
#include <QString>
#include <QStringList>

#include <array>
#include <deque>
#include <functional>
#include <optional>

namespace tandem::canvas {

/// What the user drew, before it has an id or a z-index.
struct NewShape {
    ShapeKind kind = ShapeKind::Rectangle;
    QList<QPointF> points;
    QString strokeColor = QStringLiteral("#000000");
    QString fill; ///< "" for none
    double strokeWidth = 2;
    QString text;
};

class CanvasEditor : public QObject {
    Q_OBJECT

public:
    using StampSource = std::function<offline::HlcTimestamp()>;
    /// Older undo steps are forgotten beyond this many.
    static constexpr int MaxUndoSteps = 200;

    /// `stamp` returns a fresh HLC stamp for each local op (the app passes
    /// HybridLogicalClock::now()); `nodeId` tags this replica's ids and z-keys.
    CanvasEditor(QString userId, quint64 nodeId, StampSource stamp, QObject *parent = nullptr);

    const CanvasModel &model() const { return m_model; }
    const QString &userId() const { return m_userId; }
    /// The signed-in user may only be known after the editor exists (offline
    /// start, then authentication); later editing marks carry the new id.
    void setUserId(const QString &userId) { m_userId = userId; }
    quint64 nodeId() const { return m_nodeId; }

    /// Ops from the server or other users. Invalid ones are logged and
    /// skipped. Not undoable.
    void applyRemote(const QList<CanvasOp> &ops);

    // Local actions: each applies its ops, emits localOps() once and is one
    // undo step (unless inside a gesture, which makes all of them one step).

    /// A new shape on top of the others; returns its id.
    CanvasResult<QString> createShape(const NewShape &shape);
    void moveShapes(const QStringList &ids, QPointF delta);
    void setGeometry(const QString &id, const QList<QPointF> &points);
    /// Several shapes at once (a live drag of a selection).
    void setGeometries(const QHash<QString, QList<QPointF>> &geometries);
    void setStrokeColor(const QStringList &ids, const QString &colour);
    void setFill(const QStringList &ids, const QString &colour);
    void setStrokeWidth(const QStringList &ids, double width);
    void setText(const QStringList &ids, const QString &text);
    /// A text box's new text and the box that fits it, as one action.
    void editText(const QString &id, const QString &text, const QList<QPointF> &box);
    void deleteShapes(const QStringList &ids);
    void bringToFront(const QStringList &ids);
    void sendToBack(const QStringList &ids);

    /// A gesture (a drag, a text edit) sends its ops as they happen but is one
    /// undo step: the value before the first write, the value after the last.
    void beginGesture();
    void endGesture();
    bool inGesture() const { return m_gesture.has_value(); }

    /// "Being edited by" marks (EditedBy = this user / ""). Not undoable.
    void beginEditing(const QStringList &ids);
    void endEditing(const QStringList &ids);

    bool canUndo() const { return !m_undo.empty(); }
    bool canRedo() const { return !m_redo.empty(); }
    /// Undoes this user's newest step that still applies; steps whose shapes
    /// were all deleted by someone else are dropped on the way.
    void undo();
    void redo();

Q_SIGNALS:
    /// Exactly the ops applied locally by one user action, for the network.
    void localOps(const QList<tandem::canvas::CanvasOp> &ops);
    /// The model changed (local or remote).
    void changed();
    /// Emitted just before changed(): the shapes whose state it touched
    /// (created, edited, reordered or deleted), so a renderer can update
    /// those instead of decoding the whole canvas.
    void shapesChanged(const QStringList &ids);
    /// canUndo() or canRedo() may have changed.
    void undoStateChanged();

private:
    using Snapshot = std::array<QJsonValue, ShapePropertyCount>;

    /// One reversible change inside an undo step.
    struct Action {
        enum class Type { SetProperty, Create, Delete };
        Type type = Type::SetProperty;
        QString shapeId;
        ShapeProperty property = ShapeProperty::Geometry;
        QJsonValue before;
        QJsonValue after;
        ShapeKind kind = ShapeKind::Rectangle; ///< Create / Delete
        Snapshot snapshot;                     ///< Create / Delete: the shape's state
    };
    using Step = QList<Action>;

    offline::HlcTimestamp nextStamp();
    QString newShapeId(const offline::HlcTimestamp &stamp) const;

    /// Applies `op` locally; false (and logged) when the model refuses it.
    bool applyLocal(const CanvasOp &op, QList<CanvasOp> &applied);
    /// Remembers the highest z-index key any accepted op carried.
    void noteZIndex(const CanvasOp &op);
    /// A key above every shape, without decoding the canvas: above the
    /// highest key ever seen, which is at least the top visible one.
    CanvasResult<QString> keyOnTop() const;
    /// Emits shapesChanged() for the shapes `ops` touched, then changed().
    void announce(const QList<CanvasOp> &ops);
    /// Writes one property of each shape, recording undo actions into `step`.
    void writeProperty(const QStringList &ids, ShapeProperty property,
                       const std::function<QJsonValue(const Shape &)> &value, QList<CanvasOp> &applied,
                       Step &step);
    /// Emits and records one user action.
    void finishAction(const QList<CanvasOp> &applied, const Step &step);
    void pushUndo(const Step &step);

    /// Performs `action` forwards (redo) or backwards (undo); returns the
    /// action as it should be stored afterwards (with a new id after a
    /// re-create), or nothing when it no longer applies.
    std::optional<Action> perform(Action action, bool forwards, QList<CanvasOp> &applied);
    /// A new shape with `snapshot`'s state under a new id; returns the id.
    std::optional<QString> recreate(ShapeKind kind, const Snapshot &snapshot, QList<CanvasOp> &applied);
    void remapShapeId(const QString &from, const QString &to);
    /// Pops steps from `from` until one applies, pushes it onto `to`.
    void travel(std::deque<Step> &from, std::deque<Step> &to, bool forwards);

    QString m_userId;
    quint64 m_nodeId;
    StampSource m_stamp;
    CanvasModel m_model;
    std::deque<Step> m_undo;
    std::deque<Step> m_redo;
    std::optional<Step> m_gesture;
    QString m_topKey; ///< the highest z-index key seen, "" before any
    bool m_gestureSentOps = false;
};

QJsonValue propertyValue(const Shape &shape, ShapeProperty property);

} // namespace tandem::canvas
