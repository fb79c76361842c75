// Versioned entities end to end on a real server (docs/PROTOCOL.md
// "Versioned entities"): entity:patch over the socket and PATCH over REST share
// one version check; a stale base is a conflict carrying the current state; a
// retried cid gets its original ack; changes are stored room events that a
// resume replays; only a message's author or the room's owner may change it.
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using tandem::test::ServerProcess;
using tandem::test::TestClient;

namespace {

const QString Room = QStringLiteral("plans");

QJsonObject payloadOf(const QJsonObject &message)
{
    return message.value(QLatin1String("payload")).toObject();
}

QJsonObject topicPatch(const QString &topic, qint64 baseVersion)
{
    return {{QStringLiteral("roomId"), Room},
            {QStringLiteral("entity"), QStringLiteral("room")},
            {QStringLiteral("baseVersion"), baseVersion},
            {QStringLiteral("patch"), QJsonObject{{QStringLiteral("topic"), topic}}}};
}

} // namespace

class TestEntities : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void joinCarriesRoomWideEntities();
    void patchIsAckedWithItsVersionAndBroadcast();
    void staleBaseIsAConflictWithTheCurrentState();
    void retriedCidGetsTheOriginalAck();
    void onlyAuthorOrOwnerChangeAMessage();
    void restPatchSharesTheVersionCheck();
    void resumeReplaysTheChanges();

private:
    /// Sends entity:patch and returns the answer (ack or error) naming it.
    QJsonObject patch(TestClient &client, const QJsonObject &payload, const QString &cid);
    /// An HTTP request with ada's token; returns (status, JSON body).
    QPair<int, QJsonObject> http(const QByteArray &method, const QString &path, const QJsonObject &body = {});

    ServerProcess m_server;
    QString m_adaToken;
    TestClient m_ada;
    TestClient m_bob;
    TestClient m_eve;
    int m_nextCid = 0;
};

void TestEntities::initTestCase()
{
    QVERIFY(m_server.start());
    for (const char *name : {"ada", "bob", "eve"})
        QVERIFY(m_server.addUser(QString::fromLatin1(name)));
    m_adaToken = m_server.login(QStringLiteral("ada"));
    QVERIFY(m_ada.connectAndAuthenticate(m_server.wsUrl(), m_adaToken));
    QVERIFY(m_bob.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("bob"))));
    QVERIFY(m_eve.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("eve"))));
    QVERIFY(m_ada.join(Room)); // ada creates and owns it
    QVERIFY(m_bob.join(Room));
    QVERIFY(m_eve.join(Room));
}

QJsonObject TestEntities::patch(TestClient &client, const QJsonObject &payload, const QString &cid)
{
    const QString id = client.send(QStringLiteral("entity:patch"), payload, cid);
    const auto names = [id](const QJsonObject &message) {
        return payloadOf(message).value(QLatin1String("ref")).toString() == id;
    };
    if (auto ack = client.take(QStringLiteral("ack"), 3000, names))
        return *ack;
    return client.take(QStringLiteral("error"), 3000, names).value_or(QJsonObject{});
}

QPair<int, QJsonObject> TestEntities::http(const QByteArray &method, const QString &path,
                                           const QJsonObject &body)
{
    QNetworkAccessManager network;
    QNetworkRequest request(m_server.httpUrl(path));
    request.setRawHeader("Authorization", "Bearer " + m_adaToken.toLatin1());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *reply = network.sendCustomRequest(request, method, QJsonDocument(body).toJson());
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(10000))
        return {0, {}};
    reply->deleteLater();
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
            QJsonDocument::fromJson(reply->readAll()).object()};
}

void TestEntities::joinCarriesRoomWideEntities()
{
    TestClient late;
    QVERIFY(late.connectAndAuthenticate(m_server.wsUrl(), m_adaToken));
    const auto joined = late.join(Room);
    QVERIFY(joined);
    const QJsonArray entities = payloadOf(*joined).value(QLatin1String("entities")).toArray();
    QStringList names;
    for (const QJsonValue &entity : entities)
        names.append(entity.toObject().value(QLatin1String("entity")).toString());
    QCOMPARE(names, (QStringList{QStringLiteral("room"), QStringLiteral("document")}));
}

void TestEntities::patchIsAckedWithItsVersionAndBroadcast()
{
    const qint64 base = http("GET", QStringLiteral("/api/entities/plans/room"))
                            .second.value(QLatin1String("version"))
                            .toInteger();
    const QJsonObject ack = patch(m_ada, topicPatch(QStringLiteral("Q3 planning"), base),
                                  QStringLiteral("t-%1").arg(++m_nextCid));
    QCOMPARE(ack.value(QLatin1String("type")).toString(), QStringLiteral("ack"));
    QCOMPARE(payloadOf(ack).value(QLatin1String("version")).toInteger(), base + 1);
    QCOMPARE(payloadOf(ack).value(QLatin1String("entity")).toString(), QStringLiteral("room"));
    const auto changed = m_bob.take(QStringLiteral("entity:changed"), 5000, [&](const QJsonObject &m) {
        return payloadOf(m).value(QLatin1String("version")).toInteger() == base + 1;
    });
    QVERIFY(changed);
    QCOMPARE(payloadOf(*changed).value(QLatin1String("value")).toObject().value(QLatin1String("topic")),
             QJsonValue(QStringLiteral("Q3 planning")));
    QCOMPARE(payloadOf(*changed).value(QLatin1String("by")).toString(), QStringLiteral("ada"));
    QVERIFY(changed->value(QLatin1String("seq")).toInteger() > 0); // a stored room event
}

void TestEntities::staleBaseIsAConflictWithTheCurrentState()
{
    const qint64 version = http("GET", QStringLiteral("/api/entities/plans/room"))
                               .second.value(QLatin1String("version"))
                               .toInteger();
    QVERIFY(
        patch(m_bob, topicPatch(QStringLiteral("bob's"), version), QStringLiteral("b-%1").arg(++m_nextCid))
            .value(QLatin1String("type")) == QJsonValue(QStringLiteral("ack")));
    const QJsonObject error =
        patch(m_ada, topicPatch(QStringLiteral("ada's"), version), QStringLiteral("a-%1").arg(++m_nextCid));
    QCOMPARE(payloadOf(error).value(QLatin1String("code")).toString(), QStringLiteral("conflict"));
    const QJsonObject current = payloadOf(error).value(QLatin1String("current")).toObject();
    QCOMPARE(current.value(QLatin1String("version")).toInteger(), version + 1);
    QCOMPARE(current.value(QLatin1String("by")).toString(), QStringLiteral("bob"));
    QCOMPARE(current.value(QLatin1String("value")).toObject().value(QLatin1String("topic")),
             QJsonValue(QStringLiteral("bob's")));
}

void TestEntities::retriedCidGetsTheOriginalAck()
{
    const qint64 version = http("GET", QStringLiteral("/api/entities/plans/room"))
                               .second.value(QLatin1String("version"))
                               .toInteger();
    const QString cid = QStringLiteral("retry-%1").arg(++m_nextCid);
    const QJsonObject first = patch(m_ada, topicPatch(QStringLiteral("once"), version), cid);
    const QJsonObject again = patch(m_ada, topicPatch(QStringLiteral("once"), version), cid);
    QCOMPARE(again.value(QLatin1String("type")).toString(), QStringLiteral("ack"));
    QCOMPARE(payloadOf(again).value(QLatin1String("seq")), payloadOf(first).value(QLatin1String("seq")));
    QCOMPARE(payloadOf(again).value(QLatin1String("version")),
             payloadOf(first).value(QLatin1String("version")));
    QCOMPARE(http("GET", QStringLiteral("/api/entities/plans/room"))
                 .second.value(QLatin1String("version"))
                 .toInteger(),
             version + 1);
}

void TestEntities::onlyAuthorOrOwnerChangeAMessage()
{
    const auto sent = m_bob.chat(Room, QStringLiteral("helo"));
    QVERIFY(sent);
    const QString entity = QStringLiteral("message/") + sent->value(QLatin1String("messageId")).toString();
    const auto edit = [&](const QString &text, qint64 base) {
        return QJsonObject{{QStringLiteral("roomId"), Room},
                           {QStringLiteral("entity"), entity},
                           {QStringLiteral("baseVersion"), base},
                           {QStringLiteral("patch"), QJsonObject{{QStringLiteral("text"), text}}}};
    };
    QCOMPARE(
        payloadOf(patch(m_eve, edit(QStringLiteral("hijack"), 1), QStringLiteral("e-%1").arg(++m_nextCid)))
            .value(QLatin1String("code"))
            .toString(),
        QStringLiteral("forbidden"));
    QCOMPARE(patch(m_bob, edit(QStringLiteral("hello"), 1), QStringLiteral("b-%1").arg(++m_nextCid))
                 .value(QLatin1String("type"))
                 .toString(),
             QStringLiteral("ack"));
    // The owner moderates: the edit lands, and the author's next edit on the old version conflicts.
    QCOMPARE(
        patch(m_ada, edit(QStringLiteral("hello (moderated)"), 2), QStringLiteral("a-%1").arg(++m_nextCid))
            .value(QLatin1String("type"))
            .toString(),
        QStringLiteral("ack"));
    const QJsonObject conflict =
        patch(m_bob, edit(QStringLiteral("hello!"), 2), QStringLiteral("b-%1").arg(++m_nextCid));
    QCOMPARE(payloadOf(conflict).value(QLatin1String("code")).toString(), QStringLiteral("conflict"));
    QCOMPARE(
        payloadOf(conflict).value(QLatin1String("current")).toObject().value(QLatin1String("by")).toString(),
        QStringLiteral("ada"));
}

void TestEntities::restPatchSharesTheVersionCheck()
{
    const auto [status, current] = http("GET", QStringLiteral("/api/entities/plans/document"));
    QCOMPARE(status, 200);
    const qint64 version = current.value(QLatin1String("version")).toInteger();
    const QJsonObject change{
        {QStringLiteral("baseVersion"), version},
        {QStringLiteral("patch"), QJsonObject{{QStringLiteral("title"), QStringLiteral("Roadmap")}}}};
    const auto [okStatus, written] = http("PATCH", QStringLiteral("/api/entities/plans/document"), change);
    QCOMPARE(okStatus, 200);
    QCOMPARE(written.value(QLatin1String("version")).toInteger(), version + 1);
    const auto [conflictStatus, conflict] =
        http("PATCH", QStringLiteral("/api/entities/plans/document"), change);
    QCOMPARE(conflictStatus, 409);
    QCOMPARE(conflict.value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString(),
             QStringLiteral("conflict"));
    QCOMPARE(conflict.value(QLatin1String("current")).toObject().value(QLatin1String("version")).toInteger(),
             version + 1);
    // The socket sees the REST change as any other.
    QVERIFY(m_bob.take(QStringLiteral("entity:changed"), 5000, [](const QJsonObject &m) {
        return payloadOf(m).value(QLatin1String("entity")).toString() == QLatin1String("document");
    }));
    QCOMPARE(http("GET", QStringLiteral("/api/entities/plans/message/nope")).first, 404);
    QCOMPARE(http("PATCH", QStringLiteral("/api/entities/plans/room"), {{QStringLiteral("patch"), 1}}).first,
             400);
}

void TestEntities::resumeReplaysTheChanges()
{
    TestClient late;
    QVERIFY(late.connectAndAuthenticate(m_server.wsUrl(), m_adaToken));
    QVERIFY(late.join(Room, 0));
    QList<qint64> versions;
    for (const QJsonObject &event : late.received(QStringLiteral("entity:changed"))) {
        if (payloadOf(event).value(QLatin1String("entity")).toString() == QLatin1String("room"))
            versions.append(payloadOf(event).value(QLatin1String("version")).toInteger());
    }
    QVERIFY(versions.size() >= 3);
    for (qsizetype i = 1; i < versions.size(); ++i)
        QCOMPARE(versions.at(i), versions.at(i - 1) + 1); // every change, in order, once
}

QTEST_GUILESS_MAIN(TestEntities)
#include "tst_entities.moc"
