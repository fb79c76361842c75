#include "ui/canvas/CanvasTab.h"

#include "ui/canvas/CanvasExport.h"
#include "ui/canvas/ShapePainter.h"

#include <QBuffer>
#include <QButtonGroup>
#include <QColorDialog>
#include <QFileDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QPixmap>
#include <QSaveFile>
#include <QSpinBox>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace tandem::ui {

namespace {

struct ToolInfo {
    CanvasView::Tool tool;
    const char *objectName;
    const char *label;
    const char *tip;
};

// Labels and tips are translated where they are used, in CanvasTab's context.
const ToolInfo Tools[] = {
    {CanvasView::Tool::Select, "canvasToolSelect", QT_TRANSLATE_NOOP("tandem::ui::CanvasTab", "Select"),
     QT_TRANSLATE_NOOP("tandem::ui::CanvasTab", "Select, move and resize shapes (V)")},
    {CanvasView::Tool::Pen, "canvasToolPen", QT_TRANSLATE_NOOP("tandem::ui::CanvasTab", "Pen"),
     QT_TRANSLATE_NOOP("tandem::ui::CanvasTab", "Draw freehand (P)")},
    {CanvasView::Tool::Line, "canvasToolLine", QT_TRANSLATE_NOOP("tandem::ui::CanvasTab", "Line"),
     QT_TRANSLATE_NOOP("tandem::ui::CanvasTab", "Draw a line (L)")},
    {CanvasView::Tool::Arrow, "canvasToolArrow", QT_TRANSLATE_NOOP("tandem::ui::CanvasTab", "Arrow"),
     QT_TRANSLATE_NOOP("tandem::ui::CanvasTab", "Draw an arrow (A)")},
    {CanvasView::Tool::Rectangle, "canvasToolRectangle",
     QT_TRANSLATE_NOOP("tandem::ui::CanvasTab", "Rectangle"),
     QT_TRANSLATE_NOOP("tandem::ui::CanvasTab", "Draw a rectangle (R)")},
    {CanvasView::Tool::Ellipse, "canvasToolEllipse", QT_TRANSLATE_NOOP("tandem::ui::CanvasTab", "Ellipse"),
     QT_TRANSLATE_NOOP("tandem::ui::CanvasTab", "Draw an ellipse (E)")},
    {CanvasView::Tool::Text, "canvasToolText", QT_TRANSLATE_NOOP("tandem::ui::CanvasTab", "Text"),
     QT_TRANSLATE_NOOP("tandem::ui::CanvasTab", "Add a text box (T)")},
};

QIcon swatch(const QColor &color)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setPen(Qt::gray);
    if (color.isValid()) {
        painter.setBrush(color);
        painter.drawRect(0, 0, 15, 15);
    } else {
        // No fill: an empty square struck through.
        painter.setBrush(Qt::white);
        painter.drawRect(0, 0, 15, 15);
        painter.setPen(Qt::red);
        painter.drawLine(1, 14, 14, 1);
    }
    return QIcon(pixmap);
}

bool writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace

CanvasTab::CanvasTab(canvas::CanvasEditor &editor, canvas::RemoteCursors *cursors, QWidget *parent)
    : QWidget(parent)
    , m_editor(editor)
    , m_view(new CanvasView(editor, cursors, this))
    , m_tools(new QButtonGroup(this))
{
    m_view->setObjectName(QStringLiteral("canvasView"));
    auto *toolbar = new QToolBar(tr("Canvas tools"), this);
    toolbar->setObjectName(QStringLiteral("canvasToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    m_tools->setExclusive(true);
    for (const ToolInfo &info : Tools) {
        QToolButton *button =
            addButton(toolbar, QLatin1String(info.objectName), tr(info.label), tr(info.tip));
        button->setCheckable(true);
        button->setChecked(info.tool == m_view->tool());
        m_tools->addButton(button, int(info.tool));
        m_toolButtons.insert(info.tool, button);
    }
    connect(m_tools, &QButtonGroup::idClicked, this,
            [this](int id) { m_view->setTool(static_cast<CanvasView::Tool>(id)); });
    connect(m_view, &CanvasView::toolChanged, this, [this](CanvasView::Tool tool) {
        if (QToolButton *button = m_toolButtons.value(tool))
            button->setChecked(true);
    });
    toolbar->addSeparator();

    m_strokeButton = addButton(toolbar, QStringLiteral("canvasStrokeColor"), tr("Stroke"),
                               tr("Choose the outline colour of new and selected shapes"));
    connect(m_strokeButton, &QToolButton::clicked, this, &CanvasTab::chooseStrokeColor);
    m_fillButton = addButton(toolbar, QStringLiteral("canvasFillColor"), tr("Fill"),
                             tr("Choose the fill colour of new and selected shapes"));
    connect(m_fillButton, &QToolButton::clicked, this, &CanvasTab::chooseFillColor);
    m_noFillButton = addButton(toolbar, QStringLiteral("canvasNoFill"), tr("No fill"),
                               tr("Draw new and selected shapes without a fill"));
    connect(m_noFillButton, &QToolButton::clicked, this, [this] {
        m_view->setFillColor(QColor());
        updateColorButtons();
    });

    m_width = new QSpinBox(this);
    m_width->setObjectName(QStringLiteral("canvasStrokeWidth"));
    m_width->setRange(1, 50);
    m_width->setValue(int(m_view->strokeWidth()));
    m_width->setSuffix(tr(" px"));
    m_width->setAccessibleName(tr("Stroke width"));
    m_width->setToolTip(tr("Outline width of new and selected shapes"));
    toolbar->addWidget(m_width);
    connect(m_width, &QSpinBox::valueChanged, this, [this](int width) { m_view->setStrokeWidth(width); });
    toolbar->addSeparator();

    QToolButton *front = addButton(toolbar, QStringLiteral("canvasBringToFront"), tr("To front"),
                                   tr("Bring the selected shapes to the front (Ctrl+])"));
    connect(front, &QToolButton::clicked, m_view, &CanvasView::bringSelectionToFront);
    QToolButton *back = addButton(toolbar, QStringLiteral("canvasSendToBack"), tr("To back"),
                                  tr("Send the selected shapes to the back (Ctrl+[)"));
    connect(back, &QToolButton::clicked, m_view, &CanvasView::sendSelectionToBack);
    auto enableForSelection = [this, front, back] {
        front->setEnabled(!m_view->selection().isEmpty());
        back->setEnabled(!m_view->selection().isEmpty());
    };
    connect(m_view, &CanvasView::selectionChanged, this, enableForSelection);
    enableForSelection();
    toolbar->addSeparator();

    m_undoButton =
        addButton(toolbar, QStringLiteral("canvasUndo"), tr("Undo"), tr("Undo your last change (Ctrl+Z)"));
    connect(m_undoButton, &QToolButton::clicked, &m_editor, &canvas::CanvasEditor::undo);
    m_redoButton = addButton(toolbar, QStringLiteral("canvasRedo"), tr("Redo"),
                             tr("Redo your last undone change (Ctrl+Shift+Z)"));
    connect(m_redoButton, &QToolButton::clicked, &m_editor, &canvas::CanvasEditor::redo);
    connect(&m_editor, &canvas::CanvasEditor::undoStateChanged, this, &CanvasTab::updateUndoButtons);
    toolbar->addSeparator();

    QToolButton *zoomOut =
        addButton(toolbar, QStringLiteral("canvasZoomOut"), tr("−"), tr("Zoom out (Ctrl+-)"));
    zoomOut->setAccessibleName(tr("Zoom out"));
    connect(zoomOut, &QToolButton::clicked, m_view, &CanvasView::zoomOut);
    m_zoomLabel = new QLabel(this);
    m_zoomLabel->setObjectName(QStringLiteral("canvasZoomLabel"));
    m_zoomLabel->setAccessibleName(tr("Zoom level"));
    toolbar->addWidget(m_zoomLabel);
    QToolButton *zoomIn = addButton(toolbar, QStringLiteral("canvasZoomIn"), tr("+"), tr("Zoom in (Ctrl++)"));
    zoomIn->setAccessibleName(tr("Zoom in"));
    connect(zoomIn, &QToolButton::clicked, m_view, &CanvasView::zoomIn);
    QToolButton *zoomReset = addButton(toolbar, QStringLiteral("canvasZoomReset"), tr("Actual size"),
                                       tr("Back to 100% at the origin (Ctrl+0)"));
    zoomReset->setAccessibleName(tr("Reset zoom"));
    connect(zoomReset, &QToolButton::clicked, m_view, &CanvasView::resetView);
    connect(m_view, &CanvasView::zoomChanged, this, &CanvasTab::updateZoomLabel);
    toolbar->addSeparator();

    QToolButton *png = addButton(toolbar, QStringLiteral("canvasExportPng"), tr("Export PNG…"),
                                 tr("Save the whole canvas as a PNG image"));
    connect(png, &QToolButton::clicked, this, &CanvasTab::exportPngWithDialog);
    QToolButton *svg = addButton(toolbar, QStringLiteral("canvasExportSvg"), tr("Export SVG…"),
                                 tr("Save the whole canvas as an SVG drawing"));
    connect(svg, &QToolButton::clicked, this, &CanvasTab::exportSvgWithDialog);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(toolbar);
    layout->addWidget(m_view, 1);
    setFocusProxy(m_view);

    updateColorButtons();
    updateUndoButtons();
    updateZoomLabel();
}

QToolButton *CanvasTab::addButton(QToolBar *toolbar, const QString &objectName, const QString &text,
                                  const QString &tip)
{
    auto *button = new QToolButton(this);
    button->setObjectName(objectName);
    button->setText(text);
    button->setToolTip(tip);
    button->setAccessibleName(text);
    button->setAccessibleDescription(tip);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    // Keys belong to the canvas (shortcuts, Delete), not to the last button clicked.
    button->setFocusPolicy(Qt::NoFocus);
    toolbar->addWidget(button);
    return button;
}

void CanvasTab::chooseStrokeColor()
{
    const QColor color = QColorDialog::getColor(m_view->strokeColor(), this, tr("Stroke colour"),
                                                QColorDialog::ShowAlphaChannel);
    if (!color.isValid())
        return;
    m_view->setStrokeColor(color);
    updateColorButtons();
}

void CanvasTab::chooseFillColor()
{
    const QColor initial = m_view->fillColor().isValid() ? m_view->fillColor() : QColor(Qt::white);
    const QColor color =
        QColorDialog::getColor(initial, this, tr("Fill colour"), QColorDialog::ShowAlphaChannel);
    if (!color.isValid())
        return;
    m_view->setFillColor(color);
    updateColorButtons();
}

void CanvasTab::updateColorButtons()
{
    m_strokeButton->setIcon(swatch(m_view->strokeColor()));
    m_fillButton->setIcon(swatch(m_view->fillColor()));
}

void CanvasTab::updateUndoButtons()
{
    m_undoButton->setEnabled(m_editor.canUndo());
    m_redoButton->setEnabled(m_editor.canRedo());
}

void CanvasTab::updateZoomLabel()
{
    m_zoomLabel->setText(tr("%1%").arg(qRound(m_view->zoom() * 100)));
}

bool CanvasTab::exportPng(const QString &path, QString *error) const
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!renderCanvasImage(m_editor.model()).save(&buffer, "PNG")) {
        if (error)
            *error = tr("Could not encode the image.");
        return false;
    }
    return writeFile(path, bytes, error);
}

bool CanvasTab::exportSvg(const QString &path, QString *error) const
{
    return writeFile(path, canvasToSvg(m_editor.model()).toUtf8(), error);
}

void CanvasTab::exportPngWithDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export canvas as PNG"), tr("canvas.png"),
                                                      tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    if (QString error; !exportPng(path, &error))
        QMessageBox::warning(this, tr("Export failed"), tr("Could not save %1: %2").arg(path, error));
}

void CanvasTab::exportSvgWithDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export canvas as SVG"), tr("canvas.svg"),
                                                      tr("SVG drawings (*.svg)"));
    if (path.isEmpty())
        return;
    if (QString error; !exportSvg(path, &error))
        QMessageBox::warning(this, tr("Export failed"), tr("Could not save %1: %2").arg(path, error));
}

} // namespace tandem::ui
