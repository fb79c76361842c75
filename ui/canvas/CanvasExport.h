#pragma once
// Exporting a canvas: a PNG image painted by the same code as the view, and
// standalone SVG 1.1 text written by hand (Qt SVG is not a dependency).

#include "core/canvas/CanvasModel.h"

#include <QImage>
#include <QString>

namespace tandem::ui {

/// Space around the shapes in an export, in canvas units.
inline constexpr int ExportMargin = 20;
/// Neither side of an exported image is larger than this; bigger canvases are scaled down.
inline constexpr int MaxExportSide = 8192;

/// The union of every visible shape's bounds; empty when there are none.
QRectF canvasBounds(const canvas::CanvasModel &model);

/// Every shape on a white background, fitted with `margin` around it and
/// scaled by `scale` (less if the image would exceed MaxExportSide).
QImage renderCanvasImage(const canvas::CanvasModel &model, double scale = 1.0, int margin = ExportMargin);

/// A standalone SVG 1.1 document of every shape, in render order.
QString canvasToSvg(const canvas::CanvasModel &model, int margin = ExportMargin);

} // namespace tandem::ui
