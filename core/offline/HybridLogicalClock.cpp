#include "core/offline/HybridLogicalClock.h"

#include <QLoggingCategory>

#include <algorithm>
#include <limits>

namespace tandem::offline {

namespace {
Q_LOGGING_CATEGORY(lcClock, "tandem.offline.clock")

constexpr qsizetype WallDigits = 15;
constexpr qsizetype CounterDigits = 10;
constexpr qsizetype NodeDigits = 16;
constexpr qsizetype CounterStart = WallDigits + 1;
constexpr qsizetype NodeStart = CounterStart + CounterDigits + 1;
static_assert(NodeStart + NodeDigits == HlcTimestamp::TextLength);

constexpr quint64 MaxCounter = std::numeric_limits<quint32>::max();

/// ASCII digits only: QChar::isDigit() would also accept Arabic-Indic or
/// full-width digits, which sort differently and have no place in the format.
std::optional<quint64> parseDecimal(QStringView digits)
{
    quint64 value = 0;
    for (const QChar c : digits) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        value = value * 10 + static_cast<quint64>(c.unicode() - u'0');
    }
    return value;
}

/// Lowercase only, so that every stamp has exactly one text: with mixed case
/// the byte order would break ("B" sorts before "a" although 0xb > 0xa).
std::optional<quint64> parseHex(QStringView digits)
{
    quint64 value = 0;
    for (const QChar c : digits) {
        quint64 nibble = 0;
        if (c >= u'0' && c <= u'9')
            nibble = c.unicode() - u'0';
        else if (c >= u'a' && c <= u'f')
            nibble = c.unicode() - u'a' + 10;
        else
            return std::nullopt;
        value = (value << 4) | nibble;
    }
    return value;
}
} // namespace

QString HlcTimestamp::toString() const
{
    if (!isValid())
        return {};
    return QString::asprintf("%015lld-%010u-%016llx", static_cast<long long>(wallMs),
                             static_cast<unsigned>(counter), static_cast<unsigned long long>(nodeId));
}

std::optional<HlcTimestamp> HlcTimestamp::fromString(QStringView text)
{
    if (text.size() != TextLength || text[CounterStart - 1] != u'-' || text[NodeStart - 1] != u'-')
        return std::nullopt;
    // 15 decimal digits fit in qint64 and 10 in quint64, so the parsers cannot overflow.
    const std::optional<quint64> wall = parseDecimal(text.sliced(0, WallDigits));
    const std::optional<quint64> counter = parseDecimal(text.sliced(CounterStart, CounterDigits));
    const std::optional<quint64> node = parseHex(text.sliced(NodeStart, NodeDigits));
    if (!wall || !counter || !node || *counter > MaxCounter)
        return std::nullopt;
    const HlcTimestamp stamp{static_cast<qint64>(*wall), static_cast<quint32>(*counter), *node};
    if (!stamp.isValid())
        return std::nullopt;
    return stamp;
}

HybridLogicalClock::HybridLogicalClock(const Clock &physical, quint64 nodeId, qint64 maxDriftMs)
    : m_physical(physical)
    , m_nodeId(nodeId)
    , m_maxDriftMs(std::max<qint64>(0, maxDriftMs))
{
    Q_ASSERT_X(nodeId != 0, "HybridLogicalClock", "nodeId 0 marks an invalid stamp");
}

qint64 HybridLogicalClock::physicalMs() const
{
    return std::clamp<qint64>(m_physical.nowUtc().toMSecsSinceEpoch(), 0, HlcTimestamp::MaxWallMs);
}

HlcTimestamp HybridLogicalClock::issue(qint64 wallMs, quint64 counter)
{
    // The counter only grows while wallMs stands still, so it overflows only
    // after 2^32 events in one millisecond, or when a peer sends a stamp whose
    // counter is already 2^32-1. Wrapping to 0 would issue a stamp smaller than
    // the previous one and break both monotonicity and causality; moving
    // wallMs one millisecond ahead instead keeps every guarantee and is what
    // HLC does anyway when logical time outruns physical time. The clock then
    // runs 1 ms ahead of the wall clock until the wall clock catches up.
    if (counter > MaxCounter) {
        ++wallMs;
        counter = 0;
    }
    m_last = HlcTimestamp{wallMs, static_cast<quint32>(counter), m_nodeId};
    return m_last;
}

HlcTimestamp HybridLogicalClock::now()
{
    const qint64 physical = physicalMs();
    if (physical > m_last.wallMs)
        return issue(physical, 0);
    // The wall clock stood still or went backwards: keep the logical wall time
    // and count, rather than issue a stamp that orders before the last one.
    return issue(m_last.wallMs, quint64(m_last.counter) + 1);
}

protocol::Result<HlcTimestamp> HybridLogicalClock::receive(const HlcTimestamp &remote)
{
    if (!remote.isValid())
        return protocol::fail(protocol::ErrorCode::BadRequest, QStringLiteral("invalid HLC timestamp"));
    const qint64 physical = physicalMs();
    // Both are within [0, MaxWallMs], so the difference cannot overflow.
    const qint64 ahead = remote.wallMs - physical;
    if (ahead > m_maxDriftMs) {
        return protocol::fail(protocol::ErrorCode::Conflict,
                              QStringLiteral("HLC timestamp from node %1 is %2 ms ahead of the local clock "
                                             "(at most %3 ms allowed)")
                                  .arg(remote.nodeId, 16, 16, QLatin1Char('0'))
                                  .arg(ahead)
                                  .arg(m_maxDriftMs));
    }

    // Kulkarni et al., Figure 5 ("receive event of message m").
    const qint64 wall = std::max({m_last.wallMs, remote.wallMs, physical});
    quint64 counter = 0;
    if (wall == m_last.wallMs && wall == remote.wallMs)
        counter = quint64(std::max(m_last.counter, remote.counter)) + 1;
    else if (wall == m_last.wallMs)
        counter = quint64(m_last.counter) + 1;
    else if (wall == remote.wallMs)
        counter = quint64(remote.counter) + 1;
    return issue(wall, counter);
}

void HybridLogicalClock::restore(const HlcTimestamp &lastIssued)
{
    if (!lastIssued.isValid()) {
        qCWarning(lcClock) << "ignoring an invalid HLC timestamp to restore";
        return;
    }
    // No drift check here: the stamp was issued by this node, and going below
    // it would reorder the node's own history. A stamp persisted while the
    // wall clock was far ahead therefore pins the clock there until real time
    // catches up; peers will refuse those stamps until then (see receive()).
    if (lastIssued > m_last)
        m_last = lastIssued;
}

} // namespace tandem::offline
