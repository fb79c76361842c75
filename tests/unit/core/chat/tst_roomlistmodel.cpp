// RoomListModel: room:list merged into a stable, sorted sidebar; unread counts.

#include "core/chat/RoomListModel.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using tandem::chat::RoomListModel;

class TestRoomListModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void mergesRoomListSorted();
    void countsUnread_data();
    void countsUnread();
};

void TestRoomListModel::mergesRoomListSorted()
{
    RoomListModel model;
    model.addRoom(QStringLiteral("zeta"));
    model.incrementUnread(QStringLiteral("zeta"));
    model.setRooms(QJsonDocument::fromJson(R"([{"roomId":"general","private":false,"member":true,"lastSeq":5},
        {"roomId":"design","private":true,"member":true,"lastSeq":2},{"roomId":"zeta","member":true},{"private":true}])")
                       .array());
    QCOMPARE(model.roomIds(),
             (QStringList{QStringLiteral("design"), QStringLiteral("general"), QStringLiteral("zeta")}));
    QVERIFY(model.index(0).data(RoomListModel::PrivateRole).toBool());
    QCOMPARE(model.index(1).data(RoomListModel::LastSeqRole).toLongLong(), 5);
    // A refresh keeps what the user had not read yet.
    QCOMPARE(model.unread(QStringLiteral("zeta")), 1);
    QCOMPARE(model.addRoom(QStringLiteral("general")), 1);
    QCOMPARE(model.rowCount(), 3);
}

void TestRoomListModel::countsUnread_data()
{
    QTest::addColumn<int>("increments");
    QTest::addColumn<bool>("clear");
    QTest::addColumn<int>("expected");
    QTest::addRow("none") << 0 << false << 0;
    QTest::addRow("three") << 3 << false << 3;
    QTest::addRow("cleared") << 3 << true << 0;
}

void TestRoomListModel::countsUnread()
{
    QFETCH(int, increments);
    QFETCH(bool, clear);
    QFETCH(int, expected);
    RoomListModel model;
    model.addRoom(QStringLiteral("general"));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    for (int i = 0; i < increments; ++i)
        model.incrementUnread(QStringLiteral("general"));
    model.incrementUnread(QStringLiteral("unknown")); // ignored
    if (clear)
        model.clearUnread(QStringLiteral("general"));
    QCOMPARE(model.unread(QStringLiteral("general")), expected);
    QCOMPARE(model.index(0).data(RoomListModel::UnreadRole).toInt(), expected);
    QCOMPARE(changed.count(), increments + (clear && increments > 0 ? 1 : 0));
}

QTEST_GUILESS_MAIN(TestRoomListModel)
#include "tst_roomlistmodel.moc"
