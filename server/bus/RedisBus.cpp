#include "server/bus/RedisBus.h"

#include "server/bus/RedisEventLoop.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QUrl>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <chrono>
#include <vector>

Q_LOGGING_CATEGORY(lcBus, "tandem.server.bus")

namespace tandem::server {

using protocol::ErrorCode;
using protocol::fail;

namespace {

constexpr int FirstRetryMs = 100;
constexpr int MaxRetryMs = 5000;
constexpr int HealthIntervalMs = 1000;
constexpr int HealthTimeoutMs = 5000;
constexpr const char *ChannelPrefix = "tandem:room:";

QByteArray replyText(const redisReply *reply)
{
    return QByteArray(reply->str, static_cast<qsizetype>(reply->len));
}

/// Wall-clock time, so that a timestamp could also be read by another host.
qint64 nowMicroseconds()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

protocol::Result<RedisEndpoint> RedisEndpoint::parse(const QString &url)
{
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.scheme() != QLatin1String("redis") || parsed.host().isEmpty())
        return fail(ErrorCode::BadRequest, QStringLiteral("the Redis URL must be redis://host:port"));
    if (!parsed.userInfo().isEmpty() || parsed.hasQuery() || parsed.hasFragment() ||
        (parsed.path() != QLatin1String("/") && !parsed.path().isEmpty()))
        return fail(
            ErrorCode::BadRequest,
            QStringLiteral("the Redis URL takes a host and a port only (no user, database or options)"));
    RedisEndpoint endpoint;
    endpoint.host = parsed.host();
    const int port = parsed.port(6379);
    if (port <= 0)
        return fail(ErrorCode::BadRequest, QStringLiteral("bad port in the Redis URL"));
    endpoint.port = static_cast<quint16>(port);
    return endpoint;
}

RedisBus::RedisBus(RedisEndpoint endpoint, QString instanceId, QObject *parent)
    : RoomBus(parent)
    , m_endpoint(std::move(endpoint))
    , m_instanceId(std::move(instanceId))
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &RedisBus::connectNow);
    m_healthTimer.setInterval(HealthIntervalMs);
    connect(&m_healthTimer, &QTimer::timeout, this, &RedisBus::checkHealth);
}

RedisBus::~RedisBus()
{
    // Freeing runs every pending callback with a null reply; they must not act on a bus that is
    // going away, and their heap-held handlers are freed on the way.
    m_destroying = true;
    for (redisAsyncContext **context : {&m_publisher, &m_subscriber}) {
        if (redisAsyncContext *open = std::exchange(*context, nullptr))
            redisAsyncFree(open);
    }
}

QString RedisBus::channelOf(const QString &roomId)
{
    return QLatin1String(ChannelPrefix) + roomId;
}

void RedisBus::start()
{
    connectNow();
}

redisAsyncContext *RedisBus::openContext()
{
    redisAsyncContext *context = redisAsyncConnect(m_endpoint.host.toUtf8().constData(), m_endpoint.port);
    if (!context)
        return nullptr;
    if (context->err) {
        qCWarning(lcBus) << "cannot reach Redis at" << m_endpoint.host << m_endpoint.port << ":"
                         << context->errstr;
        redisAsyncFree(context);
        return nullptr;
    }
    context->data = this;
    attachToEventLoop(context, this);
    redisAsyncSetConnectCallback(context, &RedisBus::onConnect);
    redisAsyncSetDisconnectCallback(context, &RedisBus::onDisconnect);
    return context;
}

void RedisBus::connectNow()
{
    if (m_publisher || m_subscriber)
        return;
    m_publisherReady = m_subscriberReady = false;
    m_publisher = openContext();
    m_subscriber = m_publisher ? openContext() : nullptr;
    if (!m_publisher || !m_subscriber)
        connectionLost(QStringLiteral("cannot open a connection"));
}

void RedisBus::onConnect(const redisAsyncContext *context, int status)
{
    if (auto *bus = static_cast<RedisBus *>(context->data))
        bus->onContextConnected(context, status);
}

void RedisBus::onDisconnect(const redisAsyncContext *context, int status)
{
    if (auto *bus = static_cast<RedisBus *>(context->data))
        bus->onContextDisconnected(context, status);
}

void RedisBus::onContextConnected(const redisAsyncContext *context, int status)
{
    if (status != REDIS_OK) {
        // hiredis frees the context after this callback.
        const QString why = QString::fromUtf8(context->errstr);
        if (context == m_publisher)
            m_publisher = nullptr;
        if (context == m_subscriber)
            m_subscriber = nullptr;
        connectionLost(why);
        return;
    }
    if (context == m_publisher)
        m_publisherReady = true;
    if (context == m_subscriber)
        m_subscriberReady = true;
    if (!m_publisherReady || !m_subscriberReady)
        return;
    m_up = true;
    m_attempt = 0;
    m_leaving.clear();
    m_pingSentMs = -1;
    m_healthTimer.start();
    qCInfo(lcBus).noquote() << (m_everUp ? "reconnected to" : "connected to") << "Redis at"
                            << QStringLiteral("%1:%2").arg(m_endpoint.host).arg(m_endpoint.port)
                            << "as instance" << m_instanceId;
    m_everUp = true;
    sendSubscription("SUBSCRIBE", m_rooms.values());
    Q_EMIT connectedChanged(true);
}

void RedisBus::onContextDisconnected(const redisAsyncContext *context, int status)
{
    // hiredis frees the context after this callback.
    const QString why = status == REDIS_OK ? QStringLiteral("closed") : QString::fromUtf8(context->errstr);
    if (context == m_publisher)
        m_publisher = nullptr;
    else if (context == m_subscriber)
        m_subscriber = nullptr;
    else
        return;
    connectionLost(why);
}

void RedisBus::connectionLost(const QString &why)
{
    if (m_destroying)
        return;
    const bool wasUp = std::exchange(m_up, false);
    m_publisherReady = m_subscriberReady = false;
    m_healthTimer.stop();
    // The other connection goes too, next turn: freeing it here could re-enter hiredis from
    // inside one of its own callbacks.
    QTimer::singleShot(0, this, [this] {
        for (redisAsyncContext **context : {&m_publisher, &m_subscriber}) {
            if (redisAsyncContext *open = std::exchange(*context, nullptr))
                redisAsyncFree(open);
        }
        scheduleReconnect();
    });
    if (wasUp) {
        qCWarning(lcBus).noquote() << "lost Redis at"
                                   << QStringLiteral("%1:%2").arg(m_endpoint.host).arg(m_endpoint.port) << "("
                                   << why
                                   << "): rooms are served to this instance's clients only until it is back";
        Q_EMIT connectedChanged(false);
    } else if (m_attempt == 0) {
        qCWarning(lcBus).noquote() << "Redis at"
                                   << QStringLiteral("%1:%2").arg(m_endpoint.host).arg(m_endpoint.port)
                                   << "is unreachable (" << why << "); retrying with backoff";
    }
}

void RedisBus::checkHealth()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_pingSentMs >= 0) {
        if (now - m_pingSentMs > HealthTimeoutMs)
            connectionLost(QStringLiteral("no answer to PING for %1 ms").arg(now - m_pingSentMs));
        return;
    }
    m_pingSentMs = now;
    command({"PING"}, [this](redisReply *reply) {
        if (reply)
            m_pingSentMs = -1;
    });
}

void RedisBus::scheduleReconnect()
{
    if (m_destroying || m_reconnectTimer.isActive() || m_publisher || m_subscriber)
        return;
    const int delay = std::min(MaxRetryMs, FirstRetryMs << std::min(m_attempt, 6));
    ++m_attempt;
    m_reconnectTimer.start(delay);
}

void RedisBus::subscribe(const QString &roomId)
{
    if (m_rooms.contains(roomId))
        return;
    m_rooms.insert(roomId);
    // While an UNSUBSCRIBE of this channel is unanswered, a SUBSCRIBE now would have its callback
    // dropped by hiredis when that answer comes: it waits for the answer instead.
    if (m_up && !m_leaving.contains(roomId))
        sendSubscription("SUBSCRIBE", {roomId});
}

void RedisBus::unsubscribe(const QString &roomId)
{
    if (!m_rooms.remove(roomId))
        return;
    if (m_up && !m_leaving.contains(roomId)) {
        m_leaving.insert(roomId);
        sendSubscription("UNSUBSCRIBE", {roomId});
    }
}

void RedisBus::sendSubscription(const char *verb, const QStringList &roomIds)
{
    if (!m_subscriber || roomIds.isEmpty())
        return;
    std::vector<QByteArray> arguments{QByteArray(verb)};
    for (const QString &roomId : roomIds)
        arguments.push_back(channelOf(roomId).toUtf8());
    std::vector<const char *> pointers;
    std::vector<size_t> lengths;
    for (const QByteArray &argument : arguments) {
        pointers.push_back(argument.constData());
        lengths.push_back(static_cast<size_t>(argument.size()));
    }
    // The same callback for every channel: hiredis keeps it for as long as the subscription lasts.
    redisAsyncCommandArgv(m_subscriber, &RedisBus::onSubscriptionReply, nullptr,
                          static_cast<int>(pointers.size()), pointers.data(), lengths.data());
}

void RedisBus::onSubscriptionReply(redisAsyncContext *context, void *reply, void *)
{
    auto *bus = static_cast<RedisBus *>(context->data);
    if (!bus || !reply || bus->m_destroying)
        return;
    bus->onSubscriptionMessage(static_cast<redisReply *>(reply));
}

void RedisBus::onSubscriptionMessage(redisReply *reply)
{
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 3 ||
        reply->element[0]->type != REDIS_REPLY_STRING)
        return;
    const QByteArray kind = replyText(reply->element[0]);
    const QByteArray channel = replyText(reply->element[1]);
    if (!channel.startsWith(ChannelPrefix))
        return;
    const QString roomId = QString::fromUtf8(channel.mid(qstrlen(ChannelPrefix)));
    if (kind == "unsubscribe") {
        m_leaving.remove(roomId);
        if (m_rooms.contains(roomId))
            sendSubscription("SUBSCRIBE", {roomId});
        return;
    }
    if (kind == "subscribe") {
        // Only now does Redis forward the room's messages: anything published before is in the store.
        if (m_rooms.contains(roomId))
            Q_EMIT subscribed(roomId);
        return;
    }
    if (kind != "message" || reply->element[2]->type != REDIS_REPLY_STRING || !m_rooms.contains(roomId))
        return;
    const QByteArray body = replyText(reply->element[2]);
    const qsizetype newline = body.indexOf('\n');
    if (newline < 0)
        return;
    // "<instance> <published µs>\n", or "<instance>\n" from an older instance. An older instance
    // takes the whole line for an instance id, so a newer one's message is foreign to it, as it is.
    QByteArrayView sender(body.constData(), newline);
    qint64 publishedUs = -1;
    if (const qsizetype space = sender.lastIndexOf(' '); space >= 0) {
        bool ok = false;
        publishedUs = sender.sliced(space + 1).toLongLong(&ok);
        if (!ok)
            publishedUs = -1;
        sender = sender.first(space);
    }
    // Each instance hears its own publications too: those were delivered locally already. Their
    // lag is measured on one clock, where another instance's would include the hosts' clock skew.
    if (QLatin1String(sender.data(), sender.size()) == m_instanceId) {
        if (publishedUs >= 0)
            Q_EMIT lagMeasured(static_cast<double>(std::max<qint64>(0, nowMicroseconds() - publishedUs)) /
                               1e6);
        return;
    }
    Q_EMIT received(roomId, body.mid(newline + 1));
}

void RedisBus::publish(const QString &roomId, const QByteArray &message)
{
    if (!m_up)
        return;
    command({"PUBLISH", channelOf(roomId).toUtf8(),
             m_instanceId.toUtf8() + ' ' + QByteArray::number(nowMicroseconds()) + '\n' + message});
}

void RedisBus::setLease(const QString &group, const QString &key, const QByteArray &value, int ttlMs)
{
    if (!m_up)
        return;
    command({"SET", key.toUtf8(), value, "PX", QByteArray::number(ttlMs)});
    // The group is a set of key names; it outlives its leases a little, and goes with the last
    // instance that renews any of them. Names of expired leases are pruned by readLeases().
    command({"SADD", group.toUtf8(), key.toUtf8()});
    command({"PEXPIRE", group.toUtf8(), QByteArray::number(qint64(ttlMs) * 2)});
}

void RedisBus::dropLease(const QString &group, const QString &key)
{
    if (!m_up)
        return;
    command({"DEL", key.toUtf8()});
    command({"SREM", group.toUtf8(), key.toUtf8()});
}

void RedisBus::tryLock(const QString &key, int ttlMs, std::function<void()> acquired)
{
    if (!m_up)
        return;
    command({"SET", key.toUtf8(), m_instanceId.toUtf8(), "NX", "PX", QByteArray::number(ttlMs)},
            [acquired = std::move(acquired)](redisReply *reply) {
                // OK when taken; nil when someone else holds it.
                if (reply && reply->type == REDIS_REPLY_STATUS)
                    acquired();
            });
}

void RedisBus::readLeases(const QString &group, std::function<void(QHash<QString, QByteArray>)> done)
{
    if (!m_up)
        return;
    const QByteArray set = group.toUtf8();
    command({"SMEMBERS", set}, [this, set, done = std::move(done)](redisReply *members) {
        if (!members || members->type != REDIS_REPLY_ARRAY)
            return;
        QList<QByteArray> names;
        for (size_t i = 0; i < members->elements; ++i)
            names.append(replyText(members->element[i]));
        if (names.isEmpty()) {
            done({});
            return;
        }
        command(QList<QByteArray>{"MGET"} + names, [this, set, names, done](redisReply *values) {
            if (!values || values->type != REDIS_REPLY_ARRAY || values->elements != size_t(names.size()))
                return;
            QHash<QString, QByteArray> found;
            QList<QByteArray> expired{"SREM", set};
            for (size_t i = 0; i < values->elements; ++i) {
                const QByteArray &name = names.at(qsizetype(i));
                if (values->element[i]->type == REDIS_REPLY_STRING)
                    found.insert(QString::fromUtf8(name), replyText(values->element[i]));
                else
                    expired.append(name); // nil: the lease expired, its name goes too
            }
            if (expired.size() > 2)
                command(expired);
            done(found);
        });
    });
}

void RedisBus::command(const QList<QByteArray> &arguments, ReplyHandler handler)
{
    if (!m_publisher)
        return;
    std::vector<const char *> pointers;
    std::vector<size_t> lengths;
    for (const QByteArray &argument : arguments) {
        pointers.push_back(argument.constData());
        lengths.push_back(static_cast<size_t>(argument.size()));
    }
    auto *held = new ReplyHandler(std::move(handler));
    if (redisAsyncCommandArgv(m_publisher, &RedisBus::onReply, held, static_cast<int>(pointers.size()),
                              pointers.data(), lengths.data()) != REDIS_OK)
        delete held;
}

void RedisBus::onReply(redisAsyncContext *context, void *reply, void *privdata)
{
    std::unique_ptr<ReplyHandler> handler(static_cast<ReplyHandler *>(privdata));
    auto *bus = static_cast<RedisBus *>(context->data);
    auto *answer = static_cast<redisReply *>(reply);
    if (!bus || bus->m_destroying)
        return;
    if (answer && answer->type == REDIS_REPLY_ERROR)
        qCWarning(lcBus) << "Redis refused a command:" << replyText(answer);
    if (*handler)
        (*handler)(answer && answer->type != REDIS_REPLY_ERROR ? answer : nullptr);
}

} // namespace tandem::server
