#pragma once
// One room's canvas on the desktop (docs/CANVAS.md "Sync and storage"): the
// CanvasEditor the UI draws with, kept in sync with the server over the
// account's Session, working offline, and this room's live cursors.
//
// - Local ops become canvas:op mutations in the durable offline queue
//   (committed before anything else happens), so they survive a crash and
//   are replayed exactly once (the server deduplicates by cid).
// - After every room:joined it sends canvas:sync with the seq of its last
//   sync; the server answers with the changes since (or the whole state) in
//   canvas:state pieces and canvas:synced. Live canvas:changed events merge
//   as they come. Merging is idempotent, so overlaps are harmless.
// - The merged state and its sync seq are kept in the local store (one row,
//   written together), so the canvas opens offline.
// - Cursors: the pointer goes out through a 30 Hz CursorThrottle (never
//   queued); others' cursor:move and presence feed RemoteCursors.

#include "core/canvas/CanvasEditor.h"
#include "core/canvas/CursorThrottle.h"
#include "core/canvas/RemoteCursors.h"
#include "core/client/Session.h"
#include "core/client/TimerSource.h"
#include "core/common/Clock.h"
#include "core/offline/OfflineSync.h"

#include <QObject>
#include <QPointF>
#include <QSet>

#include <memory>
#include <optional>

namespace tandem::canvas {

class CanvasSession : public QObject {
    Q_OBJECT

public:
    /// A changed canvas is written to the local store at most this often.
    static constexpr qint64 SaveDelayMs = 500;

    /// Everything passed in must outlive this object. `userId` is the account's user.
    CanvasSession(client::Session &session, offline::OfflineSync &offline, QString userId, QString roomId,
                  const Clock &clock, client::TimerSource &timers, QObject *parent = nullptr);
    ~CanvasSession() override;

    QString roomId() const { return m_roomId; }
    CanvasEditor &editor() { return *m_editor; }
    RemoteCursors &cursors() { return *m_cursors; }
    /// False for a user whose presence in this room went offline (so their
    /// leftover "being edited" marks mean nothing); true otherwise.
    bool isPresent(const QString &userId) const { return !m_absent.contains(userId); }
    /// True once canvas:synced arrived on the current connection.
    bool isSynced() const { return m_synced; }
    /// The seq of the last completed sync, as kept in the local store.
    std::optional<qint64> syncedThrough() const { return m_syncedThrough; }

    /// Loads the stored canvas and the queued changes not yet on the server,
    /// then syncs whenever the room is joined.
    void open();
    /// Writes the state to the local store now (also done on destruction).
    void saveNow();

    /// From the canvas view: the pointer is at `position` (canvas coordinates) / left.
    void pointerMoved(QPointF position);
    void pointerLeft();

Q_SIGNALS:
    /// Someone's presence here changed (for marks that depend on it).
    void presenceChanged();
    /// canvas:synced arrived: the canvas holds everything the server had.
    void synced();
    /// The server refused a canvas change for good (the change stays listed in
    /// the sync details, where it can be retried or discarded).
    void refused(const QString &message);

private:
    void onLocalOps(const QList<CanvasOp> &ops);
    void onRoomJoined(const QString &roomId);
    void mergeRemote(const QJsonArray &ops);
    void onCanvasSynced(const QJsonObject &message);
    void onCursorMove(const QJsonObject &message);
    void onPresence(const QJsonObject &message);
    void scheduleSave();
    bool sendCursor(QPointF position);

    client::Session &m_session;
    offline::OfflineSync &m_offline;
    QString m_userId;
    QString m_roomId;
    const Clock &m_clock;
    client::TimerSource &m_timers;
    std::unique_ptr<CanvasEditor> m_editor;
    std::unique_ptr<RemoteCursors> m_cursors;
    std::unique_ptr<CursorThrottle> m_throttle;
    QList<int> m_subscriptions;
    QSet<QString> m_absent; ///< users whose presence here is offline: their late cursor moves are ignored
    QString m_syncRef;      ///< the envelope id of the last canvas:sync, to match its error
    std::optional<qint64> m_syncedThrough;
    std::optional<qint64> m_newestLiveSeq; ///< canvas:changed seen since the last sync
    bool m_synced = false;
    bool m_opened = false;
    int m_saveTimer = 0;
};

} // namespace tandem::canvas
