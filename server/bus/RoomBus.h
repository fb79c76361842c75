#pragma once
// The narrow interface through which the hub reaches the other tandem-server
// instances of a cluster (docs/ARCHITECTURE.md, "Several instances"): one
// publish/subscribe channel per room, and presence leases that expire on their
// own. RedisBus implements it over Redis; without --redis the hub has no bus
// and behaves as a single instance.

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>

#include <functional>

namespace tandem::server {

class RoomBus : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;

    /// This instance's id, carried by every message it publishes so that it can ignore its own.
    virtual QString instanceId() const = 0;
    /// True while messages published now reach the other instances.
    virtual bool isConnected() const = 0;

    /// Starts receiving the room's messages (received()); subscribed() follows once the channel
    /// is live, and again after every reconnection.
    virtual void subscribe(const QString &roomId) = 0;
    virtual void unsubscribe(const QString &roomId) = 0;
    /// Sends to every other instance subscribed to the room. Dropped while disconnected: the
    /// receivers catch up from the shared store when the bus is back.
    virtual void publish(const QString &roomId, const QByteArray &message) = 0;

    /// A key that disappears `ttlMs` after it was last set, unless set again; listed in `group`
    /// so that readLeases() finds a group's leases without walking the keyspace.
    virtual void setLease(const QString &group, const QString &key, const QByteArray &value, int ttlMs) = 0;
    virtual void dropLease(const QString &group, const QString &key) = 0;
    /// Takes `key` for `ttlMs` unless someone holds it; `acquired` runs only if this call took it.
    virtual void tryLock(const QString &key, int ttlMs, std::function<void()> acquired) = 0;
    /// Every live lease of `group`, key -> value; `done` is not called when the bus cannot answer.
    virtual void readLeases(const QString &group, std::function<void(QHash<QString, QByteArray>)> done) = 0;

Q_SIGNALS:
    /// A message another instance published to a room this one subscribes to.
    void received(const QString &roomId, const QByteArray &message);
    /// The room's channel is live: whatever was published before may have been missed.
    void subscribed(const QString &roomId);
    void connectedChanged(bool connected);
};

} // namespace tandem::server
