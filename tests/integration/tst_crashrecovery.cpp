// kill -9 in the middle of a burst: five clients each send 200 messages, the
// server dies mid-stream and comes back on the same data folder. Every
// acknowledged message must be stored exactly once, in seq order; clients
// that re-send what was not acknowledged create no duplicates; clients that
// resume with `since` end with identical logs.

#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace tandem::test;

namespace {
constexpr int Clients = 5;
constexpr int MessagesPerClient = 200;
const QString Room = QStringLiteral("crash");

QJsonObject payloadOf(const QJsonObject &message)
{
    return message.value(QLatin1String("payload")).toObject();
}

QString cidFor(int client, int index)
{
    return QStringLiteral("c%1-%2").arg(client).arg(index);
}

/// seq -> message id of every chat:message the client received, in arrival order.
QList<QPair<qint64, QString>> logOf(const TestClient &client)
{
    QList<QPair<qint64, QString>> log;
    for (const QJsonObject &message : client.received(QStringLiteral("chat:message")))
        log.append(
            {message.value(QLatin1String("seq")).toInteger(), message.value(QLatin1String("id")).toString()});
    return log;
}

/// The whole room history through the REST API, oldest first.
QList<QJsonObject> fullHistory(ServerProcess &server, const QString &token)
{
    QList<QJsonObject> history;
    QNetworkAccessManager network;
    QString before;
    for (;;) {
        QNetworkRequest request(
            server.httpUrl(QStringLiteral("/api/rooms/%1/messages?limit=200%2").arg(Room, before)));
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
        QNetworkReply *reply = network.get(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!finished.wait(10000))
            return {};
        reply->deleteLater();
        const QJsonObject page = QJsonDocument::fromJson(reply->readAll()).object();
        QList<QJsonObject> messages;
        for (const QJsonValue &message : page.value(QLatin1String("messages")).toArray())
            messages.append(message.toObject());
        history = messages + history;
        if (!page.value(QLatin1String("hasMore")).toBool() || messages.isEmpty())
            return history;
        before = QStringLiteral("&before=%1").arg(messages.first().value(QLatin1String("seq")).toInteger());
    }
}
} // namespace

class TestCrashRecovery : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void killDuringBurstLosesNothingAcknowledged();
};

void TestCrashRecovery::killDuringBurstLosesNothingAcknowledged()
{
    ServerProcess server{{QStringLiteral("[limits]"), QStringLiteral("messages_per_second=100000"),
                          QStringLiteral("burst=100000")}};
    QVERIFY(server.start());
    for (int c = 0; c < Clients; ++c)
        QVERIFY(server.addUser(QStringLiteral("user%1").arg(c)));

    std::vector<std::unique_ptr<TestClient>> clients;
    for (int c = 0; c < Clients; ++c) {
        clients.push_back(std::make_unique<TestClient>());
        QVERIFY(clients.back()->connectAndAuthenticate(server.wsUrl(),
                                                       server.login(QStringLiteral("user%1").arg(c))));
        QVERIFY(clients.back()->join(Room));
    }

    // Everyone sends everything at once, without waiting for acks.
    for (int i = 0; i < MessagesPerClient; ++i) {
        for (int c = 0; c < Clients; ++c)
            clients[c]->send(
                QStringLiteral("chat:send"),
                {{QStringLiteral("roomId"), Room}, {QStringLiteral("text"), QStringLiteral("msg %1").arg(i)}},
                cidFor(c, i));
    }
    auto ackCount = [&] {
        int total = 0;
        for (const auto &client : clients)
            total += static_cast<int>(client->received(QStringLiteral("ack")).size());
        return total;
    };
    // Kill once some, but not all, messages are confirmed.
    QTRY_VERIFY_WITH_TIMEOUT(ackCount() >= 100, 20000);
    server.kill();
    const int acksAtKill = ackCount();
    qInfo() << "killed after" << acksAtKill << "of" << Clients * MessagesPerClient << "acks";
    for (const auto &client : clients)
        QVERIFY(client->waitForClose());

    // What each client knows was confirmed before the crash.
    QHash<QString, QPair<qint64, QString>> acked; // cid -> (seq, message id)
    for (const auto &client : clients) {
        for (const QJsonObject &ack : client->received(QStringLiteral("ack"))) {
            const QJsonObject payload = payloadOf(ack);
            acked.insert(payload.value(QLatin1String("cid")).toString(),
                         {payload.value(QLatin1String("seq")).toInteger(),
                          payload.value(QLatin1String("messageId")).toString()});
        }
    }

    QVERIFY(server.start());
    const QString reader = server.login(QStringLiteral("user0"));
    const QList<QJsonObject> afterCrash = fullHistory(server, reader);
    QHash<QString, int> timesStored;
    for (qsizetype i = 0; i < afterCrash.size(); ++i) {
        QCOMPARE(afterCrash.at(i).value(QLatin1String("seq")).toInteger(), i + 1); // gap-free, in order
        ++timesStored[afterCrash.at(i).value(QLatin1String("cid")).toString()];
    }
    for (auto it = acked.cbegin(); it != acked.cend(); ++it) {
        QVERIFY2(timesStored.value(it.key()) == 1, qPrintable(it.key()));
        const QJsonObject stored = afterCrash.at(it.value().first - 1);
        QCOMPARE(stored.value(QLatin1String("cid")).toString(), it.key());
        QCOMPARE(stored.value(QLatin1String("id")).toString(), it.value().second);
    }

    // Resume: every client rejoins from the last seq it applied and re-sends
    // everything it never saw acknowledged, with the same cid.
    std::vector<std::unique_ptr<TestClient>> resumed;
    for (int c = 0; c < Clients; ++c) {
        const auto log = logOf(*clients[c]);
        const qint64 since = log.isEmpty() ? 0 : log.last().first;
        resumed.push_back(std::make_unique<TestClient>());
        QVERIFY(resumed.back()->connectAndAuthenticate(server.wsUrl(),
                                                       server.login(QStringLiteral("user%1").arg(c))));
        const auto joined = resumed.back()->join(Room, since);
        QVERIFY(joined);
        QVERIFY(payloadOf(*joined).value(QLatin1String("recovered")).toBool());
    }
    for (int c = 0; c < Clients; ++c) {
        for (int i = 0; i < MessagesPerClient; ++i) {
            if (!acked.contains(cidFor(c, i)))
                resumed[c]->send(QStringLiteral("chat:send"),
                                 {{QStringLiteral("roomId"), Room},
                                  {QStringLiteral("text"), QStringLiteral("msg %1").arg(i)}},
                                 cidFor(c, i));
        }
    }
    const int expectedTotal = Clients * MessagesPerClient;
    auto fullLog = [&](int c) {
        return logOf(*clients[c]) + logOf(*resumed[c]);
    };
    for (int c = 0; c < Clients; ++c)
        QTRY_COMPARE_WITH_TIMEOUT(fullLog(c).size(), expectedTotal, 30000);

    const QList<QJsonObject> finalHistory = fullHistory(server, reader);
    QCOMPARE(finalHistory.size(), expectedTotal);
    QSet<QString> cids;
    QList<QPair<qint64, QString>> serverLog;
    for (const QJsonObject &message : finalHistory) {
        cids.insert(message.value(QLatin1String("cid")).toString());
        serverLog.append(
            {message.value(QLatin1String("seq")).toInteger(), message.value(QLatin1String("id")).toString()});
    }
    QCOMPARE(cids.size(), expectedTotal); // every message exactly once
    for (int c = 0; c < Clients; ++c)
        QCOMPARE(fullLog(c), serverLog); // identical logs, in seq order, nothing repeated
}

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "tst_crashrecovery.moc"
