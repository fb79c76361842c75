#pragma once
// The canvas tab of a room: a toolbar (tools, stroke and fill colour, width,
// undo and redo, zoom, PNG and SVG export) over the CanvasView.

#include "ui/canvas/CanvasView.h"

#include <QHash>
#include <QWidget>

class QAbstractButton;
class QButtonGroup;
class QLabel;
class QSpinBox;
class QToolBar;
class QToolButton;

namespace tandem::ui {

class CanvasTab : public QWidget {
    Q_OBJECT

public:
    /// `editor` and `cursors` (may be null) must outlive the tab.
    CanvasTab(canvas::CanvasEditor &editor, canvas::RemoteCursors *cursors, QWidget *parent = nullptr);

    CanvasView *view() const { return m_view; }
    /// The tool button of `tool` (object name "canvasTool<Name>").
    QToolButton *toolButton(CanvasView::Tool tool) const { return m_toolButtons.value(tool); }

    /// Write the canvas to a file; false with a message in `error` on failure.
    bool exportPng(const QString &path, QString *error = nullptr) const;
    bool exportSvg(const QString &path, QString *error = nullptr) const;

private:
    QToolButton *addButton(QToolBar *toolbar, const QString &objectName, const QString &text,
                           const QString &tip);
    void chooseStrokeColor();
    void chooseFillColor();
    void updateColorButtons();
    void updateUndoButtons();
    void updateZoomLabel();
    void exportPngWithDialog();
    void exportSvgWithDialog();

    canvas::CanvasEditor &m_editor;
    CanvasView *m_view;
    QButtonGroup *m_tools;
    QHash<CanvasView::Tool, QToolButton *> m_toolButtons;
    QToolButton *m_strokeButton;
    QToolButton *m_fillButton;
    QToolButton *m_noFillButton;
    QSpinBox *m_width;
    QToolButton *m_undoButton;
    QToolButton *m_redoButton;
    QLabel *m_zoomLabel;
};

} // namespace tandem::ui
