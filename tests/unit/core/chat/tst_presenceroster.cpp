// PresenceRoster: room:joined.presence and presence:update per room; the
// model lists the current room, online first.

#include "core/chat/PresenceRoster.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using tandem::chat::PresenceRoster;
using Status = PresenceRoster::Status;

namespace {

QStringList shown(const PresenceRoster &roster)
{
    QStringList rows;
    for (int row = 0; row < roster.rowCount(); ++row) {
        const QModelIndex index = roster.index(row);
        rows.append(
            index.data(PresenceRoster::UserIdRole).toString() + QLatin1Char(':') +
            PresenceRoster::statusName(static_cast<Status>(index.data(PresenceRoster::StatusRole).toInt())));
    }
    return rows;
}

} // namespace

class TestPresenceRoster : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parsesStatus_data();
    void parsesStatus();
    void listsTheCurrentRoomOnlineFirst();
    void updatesPerRoom();
    void rejoinMarksTheMissingOffline();
};

void TestPresenceRoster::parsesStatus_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<Status>("status");
    QTest::addRow("online") << QStringLiteral("online") << Status::Online;
    QTest::addRow("away") << QStringLiteral("away") << Status::Away;
    QTest::addRow("offline") << QStringLiteral("offline") << Status::Offline;
    QTest::addRow("unknown is offline") << QStringLiteral("busy") << Status::Offline;
}

void TestPresenceRoster::parsesStatus()
{
    QFETCH(QString, text);
    QFETCH(Status, status);
    QCOMPARE(PresenceRoster::statusFromString(text), status);
}

void TestPresenceRoster::listsTheCurrentRoomOnlineFirst()
{
    PresenceRoster roster;
    roster.setCurrentRoom(QStringLiteral("general"));
    roster.addKnownMember(QStringLiteral("general"), QStringLiteral("alan"));
    roster.setPresence(
        QStringLiteral("general"),
        QJsonDocument::fromJson(R"([{"userId":"zoe","status":"online"},{"userId":"bob","status":"away"},
                                                   {"userId":"carl","status":"online"}])")
            .array());
    QCOMPARE(shown(roster), (QStringList{QStringLiteral("carl:online"), QStringLiteral("zoe:online"),
                                         QStringLiteral("bob:away"), QStringLiteral("alan:offline")}));
}

void TestPresenceRoster::updatesPerRoom()
{
    PresenceRoster roster;
    roster.setCurrentRoom(QStringLiteral("general"));
    QSignalSpy changed(&roster, &PresenceRoster::presenceChanged);
    roster.updatePresence(QStringLiteral("general"), QStringLiteral("bob"), Status::Online);
    roster.updatePresence(QStringLiteral("random"), QStringLiteral("bob"), Status::Away);
    roster.updatePresence(QStringLiteral("general"), QStringLiteral("bob"), Status::Online); // no change
    QCOMPARE(changed.count(), 2);
    QCOMPARE(shown(roster), QStringList{QStringLiteral("bob:online")});
    QCOMPARE(roster.status(QStringLiteral("random"), QStringLiteral("bob")), Status::Away);
    roster.updatePresence(QStringLiteral("general"), QStringLiteral("bob"), Status::Offline);
    QCOMPARE(shown(roster), QStringList{QStringLiteral("bob:offline")});
    // A known member stays as they are.
    roster.addKnownMember(QStringLiteral("random"), QStringLiteral("bob"));
    QCOMPARE(roster.status(QStringLiteral("random"), QStringLiteral("bob")), Status::Away);
}

void TestPresenceRoster::rejoinMarksTheMissingOffline()
{
    PresenceRoster roster;
    roster.setPresence(QStringLiteral("general"),
                       QJsonDocument::fromJson(R"([{"userId":"bob","status":"online"}])").array());
    roster.setPresence(QStringLiteral("general"),
                       QJsonDocument::fromJson(R"([{"userId":"carol","status":"online"}])").array());
    QCOMPARE(roster.status(QStringLiteral("general"), QStringLiteral("bob")), Status::Offline);
    QCOMPARE(roster.status(QStringLiteral("general"), QStringLiteral("carol")), Status::Online);
}

QTEST_GUILESS_MAIN(TestPresenceRoster)
#include "tst_presenceroster.moc"
