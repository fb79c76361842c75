#include "core/canvas/RemoteCursors.h"
