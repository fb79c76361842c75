// The limits table (issue 8, "Must show"): every limit of tandem-server is
// exceeded on purpose against a real server and answered with the code
// docs/PROTOCOL.md documents for it. One row per limit; the "Limits" table
// of docs/OPERATIONS.md has the same rows, and each row checks its line there.
//
// The limits are set low in the server's config file, so each row costs a
// handful of messages. Rows whose limit would get in the way of the others
// (the connection caps, the per-address rates, the slow reader) get a server
// of their own.

#include "tests/integration/DocumentFramePeer.h"
#include "tests/support/RawWebSocket.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTest>

#include <functional>
#include <memory>

using namespace tandem::test;

namespace {

// The shared server's limits. Every value is far below its default; the comments say what a row
// needs from it.
const QStringList SharedLimits{
    QStringLiteral("[limits]"),
    QStringLiteral("max_message_bytes=4096"), // over the frame limit, so fragments can reach it
    QStringLiteral("max_frame_bytes=1024"),
    QStringLiteral("max_text_length=100"),
    QStringLiteral("max_connections_per_user=3"),
    QStringLiteral("max_rooms_per_connection=2"),
    QStringLiteral("messages_per_second=2"),
    QStringLiteral("burst=10"), // every row but the flood sends fewer than this per connection
    QStringLiteral("cursor_moves_per_second=1"),
    QStringLiteral("cursor_burst=5"),
    QStringLiteral("rate_limit_strikes=3"),
    QStringLiteral("auth_timeout_ms=1500"),
    QStringLiteral("idle_timeout_ms=3000"), // no row leaves a session silent this long but its own
    QStringLiteral("max_replay_events=3"),
    QStringLiteral("max_history_page=5"),
    QStringLiteral("[documents]"),
    QStringLiteral("max_update_bytes=512"),
    QStringLiteral("max_document_bytes=1024"),
    QStringLiteral("[canvas]"),
    QStringLiteral("max_shapes=3"),
    QStringLiteral("max_clock_skew_ms=1000"),
    QStringLiteral("[http]"),
    QStringLiteral("max_header_bytes=1024"),
    QStringLiteral("max_body_bytes=1024"),
    QStringLiteral("header_timeout_ms=1000"),
    QStringLiteral("body_timeout_ms=1000"),
    QStringLiteral("idle_timeout_ms=1000"),
};

/// A row's own server with the default limits.
const QStringList Defaults{QStringLiteral("; the defaults")};

/// The server a row runs against, with the tokens of the users it has.
struct Target {
    ServerProcess &server;
    QHash<QString, QString> tokens;
};

/// Exceeds one limit and says how the server answered, in the words of the docs' table:
/// "close 1009", "error too_large", "error rate_limited, close 4008", "HTTP 413 too_large".
using Probe = std::function<QString(Target &)>;

QByteArray authFrame(const QString &token)
{
    return R"({"type":"auth","payload":{"token":")" + token.toLatin1() + R"("}})";
}

QByteArray frame(const char *type, const QJsonObject &payload, const QString &id = {},
                 const QString &cid = {})
{
    QJsonObject message{{QStringLiteral("type"), QLatin1String(type)}, {QStringLiteral("payload"), payload}};
    if (!id.isEmpty())
        message.insert(QStringLiteral("id"), id);
    if (!cid.isEmpty())
        message.insert(QStringLiteral("cid"), cid);
    return QJsonDocument(message).toJson(QJsonDocument::Compact);
}

QString typeOf(const QJsonObject &message)
{
    return message.value(QLatin1String("type")).toString();
}

QJsonObject payloadOf(const QJsonObject &message)
{
    return message.value(QLatin1String("payload")).toObject();
}

QString describe(const QString &error, int closeCode)
{
    QStringList parts;
    if (!error.isEmpty())
        parts << QStringLiteral("error ") + error;
    if (closeCode > 0)
        parts << QStringLiteral("close %1").arg(closeCode);
    return parts.isEmpty() ? QStringLiteral("no answer") : parts.join(QStringLiteral(", "));
}

/// Opens /ws and authenticates; false unless auth:ok came back.
bool authenticate(RawWebSocket &socket, Target &target, const QString &user)
{
    if (!socket.open(target.server.port()))
        return false;
    socket.sendText(authFrame(target.tokens.value(user)));
    const auto ok = socket.nextMessage();
    return ok && typeOf(*ok) == QLatin1String("auth:ok");
}

/// After `error` (empty: none): whether the connection stays open (it must still answer a ping)
/// or closes, and with what code.
QString settle(RawWebSocket &socket, const QString &error, int timeoutMs = 10000)
{
    if (socket.isOpen()) {
        socket.sendText(R"({"id":"still-open","type":"ping"})");
        while (const auto message = socket.nextMessage(timeoutMs)) {
            if (typeOf(*message) == QLatin1String("pong"))
                return describe(error, 0);
        }
    }
    return describe(error, socket.waitForClose(timeoutMs));
}

/// The server's answer to what was just sent: the first `error` (other messages are skipped), then
/// whether the connection stays open or closes.
QString answerOf(RawWebSocket &socket, int timeoutMs = 10000)
{
    QString error;
    while (const auto message = socket.nextMessage(timeoutMs)) {
        if (typeOf(*message) == QLatin1String("error")) {
            error = payloadOf(*message).value(QLatin1String("code")).toString();
            break;
        }
    }
    return settle(socket, error, timeoutMs);
}

/// The answer (answerOf) to what `send` sends on a session of alice's; "no session" without one.
QString answerToAlice(Target &target, const std::function<void(RawWebSocket &)> &send)
{
    RawWebSocket socket;
    if (!authenticate(socket, target, QStringLiteral("alice")))
        return QStringLiteral("no session");
    send(socket);
    return answerOf(socket);
}

/// The answer (answerOf) to authenticating with `token` on a new connection.
QString answerToAuth(Target &target, const QString &token)
{
    RawWebSocket socket;
    if (!socket.open(target.server.port()))
        return QStringLiteral("no connection");
    socket.sendText(authFrame(token));
    return answerOf(socket);
}

/// Reads one HTTP answer: its head and as much body as Content-Length says, or what came before
/// the server closed the connection.
QByteArray readAnswer(QTcpSocket &socket)
{
    QByteArray answer;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 10000) {
        const qsizetype headEnd = answer.indexOf("\r\n\r\n");
        if (headEnd >= 0) {
            qsizetype contentLength = 0;
            for (const QByteArray &line : answer.left(headEnd).split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    contentLength = line.mid(15).trimmed().toLongLong();
            }
            if (answer.size() >= headEnd + 4 + contentLength)
                break;
        }
        if (!socket.waitForReadyRead(50) && socket.state() != QAbstractSocket::ConnectedState) {
            answer += socket.readAll();
            break;
        }
        answer += socket.readAll();
    }
    return answer;
}

/// One HTTP exchange on a fresh connection: `request`, then `trailer` in 16 KiB pieces while the
/// server keeps reading. Answers "HTTP <status> <error code>", or what happened instead.
QString httpAnswer(quint16 port, const QByteArray &request, const QByteArray &trailer = {},
                   QTcpSocket *keep = nullptr)
{
    QTcpSocket ownSocket;
    QTcpSocket &socket = keep ? *keep : ownSocket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000))
        return QStringLiteral("no connection");
    socket.write(request);
    for (qsizetype offset = 0; offset < trailer.size() && socket.state() == QAbstractSocket::ConnectedState;
         offset += 16384) {
        socket.write(trailer.mid(offset, 16384));
        socket.waitForBytesWritten(1000);
        if (socket.bytesAvailable() > 0)
            break;
    }
    const QByteArray answer = readAnswer(socket);
    const QList<QByteArray> statusLine = answer.left(answer.indexOf("\r\n")).split(' ');
    if (statusLine.size() < 2)
        return socket.state() == QAbstractSocket::ConnectedState ? QStringLiteral("no answer")
                                                                 : QStringLiteral("connection closed");
    const QJsonObject body = QJsonDocument::fromJson(answer.mid(answer.indexOf("\r\n\r\n") + 4)).object();
    const QString code =
        body.value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString();
    return QStringLiteral("HTTP %1 %2").arg(QString::fromLatin1(statusLine.at(1)), code).trimmed();
}

/// GET /metrics on a keep-alive connection opened before a row runs, so that a row that
/// exhausts the server's new connections (or fills its cap) can still be read afterwards.
class MetricsReader {
public:
    explicit MetricsReader(quint16 port)
        : m_port(port)
    {
        // Opened now: the row may leave no room for a new connection afterwards.
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), m_port);
        m_socket.waitForConnected(5000);
    }

    /// The value of one sample, e.g. tandem_refusals_total{limit="message_rate"}; -1 if absent.
    double value(const QString &sample)
    {
        // The shared server closes an idle keep-alive connection after a second: then reconnect.
        for (int attempt = 0; attempt < 2; ++attempt) {
            if (m_socket.state() != QAbstractSocket::ConnectedState) {
                m_socket.abort();
                m_socket.connectToHost(QStringLiteral("127.0.0.1"), m_port);
                if (!m_socket.waitForConnected(5000))
                    return -1;
            }
            m_socket.write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
            const QByteArray answer = readAnswer(m_socket);
            if (!answer.startsWith("HTTP/1.1 200")) {
                m_socket.abort();
                continue;
            }
            for (const QByteArray &line : answer.mid(answer.indexOf("\r\n\r\n") + 4).split('\n')) {
                if (line.startsWith(sample.toUtf8() + ' '))
                    return line.mid(sample.size() + 1).toDouble();
            }
            return -1;
        }
        return -1;
    }

private:
    quint16 m_port;
    QTcpSocket m_socket;
};

/// A canvas op that deletes `shape`, stamped `aheadMs` after now (docs/CANVAS.md, HlcTimestamp text).
QJsonObject deleteOp(const QString &shape, qint64 aheadMs = 0)
{
    const QString stamp = QString::asprintf(
        "%015lld-%010u-%016llx", static_cast<long long>(QDateTime::currentMSecsSinceEpoch() + aheadMs), 0U,
        0x1234ULL);
    return {{QStringLiteral("op"), QStringLiteral("delete")},
            {QStringLiteral("shape"), shape},
            {QStringLiteral("stamp"), stamp}};
}

/// canvas:op with `ops` in `room` after joining it; the answer.
QString canvasAnswer(Target &target, const QString &room, const QJsonArray &ops)
{
    return answerToAlice(target, [&](RawWebSocket &socket) {
        socket.sendText(frame("room:join", {{QStringLiteral("roomId"), room}}));
        socket.sendText(frame("canvas:op", {{QStringLiteral("roomId"), room}, {QStringLiteral("ops"), ops}},
                              QStringLiteral("op"), QStringLiteral("cid-canvas")));
    });
}

// The rows' probes.

QString frameOverLimit(Target &target)
{
    return answerToAlice(target, [](RawWebSocket &socket) {
        socket.sendText(QByteArray(2000, 'x')); // one frame of 2000 bytes; the frame limit is 1024
    });
}

QString messageOverLimit(Target &target)
{
    return answerToAlice(target, [](RawWebSocket &socket) {
        // Five fragments of 1000 bytes: each under the frame limit (1024), together over the message
        // limit (4096).
        const QByteArray piece(1000, 'x');
        socket.sendFrame(RawWebSocket::Text, piece, false);
        for (int i = 0; i < 3; ++i)
            socket.sendFrame(RawWebSocket::Continuation, piece, false);
        socket.sendFrame(RawWebSocket::Continuation, piece, true);
    });
}

QString chatTextOverLimit(Target &target)
{
    return answerToAlice(target, [](RawWebSocket &socket) {
        socket.sendText(frame("chat:send", {{QStringLiteral("roomId"), QStringLiteral("limits")},
                                            {QStringLiteral("text"), QString(101, u'x')}}));
    });
}

QString messageFlood(Target &target)
{
    RawWebSocket socket;
    if (!authenticate(socket, target, QStringLiteral("alice")))
        return QStringLiteral("no session");
    // One ping at a time, each answered before the next: far over 2 a second, and the server never
    // holds unread input when it closes (which would turn the close frame into a TCP reset).
    int pongs = 0;
    QString error;
    QElapsedTimer flood;
    flood.start();
    for (int i = 0; i < 200 && socket.isOpen(); ++i) {
        socket.sendText(R"({"type":"ping"})");
        const auto answer = socket.nextMessage();
        if (!answer)
            break;
        if (typeOf(*answer) == QLatin1String("pong"))
            ++pongs;
        else if (error.isEmpty() && typeOf(*answer) == QLatin1String("error"))
            error = payloadOf(*answer).value(QLatin1String("code")).toString();
    }
    // The burst (10, less the auth message) passes first, and what drained meanwhile (2 a second).
    if (pongs < 9 || pongs > 9 + 2 * (flood.elapsed() / 1000 + 1))
        return QStringLiteral("%1 pings answered in %2 ms").arg(pongs).arg(flood.elapsed());
    return describe(error, socket.waitForClose());
}

QString cursorFlood(Target &target)
{
    const QString room = QStringLiteral("pointer");
    TestClient peer;
    if (!peer.connectAndAuthenticate(target.server.wsUrl(), target.tokens.value(QStringLiteral("alice"))) ||
        !peer.join(room))
        return QStringLiteral("no peer");
    RawWebSocket mover;
    if (!authenticate(mover, target, QStringLiteral("mover")))
        return QStringLiteral("no session");
    mover.sendText(frame("room:join", {{QStringLiteral("roomId"), room}}));
    while (const auto message = mover.nextMessage()) {
        if (typeOf(*message) == QLatin1String("room:joined"))
            break;
    }
    // One move at a time, each followed by a short look for the close: far over 1 a second.
    int sent = 0;
    int closeCode = -1;
    QElapsedTimer flood;
    flood.start();
    while (sent < 40 && closeCode < 0) {
        mover.sendText(frame(
            "cursor:move",
            {{QStringLiteral("roomId"), room}, {QStringLiteral("x"), sent}, {QStringLiteral("y"), sent}}));
        ++sent;
        closeCode = mover.waitForClose(30);
    }
    QString error;
    while (const auto message = mover.nextMessage(0)) {
        if (typeOf(*message) == QLatin1String("error"))
            error = payloadOf(*message).value(QLatin1String("code")).toString();
    }
    // Everything the server relayed reached the peer before the answer to the peer's own ping.
    peer.send(QStringLiteral("ping"));
    if (!peer.take(QStringLiteral("pong")))
        return QStringLiteral("peer lost");
    const auto relayed = peer.received(QStringLiteral("cursor:move")).size();
    // cursor_burst (5) pass, plus what drained meanwhile (1 a second); the rest are dropped.
    if (!error.isEmpty() || relayed < 5 || relayed > 5 + flood.elapsed() / 1000 + 1)
        return QStringLiteral("%1; %2 of %3 moves relayed")
            .arg(describe(error, closeCode))
            .arg(relayed)
            .arg(sent);
    return QStringLiteral("dropped silently, close %1").arg(closeCode);
}

QString connectionsPerUser(Target &target)
{
    const QString token = target.tokens.value(QStringLiteral("crowd"));
    std::vector<std::unique_ptr<TestClient>> admitted;
    for (int i = 0; i < 3; ++i) {
        admitted.push_back(std::make_unique<TestClient>());
        if (!admitted.back()->connectAndAuthenticate(target.server.wsUrl(), token))
            return QStringLiteral("connection %1 of 3 refused").arg(i + 1);
    }
    return answerToAuth(target, token); // the fourth
}

QString yjsConnectionsPerUser(Target &target)
{
    const QByteArray path = "/yjs/limits?token=" + target.tokens.value(QStringLiteral("alice")).toLatin1();
    std::vector<std::unique_ptr<RawWebSocket>> admitted;
    for (int i = 0; i < 3; ++i) {
        admitted.push_back(std::make_unique<RawWebSocket>());
        if (!admitted.back()->open(target.server.port(), path))
            return QStringLiteral("/yjs connection %1 of 3 refused").arg(i + 1);
    }
    // The first three stay: none of them is closed while the fourth is refused.
    RawWebSocket fourth;
    if (!fourth.open(target.server.port(), path))
        return QStringLiteral("no connection");
    const int closeCode = fourth.waitForClose();
    for (const auto &socket : admitted) {
        if (!socket->isOpen())
            return QStringLiteral("an admitted /yjs connection was closed");
    }
    return describe({}, closeCode);
}

QString roomsPerConnection(Target &target)
{
    RawWebSocket socket;
    if (!authenticate(socket, target, QStringLiteral("alice")))
        return QStringLiteral("no session");
    for (const char *room : {"rooms-1", "rooms-2", "rooms-3"})
        socket.sendText(
            frame("room:join", {{QStringLiteral("roomId"), QLatin1String(room)}}, QLatin1String(room)));
    int joined = 0;
    while (const auto message = socket.nextMessage()) {
        if (typeOf(*message) == QLatin1String("room:joined")) {
            ++joined;
        } else if (typeOf(*message) == QLatin1String("error")) {
            // The third join is the one refused.
            if (joined != 2 || payloadOf(*message).value(QLatin1String("ref")) != QLatin1String("rooms-3"))
                return QStringLiteral("refused after %1 rooms").arg(joined);
            return settle(socket, payloadOf(*message).value(QLatin1String("code")).toString());
        }
    }
    return describe({}, socket.waitForClose());
}

QString documentsPerConnection(Target &target)
{
    // alice is a member of all three rooms; documents count against the same limit as rooms.
    return answerToAlice(target, [](RawWebSocket &socket) {
        for (const char *room : {"limits", "docs-1", "docs-2"})
            socket.sendText(
                frame("doc:open", {{QStringLiteral("roomId"), QLatin1String(room)}}, QLatin1String(room)));
    });
}

QString historyPageOverLimit(Target &target)
{
    return answerToAlice(target, [](RawWebSocket &socket) {
        socket.sendText(frame("history:fetch", {{QStringLiteral("roomId"), QStringLiteral("limits")},
                                                {QStringLiteral("limit"), 6}}));
    });
}

QString historyPageOverLimitOverRest(Target &target)
{
    return httpAnswer(target.server.port(), "GET /api/rooms/limits/messages?limit=6 HTTP/1.1\r\nHost: x\r\n"
                                            "Authorization: Bearer " +
                                                target.tokens.value(QStringLiteral("alice")).toLatin1() +
                                                "\r\n\r\n");
}

QString resumeGapOverLimit(Target &target)
{
    const QString room = QStringLiteral("replay");
    TestClient writer;
    if (!writer.connectAndAuthenticate(target.server.wsUrl(), target.tokens.value(QStringLiteral("bob"))) ||
        !writer.join(room))
        return QStringLiteral("no writer");
    qint64 lastSeq = 0;
    for (int i = 1; i <= 4; ++i) {
        const auto ack = writer.chat(room, QStringLiteral("event %1").arg(i));
        if (!ack)
            return QStringLiteral("chat %1 refused").arg(i);
        lastSeq = ack->value(QLatin1String("seq")).toInteger();
    }
    // A gap of 3 (the limit) is replayed; a gap of 4 is not.
    TestClient within;
    if (!within.connectAndAuthenticate(target.server.wsUrl(), target.tokens.value(QStringLiteral("alice"))))
        return QStringLiteral("no session");
    const auto replayed = within.join(room, lastSeq - 3);
    if (!replayed || !payloadOf(*replayed).value(QLatin1String("recovered")).toBool() ||
        within.received(QStringLiteral("chat:message")).size() != 3)
        return QStringLiteral("a gap of 3 was not replayed");
    TestClient beyond;
    if (!beyond.connectAndAuthenticate(target.server.wsUrl(), target.tokens.value(QStringLiteral("alice"))))
        return QStringLiteral("no session");
    const auto joined = beyond.join(room, lastSeq - 4);
    if (!joined)
        return QStringLiteral("no room:joined");
    const auto replayedBeyond = beyond.received(QStringLiteral("chat:message")).size();
    return QStringLiteral("room:joined recovered:%1, %2")
        .arg(payloadOf(*joined).value(QLatin1String("recovered")).toBool() ? QStringLiteral("true")
                                                                           : QStringLiteral("false"),
             replayedBeyond == 0 ? QStringLiteral("nothing replayed")
                                 : QStringLiteral("%1 replayed").arg(replayedBeyond));
}

QString canvasShapesOverLimit(Target &target)
{
    QJsonArray ops;
    for (int i = 0; i < 4; ++i) // max_shapes is 3; deleting an unknown shape leaves a tombstone
        ops.append(deleteOp(QStringLiteral("shape-%1").arg(i)));
    return canvasAnswer(target, QStringLiteral("limits"), ops);
}

QString canvasClockSkew(Target &target)
{
    return canvasAnswer(target, QStringLiteral("limits"), {deleteOp(QStringLiteral("late"), 60000)});
}

QString canvasOpsPerMessage(Target &target)
{
    QJsonArray ops;
    for (int i = 0; i < 257; ++i)
        ops.append(deleteOp(QStringLiteral("shape-%1").arg(i)));
    return canvasAnswer(target, QStringLiteral("limits"), ops);
}

/// Sends document updates of `insertLength` characters until one is refused; the answer, and how
/// many were accepted (echoed) before it.
QString documentUpdates(Target &target, int insertLength, int *accepted)
{
    DocumentFramePeer peer;
    if (!peer.start(target.server.wsUrl(), target.tokens.value(QStringLiteral("alice"))))
        return QStringLiteral("no session");
    peer.open(QStringLiteral("docs-1"));
    *accepted = 0;
    for (int i = 0; i < 20; ++i) {
        peer.sendBinary(peer.insert(0, QString(insertLength, QLatin1Char(char('a' + i)))));
        // Accepted: the server echoes the update to its sender. Refused: an error naming the room.
        QElapsedTimer timer;
        timer.start();
        while (peer.updatesReceived == *accepted && peer.client.received(QStringLiteral("error")).isEmpty() &&
               timer.elapsed() < 10000)
            QTest::qWait(5);
        if (const auto errors = peer.client.received(QStringLiteral("error")); !errors.isEmpty())
            return QStringLiteral("error ") +
                   payloadOf(errors.first()).value(QLatin1String("code")).toString();
        if (peer.updatesReceived == *accepted)
            return QStringLiteral("no answer");
        *accepted = peer.updatesReceived;
    }
    return QStringLiteral("never refused");
}

QString documentUpdateOverLimit(Target &target)
{
    int accepted = 0;
    const QString answer = documentUpdates(target, 600, &accepted); // max_update_bytes is 512
    return accepted == 0 ? answer : QStringLiteral("%1 accepted").arg(accepted);
}

QString documentOverLimit(Target &target)
{
    // Updates of about 300 bytes, under max_update_bytes (512): the document's total (1024) refuses one.
    int accepted = 0;
    const QString answer = documentUpdates(target, 280, &accepted);
    return accepted >= 2 ? answer : QStringLiteral("%1 after %2 accepted").arg(answer).arg(accepted);
}

QString connectionCap(Target &target)
{
    // The cap (4) counts upgraded WebSockets: three open sessions and the row's metrics connection
    // fill it.
    std::vector<std::unique_ptr<RawWebSocket>> admitted;
    for (int i = 0; i < 3; ++i) {
        admitted.push_back(std::make_unique<RawWebSocket>());
        if (!admitted.back()->open(target.server.port()))
            return QStringLiteral("connection %1 of 3 refused").arg(i + 1);
    }
    return httpAnswer(target.server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
}

QString newConnectionsPerAddress(Target &target)
{
    // The burst (4) passes: the row's metrics connection and three more, each served and closed; the
    // next is refused before it is read.
    for (int i = 0; i < 3; ++i) {
        const QString answer = httpAnswer(target.server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        if (answer != QLatin1String("HTTP 200"))
            return QStringLiteral("connection %1: %2").arg(i + 1).arg(answer);
    }
    return httpAnswer(target.server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
}

QString headOverLimit(Target &target)
{
    return httpAnswer(target.server.port(),
                      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: ", QByteArray(4000, 'h') + "\r\n\r\n");
}

QString bodyOverLimit(Target &target)
{
    return httpAnswer(target.server.port(),
                      "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Content-Length: 4000\r\n\r\n",
                      QByteArray(4000, 'a'));
}

QString headTooSlow(Target &target)
{
    return httpAnswer(target.server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n");
}

QString bodyTooSlow(Target &target)
{
    return httpAnswer(target.server.port(),
                      "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{");
}

QString keepAliveIdle(Target &target)
{
    QTcpSocket socket;
    const QString first =
        httpAnswer(target.server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", {}, &socket);
    if (first != QLatin1String("HTTP 200"))
        return first;
    QElapsedTimer idle;
    idle.start();
    if (socket.state() == QAbstractSocket::ConnectedState && !socket.waitForDisconnected(10000))
        return QStringLiteral("still open");
    // Not a Connection: close answer: the server kept it open for a while (idle_timeout_ms is 1000).
    return idle.elapsed() >= 500 ? QStringLiteral("connection closed")
                                 : QStringLiteral("closed after %1 ms").arg(idle.elapsed());
}

QString noAuthentication(Target &target)
{
    RawWebSocket socket;
    if (!socket.open(target.server.port()))
        return QStringLiteral("no connection");
    return answerOf(socket);
}

QString silentSession(Target &target)
{
    return answerToAlice(target, [](RawWebSocket &) {}); // sends nothing more
}

QString expiredToken(Target &target)
{
    // An expired token, written into the database as a login 30 days ago would have left it
    // (token_ttl_seconds is at least a minute: too long to wait for).
    const QString token = QStringLiteral("expired-token-expired-token-expired-token-y");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("inject"));
        db.setDatabaseName(target.server.dataDir() + QStringLiteral("/tandem.db"));
        if (!db.open())
            return QStringLiteral("no database");
        QSqlQuery query(db);
        query.prepare(QStringLiteral(
            "INSERT INTO tokens (token_hash, user_id, expires_at, revoked) VALUES (?, ?, ?, 0)"));
        query.addBindValue(QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256));
        query.addBindValue(QStringLiteral("alice"));
        query.addBindValue(QStringLiteral("2020-01-01T00:00:00.000Z"));
        if (!query.exec())
            return query.lastError().text();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("inject"));
    return answerToAuth(target, token);
}

QString failedLogins(Target &target)
{
    const QByteArray body = R"({"username":"nobody","password":"guess!"})";
    const QByteArray login =
        "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: " + QByteArray::number(body.size()) +
        "\r\n\r\n" + body;
    for (int i = 1; i <= 10; ++i) {
        const QString answer = httpAnswer(target.server.port(), login);
        if (answer != QLatin1String("HTTP 401 unauthorized"))
            return QStringLiteral("attempt %1: %2").arg(i).arg(answer);
    }
    return httpAnswer(target.server.port(), login);
}

QString slowReader(Target &target)
{
    ServerProcess &server = target.server;
    // The sleeper joins and stops reading; small buffers on its side make the kernel push back early.
    RawWebSocket sleeper;
    if (!sleeper.open(server.port(), "/ws", 4096))
        return QStringLiteral("no connection");
    sleeper.socket().setReadBufferSize(4096);
    sleeper.sendText(authFrame(target.tokens.value(QStringLiteral("sleeper"))));
    sleeper.sendText(frame("room:join", {{QStringLiteral("roomId"), QStringLiteral("busy")}}));
    while (const auto message = sleeper.nextMessage()) {
        if (typeOf(*message) == QLatin1String("room:joined"))
            break;
    }
    TestClient talker;
    if (!talker.connectAndAuthenticate(server.wsUrl(), target.tokens.value(QStringLiteral("talker"))) ||
        !talker.join(QStringLiteral("busy")))
        return QStringLiteral("no talker");
    const QString text(8000, u'x');
    bool closed = false;
    for (int round = 0; round < 200 && !closed; ++round) {
        for (int i = 0; i < 20; ++i)
            talker.send(QStringLiteral("chat:send"),
                        {{QStringLiteral("roomId"), QStringLiteral("busy")}, {QStringLiteral("text"), text}});
        QElapsedTimer timer;
        timer.start();
        while (talker.received(QStringLiteral("ack")).size() < (round + 1) * 20 && talker.isOpen() &&
               timer.elapsed() < 20000)
            QTest::qWait(5);
        if (!talker.isOpen())
            return QStringLiteral("talker closed");
        for (const QByteArray &line : server.log().split('\n'))
            closed = closed || (line.contains("closing") && line.contains("outgoing queue at"));
    }
    // What was queued before the close still arrives, then the close frame says why.
    sleeper.socket().setReadBufferSize(0);
    return describe({}, sleeper.waitForClose(20000));
}

/// docs/OPERATIONS.md, "Limits": the line of the table that names this row.
QByteArray operationsLine(const QString &name)
{
    QFile file(QStringLiteral(TANDEM_DOCS_DIR "/OPERATIONS.md"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith("| " + name.toUtf8() + " |"))
            return line;
    }
    return {};
}

} // namespace

Q_DECLARE_METATYPE(Probe)

class TestLimitsTable : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void limitIsAnsweredWithItsDocumentedCode_data();
    void limitIsAnsweredWithItsDocumentedCode();

private:
    ServerProcess m_server{SharedLimits};
    QHash<QString, QString> m_tokens;
};

void TestLimitsTable::initTestCase()
{
    QVERIFY(m_server.start());
    for (const auto &[user, room] :
         {std::pair{"alice", "limits"}, {"bob", "replay"}, {"mover", "pointer"}, {"crowd", "crowd"}}) {
        const QString token = m_server.addMember(QLatin1String(user), QLatin1String(room));
        QVERIFY2(!token.isEmpty(), user);
        m_tokens.insert(QLatin1String(user), token);
    }
    // alice is a member of three rooms, one more than a connection may open documents of.
    for (const char *room : {"docs-1", "docs-2"}) {
        TestClient alice;
        QVERIFY(alice.connectAndAuthenticate(m_server.wsUrl(), m_tokens.value(QStringLiteral("alice"))));
        QVERIFY(alice.join(QLatin1String(room)));
    }
}

void TestLimitsTable::limitIsAnsweredWithItsDocumentedCode_data()
{
    QTest::addColumn<QString>("key");    ///< the config key, or "fixed"
    QTest::addColumn<QString>("answer"); ///< as docs/OPERATIONS.md words it
    QTest::addColumn<QString>("metric"); ///< the counter /metrics moves, as the docs write it; empty: none
    QTest::addColumn<Probe>("probe");    ///< exceeds the limit, says what came back
    QTest::addColumn<QStringList>("ownServer");  ///< config of a server of its own; empty: the shared one
    QTest::addColumn<QStringList>("ownMembers"); ///< user:room pairs to create on that server

    const auto row = [](const char *name, const char *key, const char *answer, const char *metric,
                        QString (*probe)(Target &), const QStringList &ownServer = {},
                        const QStringList &ownMembers = {}) {
        QTest::newRow(name) << QString::fromUtf8(key) << QString::fromUtf8(answer)
                            << QString::fromUtf8(metric) << Probe(probe) << ownServer << ownMembers;
    };

    // WebSocket sessions (/ws).
    row("WebSocket frame", "limits/max_frame_bytes", "close 1009", R"(refusals{limit="message_size"})",
        frameOverLimit);
    row("WebSocket message", "limits/max_message_bytes", "close 1009", R"(refusals{limit="message_size"})",
        messageOverLimit);
    row("chat text", "limits/max_text_length", "error too_large", "", chatTextOverLimit);
    row("message rate", "limits/messages_per_second", "error rate_limited, close 4008",
        R"(refusals{limit="message_rate"})", messageFlood);
    row("cursor rate", "limits/cursor_moves_per_second", "dropped silently, close 4008",
        R"(refusals{limit="cursor_rate"})", cursorFlood);
    row("sessions per user", "limits/max_connections_per_user", "error rate_limited, close 4008",
        R"(refusals{limit="connections_per_user"})", connectionsPerUser);
    row("/yjs sockets per user", "limits/max_connections_per_user", "close 4008",
        R"(refusals{limit="connections_per_user"})", yjsConnectionsPerUser);
    row("rooms per session", "limits/max_rooms_per_connection", "error rate_limited",
        R"(refusals{limit="rooms_per_connection"})", roomsPerConnection);
    row("documents per session", "limits/max_rooms_per_connection", "error rate_limited",
        R"(refusals{limit="rooms_per_connection"})", documentsPerConnection);
    row("authentication time", "limits/auth_timeout_ms", "close 4001", R"(disconnects{reason="auth_failed"})",
        noAuthentication);
    row("silent session", "limits/idle_timeout_ms", "close 4000", R"(disconnects{reason="idle"})",
        silentSession);
    row("token lifetime", "auth/token_ttl_seconds", "error unauthorized, close 4001",
        R"(disconnects{reason="auth_failed"})", expiredToken);
    row("history page", "limits/max_history_page", "error bad_request", "", historyPageOverLimit);
    row("history page over REST", "limits/max_history_page", "HTTP 400 bad_request", "",
        historyPageOverLimitOverRest);
    row("resume gap", "limits/max_replay_events", "room:joined recovered:false, nothing replayed", "",
        resumeGapOverLimit);
    row("slow reader", "limits/outgoing_hard_limit_bytes", "close 1013", R"(disconnects{reason="too_slow"})",
        slowReader,
        {QStringLiteral("[limits]"), QStringLiteral("outgoing_soft_limit_bytes=1024"),
         QStringLiteral("outgoing_hard_limit_bytes=4096"), QStringLiteral("messages_per_second=100000"),
         QStringLiteral("burst=100000")},
        {QStringLiteral("sleeper:busy"), QStringLiteral("talker:busy")});

    // Documents and canvases.
    row("document update", "documents/max_update_bytes", "error too_large",
        R"(refusals{limit="document_update_size"})", documentUpdateOverLimit);
    row("document size", "documents/max_document_bytes", "error too_large",
        R"(refusals{limit="document_size"})", documentOverLimit);
    row("canvas shapes", "canvas/max_shapes", "error too_large", R"(refusals{limit="canvas_shapes"})",
        canvasShapesOverLimit);
    row("canvas clock skew", "canvas/max_clock_skew_ms", "error bad_request", "", canvasClockSkew);
    row("canvas ops per message", "fixed", "error too_large", "", canvasOpsPerMessage, Defaults,
        {QStringLiteral("alice:limits")});

    // HTTP, before any protocol.
    row("connections per instance", "http/max_connections", "HTTP 503 rate_limited",
        R"(refusals{limit="connection_cap"})", connectionCap,
        {QStringLiteral("[http]"), QStringLiteral("max_connections=4")});
    row("new connections per address", "http/new_connection_burst_per_address", "HTTP 429 rate_limited",
        R"(refusals{limit="new_connections_per_address"})", newConnectionsPerAddress,
        {QStringLiteral("[http]"), QStringLiteral("new_connection_burst_per_address=4"),
         QStringLiteral("new_connections_per_second_per_address=0.01")});
    row("request head size", "http/max_header_bytes", "HTTP 431 too_large",
        R"(refusals{limit="header_size"})", headOverLimit);
    row("request body size", "http/max_body_bytes", "HTTP 413 too_large", R"(refusals{limit="body_size"})",
        bodyOverLimit);
    row("request head time", "http/header_timeout_ms", "HTTP 408 bad_request",
        R"(refusals{limit="header_timeout"})", headTooSlow);
    row("request body time", "http/body_timeout_ms", "HTTP 408 bad_request",
        R"(refusals{limit="body_timeout"})", bodyTooSlow);
    row("idle keep-alive", "http/idle_timeout_ms", "connection closed", "", keepAliveIdle);
    row("failed logins per address", "fixed", "HTTP 429 rate_limited", R"(refusals{limit="failed_logins"})",
        failedLogins, Defaults);
}

void TestLimitsTable::limitIsAnsweredWithItsDocumentedCode()
{
    QFETCH(QString, key);
    QFETCH(QString, answer);
    QFETCH(QString, metric);
    QFETCH(Probe, probe);
    QFETCH(QStringList, ownServer);
    QFETCH(QStringList, ownMembers);

    std::unique_ptr<ServerProcess> own;
    QHash<QString, QString> ownTokens;
    if (!ownServer.isEmpty()) {
        own = std::make_unique<ServerProcess>(ownServer);
        QVERIFY(own->start());
        for (const QString &member : std::as_const(ownMembers)) {
            const QString user = member.section(u':', 0, 0);
            const QString token = own->addMember(user, member.section(u':', 1));
            QVERIFY2(!token.isEmpty(), qPrintable(member));
            ownTokens.insert(user, token);
        }
    }
    Target target{own ? *own : m_server, own ? ownTokens : m_tokens};

    // "refusals{limit=\"x\"}" is the sample tandem_refusals_total{limit="x"}.
    const QString sample =
        QStringLiteral("tandem_%1_total%2").arg(metric.section(u'{', 0, 0), u'{' + metric.section(u'{', 1));
    MetricsReader metrics(target.server.port());
    const double before = metric.isEmpty() ? 0 : metrics.value(sample);
    QVERIFY2(before >= 0, qPrintable(sample));

    QCOMPARE(probe(target), answer);

    // Counted where operators look.
    if (!metric.isEmpty())
        QTRY_VERIFY2_WITH_TIMEOUT(metrics.value(sample) > before, qPrintable(sample), 10000);

    // The operators' table says the same.
    const QByteArray line = operationsLine(QString::fromUtf8(QTest::currentDataTag()));
    QVERIFY2(!line.isEmpty(), "no row for this limit in docs/OPERATIONS.md, \"Limits\"");
    if (key != QLatin1String("fixed")) {
        const QString written =
            QStringLiteral("`[%1] %2`").arg(key.section(u'/', 0, 0), key.section(u'/', 1));
        QVERIFY2(line.contains(written.toUtf8()), line.constData());
    }
    QVERIFY2(line.contains(answer.toUtf8()), line.constData());
    if (!metric.isEmpty())
        QVERIFY2(line.contains('`' + metric.toUtf8() + '`'), line.constData());
}

QTEST_GUILESS_MAIN(TestLimitsTable)
#include "tst_limitstable.moc"
