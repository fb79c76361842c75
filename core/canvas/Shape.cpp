#include "core/canvas/Shape.h"

#include "core/canvas/FractionalIndex.h"

#include <QJsonArray>

#include <cmath>

namespace tandem::canvas {

namespace {

constexpr std::array<const char *, 6> KindNames = {"stroke", "line", "arrow", "rectangle", "ellipse", "text"};
constexpr std::array<const char *, ShapePropertyCount> PropertyNames = {
    "geometry", "strokeColor", "fill", "strokeWidth", "zIndex", "text", "editedBy"};

bool isColour(const QString &text)
{
    if (text.size() != 7 && text.size() != 9)
        return false;
    if (text[0] != QLatin1Char('#'))
        return false;
    for (qsizetype i = 1; i < text.size(); ++i) {
        const char16_t u = text[i].unicode();
        const bool hex = (u >= '0' && u <= '9') || (u >= 'a' && u <= 'f');
        if (!hex)
            return false;
    }
    return true;
}

bool isCoordinate(const QJsonValue &value)
{
    return value.isDouble() && std::isfinite(value.toDouble()) && std::abs(value.toDouble()) <= MaxCoordinate;
}

CanvasResult<void> invalid(ShapeProperty property, const char *why)
{
    return canvasError(CanvasErrorCode::InvalidValue,
                       shapePropertyName(property) + QStringLiteral(": ") + QLatin1String(why));
}

} // namespace

QString shapeKindName(ShapeKind kind)
{
    return QLatin1String(KindNames[static_cast<size_t>(kind)]);
}

std::optional<ShapeKind> shapeKindFromName(QStringView name)
{
    for (size_t i = 0; i < KindNames.size(); ++i) {
        if (name == QLatin1String(KindNames[i]))
            return static_cast<ShapeKind>(i);
    }
    return std::nullopt;
}

QString shapePropertyName(ShapeProperty property)
{
    return QLatin1String(PropertyNames[static_cast<size_t>(property)]);
}

std::optional<ShapeProperty> shapePropertyFromName(QStringView name)
{
    for (size_t i = 0; i < PropertyNames.size(); ++i) {
        if (name == QLatin1String(PropertyNames[i]))
            return static_cast<ShapeProperty>(i);
    }
    return std::nullopt;
}

CanvasResult<void> validatePropertyValue(ShapeProperty property, const QJsonValue &value)
{
    switch (property) {
    case ShapeProperty::Geometry: {
        if (!value.isArray())
            return invalid(property, "not an array of points");
        const QJsonArray points = value.toArray();
        if (points.isEmpty() || points.size() > MaxPoints)
            return invalid(property, "needs 1 to 100000 points");
        for (const QJsonValue &point : points) {
            const QJsonArray xy = point.toArray();
            if (!point.isArray() || xy.size() != 2 || !isCoordinate(xy[0]) || !isCoordinate(xy[1]))
                return invalid(property, "a point is not [x, y] with finite coordinates");
        }
        return {};
    }
    case ShapeProperty::StrokeColor:
        if (!value.isString() || !isColour(value.toString()))
            return invalid(property, "not #rrggbb or #rrggbbaa in lowercase hex");
        return {};
    case ShapeProperty::Fill:
        if (!value.isString() || (!value.toString().isEmpty() && !isColour(value.toString())))
            return invalid(property, "not empty or #rrggbb or #rrggbbaa in lowercase hex");
        return {};
    case ShapeProperty::StrokeWidth:
        if (!value.isDouble() || !std::isfinite(value.toDouble()) || value.toDouble() < 0 ||
            value.toDouble() > MaxStrokeWidth)
            return invalid(property, "not a number in [0, 1000]");
        return {};
    case ShapeProperty::ZIndex:
        if (!value.isString() || !FractionalIndex::isValidKey(value.toString()))
            return invalid(property, "not a fractional index key");
        return {};
    case ShapeProperty::Text:
        if (!value.isString() || value.toString().size() > MaxTextLength)
            return invalid(property, "not a string of at most 100000 characters");
        return {};
    case ShapeProperty::EditedBy:
        if (!value.isString() || value.toString().size() > MaxIdLength)
            return invalid(property, "not a user id");
        return {};
    }
    return invalid(property, "unknown property");
}

QJsonValue defaultPropertyValue(ShapeProperty property)
{
    switch (property) {
    case ShapeProperty::Geometry:
        return QJsonArray{QJsonArray{0.0, 0.0}};
    case ShapeProperty::StrokeColor:
        return QStringLiteral("#000000");
    case ShapeProperty::StrokeWidth:
        return 1.0;
    case ShapeProperty::ZIndex:
        return QStringLiteral("V");
    case ShapeProperty::Fill:
    case ShapeProperty::Text:
    case ShapeProperty::EditedBy:
        break;
    }
    return QString();
}

QJsonValue encodePoints(const QList<QPointF> &points)
{
    QJsonArray array;
    for (const QPointF &point : points)
        array.append(QJsonArray{point.x(), point.y()});
    return array;
}

QList<QPointF> decodePoints(const QJsonValue &value)
{
    QList<QPointF> points;
    const QJsonArray array = value.toArray();
    points.reserve(array.size());
    for (const QJsonValue &point : array) {
        const QJsonArray xy = point.toArray();
        points.append(QPointF(xy[0].toDouble(), xy[1].toDouble()));
    }
    return points;
}

} // namespace tandem::canvas
