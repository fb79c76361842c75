#pragma once
// A hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014):
// stamps that stay close to wall-clock time, yet never go backwards on one
// node and always order a receive after the send it merged. Offline edits are
// stamped with it so that replicas that never talked order them the same way.

#include "core/common/Clock.h"
#include "core/protocol/ErrorCode.h"

#include <QString>
#include <QStringView>

#include <compare>
#include <optional>

namespace tandem::offline {

/// One HLC stamp. The members are declared in comparison order: the defaulted
/// operator<=> compares wallMs, then counter, then nodeId.
struct HlcTimestamp {
    /// The largest wallMs the text form holds (15 decimal digits, the year 33658).
    static constexpr qint64 MaxWallMs = 999'999'999'999'999;
    /// Length of toString(): 15 + 1 + 10 + 1 + 16 characters.
    static constexpr qsizetype TextLength = 43;

    qint64 wallMs = 0;   ///< milliseconds since the epoch, never behind the physical time that issued it
    quint32 counter = 0; ///< orders stamps issued within one wallMs
    /// The issuing node. Last in the ordering so that it only breaks ties:
    /// two nodes that stamp concurrently at the same (wallMs, counter) still
    /// get a total order, and every replica picks the same winner.
    quint64 nodeId = 0;

    friend std::strong_ordering operator<=>(const HlcTimestamp &, const HlcTimestamp &) = default;
    friend bool operator==(const HlcTimestamp &, const HlcTimestamp &) = default;

    /// False for the default stamp (nodeId 0 means "no stamp") and for a wallMs
    /// the text form cannot hold.
    bool isValid() const { return nodeId != 0 && wallMs >= 0 && wallMs <= MaxWallMs; }

    /// "WWWWWWWWWWWWWWW-CCCCCCCCCC-NNNNNNNNNNNNNNNN": wallMs and counter in
    /// zero-padded decimal, nodeId in zero-padded lowercase hex. Fixed width,
    /// so comparing two texts byte by byte (SQLite's ORDER BY on a TEXT
    /// column) gives the same order as comparing the stamps. Empty when the
    /// stamp is not valid. This is a storage format: never change it.
    QString toString() const;
    /// The inverse of toString(). Anything else, including uppercase hex,
    /// non-ASCII digits, signs, a counter above 2^32-1 and nodeId 0, is refused.
    static std::optional<HlcTimestamp> fromString(QStringView text);
};

/// Issues the stamps of one node. Not thread-safe: one clock per node, used
/// from one thread.
class HybridLogicalClock {
public:
    static constexpr qint64 DefaultMaxDriftMs = 5 * 60 * 1000;

    /// `physical` must outlive the clock; its nowUtc() is the wall time. `nodeId`
    /// must be non-zero and unique among the replicas that exchange stamps.
    /// `maxDriftMs` (clamped to >= 0) is how far ahead of our wall time a
    /// remote stamp may be before receive() refuses it.
    HybridLogicalClock(const Clock &physical, quint64 nodeId, qint64 maxDriftMs = DefaultMaxDriftMs);

    /// A stamp for a local event or a message about to be sent: strictly
    /// greater than every stamp this clock issued or received before.
    HlcTimestamp now();

    /// Merges the stamp of a received message and returns the stamp of the
    /// receive event: strictly greater than `remote` and than everything this
    /// clock issued before.
    ///
    /// A single peer with a wrong clock would otherwise drag every replica's
    /// clock into the future for good (HLC never moves backwards), so a remote
    /// stamp more than maxDriftMs ahead of our physical time is refused with
    /// ErrorCode::Conflict and the clock is left untouched; an invalid stamp is
    /// refused with ErrorCode::BadRequest.
    protocol::Result<HlcTimestamp> receive(const HlcTimestamp &remote);

    /// After a restart: continue strictly after `lastIssued`, the newest stamp
    /// persisted before shutdown, even if the wall clock has since gone
    /// backwards (NTP step, manual change, dead RTC battery). Without this a
    /// restarted node could reissue stamps that order before its own earlier
    /// edits. Never moves the clock backwards; an invalid stamp is ignored.
    void restore(const HlcTimestamp &lastIssued);

    /// The newest stamp issued, merged or restored; invalid before the first.
    HlcTimestamp last() const { return m_last; }
    quint64 nodeId() const { return m_nodeId; }
    qint64 maxDriftMs() const { return m_maxDriftMs; }

private:
    /// The physical clock's wall time, clamped into the range a stamp can hold.
    qint64 physicalMs() const;
    /// Stores and returns (wallMs, counter) as the newest stamp of this node.
    HlcTimestamp issue(qint64 wallMs, quint64 counter);

    const Clock &m_physical;
    quint64 m_nodeId;
    qint64 m_maxDriftMs;
    HlcTimestamp m_last;
};

} // namespace tandem::offline
