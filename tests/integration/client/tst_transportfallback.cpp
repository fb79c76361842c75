// Issue 7's fallback, end to end: the desktop's client stack (Session with its
// Auto transport, ChatClient, DocumentSession, CanvasSession) reaches a real
// tandem-server only through a loopback proxy that misbehaves like the
// networks the fallback exists for.
//
// - The proxy refuses WebSocket upgrades (400, or drops the connection): the
//   session lands on SSE, and chat, the document and the canvas all sync with
//   a second user who is on WebSocket directly.
// - The proxy also buffers every response until it is complete (the SSE
//   stream never shows its first event): the session lands on polling, from a
//   fresh start or after its SSE connection was cut, and everything still syncs.
// - The proxy is fixed: the background probe gets through, the session closes
//   with 4900 and comes back on WebSocket, and the chat messages both users
//   sent around the switch arrive exactly once, in seq order.

#include "core/canvas/CanvasSession.h"
#include "core/chat/ChatClient.h"
#include "core/client/FallbackTransport.h"
#include "core/client/QtTimerSource.h"
#include "core/client/Session.h"
#include "core/docs/DocumentSession.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestHttpProxy.h"
#include "tests/support/TestOffline.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace tandem;
using tandem::client::FallbackPolicy;
using tandem::client::FallbackTransport;
using tandem::client::Session;
using tandem::client::SessionEnvironment;
using tandem::client::SessionOptions;
using tandem::client::Transport;
using tandem::test::ServerProcess;
using tandem::test::TestClient;
using tandem::test::TestHttpProxy;
using tandem::test::TestOffline;
using Level = FallbackTransport::Level;
using ProxyMode = TestHttpProxy::Mode;

namespace {

constexpr int Timeout = 20000;
/// Shared out by the Auto transport as the app does (40/30/30): a refused or
/// buffered level is given up on within a second or two, not the app's ten.
constexpr qint64 ConnectTimeoutMs = 4000;
/// The app probes every minute; a test cannot wait that long for the upgrade back.
constexpr qint64 ProbeIntervalMs = 700;

/// The app's transport (DesktopApp: a FallbackTransport sized by the connect
/// timeout), with the probe interval shortened; or one level forced.
SessionEnvironment environmentFor(client::TimerSource &timers, FallbackTransport::Mode mode)
{
    FallbackPolicy policy = FallbackPolicy::forConnectTimeout(ConnectTimeoutMs);
    policy.probeIntervalMs = ProbeIntervalMs;
    SessionEnvironment environment;
    environment.timers = &timers;
    environment.transport = std::make_unique<FallbackTransport>(
        mode, timers, FallbackTransport::defaultFactories(timers, ConnectTimeoutMs), policy);
    return environment;
}

SessionOptions sessionOptions()
{
    SessionOptions options;
    options.connectTimeoutMs = ConnectTimeoutMs;
    options.backoff.baseMs = 200; // a cut connection comes back soon, as "Retry now" would
    return options;
}

/// Every chat:message a Session routed in one room, in arrival order.
struct ChatLog {
    struct Entry {
        qint64 seq;
        QString id;
        QString text;
    };
    QList<Entry> entries;

    int count(const QString &text) const
    {
        return static_cast<int>(std::count_if(entries.cbegin(), entries.cend(),
                                              [&](const Entry &entry) { return entry.text == text; }));
    }
};

/// One person's desktop client: what DesktopApp builds for a signed-in
/// account, on one room that has chat, a document and a canvas.
struct Desktop {
    Desktop(const QUrl &url, const QString &token, const QString &userId, const QString &roomId,
            FallbackTransport::Mode mode)
        : room(roomId)
        , session(url, token, sessionOptions(), environmentFor(timers, mode))
        , offline(session)
        , chat(session, offline.sync(), Clock::system(), timers)
        , document(session, roomId, nullptr, Clock::system(), timers)
        , canvas(session, offline.sync(), userId, roomId, Clock::system(), timers)
    {
        session.subscribe(QStringLiteral("chat:message"), [this](const QJsonObject &message) {
            if (message.value(QLatin1String("room")).toString() != this->room)
                return;
            log.entries.append(
                {message.value(QLatin1String("seq")).toInteger(),
                 message.value(QLatin1String("id")).toString(),
                 message.value(QLatin1String("payload")).toObject().value(QLatin1String("text")).toString()});
        });
        chat.joinRoom(roomId);
        document.setUser(userId, QStringLiteral("#336699"));
        document.open();
        canvas.open();
        session.connectToServer();
    }

    FallbackTransport &fallback() { return static_cast<FallbackTransport &>(session.transport()); }
    QString transportName() const { return session.connection().transportName(); }
    /// Connected, the room live, the document and the canvas caught up, nothing waiting to be sent.
    bool ready()
    {
        return session.state() == Session::State::Connected && session.isRoomLive(room) &&
               document.isSynced() && canvas.isSynced() && offline.sync().queue().pendingCount() == 0;
    }
    QString text() { return document.text().toString(); }
    bool hasShape(const QString &id) { return canvas.editor().model().shape(id).has_value(); }

    QString room;
    client::QtTimerSource timers;
    Session session;
    TestOffline offline;
    chat::ChatClient chat;
    docs::DocumentSession document;
    canvas::CanvasSession canvas;
    ChatLog log;
};

canvas::NewShape rectangle(double x)
{
    canvas::NewShape shape;
    shape.kind = canvas::ShapeKind::Rectangle;
    shape.points = {QPointF(x, 0), QPointF(x + 40, 30)};
    return shape;
}

/// Seqs only ever grow: a replay after a reconnect delivered nothing twice and nothing out of order.
bool seqsStrictlyIncrease(const ChatLog &log)
{
    for (qsizetype i = 1; i < log.entries.size(); ++i) {
        if (log.entries.at(i).seq <= log.entries.at(i - 1).seq)
            return false;
    }
    return true;
}

} // namespace

class TestTransportFallback : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void refusedUpgradeLandsOnSse_data();
    void refusedUpgradeLandsOnSse();
    void bufferedStreamLandsOnPolling_data();
    void bufferedStreamLandsOnPolling();
    void fixedProxyUpgradesBackToWebSocket_data();
    void fixedProxyUpgradesBackToWebSocket();

private:
    /// A fresh room for each case, so each one's seqs and document start empty.
    QString newRoom();
    /// Ada (through the proxy) and Bob (straight to the server, on WebSocket) on `room`.
    void startDesktops(const QString &room);
    /// Chat both ways, an edit of the document both ways, a shape each way on the canvas.
    void checkChatDocumentAndCanvasSync(const QString &label);

    ServerProcess m_server;
    std::unique_ptr<TestHttpProxy> m_proxy;
    QString m_adaToken;
    QString m_bobToken;
    int m_rooms = 0;
    std::unique_ptr<Desktop> m_ada; ///< through the proxy, Auto
    std::unique_ptr<Desktop> m_bob; ///< direct, WebSocket only
};

void TestTransportFallback::initTestCase()
{
    QVERIFY(m_server.start());
    QVERIFY(m_server.addUser(QStringLiteral("ada")));
    QVERIFY(m_server.addUser(QStringLiteral("bob")));
    m_adaToken = m_server.login(QStringLiteral("ada"));
    m_bobToken = m_server.login(QStringLiteral("bob"));
    QVERIFY(!m_adaToken.isEmpty() && !m_bobToken.isEmpty());
}

void TestTransportFallback::init()
{
    m_proxy = std::make_unique<TestHttpProxy>(m_server.port());
    QVERIFY(m_proxy->listen());
}

void TestTransportFallback::cleanup()
{
    m_ada.reset();
    m_bob.reset();
    m_proxy.reset();
}

QString TestTransportFallback::newRoom()
{
    const QString room = QStringLiteral("fallback-%1").arg(++m_rooms);
    // Both become members before their desktops open the document and canvas.
    for (const QString &token : {m_adaToken, m_bobToken}) {
        TestClient member;
        if (!member.connectAndAuthenticate(m_server.wsUrl(), token) || !member.join(room))
            return {};
    }
    return room;
}

void TestTransportFallback::startDesktops(const QString &room)
{
    m_bob = std::make_unique<Desktop>(m_server.wsUrl(), m_bobToken, QStringLiteral("bob"), room,
                                      FallbackTransport::Mode::WebSocket);
    m_ada = std::make_unique<Desktop>(m_proxy->wsUrl(), m_adaToken, QStringLiteral("ada"), room,
                                      FallbackTransport::Mode::Auto);
    QTRY_VERIFY_WITH_TIMEOUT(m_bob->ready(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(m_ada->ready(), Timeout);
}

void TestTransportFallback::checkChatDocumentAndCanvasSync(const QString &label)
{
    Desktop &ada = *m_ada;
    Desktop &bob = *m_bob;

    const QString fromAda = QStringLiteral("ada over %1").arg(label);
    QVERIFY(ada.chat.sendMessage(ada.room, fromAda));
    QTRY_COMPARE_WITH_TIMEOUT(bob.log.count(fromAda), 1, Timeout);
    const QString fromBob = QStringLiteral("bob to ada on %1").arg(label);
    QVERIFY(bob.session.sendChat(bob.room, fromBob));
    QTRY_COMPARE_WITH_TIMEOUT(ada.log.count(fromBob), 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(ada.offline.sync().queue().pendingCount(), 0, Timeout);

    // Over SSE and polling the document travels as base64 doc:message, over WebSocket as binary frames.
    ada.document.insert(ada.text().size(), QStringLiteral("[ada %1]").arg(label));
    QTRY_COMPARE_WITH_TIMEOUT(bob.text(), ada.text(), Timeout);
    bob.document.insert(0, QStringLiteral("[bob %1]").arg(label));
    QTRY_VERIFY_WITH_TIMEOUT(ada.text().startsWith(QStringLiteral("[bob %1]").arg(label)), Timeout);
    QCOMPARE(ada.text(), bob.text());

    const auto adaShape = ada.canvas.editor().createShape(rectangle(0));
    QVERIFY(adaShape);
    QTRY_VERIFY_WITH_TIMEOUT(bob.hasShape(*adaShape), Timeout);
    const auto bobShape = bob.canvas.editor().createShape(rectangle(100));
    QVERIFY(bobShape);
    QTRY_VERIFY_WITH_TIMEOUT(ada.hasShape(*bobShape), Timeout);
}

void TestTransportFallback::refusedUpgradeLandsOnSse_data()
{
    QTest::addColumn<ProxyMode>("proxyMode");
    QTest::newRow("400 Bad Request") << ProxyMode::RefuseUpgrades;
    QTest::newRow("dropped connection") << ProxyMode::DropUpgrades;
}

void TestTransportFallback::refusedUpgradeLandsOnSse()
{
    QFETCH(ProxyMode, proxyMode);
    m_proxy->setMode(proxyMode);
    const QString room = newRoom();
    QVERIFY(!room.isEmpty());
    startDesktops(room);
    if (QTest::currentTestFailed())
        return;

    QCOMPARE(m_ada->transportName(), QStringLiteral("SSE"));
    QCOMPARE(m_ada->fallback().currentLevel(), Level::Sse);
    QVERIFY(m_proxy->upgradesRefused() >= 1);
    QVERIFY(!m_ada->session.transport().supportsBinary()); // documents go as base64 doc:message
    checkChatDocumentAndCanvasSync(QStringLiteral("SSE"));
    if (QTest::currentTestFailed())
        return;

    // The background probe keeps trying, is refused, and leaves the working SSE session alone.
    const int refused = m_proxy->upgradesRefused();
    QSignalSpy probes(&m_ada->fallback(), &FallbackTransport::probeStarted);
    QTRY_VERIFY_WITH_TIMEOUT(probes.count() >= 2 && m_proxy->upgradesRefused() >= refused + 1, Timeout);
    QCOMPARE(m_ada->session.state(), Session::State::Connected);
    QCOMPARE(m_ada->transportName(), QStringLiteral("SSE"));
}

void TestTransportFallback::bufferedStreamLandsOnPolling_data()
{
    QTest::addColumn<bool>("fromSse");
    QTest::newRow("fresh start") << false;
    QTest::newRow("SSE cut, then buffered") << true;
}

void TestTransportFallback::bufferedStreamLandsOnPolling()
{
    QFETCH(bool, fromSse);
    m_proxy->setMode(fromSse ? ProxyMode::RefuseUpgrades : ProxyMode::RefuseUpgradesAndBuffer);
    const QString room = newRoom();
    QVERIFY(!room.isEmpty());
    startDesktops(room);
    if (QTest::currentTestFailed())
        return;

    if (fromSse) {
        QCOMPARE(m_ada->transportName(), QStringLiteral("SSE"));
        // The proxy is reconfigured to buffer and restarted: the stream ends, and
        // the reconnect (which starts from SSE, the level that last worked) gets nothing back.
        QSignalSpy closes(&m_ada->session.transport(), &Transport::closed);
        m_proxy->setMode(ProxyMode::RefuseUpgradesAndBuffer);
        m_proxy->cutAll();
        QTRY_VERIFY_WITH_TIMEOUT(closes.count() >= 1, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_ada->ready() && m_ada->transportName() == QLatin1String("Polling"),
                                 Timeout);
    }
    QCOMPARE(m_ada->transportName(), QStringLiteral("Polling"));
    QCOMPARE(m_ada->fallback().currentLevel(), Level::Polling);
    QVERIFY(m_proxy->upgradesRefused() >= 1);
    checkChatDocumentAndCanvasSync(QStringLiteral("polling"));
}

void TestTransportFallback::fixedProxyUpgradesBackToWebSocket_data()
{
    QTest::addColumn<ProxyMode>("brokenMode");
    QTest::addColumn<QString>("lowerTransport");
    QTest::newRow("from SSE") << ProxyMode::RefuseUpgrades << QStringLiteral("SSE");
    QTest::newRow("from polling") << ProxyMode::RefuseUpgradesAndBuffer << QStringLiteral("Polling");
}

void TestTransportFallback::fixedProxyUpgradesBackToWebSocket()
{
    QFETCH(ProxyMode, brokenMode);
    QFETCH(QString, lowerTransport);
    m_proxy->setMode(brokenMode);
    const QString room = newRoom();
    QVERIFY(!room.isEmpty());
    startDesktops(room);
    if (QTest::currentTestFailed())
        return;
    Desktop &ada = *m_ada;
    Desktop &bob = *m_bob;
    QCOMPARE(ada.transportName(), lowerTransport);

    QSignalSpy levels(&ada.fallback(), &FallbackTransport::levelChanged);
    QList<int> closeCodes;
    int adaSent = 0;
    int bobSent = 0;
    const auto sendBoth = [&] {
        // Ada as the app sends: into the durable queue, re-sent with its cid after a drop.
        QVERIFY(ada.chat.sendMessage(room, QStringLiteral("ada %1").arg(adaSent++)));
        // Bob stays connected: every send is accepted at once. His cids name the room:
        // the server answers a cid it has seen (from any room) with the original ack.
        QVERIFY(bob.session.sendChat(room, QStringLiteral("bob %1").arg(bobSent),
                                     QStringLiteral("%1-bob-%2").arg(room).arg(bobSent)));
        ++bobSent;
    };
    // Messages sent at the very moment the lower level is given up, while no
    // connection carries the session. (`scope` ends these connections with the case.)
    QObject scope;
    connect(&ada.session.transport(), &Transport::closed, &scope, [&](int code) {
        closeCodes.append(code);
        for (int i = 0; i < 3; ++i)
            sendBoth();
    });

    // Both keep talking, about 12 messages a second each (under the server's
    // 20 per second), while the proxy is fixed and for a while after the upgrade.
    int sentOnWebSocket = 0;
    QTimer pump;
    pump.setInterval(80);
    connect(&pump, &QTimer::timeout, &scope, [&] {
        sendBoth();
        if (adaSent == 5)
            m_proxy->setMode(ProxyMode::Pass);
        if (ada.fallback().currentLevel() == Level::WebSocket && ada.session.isAuthenticated())
            ++sentOnWebSocket;
        if (sentOnWebSocket >= 5 || adaSent >= 150)
            pump.stop();
    });
    pump.start();
    QTRY_VERIFY_WITH_TIMEOUT(!pump.isActive(), Timeout);
    QVERIFY2(sentOnWebSocket >= 5, "the session never came back to WebSocket");

    // The probe opened, the session was closed for the change and reopened on WebSocket.
    QCOMPARE(ada.transportName(), QStringLiteral("WebSocket"));
    QVERIFY(!levels.isEmpty());
    QCOMPARE(levels.last().first().value<Level>(), Level::WebSocket);
    QVERIFY2(closeCodes.contains(client::CloseTransportChange),
             qPrintable(QStringLiteral("first close code: %1").arg(closeCodes.value(0, -1))));

    // Everything sent before, during and after the switch arrives once, on both sides.
    QTRY_VERIFY_WITH_TIMEOUT(ada.ready(), Timeout);
    const auto describe = [&] {
        QStringList lines;
        for (const Desktop *desktop : {&ada, &bob}) {
            QStringList entries;
            for (const ChatLog::Entry &entry : desktop->log.entries)
                entries.append(QStringLiteral("%1:%2").arg(entry.seq).arg(entry.text));
            lines.append(entries.join(QLatin1String(", ")));
        }
        return QStringLiteral("sent ada %1 bob %2\nada saw %3\nbob saw %4")
            .arg(adaSent)
            .arg(bobSent)
            .arg(lines.at(0), lines.at(1));
    };
    QTRY_VERIFY2_WITH_TIMEOUT(ada.log.count(QStringLiteral("bob %1").arg(bobSent - 1)) == 1 &&
                                  bob.log.count(QStringLiteral("ada %1").arg(adaSent - 1)) == 1,
                              qPrintable(describe()), Timeout);
    for (int i = 0; i < adaSent; ++i) {
        const QString text = QStringLiteral("ada %1").arg(i);
        QVERIFY2(ada.log.count(text) == 1 && bob.log.count(text) == 1, qPrintable(text));
    }
    for (int i = 0; i < bobSent; ++i) {
        const QString text = QStringLiteral("bob %1").arg(i);
        QVERIFY2(ada.log.count(text) == 1 && bob.log.count(text) == 1, qPrintable(text));
    }
    QCOMPARE(ada.log.entries.size(), adaSent + bobSent);
    QCOMPARE(bob.log.entries.size(), adaSent + bobSent);
    QVERIFY(seqsStrictlyIncrease(ada.log));
    QVERIFY(seqsStrictlyIncrease(bob.log));
    // Ada's own list shows every one of her messages as sent, none pending or twice.
    const chat::MessageListModel *list = ada.chat.messages(room);
    QCOMPARE(list->rowCount(), adaSent + bobSent);
    QVERIFY(list->pendingMessages().isEmpty());

    checkChatDocumentAndCanvasSync(QStringLiteral("WebSocket again"));
}

QTEST_GUILESS_MAIN(TestTransportFallback)
#include "tst_transportfallback.moc"
