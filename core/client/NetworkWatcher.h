#pragma once
// Tells the session when the operating system says the network is back, so it
// reconnects at once instead of waiting out its backoff. Uses
// QNetworkInformation when a backend is present (NetworkManager on Linux);
// without one it stays silent and backoff alone drives reconnection.

#include <QNetworkInformation>
#include <QObject>

namespace tandem::client {

class NetworkWatcher : public QObject {
    Q_OBJECT

public:
    explicit NetworkWatcher(QObject *parent = nullptr);

    /// True when a reachability backend was loaded.
    bool hasBackend() const { return m_hasBackend; }
    /// Feeds one reachability report; public so tests can drive it without a backend.
    void reachabilityChanged(QNetworkInformation::Reachability reachability);

Q_SIGNALS:
    /// The network went from unreachable (or unknown-offline) to reachable.
    void networkBack();

private:
    bool m_hasBackend = false;
    bool m_online = true;
};

} // namespace tandem::client
