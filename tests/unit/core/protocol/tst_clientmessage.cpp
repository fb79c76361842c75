// Decoding and validation of client -> server messages: every accepted shape
// and every rejected one, each with the error code the client will see.

#include "core/protocol/ClientMessage.h"

#include <QTest>

using namespace tandem::protocol;

class TestClientMessage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rejectsMalformed_data();
    void rejectsMalformed();
    void decodesGuideChatSendUnchanged();
    void decodesEveryType_data();
    void decodesEveryType();
    void roomJoinCarriesSinceAndPrivacy();
    void historyFetchDefaultsAndBounds();
    void textLimitCountsUtf16Units();
    void refIsIdOrType();
};

void TestClientMessage::rejectsMalformed_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<ErrorCode>("expected");

    const auto bad = ErrorCode::BadRequest;
    QTest::addRow("empty") << QByteArray() << bad;
    QTest::addRow("not json") << QByteArray("hello") << bad;
    QTest::addRow("truncated") << QByteArray(R"({"type":"chat:send")") << bad;
    QTest::addRow("array") << QByteArray(R"([1,2])") << bad;
    QTest::addRow("string") << QByteArray(R"("chat:send")") << bad;
    QTest::addRow("no type") << QByteArray(R"({"payload":{}})") << bad;
    QTest::addRow("type number") << QByteArray(R"({"type":7})") << bad;
    QTest::addRow("unknown type") << QByteArray(R"({"type":"chat:explode","payload":{}})") << bad;
    QTest::addRow("payload array") << QByteArray(R"({"type":"ping","payload":[]})") << bad;
    QTest::addRow("payload string") << QByteArray(R"({"type":"ping","payload":"x"})") << bad;
    QTest::addRow("id number") << QByteArray(R"({"id":5,"type":"ping"})") << bad;
    QTest::addRow("id empty") << QByteArray(R"({"id":"","type":"ping"})") << bad;
    QTest::addRow("id with space") << QByteArray(R"({"id":"a b","type":"ping"})") << bad;
    QTest::addRow("cid number") << QByteArray(R"({"cid":1,"type":"ping"})") << bad;
    QTest::addRow("cid too long") << (R"({"cid":")" + QByteArray(129, 'c') + R"(","type":"ping"})") << bad;
    QTest::addRow("version 2") << QByteArray(R"({"v":2,"type":"ping"})") << ErrorCode::UnsupportedVersion;
    QTest::addRow("version string") << QByteArray(R"({"v":"1","type":"ping"})")
                                    << ErrorCode::UnsupportedVersion;
    QTest::addRow("chat missing roomId")
        << QByteArray(R"({"type":"chat:send","payload":{"text":"hi"}})") << bad;
    QTest::addRow("chat roomId number")
        << QByteArray(R"({"type":"chat:send","payload":{"roomId":3,"text":"hi"}})") << bad;
    QTest::addRow("chat roomId slash")
        << QByteArray(R"({"type":"chat:send","payload":{"roomId":"a/b","text":"x"}})") << bad;
    QTest::addRow("chat roomId too long")
        << (R"({"type":"chat:send","payload":{"roomId":")" + QByteArray(65, 'r') + R"(","text":"x"}})")
        << bad;
    QTest::addRow("chat missing text")
        << QByteArray(R"({"type":"chat:send","payload":{"roomId":"r"}})") << bad;
    QTest::addRow("chat text object")
        << QByteArray(R"({"type":"chat:send","payload":{"roomId":"r","text":{}}})") << bad;
    QTest::addRow("chat text blank") << QByteArray(
                                            R"({"type":"chat:send","payload":{"roomId":"r","text":"  "}})")
                                     << bad;
    QTest::addRow("chat text over limit")
        << (R"({"type":"chat:send","payload":{"roomId":"r","text":")" + QByteArray(10001, 'x') + R"("}})")
        << ErrorCode::TooLarge;
    QTest::addRow("join since negative")
        << QByteArray(R"({"type":"room:join","payload":{"roomId":"r","since":-1}})") << bad;
    QTest::addRow("join since fraction")
        << QByteArray(R"({"type":"room:join","payload":{"roomId":"r","since":1.5}})") << bad;
    QTest::addRow("join since string")
        << QByteArray(R"({"type":"room:join","payload":{"roomId":"r","since":"4"}})") << bad;
    QTest::addRow("join since huge") << QByteArray(
                                            R"({"type":"room:join","payload":{"roomId":"r","since":1e300}})")
                                     << bad;
    QTest::addRow("join private string")
        << QByteArray(R"({"type":"room:join","payload":{"roomId":"r","private":"yes"}})") << bad;
    QTest::addRow("auth token missing") << QByteArray(R"({"type":"auth","payload":{}})") << bad;
    QTest::addRow("presence offline")
        << QByteArray(R"({"type":"presence:set","payload":{"status":"offline"}})") << bad;
    QTest::addRow("presence busy") << QByteArray(R"({"type":"presence:set","payload":{"status":"busy"}})")
                                   << bad;
    QTest::addRow("history limit 0") << QByteArray(
                                            R"({"type":"history:fetch","payload":{"roomId":"r","limit":0}})")
                                     << bad;
    QTest::addRow("history limit 201")
        << QByteArray(R"({"type":"history:fetch","payload":{"roomId":"r","limit":201}})") << bad;
    QTest::addRow("cursor x missing")
        << QByteArray(R"({"type":"cursor:move","payload":{"roomId":"r","y":1}})") << bad;
    QTest::addRow("cursor y string")
        << QByteArray(R"({"type":"cursor:move","payload":{"roomId":"r","x":1,"y":"2"}})") << bad;
    QTest::addRow("cursor x huge") << QByteArray(
                                          R"({"type":"cursor:move","payload":{"roomId":"r","x":1e12,"y":2}})")
                                   << bad;
    QTest::addRow("history before 0")
        << QByteArray(R"({"type":"history:fetch","payload":{"roomId":"r","before":0}})") << bad;
}

void TestClientMessage::rejectsMalformed()
{
    QFETCH(QByteArray, json);
    QFETCH(ErrorCode, expected);
    const auto decoded = decodeClientMessage(json);
    QVERIFY2(!decoded, json.left(80).constData());
    QCOMPARE(decoded.error().error.code, expected);
    QVERIFY(!decoded.error().error.message.isEmpty());
}

void TestClientMessage::decodesGuideChatSendUnchanged()
{
    // Exactly what the architecture guide's ClientMessage union produces: no id, no cid.
    const auto decoded =
        decodeClientMessage(R"({"type":"chat:send","payload":{"roomId":"general","text":"hi"}})");
    QVERIFY(decoded);
    const auto *chat = std::get_if<ChatSendRequest>(&decoded->request);
    QVERIFY(chat);
    QCOMPARE(chat->roomId, QStringLiteral("general"));
    QCOMPARE(chat->text, QStringLiteral("hi"));
    QVERIFY(decoded->id.isEmpty());
    QVERIFY(decoded->cid.isEmpty());
}

void TestClientMessage::decodesEveryType_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("alternative");
    QTest::addRow("auth") << QByteArray(R"({"type":"auth","payload":{"token":"t"}})") << 0;
    QTest::addRow("room:join") << QByteArray(R"({"type":"room:join","payload":{"roomId":"r"}})") << 1;
    QTest::addRow("room:leave") << QByteArray(R"({"type":"room:leave","payload":{"roomId":"r"}})") << 2;
    QTest::addRow("room:list") << QByteArray(R"({"type":"room:list"})") << 3;
    QTest::addRow("chat:send") << QByteArray(R"({"type":"chat:send","payload":{"roomId":"r","text":"x"}})")
                               << 4;
    QTest::addRow("typing:start") << QByteArray(R"({"type":"typing:start","payload":{"roomId":"r"}})") << 5;
    QTest::addRow("typing:stop") << QByteArray(R"({"type":"typing:stop","payload":{"roomId":"r"}})") << 5;
    QTest::addRow("presence:set") << QByteArray(R"({"type":"presence:set","payload":{"status":"away"}})")
                                  << 6;
    QTest::addRow("history:fetch") << QByteArray(R"({"type":"history:fetch","payload":{"roomId":"r"}})") << 7;
    QTest::addRow("ping") << QByteArray(R"({"type":"ping"})") << 8;
    QTest::addRow("cursor:move") << QByteArray(
                                        R"({"type":"cursor:move","payload":{"roomId":"r","x":1.5,"y":-2}})")
                                 << 9;
    QTest::addRow("ping v1 with extras")
        << QByteArray(R"({"v":1,"type":"ping","future":true,"payload":{}})") << 8;
}

void TestClientMessage::decodesEveryType()
{
    QFETCH(QByteArray, json);
    QFETCH(int, alternative);
    const auto decoded = decodeClientMessage(json);
    QVERIFY2(decoded, decoded ? "" : qPrintable(decoded.error().error.message));
    QCOMPARE(static_cast<int>(decoded->request.index()), alternative);
}

void TestClientMessage::roomJoinCarriesSinceAndPrivacy()
{
    const auto decoded = decodeClientMessage(
        R"({"id":"m1","cid":"c-1","type":"room:join","payload":{"roomId":"team.dev_1","since":42,"private":true}})");
    QVERIFY(decoded);
    const auto &join = std::get<RoomJoinRequest>(decoded->request);
    QCOMPARE(join.roomId, QStringLiteral("team.dev_1"));
    QCOMPARE(join.since, std::optional<qint64>(42));
    QVERIFY(join.isPrivate);
    QCOMPARE(decoded->id, QStringLiteral("m1"));
    QCOMPARE(decoded->cid, QStringLiteral("c-1"));

    const auto plain = decodeClientMessage(R"({"type":"room:join","payload":{"roomId":"r","since":null}})");
    QVERIFY(plain);
    QVERIFY(!std::get<RoomJoinRequest>(plain->request).since.has_value());
}

void TestClientMessage::historyFetchDefaultsAndBounds()
{
    const auto defaults = decodeClientMessage(R"({"type":"history:fetch","payload":{"roomId":"r"}})");
    QVERIFY(defaults);
    QCOMPARE(std::get<HistoryFetchRequest>(defaults->request).limit, 50);
    QVERIFY(!std::get<HistoryFetchRequest>(defaults->request).before);

    const auto page =
        decodeClientMessage(R"({"type":"history:fetch","payload":{"roomId":"r","before":9,"limit":200}})");
    QVERIFY(page);
    QCOMPARE(std::get<HistoryFetchRequest>(page->request).limit, 200);
    QCOMPARE(std::get<HistoryFetchRequest>(page->request).before, std::optional<qint64>(9));
}

void TestClientMessage::textLimitCountsUtf16Units()
{
    DecodeLimits limits;
    limits.maxTextLength = 4;
    // U+1F600 is two UTF-16 units, as in JavaScript's String.length.
    const QByteArray twoEmoji = R"({"type":"chat:send","payload":{"roomId":"r","text":"😀😀"}})";
    QVERIFY(decodeClientMessage(twoEmoji, limits));
    const QByteArray threeEmoji = R"({"type":"chat:send","payload":{"roomId":"r","text":"😀😀😀"}})";
    const auto decoded = decodeClientMessage(threeEmoji, limits);
    QVERIFY(!decoded);
    QCOMPARE(decoded.error().error.code, ErrorCode::TooLarge);
}

void TestClientMessage::refIsIdOrType()
{
    const auto withId = decodeClientMessage(R"({"id":"abc","type":"chat:send","payload":{}})");
    QVERIFY(!withId);
    QCOMPARE(withId.error().ref, QStringLiteral("abc"));
    const auto withoutId = decodeClientMessage(R"({"type":"chat:send","payload":{}})");
    QVERIFY(!withoutId);
    QCOMPARE(withoutId.error().ref, QStringLiteral("chat:send"));
}

QTEST_GUILESS_MAIN(TestClientMessage)
#include "tst_clientmessage.moc"
