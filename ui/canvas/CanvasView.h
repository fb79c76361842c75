#pragma once
// The canvas on screen: paints one room's shapes, the "being edited by" marks
// and the other users' live cursors, and turns mouse, wheel and keyboard
// input into CanvasEditor actions (draw, select, move, resize, delete, undo),
// with zoom and pan. Decoded shapes and their bounding boxes are cached on
// every model change, so a repaint culls without touching JSON.

#include "core/canvas/CanvasEditor.h"

#include <QHash>
#include <QList>
#include <QPixmap>
#include <QPointF>
#include <QRectF>
#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <functional>

class QLineEdit;

namespace tandem::canvas {
class RemoteCursors;
}

namespace tandem::ui {

class CanvasView : public QWidget {
    Q_OBJECT

public:
    enum class Tool { Select, Pen, Line, Arrow, Rectangle, Ellipse, Text };
    Q_ENUM(Tool)

    static constexpr double MinZoom = 0.1;
    static constexpr double MaxZoom = 8.0;
    /// Live geometry updates during a drag go out at most this often.
    static constexpr int LiveUpdateIntervalMs = 50;
    /// Repaint interval while remote cursors glide or fade.
    static constexpr int AnimationIntervalMs = 16;
    /// How far the cached shapes layer reaches past each edge of the view.
    static constexpr int LayerMarginPx = 4;

    /// `cursors` may be null (no live cursors); both must outlive the view.
    CanvasView(canvas::CanvasEditor &editor, canvas::RemoteCursors *cursors, QWidget *parent = nullptr);
    ~CanvasView() override;

    Tool tool() const { return m_tool; }
    void setTool(Tool tool);

    /// The style of new shapes; setting one also restyles the selection.
    QColor strokeColor() const { return m_strokeColor; }
    void setStrokeColor(const QColor &color);
    /// Invalid for "no fill".
    QColor fillColor() const { return m_fillColor; }
    void setFillColor(const QColor &color);
    double strokeWidth() const { return m_strokeWidth; }
    void setStrokeWidth(double width);

    /// Whether a user's "being edited by" mark is still meaningful (its user is
    /// here); a mark left by someone whose app died mid-drag is not drawn.
    /// Default: every mark is drawn.
    using EditorFilter = std::function<bool(const QString &userId)>;
    void setEditorFilter(EditorFilter isPresent);

    QStringList selection() const { return m_selection; }
    /// The ids the view paints, back to front (its cache of the model's order).
    QStringList shapeIdsInPaintOrder() const;
    void setSelection(const QStringList &ids);
    void deleteSelection();
    void bringSelectionToFront();
    void sendSelectionToBack();

    double zoom() const { return m_zoom; }
    /// Zooms to `zoom` (clamped) keeping the canvas point under `anchor` (widget coordinates) still.
    void setZoom(double zoom, QPointF anchor);
    void zoomIn();
    void zoomOut();
    /// 100 % with the canvas origin at the top left.
    void resetView();
    void panBy(QPointF widgetDelta);

    QPointF mapToCanvas(QPointF widgetPosition) const;
    QPointF mapFromCanvas(QPointF canvasPosition) const;

Q_SIGNALS:
    /// Every mouse move over the canvas, in canvas coordinates (for live cursors).
    void pointerMoved(QPointF canvasPosition);
    void pointerLeft();
    void toolChanged(tandem::ui::CanvasView::Tool tool);
    void selectionChanged();
    void zoomChanged(double zoom);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;
    void leaveEvent(QEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct CachedShape {
        canvas::Shape shape;
        QRectF bounds;
    };
    enum class Drag { None, Drawing, Moving, Resizing, RubberBand, Panning };

    void rebuildCache();
    /// Updates the cache for the shapes `ids` only (a full rebuild for big batches).
    void updateCache(const QStringList &ids);
    /// Drops selected ids that are no longer visible.
    void pruneSelection();
    const canvas::Shape *cachedShape(const QString &id) const;
    /// The topmost shape at a canvas point, or "".
    QString shapeAt(QPointF canvasPosition) const;
    /// Bounds of the selection, preview geometry included.
    QRectF selectionBounds() const;
    /// The corner handle (0..3: top left, top right, bottom right, bottom left) under a widget point, or -1.
    int handleAt(QPointF widgetPosition) const;
    QList<QPointF> displayedPoints(const canvas::Shape &shape) const;

    void beginDrawing(QPointF canvasPosition);
    void finishDrawing();
    void beginMoveOrResize(QPointF canvasPosition, int handle);
    void updatePreview(QPointF canvasPosition);
    /// Sends the preview geometry now (the live update of a drag).
    void flushPreview();
    void finishMoveOrResize();
    void finishRubberBand(bool extend);

    void startTextEdit(QPointF canvasPosition, const QString &shapeId);
    void commitTextEdit();
    void cancelTextEdit();

    /// The shapes (with any drag preview) whose bounds meet `visible` (canvas coordinates).
    void paintShapes(QPainter &painter, const QRectF &visible) const;
    QRectF canvasRectOf(const QRect &widgetRect) const;
    /// Brings m_layer up to the current view: nothing when it is, the
    /// uncovered strips after an integral pan, everything otherwise.
    void refreshLayer();
    void paintEditingMark(QPainter &painter, const canvas::Shape &shape, const QRectF &bounds);
    void paintSelection(QPainter &painter);
    void paintCursors(QPainter &painter);
    void onCursorsChanged();

    canvas::CanvasEditor &m_editor;
    canvas::RemoteCursors *m_cursors;
    Tool m_tool = Tool::Select;
    QColor m_strokeColor = Qt::black;
    QColor m_fillColor;
    double m_strokeWidth = 2;

    QList<CachedShape> m_cache;
    QHash<QString, qsizetype> m_cacheIndex;
    QStringList m_selection;
    EditorFilter m_isEditorPresent;
    QPixmap m_layer; ///< the shapes as painted at m_layerOffset / m_layerZoom, widget-sized
    QPointF m_layerOffset;
    double m_layerZoom = 0;
    bool m_layerValid = false; ///< false after any change to the shapes

    double m_zoom = 1;
    QPointF m_offset; ///< widget position of the canvas origin

    Drag m_drag = Drag::None;
    QPointF m_pressCanvas;
    QPointF m_lastWidget;
    QPointF m_currentCanvas;
    QList<QPointF> m_draftPoints;
    int m_resizeHandle = -1;
    QRectF m_resizeFrom;
    QHash<QString, QList<QPointF>> m_dragOrigin;
    QHash<QString, QList<QPointF>> m_preview;
    bool m_previewPending = false;
    QTimer m_liveUpdateTimer;
    bool m_spaceHeld = false;

    QLineEdit *m_textEdit = nullptr;
    QString m_textShapeId; ///< "" while typing a new text box
    QPointF m_textPosition;

    QTimer m_animationTimer;
};

} // namespace tandem::ui
