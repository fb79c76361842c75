#include "core/docs/DocumentSession.h"

#include "core/crdt/Lib0Decoder.h"
#include "core/crdt/Lib0Encoder.h"
#include "core/crdt/RelativePosition.h"
#include "core/crdt/SyncProtocol.h"
#include "core/offline/LocalStore.h"

#include <QJsonArray>
#include <QJsonObject>

#include <QLoggingCategory>
#include <algorithm>

namespace tandem::docs {

Q_LOGGING_CATEGORY(lcDocs, "tandem.docs")

namespace {
const QString ContentName = QStringLiteral("content");
const QString MetadataName = QStringLiteral("metadata");
const QString CursorKey = QStringLiteral("cursor");
const QString UserKey = QStringLiteral("user");

/// Origins of transactions that came from elsewhere (never sent, never undone).
constexpr crdt::Origin kRemoteOrigin = crdt::Origin(-2);
constexpr crdt::Origin kStoreOrigin = crdt::Origin(-3);
} // namespace

DocumentSession::DocumentSession(client::Session &session, QString roomId, offline::LocalStore *store,
                                 const Clock &clock, client::TimerSource &timers, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_roomId(std::move(roomId))
    , m_store(store)
    , m_clock(clock)
    , m_timers(timers)
    , m_doc(std::make_unique<crdt::Doc>())
    , m_text(m_doc->getText(ContentName))
    , m_metadata(m_doc->getMap(MetadataName))
    , m_awareness(std::make_unique<crdt::Awareness>(m_doc->clientId(), clock))
    , m_undo(std::make_unique<crdt::UndoManager>(
          m_doc.get(), std::vector<crdt::SharedType *>{m_text.sharedType(), m_metadata.sharedType()}, clock))
{
    connect(m_doc.get(), &crdt::Doc::updated, this, &DocumentSession::onDocUpdated);
    connect(m_awareness.get(), &crdt::Awareness::updated, this, &DocumentSession::onAwarenessUpdated);
    connect(m_awareness.get(), &crdt::Awareness::changed, this, &DocumentSession::onAwarenessChanged);
}

DocumentSession::~DocumentSession()
{
    if (m_opened)
        close();
    else if (m_saveTimer != 0)
        save();
    for (int *timer : {&m_flushTimer, &m_saveTimer, &m_awarenessTimer}) {
        if (*timer != 0)
            m_timers.cancel(*timer);
        *timer = 0;
    }
    m_doc->disconnect(this);
    m_awareness->disconnect(this);
}

void DocumentSession::open()
{
    if (m_opened)
        return;
    m_opened = true;
    if (m_store && m_store->isOpen()) {
        if (const auto stored = m_store->document(m_roomId); !stored) {
            qCWarning(lcDocs) << "cannot read the stored document of" << m_roomId << stored.error().message;
        } else if (stored->has_value()) {
            if (const auto applied = m_doc->applyUpdate(**stored, kStoreOrigin); !applied)
                qCWarning(lcDocs) << "the stored document of" << m_roomId
                                  << "does not decode:" << applied.error().message;
        }
    }
    m_subscription = m_session.subscribeDocument(
        m_roomId, [this](const QByteArray &message) { onDocumentMessage(message); });
    // Document errors name the room (PROTOCOL.md "Documents"); the user must learn that an edit did not land.
    m_errorSubscription = m_session.subscribe(QStringLiteral("error"), [this](const QJsonObject &error) {
        const QJsonObject payload = error.value(QLatin1String("payload")).toObject();
        if (payload.value(QLatin1String("roomId")).toString() == m_roomId &&
            payload.value(QLatin1String("ref")).toString().startsWith(QLatin1String("doc:")))
            Q_EMIT refused(payload.value(QLatin1String("message")).toString());
    });
    connect(&m_session, &client::Session::documentOpening, this, &DocumentSession::onDocumentOpening);
    connect(&m_session, &client::Session::stateChanged, this, &DocumentSession::onStateChanged);
    scheduleAwarenessCheck();
    if (const auto opened = m_session.openDocument(m_roomId); !opened)
        qCWarning(lcDocs) << "cannot open the document of" << m_roomId << opened.error().message;
}

void DocumentSession::close()
{
    if (!m_opened)
        return;
    flush();
    if (m_saveTimer != 0) {
        m_timers.cancel(m_saveTimer);
        m_saveTimer = 0;
        save();
    }
    m_opened = false;
    m_session.unsubscribe(m_subscription);
    m_subscription = 0;
    m_session.unsubscribe(m_errorSubscription);
    m_errorSubscription = 0;
    m_session.disconnect(this);
    m_session.closeDocument(m_roomId);
    setSynced(false);
    m_serverAnswered = false;
}

void DocumentSession::insert(qsizetype index, const QString &text)
{
    m_text.insert(index, text);
}

void DocumentSession::remove(qsizetype index, qsizetype length)
{
    m_text.remove(index, length);
}

bool DocumentSession::undo()
{
    return m_undo->undo();
}

bool DocumentSession::redo()
{
    return m_undo->redo();
}

void DocumentSession::setUser(const QString &name, const QString &color)
{
    m_awareness->setLocalStateField(
        UserKey, QJsonObject{{QStringLiteral("name"), name},
                             {QStringLiteral("color"), color},
                             {QStringLiteral("colorLight"), color + QStringLiteral("33")}});
}

void DocumentSession::setCursor(qsizetype anchor, qsizetype head)
{
    const QJsonObject cursor{
        {QStringLiteral("anchor"), crdt::createRelativePosition(m_text, anchor).toJson()},
        {QStringLiteral("head"), crdt::createRelativePosition(m_text, head).toJson()}};
    const std::optional<QJsonObject> local = m_awareness->localState();
    if (local && local->value(CursorKey).toObject() == cursor)
        return;
    m_awareness->setLocalStateField(CursorKey, cursor);
}

void DocumentSession::clearCursor()
{
    const std::optional<QJsonObject> local = m_awareness->localState();
    if (local && local->value(CursorKey).isNull())
        return;
    m_awareness->setLocalStateField(CursorKey, QJsonValue::Null);
}

QList<RemoteCursor> DocumentSession::remoteCursors() const
{
    QList<RemoteCursor> cursors;
    const auto &states = m_awareness->states();
    for (auto it = states.cbegin(); it != states.cend(); ++it) {
        if (it.key() == m_awareness->clientId())
            continue;
        const QJsonObject cursor = it->value(CursorKey).toObject();
        const auto anchor =
            crdt::RelativePosition::fromJson(cursor.value(QStringLiteral("anchor")).toObject());
        const auto head = crdt::RelativePosition::fromJson(cursor.value(QStringLiteral("head")).toObject());
        if (!anchor || !head)
            continue;
        const auto anchorAt = crdt::resolveRelativePosition(*anchor, *m_doc);
        const auto headAt = crdt::resolveRelativePosition(*head, *m_doc);
        if (!anchorAt || !headAt || anchorAt->type != m_text.sharedType() ||
            headAt->type != m_text.sharedType())
            continue;
        const QJsonObject user = it->value(UserKey).toObject();
        RemoteCursor remote;
        remote.client = it.key();
        remote.name = user.value(QStringLiteral("name")).toString();
        remote.color = user.value(QStringLiteral("color")).toString();
        remote.anchor = anchorAt->index;
        remote.head = headAt->index;
        remote.changedAtMs = m_cursorMovedAt.value(it.key(), m_clock.monotonicMs());
        cursors.append(remote);
    }
    std::sort(cursors.begin(), cursors.end(),
              [](const RemoteCursor &a, const RemoteCursor &b) { return a.client < b.client; });
    return cursors;
}

bool DocumentSession::save()
{
    if (!m_store || !m_store->isOpen())
        return false;
    const auto state = m_doc->encodeStateAsUpdate();
    if (!state)
        return false;
    if (const auto saved = m_store->saveDocument(m_roomId, *state); !saved) {
        qCWarning(lcDocs) << "cannot store the document of" << m_roomId << saved.error().message;
        Q_EMIT storeFailed(saved.error().message);
        return false;
    }
    return true;
}

void DocumentSession::flush()
{
    if (m_flushTimer != 0) {
        m_timers.cancel(m_flushTimer);
        m_flushTimer = 0;
    }
    if (!m_serverAnswered || !m_session.isAuthenticated()) {
        m_pendingUpdates.clear();
        m_awarenessDirty = false;
        return;
    }
    if (m_pendingUpdates.size() == 1) {
        send(crdt::websocket::syncUpdate(m_pendingUpdates.first()));
    } else if (!m_pendingUpdates.isEmpty()) {
        // Several edits in one frame: everything since the state before the
        // first (remote structs received meanwhile come along; they are known).
        if (const auto diff = m_doc->encodeStateAsUpdate(m_flushBase))
            send(crdt::websocket::syncUpdate(*diff));
    }
    m_pendingUpdates.clear();
    m_flushBase = m_doc->encodeStateVector();
    if (m_awarenessDirty) {
        m_awarenessDirty = false;
        send(crdt::websocket::awareness(m_awareness->encodeUpdate({m_awareness->clientId()})));
    }
}

void DocumentSession::onDocumentMessage(const QByteArray &message)
{
    if (!m_serverAnswered) {
        // The server has the document open for us: ask for what we lack, and
        // say who we are. Our step 2 answers its step 1.
        m_serverAnswered = true;
        m_pendingUpdates.clear();
        m_flushBase = m_doc->encodeStateVector();
        send(crdt::websocket::syncStep1(*m_doc));
        if (m_awareness->localState()) {
            m_awarenessDirty = false;
            send(crdt::websocket::awareness(m_awareness->encodeUpdate({m_awareness->clientId()})));
        }
    }
    crdt::Lib0Decoder decoder(message);
    const auto type = decoder.readVarUint();
    if (decoder.failed())
        return;
    switch (type) {
    case quint64(crdt::websocket::MessageType::Sync): {
        crdt::Lib0Encoder reply;
        reply.writeVarUint(quint64(crdt::websocket::MessageType::Sync));
        const auto read = crdt::sync::readMessage(decoder, reply, *m_doc, kRemoteOrigin);
        if (!read) {
            qCWarning(lcDocs) << "refused a sync message for" << m_roomId << read.error().message;
            return;
        }
        if (*read == crdt::sync::MessageType::Step1)
            send(reply.data());
        else if (*read == crdt::sync::MessageType::Step2)
            setSynced(true);
        return;
    }
    case quint64(crdt::websocket::MessageType::Awareness): {
        const QByteArray update = decoder.readVarUint8Array();
        if (decoder.failed())
            return;
        if (const auto applied = m_awareness->applyUpdate(update, kRemoteOrigin); !applied)
            qCWarning(lcDocs) << "refused an awareness update for" << m_roomId << applied.error().message;
        return;
    }
    case quint64(crdt::websocket::MessageType::Auth):
        qCWarning(lcDocs) << "the server refused the document" << m_roomId;
        Q_EMIT refused(tr("The server refused the document of #%1.").arg(m_roomId));
        return;
    case quint64(crdt::websocket::MessageType::QueryAwareness):
        send(crdt::websocket::awareness(m_awareness->encodeUpdate(m_awareness->states().keys())));
        return;
    default:
        return;
    }
}

void DocumentSession::onDocumentOpening(const QString &roomId)
{
    if (roomId != m_roomId)
        return;
    m_serverAnswered = false;
    setSynced(false);
}

void DocumentSession::onStateChanged(client::Session::State state)
{
    if (state == client::Session::State::Connected)
        return;
    m_serverAnswered = false;
    m_pendingUpdates.clear();
    setSynced(false);
    // As y-websocket on close: the others' presence is unknown until we are back.
    QList<crdt::ClientId> remote;
    for (const crdt::ClientId client : m_awareness->states().keys()) {
        if (client != m_awareness->clientId())
            remote.append(client);
    }
    if (!remote.isEmpty())
        m_awareness->removeStates(remote, kRemoteOrigin);
}

void DocumentSession::onDocUpdated(const QByteArray &update, crdt::Origin origin, bool local)
{
    if (origin == kStoreOrigin)
        return;
    scheduleSave();
    if (local) {
        if (m_serverAnswered) {
            m_pendingUpdates.append(update);
            scheduleFlush();
        }
    } else if (m_pendingUpdates.isEmpty()) {
        m_flushBase = m_doc->encodeStateVector();
    }
    // Remote edits move the others' carets too.
    if (!local && m_awareness->states().size() > 1)
        Q_EMIT remoteCursorsChanged();
}

void DocumentSession::onAwarenessUpdated(const crdt::AwarenessChange &change, crdt::Origin origin)
{
    if (origin == kRemoteOrigin || !change.all().contains(m_awareness->clientId()))
        return;
    m_awarenessDirty = true;
    scheduleFlush();
}

void DocumentSession::onAwarenessChanged(const crdt::AwarenessChange &change, crdt::Origin origin)
{
    Q_UNUSED(origin)
    bool remote = false;
    const qint64 now = m_clock.monotonicMs();
    for (const crdt::ClientId client : change.added + change.updated) {
        if (client != m_awareness->clientId()) {
            m_cursorMovedAt.insert(client, now);
            remote = true;
        }
    }
    for (const crdt::ClientId client : change.removed) {
        m_cursorMovedAt.remove(client);
        remote = remote || client != m_awareness->clientId();
    }
    if (remote)
        Q_EMIT remoteCursorsChanged();
}

void DocumentSession::scheduleFlush()
{
    if (m_flushTimer == 0)
        m_flushTimer = m_timers.start(kFlushIntervalMs, [this] {
            m_flushTimer = 0;
            flush();
        });
}

void DocumentSession::scheduleSave()
{
    if (m_saveTimer == 0 && m_store)
        m_saveTimer = m_timers.start(kSaveDelayMs, [this] {
            m_saveTimer = 0;
            save();
        });
}

void DocumentSession::scheduleAwarenessCheck()
{
    m_awarenessTimer = m_timers.start(crdt::Awareness::kCheckIntervalMs, [this] {
        m_awarenessTimer = 0;
        m_awareness->checkTimeouts();
        scheduleAwarenessCheck();
    });
}

void DocumentSession::send(const QByteArray &frame)
{
    if (m_session.isAuthenticated())
        if (const auto sent = m_session.sendDocumentMessage(m_roomId, frame); !sent)
            qCDebug(lcDocs) << "not sent:" << sent.error().message;
}

void DocumentSession::setSynced(bool synced)
{
    if (m_synced == synced)
        return;
    m_synced = synced;
    Q_EMIT syncedChanged(synced);
}

} // namespace tandem::docs
