// The envelope's wire form: field names, timestamp format, optional fields.

#include "core/protocol/Envelope.h"
#include "core/protocol/ServerMessage.h"

#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace tandem::protocol;

class TestEnvelope : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void encodesGuideFields();
    void roomEventsCarryRoomAndSeq();
    void errorNamesCodeAndRef();
    void idsAreUnique();
};

void TestEnvelope::encodesGuideFields()
{
    const QDateTime ts(QDate(2026, 11, 28), QTime(18, 15, 19, 7), Qt::UTC);
    const Envelope envelope = makeEnvelope(QLatin1StringView("presence:update"),
                                           {{QStringLiteral("userId"), QStringLiteral("ada")}}, ts);
    const QJsonObject json = QJsonDocument::fromJson(envelope.encode()).object();
    QCOMPARE(json.value(QLatin1String("type")).toString(), QStringLiteral("presence:update"));
    QCOMPARE(json.value(QLatin1String("ts")).toString(), QStringLiteral("2026-11-28T18:15:19.007Z"));
    QCOMPARE(json.value(QLatin1String("id")).toString(), envelope.id);
    QCOMPARE(json.value(QLatin1String("payload")).toObject().value(QLatin1String("userId")).toString(),
             QStringLiteral("ada"));
    QVERIFY(!json.contains(QLatin1String("seq")));
    QVERIFY(!json.contains(QLatin1String("room")));
    QVERIFY(!json.contains(QLatin1String("cid")));
}

void TestEnvelope::roomEventsCarryRoomAndSeq()
{
    Envelope envelope = makeEnvelope(QLatin1StringView("chat:message"), {}, QDateTime::currentDateTimeUtc());
    envelope.room = QStringLiteral("general");
    envelope.seq = 9007199254740991;
    envelope.cid = QStringLiteral("c1");
    const QJsonObject json = QJsonDocument::fromJson(envelope.encode()).object();
    QCOMPARE(json.value(QLatin1String("room")).toString(), QStringLiteral("general"));
    QCOMPARE(json.value(QLatin1String("seq")).toInteger(), 9007199254740991);
    QCOMPARE(json.value(QLatin1String("cid")).toString(), QStringLiteral("c1"));
}

void TestEnvelope::errorNamesCodeAndRef()
{
    const Envelope envelope = makeError({ErrorCode::RateLimited, QStringLiteral("slow down")},
                                        QStringLiteral("m7"), QDateTime::currentDateTimeUtc());
    const QJsonObject payload =
        QJsonDocument::fromJson(envelope.encode()).object().value(QLatin1String("payload")).toObject();
    QCOMPARE(payload.value(QLatin1String("code")).toString(), QStringLiteral("rate_limited"));
    QCOMPARE(payload.value(QLatin1String("message")).toString(), QStringLiteral("slow down"));
    QCOMPARE(payload.value(QLatin1String("ref")).toString(), QStringLiteral("m7"));
    QCOMPARE(errorCodeFromString(QStringLiteral("rate_limited")), ErrorCode::RateLimited);
    QCOMPARE(errorCodeFromString(QStringLiteral("nonsense")), ErrorCode::Internal);
    QCOMPARE(httpStatus(ErrorCode::TooLarge), 413);
}

void TestEnvelope::idsAreUnique()
{
    QSet<QString> ids;
    for (int i = 0; i < 10000; ++i)
        ids.insert(newMessageId());
    QCOMPARE(ids.size(), 10000);
}

QTEST_GUILESS_MAIN(TestEnvelope)
#include "tst_envelope.moc"
