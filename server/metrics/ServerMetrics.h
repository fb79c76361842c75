#pragma once
// Everything tandem-server counts for GET /metrics, in one object that the
// Server owns and hands by reference to whoever counts (the hub, the
// connections): no global state, no locks, as all of it lives on the event
// loop's thread. Gauges that are a fact of the moment (live connections, open
// documents, the bus link) are not kept here but read at scrape time (Live).
// docs/OPERATIONS.md "Metrics" explains every metric to operators.

#include "server/metrics/CounterFamily.h"
#include "server/metrics/Histogram.h"

#include <QByteArray>
#include <QString>

#include <map>
#include <optional>

namespace tandem::server::metrics {

class ServerMetrics {
public:
    ServerMetrics();

    CounterFamily messagesReceived; ///< {transport}: client messages read
    CounterFamily messagesSent;     ///< {transport}: messages handed to a transport
    quint64 deliveries = 0;         ///< room traffic handed to a subscriber (fan-out)
    CounterFamily dropped;          ///< {kind}: droppable messages not sent to a slow peer
    CounterFamily disconnects;      ///< {reason}: connections ended, by close code
    CounterFamily refusals;         ///< {limit}: requests, messages or connections refused by a limit
    CounterFamily httpRequests;     ///< {status}: HTTP answers
    Histogram busLag;               ///< seconds from publishing on the bus to hearing it back
    Histogram storageSeconds;       ///< one group commit of room events

    /// Read at scrape time.
    struct Live {
        std::map<QString, int> connections; ///< transport -> live connections
        double openDocuments = 0;
        double openCanvases = 0;
        std::optional<bool> busConnected; ///< absent without a bus
    };
    /// The whole scrape, process metrics included.
    QByteArray exposition(const Live &live) const;

    /// The `reason` label of a close code: "policy" for 4008, "too_slow" for 1013, … A transport
    /// that ended without any code (0) is "peer_closed"; an unknown code is "other".
    static QString disconnectReason(int closeCode);
};

} // namespace tandem::server::metrics
