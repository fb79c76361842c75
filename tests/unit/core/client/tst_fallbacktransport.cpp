// FallbackTransport: the walk WebSocket -> SSE -> polling within one open(),
// stage timeouts, the remembered level, the WebSocket probe that closes with
// CloseTransportChange, forced modes and setMode. The logic runs on fake
// transports and a manual clock; the last tests run the real transports
// against a scripted local server that refuses or drops the upgrade.

#include "FakeTransport.h"
#include "ScriptedHttpServer.h"
#include "core/client/FallbackTransport.h"
#include "core/client/ManualTimerSource.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using tandem::ManualClock;
using tandem::client::CloseTransportChange;
using tandem::client::FallbackPolicy;
using tandem::client::FallbackTransport;
using tandem::client::ManualTimerSource;
using tandem::client::test::FakeTransport;
using tandem::client::test::ScriptedHttpServer;
using tandem::client::test::ScriptedRequest;
using Level = FallbackTransport::Level;
using Mode = FallbackTransport::Mode;

namespace {
const QUrl ServerUrl(QStringLiteral("ws://127.0.0.1:7420/ws"));

FallbackPolicy testPolicy()
{
    FallbackPolicy policy;
    policy.webSocketStageMs = 4000;
    policy.sseStageMs = 3000;
    policy.pollingStageMs = 3000;
    policy.probeIntervalMs = 60000;
    return policy;
}

/// A FallbackTransport over three fakes named like the real ones.
struct Fixture {
    ManualClock clock;
    ManualTimerSource timers{clock};
    FakeTransport *ws = nullptr;
    FakeTransport *sse = nullptr;
    FakeTransport *polling = nullptr;
    std::unique_ptr<FallbackTransport> transport;
    std::unique_ptr<QSignalSpy> opened;
    std::unique_ptr<QSignalSpy> closed;
    std::unique_ptr<QSignalSpy> levels;
    std::unique_ptr<QSignalSpy> names;

    explicit Fixture(Mode mode = Mode::Auto)
    {
        const auto fake = [](FakeTransport *&slot, const char *name, bool binary) {
            return [&slot, name, binary] {
                auto created = std::make_unique<FakeTransport>();
                created->transportName = QString::fromLatin1(name);
                created->binary = binary;
                slot = created.get();
                return created;
            };
        };
        FallbackTransport::Factories factories{fake(ws, "WebSocket", true), fake(sse, "SSE", false),
                                               fake(polling, "Polling", false)};
        transport = std::make_unique<FallbackTransport>(mode, timers, factories, testPolicy());
        opened = std::make_unique<QSignalSpy>(transport.get(), &FallbackTransport::opened);
        closed = std::make_unique<QSignalSpy>(transport.get(), &FallbackTransport::closed);
        levels = std::make_unique<QSignalSpy>(transport.get(), &FallbackTransport::levelChanged);
        names = std::make_unique<QSignalSpy>(transport.get(), &FallbackTransport::nameChanged);
    }

    /// WebSocket and SSE fail before opening; polling opens.
    void fallToPolling()
    {
        transport->open(ServerUrl);
        ws->drop(1006, QStringLiteral("HTTP 400 on the upgrade"));
        sse->drop(1006, QStringLiteral("no session event"));
        polling->accept();
    }

    int closeCode(int index = 0) const { return closed->at(index).at(0).toInt(); }
};
} // namespace

class TestFallbackTransport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void modeNames_data();
    void modeNames();
    void webSocketFirstWhenItWorks();
    void walksDownToPollingInOrder();
    void stageTimeoutsMoveOnAndFitTheConnectTimeout();
    void remembersTheLevelThatWorked();
    void startsFromWebSocketAfterEverythingFailed();
    void connectionThatCarriedNothingStartsLowerNextTime();
    void probeOpeningUpgradesWithADistinctCloseCode();
    void failedProbeIsRepeated();
    void forcedModeNeverFallsBack();
    void setModeWhileConnectedReconnects();
    void supportsBinaryFollowsTheLevel();
    void closeEmitsExactlyOnce();
    void backgroundReachesEveryTransport();
    void refusedUpgradeFallsBackToSse();
    void droppedUpgradeAndRefusedStreamFallBackToPolling();
    void realProbeUpgradesToWebSocket();
};

void TestFallbackTransport::modeNames_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("mode"); ///< -1: not a mode
    QTest::newRow("auto") << QStringLiteral("auto") << int(Mode::Auto);
    QTest::newRow("websocket") << QStringLiteral("websocket") << int(Mode::WebSocket);
    QTest::newRow("sse") << QStringLiteral("sse") << int(Mode::Sse);
    QTest::newRow("polling") << QStringLiteral("polling") << int(Mode::Polling);
    QTest::newRow("case and blanks") << QStringLiteral(" SSE ") << int(Mode::Sse);
    QTest::newRow("unknown") << QStringLiteral("carrier-pigeon") << -1;
    QTest::newRow("empty") << QString() << -1;
}

void TestFallbackTransport::modeNames()
{
    QFETCH(QString, text);
    QFETCH(int, mode);
    const auto parsed = FallbackTransport::modeFromName(text);
    QCOMPARE(parsed.has_value(), mode >= 0);
    if (parsed) {
        QCOMPARE(int(*parsed), mode);
        QCOMPARE(FallbackTransport::modeFromName(FallbackTransport::modeName(*parsed)), parsed);
    }
}

void TestFallbackTransport::webSocketFirstWhenItWorks()
{
    Fixture f;
    QCOMPARE(f.transport->name(), QStringLiteral("WebSocket"));
    f.transport->open(ServerUrl);
    QCOMPARE(f.ws->opens, QList<QUrl>{ServerUrl});
    QVERIFY(f.sse->opens.isEmpty());
    f.ws->accept();
    QCOMPARE(f.opened->count(), 1);
    QVERIFY(f.transport->isOpen());
    QCOMPARE(f.transport->currentLevel(), Level::WebSocket);
    QCOMPARE(f.levels->count(), 0);
    QCOMPARE(f.timers.pendingCount(), 0); // no stage timer left, no probe on the best level
    f.ws->deliver({{QStringLiteral("type"), QStringLiteral("pong")}});
    f.transport->send(QByteArrayLiteral(R"({"type":"ping"})"));
    QCOMPARE(f.ws->sent.size(), 1);
}

void TestFallbackTransport::walksDownToPollingInOrder()
{
    Fixture f;
    f.transport->open(ServerUrl);
    f.ws->drop(1006, QStringLiteral("HTTP 400"));
    QCOMPARE(f.closed->count(), 0); // not the Session's business yet
    QCOMPARE(f.sse->opens, QList<QUrl>{ServerUrl});
    QCOMPARE(f.transport->name(), QStringLiteral("SSE"));
    f.sse->drop(1006, QStringLiteral("GET /events answered HTTP 404"));
    QCOMPARE(f.polling->opens, QList<QUrl>{ServerUrl});
    f.polling->accept();
    QCOMPARE(f.opened->count(), 1);
    QCOMPARE(f.closed->count(), 0);
    QCOMPARE(f.transport->currentLevel(), Level::Polling);
    QCOMPARE(f.levels->size(), 2);
    QCOMPARE(f.levels->at(0).at(0).value<Level>(), Level::Sse);
    QCOMPARE(f.levels->at(1).at(0).value<Level>(), Level::Polling);
    QCOMPARE(f.names->size(), 2);
    QCOMPARE(f.names->at(1).at(0).toString(), QStringLiteral("Polling"));
    f.polling->deliver({{QStringLiteral("type"), QStringLiteral("auth:ok")}});
    f.transport->send(QByteArrayLiteral(R"({"type":"ping"})"));
    QCOMPARE(f.polling->sent.size(), 1);
    QVERIFY(f.ws->sent.isEmpty());
}

void TestFallbackTransport::stageTimeoutsMoveOnAndFitTheConnectTimeout()
{
    const FallbackPolicy shared = FallbackPolicy::forConnectTimeout(10000);
    QCOMPARE(shared.webSocketStageMs + shared.sseStageMs + shared.pollingStageMs, 10000);

    Fixture f;
    f.transport->open(ServerUrl);
    f.timers.advance(3999);
    QVERIFY(f.sse->opens.isEmpty());
    f.timers.advance(1);
    QCOMPARE(f.ws->closes, QList<int>{1006}); // the hanging upgrade is abandoned
    QCOMPARE(f.sse->opens.size(), 1);
    f.timers.advance(3000);
    QCOMPARE(f.polling->opens.size(), 1);
    f.timers.advance(3000);
    QCOMPARE(f.closed->count(), 1); // the whole walk took 10 s
    QCOMPARE(f.closeCode(), 1006);
    QCOMPARE(f.opened->count(), 0);
    QCOMPARE(f.clock.monotonicMs(), 10000);
}

void TestFallbackTransport::remembersTheLevelThatWorked()
{
    Fixture f;
    f.fallToPolling();
    f.polling->drop(1006, QStringLiteral("connection lost"));
    QCOMPARE(f.closed->count(), 1);
    QCOMPARE(f.transport->startLevel(), Level::Polling);
    f.transport->open(ServerUrl);
    QCOMPARE(f.ws->opens.size(), 1); // not tried again: the probe finds out when it works
    QCOMPARE(f.sse->opens.size(), 1);
    QCOMPARE(f.polling->opens.size(), 2);
}

void TestFallbackTransport::startsFromWebSocketAfterEverythingFailed()
{
    Fixture f;
    f.fallToPolling();
    f.polling->drop(1006);
    f.transport->open(ServerUrl);
    f.polling->drop(1006, QStringLiteral("server down"));
    QCOMPARE(f.closed->count(), 2);
    QCOMPARE(f.transport->startLevel(), Level::WebSocket);
    f.transport->open(ServerUrl);
    QCOMPARE(f.ws->opens.size(), 2);
    QCOMPARE(f.transport->name(), QStringLiteral("WebSocket"));
}

void TestFallbackTransport::connectionThatCarriedNothingStartsLowerNextTime()
{
    // A proxy that lets the upgrade through but holds back every frame: the
    // Session's auth times out (4000) on a socket that never carried anything.
    Fixture f;
    f.transport->open(ServerUrl);
    f.ws->accept();
    f.transport->close(4000, QStringLiteral("authentication timed out"));
    QCOMPARE(f.transport->startLevel(), Level::Sse);
    f.transport->open(ServerUrl);
    QCOMPARE(f.sse->opens.size(), 1);
    // One that worked and then dropped stays where it was.
    f.sse->accept();
    f.sse->deliver({{QStringLiteral("type"), QStringLiteral("auth:ok")}});
    f.sse->drop(1006);
    QCOMPARE(f.transport->startLevel(), Level::Sse);
}

void TestFallbackTransport::probeOpeningUpgradesWithADistinctCloseCode()
{
    Fixture f;
    QSignalSpy probes(f.transport.get(), &FallbackTransport::probeStarted);
    f.fallToPolling();
    f.timers.advance(59999);
    QCOMPARE(f.ws->opens.size(), 1);
    f.timers.advance(1);
    QCOMPARE(probes.count(), 1);
    QVERIFY(f.transport->isProbing());
    QCOMPARE(f.ws->opens.size(), 2);
    QCOMPARE(f.transport->name(), QStringLiteral("Polling")); // still carried by polling meanwhile
    f.ws->accept();
    QCOMPARE(f.ws->closes, QList<int>{1000}); // the probe itself is closed at once
    QCOMPARE(f.polling->closes, QList<int>{CloseTransportChange});
    QCOMPARE(f.closed->count(), 1);
    QCOMPARE(f.closeCode(), CloseTransportChange);
    QCOMPARE(f.closed->at(0).at(1).toString(), QStringLiteral("upgrading to WebSocket"));
    QCOMPARE(f.transport->startLevel(), Level::WebSocket);
    f.transport->open(ServerUrl);
    QCOMPARE(f.ws->opens.size(), 3);
    QCOMPARE(f.transport->name(), QStringLiteral("WebSocket"));
}

void TestFallbackTransport::failedProbeIsRepeated()
{
    Fixture f;
    f.fallToPolling();
    f.timers.advance(60000);
    f.ws->drop(1006, QStringLiteral("HTTP 400"));
    QVERIFY(!f.transport->isProbing());
    QCOMPARE(f.closed->count(), 0); // the connection on polling goes on
    QVERIFY(f.transport->isOpen());
    f.timers.advance(60000);
    QCOMPARE(f.ws->opens.size(), 3);
}

void TestFallbackTransport::forcedModeNeverFallsBack()
{
    Fixture f(Mode::Sse);
    QCOMPARE(f.transport->name(), QStringLiteral("SSE"));
    f.transport->open(ServerUrl);
    QVERIFY(f.ws->opens.isEmpty());
    QCOMPARE(f.timers.pendingCount(), 0); // the transport's own timeout applies
    f.sse->drop(1006, QStringLiteral("no session event"));
    QCOMPARE(f.closed->count(), 1);
    QVERIFY(f.polling->opens.isEmpty());
    f.transport->open(ServerUrl);
    f.sse->accept();
    f.timers.advance(600000);
    QVERIFY(f.ws->opens.isEmpty()); // no probe either
}

void TestFallbackTransport::setModeWhileConnectedReconnects()
{
    Fixture f;
    f.transport->open(ServerUrl);
    f.ws->accept();
    f.transport->setMode(Mode::Polling);
    QCOMPARE(f.closed->count(), 1);
    QCOMPARE(f.closeCode(), CloseTransportChange);
    f.transport->open(ServerUrl);
    QCOMPARE(f.polling->opens.size(), 1);
    QCOMPARE(f.transport->name(), QStringLiteral("Polling"));
    // Back to automatic: it starts from WebSocket again, now.
    f.polling->accept();
    f.transport->setMode(Mode::Auto);
    QCOMPARE(f.closed->count(), 2);
    QCOMPARE(f.closeCode(1), CloseTransportChange);
    f.transport->open(ServerUrl);
    QCOMPARE(f.ws->opens.size(), 2);
    // While not connected, a change only picks where the next open() starts.
    f.ws->drop(1006);
    f.sse->drop(1006);
    f.polling->drop(1006);
    QCOMPARE(f.closed->count(), 3);
    f.transport->setMode(Mode::Sse);
    QCOMPARE(f.closed->count(), 3);
    QCOMPARE(f.transport->name(), QStringLiteral("SSE"));
}

void TestFallbackTransport::supportsBinaryFollowsTheLevel()
{
    Fixture f;
    QVERIFY(f.transport->supportsBinary());
    f.transport->open(ServerUrl);
    f.ws->drop(1006);
    f.sse->accept();
    QVERIFY(!f.transport->supportsBinary()); // the Session asks for doc:open encoding base64
    f.sse->drop(1006);
    f.transport->open(ServerUrl);
    QVERIFY(!f.transport->supportsBinary()); // starts on SSE, as remembered
}

void TestFallbackTransport::closeEmitsExactlyOnce()
{
    Fixture f;
    f.transport->open(ServerUrl);
    f.transport->close(1000, QStringLiteral("bye")); // while still opening
    QCOMPARE(f.closed->count(), 1);
    QCOMPARE(f.ws->closes, QList<int>{1000});
    QCOMPARE(f.timers.pendingCount(), 0);
    f.transport->close(1000, QStringLiteral("again"));
    QCOMPARE(f.closed->count(), 1);
    QVERIFY(f.sse->opens.isEmpty()); // closing is not failing: no fallback
}

void TestFallbackTransport::backgroundReachesEveryTransport()
{
    Fixture f;
    f.transport->setBackground(true);
    QVERIFY(f.ws->background && f.sse->background && f.polling->background);
}

namespace {
/// The real transports against a scripted server, stages on a manual clock.
struct RealFixture {
    ManualClock clock;
    ManualTimerSource timers{clock};
    ScriptedHttpServer server;
    FallbackTransport transport{Mode::Auto, timers, FallbackTransport::defaultFactories(timers, 10000),
                                testPolicy()};
    QSignalSpy opened{&transport, &FallbackTransport::opened};
    QSignalSpy closed{&transport, &FallbackTransport::closed};

    std::shared_ptr<ScriptedRequest> next(const QString &path)
    {
        std::shared_ptr<ScriptedRequest> request;
        if (!QTest::qWaitFor([&] { return (request = server.pending(path)) != nullptr; }))
            qFatal("no request to %s arrived", qPrintable(path));
        return request;
    }

    void openSse(ScriptedRequest &stream)
    {
        ScriptedHttpServer::startStream(stream);
        ScriptedHttpServer::write(stream, "event: session\nid: c0\ndata: {\"session\":\"S1\"}\n\n");
    }
};
} // namespace

void TestFallbackTransport::refusedUpgradeFallsBackToSse()
{
    RealFixture f;
    f.transport.open(f.server.webSocketUrl());
    auto upgrade = f.next(QStringLiteral("/ws"));
    QVERIFY(upgrade->isWebSocketUpgrade());
    ScriptedHttpServer::respond(*upgrade, 400, "no upgrades here");
    auto stream = f.next(QStringLiteral("/events"));
    f.openSse(*stream);
    QTRY_COMPARE(f.opened.count(), 1);
    QCOMPARE(f.transport.currentLevel(), Level::Sse);
    QCOMPARE(f.transport.name(), QStringLiteral("SSE"));
    QCOMPARE(f.closed.count(), 0);
}

void TestFallbackTransport::droppedUpgradeAndRefusedStreamFallBackToPolling()
{
    RealFixture f;
    f.transport.open(f.server.webSocketUrl());
    ScriptedHttpServer::drop(*f.next(QStringLiteral("/ws")));
    ScriptedHttpServer::respondJson(*f.next(QStringLiteral("/events")), 404,
                                    R"({"error":{"code":"not_found"}})");
    auto poll = f.next(QStringLiteral("/poll"));
    ScriptedHttpServer::respondJson(*poll, 200,
                                    R"({"session":"S1","cursor":"c0","events":[],"longPollMaxSeconds":0})");
    QTRY_COMPARE(f.opened.count(), 1);
    QCOMPARE(f.transport.currentLevel(), Level::Polling);
    QCOMPARE(f.transport.startLevel(), Level::Polling);
    QCOMPARE(f.closed.count(), 0);
}

void TestFallbackTransport::realProbeUpgradesToWebSocket()
{
    RealFixture f;
    f.transport.open(f.server.webSocketUrl());
    ScriptedHttpServer::respond(*f.next(QStringLiteral("/ws")), 400);
    f.openSse(*f.next(QStringLiteral("/events")));
    QTRY_COMPARE(f.opened.count(), 1);
    // The network lets WebSockets through again.
    f.server.acceptWebSockets = true;
    f.timers.advance(testPolicy().probeIntervalMs);
    QVERIFY(f.transport.isProbing());
    QTRY_COMPARE(f.closed.count(), 1);
    QCOMPARE(f.closed.first().at(0).toInt(), CloseTransportChange);
    QCOMPARE(f.server.acceptedWebSockets, 1);
    f.transport.open(f.server.webSocketUrl());
    QTRY_COMPARE(f.opened.count(), 2);
    QCOMPARE(f.transport.currentLevel(), Level::WebSocket);
    QCOMPARE(f.server.acceptedWebSockets, 2);
}

QTEST_GUILESS_MAIN(TestFallbackTransport)
#include "tst_fallbacktransport.moc"
