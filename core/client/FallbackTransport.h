#pragma once
// The Session's default transport: WebSocket where it works, Server-Sent
// Events where the upgrade is refused, polling where even a long response is
// buffered (README "Transports"). In Auto it walks down those levels within
// one open() until one opens, remembers the level that worked for the next
// open(), and while below WebSocket probes WebSocket in the background: when
// a probe opens, it closes the connection with CloseTransportChange ("upgrading
// to WebSocket"), the Session reconnects at once and lands on WebSocket.
// A forced mode uses one level only: no fallback, no probe.

#include "core/client/HttpSender.h"
#include "core/client/PollingTransport.h"
#include "core/client/TimerSource.h"
#include "core/client/Transport.h"

#include <QUrl>

#include <array>
#include <functional>
#include <memory>
#include <optional>

namespace tandem::client {

/// How long each Auto stage may take to open before the next is tried, and how
/// often WebSocket is probed from below. Every stage's own timeout stays as
/// given to the transport (the backstop, and the only one in a forced mode).
struct FallbackPolicy {
    qint64 webSocketStageMs = 4000;
    qint64 sseStageMs = 3000;
    qint64 pollingStageMs = 3000;
    qint64 probeIntervalMs = 60000; ///< 0: never probe

    /// Shares `connectTimeoutMs` out 40/30/30, so that a fallback from
    /// WebSocket down to polling fits in the time one connect used to take
    /// (SessionOptions::connectTimeoutMs).
    static FallbackPolicy forConnectTimeout(qint64 connectTimeoutMs);
};

class FallbackTransport final : public Transport {
    Q_OBJECT

public:
    enum class Mode { Auto, WebSocket, Sse, Polling };
    Q_ENUM(Mode)
    /// The transport in use, best first.
    enum class Level { WebSocket, Sse, Polling };
    Q_ENUM(Level)

    using Factory = std::function<std::unique_ptr<Transport>()>;
    struct Factories {
        Factory webSocket;
        Factory sse;
        Factory polling;
    };
    /// WebSocketTransport, SseTransport and PollingTransport on `timers`, each
    /// with `connectTimeoutMs` as its own open timeout.
    static Factories defaultFactories(TimerSource &timers, qint64 connectTimeoutMs,
                                      PollingPolicy pollingPolicy = {});

    /// Each factory is called once, here; the transports live as long as this.
    FallbackTransport(Mode mode, TimerSource &timers, Factories factories, FallbackPolicy policy,
                      QObject *parent = nullptr);
    /// The real transports, stages sized by FallbackPolicy::forConnectTimeout.
    FallbackTransport(Mode mode, TimerSource &timers, qint64 connectTimeoutMs = 10000,
                      QObject *parent = nullptr);
    ~FallbackTransport() override;

    /// "auto", "websocket", "sse", "polling": the command line's and the profile's spelling.
    static QString modeName(Mode mode);
    static std::optional<Mode> modeFromName(QStringView name);
    static QString levelName(Level level);

    /// The inner transport's name: "WebSocket", "SSE" or "Polling".
    QString name() const override;
    void open(const QUrl &url) override;
    void close(quint16 code, const QString &reason) override;
    void send(const QByteArray &json) override;
    void sendBinary(const QByteArray &data) override;
    /// The current level's: a Session asks per connection (doc:open encoding).
    bool supportsBinary() const override;
    bool isOpen() const override { return m_open; }
    void setBackground(bool background) override;

    Mode mode() const { return m_mode; }
    /// Applies from the next open(). While connected on another level than the
    /// mode starts with (Auto: WebSocket), the connection is closed with
    /// CloseTransportChange, so the Session reconnects now, on the new mode.
    void setMode(Mode mode);
    /// The level in use (or last used); levelChanged() when it moves.
    Level currentLevel() const { return m_level; }
    /// Where the next open() starts: the level that last opened in Auto.
    Level startLevel() const { return m_startLevel; }
    /// A WebSocket probe is under way.
    bool isProbing() const { return m_probing; }
    Transport &transport(Level level) const { return *m_transports.at(std::size_t(level)); }
    const FallbackPolicy &policy() const { return m_policy; }

Q_SIGNALS:
    void levelChanged(tandem::client::FallbackTransport::Level level);
    /// A background WebSocket probe started (the lead's end-to-end tests wait for it).
    void probeStarted();

private:
    void connectTransport(Level level);
    void onInnerOpened(Level level);
    void onInnerClosed(Level level, int code, const QString &reason);
    void startStage(Level level);
    void setLevel(Level level);
    /// An open connection on `m_level` that carried nothing: start lower next time.
    void demoteIfSilent(int code);
    void scheduleProbe();
    void startProbe();
    void stopProbe();
    static Level levelOf(Mode mode);
    qint64 stageTimeoutMs(Level level) const;

    Mode m_mode;
    TimerSource &m_timers;
    FallbackPolicy m_policy;
    std::array<std::unique_ptr<Transport>, 3> m_transports;
    QUrl m_url;
    Level m_level;
    Level m_startLevel = Level::WebSocket;
    bool m_active = false; ///< between open() and closed()
    bool m_open = false;
    bool m_probing = false;
    int m_messages = 0; ///< received on the current connection
    int m_stageTimer = 0;
    int m_probeTimer = 0;
};

} // namespace tandem::client
