#include "server/config/ServerConfig.h"

#include "server/auth/PasswordHasher.h"
#include "server/bus/RedisBus.h"
#include "server/storage/StorageFactory.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#include <cmath>
#include <functional>
#include <limits>
#include <type_traits>

namespace tandem::server {

using protocol::ErrorCode;
using protocol::fail;
using protocol::Result;

namespace {

/// One INI key: where it goes and how its text becomes a value.
struct ConfigKey {
    const char *name;
    std::function<bool(ServerConfig &, const QString &)> apply;
};

using Setter = std::function<bool(ServerConfig &, const QString &)>;

/// A numeric key stored in one of the config's sections (auth, limits, http).
template <typename Section, typename T>
Setter number(Section ServerConfig::*section, T Section::*field, T min, T max = std::numeric_limits<T>::max())
{
    return [section, field, min, max](ServerConfig &config, const QString &text) {
        bool ok = false;
        const double value = text.toDouble(&ok);
        if (!ok || value < static_cast<double>(min) || value > static_cast<double>(max))
            return false;
        if (std::is_integral_v<T> && std::trunc(value) != value)
            return false;
        config.*section.*field = static_cast<T>(value);
        return true;
    };
}

Setter path(QString ServerConfig::*field)
{
    return [field](ServerConfig &config, const QString &text) {
        config.*field = text;
        return true;
    };
}

const std::vector<ConfigKey> &configKeys()
{
    static const std::vector<ConfigKey> keys{
        {"server/listen",
         [](ServerConfig &c, const QString &t) {
             return c.setListen(t).hasValue();
         }},
        {"server/data", path(&ServerConfig::dataDir)},
        {"tls/certificate", path(&ServerConfig::tlsCertificateFile)},
        {"tls/key", path(&ServerConfig::tlsKeyFile)},
        {"storage/database",
         [](ServerConfig &c, const QString &t) {
             if (!checkDatabaseSetting(t))
                 return false;
             c.database = t;
             return true;
         }},
        {"auth/token_ttl_seconds", number(&ServerConfig::auth, &AuthSettings::tokenTtlSeconds, qint64(60))},
        {"auth/argon2_memory_kib", number(&ServerConfig::auth, &AuthSettings::argon2MemoryKiB, quint32(8),
                                          PasswordHasher::maxMemoryKiB)},
        {"auth/argon2_time_cost",
         number(&ServerConfig::auth, &AuthSettings::argon2TimeCost, quint32(1), PasswordHasher::maxTimeCost)},
        {"limits/max_message_bytes",
         number(&ServerConfig::limits, &ConnectionLimits::maxMessageBytes, qint64(256))},
        {"limits/max_frame_bytes",
         number(&ServerConfig::limits, &ConnectionLimits::maxFrameBytes, qint64(256))},
        {"limits/max_text_length", number(&ServerConfig::limits, &ConnectionLimits::maxTextLength, 1)},
        {"limits/max_rooms_per_connection",
         number(&ServerConfig::limits, &ConnectionLimits::maxRoomsPerConnection, 1)},
        {"limits/max_connections_per_user",
         number(&ServerConfig::limits, &ConnectionLimits::maxConnectionsPerUser, 1)},
        {"limits/messages_per_second",
         number(&ServerConfig::limits, &ConnectionLimits::messagesPerSecond, 0.1)},
        {"limits/burst", number(&ServerConfig::limits, &ConnectionLimits::burst, 1)},
        {"limits/cursor_moves_per_second",
         number(&ServerConfig::limits, &ConnectionLimits::cursorMovesPerSecond, 0.1)},
        {"limits/cursor_burst", number(&ServerConfig::limits, &ConnectionLimits::cursorBurst, 1)},
        {"limits/rate_limit_strikes", number(&ServerConfig::limits, &ConnectionLimits::rateLimitStrikes, 1)},
        {"limits/auth_timeout_ms", number(&ServerConfig::limits, &ConnectionLimits::authTimeoutMs, 10)},
        {"limits/idle_timeout_ms", number(&ServerConfig::limits, &ConnectionLimits::idleTimeoutMs, 10)},
        {"limits/outgoing_soft_limit_bytes",
         number(&ServerConfig::limits, &ConnectionLimits::outgoingSoftLimitBytes, qint64(1024))},
        {"limits/outgoing_hard_limit_bytes",
         number(&ServerConfig::limits, &ConnectionLimits::outgoingHardLimitBytes, qint64(4096))},
        {"limits/max_replay_events", number(&ServerConfig::limits, &ConnectionLimits::maxReplayEvents, 1)},
        {"limits/max_history_page", number(&ServerConfig::limits, &ConnectionLimits::maxHistoryPage, 1)},
        {"documents/max_update_bytes",
         number(&ServerConfig::documents, &DocumentSettings::maxUpdateBytes, qint64(64))},
        {"documents/max_document_bytes",
         number(&ServerConfig::documents, &DocumentSettings::maxDocumentBytes, qint64(64))},
        {"documents/compact_every_updates",
         number(&ServerConfig::documents, &DocumentSettings::compactEveryUpdates, 1)},
        {"documents/compact_interval_ms",
         number(&ServerConfig::documents, &DocumentSettings::compactIntervalMs, 10)},
        {"documents/ping_interval_ms",
         number(&ServerConfig::documents, &DocumentSettings::pingIntervalMs, 10)},
        {"documents/keepalive_interval_ms",
         number(&ServerConfig::documents, &DocumentSettings::keepaliveIntervalMs, 10)},
        {"canvas/max_shapes", number(&ServerConfig::canvas, &CanvasSettings::maxShapes, 1)},
        {"canvas/compact_every_changes",
         number(&ServerConfig::canvas, &CanvasSettings::compactEveryChanges, 1)},
        {"canvas/max_clock_skew_ms",
         number(&ServerConfig::canvas, &CanvasSettings::maxClockSkewMs, qint64(1000))},
        {"streaming/heartbeat_interval_ms",
         number(&ServerConfig::streaming, &StreamingSettings::heartbeatIntervalMs, 100)},
        {"streaming/retry_ms", number(&ServerConfig::streaming, &StreamingSettings::retryMs, 0)},
        {"streaming/long_poll_max_seconds",
         number(&ServerConfig::streaming, &StreamingSettings::longPollMaxSeconds, 0, 300)},
        {"streaming/max_batch_messages",
         number(&ServerConfig::streaming, &StreamingSettings::maxBatchMessages, 1)},
        {"streaming/max_poll_bytes",
         number(&ServerConfig::streaming, &StreamingSettings::maxPollBytes, qint64(1024))},
        {"streaming/sync_reply_timeout_ms",
         number(&ServerConfig::streaming, &StreamingSettings::syncReplyTimeoutMs, 100)},
        {"bus/redis",
         [](ServerConfig &c, const QString &t) {
             if (!t.isEmpty() && !RedisEndpoint::parse(t))
                 return false;
             c.bus.redis = t;
             return true;
         }},
        {"bus/lease_ttl_ms", number(&ServerConfig::bus, &BusSettings::leaseTtlMs, 300)},
        {"http/max_connections", number(&ServerConfig::http, &http::HttpLimits::maxConnections, 1)},
        {"http/new_connections_per_second_per_address",
         number(&ServerConfig::http, &http::HttpLimits::newConnectionsPerSecondPerAddress, 0.01)},
        {"http/new_connection_burst_per_address",
         number(&ServerConfig::http, &http::HttpLimits::newConnectionBurstPerAddress, 1)},
        {"http/max_header_bytes", number(&ServerConfig::http, &http::HttpLimits::maxHeaderBytes, 1024)},
        {"http/max_body_bytes", number(&ServerConfig::http, &http::HttpLimits::maxBodyBytes, qint64(1024))},
        {"http/header_timeout_ms", number(&ServerConfig::http, &http::HttpLimits::headerTimeoutMs, 10)},
        {"http/body_timeout_ms", number(&ServerConfig::http, &http::HttpLimits::bodyTimeoutMs, 10)},
        {"http/idle_timeout_ms", number(&ServerConfig::http, &http::HttpLimits::idleTimeoutMs, 10)},
        {"metrics/allow",
         [](ServerConfig &c, const QString &t) {
             auto access = metrics::MetricsAccess::parse(t);
             if (access)
                 c.metricsAccess = *access;
             return access.hasValue();
         }},
    };
    return keys;
}

} // namespace

Result<ServerConfig> ServerConfig::loadFile(const QString &filePath, ServerConfig base)
{
    if (!QFileInfo(filePath).isReadable())
        return fail(ErrorCode::NotFound, QStringLiteral("cannot read config file %1").arg(filePath));
    QSettings settings(filePath, QSettings::IniFormat);
    if (settings.status() != QSettings::NoError)
        return fail(ErrorCode::BadRequest, QStringLiteral("%1 is not a valid INI file").arg(filePath));

    for (const QString &key : settings.allKeys()) {
        const auto entry =
            std::find_if(configKeys().begin(), configKeys().end(),
                         [&](const ConfigKey &candidate) { return key == QLatin1String(candidate.name); });
        if (entry == configKeys().end())
            return fail(ErrorCode::BadRequest, QStringLiteral("%1: unknown key '%2'").arg(filePath, key));
        const QString value = settings.value(key).toString().trimmed();
        if (!entry->apply(base, value)) {
            // A database URL may carry a password: never echo it.
            const QString shown = key == QLatin1String("storage/database") ? QStringLiteral("…") : value;
            return fail(ErrorCode::BadRequest,
                        QStringLiteral("%1: bad value '%2' for '%3'").arg(filePath, shown, key));
        }
    }
    // Relative paths in the file are relative to the file, as admins expect.
    const QDir fileDir = QFileInfo(filePath).absoluteDir();
    for (QString *relative : {&base.dataDir, &base.tlsCertificateFile, &base.tlsKeyFile}) {
        if (!relative->isEmpty() && QFileInfo(*relative).isRelative())
            *relative = fileDir.absoluteFilePath(*relative);
    }
    return base;
}

Result<void> ServerConfig::setListen(const QString &addressAndPort)
{
    const qsizetype colon = addressAndPort.lastIndexOf(QLatin1Char(':'));
    if (colon < 0)
        return fail(ErrorCode::BadRequest, QStringLiteral("listen address must be ADDR:PORT"));
    QString host = addressAndPort.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint port = addressAndPort.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return fail(ErrorCode::BadRequest, QStringLiteral("bad port in '%1'").arg(addressAndPort));
    QHostAddress address(QHostAddress::LocalHost);
    if (host == QLatin1String("localhost"))
        address = QHostAddress(QHostAddress::LocalHost);
    else if (host == QLatin1String("*") || host.isEmpty())
        address = QHostAddress(QHostAddress::Any);
    else if (!address.setAddress(host))
        return fail(ErrorCode::BadRequest, QStringLiteral("bad address in '%1'").arg(addressAndPort));
    listenAddress = address;
    listenPort = static_cast<quint16>(port);
    return {};
}

QString ServerConfig::resolvedDataDir() const
{
    if (!dataDir.isEmpty())
        return dataDir;
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/tandem-server");
}

} // namespace tandem::server
