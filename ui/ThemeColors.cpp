#include "ui/ThemeColors.h"

namespace tandem::ui::ThemeColors {

namespace {

QColor semantic(const QPalette &palette, int hue, int saturation)
{
    // Light text on a dark theme needs a lighter tone to keep its contrast.
    return QColor::fromHsl(hue, saturation, isDark(palette) ? 150 : 95);
}

} // namespace

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor presence(const QPalette &palette, chat::PresenceRoster::Status status)
{
    switch (status) {
    case chat::PresenceRoster::Status::Online:
        return success(palette);
    case chat::PresenceRoster::Status::Away:
        return warning(palette);
    case chat::PresenceRoster::Status::Offline:
        break;
    }
    return palette.color(QPalette::Disabled, QPalette::WindowText);
}

QColor error(const QPalette &palette)
{
    return semantic(palette, 0, 170);
}

QColor warning(const QPalette &palette)
{
    return semantic(palette, 38, 220);
}

QColor success(const QPalette &palette)
{
    return semantic(palette, 130, 150);
}

QColor blend(const QColor &from, const QColor &to, qreal amount)
{
    return QColor::fromRgbF(from.redF() + (to.redF() - from.redF()) * amount,
                            from.greenF() + (to.greenF() - from.greenF()) * amount,
                            from.blueF() + (to.blueF() - from.blueF()) * amount);
}

} // namespace tandem::ui::ThemeColors
