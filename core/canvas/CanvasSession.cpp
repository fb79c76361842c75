#include "core/canvas/CanvasSession.h"

#include "core/protocol/ClientMessage.h"
#include "core/protocol/MessageType.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

namespace tandem::canvas {

Q_LOGGING_CATEGORY(lcCanvasSession, "tandem.canvas.session")

using protocol::MessageType::CanvasChanged;
using protocol::MessageType::CanvasState;
using protocol::MessageType::CanvasSynced;

namespace {

QJsonObject payloadOf(const QJsonObject &message)
{
    return message.value(QLatin1String("payload")).toObject();
}

QJsonArray toJson(const QList<CanvasOp> &ops)
{
    QJsonArray array;
    for (const CanvasOp &op : ops)
        array.append(op.toJson());
    return array;
}

/// The stored row: the merged state and the seq it is synced through.
QByteArray encodeStored(const QList<CanvasOp> &ops, std::optional<qint64> syncedThrough)
{
    QJsonObject row{{QStringLiteral("ops"), toJson(ops)}};
    if (syncedThrough)
        row.insert(QStringLiteral("syncedThrough"), *syncedThrough);
    return QJsonDocument(row).toJson(QJsonDocument::Compact);
}

} // namespace

CanvasSession::CanvasSession(client::Session &session, offline::OfflineSync &offline, QString userId,
                             QString roomId, const Clock &clock, client::TimerSource &timers, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_offline(offline)
    , m_userId(std::move(userId))
    , m_roomId(std::move(roomId))
    , m_clock(clock)
    , m_timers(timers)
{
    offline::HybridLogicalClock &hlc = m_offline.clock();
    m_editor = std::make_unique<CanvasEditor>(m_userId, hlc.nodeId(), [&hlc] { return hlc.now(); });
    m_cursors = std::make_unique<RemoteCursors>(m_clock);
    m_throttle = std::make_unique<CursorThrottle>(m_clock, m_timers,
                                                  [this](QPointF position) { return sendCursor(position); });
    connect(m_editor.get(), &CanvasEditor::localOps, this, &CanvasSession::onLocalOps);
    connect(m_editor.get(), &CanvasEditor::changed, this, &CanvasSession::scheduleSave);
}

CanvasSession::~CanvasSession()
{
    for (const int id : std::as_const(m_subscriptions))
        m_session.unsubscribe(id);
    if (m_saveTimer)
        m_timers.cancel(m_saveTimer);
    if (m_opened)
        saveNow();
}

void CanvasSession::open()
{
    if (m_opened)
        return;
    m_opened = true;
    QList<CanvasOp> restored;
    const auto appendOps = [&restored](const QJsonArray &ops) {
        for (const QJsonValue &value : ops) {
            if (auto op = CanvasOp::fromJson(value.toObject()))
                restored.append(*op);
        }
    };
    if (const auto stored = m_offline.store().canvas(m_roomId); !stored) {
        qCWarning(lcCanvasSession) << m_roomId
                                   << ": could not read the stored canvas:" << stored.error().message;
    } else if (stored->has_value()) {
        const QJsonObject row = QJsonDocument::fromJson(**stored).object();
        appendOps(row.value(QLatin1String("ops")).toArray());
        if (row.contains(QLatin1String("syncedThrough")))
            m_syncedThrough = row.value(QLatin1String("syncedThrough")).toInteger();
    }
    // Changes still queued were committed before anything showed them; the
    // stored state may predate them (a crash before the next save).
    for (const offline::Mutation &mutation : m_offline.queue().pending()) {
        if (mutation.isCanvas() && mutation.roomId == m_roomId)
            appendOps(mutation.payload.value(QLatin1String("ops")).toArray());
    }
    m_editor->applyRemote(restored);

    const auto on = [this](QLatin1StringView type, auto handler) {
        m_subscriptions.append(m_session.subscribe(
            QString(type), [this, handler](const QJsonObject &message) { (this->*handler)(message); }));
    };
    on(CanvasSynced, &CanvasSession::onCanvasSynced);
    on(protocol::MessageType::CursorMove, &CanvasSession::onCursorMove);
    on(protocol::MessageType::PresenceUpdate, &CanvasSession::onPresence);
    m_subscriptions.append(m_session.subscribe(QString(CanvasChanged), [this](const QJsonObject &message) {
        const QJsonObject payload = payloadOf(message);
        if (payload.value(QLatin1String("roomId")).toString() != m_roomId)
            return;
        mergeRemote(payload.value(QLatin1String("ops")).toArray());
        // After the sync every change arrives live, in order: the stored state covers it.
        if (m_synced)
            m_syncedThrough =
                std::max(m_syncedThrough.value_or(0), message.value(QLatin1String("seq")).toInteger());
    }));
    m_subscriptions.append(m_session.subscribe(QString(CanvasState), [this](const QJsonObject &message) {
        const QJsonObject payload = payloadOf(message);
        if (payload.value(QLatin1String("roomId")).toString() == m_roomId)
            mergeRemote(payload.value(QLatin1String("ops")).toArray());
    }));
    m_subscriptions.append(
        m_session.subscribe(QString(protocol::MessageType::Error), [this](const QJsonObject &message) {
            // A canvas change the server refused is the sync engine's to report; here only its text.
            const QJsonObject payload = payloadOf(message);
            const QString ref = payload.value(QLatin1String("ref")).toString();
            if (!m_syncRef.isEmpty() && ref == m_syncRef)
                Q_EMIT refused(payload.value(QLatin1String("message")).toString());
        }));
    connect(&m_session, &client::Session::roomJoined, this, &CanvasSession::onRoomJoined);
    connect(&m_session, &client::Session::stateChanged, this, [this](client::Session::State state) {
        if (state == client::Session::State::Connected)
            return;
        m_synced = false;
        m_cursors->clear();
        m_throttle->cancel();
    });
    connect(&m_offline.engine(), &offline::SyncEngine::mutationFailed, this,
            [this](const offline::Mutation &mutation, const QString &reason) {
                if (mutation.isCanvas() && mutation.roomId == m_roomId)
                    Q_EMIT refused(reason);
            });
    if (m_session.isRoomLive(m_roomId))
        onRoomJoined(m_roomId);
}

void CanvasSession::onRoomJoined(const QString &roomId)
{
    if (roomId != m_roomId)
        return;
    m_synced = false;
    QJsonObject payload{{QStringLiteral("roomId"), m_roomId}};
    if (m_syncedThrough)
        payload.insert(QStringLiteral("since"), *m_syncedThrough);
    const auto sent = m_session.sendRequest(QString(protocol::MessageType::CanvasSync), payload);
    if (!sent) {
        qCInfo(lcCanvasSession) << m_roomId << ": canvas:sync not sent:" << sent.error().message;
        return;
    }
    m_syncRef = *sent;
}

void CanvasSession::onCanvasSynced(const QJsonObject &message)
{
    const QJsonObject payload = payloadOf(message);
    if (payload.value(QLatin1String("roomId")).toString() != m_roomId)
        return;
    m_synced = true;
    m_syncedThrough = payload.value(QLatin1String("seq")).toInteger();
    saveNow();
    Q_EMIT synced();
}

void CanvasSession::mergeRemote(const QJsonArray &ops)
{
    QList<CanvasOp> parsed;
    parsed.reserve(ops.size());
    for (const QJsonValue &value : ops) {
        auto op = CanvasOp::fromJson(value.toObject());
        if (!op) {
            qCWarning(lcCanvasSession) << m_roomId << ": skipped a canvas op:" << op.error().message;
            continue;
        }
        // Our next write must be stamped after what we have seen, or a move
        // made after seeing someone's move could lose to it.
        (void)m_offline.clock().receive(op->stamp);
        parsed.append(*op);
    }
    m_editor->applyRemote(parsed);
}

void CanvasSession::onLocalOps(const QList<CanvasOp> &ops)
{
    // One user action is one mutation, split only where a batch exceeds what
    // one canvas:op may carry.
    QList<offline::Mutation> mutations;
    for (qsizetype start = 0; start < ops.size(); start += protocol::CanvasOpRequest::MaxOps) {
        offline::Mutation mutation;
        mutation.roomId = m_roomId;
        mutation.entity = offline::canvasEntity();
        mutation.type = QString(protocol::MessageType::CanvasOp);
        mutation.payload = {
            {QStringLiteral("ops"), toJson(ops.mid(start, protocol::CanvasOpRequest::MaxOps))}};
        mutations.append(mutation);
    }
    if (const auto queued = m_offline.queue().enqueue(mutations); !queued) {
        // The change is on screen but not durable: say so rather than pretend.
        qCWarning(lcCanvasSession) << m_roomId
                                   << ": could not queue a canvas change:" << queued.error().message;
        Q_EMIT refused(tr("Your drawing could not be saved: %1").arg(queued.error().message));
    }
}

void CanvasSession::scheduleSave()
{
    if (m_saveTimer)
        return;
    m_saveTimer = m_timers.start(SaveDelayMs, [this] {
        m_saveTimer = 0;
        saveNow();
    });
}

void CanvasSession::saveNow()
{
    if (m_saveTimer) {
        m_timers.cancel(m_saveTimer);
        m_saveTimer = 0;
    }
    if (const auto saved =
            m_offline.store().saveCanvas(m_roomId, encodeStored(m_editor->model().toOps(), m_syncedThrough));
        !saved)
        qCWarning(lcCanvasSession) << m_roomId << ": could not store the canvas:" << saved.error().message;
}

void CanvasSession::pointerMoved(QPointF position)
{
    m_throttle->pointerMoved(position);
}

void CanvasSession::pointerLeft()
{
    m_throttle->cancel();
}

bool CanvasSession::sendCursor(QPointF position)
{
    if (!m_session.isRoomLive(m_roomId))
        return false;
    return m_session
        .sendRequest(QString(protocol::MessageType::CursorMove), {{QStringLiteral("roomId"), m_roomId},
                                                                  {QStringLiteral("x"), position.x()},
                                                                  {QStringLiteral("y"), position.y()}})
        .hasValue();
}

void CanvasSession::onCursorMove(const QJsonObject &message)
{
    const QJsonObject payload = payloadOf(message);
    const QString userId = payload.value(QLatin1String("userId")).toString();
    if (payload.value(QLatin1String("roomId")).toString() != m_roomId || userId.isEmpty() ||
        userId == m_userId || m_absent.contains(userId))
        return;
    m_cursors->moved(userId, QPointF(payload.value(QLatin1String("x")).toDouble(),
                                     payload.value(QLatin1String("y")).toDouble()));
}

void CanvasSession::onPresence(const QJsonObject &message)
{
    const QJsonObject payload = payloadOf(message);
    const QString userId = payload.value(QLatin1String("userId")).toString();
    if (payload.value(QLatin1String("roomId")).toString() != m_roomId || userId == m_userId)
        return;
    const QString status = payload.value(QLatin1String("status")).toString();
    if (status == QLatin1String("offline")) {
        // A move the server held for a slow connection may still arrive after this.
        m_absent.insert(userId);
        m_cursors->remove(userId);
        Q_EMIT presenceChanged();
        return;
    }
    if (m_absent.remove(userId))
        Q_EMIT presenceChanged();
    m_cursors->setAway(userId, status == QLatin1String("away"));
}

} // namespace tandem::canvas
