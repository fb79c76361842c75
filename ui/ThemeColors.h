#pragma once
// The few colours that carry meaning (presence, errors, badges). Hues are
// fixed by meaning; lightness follows the palette, so they stay readable on
// the light and the dark platform theme alike.

#include "core/chat/PresenceRoster.h"

#include <QColor>
#include <QPalette>

namespace tandem::ui::ThemeColors {

/// True when the palette's window is dark (a dark theme).
bool isDark(const QPalette &palette);
QColor presence(const QPalette &palette, chat::PresenceRoster::Status status);
QColor error(const QPalette &palette);
QColor warning(const QPalette &palette);
QColor success(const QPalette &palette);
/// A colour between `from` and `to`; `amount` 0 gives `from`.
QColor blend(const QColor &from, const QColor &to, qreal amount);

} // namespace tandem::ui::ThemeColors
