#pragma once
// Z-order keys that never need renumbering: a key is a string of base-62
// digits read as a fraction in [0, 1), and a key strictly between any two
// keys always exists. See docs/CANVAS.md for the scheme.

#include "core/canvas/CanvasError.h"

#include <QString>

namespace tandem::canvas::FractionalIndex {

/// The digits, in ASCII order, so that comparing two keys as strings
/// (QString::operator<, SQLite's ORDER BY) is comparing the fractions.
inline constexpr char Digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
inline constexpr int Base = 62;
/// Longer keys are refused. Repeated inserts at one spot grow a key by about
/// one digit every five inserts, so this is thousands of inserts deep.
inline constexpr qsizetype MaxKeyLength = 1024;
/// Length of the replica tag that between() appends.
inline constexpr qsizetype TagLength = 12;

/// Non-empty, at most MaxKeyLength digits, and not ending in '0' (a key that
/// ends in the smallest digit would leave no room before it).
bool isValidKey(QStringView key);

/// A key strictly between `before` and `after`, without a replica tag. An
/// empty `before` means "before the first key", an empty `after` "after the
/// last". Refused with InvalidKey when a non-empty bound is not a valid key or
/// when before >= after. The result is never a prefix of `after`.
CanvasResult<QString> midpoint(QStringView before, QStringView after);

/// The replica tag of `nodeId`: its 11 base-62 digits, then '1'. Fixed length,
/// so two keys from different nodes can never be equal.
QString replicaTag(quint64 nodeId);

/// midpoint(before, after) followed by replicaTag(nodeId): still strictly
/// between the bounds (the midpoint is never a prefix of `after`), and two
/// nodes inserting concurrently at the same spot get distinct keys.
CanvasResult<QString> between(QStringView before, QStringView after, quint64 nodeId);

} // namespace tandem::canvas::FractionalIndex
