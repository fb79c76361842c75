// The resume cursor of the HTTP transports: what a client sends back as
// Last-Event-ID or `since` is parsed strictly (anything else is refused, never
// half-read), and what the server formats parses back to the same value.

#include "server/streaming/ResumeCursor.h"

#include <QTest>

using tandem::server::streaming::ResumeCursor;

class TestResumeCursor : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrips_data();
    void roundTrips();
    void refusesWhatIsNotACursor_data();
    void refusesWhatIsNotACursor();
    void boundsTheRoomsItParses();
};

void TestResumeCursor::roundTrips_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("position");
    QTest::addColumn<int>("rooms");
    QTest::newRow("no rooms") << QStringLiteral("1~abcDEF_-09~0~") << qint64(0) << 0;
    QTest::newRow("one room") << QStringLiteral("1~s~12~general:42") << qint64(12) << 1;
    QTest::newRow("room ids with dots and dashes")
        << QStringLiteral("1~s~3~Z_9:9007199254740991,a.b-c:0") << qint64(3) << 2; // rooms in sorted order
}

void TestResumeCursor::roundTrips()
{
    QFETCH(QString, text);
    QFETCH(qint64, position);
    QFETCH(int, rooms);
    const auto cursor = ResumeCursor::parse(text);
    QVERIFY(cursor);
    QCOMPARE(cursor->position, position);
    QCOMPARE(cursor->rooms.size(), rooms);
    QCOMPARE(cursor->toString(), text);
}

void TestResumeCursor::refusesWhatIsNotACursor_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("other version") << QStringLiteral("2~s~1~");
    QTest::newRow("missing part") << QStringLiteral("1~s~1");
    QTest::newRow("extra part") << QStringLiteral("1~s~1~~");
    QTest::newRow("empty session") << QStringLiteral("1~~1~");
    QTest::newRow("session with a space") << QStringLiteral("1~a b~1~");
    QTest::newRow("negative position") << QStringLiteral("1~s~-1~");
    QTest::newRow("plus sign") << QStringLiteral("1~s~+1~");
    QTest::newRow("position beyond 2^53") << QStringLiteral("1~s~9007199254740992~");
    QTest::newRow("room without seq") << QStringLiteral("1~s~1~general");
    QTest::newRow("bad room id") << QStringLiteral("1~s~1~-general:1");
    QTest::newRow("seq not a number") << QStringLiteral("1~s~1~general:x");
    QTest::newRow("room twice") << QStringLiteral("1~s~1~general:1,general:2");
    QTest::newRow("trailing comma") << QStringLiteral("1~s~1~general:1,");
}

void TestResumeCursor::refusesWhatIsNotACursor()
{
    QFETCH(QString, text);
    QVERIFY(!ResumeCursor::parse(text));
}

void TestResumeCursor::boundsTheRoomsItParses()
{
    QMap<QString, qint64> rooms;
    for (int i = 0; i < ResumeCursor::MaxRooms; ++i)
        rooms.insert(QStringLiteral("r%1").arg(i), i);
    const QString atLimit = ResumeCursor{QStringLiteral("s"), 1, rooms}.toString();
    QCOMPARE(ResumeCursor::parse(atLimit)->rooms, rooms);
    rooms.insert(QStringLiteral("one-more"), 1);
    QVERIFY(!ResumeCursor::parse(ResumeCursor{QStringLiteral("s"), 1, rooms}.toString()));
}

QTEST_APPLESS_MAIN(TestResumeCursor)
#include "tst_resumecursor.moc"
