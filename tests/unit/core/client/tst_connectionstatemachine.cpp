// Every transition of the connection state machine, as a table: a path of
// events reaches the from-state, one more event is applied, and the state,
// attempt and disconnect reason are checked. Time is a ManualClock.

#include "core/client/ConnectionStateMachine.h"
#include "core/client/ManualTimerSource.h"
#include "core/client/Transport.h"

#include <QSignalSpy>
#include <QTest>

using tandem::ManualClock;
using tandem::client::Backoff;
using tandem::client::BackoffPolicy;
using tandem::client::ConnectionStateMachine;
using tandem::client::ManualTimerSource;
using State = ConnectionStateMachine::State;
using Reason = ConnectionStateMachine::DisconnectReason;

namespace {
constexpr int MaxAttempts = 3;

Backoff testBackoff()
{
    return Backoff(BackoffPolicy{500, 2.0, 30000, MaxAttempts}, [] { return 0.5; });
}

/// Applies one event by name: connect, opened, close<code>, fire, giveUp, retryNow, networkBack, disconnect.
void apply(ConnectionStateMachine &machine, const QString &event)
{
    if (event == QLatin1String("connect"))
        machine.connectRequested();
    else if (event == QLatin1String("opened"))
        machine.opened();
    else if (event.startsWith(QLatin1String("close")))
        machine.closed(event.mid(5).toInt(), QStringLiteral("test"));
    else if (event == QLatin1String("fire"))
        machine.retryTimerFired();
    else if (event == QLatin1String("giveUp"))
        machine.giveUp();
    else if (event == QLatin1String("retryNow"))
        machine.retryNow();
    else if (event == QLatin1String("networkBack"))
        machine.networkBack();
    else if (event == QLatin1String("disconnect"))
        machine.disconnectRequested();
    else
        QFAIL(qPrintable(QStringLiteral("unknown event %1").arg(event)));
}

// Paths from idle to each from-state of the table.
const QString Idle;
const QString Connecting = QStringLiteral("connect");
const QString Connected = QStringLiteral("connect opened");
const QString Reconnecting1 = QStringLiteral("connect opened close1006");
const QString Connecting1 = QStringLiteral("connect opened close1006 fire");
const QString Reconnecting2 = QStringLiteral("connect opened close1006 fire close1006");
const QString Connecting3 = QStringLiteral("connect close1006 fire close1006 fire close1006 fire");
const QString GaveUp = Connecting3 + QStringLiteral(" close1006");
const QString ClosedNormally = QStringLiteral("connect opened close1000");
const QString SignedOut = QStringLiteral("connect opened close4001");
} // namespace

class TestConnectionStateMachine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void transition_data();
    void transition();
    void noRetryAfterCloseCode_data();
    void noRetryAfterCloseCode();
    void retryWaitsForTheBackoffDelay();
    void givesUpAfterMaxAttemptsThenRetryNowStartsAgain();
    void authFailureSignalsSignInOnce();
    void observablesForTheStatusBar();
    void flappingConnectionKeepsBackingOff_data();
    void flappingConnectionKeepsBackingOff();
    void transportChangeReconnectsWithoutWaiting();
};

void TestConnectionStateMachine::transition_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("event");
    QTest::addColumn<State>("to");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<Reason>("reason");

    const auto row = [](const char *name, const QString &path, const char *event, State to, int attempt,
                        Reason reason = Reason::None) {
        QTest::newRow(name) << path << QString::fromLatin1(event) << to << attempt << reason;
    };
    // idle
    row("idle + connect", Idle, "connect", State::Connecting, 0);
    row("idle + opened (ignored)", Idle, "opened", State::Idle, 0);
    row("idle + close1006 (ignored)", Idle, "close1006", State::Idle, 0);
    row("idle + fire (ignored)", Idle, "fire", State::Idle, 0);
    row("idle + giveUp (ignored)", Idle, "giveUp", State::Idle, 0);
    row("idle + retryNow", Idle, "retryNow", State::Connecting, 0);
    row("idle + networkBack (ignored)", Idle, "networkBack", State::Idle, 0);
    row("idle + disconnect (ignored)", Idle, "disconnect", State::Idle, 0);
    // connecting, first attempt
    row("connecting + opened", Connecting, "opened", State::Connected, 0);
    row("connecting + close1006", Connecting, "close1006", State::Reconnecting, 1);
    row("connecting + close1002 (Qt's 1013)", Connecting, "close1002", State::Reconnecting, 1);
    row("connecting + close4000", Connecting, "close4000", State::Reconnecting, 1);
    row("connecting + close4008", Connecting, "close4008", State::Reconnecting, 1);
    row("connecting + close1000", Connecting, "close1000", State::Disconnected, 0, Reason::Closed);
    row("connecting + close4001", Connecting, "close4001", State::Disconnected, 0, Reason::AuthRequired);
    row("connecting + giveUp", Connecting, "giveUp", State::Disconnected, 0, Reason::GaveUp);
    row("connecting + disconnect", Connecting, "disconnect", State::Disconnected, 0, Reason::Closed);
    row("connecting + connect (ignored)", Connecting, "connect", State::Connecting, 0);
    row("connecting + fire (ignored)", Connecting, "fire", State::Connecting, 0);
    row("connecting + retryNow (ignored)", Connecting, "retryNow", State::Connecting, 0);
    row("connecting + networkBack (ignored)", Connecting, "networkBack", State::Connecting, 0);
    // connected
    row("connected + close1006", Connected, "close1006", State::Reconnecting, 1);
    row("connected + close1001", Connected, "close1001", State::Reconnecting, 1);
    row("connected + close1011", Connected, "close1011", State::Reconnecting, 1);
    row("connected + close4000", Connected, "close4000", State::Reconnecting, 1);
    row("connected + close1000", Connected, "close1000", State::Disconnected, 0, Reason::Closed);
    row("connected + close4001", Connected, "close4001", State::Disconnected, 0, Reason::AuthRequired);
    // 4900 = CloseTransportChange: the client moved itself to another transport
    row("connected + close4900", Connected, "close4900", State::Connecting, 0);
    row("connected + disconnect", Connected, "disconnect", State::Disconnected, 0, Reason::Closed);
    row("connected + opened (ignored)", Connected, "opened", State::Connected, 0);
    row("connected + connect (ignored)", Connected, "connect", State::Connected, 0);
    row("connected + giveUp (ignored)", Connected, "giveUp", State::Connected, 0);
    row("connected + retryNow (ignored)", Connected, "retryNow", State::Connected, 0);
    row("connected + networkBack (ignored)", Connected, "networkBack", State::Connected, 0);
    row("connected + fire (ignored)", Connected, "fire", State::Connected, 0);
    // reconnecting
    row("reconnecting + fire", Reconnecting1, "fire", State::Connecting, 1);
    row("reconnecting + retryNow", Reconnecting1, "retryNow", State::Connecting, 1);
    row("reconnecting + networkBack", Reconnecting1, "networkBack", State::Connecting, 1);
    row("reconnecting + giveUp", Reconnecting1, "giveUp", State::Disconnected, 1, Reason::GaveUp);
    row("reconnecting + disconnect", Reconnecting1, "disconnect", State::Disconnected, 1, Reason::Closed);
    row("reconnecting + close1006 (ignored)", Reconnecting1, "close1006", State::Reconnecting, 1);
    row("reconnecting + opened (ignored)", Reconnecting1, "opened", State::Reconnecting, 1);
    row("reconnecting + connect (ignored)", Reconnecting1, "connect", State::Reconnecting, 1);
    row("reconnecting 2 + fire", Reconnecting2, "fire", State::Connecting, 2);
    // connecting again after drops
    row("connecting 1 + opened resets attempt", Connecting1, "opened", State::Connected, 0);
    row("connecting 1 + close1006", Connecting1, "close1006", State::Reconnecting, 2);
    row("connecting 1 + close4001", Connecting1, "close4001", State::Disconnected, 1, Reason::AuthRequired);
    row("connecting 3 + opened", Connecting3, "opened", State::Connected, 0);
    row("connecting 3 + close1006 gives up", Connecting3, "close1006", State::Disconnected, 3,
        Reason::GaveUp);
    // disconnected, gave up
    row("gave up + retryNow", GaveUp, "retryNow", State::Connecting, 0);
    row("gave up + networkBack", GaveUp, "networkBack", State::Connecting, 0);
    row("gave up + connect", GaveUp, "connect", State::Connecting, 0);
    row("gave up + fire (ignored)", GaveUp, "fire", State::Disconnected, 3, Reason::GaveUp);
    row("gave up + close1006 (ignored)", GaveUp, "close1006", State::Disconnected, 3, Reason::GaveUp);
    row("gave up + opened (ignored)", GaveUp, "opened", State::Disconnected, 3, Reason::GaveUp);
    // disconnected after a normal close
    row("closed + networkBack (ignored)", ClosedNormally, "networkBack", State::Disconnected, 0,
        Reason::Closed);
    row("closed + fire (ignored)", ClosedNormally, "fire", State::Disconnected, 0, Reason::Closed);
    row("closed + retryNow", ClosedNormally, "retryNow", State::Connecting, 0);
    row("closed + connect", ClosedNormally, "connect", State::Connecting, 0);
    // disconnected after 4001
    row("signed out + networkBack (ignored)", SignedOut, "networkBack", State::Disconnected, 0,
        Reason::AuthRequired);
    row("signed out + fire (ignored)", SignedOut, "fire", State::Disconnected, 0, Reason::AuthRequired);
    row("signed out + connect (new token)", SignedOut, "connect", State::Connecting, 0);
}

void TestConnectionStateMachine::transition()
{
    QFETCH(QString, path);
    QFETCH(QString, event);
    QFETCH(State, to);
    QFETCH(int, attempt);
    QFETCH(Reason, reason);

    ManualClock clock;
    ManualTimerSource timers(clock);
    ConnectionStateMachine machine(testBackoff(), clock, timers);
    for (const QString &step : path.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        apply(machine, step);
    const State from = machine.state();
    QSignalSpy changes(&machine, &ConnectionStateMachine::stateChanged);
    QSignalSpy connects(&machine, &ConnectionStateMachine::connectRequired);

    apply(machine, event);

    QCOMPARE(machine.state(), to);
    QCOMPARE(machine.attempt(), attempt);
    QCOMPARE(machine.disconnectReason(), reason);
    // A signal for every real change and none for an ignored event.
    QCOMPARE(changes.count(), from == to ? 0 : 1);
    QCOMPARE(connects.count(), to == State::Connecting && from != State::Connecting ? 1 : 0);
    // A retry is pending exactly when reconnecting.
    QCOMPARE(timers.pendingCount(), to == State::Reconnecting ? 1 : 0);
    QCOMPARE(machine.nextRetryAtMs() >= 0, to == State::Reconnecting);
}

void TestConnectionStateMachine::noRetryAfterCloseCode_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("retries");
    QTest::addRow("1000 normal") << 1000 << false;
    QTest::addRow("4001 auth") << 4001 << false;
    QTest::addRow("1001 going away") << 1001 << true;
    QTest::addRow("1002 (Qt 6.4 reports 1013 so)") << 1002 << true;
    QTest::addRow("1006 no close frame") << 1006 << true;
    QTest::addRow("1011 server error") << 1011 << true;
    QTest::addRow("1013 try again later") << 1013 << true;
    QTest::addRow("4000 heartbeat") << 4000 << true;
    QTest::addRow("4008 policy") << 4008 << true;
}

void TestConnectionStateMachine::noRetryAfterCloseCode()
{
    QFETCH(int, code);
    QFETCH(bool, retries);
    ManualClock clock;
    ManualTimerSource timers(clock);
    ConnectionStateMachine machine(testBackoff(), clock, timers);
    QSignalSpy connects(&machine, &ConnectionStateMachine::connectRequired);
    machine.connectRequested();
    machine.opened();
    machine.closed(code, QStringLiteral("bye"));
    timers.advance(3600 * 1000); // an hour: any pending retry would have fired
    QCOMPARE(connects.count(), retries ? 2 : 1);
    QCOMPARE(machine.state(), retries ? State::Connecting : State::Disconnected);
    QCOMPARE(machine.lastCloseCode(), code);
}

void TestConnectionStateMachine::retryWaitsForTheBackoffDelay()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    ConnectionStateMachine machine(testBackoff(), clock, timers);
    QSignalSpy scheduled(&machine, &ConnectionStateMachine::retryScheduled);
    machine.connectRequested();
    machine.opened();
    timers.advance(1000);
    machine.closed(1006, QStringLiteral("lost"));

    // r = 0.5 with equal jitter: 250 + 0.5 * 250 for the first retry.
    QCOMPARE(scheduled.count(), 1);
    QCOMPARE(scheduled.at(0).at(0).toInt(), 1);
    QCOMPARE(scheduled.at(0).at(1).toLongLong(), 375);
    QCOMPARE(machine.nextRetryAtMs(), 1375);
    QCOMPARE(machine.nextRetryAt(), clock.nowUtc().addMSecs(375));
    timers.advance(374);
    QCOMPARE(machine.state(), State::Reconnecting);
    timers.advance(1);
    QCOMPARE(machine.state(), State::Connecting);
    QCOMPARE(machine.nextRetryAtMs(), -1);
    QVERIFY(machine.nextRetryAt().isNull());

    // The second retry waits longer: 500 + 0.5 * 500.
    machine.closed(1006, QStringLiteral("refused"));
    QCOMPARE(scheduled.last().at(1).toLongLong(), 750);
}

void TestConnectionStateMachine::givesUpAfterMaxAttemptsThenRetryNowStartsAgain()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    ConnectionStateMachine machine(testBackoff(), clock, timers);
    QSignalSpy connects(&machine, &ConnectionStateMachine::connectRequired);
    machine.connectRequested();
    // The server is down: every attempt fails at once.
    connect(&machine, &ConnectionStateMachine::connectRequired, &machine,
            [&] { machine.closed(1006, QStringLiteral("connection refused")); });
    machine.closed(1006, QStringLiteral("connection refused"));
    timers.advance(3600 * 1000);
    QCOMPARE(connects.count(), 1 + MaxAttempts);
    QCOMPARE(machine.state(), State::Disconnected);
    QCOMPARE(machine.disconnectReason(), Reason::GaveUp);
    QCOMPARE(machine.lastError(), QStringLiteral("connection refused"));
    QCOMPARE(timers.pendingCount(), 0);

    machine.disconnect(&machine, nullptr, &machine, nullptr);
    machine.retryNow();
    QCOMPARE(machine.state(), State::Connecting);
    QCOMPARE(machine.attempt(), 0);
    machine.opened();
    QCOMPARE(machine.state(), State::Connected);
    QVERIFY(machine.lastError().isEmpty());
}

void TestConnectionStateMachine::authFailureSignalsSignInOnce()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    ConnectionStateMachine machine(testBackoff(), clock, timers);
    QSignalSpy signIn(&machine, &ConnectionStateMachine::authenticationRequired);
    machine.connectRequested();
    machine.closed(1000, {});
    QCOMPARE(signIn.count(), 0);
    machine.connectRequested();
    machine.closed(4001, QStringLiteral("token revoked"));
    machine.closed(4001, QStringLiteral("again")); // ignored: already disconnected
    QCOMPARE(signIn.count(), 1);
    QCOMPARE(machine.lastError(), QStringLiteral("token revoked"));
}

void TestConnectionStateMachine::observablesForTheStatusBar()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    ConnectionStateMachine machine(testBackoff(), clock, timers);
    QSignalSpy names(&machine, &ConnectionStateMachine::transportNameChanged);
    machine.setTransportName(QStringLiteral("WebSocket"));
    machine.setTransportName(QStringLiteral("WebSocket"));
    QCOMPARE(names.count(), 1);
    QCOMPARE(machine.transportName(), QStringLiteral("WebSocket"));
    QCOMPARE(ConnectionStateMachine::stateName(State::Reconnecting), QStringLiteral("reconnecting"));
    machine.connectRequested();
    machine.closed(1006, {});
    QCOMPARE(machine.lastError(), QStringLiteral("connection closed (1006)"));
    QCOMPARE(machine.attempt(), 1);
}

void TestConnectionStateMachine::flappingConnectionKeepsBackingOff_data()
{
    QTest::addColumn<qint64>("upMs");
    QTest::addColumn<State>("finalState");
    QTest::addColumn<int>("finalAttempt");
    QTest::addColumn<Reason>("finalReason");
    // Four cycles of: the retry fires, the socket opens, stays up upMs, drops.
    const qint64 stable = ConnectionStateMachine::StableConnectionMs;
    QTest::addRow("drops at once") << qint64(0) << State::Disconnected << MaxAttempts << Reason::GaveUp;
    QTest::addRow("drops just before stable")
        << stable - 1 << State::Disconnected << MaxAttempts << Reason::GaveUp;
    QTest::addRow("stays up long enough") << stable << State::Reconnecting << 1 << Reason::None;
}

void TestConnectionStateMachine::flappingConnectionKeepsBackingOff()
{
    QFETCH(qint64, upMs);
    QFETCH(State, finalState);
    QFETCH(int, finalAttempt);
    QFETCH(Reason, finalReason);

    ManualClock clock;
    ManualTimerSource timers(clock);
    ConnectionStateMachine machine(testBackoff(), clock, timers);
    machine.connectRequested();
    QList<int> attempts;
    for (int cycle = 0; cycle < 4 && machine.state() != State::Disconnected; ++cycle) {
        if (cycle > 0)
            timers.advance(timers.msUntilNext()); // the retry fires
        QCOMPARE(machine.state(), State::Connecting);
        machine.opened();
        clock.advance(upMs);
        machine.closed(1006, QStringLiteral("dropped"));
        attempts.append(machine.attempt());
    }
    QCOMPARE(machine.state(), finalState);
    QCOMPARE(machine.attempt(), finalAttempt);
    QCOMPARE(machine.disconnectReason(), finalReason);
    if (finalState == State::Disconnected)
        QCOMPARE(attempts, (QList<int>{1, 2, 3, MaxAttempts}));
    else
        QCOMPARE(attempts, (QList<int>{1, 1, 1, 1}));
}

void TestConnectionStateMachine::transportChangeReconnectsWithoutWaiting()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    ConnectionStateMachine machine(testBackoff(), clock, timers);
    QSignalSpy connectRequired(&machine, &ConnectionStateMachine::connectRequired);
    QSignalSpy retryScheduled(&machine, &ConnectionStateMachine::retryScheduled);
    machine.connectRequested();
    machine.opened();
    QCOMPARE(tandem::client::CloseTransportChange, 4900);
    machine.closed(tandem::client::CloseTransportChange, QStringLiteral("upgrading to WebSocket"));
    // The Session is asked to open the new transport within the same call: no timer, no backoff.
    QCOMPARE(connectRequired.count(), 2);
    QCOMPARE(retryScheduled.count(), 0);
    QCOMPARE(timers.pendingCount(), 0);
    QCOMPARE(machine.state(), State::Connecting);
    QCOMPARE(machine.nextRetryAtMs(), -1);
    // The same while a retry is still connecting (the user changed the setting): a fresh round.
    machine.closed(1006, QStringLiteral("lost"));
    timers.advance(timers.msUntilNext());
    QCOMPARE(machine.attempt(), 1);
    machine.closed(tandem::client::CloseTransportChange, QStringLiteral("transport changed"));
    QCOMPARE(connectRequired.count(), 4);
    QCOMPARE(machine.attempt(), 0);
    QCOMPARE(machine.state(), State::Connecting);
    QCOMPARE(timers.pendingCount(), 0);
}

QTEST_GUILESS_MAIN(TestConnectionStateMachine)
#include "tst_connectionstatemachine.moc"
