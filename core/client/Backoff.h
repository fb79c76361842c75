#pragma once
// How long to wait before reconnect attempt N: exponential growth, a cap, and
// jitter so that a thousand clients dropped by the same server restart do not
// all come back in the same instant.

#include <QtGlobal>

#include <functional>

namespace tandem::client {

struct BackoffPolicy {
    qint64 baseMs = 500;
    double factor = 2.0;
    qint64 capMs = 30000;
    /// Retries after a drop before the session gives up and offers "Retry now".
    int maxAttempts = 8;
};

class Backoff {
public:
    /// Returns a number in [0, 1).
    using RandomSource = std::function<double()>;

    explicit Backoff(BackoffPolicy policy = {}, RandomSource random = {});

    /// The delay before retry `attempt` (1 for the first retry after a drop).
    ///
    /// "Equal jitter": nominal/2 + r * nominal/2, nominal = min(cap, base * factor^(attempt-1)).
    /// Full jitter (r * nominal) spreads clients a little wider but lets some
    /// retry after ~0 ms, which hammers a server that has just fallen over;
    /// equal jitter keeps at least half the backoff for everyone and still
    /// spreads the herd uniformly over a window half the nominal delay wide
    /// (15 s at the cap: about 67 of 1 000 clients per second).
    qint64 nextDelay(int attempt) const;

    /// The un-jittered delay for `attempt`, and the bounds nextDelay() stays within.
    qint64 nominalDelay(int attempt) const;
    qint64 minDelay(int attempt) const { return nominalDelay(attempt) / 2; }
    qint64 maxDelay(int attempt) const { return nominalDelay(attempt); }

    /// True when `attempt` is beyond the policy's bound.
    bool exhausted(int attempt) const { return attempt > m_policy.maxAttempts; }
    const BackoffPolicy &policy() const { return m_policy; }

private:
    BackoffPolicy m_policy;
    RandomSource m_random;
};

} // namespace tandem::client
