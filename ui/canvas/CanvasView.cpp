#include "ui/canvas/CanvasView.h"

#include "core/canvas/RemoteCursors.h"
#include "core/docs/UserColor.h"
#include "ui/canvas/ShapePainter.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QMouseEvent>
#include <QNativeGestureEvent>
#include <QPainter>
#include <QPolygonF>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <utility>

namespace tandem::ui {

using canvas::Shape;
using canvas::ShapeKind;

namespace {

/// Grab distance around thin shapes and handles, in widget pixels.
constexpr double GrabTolerancePx = 4;
constexpr double HandleSizePx = 8;
/// A press that moves less than this is a click, not a drag.
constexpr double DragThresholdPx = 3;
/// Wheel notches of 120 units scroll this many pixels.
constexpr double ScrollPerNotchPx = 40;
const QColor SelectionColor(0x1e, 0x88, 0xe5);

QRectF pointsRect(const QList<QPointF> &points)
{
    return QPolygonF(points).boundingRect();
}

std::optional<ShapeKind> kindForTool(CanvasView::Tool tool)
{
    switch (tool) {
    case CanvasView::Tool::Pen:
        return ShapeKind::Stroke;
    case CanvasView::Tool::Line:
        return ShapeKind::Line;
    case CanvasView::Tool::Arrow:
        return ShapeKind::Arrow;
    case CanvasView::Tool::Rectangle:
        return ShapeKind::Rectangle;
    case CanvasView::Tool::Ellipse:
        return ShapeKind::Ellipse;
    case CanvasView::Tool::Text:
        return ShapeKind::TextBox;
    case CanvasView::Tool::Select:
        break;
    }
    return std::nullopt;
}

/// A label with the user's name on their colour, its top left at `topLeft`.
void paintNameLabel(QPainter &painter, QPointF topLeft, const QString &text, const QColor &color)
{
    QFont font = painter.font();
    font.setPixelSize(12);
    painter.setFont(font);
    const QFontMetricsF metrics(font);
    const QRectF label(topLeft, QSizeF(metrics.horizontalAdvance(text) + 8, metrics.height() + 4));
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawRoundedRect(label, 3, 3);
    painter.setPen(Qt::white);
    painter.drawText(label, Qt::AlignCenter, text);
}

/// Arrow keys move the selection by a canvas unit, ten with Shift.
QPointF nudgeFor(const QKeyEvent *event)
{
    const Qt::KeyboardModifiers modifiers = event->modifiers() & ~Qt::KeypadModifier;
    if (modifiers != Qt::NoModifier && modifiers != Qt::ShiftModifier)
        return {};
    const double step = modifiers == Qt::ShiftModifier ? 10 : 1;
    switch (event->key()) {
    case Qt::Key_Left:
        return {-step, 0};
    case Qt::Key_Right:
        return {step, 0};
    case Qt::Key_Up:
        return {0, -step};
    case Qt::Key_Down:
        return {0, step};
    default:
        return {};
    }
}

} // namespace

CanvasView::CanvasView(canvas::CanvasEditor &editor, canvas::RemoteCursors *cursors, QWidget *parent)
    : QWidget(parent)
    , m_editor(editor)
    , m_cursors(cursors)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAttribute(Qt::WA_AcceptTouchEvents);
    setMinimumSize(200, 150);
    setAccessibleName(tr("Canvas"));
    setCursor(Qt::ArrowCursor);

    connect(&m_editor, &canvas::CanvasEditor::shapesChanged, this, &CanvasView::updateCache);

    m_liveUpdateTimer.setSingleShot(true);
    m_liveUpdateTimer.setInterval(LiveUpdateIntervalMs);
    connect(&m_liveUpdateTimer, &QTimer::timeout, this, [this] {
        if (m_previewPending)
            flushPreview();
    });

    m_animationTimer.setInterval(AnimationIntervalMs);
    connect(&m_animationTimer, &QTimer::timeout, this, [this] {
        update();
        if (!m_cursors || !m_cursors->isAnimating())
            m_animationTimer.stop();
    });
    if (m_cursors)
        connect(m_cursors, &canvas::RemoteCursors::changed, this, &CanvasView::onCursorsChanged);

    rebuildCache();
}

CanvasView::~CanvasView() = default;

// ---- state ----------------------------------------------------------------

void CanvasView::rebuildCache()
{
    const QList<Shape> shapes = m_editor.model().shapes();
    m_cache.clear();
    m_cacheIndex.clear();
    m_cache.reserve(shapes.size());
    for (const Shape &shape : shapes) {
        m_cacheIndex.insert(shape.id, m_cache.size());
        m_cache.append({shape, shapeBounds(shape)});
    }
    pruneSelection();
    m_layerValid = false;
    update();
}

void CanvasView::updateCache(const QStringList &ids)
{
    // Past this many, decoding everything once is cheaper than many inserts.
    constexpr qsizetype FullRebuildAbove = 512;
    if (ids.size() > FullRebuildAbove) {
        rebuildCache();
        return;
    }
    const auto renderOrder = [](const CachedShape &a, const CachedShape &b) {
        if (const int byKey = a.shape.zIndex.compare(b.shape.zIndex); byKey != 0)
            return byKey < 0;
        return a.shape.id < b.shape.id;
    };
    // Edits that keep a shape's place are done in place; the rest (new,
    // deleted, reordered) are removed and re-inserted at their sorted place.
    QList<qsizetype> removals;
    QList<CachedShape> insertions;
    for (const QString &id : ids) {
        std::optional<Shape> fresh = m_editor.model().shape(id);
        const auto cached = m_cacheIndex.constFind(id);
        const bool wasVisible = cached != m_cacheIndex.constEnd();
        if (wasVisible && fresh && m_cache[*cached].shape.zIndex == fresh->zIndex) {
            const QRectF bounds = shapeBounds(*fresh);
            m_cache[*cached] = {std::move(*fresh), bounds};
            continue;
        }
        if (wasVisible)
            removals.append(*cached);
        if (fresh) {
            const QRectF bounds = shapeBounds(*fresh);
            insertions.append({std::move(*fresh), bounds});
        }
    }
    if (!removals.isEmpty() || !insertions.isEmpty()) {
        std::sort(removals.begin(), removals.end(), std::greater<>());
        for (qsizetype index : std::as_const(removals))
            m_cache.removeAt(index);
        for (CachedShape &entry : insertions) {
            const auto at = std::lower_bound(m_cache.begin(), m_cache.end(), entry, renderOrder);
            m_cache.insert(at, std::move(entry));
        }
        m_cacheIndex.clear();
        for (qsizetype i = 0; i < m_cache.size(); ++i)
            m_cacheIndex.insert(m_cache[i].shape.id, i);
        pruneSelection();
    }
    m_layerValid = false;
    update();
}

QStringList CanvasView::shapeIdsInPaintOrder() const
{
    QStringList ids;
    ids.reserve(m_cache.size());
    for (const CachedShape &cached : m_cache)
        ids.append(cached.shape.id);
    return ids;
}

void CanvasView::pruneSelection()
{
    QStringList visible;
    for (const QString &id : std::as_const(m_selection)) {
        if (m_cacheIndex.contains(id))
            visible.append(id);
    }
    if (visible != m_selection) {
        m_selection = visible;
        Q_EMIT selectionChanged();
    }
}

const Shape *CanvasView::cachedShape(const QString &id) const
{
    const auto it = m_cacheIndex.constFind(id);
    return it == m_cacheIndex.constEnd() ? nullptr : &m_cache[*it].shape;
}

QList<QPointF> CanvasView::displayedPoints(const Shape &shape) const
{
    return m_preview.value(shape.id, shape.points);
}

QString CanvasView::shapeAt(QPointF canvasPosition) const
{
    const double tolerance = GrabTolerancePx / m_zoom;
    for (auto it = m_cache.crbegin(); it != m_cache.crend(); ++it) {
        if (!it->bounds.adjusted(-tolerance, -tolerance, tolerance, tolerance).contains(canvasPosition))
            continue;
        if (shapeContains(it->shape, canvasPosition, tolerance))
            return it->shape.id;
    }
    return {};
}

QRectF CanvasView::selectionBounds() const
{
    QRectF bounds;
    for (const QString &id : m_selection) {
        if (const Shape *shape = cachedShape(id)) {
            const QRectF rect = pointsRect(displayedPoints(*shape));
            bounds = bounds.isNull() ? rect : bounds.united(rect);
        }
    }
    return bounds;
}

int CanvasView::handleAt(QPointF widgetPosition) const
{
    if (m_selection.isEmpty())
        return -1;
    const QRectF bounds = selectionBounds();
    const QPointF corners[] = {bounds.topLeft(), bounds.topRight(), bounds.bottomRight(),
                               bounds.bottomLeft()};
    for (int i = 0; i < 4; ++i) {
        if (QLineF(mapFromCanvas(corners[i]), widgetPosition).length() <= HandleSizePx / 2 + GrabTolerancePx)
            return i;
    }
    return -1;
}

void CanvasView::setTool(Tool tool)
{
    if (m_textEdit)
        commitTextEdit();
    if (m_tool == tool)
        return;
    m_tool = tool;
    setCursor(tool == Tool::Select ? Qt::ArrowCursor
              : tool == Tool::Text ? Qt::IBeamCursor
                                   : Qt::CrossCursor);
    if (tool != Tool::Select)
        setSelection({});
    Q_EMIT toolChanged(tool);
}

void CanvasView::setStrokeColor(const QColor &color)
{
    m_strokeColor = color;
    if (!m_selection.isEmpty())
        m_editor.setStrokeColor(m_selection, hexFromColor(color));
}

void CanvasView::setFillColor(const QColor &color)
{
    m_fillColor = color;
    if (!m_selection.isEmpty())
        m_editor.setFill(m_selection, color.isValid() ? hexFromColor(color) : QString());
}

void CanvasView::setStrokeWidth(double width)
{
    m_strokeWidth = std::clamp(width, 0.0, canvas::MaxStrokeWidth);
    if (!m_selection.isEmpty())
        m_editor.setStrokeWidth(m_selection, m_strokeWidth);
}

void CanvasView::setSelection(const QStringList &ids)
{
    QStringList visible;
    for (const QString &id : ids) {
        if (m_cacheIndex.contains(id) && !visible.contains(id))
            visible.append(id);
    }
    if (visible == m_selection)
        return;
    m_selection = visible;
    update();
    Q_EMIT selectionChanged();
}

void CanvasView::deleteSelection()
{
    if (m_selection.isEmpty())
        return;
    const QStringList doomed = m_selection;
    setSelection({});
    m_editor.deleteShapes(doomed);
}

void CanvasView::bringSelectionToFront()
{
    m_editor.bringToFront(m_selection);
}

void CanvasView::sendSelectionToBack()
{
    m_editor.sendToBack(m_selection);
}

// ---- zoom and pan ---------------------------------------------------------

QPointF CanvasView::mapToCanvas(QPointF widgetPosition) const
{
    return (widgetPosition - m_offset) / m_zoom;
}

QPointF CanvasView::mapFromCanvas(QPointF canvasPosition) const
{
    return canvasPosition * m_zoom + m_offset;
}

void CanvasView::setZoom(double zoom, QPointF anchor)
{
    zoom = std::clamp(zoom, MinZoom, MaxZoom);
    if (qFuzzyCompare(zoom, m_zoom))
        return;
    const QPointF anchored = mapToCanvas(anchor);
    m_zoom = zoom;
    m_offset = anchor - anchored * m_zoom;
    update();
    Q_EMIT zoomChanged(m_zoom);
}

void CanvasView::zoomIn()
{
    setZoom(m_zoom * 1.25, rect().center());
}

void CanvasView::zoomOut()
{
    setZoom(m_zoom / 1.25, rect().center());
}

void CanvasView::resetView()
{
    m_offset = {};
    const bool zoomed = !qFuzzyCompare(m_zoom, 1.0);
    m_zoom = 1;
    update();
    if (zoomed)
        Q_EMIT zoomChanged(m_zoom);
}

void CanvasView::panBy(QPointF widgetDelta)
{
    // Whole pixels: a pan then shifts the cached layer and paints only the
    // strips it uncovered (a fraction of a pixel is invisible anyway).
    m_offset =
        QPointF(std::round(m_offset.x() + widgetDelta.x()), std::round(m_offset.y() + widgetDelta.y()));
    update();
}

// ---- painting -------------------------------------------------------------

void CanvasView::paintShapes(QPainter &painter, const QRectF &visible) const
{
    painter.save();
    painter.translate(m_offset);
    painter.scale(m_zoom, m_zoom);
    for (const CachedShape &cached : std::as_const(m_cache)) {
        if (!m_preview.isEmpty() && m_preview.contains(cached.shape.id)) {
            Shape moved = cached.shape;
            moved.points = m_preview.value(moved.id);
            if (shapeBounds(moved).intersects(visible))
                paintShape(painter, moved);
        } else if (cached.bounds.intersects(visible)) {
            paintShape(painter, cached.shape);
        }
    }
    painter.restore();
}

QRectF CanvasView::canvasRectOf(const QRect &widgetRect) const
{
    return QRectF(mapToCanvas(widgetRect.topLeft()), mapToCanvas(widgetRect.bottomRight() + QPoint(1, 1)));
}

void CanvasView::refreshLayer()
{
    // The layer reaches LayerMarginPx past every edge: the raster engine's
    // antialiasing differs slightly in the pixels at a device edge, so after a
    // pan only pixels that were inside the widget are reused, never an edge.
    const qreal ratio = devicePixelRatioF();
    const QRect layerRect = rect().adjusted(-LayerMarginPx, -LayerMarginPx, LayerMarginPx, LayerMarginPx);
    const QSize pixels = layerRect.size() * ratio;
    const QPointF shift = m_offset - m_layerOffset;
    const bool integralShift = shift.x() == std::round(shift.x()) && shift.y() == std::round(shift.y());
    const bool reusable = m_layerValid && m_layer.size() == pixels && m_layerZoom == m_zoom &&
                          integralShift && std::abs(shift.x()) < width() && std::abs(shift.y()) < height();
    if (reusable && shift.isNull())
        return;
    QPixmap next(pixels);
    next.setDevicePixelRatio(ratio);
    next.fill(Qt::white);
    QPainter painter(&next);
    painter.translate(LayerMarginPx, LayerMarginPx); // widget coordinates from here on
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setFont(font());
    if (reusable) {
        // A pan: what was painted inside the widget moves along; only what it uncovered is painted.
        const QRect kept = rect().translated(shift.toPoint());
        painter.save();
        painter.setClipRect(kept);
        painter.drawPixmap(layerRect.topLeft() + shift.toPoint(), m_layer);
        painter.restore();
        for (const QRect &strip : QRegion(layerRect) - QRegion(kept)) {
            painter.save();
            painter.setClipRect(strip);
            paintShapes(painter, canvasRectOf(strip));
            painter.restore();
        }
    } else {
        paintShapes(painter, canvasRectOf(layerRect));
    }
    painter.end();
    m_layer = std::move(next);
    m_layerOffset = m_offset;
    m_layerZoom = m_zoom;
    m_layerValid = true;
}

void CanvasView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF visible = canvasRectOf(rect());
    if (m_preview.isEmpty()) {
        // The shapes come from a cached layer: a cursor or selection repaint
        // only blits it, and a pan paints only the strip it uncovered.
        refreshLayer();
        painter.drawPixmap(-LayerMarginPx, -LayerMarginPx, m_layer);
    } else {
        // A drag shows preview geometry that is not in the model yet.
        painter.fillRect(rect(), Qt::white);
        paintShapes(painter, visible);
    }
    painter.save();
    painter.translate(m_offset);
    painter.scale(m_zoom, m_zoom);
    if (m_drag == Drag::Drawing) {
        if (const auto kind = kindForTool(m_tool)) {
            Shape draft;
            draft.kind = *kind;
            draft.points = m_draftPoints;
            draft.strokeColor = hexFromColor(m_strokeColor);
            draft.fill = m_fillColor.isValid() ? hexFromColor(m_fillColor) : QString();
            draft.strokeWidth = m_strokeWidth;
            paintShape(painter, draft);
        }
    }
    painter.restore();

    // Overlays keep their size whatever the zoom, so they are drawn in widget coordinates.
    for (const CachedShape &cached : std::as_const(m_cache)) {
        const QString &editor = cached.shape.editedBy;
        if (!editor.isEmpty() && editor != m_editor.userId() && cached.bounds.intersects(visible) &&
            (!m_isEditorPresent || m_isEditorPresent(editor)))
            paintEditingMark(painter, cached.shape, cached.bounds);
    }
    paintSelection(painter);
    if (m_drag == Drag::RubberBand) {
        const QRectF band = QRectF(mapFromCanvas(m_pressCanvas), mapFromCanvas(m_currentCanvas)).normalized();
        painter.setPen(QPen(SelectionColor, 1, Qt::DashLine));
        painter.setBrush(QColor(SelectionColor.red(), SelectionColor.green(), SelectionColor.blue(), 40));
        painter.drawRect(band);
    }
    paintCursors(painter);
}

void CanvasView::setEditorFilter(EditorFilter isPresent)
{
    m_isEditorPresent = std::move(isPresent);
    update();
}

void CanvasView::paintEditingMark(QPainter &painter, const Shape &shape, const QRectF &bounds)
{
    const QColor color(docs::userColorName(shape.editedBy));
    const QRectF frame =
        QRectF(mapFromCanvas(bounds.topLeft()), mapFromCanvas(bounds.bottomRight())).adjusted(-3, -3, 3, 3);
    painter.setPen(QPen(color, 2, Qt::DashLine));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(frame);
    paintNameLabel(painter, frame.topLeft() - QPointF(0, 20), shape.editedBy, color);
}

void CanvasView::paintSelection(QPainter &painter)
{
    if (m_selection.isEmpty())
        return;
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(SelectionColor, 1, Qt::DashLine));
    for (const QString &id : m_selection) {
        if (const Shape *shape = cachedShape(id)) {
            const QRectF rect = pointsRect(displayedPoints(*shape));
            painter.drawRect(QRectF(mapFromCanvas(rect.topLeft()), mapFromCanvas(rect.bottomRight()))
                                 .adjusted(-2, -2, 2, 2));
        }
    }
    const QRectF bounds = selectionBounds();
    painter.setPen(QPen(SelectionColor, 1));
    painter.setBrush(Qt::white);
    for (QPointF corner : {bounds.topLeft(), bounds.topRight(), bounds.bottomRight(), bounds.bottomLeft()}) {
        const QPointF center = mapFromCanvas(corner);
        painter.drawRect(
            QRectF(center - QPointF(HandleSizePx / 2, HandleSizePx / 2), QSizeF(HandleSizePx, HandleSizePx)));
    }
}

void CanvasView::paintCursors(QPainter &painter)
{
    if (!m_cursors)
        return;
    // A classic arrow pointer, tip at the origin.
    static const QPolygonF pointer({{0, 0}, {0, 17}, {4.5, 13}, {7.5, 20}, {10, 19}, {7, 12}, {12.5, 12}});
    for (const canvas::CursorView &cursor : m_cursors->viewsNow()) {
        const QPointF tip = mapFromCanvas(cursor.position);
        if (!rect().adjusted(-20, -20, 20, 20).contains(tip.toPoint()))
            continue;
        const QColor color(cursor.color);
        painter.save();
        painter.setOpacity(cursor.opacity);
        painter.translate(tip);
        painter.setPen(QPen(Qt::white, 1.5));
        painter.setBrush(color);
        painter.drawPolygon(pointer);
        const QString name = cursor.away ? tr("%1 (away)").arg(cursor.userId) : cursor.userId;
        paintNameLabel(painter, QPointF(12, 18), name, color);
        painter.restore();
    }
}

void CanvasView::onCursorsChanged()
{
    // While cursors glide, the animation timer repaints at display rate; 50
    // users at 30 Hz are 1,500 changes a second, and painting each one would
    // spend a core on frames nobody can see.
    if (m_animationTimer.isActive())
        return;
    update();
    if (m_cursors->isAnimating())
        m_animationTimer.start();
}

// ---- input ----------------------------------------------------------------

void CanvasView::mousePressEvent(QMouseEvent *event)
{
    setFocus(Qt::MouseFocusReason);
    if (m_textEdit)
        commitTextEdit();
    const QPointF widget = event->position();
    const QPointF canvasPosition = mapToCanvas(widget);
    m_pressCanvas = m_currentCanvas = canvasPosition;
    m_lastWidget = widget;

    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld)) {
        m_drag = Drag::Panning;
        setCursor(Qt::ClosedHandCursor);
        return;
    }
    if (event->button() != Qt::LeftButton)
        return;

    switch (m_tool) {
    case Tool::Select: {
        if (const int handle = handleAt(widget); handle >= 0) {
            beginMoveOrResize(canvasPosition, handle);
            return;
        }
        const QString hit = shapeAt(canvasPosition);
        const bool extend = event->modifiers().testFlag(Qt::ShiftModifier);
        if (hit.isEmpty()) {
            if (!extend)
                setSelection({});
            m_drag = Drag::RubberBand;
            return;
        }
        if (extend && m_selection.contains(hit)) {
            QStringList rest = m_selection;
            rest.removeAll(hit);
            setSelection(rest);
            return;
        }
        if (extend)
            setSelection(m_selection + QStringList{hit});
        else if (!m_selection.contains(hit))
            setSelection({hit});
        beginMoveOrResize(canvasPosition, -1);
        return;
    }
    case Tool::Text: {
        // Clicking an existing text box edits it rather than stacking a new one on it.
        const QString hit = shapeAt(canvasPosition);
        const Shape *shape = cachedShape(hit);
        if (shape && shape->kind == ShapeKind::TextBox)
            startTextEdit(cornerRect(*shape).topLeft(), hit);
        else
            startTextEdit(canvasPosition, {});
        return;
    }
    default:
        beginDrawing(canvasPosition);
        return;
    }
}

void CanvasView::mouseMoveEvent(QMouseEvent *event)
{
    const QPointF widget = event->position();
    const QPointF canvasPosition = mapToCanvas(widget);
    Q_EMIT pointerMoved(canvasPosition);
    const QPointF widgetDelta = widget - m_lastWidget;
    m_lastWidget = widget;
    m_currentCanvas = canvasPosition;

    switch (m_drag) {
    case Drag::None:
        if (m_tool == Tool::Select)
            setCursor(handleAt(widget) >= 0 ? Qt::SizeFDiagCursor : Qt::ArrowCursor);
        return;
    case Drag::Panning:
        panBy(widgetDelta);
        return;
    case Drag::Drawing:
        if (m_tool == Tool::Pen) {
            if (m_draftPoints.size() < canvas::MaxPoints &&
                QLineF(m_draftPoints.last(), canvasPosition).length() * m_zoom >= 1)
                m_draftPoints.append(canvasPosition);
        } else {
            m_draftPoints = {m_pressCanvas, canvasPosition};
        }
        update();
        return;
    case Drag::Moving:
    case Drag::Resizing:
        updatePreview(canvasPosition);
        return;
    case Drag::RubberBand:
        update();
        return;
    }
}

void CanvasView::mouseReleaseEvent(QMouseEvent *event)
{
    m_currentCanvas = mapToCanvas(event->position());
    switch (m_drag) {
    case Drag::None:
        return;
    case Drag::Panning:
        setCursor(m_spaceHeld              ? Qt::OpenHandCursor
                  : m_tool == Tool::Select ? Qt::ArrowCursor
                                           : Qt::CrossCursor);
        break;
    case Drag::Drawing:
        finishDrawing();
        break;
    case Drag::Moving:
    case Drag::Resizing:
        finishMoveOrResize();
        break;
    case Drag::RubberBand:
        finishRubberBand(event->modifiers().testFlag(Qt::ShiftModifier));
        break;
    }
    m_drag = Drag::None;
    update();
}

void CanvasView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (m_tool == Tool::Select && event->button() == Qt::LeftButton) {
        const QString hit = shapeAt(mapToCanvas(event->position()));
        const Shape *shape = cachedShape(hit);
        if (shape && shape->kind == ShapeKind::TextBox) {
            startTextEdit(cornerRect(*shape).topLeft(), hit);
            return;
        }
    }
    // Anything else is a second press like the first (a quick second stroke, click or drag).
    mousePressEvent(event);
}

void CanvasView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers().testFlag(Qt::ControlModifier)) {
        // 120 units (one notch) zoom by about 20 %.
        setZoom(m_zoom * std::pow(1.0015, event->angleDelta().y()), event->position());
    } else {
        QPointF delta = event->pixelDelta().isNull() ? QPointF(event->angleDelta()) / 120.0 * ScrollPerNotchPx
                                                     : QPointF(event->pixelDelta());
        if (event->modifiers().testFlag(Qt::ShiftModifier))
            delta = QPointF(delta.y(), delta.x());
        panBy(delta);
    }
    event->accept();
}

bool CanvasView::event(QEvent *event)
{
    if (event->type() == QEvent::NativeGesture) {
        auto *gesture = static_cast<QNativeGestureEvent *>(event);
        if (gesture->gestureType() == Qt::ZoomNativeGesture) {
            setZoom(m_zoom * (1 + gesture->value()), gesture->position());
            return true;
        }
    }
    return QWidget::event(event);
}

void CanvasView::keyPressEvent(QKeyEvent *event)
{
    const bool control = event->modifiers().testFlag(Qt::ControlModifier);
    if (event->matches(QKeySequence::Undo)) {
        m_editor.undo();
    } else if (event->matches(QKeySequence::Redo) || (control && event->key() == Qt::Key_Y) ||
               (control && event->modifiers().testFlag(Qt::ShiftModifier) && event->key() == Qt::Key_Z)) {
        m_editor.redo();
    } else if (event->key() == Qt::Key_Delete || event->key() == Qt::Key_Backspace) {
        deleteSelection();
    } else if (event->matches(QKeySequence::SelectAll)) {
        setTool(Tool::Select);
        setSelection(shapeIdsInPaintOrder());
    } else if (const QPointF nudge = nudgeFor(event); !nudge.isNull() && !m_selection.isEmpty()) {
        m_editor.moveShapes(m_selection, nudge);
    } else if (event->key() == Qt::Key_Escape) {
        cancelTextEdit();
        setSelection({});
    } else if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = true;
        setCursor(Qt::OpenHandCursor);
    } else if (control && (event->key() == Qt::Key_Plus || event->key() == Qt::Key_Equal)) {
        zoomIn();
    } else if (control && event->key() == Qt::Key_Minus) {
        zoomOut();
    } else if (control && event->key() == Qt::Key_0) {
        resetView();
    } else if (control && event->key() == Qt::Key_BracketRight) {
        bringSelectionToFront();
    } else if (control && event->key() == Qt::Key_BracketLeft) {
        sendSelectionToBack();
    } else if (event->modifiers() == Qt::NoModifier || event->modifiers() == Qt::KeypadModifier) {
        static const QHash<int, Tool> shortcuts{{Qt::Key_V, Tool::Select},    {Qt::Key_P, Tool::Pen},
                                                {Qt::Key_L, Tool::Line},      {Qt::Key_A, Tool::Arrow},
                                                {Qt::Key_R, Tool::Rectangle}, {Qt::Key_E, Tool::Ellipse},
                                                {Qt::Key_T, Tool::Text}};
        const auto it = shortcuts.constFind(event->key());
        if (it == shortcuts.constEnd()) {
            QWidget::keyPressEvent(event);
            return;
        }
        setTool(*it);
    } else {
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

void CanvasView::keyReleaseEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        setCursor(m_tool == Tool::Select ? Qt::ArrowCursor : Qt::CrossCursor);
        return;
    }
    QWidget::keyReleaseEvent(event);
}

void CanvasView::leaveEvent(QEvent *event)
{
    Q_EMIT pointerLeft();
    QWidget::leaveEvent(event);
}

// ---- gestures -------------------------------------------------------------

void CanvasView::beginDrawing(QPointF canvasPosition)
{
    m_drag = Drag::Drawing;
    m_draftPoints = {canvasPosition};
    if (m_tool != Tool::Pen)
        m_draftPoints.append(canvasPosition);
}

void CanvasView::finishDrawing()
{
    const auto kind = kindForTool(m_tool);
    const QList<QPointF> points = m_draftPoints;
    m_draftPoints.clear();
    if (!kind)
        return;
    // A click with a shape tool is not a shape; a click with the pen is a dot.
    if (*kind != ShapeKind::Stroke &&
        QLineF(points.first(), points.last()).length() * m_zoom < DragThresholdPx)
        return;
    canvas::NewShape shape;
    shape.kind = *kind;
    shape.points = points;
    shape.strokeColor = hexFromColor(m_strokeColor);
    shape.fill = m_fillColor.isValid() && *kind != ShapeKind::Stroke ? hexFromColor(m_fillColor) : QString();
    shape.strokeWidth = m_strokeWidth;
    if (const auto id = m_editor.createShape(shape); !id)
        qWarning("canvas: could not create the shape: %s", qPrintable(id.error().message));
}

void CanvasView::beginMoveOrResize(QPointF canvasPosition, int handle)
{
    m_drag = handle >= 0 ? Drag::Resizing : Drag::Moving;
    m_resizeHandle = handle;
    m_pressCanvas = canvasPosition;
    m_resizeFrom = selectionBounds();
    m_dragOrigin.clear();
    for (const QString &id : std::as_const(m_selection)) {
        if (const Shape *shape = cachedShape(id))
            m_dragOrigin.insert(id, shape->points);
    }
    m_preview.clear();
}

void CanvasView::updatePreview(QPointF canvasPosition)
{
    if (m_preview.isEmpty()) {
        // The gesture starts with the first real movement, so a plain click
        // sends nothing.
        if (QLineF(m_pressCanvas, canvasPosition).length() * m_zoom < DragThresholdPx)
            return;
        m_editor.beginGesture();
        m_editor.beginEditing(m_dragOrigin.keys());
    }
    if (m_drag == Drag::Moving) {
        const QPointF delta = canvasPosition - m_pressCanvas;
        for (auto it = m_dragOrigin.cbegin(); it != m_dragOrigin.cend(); ++it) {
            QList<QPointF> moved = it.value();
            for (QPointF &point : moved)
                point += delta;
            m_preview.insert(it.key(), moved);
        }
    } else {
        // The opposite corner stays put; every point keeps its relative place.
        const QRectF from = m_resizeFrom;
        const QPointF corners[] = {from.topLeft(), from.topRight(), from.bottomRight(), from.bottomLeft()};
        const QRectF to = QRectF(corners[(m_resizeHandle + 2) % 4], canvasPosition).normalized();
        const double scaleX = from.width() > 0 ? to.width() / from.width() : 1;
        const double scaleY = from.height() > 0 ? to.height() / from.height() : 1;
        for (auto it = m_dragOrigin.cbegin(); it != m_dragOrigin.cend(); ++it) {
            QList<QPointF> resized = it.value();
            for (QPointF &point : resized) {
                point = QPointF(to.left() + (point.x() - from.left()) * scaleX,
                                to.top() + (point.y() - from.top()) * scaleY);
            }
            m_preview.insert(it.key(), resized);
        }
    }
    m_previewPending = true;
    // Leading edge at once, then at most one update per interval; the
    // release sends the final geometry.
    if (!m_liveUpdateTimer.isActive()) {
        flushPreview();
        m_liveUpdateTimer.start();
    }
    update();
}

void CanvasView::flushPreview()
{
    m_previewPending = false;
    if (!m_preview.isEmpty())
        m_editor.setGeometries(m_preview);
}

void CanvasView::finishMoveOrResize()
{
    m_liveUpdateTimer.stop();
    if (!m_preview.isEmpty()) {
        flushPreview();
        m_editor.endGesture();
        m_editor.endEditing(m_dragOrigin.keys());
    }
    m_preview.clear();
    m_dragOrigin.clear();
    m_resizeHandle = -1;
}

void CanvasView::finishRubberBand(bool extend)
{
    const QRectF band = QRectF(m_pressCanvas, m_currentCanvas).normalized();
    QStringList picked = extend ? m_selection : QStringList();
    for (const CachedShape &cached : std::as_const(m_cache)) {
        if (band.intersects(cached.bounds) && !picked.contains(cached.shape.id))
            picked.append(cached.shape.id);
    }
    setSelection(picked);
}

// ---- text -----------------------------------------------------------------

void CanvasView::startTextEdit(QPointF canvasPosition, const QString &shapeId)
{
    if (m_textEdit)
        commitTextEdit();
    m_textShapeId = shapeId;
    m_textPosition = canvasPosition;
    m_textEdit = new QLineEdit(this);
    m_textEdit->setObjectName(QStringLiteral("canvasTextEdit"));
    m_textEdit->setAccessibleName(tr("Text box"));
    QFont font = textBoxFont();
    font.setPixelSize(std::max(6, int(std::lround(font.pixelSize() * m_zoom))));
    m_textEdit->setFont(font);
    if (const Shape *shape = cachedShape(shapeId)) {
        m_textEdit->setText(shape->text);
        m_editor.beginEditing({shapeId});
    }
    m_textEdit->move(mapFromCanvas(canvasPosition).toPoint());
    m_textEdit->resize(std::max(160, int(textBoxSize(m_textEdit->text()).width() * m_zoom) + 40),
                       m_textEdit->sizeHint().height());
    m_textEdit->show();
    m_textEdit->setFocus(Qt::OtherFocusReason);
    connect(m_textEdit, &QLineEdit::editingFinished, this, &CanvasView::commitTextEdit);
}

void CanvasView::commitTextEdit()
{
    if (!m_textEdit)
        return;
    // Detach first: deleting the editor moves focus, which finishes editing again.
    QLineEdit *edit = std::exchange(m_textEdit, nullptr);
    const QString text = edit->text();
    edit->hide();
    edit->deleteLater();
    setFocus(Qt::OtherFocusReason);

    const QRectF box(m_textPosition, textBoxSize(text));
    if (m_textShapeId.isEmpty()) {
        if (text.isEmpty())
            return;
        canvas::NewShape shape;
        shape.kind = ShapeKind::TextBox;
        shape.points = {box.topLeft(), box.bottomRight()};
        shape.strokeColor = hexFromColor(m_strokeColor);
        shape.fill = m_fillColor.isValid() ? hexFromColor(m_fillColor) : QString();
        shape.strokeWidth = m_strokeWidth;
        shape.text = text;
        if (const auto id = m_editor.createShape(shape); !id)
            qWarning("canvas: could not create the text box: %s", qPrintable(id.error().message));
        return;
    }
    const QString id = std::exchange(m_textShapeId, QString());
    m_editor.editText(id, text, {box.topLeft(), box.bottomRight()});
    m_editor.endEditing({id});
}

void CanvasView::cancelTextEdit()
{
    if (!m_textEdit)
        return;
    QLineEdit *edit = std::exchange(m_textEdit, nullptr);
    edit->hide();
    edit->deleteLater();
    if (!m_textShapeId.isEmpty())
        m_editor.endEditing({std::exchange(m_textShapeId, QString())});
}

} // namespace tandem::ui
