#pragma once
// One change to the canvas, as a value: create a shape, set one property of
// it, or delete it. Every operation carries the HLC stamp it was made at and
// nothing else a replica needs to apply it, so it can wait in the offline
// mutation queue as JSON and be replayed, reordered or delivered twice.

#include "core/canvas/CanvasError.h"
#include "core/canvas/Shape.h"
#include "core/offline/HybridLogicalClock.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <array>

namespace tandem::canvas {

struct CanvasOp {
    enum class Type { Create, SetProperty, Delete };

    Type type = Type::SetProperty;
    QString shapeId;
    offline::HlcTimestamp stamp;
    /// Create only.
    ShapeKind kind = ShapeKind::Rectangle;
    /// Create: every property except EditedBy, in ShapeProperty order.
    /// SetProperty: only values[property] is used.
    std::array<QJsonValue, ShapePropertyCount> values;
    /// SetProperty only.
    ShapeProperty property = ShapeProperty::Geometry;

    /// A create that gives every property its value from `initial` (indexed
    /// by ShapeProperty) or, where that is null or undefined, its default.
    /// EditedBy is not part of a create: it is left undefined.
    static CanvasOp create(QString shapeId, ShapeKind kind,
                           std::array<QJsonValue, ShapePropertyCount> initial, offline::HlcTimestamp stamp);
    static CanvasOp setProperty(QString shapeId, ShapeProperty property, QJsonValue value,
                                offline::HlcTimestamp stamp);
    static CanvasOp remove(QString shapeId, offline::HlcTimestamp stamp);

    const QJsonValue &value() const { return values[static_cast<size_t>(property)]; }

    /// Every field present and in range; what fromJson() checks after parsing.
    CanvasResult<void> validate() const;

    /// {"op": "create"|"set"|"delete", "shape": id, "stamp": HLC text,
    ///  "kind": name, "props": {name: value, ...}}            (create)
    ///  "property": name, "value": value}                     (set)
    QJsonObject toJson() const;
    static CanvasResult<CanvasOp> fromJson(const QJsonObject &json);
    static CanvasResult<CanvasOp> fromJson(const QByteArray &bytes);
};

} // namespace tandem::canvas
