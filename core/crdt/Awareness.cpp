#include "core/crdt/Awareness.h"

#include "core/crdt/Lib0Decoder.h"
#include "core/crdt/Lib0Encoder.h"

#include <QJsonDocument>

namespace tandem::crdt {

Awareness::Awareness(ClientId clientId, const tandem::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clientId(clientId)
    , m_clock(clock)
{
    setLocalState(QJsonObject());
    connect(&m_checkTimer, &QTimer::timeout, this, &Awareness::checkTimeouts);
}

std::optional<QJsonObject> Awareness::localState() const
{
    auto it = m_states.find(m_clientId);
    return it == m_states.end() ? std::nullopt : std::optional<QJsonObject>(*it);
}

std::optional<quint64> Awareness::clockOf(ClientId client) const
{
    auto it = m_meta.find(client);
    return it == m_meta.end() ? std::nullopt : std::optional<quint64>(it->clock);
}

void Awareness::setLocalState(const std::optional<QJsonObject> &state)
{
    auto meta = m_meta.find(m_clientId);
    const quint64 clock = meta == m_meta.end() ? 0 : meta->clock + 1;
    const std::optional<QJsonObject> previous = localState();
    if (state)
        m_states.insert(m_clientId, *state);
    else
        m_states.remove(m_clientId);
    m_meta.insert(m_clientId, Meta{clock, m_clock.monotonicMs()});

    AwarenessChange filtered;
    AwarenessChange all;
    if (!state) {
        if (previous) {
            filtered.removed.append(m_clientId);
            all.removed.append(m_clientId);
        }
    } else if (!previous) {
        filtered.added.append(m_clientId);
        all.added.append(m_clientId);
    } else {
        all.updated.append(m_clientId);
        if (*previous != *state)
            filtered.updated.append(m_clientId);
    }
    emitChange(filtered, all, 0);
}

void Awareness::setLocalStateField(const QString &key, const QJsonValue &value)
{
    if (std::optional<QJsonObject> state = localState()) {
        state->insert(key, value);
        setLocalState(state);
    }
}

QByteArray Awareness::encodeUpdate(const QList<ClientId> &clients) const
{
    Lib0Encoder encoder;
    encoder.writeVarUint(std::uint64_t(clients.size()));
    for (ClientId client : clients) {
        encoder.writeVarUint(client);
        encoder.writeVarUint(m_meta.value(client).clock);
        auto state = m_states.find(client);
        encoder.writeVarString(state == m_states.end()
                                   ? QStringLiteral("null")
                                   : QString::fromUtf8(QJsonDocument(*state).toJson(QJsonDocument::Compact)));
    }
    return encoder.takeData();
}

Expected<AwarenessChange, DecodeError> Awareness::applyUpdate(const QByteArray &update, Origin origin)
{
    struct Entry {
        ClientId client;
        quint64 clock;
        std::optional<QJsonObject> state;
    };
    // Decode everything first: a bad entry refuses the whole update.
    Lib0Decoder decoder(update);
    std::vector<Entry> entries;
    const std::uint64_t count = decoder.readCount(3);
    for (std::uint64_t i = 0; i < count && !decoder.failed(); ++i) {
        const ClientId client = decoder.readVarUint();
        const quint64 clock = decoder.readVarUint();
        const QString json = decoder.readVarString();
        if (decoder.failed())
            break;
        if (json == QLatin1String("null")) {
            entries.push_back(Entry{client, clock, std::nullopt});
            continue;
        }
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !document.isObject()) {
            decoder.fail(DecodeErrorCode::InvalidJson, "awareness state is not a JSON object or null");
            break;
        }
        entries.push_back(Entry{client, clock, document.object()});
    }
    if (!decoder.failed() && decoder.hasContent())
        decoder.fail(DecodeErrorCode::TrailingBytes, "bytes after the awareness update");
    if (decoder.failed())
        return unexpected(*decoder.error());

    const qint64 now = m_clock.monotonicMs();
    AwarenessChange filtered;
    AwarenessChange all;
    for (Entry &entry : entries) {
        auto meta = m_meta.find(entry.client);
        const bool known = meta != m_meta.end();
        // An unknown client's clock counts as 0, so its clock-0 state is ignored.
        const quint64 currentClock = known ? meta->clock : 0;
        const bool removal = !entry.state;
        if (!(currentClock < entry.clock ||
              (currentClock == entry.clock && removal && m_states.contains(entry.client))))
            continue;
        const std::optional<QJsonObject> previous =
            m_states.contains(entry.client) ? std::optional<QJsonObject>(m_states.value(entry.client))
                                            : std::nullopt;
        quint64 clock = entry.clock;
        if (removal) {
            if (entry.client == m_clientId && localState()) {
                // Someone removed us while we are here: outbid them instead.
                ++clock;
            } else {
                m_states.remove(entry.client);
            }
        } else {
            m_states.insert(entry.client, *entry.state);
        }
        m_meta.insert(entry.client, Meta{clock, now});
        if (!known && !removal) {
            filtered.added.append(entry.client);
            all.added.append(entry.client);
        } else if (known && removal) {
            filtered.removed.append(entry.client);
            all.removed.append(entry.client);
        } else if (!removal) {
            all.updated.append(entry.client);
            if (previous != entry.state)
                filtered.updated.append(entry.client);
        }
    }
    emitChange(filtered, all, origin);
    return filtered;
}

void Awareness::removeStates(const QList<ClientId> &clients, Origin origin)
{
    AwarenessChange change;
    for (ClientId client : clients) {
        if (!m_states.remove(client))
            continue;
        if (client == m_clientId) {
            Meta &meta = m_meta[client];
            meta.clock += 1;
            meta.lastUpdatedMs = m_clock.monotonicMs();
        }
        change.removed.append(client);
    }
    emitChange(change, change, origin);
}

void Awareness::checkTimeouts()
{
    const qint64 now = m_clock.monotonicMs();
    if (std::optional<QJsonObject> local = localState();
        local && now - m_meta.value(m_clientId).lastUpdatedMs >= kOutdatedTimeoutMs / 2) {
        setLocalState(local); // renew: same state, next clock
    }
    QList<ClientId> outdated;
    for (auto it = m_meta.cbegin(); it != m_meta.cend(); ++it) {
        if (it.key() != m_clientId && now - it->lastUpdatedMs >= kOutdatedTimeoutMs &&
            m_states.contains(it.key()))
            outdated.append(it.key());
    }
    if (!outdated.isEmpty())
        removeStates(outdated, kTimeoutOrigin);
}

void Awareness::startPeriodicCheck()
{
    m_checkTimer.start(int(kCheckIntervalMs));
}

void Awareness::emitChange(const AwarenessChange &filtered, const AwarenessChange &all, Origin origin)
{
    if (!filtered.isEmpty())
        emit changed(filtered, origin);
    if (!all.isEmpty())
        emit updated(all, origin);
}

} // namespace tandem::crdt
