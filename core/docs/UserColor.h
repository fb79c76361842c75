#pragma once
// One colour per person, the same in every process and on every machine:
// chat avatars and document carets use it, and it travels in awareness
// states as `user.color` so JavaScript editors paint the same colour.

#include <QString>

namespace tandem::docs {

/// A stable hue (0–359) from the user id: FNV-1a over its UTF-8 bytes (not
/// qHash, which is seeded per process).
int userHue(const QString &userId);

/// The awareness colour "#rrggbb": the user's hue at saturation 110/255 and
/// lightness 140/255 (QColor::fromHsl(userHue(id), 110, 140)).
QString userColorName(const QString &userId);

} // namespace tandem::docs
