#include "server/bus/RedisEventLoop.h"

#include <QObject>
#include <QSocketNotifier>

#include <hiredis/async.h>

namespace tandem::server {
namespace {

/// What the hooks of one context share: its notifiers, created on first use.
struct Watch {
    redisAsyncContext *context;
    QObject *owner;
    QSocketNotifier *read = nullptr;
    QSocketNotifier *write = nullptr;
};

QSocketNotifier *notifier(Watch &watch, QSocketNotifier::Type type)
{
    auto *created = new QSocketNotifier(watch.context->c.fd, type, watch.owner);
    redisAsyncContext *context = watch.context;
    QObject::connect(created, &QSocketNotifier::activated, created, [context, type] {
        if (type == QSocketNotifier::Read)
            redisAsyncHandleRead(context);
        else
            redisAsyncHandleWrite(context);
    });
    return created;
}

void addRead(void *data)
{
    auto &watch = *static_cast<Watch *>(data);
    if (!watch.read)
        watch.read = notifier(watch, QSocketNotifier::Read);
    watch.read->setEnabled(true);
}

void delRead(void *data)
{
    auto &watch = *static_cast<Watch *>(data);
    if (watch.read)
        watch.read->setEnabled(false);
}

void addWrite(void *data)
{
    auto &watch = *static_cast<Watch *>(data);
    if (!watch.write)
        watch.write = notifier(watch, QSocketNotifier::Write);
    watch.write->setEnabled(true);
}

void delWrite(void *data)
{
    auto &watch = *static_cast<Watch *>(data);
    if (watch.write)
        watch.write->setEnabled(false);
}

void cleanup(void *data)
{
    auto *watch = static_cast<Watch *>(data);
    // Cleanup may run inside one of these notifiers' own activation: disabled now, deleted later.
    for (QSocketNotifier *each : {watch->read, watch->write}) {
        if (each) {
            each->setEnabled(false);
            each->deleteLater();
        }
    }
    delete watch;
}

} // namespace

void attachToEventLoop(redisAsyncContext *context, QObject *owner)
{
    auto *watch = new Watch{context, owner};
    context->ev.data = watch;
    context->ev.addRead = addRead;
    context->ev.delRead = delRead;
    context->ev.addWrite = addWrite;
    context->ev.delWrite = delWrite;
    context->ev.cleanup = cleanup;
    // The connect is non-blocking: the socket turns writable once it is done (or failed), and
    // hiredis reports either through its connect callback from the write handler.
    addWrite(watch);
}

} // namespace tandem::server
