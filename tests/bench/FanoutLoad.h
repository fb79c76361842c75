#pragma once
// The load generator behind bench_fanout: N WebSocket clients in one room on
// raw non-blocking sockets, driven by a single epoll loop (Linux only).
//
// Why not QWebSocket: the generator shares the machine with the server it
// measures, so every microsecond it spends per delivery is one the server
// does not get. Qt's event dispatcher polls every socket on each wake-up and
// QWebSocket decodes every frame into a QString; this client only frames,
// masks and scans for the one number it needs.
//
// Every sent message carries its send time (CLOCK_MONOTONIC, microseconds
// since its phase started, so it stays under the protocol's 1e9 cap on x) and
// its phase: in `x` and `y` for cursor:move, at the start of the text and of
// the cid for chat:send. A receiver finds them with a substring search, so
// latency is send → receipt measured by one clock in one process.

#include "tests/bench/LatencyStats.h"

#include <QByteArray>
#include <QString>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::bench {

using Micros = std::int64_t;
/// CLOCK_MONOTONIC in microseconds.
Micros monotonicMicros();
/// Seconds (as the command lines give them) in microseconds.
inline Micros micros(double seconds)
{
    return static_cast<Micros>(seconds * 1e6);
}

enum class Traffic {
    CursorMove, ///< relayed to the room's other connections, not stored
    ChatSend,   ///< stored, acked to the sender, broadcast to every connection including the sender's
};

struct PhaseSpec {
    Traffic traffic = Traffic::CursorMove;
    double messagesPerSecond = 100; ///< offered load, spread round-robin over the senders
    int senders = 10;               ///< the first `senders` connections send; every connection receives
    Micros warmup = 1'000'000;      ///< sending before the measured window
    Micros window = 5'000'000;      ///< the measured window
    Micros drainLimit = 3'000'000;  ///< how long after the window to wait for its deliveries
    std::vector<qint64> serverPids; ///< whose CPU time to sample over the window (several instances)
};

struct PhaseResult {
    double windowSeconds = 0;
    qint64 sent = 0;            ///< messages sent inside the window
    qint64 expected = 0;        ///< deliveries of those messages if every receiver gets each
    qint64 delivered = 0;       ///< deliveries of those messages received before the drain ended
    qint64 arrivedInWindow = 0; ///< deliveries of this phase's messages that arrived inside the window
    qint64 acks = 0;            ///< acks of window messages (chat)
    qint64 errors = 0;          ///< `error` messages received during the phase
    QByteArray firstError;
    int closedConnections = 0;                 ///< connections lost during the phase
    Micros maxSendLag = 0;                     ///< how far behind its schedule the generator sent
    double serverCpuPercent = 0;               ///< all of PhaseSpec::serverPids together
    std::vector<double> serverCpuPercentByPid; ///< in the order of PhaseSpec::serverPids
    double generatorCpuPercent = 0;
    double machineStealPercent = 0; ///< of the machine's CPU capacity, taken by the hypervisor
    double machineBusyPercent = 0;  ///< every process on the machine, in % of one core
    LatencyStats latency;           ///< send → receipt of window messages
    LatencyStats ackLatency;        ///< send → ack of window messages

    /// Deliveries that arrived during the window, per second: the throughput seen by the clients.
    double deliveriesPerSecond() const { return windowSeconds > 0 ? arrivedInWindow / windowSeconds : 0; }
    double acksPerSecond() const { return windowSeconds > 0 ? acks / windowSeconds : 0; }
    /// Server CPU time (all serverPids) per delivery that arrived in the window, in microseconds.
    double serverCpuMicrosPerDelivery() const
    {
        return arrivedInWindow > 0 ? serverCpuPercent / 100.0 * windowSeconds * 1e6 / arrivedInWindow : 0;
    }
    /// CPU used by neither the server nor the generator (other processes, unattributed kernel work).
    double otherCpuPercent() const
    {
        return std::max(0.0, machineBusyPercent - serverCpuPercent - generatorCpuPercent);
    }
    /// Share of the window's expected deliveries that arrived (1.0 = nothing lost or late).
    double completeness() const { return expected > 0 ? static_cast<double>(delivered) / expected : 0; }
    /// Whether a ramp step kept up with `offeredDeliveries`/s of `traffic`: no connection lost, every
    /// ack back (chat), at least MinCompleteness of the deliveries arrived at all and
    /// MinDeliveredShare of the offered rate during the window, and its `p99Ms` (latency's) within
    /// `p99BoundMs`.
    bool sustained(Traffic traffic, double offeredDeliveries, double p99Ms, double p99BoundMs) const;
};

/// What a ramp step must deliver to count as sustained (PhaseResult::sustained).
inline constexpr double MinCompleteness = 0.99;   ///< of the window's deliveries, at all
inline constexpr double MinDeliveredShare = 0.95; ///< of the offered deliveries/s, during the window

/// Deliveries/s that `rate` messages/s of `traffic` offer to a room of `clients`: cursor:move goes
/// to every client but its sender, chat:send to every client.
inline double offeredDeliveries(Traffic traffic, double rate, int clients)
{
    return rate * (traffic == Traffic::CursorMove ? clients - 1 : clients);
}

/// The phase of a ramp step: `rate` messages/s of `traffic`, with the senders, warm-up, window and
/// drain limit (in seconds) of a benchmark's `options`.
template <typename Options>
PhaseSpec rampPhase(const Options &options, Traffic traffic, double rate, std::vector<qint64> serverPids)
{
    PhaseSpec spec;
    spec.traffic = traffic;
    spec.messagesPerSecond = rate;
    spec.senders = options.senders;
    spec.warmup = micros(options.warmupSeconds);
    spec.window = micros(options.windowSeconds);
    spec.drainLimit = micros(options.drainSeconds);
    spec.serverPids = std::move(serverPids);
    return spec;
}

/// One server the clients connect to: ws://127.0.0.1:port<pathAndQuery>.
struct Endpoint {
    quint16 port = 0;
    QByteArray pathAndQuery;
};

/// What waitForQuietMachine() found.
struct QuietWait {
    double otherCpuPercent = 0; ///< the last sample: other processes, in % of one core
    bool gaveUp = false;        ///< the machine stayed busy until the limit
};

class FanoutLoad {
public:
    FanoutLoad();
    ~FanoutLoad();
    FanoutLoad(const FanoutLoad &) = delete;
    FanoutLoad &operator=(const FanoutLoad &) = delete;

    /// Opens `count` more WebSockets to ws://127.0.0.1:port<pathAndQuery> and
    /// joins each to `roomId`; false (see errorString()) when any fails or time runs out.
    bool open(quint16 port, const QByteArray &pathAndQuery, const QByteArray &roomId, int count,
              Micros timeout)
    {
        return open(std::vector<Endpoint>{{port, pathAndQuery}}, roomId, count, timeout);
    }
    /// The same, spread round-robin over several servers (instances of one cluster): the n-th
    /// connection goes to endpoints[n % size], so the first senders are spread too.
    bool open(const std::vector<Endpoint> &endpoints, const QByteArray &roomId, int count, Micros timeout);
    /// Where later connections come from. One client address has only ~28,000 ephemeral ports
    /// towards one server port, so a large run binds its sockets to further loopback addresses
    /// (any 127.x.y.z works on Linux): connection n (counted over the whole load) binds to
    /// addresses[n / perAddress], IPv4 in host order. Empty (the default): the kernel picks 127.0.0.1.
    void setSourceAddresses(std::vector<quint32> addresses, int perAddress);
    /// Runs the loop for `duration`, reading and discarding.
    void pump(Micros duration);
    /// Reads until nothing has arrived for `silence` (or `limit` has passed), so
    /// one phase's backlog does not spill into the next one's window.
    void quiesce(Micros silence, Micros limit);
    PhaseResult run(const PhaseSpec &spec);
    /// The machine is shared: samples for 150 ms at a time (reading the connections meanwhile)
    /// until processes other than this one and `ourPids` use less than `maxOtherPercent` of one
    /// core, or `limit` has passed. `onWaiting` hears the first busy sample, if there is one.
    QuietWait waitForQuietMachine(const std::vector<qint64> &ourPids, double maxOtherPercent, Micros limit,
                                  const std::function<void(double otherCpuPercent)> &onWaiting = {});
    void closeAll();

    int openConnections() const;
    QString errorString() const { return m_error; }

private:
    struct Connection;
    struct Phase;

    void startConnection(int index, std::size_t endpoint);
    /// Waits up to `timeout` for socket events and handles them.
    void pollOnce(Micros timeout);
    void onConnected(Connection &connection);
    void onReadable(Connection &connection);
    void onWritable(Connection &connection);
    void consume(Connection &connection, const char *data, std::size_t size, Micros now);
    /// Parses whole frames from data; returns the bytes consumed.
    std::size_t parseFrames(Connection &connection, const char *data, std::size_t size, Micros now);
    void onFrame(Connection &connection, bool final, int opcode, std::string_view payload, Micros now);
    void onMessage(Connection &connection, std::string_view message, Micros now);
    void recordDelivery(std::int64_t stamp, std::int64_t phaseId, Micros now);
    void sendFrame(Connection &connection, int opcode, std::string_view payload);
    void flushOutput(Connection &connection);
    void watchWritable(Connection &connection, bool writable);
    void closeConnection(Connection &connection, const QString &reason);
    void sendScheduled(const PhaseSpec &spec, int sender, Micros now, qint64 sequence);

    int m_epoll = -1;
    std::vector<std::unique_ptr<Connection>> m_connections;
    std::vector<char> m_readBuffer;
    std::string m_frame;
    std::string m_text;
    std::vector<quint16> m_ports;          ///< of the current open(), by endpoint
    std::vector<std::string> m_handshakes; ///< the upgrade request for each endpoint
    std::vector<quint32> m_sourceAddresses;
    int m_connectionsPerSource = 0;
    std::string m_roomId;
    int m_settingUp = 0; ///< connections opened but not yet in the room
    int m_closed = 0;
    Micros m_lastArrival = 0;
    std::uint64_t m_maskState = 0x9e3779b97f4a7c15ULL;
    std::unique_ptr<Phase> m_phase;
    std::int64_t m_phaseId = 0;
    QString m_error;
};

} // namespace tandem::bench
