// Awareness cursors between the desktop and a JavaScript editor: a
// DocumentSession (over the Session's document frames) and a real
// y-websocket@3.1.0 client under Node (cursor-peer.mjs, over /yjs) on one
// room of a real tandem-server. Each resolves the other's
// {user, cursor: {anchor, head}} relative positions (the y-codemirror
// convention) to the right indices, also after the other edited before them.

#include "core/client/QtTimerSource.h"
#include "core/client/Session.h"
#include "core/docs/DocumentSession.h"
#include "core/docs/UserColor.h"
#include "tests/support/ServerProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>

using namespace tandem;
using tandem::docs::DocumentSession;
using tandem::test::ServerProcess;

namespace {
const QString Room = QStringLiteral("cursors");

struct JsCursor {
    QString name;
    QString color;
    int anchor = -1;
    int head = -1;
};

class JsEditor : public QObject {
public:
    JsEditor(const ServerProcess &server, const QString &token)
    {
        m_node.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        connect(&m_node, &QProcess::readyReadStandardOutput, this, [this] {
            while (m_node.canReadLine())
                onEvent(QJsonDocument::fromJson(m_node.readLine()).object());
        });
        QUrl url = server.wsUrl();
        url.setPath({});
        url.setQuery(QString());
        m_node.start(QStringLiteral("node"),
                     {QStringLiteral(TANDEM_DOCS_TEST_DIR "/cursor-peer.mjs"),
                      QStringLiteral(TANDEM_INTEROP_DIR), url.toString(), Room, token});
    }
    ~JsEditor() override
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
    bool synced = false;
    QString text;
    QList<JsCursor> cursors;

private:
    void onEvent(const QJsonObject &event)
    {
        const QString kind = event.value(QLatin1String("event")).toString();
        if (kind == QLatin1String("synced")) {
            synced = true;
        } else if (kind == QLatin1String("text")) {
            text = event.value(QLatin1String("text")).toString();
        } else if (kind == QLatin1String("cursors")) {
            cursors.clear();
            for (const QJsonValue &value : event.value(QLatin1String("cursors")).toArray()) {
                const QJsonObject cursor = value.toObject();
                cursors.append({cursor.value(QLatin1String("name")).toString(),
                                cursor.value(QLatin1String("color")).toString(),
                                cursor.value(QLatin1String("anchor")).toInt(-1),
                                cursor.value(QLatin1String("head")).toInt(-1)});
            }
        }
    }
    QProcess m_node;
};

bool jsSeesAda(const JsEditor &js, int anchor, int head)
{
    return js.cursors.size() == 1 && js.cursors.first().name == QLatin1String("ada") &&
           js.cursors.first().anchor == anchor && js.cursors.first().head == head;
}
} // namespace

class TestDocumentCursorInterop : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cursorsTravelBothWaysAsRelativePositions();
};

void TestDocumentCursorInterop::cursorsTravelBothWaysAsRelativePositions()
{
    ServerProcess server;
    QVERIFY(server.start());
    const QString adaToken = server.addMember(QStringLiteral("ada"), Room);
    const QString jsToken = server.addMember(QStringLiteral("js"), Room);
    QVERIFY(!adaToken.isEmpty() && !jsToken.isEmpty());

    client::QtTimerSource timers;
    client::Session session(server.wsUrl(), adaToken);
    QVERIFY(session.joinRoom(Room));
    DocumentSession ada(session, Room, nullptr, Clock::system(), timers);
    ada.setUser(QStringLiteral("ada"), docs::userColorName(QStringLiteral("ada")));
    ada.open();
    session.connectToServer();
    JsEditor js(server, jsToken);
    QTRY_VERIFY_WITH_TIMEOUT(ada.isSynced() && js.synced, 15000);

    ada.insert(0, QStringLiteral("hello world"));
    QTRY_COMPARE_WITH_TIMEOUT(js.text, QStringLiteral("hello world"), 10000);
    ada.setCursor(6, 11); // "world", the head at the end of the text
    QTRY_VERIFY_WITH_TIMEOUT(jsSeesAda(js, 6, 11), 10000);
    QCOMPARE(js.cursors.first().color, docs::userColorName(QStringLiteral("ada")));

    // The JavaScript side types before ada's selection: yjs moves it along.
    js.command({{QStringLiteral("cmd"), QStringLiteral("insert")},
                {QStringLiteral("index"), 0},
                {QStringLiteral("text"), QStringLiteral(">> ")}});
    QTRY_COMPARE_WITH_TIMEOUT(ada.text().toString(), QStringLiteral(">> hello world"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(jsSeesAda(js, 9, 14), 10000);

    // And its cursor, written by yjs, resolves here.
    js.command({{QStringLiteral("cmd"), QStringLiteral("cursor")},
                {QStringLiteral("anchor"), 3},
                {QStringLiteral("head"), 8}});
    const auto jsCursor = [&ada]() -> std::optional<docs::RemoteCursor> {
        for (const docs::RemoteCursor &cursor : ada.remoteCursors()) {
            if (cursor.name == QLatin1String("js"))
                return cursor;
        }
        return std::nullopt;
    };
    QTRY_VERIFY_WITH_TIMEOUT(jsCursor() && jsCursor()->anchor == 3 && jsCursor()->head == 8, 10000);
    QCOMPARE(jsCursor()->color, QStringLiteral("#30bced"));
    ada.insert(0, QStringLiteral("1. "));
    QCOMPARE(jsCursor()->anchor, 6);
    QCOMPARE(ada.text().toString().mid(jsCursor()->anchor, 5), QStringLiteral("hello"));
}

QTEST_GUILESS_MAIN(TestDocumentCursorInterop)
#include "tst_documentcursorinterop.moc"
