#include "core/client/NetworkWatcher.h"

#include "core/client/ClientLogging.h"

namespace tandem::client {

NetworkWatcher::NetworkWatcher(QObject *parent)
    : QObject(parent)
{
    m_hasBackend = QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability);
    QNetworkInformation *information = m_hasBackend ? QNetworkInformation::instance() : nullptr;
    if (!information) {
        m_hasBackend = false;
        qCInfo(lcClient) << "no network reachability backend; reconnection relies on backoff alone";
        return;
    }
    m_online = information->reachability() == QNetworkInformation::Reachability::Online;
    connect(information, &QNetworkInformation::reachabilityChanged, this,
            &NetworkWatcher::reachabilityChanged);
}

void NetworkWatcher::reachabilityChanged(QNetworkInformation::Reachability reachability)
{
    // Only full reachability counts: "local" or "site" networks rarely reach the server.
    const bool online = reachability == QNetworkInformation::Reachability::Online;
    const bool cameBack = online && !m_online;
    m_online = online;
    if (cameBack)
        Q_EMIT networkBack();
}

} // namespace tandem::client
