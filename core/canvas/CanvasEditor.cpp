#include "core/canvas/CanvasEditor.h"
