// MessageListModel: stored messages in seq order whatever the arrival order,
// duplicates dropped, local echo pending until its ack, and the grouping
// flags a delegate paints from.

#include "core/chat/MessageListModel.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using tandem::chat::ChatMessage;
using tandem::chat::MessageListModel;

namespace {

const QDateTime Noon(QDate(2026, 3, 10), QTime(12, 0), Qt::LocalTime);

ChatMessage stored(qint64 seq, const QString &userId, qint64 minutesAfterNoon = 0, const QString &cid = {})
{
    ChatMessage message;
    message.id = QStringLiteral("id-%1").arg(seq);
    message.seq = seq;
    message.cid = cid;
    message.roomId = QStringLiteral("general");
    message.userId = userId;
    message.text = QStringLiteral("text %1").arg(seq);
    message.timestamp = Noon.addSecs(minutesAfterNoon * 60).toUTC();
    return message;
}

ChatMessage echo(const QString &cid, const QString &text)
{
    ChatMessage message;
    message.cid = cid;
    message.roomId = QStringLiteral("general");
    message.userId = QStringLiteral("alice");
    message.text = text;
    message.timestamp = Noon.toUTC();
    return message;
}

QList<qint64> seqs(const MessageListModel &model)
{
    QList<qint64> result;
    for (int row = 0; row < model.rowCount(); ++row)
        result.append(model.at(row).seq);
    return result;
}

} // namespace

class TestMessageListModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void keepsSeqOrder_data();
    void keepsSeqOrder();
    void dropsDuplicates();
    void pendingEchoBecomesStoredOnAck();
    void liveEchoBeforeAckReplacesPending();
    void failedSendIsMarked();
    void grouping_data();
    void grouping();
    void groupingUpdatesTheRowBelowAnInsert();
    void parsesEnvelopes_data();
    void parsesEnvelopes();
    void oldestSeqAndClear();
};

void TestMessageListModel::keepsSeqOrder_data()
{
    QTest::addColumn<QList<qint64>>("arrival");
    QTest::addRow("in order") << QList<qint64>{1, 2, 3, 4};
    QTest::addRow("older page after live events") << QList<qint64>{7, 8, 1, 2, 3};
    QTest::addRow("shuffled") << QList<qint64>{5, 1, 4, 2, 3};
}

void TestMessageListModel::keepsSeqOrder()
{
    QFETCH(QList<qint64>, arrival);
    MessageListModel model(QStringLiteral("general"));
    for (const qint64 seq : arrival)
        QVERIFY(model.addMessage(stored(seq, QStringLiteral("bob"))));
    QList<qint64> expected = arrival;
    std::sort(expected.begin(), expected.end());
    QCOMPARE(seqs(model), expected);
}

void TestMessageListModel::dropsDuplicates()
{
    MessageListModel model(QStringLiteral("general"));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QVERIFY(model.addMessage(stored(1, QStringLiteral("bob"))));
    QVERIFY(!model.addMessage(stored(1, QStringLiteral("bob"))));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(inserted.count(), 1);
}

void TestMessageListModel::pendingEchoBecomesStoredOnAck()
{
    MessageListModel model(QStringLiteral("general"));
    model.addMessage(stored(1, QStringLiteral("bob")));
    model.addPending(echo(QStringLiteral("c-1"), QStringLiteral("mine")));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.at(1).state, ChatMessage::State::Pending);
    QCOMPARE(model.index(1).data(MessageListModel::StateRole).toInt(), int(ChatMessage::State::Pending));
    // Someone else's message is stored before our ack arrives: pending stays last.
    model.addMessage(stored(2, QStringLiteral("bob")));
    QCOMPARE(model.at(2).text, QStringLiteral("mine"));
    model.acknowledge(QStringLiteral("c-1"), QStringLiteral("server-id"), 3);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.at(2).state, ChatMessage::State::Sent);
    QCOMPARE(model.at(2).id, QStringLiteral("server-id"));
    QCOMPARE(seqs(model), (QList<qint64>{1, 2, 3}));
    // The live chat:message that follows the ack is a duplicate.
    ChatMessage live = stored(3, QStringLiteral("alice"), 0, QStringLiteral("c-1"));
    live.id = QStringLiteral("server-id");
    QVERIFY(!model.addMessage(live));
    QCOMPARE(model.rowCount(), 3);
}

void TestMessageListModel::liveEchoBeforeAckReplacesPending()
{
    MessageListModel model(QStringLiteral("general"));
    model.addPending(echo(QStringLiteral("c-9"), QStringLiteral("mine")));
    ChatMessage live = stored(4, QStringLiteral("alice"), 0, QStringLiteral("c-9"));
    QVERIFY(model.addMessage(live));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.at(0).state, ChatMessage::State::Sent);
    // A late ack finds nothing pending and changes nothing.
    model.acknowledge(QStringLiteral("c-9"), live.id, 4);
    QCOMPARE(model.rowCount(), 1);
}

void TestMessageListModel::failedSendIsMarked()
{
    MessageListModel model(QStringLiteral("general"));
    model.addPending(echo(QStringLiteral("c-2"), QStringLiteral("lost")));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.markFailed(QStringLiteral("c-2"));
    QCOMPARE(model.at(0).state, ChatMessage::State::Failed);
    QCOMPARE(changed.count(), 1);
    model.markFailed(QStringLiteral("unknown"));
    QCOMPARE(changed.count(), 1);
}

void TestMessageListModel::grouping_data()
{
    // Each message: author and minutes after noon; expected flags per row.
    QTest::addColumn<QStringList>("authors");
    QTest::addColumn<QList<qint64>>("minutes");
    QTest::addColumn<QList<bool>>("startsDay");
    QTest::addColumn<QList<bool>>("startsGroup");
    const QString a = QStringLiteral("alice");
    const QString b = QStringLiteral("bob");
    QTest::addRow("one author, one run")
        << QStringList{a, a, a} << QList<qint64>{0, 1, 2} << QList<bool>{true, false, false}
        << QList<bool>{true, false, false};
    QTest::addRow("authors alternate") << QStringList{a, b, a} << QList<qint64>{0, 1, 2}
                                       << QList<bool>{true, false, false} << QList<bool>{true, true, true};
    QTest::addRow("long silence breaks a run")
        << QStringList{a, a, a} << QList<qint64>{0, 1, 20} << QList<bool>{true, false, false}
        << QList<bool>{true, false, true};
    QTest::addRow("a new day breaks a run") << QStringList{a, a} << QList<qint64>{0, 24 * 60}
                                            << QList<bool>{true, true} << QList<bool>{true, true};
}

void TestMessageListModel::grouping()
{
    QFETCH(QStringList, authors);
    QFETCH(QList<qint64>, minutes);
    QFETCH(QList<bool>, startsDay);
    QFETCH(QList<bool>, startsGroup);
    MessageListModel model(QStringLiteral("general"));
    for (int i = 0; i < authors.size(); ++i)
        model.addMessage(stored(i + 1, authors.at(i), minutes.at(i)));
    for (int row = 0; row < model.rowCount(); ++row) {
        QCOMPARE(model.index(row).data(MessageListModel::StartsDayRole).toBool(), startsDay.at(row));
        QCOMPARE(model.index(row).data(MessageListModel::StartsGroupRole).toBool(), startsGroup.at(row));
    }
}

void TestMessageListModel::groupingUpdatesTheRowBelowAnInsert()
{
    MessageListModel model(QStringLiteral("general"));
    model.addMessage(stored(2, QStringLiteral("alice"), 1));
    QVERIFY(model.index(0).data(MessageListModel::StartsGroupRole).toBool());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    // An older page brings alice's previous message: row 1 now continues her run.
    model.addMessage(stored(1, QStringLiteral("alice"), 0));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 1);
    QVERIFY(!model.index(1).data(MessageListModel::StartsGroupRole).toBool());
}

void TestMessageListModel::parsesEnvelopes_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("valid");
    QTest::addRow("full") << QByteArray(R"({"id":"x","type":"chat:message","ts":"2026-11-28T18:15:19.123Z",
        "room":"general","seq":3,"cid":"c","payload":{"roomId":"general","userId":"bob","text":"hi"}})")
                          << true;
    QTest::addRow("no seq") << QByteArray(
                                   R"({"id":"x","room":"general","payload":{"userId":"bob","text":"hi"}})")
                            << false;
    QTest::addRow("no id") << QByteArray(
                                  R"({"seq":3,"room":"general","payload":{"userId":"bob","text":"hi"}})")
                           << false;
}

void TestMessageListModel::parsesEnvelopes()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, valid);
    const auto message = ChatMessage::fromEnvelope(QJsonDocument::fromJson(json).object());
    QCOMPARE(message.has_value(), valid);
    if (valid) {
        QCOMPARE(message->userId, QStringLiteral("bob"));
        QCOMPARE(message->text, QStringLiteral("hi"));
        QCOMPARE(message->seq, 3);
        QCOMPARE(message->timestamp, QDateTime(QDate(2026, 11, 28), QTime(18, 15, 19, 123), Qt::UTC));
    }
}

void TestMessageListModel::oldestSeqAndClear()
{
    MessageListModel model(QStringLiteral("general"));
    QVERIFY(!model.oldestSeq());
    model.addPending(echo(QStringLiteral("c"), QStringLiteral("mine")));
    QVERIFY(!model.oldestSeq());
    model.addMessage(stored(40, QStringLiteral("bob")));
    model.addMessage(stored(12, QStringLiteral("bob")));
    QCOMPARE(model.oldestSeq(), 12);
    model.setHasMoreHistory(false);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.hasMoreHistory());
}

QTEST_GUILESS_MAIN(TestMessageListModel)
#include "tst_messagelistmodel.moc"
