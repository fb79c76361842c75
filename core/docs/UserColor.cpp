#include "core/docs/UserColor.h"

#include <cmath>

namespace tandem::docs {

int userHue(const QString &userId)
{
    quint32 hash = 2166136261u;
    for (const char byte : userId.toUtf8()) {
        hash ^= quint8(byte);
        hash *= 16777619u;
    }
    return int(hash % 360);
}

QString userColorName(const QString &userId)
{
    // HSL to RGB (the same conversion QColor::fromHsl does), kept here so the
    // core needs no QtGui.
    const double h = userHue(userId) / 60.0;
    const double s = 110 / 255.0;
    const double l = 140 / 255.0;
    const double c = (1 - std::abs(2 * l - 1)) * s;
    const double x = c * (1 - std::abs(std::fmod(h, 2.0) - 1));
    const double m = l - c / 2;
    double r = 0, g = 0, b = 0;
    switch (int(h)) {
    case 0:
        r = c, g = x;
        break;
    case 1:
        r = x, g = c;
        break;
    case 2:
        g = c, b = x;
        break;
    case 3:
        g = x, b = c;
        break;
    case 4:
        r = x, b = c;
        break;
    default:
        r = c, b = x;
        break;
    }
    const auto channel = [m](double v) {
        return QStringLiteral("%1").arg(int(std::lround((v + m) * 255)), 2, 16, QLatin1Char('0'));
    };
    return QLatin1Char('#') + channel(r) + channel(g) + channel(b);
}

} // namespace tandem::docs
