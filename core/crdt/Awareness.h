#pragma once
// The y-protocols awareness protocol: per-client presence states (cursor,
// name, colour) as JSON, each with a clock. Newer clocks win; a "null" state
// at the same clock removes a client; states not renewed for 30 s expire.
// Time comes from an injected tandem::Clock so tests need no sleeping.

#include "core/common/Clock.h"
#include "core/common/Expected.h"
#include "core/crdt/CrdtError.h"
#include "core/crdt/Id.h"
#include "core/crdt/Transaction.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTimer>

#include <optional>

namespace tandem::crdt {

struct AwarenessChange {
    QList<ClientId> added;
    QList<ClientId> updated;
    QList<ClientId> removed;

    bool isEmpty() const { return added.isEmpty() && updated.isEmpty() && removed.isEmpty(); }
    /// Every client in the change, as providers broadcast it.
    QList<ClientId> all() const { return added + updated + removed; }
};

class Awareness : public QObject {
    Q_OBJECT
public:
    /// Remote states expire after this long without renewal.
    static constexpr qint64 kOutdatedTimeoutMs = 30000;
    /// How often checkTimeouts() should run (what Yjs's interval does).
    static constexpr qint64 kCheckIntervalMs = kOutdatedTimeoutMs / 10;

    /// Starts with the local state {} at clock 0, as Yjs does.
    explicit Awareness(ClientId clientId, const tandem::Clock &clock = tandem::Clock::system(),
                       QObject *parent = nullptr);

    ClientId clientId() const { return m_clientId; }
    /// The local state; nullopt once set to null (offline).
    std::optional<QJsonObject> localState() const;
    void setLocalState(const std::optional<QJsonObject> &state);
    void setLocalStateField(const QString &key, const QJsonValue &value);

    /// Every known state, local included.
    const QHash<ClientId, QJsonObject> &states() const { return m_states; }
    std::optional<quint64> clockOf(ClientId client) const;

    /// encodeAwarenessUpdate: the given clients' states (null when removed).
    QByteArray encodeUpdate(const QList<ClientId> &clients) const;
    /// Applies a peer's awareness update atomically (all or nothing).
    Expected<AwarenessChange, DecodeError> applyUpdate(const QByteArray &update, Origin origin = 0);
    /// Removes states (e.g. of a closed connection's clients).
    void removeStates(const QList<ClientId> &clients, Origin origin = 0);

    /// Renews the local state when it is half-way to expiring and removes
    /// remote states older than the timeout. Run it every kCheckIntervalMs,
    /// by hand or with startPeriodicCheck().
    void checkTimeouts();
    void startPeriodicCheck();

    /// Origin of removals by checkTimeouts().
    static constexpr Origin kTimeoutOrigin = Origin(-1);

signals:
    /// A state was added, changed (by value) or removed.
    void changed(const tandem::crdt::AwarenessChange &change, tandem::crdt::Origin origin);
    /// As changed, and also on renewals that change nothing: what to broadcast.
    void updated(const tandem::crdt::AwarenessChange &change, tandem::crdt::Origin origin);

private:
    struct Meta {
        quint64 clock = 0;
        qint64 lastUpdatedMs = 0;
    };
    void emitChange(const AwarenessChange &filtered, const AwarenessChange &all, Origin origin);

    ClientId m_clientId;
    const tandem::Clock &m_clock;
    QHash<ClientId, QJsonObject> m_states;
    QHash<ClientId, Meta> m_meta;
    QTimer m_checkTimer;
};

} // namespace tandem::crdt
