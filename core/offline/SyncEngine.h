#pragma once
// Replays the mutation queue over a Session (DESIGN.md "offline"): on every
// (re)connect it sends what may be sent, pipelined up to a window, matches
// acks and errors back to their mutations, retries transient failures with
// backoff, parks permanent ones as Failed, and resolves conflicts by the
// entity's policy, asking the user when the policy says so.

#include "core/client/Backoff.h"
#include "core/client/Session.h"
#include "core/client/TimerSource.h"
#include "core/common/Clock.h"
#include "core/offline/ConflictResolver.h"
#include "core/offline/EntityCache.h"
#include "core/offline/MutationQueue.h"

#include <QHash>
#include <QObject>
#include <QSet>

namespace tandem::offline {

class SyncEngine : public QObject {
    Q_OBJECT

public:
    /// At most this many mutations are unanswered at once.
    static constexpr int DefaultWindow = 256;

    /// Everything must outlive the engine.
    /// `clock` paces the replay (see pump()).
    SyncEngine(client::Session &session, MutationQueue &queue, EntityCache &entities,
               ConflictResolver &resolver, client::TimerSource &timers, const Clock &clock = Clock::system(),
               QObject *parent = nullptr);
    ~SyncEngine() override;

    void setWindow(int window) { m_window = std::max(1, window); }
    int inFlightCount() const { return static_cast<int>(m_refs.size()); }

    /// The user's answer to a conflict.
    enum class Resolution { KeepTheirs, KeepMine, UseMerged };
    /// `merged` is the patch to send for UseMerged.
    Result<void> resolveConflict(const QString &cid, Resolution resolution, const QJsonObject &merged = {});
    /// Queue a failed change again, as it was or with a new payload.
    Result<void> retry(const QString &cid);
    Result<void> retryWith(const QString &cid, const QJsonObject &payload);
    Result<void> discard(const QString &cid);

    /// Sends whatever may be sent now (called on connect and after each answer),
    /// paced below the rate the server advertised in auth:ok: a backlog of a
    /// thousand offline messages must not trip the server's abuse limit
    /// (rate_limited answers would reorder them, and repeated ones close the
    /// connection). Half the burst and a quarter of the rate stay free for
    /// what the user does meanwhile (typing, presence, joins).
    void pump();
    /// True when the server message answering `ref` was a mutation's (recent ones only), so
    /// other listeners leave its error to this engine's signals.
    bool answeredMutation(const QString &ref) const { return m_answeredRefs.contains(ref); }

Q_SIGNALS:
    /// The server stored the mutation; `ack` is the ack payload (messageId, seq, version...).
    void acknowledged(const tandem::offline::Mutation &mutation, const QJsonObject &ack);
    /// Refused for good, with the server's reason.
    void mutationFailed(const tandem::offline::Mutation &mutation, const QString &reason);
    /// The policy asks the user; `theirs` is the server's current state.
    void conflictNeedsUser(const tandem::offline::Mutation &mine, const protocol::EntityState &theirs);
    /// A conflict was settled by its policy without asking.
    void conflictResolved(const tandem::offline::Mutation &mine, tandem::offline::ConflictPolicy policy);

private:
    void onAck(const QJsonObject &message);
    void onError(const QJsonObject &message);
    void onEntityChanged(const QJsonObject &message);
    void onRoomJoined(const QJsonObject &message);
    void onConnectionLost();
    void handleConflict(const Mutation &mine, const QJsonObject &payload);
    void scheduleRetry(int retries);
    void onAuthOk(const QJsonObject &message);
    /// Refills the send budget from the clock; the tokens available now.
    double availableSends();
    void schedulePacedPump();
    /// Takes the cid of a request from the in-flight map and remembers the ref as answered.
    QString takeRef(const QString &ref);

    client::Session &m_session;
    MutationQueue &m_queue;
    EntityCache &m_entities;
    ConflictResolver &m_resolver;
    client::TimerSource &m_timers;
    client::Backoff m_backoff;
    QHash<QString, QString> m_refs; ///< envelope id -> cid, for this connection
    QSet<QString> m_answeredRefs;   ///< the newest answered refs, bounded
    QList<QString> m_answeredOrder; ///< oldest first, to bound m_answeredRefs
    QList<int> m_subscriptions;
    int m_retryTimer = 0;
    const Clock &m_clock;
    double m_sendRate = 0;      ///< sends per second allowed; 0: unpaced (no limits advertised)
    double m_sendBurst = 0;     ///< the most sends at once
    double m_sendBudget = 0;    ///< tokens now
    qint64 m_budgetStampMs = 0; ///< when m_sendBudget was computed
    int m_paceTimer = 0;
    int m_window = DefaultWindow;
};

} // namespace tandem::offline
