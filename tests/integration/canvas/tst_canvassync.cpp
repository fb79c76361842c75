// The canvas against a real tandem-server (issue 6, "Sync and storage"):
// each client is the desktop's real stack (Session, OfflineSync with its own
// local store, CanvasSession), talking to a server process on loopback.
//
// - Two people move and recolour the same shape at the same moment: both end
//   with the same shape, and for every property the newest write is there
//   (nothing was lost to a stale overwrite).
// - Joining fresh brings the whole canvas; resuming brings what was missed;
//   a canvas compacted to a snapshot loads the same.
// - A client that drew offline is killed with SIGKILL, restarts and syncs:
//   every shape it showed is on the server exactly once.
// - Bad canvas:op messages get typed errors; every limit is enforced.

#include "core/canvas/CanvasSession.h"
#include "core/client/QtTimerSource.h"
#include "core/client/Session.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestOffline.h"

#include <QJsonArray>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace tandem;
using tandem::canvas::CanvasOp;
using tandem::canvas::CanvasSession;
using tandem::canvas::NewShape;
using tandem::canvas::ShapeKind;
using tandem::canvas::ShapeProperty;
using tandem::client::Session;
using tandem::test::ServerProcess;
using tandem::test::TestClient;
using tandem::test::TestOffline;

namespace {

const QString Room = QStringLiteral("sketches");
constexpr int Timeout = 15000;

/// One desktop client's canvas: Session + offline stack + CanvasSession.
struct Desktop {
    Desktop(ServerProcess &server, const QString &token, const QString &userId, const QString &storePath = {})
        : session(server.wsUrl(), token)
        , offline(session, storePath)
        , canvas(session, offline.sync(), userId, Room, Clock::system(), timers)
    {
        if (!session.joinRoom(Room))
            qFatal("cannot join");
        canvas.open();
    }
    canvas::CanvasEditor &editor() { return canvas.editor(); }
    std::optional<canvas::Shape> shape(const QString &id) { return editor().model().shape(id); }
    bool idle() { return canvas.isSynced() && offline.sync().queue().pendingCount() == 0; }

    client::QtTimerSource timers;
    Session session;
    TestOffline offline;
    CanvasSession canvas;
};

NewShape rectangle(QPointF from, QPointF to)
{
    NewShape shape;
    shape.kind = ShapeKind::Rectangle;
    shape.points = {from, to};
    return shape;
}

/// The newest stamp among the ops a spy on CanvasEditor::localOps saw for one property.
offline::HlcTimestamp newestWrite(const QSignalSpy &spy, ShapeProperty property)
{
    offline::HlcTimestamp newest;
    for (const QList<QVariant> &arguments : spy) {
        for (const CanvasOp &op : arguments.at(0).value<QList<CanvasOp>>()) {
            if (op.type == CanvasOp::Type::SetProperty && op.property == property)
                newest = std::max(newest, op.stamp);
        }
    }
    return newest;
}

QJsonObject opJson(const CanvasOp &op)
{
    return op.toJson();
}

} // namespace

class TestCanvasSync : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void concurrentMoveAndRecolourKeepEveryNewestWrite();
    void joinResumeAndSnapshotBringTheCanvasUpToDate();
    void offlineDrawingSurvivesSigkillAndSyncsExactlyOnce();
    void badCanvasOpsGetTypedErrors_data();
    void badCanvasOpsGetTypedErrors();
    void shapeLimitIsEnforced();

private:
    ServerProcess m_server{{QStringLiteral("[canvas]"), QStringLiteral("compact_every_changes=5")}};
    QString m_adaToken;
    QString m_bobToken;
};

void TestCanvasSync::initTestCase()
{
    qRegisterMetaType<QList<CanvasOp>>();
    QVERIFY(m_server.start());
    m_adaToken = m_server.addMember(QStringLiteral("ada"), Room);
    m_bobToken = m_server.addMember(QStringLiteral("bob"), Room);
    QVERIFY(!m_adaToken.isEmpty() && !m_bobToken.isEmpty());
}

void TestCanvasSync::concurrentMoveAndRecolourKeepEveryNewestWrite()
{
    Desktop ada(m_server, m_adaToken, QStringLiteral("ada"));
    Desktop bob(m_server, m_bobToken, QStringLiteral("bob"));
    ada.session.connectToServer();
    bob.session.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(ada.idle() && bob.idle(), Timeout);

    const auto created = ada.editor().createShape(rectangle({0, 0}, {100, 60}));
    QVERIFY(created);
    const QString id = *created;
    QTRY_VERIFY_WITH_TIMEOUT(bob.shape(id).has_value(), Timeout);

    // "At once": neither sees the other's change before making its own. The
    // sessions stay connected; the changes cross on the wire.
    QSignalSpy adaOps(&ada.editor(), &canvas::CanvasEditor::localOps);
    QSignalSpy bobOps(&bob.editor(), &canvas::CanvasEditor::localOps);
    ada.editor().moveShapes({id}, QPointF(30, 10));
    ada.editor().setFill({id}, QStringLiteral("#ff0000"));
    bob.editor().moveShapes({id}, QPointF(-5, 50));
    bob.editor().setStrokeColor({id}, QStringLiteral("#0000ff"));
    bob.editor().setStrokeWidth({id}, 7);

    QTRY_VERIFY_WITH_TIMEOUT(ada.idle() && bob.idle(), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(ada.editor().model().stateHash(), bob.editor().model().stateHash(), Timeout);
    const canvas::Shape merged = *ada.shape(id);
    // Properties only one of them wrote keep that write.
    QCOMPARE(merged.fill, QStringLiteral("#ff0000"));
    QCOMPARE(merged.strokeColor, QStringLiteral("#0000ff"));
    QCOMPARE(merged.strokeWidth, 7.0);
    // Both moved it: the later stamp wins, the same on both.
    const bool adaMovedLast =
        newestWrite(adaOps, ShapeProperty::Geometry) > newestWrite(bobOps, ShapeProperty::Geometry);
    const QList<QPointF> expected =
        adaMovedLast ? QList<QPointF>{{30, 10}, {130, 70}} : QList<QPointF>{{-5, 50}, {95, 110}};
    QCOMPARE(merged.points, expected);

    // The server holds the same: a client that only syncs gets the same canvas.
    Desktop carol(m_server, m_adaToken, QStringLiteral("ada"));
    carol.session.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(carol.idle(), Timeout);
    QCOMPARE(carol.editor().model().stateHash(), ada.editor().model().stateHash());
}

void TestCanvasSync::joinResumeAndSnapshotBringTheCanvasUpToDate()
{
    QTemporaryDir dir;
    const QString bobStore = dir.filePath(QStringLiteral("bob.sqlite"));
    Desktop ada(m_server, m_adaToken, QStringLiteral("ada"));
    ada.session.connectToServer();
    auto bob = std::make_unique<Desktop>(m_server, m_bobToken, QStringLiteral("bob"), bobStore);
    bob->session.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(ada.idle() && bob->idle(), Timeout);
    QCOMPARE(bob->editor().model().stateHash(), ada.editor().model().stateHash());
    const qint64 firstSync = bob->canvas.syncedThrough().value_or(-1);
    QVERIFY(firstSync >= 0);

    // Bob quits; Ada draws more than one snapshot's worth (compact_every_changes=5) and deletes one.
    bob.reset();
    QStringList drawn;
    for (int i = 0; i < 12; ++i)
        drawn.append(*ada.editor().createShape(rectangle({i * 20.0, 0}, {i * 20.0 + 10, 10})));
    ada.editor().deleteShapes({drawn.first()});
    QTRY_VERIFY_WITH_TIMEOUT(ada.idle(), Timeout);

    // Bob comes back on the same store: the stored canvas shows at once, then the resume brings the rest.
    bob = std::make_unique<Desktop>(m_server, m_bobToken, QStringLiteral("bob"), bobStore);
    QCOMPARE(bob->canvas.syncedThrough(), std::optional<qint64>(firstSync));
    QVERIFY(!bob->editor().model().isVisible(drawn.last()));
    bob->session.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(bob->idle(), Timeout);
    QVERIFY(bob->canvas.syncedThrough().value_or(-1) > firstSync);
    QCOMPARE(bob->editor().model().stateHash(), ada.editor().model().stateHash());
    QVERIFY(!bob->editor().model().isVisible(drawn.first()));
    QVERIFY(bob->editor().model().isVisible(drawn.last()));

    // A fresh client gets the whole state, from the server's snapshot plus the changes after it.
    Desktop fresh(m_server, m_bobToken, QStringLiteral("bob"));
    fresh.session.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(fresh.idle(), Timeout);
    QCOMPARE(fresh.editor().model().stateHash(), ada.editor().model().stateHash());
    // The same after a server restart (nothing cached in memory).
    QCOMPARE(m_server.terminate(), 0);
    QVERIFY(m_server.start(m_server.port()));
    Desktop afterRestart(m_server, m_bobToken, QStringLiteral("bob"));
    afterRestart.session.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(afterRestart.idle(), Timeout);
    QCOMPARE(afterRestart.editor().model().stateHash(), ada.editor().model().stateHash());
}

void TestCanvasSync::offlineDrawingSurvivesSigkillAndSyncsExactlyOnce()
{
    QTemporaryDir dir;
    const QString store = dir.filePath(QStringLiteral("drawer.sqlite"));
    const QStringList common{QStringLiteral("--store"), store,
                             QStringLiteral("--user"),  QStringLiteral("bob"),
                             QStringLiteral("--room"),  Room};

    // Offline, it draws; SIGKILL lands in the middle of the drawing.
    QProcess drawer;
    drawer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QStringList shown;
    QObject::connect(&drawer, &QProcess::readyReadStandardOutput, &drawer, [&] {
        while (drawer.canReadLine()) {
            const QString line = QString::fromUtf8(drawer.readLine()).trimmed();
            if (line.startsWith(QLatin1String("drawn ")))
                shown.append(line.mid(6));
            if (shown.size() == 25 && drawer.state() == QProcess::Running)
                drawer.kill();
        }
    });
    drawer.start(QStringLiteral(TANDEM_CANVAS_CLIENT),
                 QStringList{QStringLiteral("draw")} + common +
                     QStringList{QStringLiteral("--count"), QStringLiteral("1000")});
    QVERIFY(drawer.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(drawer.state() == QProcess::NotRunning, Timeout);
    QCOMPARE(drawer.exitStatus(), QProcess::CrashExit);
    QVERIFY(shown.size() >= 25);

    // Restarted online, it syncs what it had.
    QProcess syncer;
    syncer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    syncer.start(QStringLiteral(TANDEM_CANVAS_CLIENT),
                 QStringList{QStringLiteral("sync")} + common +
                     QStringList{QStringLiteral("--url"), m_server.wsUrl().toString(),
                                 QStringLiteral("--token"), m_bobToken});
    QVERIFY(syncer.waitForFinished(30000));
    const QString output = QString::fromUtf8(syncer.readAllStandardOutput());
    QCOMPARE(syncer.exitCode(), 0);
    QVERIFY2(output.startsWith(QLatin1String("done ")), qPrintable(output));

    // The room's log, replayed from the start: every shape shown was created exactly once.
    TestClient reader;
    QVERIFY(reader.connectAndAuthenticate(m_server.wsUrl(), m_bobToken));
    QVERIFY(reader.join(Room, 0));
    QHash<QString, int> creates;
    for (const QJsonObject &event : reader.received(QStringLiteral("canvas:changed"))) {
        for (const QJsonValue &op :
             event.value(QLatin1String("payload")).toObject().value(QLatin1String("ops")).toArray()) {
            if (op.toObject().value(QLatin1String("op")).toString() == QLatin1String("create"))
                ++creates[op.toObject().value(QLatin1String("shape")).toString()];
        }
    }
    for (const QString &id : std::as_const(shown))
        QVERIFY2(creates.value(id) == 1,
                 qPrintable(QStringLiteral("%1 created %2 times").arg(id).arg(creates.value(id))));
    // And a desktop that syncs shows them.
    Desktop check(m_server, m_bobToken, QStringLiteral("bob"));
    check.session.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(check.idle(), Timeout);
    for (const QString &id : std::as_const(shown))
        QVERIFY(check.editor().model().isVisible(id));
}

void TestCanvasSync::badCanvasOpsGetTypedErrors_data()
{
    QTest::addColumn<QJsonObject>("payload");
    QTest::addColumn<bool>("withCid");
    QTest::addColumn<QString>("code");

    const offline::HlcTimestamp now{QDateTime::currentMSecsSinceEpoch(), 0, 0x1234};
    const QJsonObject good = opJson(CanvasOp::remove(QStringLiteral("x-1"), now));
    const auto payload = [](const QJsonArray &ops) {
        return QJsonObject{{QStringLiteral("roomId"), Room}, {QStringLiteral("ops"), ops}};
    };
    QTest::newRow("no cid") << payload({good}) << false << "bad_request";
    QTest::newRow("no ops") << payload({}) << true << "bad_request";
    QTest::newRow("ops not objects") << payload({1, 2}) << true << "bad_request";
    QJsonArray tooMany;
    for (int i = 0; i < 257; ++i)
        tooMany.append(good);
    QTest::newRow("257 ops") << payload(tooMany) << true << "too_large";
    QJsonObject badColour =
        opJson(CanvasOp::setProperty(QStringLiteral("x-1"), ShapeProperty::Fill, QStringLiteral("red"), now));
    QTest::newRow("bad colour") << payload({badColour}) << true << "bad_request";
    QJsonObject unknown = good;
    unknown.insert(QStringLiteral("op"), QStringLiteral("explode"));
    QTest::newRow("unknown op") << payload({unknown}) << true << "bad_request";
    const offline::HlcTimestamp future{QDateTime::currentMSecsSinceEpoch() + 3600 * 1000, 0, 0x1234};
    QTest::newRow("stamped an hour ahead")
        << payload({opJson(CanvasOp::remove(QStringLiteral("x-2"), future))}) << true << "bad_request";
    QTest::newRow("not a member") << QJsonObject{{QStringLiteral("roomId"), QStringLiteral("elsewhere")},
                                                 {QStringLiteral("ops"), QJsonArray{good}}}
                                  << true << "not_found";
}

void TestCanvasSync::badCanvasOpsGetTypedErrors()
{
    QFETCH(QJsonObject, payload);
    QFETCH(bool, withCid);
    QFETCH(QString, code);
    TestClient client;
    QVERIFY(client.connectAndAuthenticate(m_server.wsUrl(), m_adaToken));
    QVERIFY(client.join(Room));
    const QString id =
        client.send(QStringLiteral("canvas:op"), payload,
                    withCid ? QStringLiteral("cid-%1").arg(QDateTime::currentMSecsSinceEpoch()) : QString());
    const auto error = client.take(QStringLiteral("error"), Timeout, [&](const QJsonObject &message) {
        return message.value(QLatin1String("payload")).toObject().value(QLatin1String("ref")).toString() ==
               id;
    });
    QVERIFY(error);
    QCOMPARE(error->value(QLatin1String("payload")).toObject().value(QLatin1String("code")).toString(), code);
    // The connection stays usable and nothing was stored.
    QVERIFY(client.chat(Room, QStringLiteral("still here")));
    QVERIFY(client.received(QStringLiteral("canvas:changed")).isEmpty());
}

void TestCanvasSync::shapeLimitIsEnforced()
{
    ServerProcess strict{{QStringLiteral("[canvas]"), QStringLiteral("max_shapes=3")}};
    QVERIFY(strict.start());
    const QString token = strict.addMember(QStringLiteral("ada"), Room);
    QVERIFY(!token.isEmpty());
    Desktop ada(strict, token, QStringLiteral("ada"));
    QSignalSpy refused(&ada.canvas, &CanvasSession::refused);
    ada.session.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(ada.idle(), Timeout);
    for (int i = 0; i < 3; ++i)
        QVERIFY(ada.editor().createShape(rectangle({0, 0}, {10, 10})));
    QTRY_VERIFY_WITH_TIMEOUT(ada.idle(), Timeout);
    QVERIFY(refused.isEmpty());
    // The fourth is refused for good: the user hears of it and it stays listed as failed.
    QVERIFY(ada.editor().createShape(rectangle({0, 0}, {10, 10})));
    QTRY_COMPARE_WITH_TIMEOUT(refused.size(), 1, Timeout);
    QVERIFY2(refused.first().first().toString().contains(QLatin1String("limit")),
             qPrintable(refused.first().first().toString()));
    QCOMPARE(ada.offline.sync().queue().pendingCount(), 1);
    QCOMPARE(ada.offline.sync().queue().pending().first().state, offline::MutationState::Failed);
}

QTEST_GUILESS_MAIN(TestCanvasSync)
#include "tst_canvassync.moc"
