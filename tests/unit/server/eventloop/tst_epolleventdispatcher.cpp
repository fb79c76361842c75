// EpollEventDispatcher, installed as the main thread's dispatcher the way
// tandem-server installs it, against the behaviour Qt code relies on:
// timers (order, repetition, stopping inside a handler, no re-entry from a
// nested loop, remaining time), socket notifiers (read, write, one disabled
// by another in the same pass), posted events and deleteLater, zero timers
// that do not starve sockets, and wake-ups from another thread.

#include "server/eventloop/EpollEventDispatcher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <memory>

#include <sys/socket.h>
#include <unistd.h>

using tandem::server::EpollEventDispatcher;

namespace {

/// A connected pair of local stream sockets, closed on destruction.
struct SocketPair {
    int fds[2] = {-1, -1};
    SocketPair() { ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds); }
    ~SocketPair()
    {
        for (int fd : fds) {
            if (fd != -1)
                ::close(fd);
        }
    }
    SocketPair(const SocketPair &) = delete;
    SocketPair &operator=(const SocketPair &) = delete;
    bool isValid() const { return fds[0] != -1 && fds[1] != -1; }
    bool send(int end) const { return ::write(fds[end], "x", 1) == 1; }
    void drain(int end) const
    {
        char buffer[64];
        while (::read(fds[end], buffer, sizeof buffer) > 0) {
        }
    }
};

/// Turns of the event loop that do not wait: each handles every descriptor that is ready and
/// every timer that is due, so what has not happened after them is not pending.
void runReadyWork()
{
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
}

} // namespace

class TestEpollEventDispatcher : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void isTheMainThreadsDispatcher();
    void timersFireInDeadlineOrderAfterTheirInterval();
    void aRepeatingTimerRepeatsUntilStoppedInItsHandler();
    void aNestedLoopDoesNotReenterARunningTimer();
    void remainingTimeAndRegisteredTimers();
    void readAndWriteNotifiersFire();
    void aNotifierDisabledEarlierInThePassIsNotActivated();
    void postedEventsAndDeleteLaterAreDelivered();
    void aZeroTimerDoesNotStarveSockets();
    void aPostFromAnotherThreadEndsTheWait();
};

void TestEpollEventDispatcher::isTheMainThreadsDispatcher()
{
    QVERIFY(qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()));
}

void TestEpollEventDispatcher::timersFireInDeadlineOrderAfterTheirInterval()
{
    QList<int> order;
    QElapsedTimer clock;
    clock.start();
    qint64 firedAt[3] = {};
    const int intervals[3] = {60, 20, 40};
    for (int i = 0; i < 3; ++i) {
        QTimer::singleShot(intervals[i], Qt::PreciseTimer, this, [&, i] {
            order.append(intervals[i]);
            firedAt[i] = clock.elapsed();
        });
    }
    QTRY_COMPARE(order.size(), 3);
    QCOMPARE(order, QList<int>({20, 40, 60}));
    for (int i = 0; i < 3; ++i)
        QVERIFY2(firedAt[i] >= intervals[i], qPrintable(QString::number(firedAt[i])));
}

void TestEpollEventDispatcher::aRepeatingTimerRepeatsUntilStoppedInItsHandler()
{
    QTimer timer;
    timer.setInterval(5);
    int fired = 0;
    connect(&timer, &QTimer::timeout, this, [&] {
        if (++fired == 3)
            timer.stop();
    });
    timer.start();
    QTRY_COMPARE(fired, 3);
    QVERIFY(!timer.isActive());
    // Stopped means unregistered: nothing left for a later turn to fire.
    QVERIFY(QAbstractEventDispatcher::instance()->registeredTimers(&timer).isEmpty());
    runReadyWork();
    QCOMPARE(fired, 3);
}

void TestEpollEventDispatcher::aNestedLoopDoesNotReenterARunningTimer()
{
    QTimer timer;
    timer.setInterval(2);
    int depth = 0;
    int deepest = 0;
    int entries = 0;
    connect(&timer, &QTimer::timeout, this, [&] {
        ++entries;
        deepest = std::max(deepest, ++depth);
        if (entries == 1) {
            // Spins the event loop for several of the timer's intervals from inside its handler.
            QEventLoop nested;
            QTimer::singleShot(30, &nested, &QEventLoop::quit);
            nested.exec();
        }
        --depth;
    });
    timer.start();
    QTRY_VERIFY(entries >= 3);
    timer.stop();
    QCOMPARE(deepest, 1);
}

void TestEpollEventDispatcher::remainingTimeAndRegisteredTimers()
{
    QObject owner;
    const int timerId = owner.startTimer(5000);
    QVERIFY(timerId > 0);
    auto *dispatcher = QAbstractEventDispatcher::instance();
    const int remaining = dispatcher->remainingTime(timerId);
    QVERIFY2(remaining > 4000 && remaining <= 5000, qPrintable(QString::number(remaining)));
    const auto timers = dispatcher->registeredTimers(&owner);
    QCOMPARE(timers.size(), 1);
    QCOMPARE(timers.front().timerId, timerId);
    QCOMPARE(timers.front().interval, 5000);
    owner.killTimer(timerId);
    QVERIFY(dispatcher->registeredTimers(&owner).isEmpty());
    QCOMPARE(dispatcher->remainingTime(timerId), -1);
}

void TestEpollEventDispatcher::readAndWriteNotifiersFire()
{
    SocketPair pair;
    QVERIFY(pair.isValid());
    QSocketNotifier writable(pair.fds[0], QSocketNotifier::Write);
    QSignalSpy wrote(&writable, &QSocketNotifier::activated);
    QTRY_VERIFY(!wrote.isEmpty()); // an empty socket buffer is writable at once
    writable.setEnabled(false);

    QSocketNotifier readable(pair.fds[1], QSocketNotifier::Read);
    QSignalSpy read(&readable, &QSocketNotifier::activated);
    runReadyWork();
    QVERIFY(read.isEmpty()); // nothing sent yet
    connect(&readable, &QSocketNotifier::activated, this, [&pair] { pair.drain(1); });
    QVERIFY(pair.send(0));
    QTRY_COMPARE(read.size(), 1);
    runReadyWork();
    QCOMPARE(read.size(), 1); // drained: level-triggered, so no more
}

void TestEpollEventDispatcher::aNotifierDisabledEarlierInThePassIsNotActivated()
{
    SocketPair first;
    SocketPair second;
    QVERIFY(first.isValid() && second.isValid());
    auto firstNotifier = std::make_unique<QSocketNotifier>(first.fds[1], QSocketNotifier::Read);
    auto secondNotifier = std::make_unique<QSocketNotifier>(second.fds[1], QSocketNotifier::Read);
    int activations = 0;
    // Whichever runs first deletes the other, as closing one connection can close another.
    connect(firstNotifier.get(), &QSocketNotifier::activated, this, [&] {
        ++activations;
        first.drain(1);
        secondNotifier.reset();
    });
    connect(secondNotifier.get(), &QSocketNotifier::activated, this, [&] {
        ++activations;
        second.drain(1);
        firstNotifier.reset();
    });
    QVERIFY(first.send(0));
    QVERIFY(second.send(0));
    QTRY_COMPARE(activations, 1);
    runReadyWork();
    QCOMPARE(activations, 1);
    QVERIFY(!firstNotifier != !secondNotifier); // exactly one survived
}

void TestEpollEventDispatcher::postedEventsAndDeleteLaterAreDelivered()
{
    QPointer<QObject> doomed = new QObject;
    bool invoked = false;
    QMetaObject::invokeMethod(
        doomed, [&invoked] { invoked = true; }, Qt::QueuedConnection);
    doomed->deleteLater();
    QTRY_VERIFY(doomed.isNull());
    QVERIFY(invoked);
}

void TestEpollEventDispatcher::aZeroTimerDoesNotStarveSockets()
{
    QTimer spinner;
    spinner.setInterval(0);
    int spins = 0;
    connect(&spinner, &QTimer::timeout, this, [&spins] { ++spins; });
    spinner.start();
    SocketPair pair;
    QVERIFY(pair.isValid());
    QSocketNotifier readable(pair.fds[1], QSocketNotifier::Read);
    QSignalSpy read(&readable, &QSocketNotifier::activated);
    connect(&readable, &QSocketNotifier::activated, this, [&pair] { pair.drain(1); });
    QVERIFY(pair.send(0));
    QTRY_COMPARE(read.size(), 1);
    spinner.stop();
    QVERIFY(spins > 0);
}

void TestEpollEventDispatcher::aPostFromAnotherThreadEndsTheWait()
{
    // Only a 60 s timer and the test's 5 s bound: a loop that blocks waits that long unless the
    // post from the other thread wakes it.
    QTimer far;
    far.start(60000);
    QEventLoop loop;
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    QSemaphore blocking;
    const auto connection = connect(
        QAbstractEventDispatcher::instance(), &QAbstractEventDispatcher::aboutToBlock, this,
        [&blocking] { blocking.release(); }, Qt::DirectConnection);
    std::unique_ptr<QThread> poster(QThread::create([&blocking, &loop] {
        blocking.acquire(); // the main thread is about to wait in epoll_wait()
        QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
    }));
    poster->start();
    QElapsedTimer clock;
    clock.start();
    loop.exec();
    disconnect(connection);
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(poster->wait(5000));
}

int main(int argc, char *argv[])
{
    // Before the application exists, as tandem-server's main() does.
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    TestEpollEventDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolleventdispatcher.moc"
