#include "core/client/FallbackTransport.h"

#include "core/client/ClientLogging.h"
#include "core/client/SseTransport.h"
#include "core/client/WebSocketTransport.h"
#include "core/protocol/ErrorCode.h"

namespace tandem::client {

namespace {
/// RFC 6455: "closed abnormally, without a close frame".
constexpr int CloseAbnormal = 1006;
constexpr std::array AllModes{FallbackTransport::Mode::Auto, FallbackTransport::Mode::WebSocket,
                              FallbackTransport::Mode::Sse, FallbackTransport::Mode::Polling};
} // namespace

FallbackPolicy FallbackPolicy::forConnectTimeout(qint64 connectTimeoutMs)
{
    FallbackPolicy policy;
    policy.webSocketStageMs = connectTimeoutMs * 4 / 10;
    policy.sseStageMs = connectTimeoutMs * 3 / 10;
    policy.pollingStageMs = connectTimeoutMs - policy.webSocketStageMs - policy.sseStageMs;
    return policy;
}

FallbackTransport::Factories FallbackTransport::defaultFactories(TimerSource &timers, qint64 connectTimeoutMs,
                                                                 PollingPolicy pollingPolicy)
{
    TimerSource *source = &timers;
    return {
        [source, connectTimeoutMs] {
            return std::make_unique<WebSocketTransport>(*source, connectTimeoutMs);
        },
        [source, connectTimeoutMs] { return std::make_unique<SseTransport>(*source, connectTimeoutMs); },
        [source, connectTimeoutMs, pollingPolicy] {
            return std::make_unique<PollingTransport>(*source, connectTimeoutMs, pollingPolicy);
        },
    };
}

FallbackTransport::FallbackTransport(Mode mode, TimerSource &timers, Factories factories,
                                     FallbackPolicy policy, QObject *parent)
    : Transport(parent)
    , m_mode(mode)
    , m_timers(timers)
    , m_policy(policy)
    , m_transports{factories.webSocket(), factories.sse(), factories.polling()}
    , m_level(levelOf(mode))
{
    for (Level level : {Level::WebSocket, Level::Sse, Level::Polling})
        connectTransport(level);
}

FallbackTransport::FallbackTransport(Mode mode, TimerSource &timers, qint64 connectTimeoutMs, QObject *parent)
    : FallbackTransport(mode, timers, defaultFactories(timers, connectTimeoutMs),
                        FallbackPolicy::forConnectTimeout(connectTimeoutMs), parent)
{}

FallbackTransport::~FallbackTransport()
{
    m_timers.cancelAndClear(m_stageTimer);
    m_timers.cancelAndClear(m_probeTimer);
    for (const auto &transport : m_transports)
        transport->disconnect(this); // they close themselves as they go
}

QString FallbackTransport::modeName(Mode mode)
{
    switch (mode) {
    case Mode::Auto:
        return QStringLiteral("auto");
    case Mode::WebSocket:
        return QStringLiteral("websocket");
    case Mode::Sse:
        return QStringLiteral("sse");
    case Mode::Polling:
        return QStringLiteral("polling");
    }
    return {};
}

std::optional<FallbackTransport::Mode> FallbackTransport::modeFromName(QStringView name)
{
    const QString trimmed = name.trimmed().toString();
    for (Mode mode : AllModes) {
        if (trimmed.compare(modeName(mode), Qt::CaseInsensitive) == 0)
            return mode;
    }
    return std::nullopt;
}

QString FallbackTransport::levelName(Level level)
{
    switch (level) {
    case Level::WebSocket:
        return QStringLiteral("WebSocket");
    case Level::Sse:
        return QStringLiteral("SSE");
    case Level::Polling:
        return QStringLiteral("Polling");
    }
    return {};
}

QString FallbackTransport::name() const
{
    return transport(m_level).name();
}

void FallbackTransport::connectTransport(Level level)
{
    Transport *inner = &transport(level);
    connect(inner, &Transport::opened, this, [this, level] { onInnerOpened(level); });
    connect(inner, &Transport::closed, this,
            [this, level](int code, const QString &reason) { onInnerClosed(level, code, reason); });
    connect(inner, &Transport::messageReceived, this, [this, level](const QByteArray &json) {
        if (m_active && level == m_level) {
            ++m_messages;
            Q_EMIT messageReceived(json);
        }
    });
    connect(inner, &Transport::binaryMessageReceived, this, [this, level](const QByteArray &data) {
        if (m_active && level == m_level) {
            ++m_messages;
            Q_EMIT binaryMessageReceived(data);
        }
    });
}

void FallbackTransport::open(const QUrl &url)
{
    if (m_active) {
        // Abandon the previous connection silently, as the contract says.
        m_active = false;
        m_timers.cancelAndClear(m_stageTimer);
        transport(m_level).close(CloseAbnormal, QStringLiteral("reopened"));
    }
    stopProbe();
    m_url = url;
    m_active = true;
    m_open = false;
    startStage(m_mode == Mode::Auto ? m_startLevel : levelOf(m_mode));
}

void FallbackTransport::startStage(Level level)
{
    setLevel(level);
    m_messages = 0;
    if (m_mode == Mode::Auto) {
        const qint64 timeout = stageTimeoutMs(level);
        m_stageTimer = m_timers.start(timeout, [this, timeout] {
            m_stageTimer = 0;
            qCInfo(lcTransport) << levelName(m_level) << "did not open within" << timeout << "ms";
            // Its closed() moves on to the next level.
            transport(m_level).close(CloseAbnormal,
                                     QStringLiteral("no connection within %1 ms").arg(timeout));
        });
    }
    qCDebug(lcTransport) << "trying" << levelName(level);
    transport(level).open(m_url);
}

void FallbackTransport::onInnerOpened(Level level)
{
    if (m_probing && level == Level::WebSocket && m_level != Level::WebSocket) {
        // WebSocket gets through again: leave the lower level for it.
        qCInfo(lcTransport) << "WebSocket probe opened; upgrading from" << levelName(m_level);
        m_probing = false;
        transport(Level::WebSocket).close(protocol::CloseNormal, QStringLiteral("probe"));
        m_startLevel = Level::WebSocket;
        close(CloseTransportChange, QStringLiteral("upgrading to WebSocket"));
        return;
    }
    if (!m_active || level != m_level)
        return;
    m_timers.cancelAndClear(m_stageTimer);
    m_open = true;
    if (m_mode == Mode::Auto)
        m_startLevel = level;
    Q_EMIT opened();
    if (m_open && m_level == level)
        scheduleProbe();
}

void FallbackTransport::onInnerClosed(Level level, int code, const QString &reason)
{
    if (m_probing && level == Level::WebSocket && m_level != Level::WebSocket) {
        qCDebug(lcTransport) << "WebSocket probe failed:" << reason;
        m_probing = false;
        scheduleProbe();
        return;
    }
    if (!m_active || level != m_level)
        return;
    m_timers.cancelAndClear(m_stageTimer);
    if (!m_open && m_mode == Mode::Auto && level != Level::Polling) {
        qCInfo(lcTransport) << levelName(level) << "failed before opening:" << code << reason;
        startStage(Level(int(level) + 1));
        return;
    }
    if (!m_open && m_mode == Mode::Auto)
        m_startLevel = Level::WebSocket; // nothing worked: the network may be back to normal next time
    else
        demoteIfSilent(code);
    m_active = false;
    m_open = false;
    stopProbe();
    Q_EMIT closed(code, reason);
}

void FallbackTransport::close(quint16 code, const QString &reason)
{
    if (!m_active)
        return;
    m_timers.cancelAndClear(m_stageTimer);
    stopProbe();
    demoteIfSilent(code);
    m_active = false; // first: the inner closed() must not start another stage
    m_open = false;
    transport(m_level).close(code, reason);
    Q_EMIT closed(code, reason);
}

void FallbackTransport::demoteIfSilent(int code)
{
    // A proxy may let a WebSocket or a stream open and then hold back what
    // the server sends: the Session's auth times out (4000) or the stream
    // dies (1006) with nothing received. Start one level lower next time; the
    // probe comes back up when things get better.
    const bool silentFailure = code == CloseAbnormal || code == protocol::CloseHeartbeatTimeout;
    if (m_mode == Mode::Auto && m_open && m_messages == 0 && silentFailure && m_level != Level::Polling) {
        m_startLevel = Level(int(m_level) + 1);
        qCInfo(lcTransport) << levelName(m_level) << "opened but carried nothing; next time"
                            << levelName(m_startLevel);
    }
}

void FallbackTransport::send(const QByteArray &json)
{
    if (m_open)
        transport(m_level).send(json);
}

void FallbackTransport::sendBinary(const QByteArray &data)
{
    if (m_open)
        transport(m_level).sendBinary(data);
}

bool FallbackTransport::supportsBinary() const
{
    return transport(m_level).supportsBinary();
}

void FallbackTransport::setBackground(bool background)
{
    for (const auto &transport : m_transports)
        transport->setBackground(background);
}

void FallbackTransport::setMode(Mode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    stopProbe();
    if (mode == Mode::Auto)
        m_startLevel = Level::WebSocket;
    const Level first = levelOf(mode);
    if (m_active && first != m_level)
        close(CloseTransportChange, QStringLiteral("transport changed to %1").arg(modeName(mode)));
    else if (!m_active)
        setLevel(first);
}

void FallbackTransport::setLevel(Level level)
{
    if (level == m_level)
        return;
    m_level = level;
    Q_EMIT levelChanged(level);
    Q_EMIT nameChanged(name());
}

void FallbackTransport::scheduleProbe()
{
    m_timers.cancelAndClear(m_probeTimer);
    if (m_mode != Mode::Auto || !m_open || m_level == Level::WebSocket || m_policy.probeIntervalMs <= 0)
        return;
    m_probeTimer = m_timers.start(m_policy.probeIntervalMs, [this] {
        m_probeTimer = 0;
        startProbe();
    });
}

void FallbackTransport::startProbe()
{
    if (!m_open || m_level == Level::WebSocket)
        return;
    // The WebSocket transport is idle while a lower level is in use: it probes.
    m_probing = true;
    qCDebug(lcTransport) << "probing WebSocket";
    Q_EMIT probeStarted();
    if (m_probing)
        transport(Level::WebSocket).open(m_url);
}

void FallbackTransport::stopProbe()
{
    m_timers.cancelAndClear(m_probeTimer);
    if (!m_probing)
        return;
    m_probing = false;
    transport(Level::WebSocket).close(protocol::CloseNormal, QStringLiteral("probe"));
}

FallbackTransport::Level FallbackTransport::levelOf(Mode mode)
{
    switch (mode) {
    case Mode::Sse:
        return Level::Sse;
    case Mode::Polling:
        return Level::Polling;
    case Mode::Auto:
    case Mode::WebSocket:
        break;
    }
    return Level::WebSocket;
}

qint64 FallbackTransport::stageTimeoutMs(Level level) const
{
    switch (level) {
    case Level::WebSocket:
        return m_policy.webSocketStageMs;
    case Level::Sse:
        return m_policy.sseStageMs;
    case Level::Polling:
        return m_policy.pollingStageMs;
    }
    return m_policy.webSocketStageMs;
}

} // namespace tandem::client
