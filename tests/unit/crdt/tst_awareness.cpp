// The y-protocols awareness protocol: bytes, clock rules, null removals and
// the 30 s timeout on a ManualClock.

#include "core/common/Clock.h"
#include "core/crdt/Awareness.h"

#include <QSignalSpy>
#include <QTest>

using namespace tandem::crdt;

namespace {

QByteArray hex(const char *spaced)
{
    return QByteArray::fromHex(QByteArray(spaced).replace(' ', ""));
}

QByteArray entry(ClientId client, quint64 clock, const QByteArray &json)
{
    QByteArray bytes;
    bytes.append(char(client)).append(char(clock)).append(char(json.size())).append(json);
    return bytes;
}

QByteArray update(std::initializer_list<QByteArray> entries)
{
    QByteArray bytes(1, char(entries.size()));
    for (const QByteArray &e : entries)
        bytes += e;
    return bytes;
}

} // namespace

class TestAwareness : public QObject {
    Q_OBJECT
private slots:
    void encodesAsYProtocolsDoes()
    {
        tandem::ManualClock clock;
        Awareness awareness(5, clock);
        awareness.setLocalState(QJsonObject{
            {QStringLiteral("user"), QJsonObject{{QStringLiteral("name"), QStringLiteral("é")}}}});
        QCOMPARE(awareness.encodeUpdate({5}).toHex(' '),
                 (hex("01 05 01 16") + QByteArray(R"({"user":{"name":"é"}})")).toHex(' '));
        awareness.setLocalState(std::nullopt);
        QCOMPARE(awareness.encodeUpdate({5}).toHex(' '), hex("01 05 02 04 6e 75 6c 6c").toHex(' '));
    }

    void clockRules()
    {
        tandem::ManualClock clock;
        Awareness awareness(1, clock);
        QSignalSpy changed(&awareness, &Awareness::changed);

        // A new client's clock-0 state is ignored; clock 1 is taken.
        QVERIFY(awareness.applyUpdate(update({entry(9, 0, R"({"a":1})")})));
        QVERIFY(!awareness.states().contains(9));
        QVERIFY(awareness.applyUpdate(update({entry(9, 1, R"({"a":1})")}), 3));
        QCOMPARE(awareness.states().value(9), (QJsonObject{{QStringLiteral("a"), 1}}));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).value<AwarenessChange>().added, QList<ClientId>{9});
        QCOMPARE(changed.at(0).at(1).value<Origin>(), Origin(3));

        // An older or equal clock changes nothing; null at the same clock removes.
        QVERIFY(awareness.applyUpdate(update({entry(9, 1, R"({"a":2})")})));
        QCOMPARE(awareness.states().value(9), (QJsonObject{{QStringLiteral("a"), 1}}));
        QVERIFY(awareness.applyUpdate(update({entry(9, 1, "null")})));
        QVERIFY(!awareness.states().contains(9));
        QCOMPARE(changed.last().at(0).value<AwarenessChange>().removed, QList<ClientId>{9});

        // Someone removing us while we are here makes us outbid them.
        QCOMPARE(*awareness.clockOf(1), quint64(0));
        QVERIFY(awareness.applyUpdate(update({entry(1, 4, "null")})));
        QVERIFY(awareness.localState());
        QCOMPARE(*awareness.clockOf(1), quint64(5));
    }

    void malformedUpdatesChangeNothing()
    {
        tandem::ManualClock clock;
        Awareness awareness(1, clock);
        QSignalSpy updated(&awareness, &Awareness::updated);
        const auto refused =
            awareness.applyUpdate(update({entry(9, 1, R"({"a":1})"), entry(8, 1, "{not json")}));
        QVERIFY(!refused);
        QCOMPARE(int(refused.error().code), int(DecodeErrorCode::InvalidJson));
        QVERIFY(!awareness.applyUpdate(hex("02 09 01 02 7b 7d")));    // truncated
        QVERIFY(!awareness.applyUpdate(hex("01 09 01 03 ed a0 bd"))); // invalid UTF-8
        QVERIFY(!awareness.applyUpdate(hex("ff ff ff ff 0f")));       // huge count
        QVERIFY(!awareness.states().contains(9));
        QCOMPARE(updated.size(), 0);
    }

    void remoteStatesExpireAfterThirtySeconds()
    {
        tandem::ManualClock clock;
        Awareness awareness(1, clock);
        QVERIFY(awareness.applyUpdate(update({entry(9, 1, R"({"a":1})")})));
        QSignalSpy changed(&awareness, &Awareness::changed);
        QSignalSpy updated(&awareness, &Awareness::updated);

        clock.advance(15000);
        awareness.checkTimeouts(); // the local state is renewed half-way
        QCOMPARE(*awareness.clockOf(1), quint64(1));
        QCOMPARE(updated.size(), 1);
        QCOMPARE(changed.size(), 0); // same state: an update to send, not a change

        clock.advance(14999);
        awareness.checkTimeouts();
        QVERIFY(awareness.states().contains(9));
        clock.advance(1);
        awareness.checkTimeouts();
        QVERIFY(!awareness.states().contains(9));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(1).value<Origin>(), Awareness::kTimeoutOrigin);
        QVERIFY(awareness.localState()); // ours never expires
    }

    void removingStatesBroadcastsNull()
    {
        tandem::ManualClock clock;
        Awareness server(100, clock);
        server.setLocalState(std::nullopt);
        QVERIFY(server.applyUpdate(update({entry(7, 1, R"({"u":"A"})")})));
        QSignalSpy updated(&server, &Awareness::updated);
        server.removeStates({7}, 42);
        QCOMPARE(updated.size(), 1);
        const AwarenessChange change = updated.at(0).at(0).value<AwarenessChange>();
        // y-websocket sends the removal with the same clock: receivers accept it.
        QCOMPARE(server.encodeUpdate(change.all()).toHex(' '), hex("01 07 01 04 6e 75 6c 6c").toHex(' '));
    }
};

QTEST_GUILESS_MAIN(TestAwareness)
#include "tst_awareness.moc"
