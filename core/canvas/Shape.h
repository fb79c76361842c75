#pragma once
// What a shape is: its kind, the properties each shape carries, the JSON form
// and the valid range of every property value, and the decoded Shape that a
// renderer reads. Property values are kept as JSON so that an operation is a
// self-contained value that can be queued, stored and sent as is.

#include "core/canvas/CanvasError.h"
#include "core/offline/HybridLogicalClock.h"

#include <QJsonValue>
#include <QList>
#include <QPointF>
#include <QString>

#include <array>
#include <optional>

namespace tandem::canvas {

enum class ShapeKind { Stroke, Line, Arrow, Rectangle, Ellipse, TextBox };

/// Every property is its own last-write-wins register.
enum class ShapeProperty {
    Geometry,    ///< [[x, y], ...]: a stroke's points; two corners or ends otherwise
    StrokeColor, ///< "#rrggbb" or "#rrggbbaa"
    Fill,        ///< "" (none) or a colour
    StrokeWidth, ///< a number in [0, MaxStrokeWidth]
    ZIndex,      ///< a FractionalIndex key
    Text,        ///< a text box's text; ignored for other kinds
    EditedBy,    ///< the user id of whoever is editing the shape now, "" for nobody
};
inline constexpr int ShapePropertyCount = 7;

inline constexpr qsizetype MaxPoints = 100'000;
inline constexpr double MaxStrokeWidth = 1000.0;
inline constexpr double MaxCoordinate = 1e9;
inline constexpr qsizetype MaxTextLength = 100'000;
inline constexpr qsizetype MaxIdLength = 256;

QString shapeKindName(ShapeKind kind);
std::optional<ShapeKind> shapeKindFromName(QStringView name);
QString shapePropertyName(ShapeProperty property);
std::optional<ShapeProperty> shapePropertyFromName(QStringView name);

/// Refuses (InvalidValue) a value the property cannot hold.
CanvasResult<void> validatePropertyValue(ShapeProperty property, const QJsonValue &value);
/// The value a create gives a property it does not mention.
QJsonValue defaultPropertyValue(ShapeProperty property);

QJsonValue encodePoints(const QList<QPointF> &points);
/// Only for values that validatePropertyValue(Geometry) accepted.
QList<QPointF> decodePoints(const QJsonValue &value);

/// A visible shape, decoded for rendering.
struct Shape {
    QString id;
    ShapeKind kind = ShapeKind::Rectangle;
    QList<QPointF> points;
    QString strokeColor;
    QString fill;
    double strokeWidth = 0;
    QString zIndex;
    QString text;
    QString editedBy; ///< empty when nobody is editing it

    friend bool operator==(const Shape &, const Shape &) = default;
};

} // namespace tandem::canvas
