#include "core/canvas/CursorThrottle.h"
