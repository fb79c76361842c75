#include "core/canvas/RemoteCursors.h"

#include "core/docs/UserColor.h"

#include <algorithm>

namespace tandem::canvas {

namespace {
/// A pause longer than this starts a new stream: its length says nothing about the update rate.
constexpr qint64 QuietAfterMs = 500;
/// Weight of the newest interval in the smoothed estimate: one late update does not stretch the glide.
constexpr double IntervalSmoothing = 0.25;
} // namespace

RemoteCursors::RemoteCursors(const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
{}

void RemoteCursors::moved(const QString &userId, QPointF position)
{
    const qint64 now = m_clock.monotonicMs();
    auto it = m_cursors.find(userId);
    if (it == m_cursors.end()) {
        // A new cursor appears where it is; there is nothing to glide from.
        Cursor cursor;
        cursor.from = position;
        cursor.to = position;
        cursor.glideStartMs = now;
        m_cursors.insert(userId, cursor);
        Q_EMIT changed();
        return;
    }
    Cursor &cursor = *it;
    const qint64 sinceLast = now - cursor.glideStartMs;
    if (sinceLast > QuietAfterMs)
        cursor.intervalMs = 0;
    else if (cursor.intervalMs <= 0)
        cursor.intervalMs = static_cast<double>(sinceLast);
    else
        cursor.intervalMs += IntervalSmoothing * (static_cast<double>(sinceLast) - cursor.intervalMs);
    const qint64 expected = cursor.intervalMs > 0 ? qRound64(cursor.intervalMs) : DefaultGlideMs;
    // From where it is drawn now, so a glide cut short by the next update never jumps.
    cursor.from = positionAt(cursor, now);
    cursor.to = position;
    cursor.glideStartMs = now;
    cursor.glideMs = std::clamp(expected, MinGlideMs, MaxGlideMs);
    Q_EMIT changed();
}

void RemoteCursors::setAway(const QString &userId, bool away)
{
    auto it = m_cursors.find(userId);
    if (it == m_cursors.end() || it->away == away)
        return;
    it->away = away;
    Q_EMIT changed();
}

void RemoteCursors::remove(const QString &userId)
{
    if (m_cursors.remove(userId))
        Q_EMIT changed();
}

void RemoteCursors::clear()
{
    if (m_cursors.isEmpty())
        return;
    m_cursors.clear();
    Q_EMIT changed();
}

QList<CursorView> RemoteCursors::viewsNow() const
{
    const qint64 now = m_clock.monotonicMs();
    QList<CursorView> views;
    views.reserve(m_cursors.size());
    for (auto it = m_cursors.cbegin(); it != m_cursors.cend(); ++it) {
        CursorView view;
        view.userId = it.key();
        view.color = docs::userColorName(it.key());
        view.position = positionAt(*it, now);
        view.opacity = opacityAt(*it, now);
        view.away = it->away;
        views.append(view);
    }
    std::sort(views.begin(), views.end(),
              [](const CursorView &a, const CursorView &b) { return a.userId < b.userId; });
    return views;
}

bool RemoteCursors::isAnimating() const
{
    return msUntilAnimation() == 0;
}

int RemoteCursors::count() const
{
    return static_cast<int>(m_cursors.size());
}

qint64 RemoteCursors::msUntilAnimation() const
{
    const qint64 now = m_clock.monotonicMs();
    qint64 soonest = -1;
    for (const Cursor &cursor : m_cursors) {
        if (now < cursor.glideStartMs + cursor.glideMs)
            return 0;
        const qint64 fadeStart = cursor.glideStartMs + IdleAfterMs;
        if (now >= fadeStart + FadeMs)
            continue; // already faded; still until it moves again
        const qint64 wait = std::max<qint64>(0, fadeStart - now);
        if (wait == 0)
            return 0;
        if (soonest < 0 || wait < soonest)
            soonest = wait;
    }
    return soonest;
}

QPointF RemoteCursors::positionAt(const Cursor &cursor, qint64 nowMs) const
{
    const qint64 elapsed = nowMs - cursor.glideStartMs;
    if (cursor.glideMs <= 0 || elapsed >= cursor.glideMs)
        return cursor.to;
    // Linear: a steady stream of updates then moves at a steady speed, as the pointer did.
    const double t = static_cast<double>(std::max<qint64>(0, elapsed)) / static_cast<double>(cursor.glideMs);
    return cursor.from + (cursor.to - cursor.from) * t;
}

double RemoteCursors::opacityAt(const Cursor &cursor, qint64 nowMs)
{
    const qint64 idleFor = nowMs - cursor.glideStartMs - IdleAfterMs;
    if (idleFor <= 0)
        return 1.0;
    if (idleFor >= FadeMs)
        return IdleOpacity;
    const double t = static_cast<double>(idleFor) / static_cast<double>(FadeMs);
    return 1.0 - (1.0 - IdleOpacity) * t;
}

} // namespace tandem::canvas
