#pragma once
// Everyone else's pointer on a room's canvas (docs/CANVAS.md "Live cursors"):
// the positions that arrived, drawn between updates by interpolation so a
// 30 Hz stream looks smooth at display rate, faded when idle and gone when
// the user leaves. Widget-free; time comes from the injected Clock.

#include "core/common/Clock.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointF>
#include <QString>

namespace tandem::canvas {

/// What a renderer draws for one remote cursor at one instant.
struct CursorView {
    QString userId;
    QString color;      ///< "#rrggbb", deterministic from the user id (docs::userColorName)
    QPointF position;   ///< canvas coordinates, interpolated
    double opacity = 1; ///< 1 while active, down to IdleOpacity once idle
    bool away = false;  ///< the user's presence is away
};

class RemoteCursors : public QObject {
    Q_OBJECT

public:
    /// A cursor that has not moved for this long is idle (drawn faded).
    static constexpr qint64 IdleAfterMs = 10'000;
    static constexpr double IdleOpacity = 0.35;
    /// The fade from full to idle opacity takes this long.
    static constexpr qint64 FadeMs = 500;

    explicit RemoteCursors(const Clock &clock, QObject *parent = nullptr);

    /// A cursor:move arrived (already known to be another user's).
    void moved(const QString &userId, QPointF position);
    /// Presence: away cursors are marked; offline (or a leave) removes the cursor.
    void setAway(const QString &userId, bool away);
    void remove(const QString &userId);
    void clear();

    /// Every cursor as it should be drawn now, sorted by user id.
    QList<CursorView> viewsNow() const;
    /// True while some cursor is still gliding or fading: the renderer keeps
    /// repainting at display rate only while this holds.
    bool isAnimating() const;
    int count() const;
    /// Milliseconds until some cursor starts or keeps animating (0 while one
    /// is), or -1 when none will: a renderer that is not repainting sleeps this
    /// long and still catches the idle fade.
    qint64 msUntilAnimation() const;

    /// The glide to a new position lasts about as long as updates are apart,
    /// measured per cursor and clamped to this range.
    static constexpr qint64 MinGlideMs = 34;
    static constexpr qint64 MaxGlideMs = 100;
    /// The glide after a quiet spell, when there is no interval to measure.
    static constexpr qint64 DefaultGlideMs = 45;

Q_SIGNALS:
    /// A cursor appeared, moved, changed presence or went away.
    void changed();

private:
    struct Cursor {
        QPointF from;            ///< where the glide started
        QPointF to;              ///< the newest position received
        qint64 glideStartMs = 0; ///< also when `to` arrived: the last move
        qint64 glideMs = 0;
        double intervalMs = 0; ///< smoothed time between moves; 0 until measured
        bool away = false;
    };

    QPointF positionAt(const Cursor &cursor, qint64 nowMs) const;
    static double opacityAt(const Cursor &cursor, qint64 nowMs);

    const Clock &m_clock;
    QHash<QString, Cursor> m_cursors;
};

} // namespace tandem::canvas
