// The y-websocket interop test: two real y-websocket@3.1.0 clients
// under Node (y-websocket-peer.mjs) and the desktop's Tandem client (Session +
// docs::DocumentSession, document frames on /ws), on one room of a real
// tandem-server. They sync, text and
// awareness travel every way, a closed connection's awareness is removed, an
// idle client is not reconnected within 35 s, and the text survives a restart.

#include "core/client/QtTimerSource.h"
#include "core/client/Session.h"
#include "core/docs/DocumentSession.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>

using namespace tandem;
using namespace tandem::test;

namespace {

const QString Room = QStringLiteral("shared");

/// A y-websocket client in its own Node process; keeps the latest of each event.
class YWebsocketClient : public QObject {
public:
    YWebsocketClient(const ServerProcess &server, const QString &token)
    {
        m_node.setWorkingDirectory(QStringLiteral(TANDEM_INTEROP_DIR));
        m_node.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        connect(&m_node, &QProcess::readyReadStandardOutput, this, [this] {
            while (m_node.canReadLine())
                onEvent(QJsonDocument::fromJson(m_node.readLine()).object());
        });
        QUrl url = server.wsUrl();
        url.setPath({});
        url.setQuery(QString());
        m_node.start(QStringLiteral("node"),
                     {QStringLiteral("y-websocket-peer.mjs"), url.toString(), Room, token});
    }
    ~YWebsocketClient() override
    {
        m_node.closeWriteChannel();
        if (!m_node.waitForFinished(5000))
            m_node.kill();
        m_node.waitForFinished(1000);
    }

    void command(const QJsonObject &command)
    {
        m_node.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
    }
    void insert(int index, const QString &inserted)
    {
        command({{QStringLiteral("cmd"), QStringLiteral("insert")},
                 {QStringLiteral("index"), index},
                 {QStringLiteral("text"), inserted}});
    }
    void setName(const QString &name)
    {
        command({{QStringLiteral("cmd"), QStringLiteral("name")}, {QStringLiteral("name"), name}});
    }
    /// The connection drops without the client saying goodbye.
    void crash() { m_node.kill(); }

    bool synced = false;
    QString text;
    QStringList remoteNames;
    int connects = 0;
    int disconnects = 0;

private:
    void onEvent(const QJsonObject &event)
    {
        const QString kind = event.value(QLatin1String("event")).toString();
        if (kind == QLatin1String("synced"))
            synced = true;
        else if (kind == QLatin1String("text"))
            text = event.value(QLatin1String("text")).toString();
        else if (kind == QLatin1String("awareness"))
            remoteNames = event.value(QLatin1String("names")).toVariant().toStringList();
        else if (kind == QLatin1String("status") &&
                 event.value(QLatin1String("status")) == QLatin1String("connected"))
            ++connects;
        else if (kind == QLatin1String("status") &&
                 event.value(QLatin1String("status")) == QLatin1String("disconnected"))
            ++disconnects;
        else if (kind == QLatin1String("error"))
            qWarning() << "y-websocket peer:" << event;
    }

    QProcess m_node;
};

QStringList namesIn(const crdt::Awareness &awareness)
{
    QStringList names;
    for (const QJsonObject &state : awareness.states())
        names.append(state.value(QLatin1String("user")).toObject().value(QLatin1String("name")).toString());
    names.sort();
    return names;
}

} // namespace

class TestYWebsocketInterop : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void twoYWebsocketClientsAndATandemSessionShareOneDocument();
};

void TestYWebsocketInterop::twoYWebsocketClientsAndATandemSessionShareOneDocument()
{
    QVERIFY2(QFile::exists(QStringLiteral(TANDEM_INTEROP_DIR "/node_modules/y-websocket/package.json")),
             "run `npm ci` in tests/interop first (scripts/test.sh does)");
    ServerProcess server;
    QVERIFY(server.start());
    const QString alice = server.addMember(QStringLiteral("alice"), Room);
    const QString bob = server.addMember(QStringLiteral("bob"), Room);
    QVERIFY(!alice.isEmpty() && !bob.isEmpty());

    YWebsocketClient first(server, alice);
    YWebsocketClient second(server, bob);
    QTRY_VERIFY_WITH_TIMEOUT(first.synced && second.synced, 15000);

    // Text, both ways between the Node clients.
    first.insert(0, QStringLiteral("Hello from Node A"));
    QTRY_COMPARE(second.text, QStringLiteral("Hello from Node A"));
    second.insert(17, QStringLiteral(", and B"));
    QTRY_COMPARE(first.text, QStringLiteral("Hello from Node A, and B"));

    // The desktop client joins the same document over its session.
    client::QtTimerSource timers;
    client::Session session(server.wsUrl(), alice);
    QVERIFY(session.joinRoom(Room).hasValue());
    docs::DocumentSession tandem(session, Room, nullptr, Clock::system(), timers);
    tandem.setUser(QStringLiteral("Cee"), QStringLiteral("#30bced"));
    tandem.open();
    session.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(tandem.isSynced(), 15000);
    QTRY_COMPARE(tandem.text().toString(), QStringLiteral("Hello from Node A, and B"));
    tandem.insert(0, QStringLiteral("[C++] "));
    QTRY_COMPARE(first.text, QStringLiteral("[C++] Hello from Node A, and B"));
    QTRY_COMPARE(second.text, first.text);
    second.insert(0, QStringLiteral("😀"));
    QTRY_COMPARE(tandem.text().toString(), QStringLiteral("😀[C++] Hello from Node A, and B"));

    // Awareness, every way.
    first.setName(QStringLiteral("Ann"));
    second.setName(QStringLiteral("Ben"));
    QTRY_COMPARE(first.remoteNames, (QStringList{QStringLiteral("Ben"), QStringLiteral("Cee")}));
    QTRY_COMPARE(second.remoteNames, (QStringList{QStringLiteral("Ann"), QStringLiteral("Cee")}));
    QTRY_COMPARE(namesIn(tandem.awareness()),
                 (QStringList{QStringLiteral("Ann"), QStringLiteral("Ben"), QStringLiteral("Cee")}));

    // Closing removes awareness: the desktop closes the document, then Node A dies without a word.
    tandem.close();
    QTRY_COMPARE(first.remoteNames, QStringList{QStringLiteral("Ben")});
    QTRY_COMPARE(second.remoteNames, QStringList{QStringLiteral("Ann")});
    first.crash();
    QTRY_COMPARE(second.remoteNames, QStringList());

    // Idle: no edits and a null awareness state, so only the server can keep the client from its
    // 30 s "no message received" reconnect.
    second.command({{QStringLiteral("cmd"), QStringLiteral("quiet")}});
    QTest::qWait(35000);
    QCOMPARE(second.connects, 1);
    QCOMPARE(second.disconnects, 0);

    // The text survives a restart; the idle client reconnects on its own (1001 is not final).
    const QString expected = second.text;
    const quint16 port = server.port();
    QCOMPARE(server.terminate(), 0);
    QVERIFY(server.start(port));
    YWebsocketClient fresh(server, bob);
    QTRY_VERIFY_WITH_TIMEOUT(fresh.synced, 15000);
    QTRY_COMPARE(fresh.text, expected);
    QTRY_COMPARE_WITH_TIMEOUT(second.connects, 2, 15000);
}

QTEST_GUILESS_MAIN(TestYWebsocketInterop)
#include "tst_ywebsocketinterop.moc"
