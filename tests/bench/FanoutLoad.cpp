#include "tests/bench/FanoutLoad.h"

#include "tests/bench/ProcessStats.h"

#include <QtEndian>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>
#include <utility>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

namespace tandem::bench {

namespace {

constexpr int MaxConnectionsInSetup = 32; ///< under QTcpServer's listen backlog (50), so no SYN is retried
constexpr std::size_t ReadBufferBytes = 256 * 1024;
constexpr int MaxEvents = 1024;
constexpr Micros QuietSample = 150'000;
enum Opcode { Continuation = 0x0, Text = 0x1, Close = 0x8, Ping = 0x9, Pong = 0xa };

/// The text after `key` in `message`, or an empty view.
std::string_view after(std::string_view message, std::string_view key)
{
    const std::size_t at = message.find(key);
    return at == std::string_view::npos ? std::string_view() : message.substr(at + key.size());
}

/// The JSON number at the start of `text` (1.2e+08 included), rounded; nullopt when there is none.
std::optional<std::int64_t> leadingNumber(std::string_view text)
{
    double value = 0;
    if (std::from_chars(text.data(), text.data() + text.size(), value).ec != std::errc())
        return std::nullopt;
    return std::llround(value);
}

/// Send time and phase from "<micros>:<phase>…", the format of chat texts and cids.
std::optional<std::pair<std::int64_t, std::int64_t>> stampOf(std::string_view text)
{
    std::int64_t sentAt = 0;
    std::int64_t phase = 0;
    const char *end = text.data() + text.size();
    const auto first = std::from_chars(text.data(), end, sentAt);
    if (first.ec != std::errc() || first.ptr == end || *first.ptr != ':')
        return std::nullopt;
    if (std::from_chars(first.ptr + 1, end, phase).ec != std::errc())
        return std::nullopt;
    return std::pair{sentAt, phase};
}

void appendNumber(std::string &out, std::int64_t value)
{
    char digits[24];
    const auto result = std::to_chars(std::begin(digits), std::end(digits), value);
    out.append(digits, result.ptr);
}

} // namespace

Micros monotonicMicros()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<Micros>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
}

bool PhaseResult::sustained(Traffic traffic, double offeredDeliveries, double p99Ms, double p99BoundMs) const
{
    const bool acksComplete = traffic == Traffic::CursorMove || acks >= sent;
    return closedConnections == 0 && acksComplete && completeness() >= MinCompleteness &&
           deliveriesPerSecond() >= MinDeliveredShare * offeredDeliveries && p99Ms <= p99BoundMs;
}

struct FanoutLoad::Connection {
    enum class State { Connecting, Handshaking, Joining, Ready, Closed };

    int index = 0;
    std::size_t endpoint = 0; ///< into m_handshakes, for the open() that started it
    int fd = -1;
    State state = State::Connecting;
    std::string input;     ///< bytes received but not yet parsed: the handshake head or a partial frame
    std::string fragments; ///< a fragmented text message being reassembled
    std::string output;    ///< bytes the socket did not take yet
    bool watchingWritable = false;
};

struct FanoutLoad::Phase {
    Micros start = 0; ///< stamps count from here, so they stay small (the protocol caps x at 1e9)
    Micros windowStart = 0;
    Micros windowEnd = 0;
    PhaseResult *result = nullptr;
};

FanoutLoad::FanoutLoad()
    : m_epoll(epoll_create1(EPOLL_CLOEXEC))
    , m_readBuffer(ReadBufferBytes)
{}

FanoutLoad::~FanoutLoad()
{
    closeAll();
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool FanoutLoad::open(const std::vector<Endpoint> &endpoints, const QByteArray &roomId, int count,
                      Micros timeout)
{
    m_roomId = roomId.toStdString();
    m_ports.clear();
    m_handshakes.clear();
    for (const Endpoint &endpoint : endpoints) {
        m_ports.push_back(endpoint.port);
        // The key need not be random for a load generator; the server only hashes it.
        m_handshakes.push_back(
            "GET " + endpoint.pathAndQuery.toStdString() +
            " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(endpoint.port) +
            "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    }
    if (m_epoll < 0) {
        m_error = QStringLiteral("epoll_create1: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    if (endpoints.empty()) {
        m_error = QStringLiteral("no server to connect to");
        return false;
    }

    const int closedBefore = m_closed;
    const int first = static_cast<int>(m_connections.size());
    const int end = first + count;
    const Micros deadline = monotonicMicros() + timeout;
    int next = first;
    while (next < end || m_settingUp > 0) {
        while (next < end && m_settingUp < MaxConnectionsInSetup) {
            startConnection(next, static_cast<std::size_t>(next - first) % endpoints.size());
            ++next;
        }
        if (m_closed > closedBefore)
            return false; // closeConnection() recorded why
        const Micros now = monotonicMicros();
        if (now > deadline) {
            m_error = QStringLiteral("only %1 of %2 clients joined the room in %3 s")
                          .arg(openConnections())
                          .arg(end)
                          .arg(timeout / 1e6);
            return false;
        }
        pollOnce(std::min<Micros>(deadline - now, 10'000));
    }
    return m_closed == closedBefore;
}

void FanoutLoad::setSourceAddresses(std::vector<quint32> addresses, int perAddress)
{
    m_sourceAddresses = std::move(addresses);
    m_connectionsPerSource = std::max(1, perAddress);
}

void FanoutLoad::startConnection(int index, std::size_t endpoint)
{
    auto connection = std::make_unique<Connection>();
    connection->index = index;
    connection->endpoint = endpoint;
    Connection &c = *connection;
    m_connections.push_back(std::move(connection));
    ++m_settingUp;

    c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) {
        closeConnection(c, QStringLiteral("socket: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        return;
    }
    // Latency is the point: small frames must not wait for Nagle.
    const int on = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    if (!m_sourceAddresses.empty()) {
        const std::size_t slot = static_cast<std::size_t>(index / m_connectionsPerSource);
        if (slot >= m_sourceAddresses.size()) {
            closeConnection(c, QStringLiteral("no source address left for connection %1").arg(index));
            return;
        }
        // The port is chosen at connect(), per destination, not at bind(): otherwise every bound
        // socket would hold a port of its address for every destination.
        setsockopt(c.fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on);
        sockaddr_in source{};
        source.sin_family = AF_INET;
        source.sin_addr.s_addr = qToBigEndian(m_sourceAddresses[slot]);
        if (::bind(c.fd, reinterpret_cast<const sockaddr *>(&source), sizeof source) != 0) {
            closeConnection(c, QStringLiteral("bind: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
            return;
        }
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = qToBigEndian(m_ports[endpoint]);
    address.sin_addr.s_addr = qToBigEndian<quint32>(INADDR_LOOPBACK);
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT;
    event.data.ptr = &c;
    c.watchingWritable = true;
    if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, c.fd, &event) != 0) {
        closeConnection(c, QStringLiteral("epoll_ctl: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        return;
    }
    if (::connect(c.fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0 &&
        errno != EINPROGRESS) {
        closeConnection(c, QStringLiteral("connect: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
    }
}

void FanoutLoad::pollOnce(Micros timeout)
{
    epoll_event events[MaxEvents];
    const int timeoutMs = timeout <= 0 ? 0 : static_cast<int>((timeout + 999) / 1000);
    const int ready = epoll_wait(m_epoll, events, MaxEvents, timeoutMs);
    for (int i = 0; i < ready; ++i) {
        auto &c = *static_cast<Connection *>(events[i].data.ptr);
        if (c.fd < 0)
            continue;
        if (c.state == Connection::State::Connecting) {
            if (events[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
                onConnected(c);
            continue;
        }
        if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
            onReadable(c);
        if (c.fd >= 0 && (events[i].events & EPOLLOUT))
            onWritable(c);
    }
}

void FanoutLoad::onConnected(Connection &c)
{
    int error = 0;
    socklen_t length = sizeof error;
    getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) {
        closeConnection(c, QStringLiteral("connect: %1").arg(QString::fromLocal8Bit(std::strerror(error))));
        return;
    }
    c.state = Connection::State::Handshaking;
    watchWritable(c, false);
    c.output = m_handshakes[c.endpoint];
    flushOutput(c);
}

void FanoutLoad::onReadable(Connection &c)
{
    for (;;) {
        const ssize_t received = ::recv(c.fd, m_readBuffer.data(), m_readBuffer.size(), 0);
        if (received > 0) {
            consume(c, m_readBuffer.data(), static_cast<std::size_t>(received), monotonicMicros());
            if (c.fd < 0 || static_cast<std::size_t>(received) < m_readBuffer.size())
                return;
            continue;
        }
        if (received == 0) {
            closeConnection(c, QStringLiteral("the server closed the connection"));
            return;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            closeConnection(c, QStringLiteral("recv: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        return;
    }
}

void FanoutLoad::onWritable(Connection &c)
{
    flushOutput(c);
}

void FanoutLoad::consume(Connection &c, const char *data, std::size_t size, Micros now)
{
    if (c.state == Connection::State::Handshaking) {
        c.input.append(data, size);
        const std::size_t headEnd = c.input.find("\r\n\r\n");
        if (headEnd == std::string::npos)
            return;
        if (c.input.compare(0, 12, "HTTP/1.1 101") != 0) {
            closeConnection(c, QStringLiteral("handshake refused: %1")
                                   .arg(QString::fromLatin1(c.input.substr(0, c.input.find('\r')))));
            return;
        }
        c.input.erase(0, headEnd + 4);
        c.state = Connection::State::Joining;
        std::string join = R"({"type":"room:join","payload":{"roomId":")" + m_roomId + "\"}}";
        sendFrame(c, Text, join);
        const std::string rest = std::exchange(c.input, {});
        consume(c, rest.data(), rest.size(), now);
        return;
    }
    // The common case: whole frames straight from the read buffer, no copy.
    if (c.input.empty()) {
        const std::size_t used = parseFrames(c, data, size, now);
        if (c.fd >= 0 && used < size)
            c.input.assign(data + used, size - used);
        return;
    }
    c.input.append(data, size);
    const std::size_t used = parseFrames(c, c.input.data(), c.input.size(), now);
    if (c.fd >= 0)
        c.input.erase(0, used);
}

std::size_t FanoutLoad::parseFrames(Connection &c, const char *data, std::size_t size, Micros now)
{
    std::size_t position = 0;
    while (c.fd >= 0 && size - position >= 2) {
        const auto *bytes = reinterpret_cast<const unsigned char *>(data + position);
        if (bytes[1] & 0x80) {
            closeConnection(c, QStringLiteral("the server sent a masked frame"));
            break;
        }
        std::uint64_t length = bytes[1] & 0x7f;
        std::size_t header = 2;
        if (length == 126) {
            if (size - position < 4)
                break;
            length = qFromBigEndian<quint16>(bytes + 2);
            header = 4;
        } else if (length == 127) {
            if (size - position < 10)
                break;
            length = qFromBigEndian<quint64>(bytes + 2);
            header = 10;
        }
        if (size - position - header < length)
            break;
        onFrame(c, bytes[0] & 0x80, bytes[0] & 0x0f,
                std::string_view(data + position + header, static_cast<std::size_t>(length)), now);
        position += header + static_cast<std::size_t>(length);
    }
    return position;
}

void FanoutLoad::onFrame(Connection &c, bool final, int opcode, std::string_view payload, Micros now)
{
    switch (opcode) {
    case Text:
        if (final) {
            onMessage(c, payload, now);
        } else {
            c.fragments.assign(payload);
        }
        break;
    case Continuation:
        c.fragments.append(payload);
        if (final) {
            const std::string message = std::exchange(c.fragments, {});
            onMessage(c, message, now);
        }
        break;
    case Close: {
        const int code = payload.size() >= 2 ? qFromBigEndian<quint16>(payload.data()) : 1005;
        closeConnection(
            c, QStringLiteral("the server closed the WebSocket with %1 %2")
                   .arg(code)
                   .arg(QString::fromUtf8(payload.substr(std::min<std::size_t>(2, payload.size())))));
        break;
    }
    case Ping:
        sendFrame(c, Pong, payload);
        break;
    default:
        break;
    }
}

void FanoutLoad::onMessage(Connection &c, std::string_view message, Micros now)
{
    m_lastArrival = now;
    const std::string_view type = after(message, R"("type":")");
    if (type.starts_with(R"(cursor:move")")) {
        // {... "payload":{"roomId":…,"userId":…,"x":SENT_AT,"y":PHASE} …}
        const auto x = leadingNumber(after(message, R"("x":)"));
        const auto y = leadingNumber(after(message, R"("y":)"));
        if (x && y)
            recordDelivery(*x, *y, now);
    } else if (type.starts_with(R"(chat:message")")) {
        if (const auto stamp = stampOf(after(message, R"("text":")")))
            recordDelivery(stamp->first, stamp->second, now);
    } else if (type.starts_with(R"(ack")")) {
        const auto stamp = stampOf(after(message, R"("cid":")"));
        if (!m_phase || !stamp || stamp->second != m_phaseId)
            return;
        const Micros sentAt = m_phase->start + stamp->first;
        if (sentAt >= m_phase->windowStart && sentAt < m_phase->windowEnd) {
            ++m_phase->result->acks;
            m_phase->result->ackLatency.add(now - sentAt);
        }
    } else if (type.starts_with(R"(room:joined")")) {
        if (c.state == Connection::State::Joining) {
            c.state = Connection::State::Ready;
            --m_settingUp;
        }
    } else if (type.starts_with(R"(error")")) {
        if (c.state == Connection::State::Joining) {
            closeConnection(c, QStringLiteral("room:join refused: %1").arg(QString::fromUtf8(message)));
        } else if (m_phase) {
            if (m_phase->result->errors++ == 0)
                m_phase->result->firstError =
                    QByteArray(message.data(), static_cast<qsizetype>(message.size()));
        }
    }
}

void FanoutLoad::recordDelivery(std::int64_t stamp, std::int64_t phaseId, Micros now)
{
    if (!m_phase || phaseId != m_phaseId)
        return;
    PhaseResult &result = *m_phase->result;
    const Micros sentAt = m_phase->start + stamp;
    if (now >= m_phase->windowStart && now < m_phase->windowEnd)
        ++result.arrivedInWindow;
    if (sentAt >= m_phase->windowStart && sentAt < m_phase->windowEnd) {
        ++result.delivered;
        result.latency.add(now - sentAt);
    }
}

void FanoutLoad::sendFrame(Connection &c, int opcode, std::string_view payload)
{
    if (c.fd < 0)
        return;
    // Client frames are masked (RFC 6455 §5.3); xorshift is plenty for a mask.
    m_maskState ^= m_maskState << 13;
    m_maskState ^= m_maskState >> 7;
    m_maskState ^= m_maskState << 17;
    unsigned char mask[4];
    qToUnaligned(static_cast<quint32>(m_maskState), mask);

    m_frame.clear();
    m_frame.push_back(static_cast<char>(0x80 | opcode));
    const std::size_t size = payload.size();
    if (size < 126) {
        m_frame.push_back(static_cast<char>(0x80 | size));
    } else if (size <= 0xffff) {
        m_frame.push_back(static_cast<char>(0x80 | 126));
        m_frame.push_back(static_cast<char>(size >> 8));
        m_frame.push_back(static_cast<char>(size & 0xff));
    } else {
        m_frame.push_back(static_cast<char>(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            m_frame.push_back(static_cast<char>((static_cast<std::uint64_t>(size) >> shift) & 0xff));
    }
    m_frame.append(reinterpret_cast<const char *>(mask), 4);
    for (std::size_t i = 0; i < size; ++i)
        m_frame.push_back(static_cast<char>(payload[i] ^ static_cast<char>(mask[i % 4])));

    c.output.append(m_frame);
    flushOutput(c);
}

void FanoutLoad::flushOutput(Connection &c)
{
    while (!c.output.empty()) {
        const ssize_t written = ::send(c.fd, c.output.data(), c.output.size(), MSG_NOSIGNAL);
        if (written > 0) {
            c.output.erase(0, static_cast<std::size_t>(written));
            continue;
        }
        if (written < 0 && errno == EINTR)
            continue;
        if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        closeConnection(c, QStringLiteral("send: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        return;
    }
    watchWritable(c, !c.output.empty());
}

void FanoutLoad::watchWritable(Connection &c, bool writable)
{
    if (c.watchingWritable == writable || c.fd < 0)
        return;
    epoll_event event{};
    event.events = EPOLLIN | (writable ? EPOLLOUT : 0u);
    event.data.ptr = &c;
    epoll_ctl(m_epoll, EPOLL_CTL_MOD, c.fd, &event);
    c.watchingWritable = writable;
}

void FanoutLoad::closeConnection(Connection &c, const QString &reason)
{
    if (c.fd >= 0) {
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, c.fd, nullptr);
        ::close(c.fd);
        c.fd = -1;
    }
    if (c.state != Connection::State::Ready && c.state != Connection::State::Closed)
        --m_settingUp;
    c.state = Connection::State::Closed;
    if (m_closed++ == 0)
        m_error = QStringLiteral("client %1: %2").arg(c.index).arg(reason);
}

void FanoutLoad::closeAll()
{
    for (auto &connection : m_connections) {
        if (connection->fd >= 0) {
            epoll_ctl(m_epoll, EPOLL_CTL_DEL, connection->fd, nullptr);
            ::close(connection->fd);
            connection->fd = -1;
        }
        connection->state = Connection::State::Closed;
    }
    m_settingUp = 0;
}

int FanoutLoad::openConnections() const
{
    return static_cast<int>(std::count_if(m_connections.cbegin(), m_connections.cend(), [](const auto &c) {
        return c->state == Connection::State::Ready;
    }));
}

void FanoutLoad::pump(Micros duration)
{
    const Micros end = monotonicMicros() + duration;
    for (Micros now = monotonicMicros(); now < end; now = monotonicMicros())
        pollOnce(end - now);
}

void FanoutLoad::quiesce(Micros silence, Micros limit)
{
    const Micros start = monotonicMicros();
    m_lastArrival = start;
    for (Micros now = start; now - m_lastArrival < silence && now - start < limit; now = monotonicMicros())
        pollOnce(std::min(silence - (now - m_lastArrival), limit - (now - start)));
}

void FanoutLoad::sendScheduled(const PhaseSpec &spec, int sender, Micros now, qint64 sequence)
{
    Connection &c = *m_connections[static_cast<std::size_t>(sender)];
    const Micros stamp = now - m_phase->start;
    m_text.clear();
    if (spec.traffic == Traffic::CursorMove) {
        m_text.append(R"({"type":"cursor:move","payload":{"roomId":")").append(m_roomId).append(R"(","x":)");
        appendNumber(m_text, stamp);
        m_text.append(R"(,"y":)");
        appendNumber(m_text, m_phaseId);
        m_text.append("}}");
    } else {
        // The cid is unique per user, as idempotency needs, and carries the stamp for the ack.
        m_text.append(R"({"type":"chat:send","cid":")");
        appendNumber(m_text, stamp);
        m_text.push_back(':');
        appendNumber(m_text, m_phaseId);
        m_text.push_back(':');
        appendNumber(m_text, sequence);
        m_text.append(R"(","payload":{"roomId":")").append(m_roomId).append(R"(","text":")");
        appendNumber(m_text, stamp);
        m_text.push_back(':');
        appendNumber(m_text, m_phaseId);
        m_text.append(R"( fan-out benchmark message"}})");
    }
    sendFrame(c, Text, m_text);
}

PhaseResult FanoutLoad::run(const PhaseSpec &spec)
{
    PhaseResult result;
    ++m_phaseId;
    const int receivers = openConnections();
    const int senders = std::clamp(spec.senders, 1, static_cast<int>(m_connections.size()));
    const qint64 receiversPerMessage = spec.traffic == Traffic::CursorMove ? receivers - 1 : receivers;
    const int closedBefore = m_closed;

    const Micros start = monotonicMicros();
    m_phase = std::make_unique<Phase>();
    m_phase->start = start;
    m_phase->windowStart = start + spec.warmup;
    m_phase->windowEnd = m_phase->windowStart + spec.window;
    m_phase->result = &result;
    result.windowSeconds = spec.window / 1e6;
    result.latency.reserve(static_cast<qsizetype>(spec.messagesPerSecond * result.windowSeconds *
                                                  static_cast<double>(receiversPerMessage) * 1.05));

    const double interval = 1e6 / spec.messagesPerSecond;
    qint64 sequence = 0;
    bool inWindow = false;
    std::vector<std::optional<double>> serverCpuStart;
    std::optional<double> generatorCpuStart;
    std::optional<MachineCpuTimes> machineStart;
    for (Micros now = monotonicMicros(); now < m_phase->windowEnd; now = monotonicMicros()) {
        if (!inWindow && now >= m_phase->windowStart) {
            inWindow = true;
            for (const qint64 pid : spec.serverPids)
                serverCpuStart.push_back(readCpuSeconds(pid));
            generatorCpuStart = readCpuSeconds(0);
            machineStart = readMachineCpuTimes();
        }
        Micros due = start + static_cast<Micros>(static_cast<double>(sequence) * interval);
        while (due <= now) {
            const int sender = static_cast<int>(sequence % senders);
            if (m_connections[static_cast<std::size_t>(sender)]->state == Connection::State::Ready) {
                sendScheduled(spec, sender, now, sequence);
                if (now >= m_phase->windowStart && now < m_phase->windowEnd) {
                    ++result.sent;
                    result.maxSendLag = std::max(result.maxSendLag, now - due);
                }
            }
            ++sequence;
            due = start + static_cast<Micros>(static_cast<double>(sequence) * interval);
        }
        const Micros boundary = inWindow ? m_phase->windowEnd : m_phase->windowStart;
        pollOnce(std::min(due, boundary) - now);
    }
    std::vector<std::optional<double>> serverCpuEnd;
    for (const qint64 pid : spec.serverPids)
        serverCpuEnd.push_back(readCpuSeconds(pid));
    const auto generatorCpuEnd = readCpuSeconds(0);
    const auto machineEnd = readMachineCpuTimes();
    for (std::size_t i = 0; i < serverCpuStart.size() && i < serverCpuEnd.size(); ++i) {
        const double percent = serverCpuStart[i] && serverCpuEnd[i]
                                   ? 100.0 * (*serverCpuEnd[i] - *serverCpuStart[i]) / result.windowSeconds
                                   : 0.0;
        result.serverCpuPercentByPid.push_back(percent);
        result.serverCpuPercent += percent;
    }
    if (generatorCpuStart && generatorCpuEnd)
        result.generatorCpuPercent = 100.0 * (*generatorCpuEnd - *generatorCpuStart) / result.windowSeconds;
    if (machineStart && machineEnd && machineEnd->total > machineStart->total) {
        const double total = machineEnd->total - machineStart->total;
        const double steal = machineEnd->steal - machineStart->steal;
        const double idle = machineEnd->idle - machineStart->idle;
        result.machineStealPercent = 100.0 * steal / total;
        result.machineBusyPercent =
            100.0 * static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN)) * (total - idle - steal) / total;
    }

    // Wait for the window's messages to reach everyone, or for the drain limit.
    result.expected = result.sent * receiversPerMessage;
    const qint64 expectedAcks = spec.traffic == Traffic::ChatSend ? result.sent : 0;
    const Micros drainEnd = m_phase->windowEnd + spec.drainLimit;
    for (Micros now = monotonicMicros();
         now < drainEnd && (result.delivered < result.expected || result.acks < expectedAcks);
         now = monotonicMicros()) {
        pollOnce(std::min<Micros>(drainEnd - now, 10'000));
    }
    result.closedConnections = m_closed - closedBefore;
    m_phase.reset();
    return result;
}

QuietWait FanoutLoad::waitForQuietMachine(const std::vector<qint64> &ourPids, double maxOtherPercent,
                                          Micros limit, const std::function<void(double)> &onWaiting)
{
    // On two cores a neighbour's compile job takes half the machine; measuring through it would
    // report the neighbour. Between steps the servers and the generator are idle, so whatever
    // else is busy is someone else.
    auto ourCpuSeconds = [&ourPids]() -> std::optional<double> {
        double seconds = readCpuSeconds(0).value_or(0);
        for (const qint64 pid : ourPids) {
            const auto cpu = readCpuSeconds(pid);
            if (!cpu)
                return std::nullopt;
            seconds += *cpu;
        }
        return seconds;
    };
    const Micros deadline = monotonicMicros() + limit;
    QuietWait wait;
    bool reported = false;
    for (;;) {
        const auto machineStart = readMachineCpuTimes();
        const auto oursStart = ourCpuSeconds();
        const Micros start = monotonicMicros();
        pump(QuietSample);
        const double seconds = (monotonicMicros() - start) / 1e6;
        const auto machineEnd = readMachineCpuTimes();
        const auto oursEnd = ourCpuSeconds();
        if (!machineStart || !machineEnd || !oursStart || !oursEnd ||
            machineEnd->total <= machineStart->total)
            return wait;
        const double total = machineEnd->total - machineStart->total;
        const double busy =
            total - (machineEnd->idle - machineStart->idle) - (machineEnd->steal - machineStart->steal);
        const double busyPercent = 100.0 * static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN)) * busy / total;
        wait.otherCpuPercent = busyPercent - 100.0 * (*oursEnd - *oursStart) / seconds;
        if (wait.otherCpuPercent < maxOtherPercent)
            return wait;
        if (monotonicMicros() > deadline) {
            wait.gaveUp = true;
            return wait;
        }
        if (!reported && onWaiting)
            onWaiting(wait.otherCpuPercent);
        reported = true;
    }
}

} // namespace tandem::bench
