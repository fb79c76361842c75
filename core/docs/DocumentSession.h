#pragma once
// One room's collaborative document on the desktop (PROTOCOL.md "Documents
// (Yjs)"): a crdt::Doc with the root Y.Text `content` and Y.Map `metadata`,
// kept in sync with the server over the account's one Session, with this
// user's awareness (name, colour, cursor), undo of this user's edits only,
// and the state kept in the local store so it opens and edits offline.
//
// Sync: doc:open, then on the server's first document frame our step 1 and
// awareness go out (a server that does not know documents never gets a
// binary frame); a step 1 is answered with a step 2; local updates and our
// awareness are sent at most once per flush interval (one frame each, under
// the server's message rate); remote updates are applied. After a reconnect
// the step 1/step 2 exchange carries what either side did meanwhile.
//
// Awareness cursor convention (y-codemirror / y-codemirror.next):
//   {"user": {"name", "color": "#rrggbb", "colorLight": "#rrggbb33"},
//    "cursor": {"anchor": RelPos, "head": RelPos} | null}
// RelPos is Yjs's relativePositionToJSON of a position in `content`:
// {"type"?: {client, clock}, "tname"?: "content", "item"?: {client, clock}, "assoc"}.

#include "core/client/Session.h"
#include "core/client/TimerSource.h"
#include "core/common/Clock.h"
#include "core/crdt/Awareness.h"
#include "core/crdt/Doc.h"
#include "core/crdt/Map.h"
#include "core/crdt/Text.h"
#include "core/crdt/UndoManager.h"

#include <QObject>
#include <QString>

#include <memory>
#include <optional>

namespace tandem::offline {
class LocalStore;
}

namespace tandem::docs {

/// A remote user's caret and selection, resolved to indices in `content` now.
struct RemoteCursor {
    crdt::ClientId client = 0;
    QString name;
    QString color; ///< as the peer sent it, e.g. "#30bced"
    qsizetype anchor = 0;
    qsizetype head = 0;
    qint64 changedAtMs = 0; ///< when its cursor last moved (monotonic, this clock)
};

class DocumentSession : public QObject {
    Q_OBJECT

public:
    static constexpr qint64 kFlushIntervalMs = 150;
    static constexpr qint64 kSaveDelayMs = 500;

    /// `store` may be null (nothing kept); `timers` and `clock` must outlive this.
    DocumentSession(client::Session &session, QString roomId, offline::LocalStore *store, const Clock &clock,
                    client::TimerSource &timers, QObject *parent = nullptr);
    ~DocumentSession() override;

    QString roomId() const { return m_roomId; }
    const Clock &clock() const { return m_clock; }
    crdt::Doc &doc() { return *m_doc; }
    crdt::Text text() { return m_text; }
    crdt::Map metadata() { return m_metadata; }
    crdt::Awareness &awareness() { return *m_awareness; }
    crdt::UndoManager &undoManager() { return *m_undo; }

    /// Loads the stored state, then opens the document on the Session.
    void open();
    /// doc:close; the state is stored.
    void close();
    /// True once the server's step 2 arrived on the current connection.
    bool isSynced() const { return m_synced; }

    // Local edits: one transaction each, undoable.
    void insert(qsizetype index, const QString &text);
    void remove(qsizetype index, qsizetype length);
    bool undo();
    bool redo();

    /// This user's name and colour in the awareness state.
    void setUser(const QString &name, const QString &color);
    /// This user's selection (anchor == head: a caret), as relative positions.
    void setCursor(qsizetype anchor, qsizetype head);
    void clearCursor();
    /// Every other client's cursor that resolves in this document.
    QList<RemoteCursor> remoteCursors() const;

    /// Stores the state now (also done shortly after every change and on close).
    bool save();
    /// Sends what waits now instead of at the next flush.
    void flush();

Q_SIGNALS:
    void syncedChanged(bool synced);
    /// A remote client's awareness (name, colour or cursor) changed, or it left.
    void remoteCursorsChanged();
    /// The stored state could not be written.
    void storeFailed(const QString &message);
    /// The server refused something of this document (too large, not a member...); `message` is for people.
    void refused(const QString &message);

private:
    void onDocumentMessage(const QByteArray &message);
    void onDocumentOpening(const QString &roomId);
    void onStateChanged(client::Session::State state);
    void onDocUpdated(const QByteArray &update, crdt::Origin origin, bool local);
    void onAwarenessUpdated(const crdt::AwarenessChange &change, crdt::Origin origin);
    void onAwarenessChanged(const crdt::AwarenessChange &change, crdt::Origin origin);
    void scheduleFlush();
    void scheduleSave();
    void scheduleAwarenessCheck();
    void send(const QByteArray &frame);
    void setSynced(bool synced);

    client::Session &m_session;
    QString m_roomId;
    offline::LocalStore *m_store;
    const Clock &m_clock;
    client::TimerSource &m_timers;
    std::unique_ptr<crdt::Doc> m_doc;
    crdt::Text m_text;
    crdt::Map m_metadata;
    std::unique_ptr<crdt::Awareness> m_awareness;
    std::unique_ptr<crdt::UndoManager> m_undo;
    int m_subscription = 0;
    int m_errorSubscription = 0; ///< the server's errors about this document
    bool m_opened = false;
    bool m_serverAnswered = false; ///< a document frame arrived on this connection
    bool m_synced = false;
    QList<QByteArray> m_pendingUpdates; ///< local updates not sent yet
    QByteArray m_flushBase;             ///< the state vector before the first pending update
    bool m_awarenessDirty = false;
    int m_flushTimer = 0;
    int m_saveTimer = 0;
    int m_awarenessTimer = 0;
    QHash<crdt::ClientId, qint64> m_cursorMovedAt;
};

} // namespace tandem::docs
