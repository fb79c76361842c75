#include "ui/canvas/ShapePainter.h"

#include <QFontMetricsF>
#include <QLineF>
#include <QPainter>
#include <QPainterPath>
#include <QtMath>

#include <algorithm>

namespace tandem::ui {

using canvas::Shape;
using canvas::ShapeKind;

QColor colorFromHex(const QString &hex)
{
    if (hex.size() == 9 && hex.startsWith(u'#')) {
        QColor color(hex.left(7));
        bool ok = false;
        const int alpha = hex.mid(7).toInt(&ok, 16);
        if (!color.isValid() || !ok)
            return {};
        color.setAlpha(alpha);
        return color;
    }
    if (hex.size() == 7 && hex.startsWith(u'#'))
        return QColor(hex);
    return {};
}

QString hexFromColor(const QColor &color)
{
    QString hex = color.name(QColor::HexRgb).toLower();
    if (color.alpha() != 255)
        hex += QStringLiteral("%1").arg(color.alpha(), 2, 16, QLatin1Char('0'));
    return hex;
}

QFont textBoxFont()
{
    QFont font;
    font.setPixelSize(16);
    return font;
}

QSizeF textBoxSize(const QString &text)
{
    const QFontMetricsF metrics(textBoxFont());
    const QRectF bounds = metrics.boundingRect(QRectF(0, 0, 1e6, 1e6), Qt::AlignLeft | Qt::AlignTop,
                                               text.isEmpty() ? QStringLiteral(" ") : text);
    return {bounds.width() + 2 * TextBoxPadding,
            std::max(bounds.height(), metrics.height()) + 2 * TextBoxPadding};
}

QRectF cornerRect(const Shape &shape)
{
    if (shape.points.isEmpty())
        return {};
    return QRectF(shape.points.first(), shape.points.last()).normalized();
}

QPolygonF arrowHead(QPointF from, QPointF to, double strokeWidth)
{
    const QLineF shaft(to, from);
    const double length = std::max(10.0, strokeWidth * 4);
    // Pointing back along the shaft, 25° either side.
    QLineF left = QLineF::fromPolar(length, shaft.angle() + 25).translated(to);
    QLineF right = QLineF::fromPolar(length, shaft.angle() - 25).translated(to);
    return QPolygonF({to, left.p2(), right.p2()});
}

QRectF shapeBounds(const Shape &shape)
{
    if (shape.points.isEmpty())
        return {};
    QRectF bounds;
    if (shape.kind == ShapeKind::Stroke) {
        double left = shape.points.first().x(), right = left;
        double top = shape.points.first().y(), bottom = top;
        for (const QPointF &point : shape.points) {
            left = std::min(left, point.x());
            right = std::max(right, point.x());
            top = std::min(top, point.y());
            bottom = std::max(bottom, point.y());
        }
        bounds = QRectF(QPointF(left, top), QPointF(right, bottom));
    } else {
        bounds = cornerRect(shape);
    }
    if (shape.kind == ShapeKind::Arrow && shape.points.size() >= 2)
        bounds |= arrowHead(shape.points.first(), shape.points.last(), shape.strokeWidth).boundingRect();
    const double half = shape.strokeWidth / 2 + 1;
    return bounds.adjusted(-half, -half, half, half);
}

namespace {

double distanceToSegment(QPointF point, QPointF a, QPointF b)
{
    const QPointF ab = b - a;
    const double lengthSquared = QPointF::dotProduct(ab, ab);
    double t = lengthSquared > 0 ? QPointF::dotProduct(point - a, ab) / lengthSquared : 0;
    t = std::clamp(t, 0.0, 1.0);
    const QPointF nearest = a + t * ab;
    return QLineF(point, nearest).length();
}

} // namespace

bool shapeContains(const Shape &shape, QPointF point, double tolerance)
{
    if (!shapeBounds(shape).adjusted(-tolerance, -tolerance, tolerance, tolerance).contains(point))
        return false;
    switch (shape.kind) {
    case ShapeKind::Rectangle:
    case ShapeKind::Ellipse:
    case ShapeKind::TextBox:
        // Grabbing anywhere inside is what people expect of closed shapes.
        return true;
    case ShapeKind::Stroke:
    case ShapeKind::Line:
    case ShapeKind::Arrow:
        break;
    }
    const double reach = shape.strokeWidth / 2 + tolerance;
    if (shape.points.size() == 1)
        return QLineF(point, shape.points.first()).length() <= reach;
    const bool polyline = shape.kind == ShapeKind::Stroke;
    for (qsizetype i = 1; i < shape.points.size(); ++i) {
        if (!polyline && i != shape.points.size() - 1)
            continue;
        const QPointF from = polyline ? shape.points[i - 1] : shape.points.first();
        if (distanceToSegment(point, from, shape.points[i]) <= reach)
            return true;
    }
    return false;
}

void paintShape(QPainter &painter, const Shape &shape)
{
    if (shape.points.isEmpty())
        return;
    const QColor stroke = colorFromHex(shape.strokeColor);
    const QColor fill = colorFromHex(shape.fill);
    QPen pen(stroke, shape.strokeWidth, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    if (shape.strokeWidth <= 0)
        pen = Qt::NoPen;
    painter.setPen(pen);
    painter.setBrush(fill.isValid() ? QBrush(fill) : Qt::NoBrush);
    const QPointF first = shape.points.first();
    const QPointF last = shape.points.last();

    switch (shape.kind) {
    case ShapeKind::Stroke:
        painter.setBrush(Qt::NoBrush);
        if (shape.points.size() == 1)
            painter.drawPoint(first);
        else
            painter.drawPolyline(shape.points.constData(), int(shape.points.size()));
        break;
    case ShapeKind::Line:
        painter.drawLine(first, last);
        break;
    case ShapeKind::Arrow:
        painter.drawLine(first, last);
        painter.setBrush(stroke);
        painter.drawPolygon(arrowHead(first, last, shape.strokeWidth));
        break;
    case ShapeKind::Rectangle:
        painter.drawRect(cornerRect(shape));
        break;
    case ShapeKind::Ellipse:
        painter.drawEllipse(cornerRect(shape));
        break;
    case ShapeKind::TextBox: {
        const QRectF box = cornerRect(shape);
        if (fill.isValid())
            painter.fillRect(box, fill);
        painter.setFont(textBoxFont());
        painter.setPen(stroke);
        painter.drawText(box.adjusted(TextBoxPadding, TextBoxPadding, -TextBoxPadding, -TextBoxPadding),
                         Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, shape.text);
        break;
    }
    }
}

} // namespace tandem::ui
