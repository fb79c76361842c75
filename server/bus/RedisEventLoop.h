#pragma once
// Drives a hiredis asynchronous context from Qt's event loop with two
// QSocketNotifiers. hiredis ships adapters/qt.h for this, but it connects to
// QSocketNotifier::activated(int), a signal Qt 6 no longer has, so it never
// fires; this is the same idea with Qt 6 signals.

struct redisAsyncContext;

class QObject;

namespace tandem::server {

/// Hooks `context` into the event loop. The notifiers are children of `owner`, so none outlives
/// it; they go when hiredis frees the context (its cleanup hook).
void attachToEventLoop(redisAsyncContext *context, QObject *owner);

} // namespace tandem::server
