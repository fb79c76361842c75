#include "ui/canvas/CanvasExport.h"

#include "ui/canvas/ShapePainter.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace tandem::ui {

using canvas::Shape;
using canvas::ShapeKind;

QRectF canvasBounds(const canvas::CanvasModel &model)
{
    QRectF bounds;
    for (const Shape &shape : model.shapes())
        bounds |= shapeBounds(shape);
    return bounds;
}

QImage renderCanvasImage(const canvas::CanvasModel &model, double scale, int margin)
{
    QRectF bounds = canvasBounds(model);
    if (bounds.isEmpty())
        bounds = QRectF(0, 0, 1, 1);
    bounds.adjust(-margin, -margin, margin, margin);
    scale = std::min(scale, MaxExportSide / std::max(bounds.width(), bounds.height()));
    const QSize size(std::max(1, int(std::ceil(bounds.width() * scale))),
                     std::max(1, int(std::ceil(bounds.height() * scale))));
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.scale(scale, scale);
    painter.translate(-bounds.topLeft());
    for (const Shape &shape : model.shapes())
        paintShape(painter, shape);
    painter.end();
    return image;
}

namespace {

QString number(double value)
{
    return QString::number(value, 'g', 10);
}

/// XML 1.0 cannot hold most control characters, even escaped.
QString xmlText(const QString &text)
{
    QString clean;
    clean.reserve(text.size());
    for (QChar c : text) {
        if (c.unicode() >= 0x20 || c == u'\t' || c == u'\n' || c == u'\r')
            clean.append(c);
    }
    return clean.toHtmlEscaped();
}

/// SVG 1.1 has no #rrggbbaa: the colour and its opacity go in two attributes.
QString paint(const QString &attribute, const QString &hex)
{
    const QColor color = colorFromHex(hex);
    if (!color.isValid())
        return QStringLiteral(" %1=\"none\"").arg(attribute);
    QString text = QStringLiteral(" %1=\"%2\"").arg(attribute, color.name(QColor::HexRgb));
    if (color.alpha() != 255)
        text += QStringLiteral(" %1-opacity=\"%2\"").arg(attribute, number(color.alphaF()));
    return text;
}

QString strokeAttributes(const Shape &shape)
{
    if (shape.strokeWidth <= 0)
        return QStringLiteral(" stroke=\"none\"");
    return paint(QStringLiteral("stroke"), shape.strokeColor) +
           QStringLiteral(" stroke-width=\"%1\" stroke-linecap=\"round\" stroke-linejoin=\"round\"")
               .arg(number(shape.strokeWidth));
}

QString pointList(const QList<QPointF> &points)
{
    QStringList pairs;
    pairs.reserve(points.size());
    for (const QPointF &point : points)
        pairs.append(number(point.x()) + u',' + number(point.y()));
    return pairs.join(u' ');
}

QString shapeElement(const Shape &shape)
{
    const QString id = QStringLiteral(" id=\"shape-%1\"").arg(xmlText(shape.id));
    const QRectF box = cornerRect(shape);
    const QPointF first = shape.points.value(0);
    const QPointF last = shape.points.isEmpty() ? QPointF() : shape.points.last();
    switch (shape.kind) {
    case ShapeKind::Stroke:
        return QStringLiteral("<polyline%1 points=\"%2\" fill=\"none\"%3/>")
            .arg(id, pointList(shape.points), strokeAttributes(shape));
    case ShapeKind::Line:
        return QStringLiteral("<line%1 x1=\"%2\" y1=\"%3\" x2=\"%4\" y2=\"%5\"%6/>")
            .arg(id, number(first.x()), number(first.y()), number(last.x()), number(last.y()),
                 strokeAttributes(shape));
    case ShapeKind::Arrow:
        return QStringLiteral("<g%1><line x1=\"%2\" y1=\"%3\" x2=\"%4\" y2=\"%5\"%6/>"
                              "<polygon points=\"%7\"%8 stroke=\"none\"/></g>")
            .arg(id, number(first.x()), number(first.y()), number(last.x()), number(last.y()),
                 strokeAttributes(shape), pointList(arrowHead(first, last, shape.strokeWidth)),
                 paint(QStringLiteral("fill"), shape.strokeColor));
    case ShapeKind::Rectangle:
        return QStringLiteral("<rect%1 x=\"%2\" y=\"%3\" width=\"%4\" height=\"%5\"%6%7/>")
            .arg(id, number(box.x()), number(box.y()), number(box.width()), number(box.height()),
                 paint(QStringLiteral("fill"), shape.fill), strokeAttributes(shape));
    case ShapeKind::Ellipse:
        return QStringLiteral("<ellipse%1 cx=\"%2\" cy=\"%3\" rx=\"%4\" ry=\"%5\"%6%7/>")
            .arg(id, number(box.center().x()), number(box.center().y()), number(box.width() / 2),
                 number(box.height() / 2), paint(QStringLiteral("fill"), shape.fill),
                 strokeAttributes(shape));
    case ShapeKind::TextBox: {
        const QFont font = textBoxFont();
        const QFontMetricsF metrics(font);
        QString element = QStringLiteral("<g%1>").arg(id);
        if (colorFromHex(shape.fill).isValid()) {
            element += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\"%5/>")
                           .arg(number(box.x()), number(box.y()), number(box.width()), number(box.height()),
                                paint(QStringLiteral("fill"), shape.fill));
        }
        element += QStringLiteral("<text font-family=\"sans-serif\" font-size=\"%1\"%2>")
                       .arg(number(font.pixelSize()), paint(QStringLiteral("fill"), shape.strokeColor));
        const QStringList lines = shape.text.split(u'\n');
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const double baseline = box.y() + TextBoxPadding + metrics.ascent() + i * metrics.lineSpacing();
            element += QStringLiteral("<tspan x=\"%1\" y=\"%2\">%3</tspan>")
                           .arg(number(box.x() + TextBoxPadding), number(baseline), xmlText(lines[i]));
        }
        return element + QStringLiteral("</text></g>");
    }
    }
    return {};
}

} // namespace

QString canvasToSvg(const canvas::CanvasModel &model, int margin)
{
    QRectF bounds = canvasBounds(model);
    if (bounds.isEmpty())
        bounds = QRectF(0, 0, 1, 1);
    bounds.adjust(-margin, -margin, margin, margin);
    QString svg =
        QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
                       "width=\"%1\" height=\"%2\" viewBox=\"%3 %4 %1 %2\">\n")
            .arg(number(bounds.width()), number(bounds.height()), number(bounds.x()), number(bounds.y()));
    svg += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"#ffffff\"/>\n")
               .arg(number(bounds.x()), number(bounds.y()), number(bounds.width()), number(bounds.height()));
    for (const Shape &shape : model.shapes())
        svg += shapeElement(shape) + u'\n';
    svg += QStringLiteral("</svg>\n");
    return svg;
}

} // namespace tandem::ui
