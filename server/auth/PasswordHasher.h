#pragma once
// Password hashing with Argon2id (libargon2). The encoded string carries the
// algorithm, parameters, salt and hash, so stored hashes keep verifying after
// the parameters change.
//
// Both functions are pure and thread-safe: callers may run them on a thread
// pool (QtConcurrent::run) to keep an event loop responsive; one call costs
// tens of milliseconds and Argon2Params::memoryKiB of memory by design.

#include "core/protocol/ErrorCode.h"

#include <QString>

namespace tandem::server {

using protocol::Result;

/// Defaults are OWASP's minimum for Argon2id (Password Storage Cheat Sheet:
/// m=19 MiB, t=2, p=1).
struct Argon2Params {
    quint32 timeCost = 2;
    quint32 memoryKiB = 19 * 1024;
    quint32 parallelism = 1;
};

class PasswordHasher {
public:
    // Upper bounds on parameters, for hash() and for what verify() accepts: the
    // encoded string decides the cost of a verify, so a corrupted or planted one
    // must not exhaust memory or stall the server.
    static constexpr quint32 maxTimeCost = 64;
    static constexpr quint32 maxMemoryKiB = 1024 * 1024;
    static constexpr quint32 maxParallelism = 64;

    /// An encoded "$argon2id$v=19$m=...,t=...,p=...$salt$hash" string with a
    /// fresh 16-byte salt and a 32-byte hash. Fails for out-of-range params.
    static Result<QString> hash(const QString &password, const Argon2Params &params = {});
    /// True only if `encoded` is a well-formed Argon2id string of `password`;
    /// false for anything else, including garbage.
    static bool verify(const QString &encoded, const QString &password);
};

} // namespace tandem::server
