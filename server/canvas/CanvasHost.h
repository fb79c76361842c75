#pragma once
// server/canvas: the canvas of every room (docs/CANVAS.md "Sync and
// storage"). Canvas ops arrive in canvas:op, are checked here, stored as the
// room's canvas:changed events (the operation log, replayed by `since` like
// any room event), and only then merged into the in-memory model of rooms
// that someone has joined. A joining client that cannot replay gets the
// model's whole state. Every compactEveryChanges changes the state is saved as
// a snapshot, so loading a canvas folds the snapshot and the changes after it
// instead of the whole log.

#include "core/canvas/CanvasModel.h"
#include "core/common/Clock.h"
#include "server/config/ServerConfig.h"
#include "server/storage/Storage.h"

#include <QHash>
#include <QJsonArray>
#include <QList>

#include <memory>

namespace tandem::server {

class CanvasHost {
public:
    CanvasHost(Storage &storage, const CanvasSettings &settings, const Clock &clock);
    ~CanvasHost();

    /// Parses and checks a canvas:op payload: every op valid (BadRequest),
    /// stamped no further ahead of the server's clock than maxClockSkewMs
    /// (BadRequest: a replica whose clock runs ahead would win every
    /// last-write-wins race), and the canvas not grown past maxShapes
    /// (TooLarge). Loads the room's canvas if needed.
    protocol::Result<void> check(const QString &roomId, const QJsonArray &ops);

    /// The whole state of the room's canvas as CanvasOp JSON, loading it if needed.
    protocol::Result<QJsonArray> state(const QString &roomId);

    /// A canvas:changed event is on disk: merge it into the loaded model (if
    /// loaded; a later load reads it from storage) and snapshot when due.
    void stored(const StoredEvent &event);

    /// Forget the room's model (nobody in the room any more). Nothing is lost:
    /// storage holds every change.
    void unload(const QString &roomId);
    int loadedCount() const { return static_cast<int>(m_canvases.size()); }

private:
    struct LoadedCanvas {
        canvas::CanvasModel model;
        qint64 throughSeq = 0; ///< every change with seq <= this is merged
        int changesSinceSnapshot = 0;
    };
    protocol::Result<LoadedCanvas *> load(const QString &roomId);
    void snapshot(const QString &roomId, LoadedCanvas &canvas);

    Storage &m_storage;
    const CanvasSettings &m_settings;
    const Clock &m_clock;
    QHash<QString, std::shared_ptr<LoadedCanvas>> m_canvases;
};

} // namespace tandem::server
