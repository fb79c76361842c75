#pragma once
// How a canvas shape looks, in one place: the on-screen view and the PNG
// export paint through paintShape(), and the SVG export and the view's
// culling and hit testing use the same geometry helpers, so the three never
// drift apart.

#include "core/canvas/Shape.h"

#include <QColor>
#include <QFont>
#include <QPolygonF>
#include <QRectF>

class QPainter;

namespace tandem::ui {

/// "#rrggbb" or "#rrggbbaa" (the model's format; QColor reads 8 digits as
/// #aarrggbb). Invalid for "" and anything else.
QColor colorFromHex(const QString &hex);
/// The model's format: "#rrggbb", or "#rrggbbaa" when not opaque.
QString hexFromColor(const QColor &color);

/// The font of text boxes, in canvas units.
QFont textBoxFont();
/// The size a text box needs for `text` (at least one line high).
QSizeF textBoxSize(const QString &text);
/// Inner padding of a text box.
inline constexpr double TextBoxPadding = 4;

/// The rectangle spanned by a shape's first and last point.
QRectF cornerRect(const canvas::Shape &shape);
/// The filled triangle at the end of an arrow from `from` to `to`.
QPolygonF arrowHead(QPointF from, QPointF to, double strokeWidth);
/// Everything the shape paints, stroke width and arrow head included.
QRectF shapeBounds(const canvas::Shape &shape);
/// Whether `point` (canvas units) is on the shape, with `tolerance` slack.
bool shapeContains(const canvas::Shape &shape, QPointF point, double tolerance);

/// Paints the shape in canvas coordinates on `painter`'s current transform.
void paintShape(QPainter &painter, const canvas::Shape &shape);

} // namespace tandem::ui
