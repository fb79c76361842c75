#include "core/canvas/FractionalIndex.h"

namespace tandem::canvas::FractionalIndex {

namespace {

int digitValue(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= '0' && u <= '9')
        return u - '0';
    if (u >= 'A' && u <= 'Z')
        return u - 'A' + 10;
    if (u >= 'a' && u <= 'z')
        return u - 'a' + 36;
    return -1;
}

QChar digitChar(int value)
{
    return QChar::fromLatin1(Digits[value]);
}

/// The digit at `index`, reading past the end as 0 (0.5 == 0.50).
int digitAt(QStringView key, qsizetype index)
{
    return index < key.size() ? digitValue(key[index]) : 0;
}

/// Both bounds valid (or empty) and before < after (when both are given).
QString midpointUnchecked(QStringView before, QStringView after)
{
    // Skip the digits both share; an exhausted `before` reads as zeros.
    qsizetype shared = 0;
    while (shared < after.size() && digitAt(before, shared) == digitValue(after[shared]))
        ++shared;
    if (shared > 0) {
        const QStringView rest = shared < before.size() ? before.mid(shared) : QStringView();
        return after.left(shared).toString() + midpointUnchecked(rest, after.mid(shared));
    }
    const int low = digitAt(before, 0);
    const int high = after.isEmpty() ? Base : digitValue(after[0]);
    if (high - low > 1)
        return QString(digitChar((low + high) / 2));
    // Adjacent first digits: keep before's first digit and go deeper on its
    // side, which also keeps the result from being a prefix of `after`.
    const QStringView rest = before.size() > 1 ? before.mid(1) : QStringView();
    return digitChar(low) + midpointUnchecked(rest, QStringView());
}

} // namespace

bool isValidKey(QStringView key)
{
    if (key.isEmpty() || key.size() > MaxKeyLength || key.back() == QLatin1Char('0'))
        return false;
    for (const QChar c : key) {
        if (digitValue(c) < 0)
            return false;
    }
    return true;
}

CanvasResult<QString> midpoint(QStringView before, QStringView after)
{
    if (!before.isEmpty() && !isValidKey(before))
        return canvasError(CanvasErrorCode::InvalidKey, QStringLiteral("invalid lower key"));
    if (!after.isEmpty() && !isValidKey(after))
        return canvasError(CanvasErrorCode::InvalidKey, QStringLiteral("invalid upper key"));
    if (!before.isEmpty() && !after.isEmpty() && before.compare(after) >= 0)
        return canvasError(CanvasErrorCode::InvalidKey, QStringLiteral("lower key is not below upper key"));
    QString key = midpointUnchecked(before, after);
    if (key.size() > MaxKeyLength)
        return canvasError(CanvasErrorCode::InvalidKey, QStringLiteral("key would be too long"));
    return key;
}

QString replicaTag(quint64 nodeId)
{
    QString tag(TagLength, QLatin1Char('0'));
    for (qsizetype i = TagLength - 2; i >= 0; --i) {
        tag[i] = digitChar(static_cast<int>(nodeId % Base));
        nodeId /= Base;
    }
    tag[TagLength - 1] = QLatin1Char('1');
    return tag;
}

CanvasResult<QString> between(QStringView before, QStringView after, quint64 nodeId)
{
    auto key = midpoint(before, after);
    if (!key)
        return key;
    QString tagged = key.value() + replicaTag(nodeId);
    if (tagged.size() > MaxKeyLength)
        return canvasError(CanvasErrorCode::InvalidKey, QStringLiteral("key would be too long"));
    return tagged;
}

} // namespace tandem::canvas::FractionalIndex
