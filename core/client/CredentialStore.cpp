#include "core/client/CredentialStore.h"

#include "core/client/AuthClient.h"

namespace tandem::client {

QString CredentialStore::entryKey(const QUrl &serverUrl, const QString &userName)
{
    const QUrl normalized = AuthClient::normalizedServerUrl(serverUrl);
    return userName + QLatin1Char('@') + (normalized.isValid() ? normalized : serverUrl).toString();
}

} // namespace tandem::client
