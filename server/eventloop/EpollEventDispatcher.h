#pragma once
// server/eventloop: an event dispatcher on Linux epoll for tandem-server's
// main thread.
//
// Why: Qt 6.4's UNIX dispatcher rebuilds an array of every socket notifier
// and hands it to poll() on every event-loop turn, so each turn costs
// O(open connections) however few are active: with 19,900 idle connections
// a new one opened at a third of the rate it did with 1,000 (1,407/s against
// 4,251/s; with this dispatcher 5,203/s, docs/BENCHMARKS.md "Scale-out").
// epoll keeps the interest list in the kernel and returns only the ready
// descriptors; timers are kept ordered by deadline.
//
// It behaves like Qt's dispatcher where code can tell: posted events first,
// level-triggered notifiers (a notifier disabled during a pass is not
// activated later in it), a timer is not re-entered while its handler runs
// (a nested event loop), zero-interval timers fire once per turn, interrupt()
// and wakeUp() work from any thread. Coarse and very coarse timers are
// treated as precise. TANDEM_EVENT_DISPATCHER=qt keeps Qt's (server/main.cpp).

#include <QAbstractEventDispatcher>
#include <QAtomicInt>
#include <QHash>
#include <QList>

#include <set>
#include <utility>
#include <vector>

class QSocketNotifier;
struct epoll_event;

namespace tandem::server {

class EpollEventDispatcher final : public QAbstractEventDispatcher {
    Q_OBJECT

public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    /// False when the kernel refused the epoll or eventfd descriptor: do not install it then.
    bool isValid() const { return m_epoll != -1 && m_wakeUpFd != -1; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;
    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;
    void wakeUp() override;
    void interrupt() override;

private:
    /// The notifiers of one descriptor, by type; epoll wants one registration per descriptor.
    struct Watched {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint32 events = 0; ///< what the kernel was last told to watch; 0: not registered
    };
    struct Timer {
        qint64 intervalMs;
        Qt::TimerType type;
        QObject *object;
        qint64 deadlineNs;    ///< on the monotonic clock
        bool running = false; ///< its handler is on the stack (a nested event loop must not re-enter it)
    };

    /// Tells the kernel what `descriptor`'s notifiers want now.
    void updateInterest(int descriptor);
    /// Drains wake-ups; activates the ready notifiers unless `includeNotifiers` is false.
    int activateSocketNotifiers(const ::epoll_event *events, int count, bool includeNotifiers);
    int activateTimers();
    /// For epoll_wait(): -1 without timers, else the milliseconds until the first deadline, rounded up.
    int timeoutForNextTimer() const;
    void drainWakeUps();

    int m_epoll = -1;
    int m_wakeUpFd = -1;
    QAtomicInt m_interrupted;
    QAtomicInt m_wakeUpPending; ///< one eventfd write per wait is enough
    QHash<int, Watched> m_watched;
    /// The notifiers of the passes under way (nested loops nest them); unregistering one nulls its entry.
    QList<std::vector<QSocketNotifier *> *> m_activations;
    QHash<int, Timer> m_timers;
    std::set<std::pair<qint64, int>> m_deadlines; ///< (deadlineNs, timerId), soonest first
    QHash<QObject *, QList<int>> m_timersByObject;
};

} // namespace tandem::server
