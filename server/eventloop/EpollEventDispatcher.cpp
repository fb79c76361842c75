#include "server/eventloop/EpollEventDispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>

#include <cerrno>
#include <climits>
#include <ctime>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace tandem::server {
namespace {

/// Ready descriptors taken per turn; more stay ready (level-triggered) for the next.
constexpr int MaxEventsPerTurn = 256;

qint64 monotonicNs()
{
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , m_epoll(::epoll_create1(EPOLL_CLOEXEC))
    , m_wakeUpFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
{
    if (m_epoll == -1 || m_wakeUpFd == -1) {
        qWarning("EpollEventDispatcher: epoll or eventfd unavailable (errno %d)", errno);
        return;
    }
    epoll_event wakeUps{};
    wakeUps.events = EPOLLIN;
    wakeUps.data.fd = m_wakeUpFd;
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeUpFd, &wakeUps) != 0) {
        ::close(m_wakeUpFd);
        m_wakeUpFd = -1;
    }
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_wakeUpFd != -1)
        ::close(m_wakeUpFd);
    if (m_epoll != -1)
        ::close(m_epoll);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.storeRelaxed(0);
    Q_EMIT awake();
    QCoreApplication::sendPostedEvents();

    // An event posted from now on writes the eventfd (wakeUp()), so the wait below returns at once.
    const bool mayWait = flags.testFlag(QEventLoop::WaitForMoreEvents) && !m_interrupted.loadRelaxed();
    if (mayWait)
        Q_EMIT aboutToBlock();
    if (m_interrupted.loadRelaxed())
        return false;
    const bool includeTimers = !flags.testFlag(QEventLoop::X11ExcludeTimers);
    const int timeoutMs = mayWait ? (includeTimers ? timeoutForNextTimer() : -1) : 0;

    epoll_event events[MaxEventsPerTurn];
    int ready = ::epoll_wait(m_epoll, events, MaxEventsPerTurn, timeoutMs);
    if (ready < 0) {
        if (errno != EINTR)
            qWarning("EpollEventDispatcher: epoll_wait failed (errno %d)", errno);
        ready = 0;
    }
    if (mayWait)
        Q_EMIT awake();

    int activated =
        activateSocketNotifiers(events, ready, !flags.testFlag(QEventLoop::ExcludeSocketNotifiers));
    if (includeTimers)
        activated += activateTimers();
    return activated > 0;
}

int EpollEventDispatcher::activateSocketNotifiers(const epoll_event *events, int count, bool includeNotifiers)
{
    int activated = 0;
    std::vector<QSocketNotifier *> due;
    for (int i = 0; i < count; ++i) {
        const int descriptor = events[i].data.fd;
        if (descriptor == m_wakeUpFd) {
            drainWakeUps();
            ++activated;
            continue;
        }
        if (!includeNotifiers)
            continue; // still ready next time: epoll is level-triggered
        const auto watched = m_watched.constFind(descriptor);
        if (watched == m_watched.cend())
            continue;
        // As Qt's poll dispatcher reads revents: hang-ups and errors wake the reader.
        const quint32 ready = events[i].events;
        if (watched->read && (ready & (EPOLLIN | EPOLLHUP | EPOLLERR)))
            due.push_back(watched->read);
        if (watched->write && (ready & (EPOLLOUT | EPOLLERR)))
            due.push_back(watched->write);
        if (watched->exception && (ready & EPOLLPRI))
            due.push_back(watched->exception);
    }
    if (due.empty())
        return activated;
    m_activations.append(&due);
    for (QSocketNotifier *notifier : due) {
        if (!notifier)
            continue; // unregistered (disabled or deleted) by an earlier one of this pass
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        ++activated;
    }
    m_activations.removeOne(&due);
    return activated;
}

int EpollEventDispatcher::activateTimers()
{
    const qint64 nowNs = monotonicNs();
    // Only those due now: a timer started by a handler of this pass waits for the next one.
    std::vector<int> due;
    for (auto it = m_deadlines.cbegin(); it != m_deadlines.cend() && it->first <= nowNs; ++it)
        due.push_back(it->second);
    int fired = 0;
    for (const int timerId : due) {
        auto timer = m_timers.find(timerId);
        if (timer == m_timers.end() || timer->running)
            continue;
        // Rescheduled before its handler runs, which may stop or restart it. Missed periods are
        // skipped, not fired in a burst.
        const qint64 intervalNs = timer->intervalMs * 1'000'000;
        qint64 next = timer->deadlineNs + intervalNs;
        if (next < nowNs)
            next = nowNs + intervalNs;
        m_deadlines.erase({timer->deadlineNs, timerId});
        m_deadlines.insert({next, timerId});
        timer->deadlineNs = next;
        timer->running = true;
        QObject *object = timer->object;
        QTimerEvent event(timerId);
        QCoreApplication::sendEvent(object, &event);
        ++fired;
        // Looked up again: the handler may have killed it (and its id may already serve another).
        if (auto after = m_timers.find(timerId); after != m_timers.end())
            after->running = false;
    }
    return fired;
}

int EpollEventDispatcher::timeoutForNextTimer() const
{
    if (m_deadlines.empty())
        return -1;
    const qint64 remainingNs = m_deadlines.cbegin()->first - monotonicNs();
    if (remainingNs <= 0)
        return 0;
    const qint64 ms = (remainingNs + 999'999) / 1'000'000; // rounded up: never wake before the deadline
    return ms > INT_MAX ? INT_MAX : int(ms);
}

void EpollEventDispatcher::drainWakeUps()
{
    eventfd_t count = 0;
    ::eventfd_read(m_wakeUpFd, &count);
    m_wakeUpPending.storeRelease(0);
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int descriptor = int(notifier->socket());
    Watched &watched = m_watched[descriptor];
    QSocketNotifier **slot = notifier->type() == QSocketNotifier::Read    ? &watched.read
                             : notifier->type() == QSocketNotifier::Write ? &watched.write
                                                                          : &watched.exception;
    if (*slot && *slot != notifier)
        qWarning("EpollEventDispatcher: a second socket notifier of one type for descriptor %d", descriptor);
    *slot = notifier;
    updateInterest(descriptor);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    for (std::vector<QSocketNotifier *> *pass : std::as_const(m_activations)) {
        for (QSocketNotifier *&pending : *pass) {
            if (pending == notifier)
                pending = nullptr;
        }
    }
    const int descriptor = int(notifier->socket());
    const auto watched = m_watched.find(descriptor);
    if (watched == m_watched.end())
        return;
    for (QSocketNotifier **slot : {&watched->read, &watched->write, &watched->exception}) {
        if (*slot == notifier)
            *slot = nullptr;
    }
    updateInterest(descriptor);
}

void EpollEventDispatcher::updateInterest(int descriptor)
{
    const auto watched = m_watched.find(descriptor);
    if (watched == m_watched.end())
        return;
    const quint32 wanted = (watched->read ? quint32(EPOLLIN) : 0u) |
                           (watched->write ? quint32(EPOLLOUT) : 0u) |
                           (watched->exception ? quint32(EPOLLPRI) : 0u);
    if (wanted == 0) {
        // The descriptor may already be closed (the kernel then dropped it itself): ENOENT/EBADF are fine.
        if (watched->events != 0)
            ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, descriptor, nullptr);
        m_watched.erase(watched);
        return;
    }
    if (wanted == watched->events)
        return;
    epoll_event interest{};
    interest.events = wanted;
    interest.data.fd = descriptor;
    // ADD or MOD as we believe; the other when the kernel disagrees (a descriptor closed and reused).
    int operation = watched->events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    if (::epoll_ctl(m_epoll, operation, descriptor, &interest) != 0) {
        operation = errno == EEXIST ? EPOLL_CTL_MOD : errno == ENOENT ? EPOLL_CTL_ADD : -1;
        if (operation == -1 || ::epoll_ctl(m_epoll, operation, descriptor, &interest) != 0) {
            qWarning("EpollEventDispatcher: cannot watch descriptor %d (errno %d)", descriptor, errno);
            return;
        }
    }
    watched->events = wanted;
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    const qint64 deadlineNs = monotonicNs() + interval * 1'000'000;
    m_timers.insert(timerId, Timer{interval, timerType, object, deadlineNs});
    m_deadlines.insert({deadlineNs, timerId});
    m_timersByObject[object].append(timerId);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto timer = m_timers.find(timerId);
    if (timer == m_timers.end())
        return false;
    m_deadlines.erase({timer->deadlineNs, timerId});
    const auto ofObject = m_timersByObject.find(timer->object);
    if (ofObject != m_timersByObject.end()) {
        ofObject->removeOne(timerId);
        if (ofObject->isEmpty())
            m_timersByObject.erase(ofObject);
    }
    m_timers.erase(timer);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    const QList<int> timerIds = m_timersByObject.take(object);
    for (const int timerId : timerIds) {
        const auto timer = m_timers.find(timerId);
        if (timer == m_timers.end())
            continue;
        m_deadlines.erase({timer->deadlineNs, timerId});
        m_timers.erase(timer);
    }
    return !timerIds.isEmpty();
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> timers;
    for (const int timerId : m_timersByObject.value(object)) {
        const Timer &timer = m_timers[timerId];
        timers.append(TimerInfo(timerId, int(timer.intervalMs), timer.type));
    }
    return timers;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto timer = m_timers.constFind(timerId);
    if (timer == m_timers.cend())
        return -1;
    const qint64 remainingNs = timer->deadlineNs - monotonicNs();
    return remainingNs <= 0 ? 0 : int((remainingNs + 999'999) / 1'000'000);
}

void EpollEventDispatcher::wakeUp()
{
    // Any thread (QCoreApplication::postEvent calls it for the receiver's thread).
    if (m_wakeUpPending.testAndSetAcquire(0, 1))
        ::eventfd_write(m_wakeUpFd, 1);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.storeRelaxed(1);
    wakeUp();
}

} // namespace tandem::server
