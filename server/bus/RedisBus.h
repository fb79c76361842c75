#pragma once
// RoomBus over Redis, through hiredis' asynchronous API driven by Qt's event
// loop (RedisEventLoop.h), so no call ever waits on Redis. Two connections:
// a subscribed one carries the room channels (a subscribed Redis connection
// accepts nothing else), the other publishes and keeps the presence leases.
// When either drops, the bus logs the outage, retries with exponential
// backoff, and once both are back subscribes every room again and says so
// (connectedChanged, subscribed) so the hub can catch up from the store.
// A Redis that stops answering without closing the socket (a paused process,
// a lost route) is noticed by a PING that goes unanswered, and treated alike.

#include "core/protocol/ErrorCode.h"
#include "server/bus/RoomBus.h"

#include <QSet>
#include <QTimer>

#include <functional>

struct redisAsyncContext;
struct redisReply;

namespace tandem::server {

/// Where Redis listens, from redis://host:port.
struct RedisEndpoint {
    QString host;
    quint16 port = 6379;

    /// redis://host[:port][/]; anything else is a BadRequest naming what is wrong.
    static protocol::Result<RedisEndpoint> parse(const QString &url);
};

class RedisBus : public RoomBus {
    Q_OBJECT

public:
    /// `instanceId` must be unique in the cluster and contain no ':', space nor newline.
    RedisBus(RedisEndpoint endpoint, QString instanceId, QObject *parent = nullptr);
    ~RedisBus() override;

    /// Connects (asynchronously). Until connected, publishing drops messages.
    void start();

    QString instanceId() const override { return m_instanceId; }
    bool isConnected() const override { return m_up; }
    void subscribe(const QString &roomId) override;
    void unsubscribe(const QString &roomId) override;
    void publish(const QString &roomId, const QByteArray &message) override;
    void setLease(const QString &group, const QString &key, const QByteArray &value, int ttlMs) override;
    void dropLease(const QString &group, const QString &key) override;
    void tryLock(const QString &key, int ttlMs, std::function<void()> acquired) override;
    void readLeases(const QString &group, std::function<void(QHash<QString, QByteArray>)> done) override;

    static QString channelOf(const QString &roomId);

Q_SIGNALS:
    /// One of this instance's own messages came back from Redis `seconds` after it was published:
    /// the bus lag, measured on one clock.
    void lagMeasured(double seconds);

private:
    using ReplyHandler = std::function<void(redisReply *)>;

    redisAsyncContext *openContext();
    void connectNow();
    void onContextConnected(const redisAsyncContext *context, int status);
    void onContextDisconnected(const redisAsyncContext *context, int status);
    /// One of the two connections is gone: drop the other, retry later.
    void connectionLost(const QString &why);
    void scheduleReconnect();
    /// Pings Redis; one PING unanswered past the timeout counts as an outage.
    void checkHealth();
    void sendSubscription(const char *verb, const QStringList &roomIds);
    void onSubscriptionMessage(redisReply *reply);
    /// A command on the publishing connection; `handler` (if any) gets the reply, or null when
    /// the connection went away first.
    void command(const QList<QByteArray> &arguments, ReplyHandler handler = {});

    static void onReply(redisAsyncContext *context, void *reply, void *privdata);
    static void onSubscriptionReply(redisAsyncContext *context, void *reply, void *privdata);
    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);

    RedisEndpoint m_endpoint;
    QString m_instanceId;
    redisAsyncContext *m_publisher = nullptr;
    redisAsyncContext *m_subscriber = nullptr;
    bool m_publisherReady = false;
    bool m_subscriberReady = false;
    bool m_up = false;
    bool m_everUp = false;
    bool m_destroying = false;
    int m_attempt = 0;
    QSet<QString> m_rooms;   ///< what should be subscribed, whether or not Redis is reachable now
    QSet<QString> m_leaving; ///< UNSUBSCRIBE sent, not yet answered
    QTimer m_reconnectTimer;
    QTimer m_healthTimer;
    qint64 m_pingSentMs = -1; ///< when the unanswered PING went out; -1 when none is
};

} // namespace tandem::server
