// The SSE parser against the WHATWG "Event stream interpretation" examples and
// the edge cases of "Parsing an event stream": every row runs on the whole
// stream in one chunk, one byte at a time, and in random (seeded) chunks, and
// must produce exactly the same events.

#include "core/client/SseParser.h"

#include <QRandomGenerator>
#include <QTest>

using tandem::client::SseEvent;
using tandem::client::SseParseError;
using tandem::client::SseParser;

namespace {

enum class Chunking { Whole, OneByte, Random };

SseEvent sse(const QString &data, const QString &lastEventId = QString(),
             const QString &type = QStringLiteral("message"))
{
    return SseEvent{type, data, lastEventId};
}

// Every character visible, so a failing comparison shows what differs.
QString escaped(const QString &text)
{
    QString out;
    for (const QChar c : text) {
        if (c.unicode() >= 0x20 && c.unicode() < 0x7f && c != u'\\')
            out += c;
        else
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QChar(u'0'));
    }
    return out;
}

QString describe(const QList<SseEvent> &events)
{
    QStringList parts;
    for (const SseEvent &e : events)
        parts << QStringLiteral("{type=%1 data=%2 id=%3}")
                     .arg(escaped(e.type), escaped(e.data), escaped(e.lastEventId));
    return QLatin1Char('[') + parts.join(QLatin1Char(',')) + QLatin1Char(']');
}

QList<QByteArray> split(const QByteArray &stream, Chunking chunking, quint32 seed)
{
    QList<QByteArray> chunks;
    if (chunking == Chunking::Whole) {
        chunks << stream;
        return chunks;
    }
    QRandomGenerator random(seed);
    for (qsizetype at = 0; at < stream.size();) {
        const qsizetype size = chunking == Chunking::OneByte ? 1 : random.bounded(1, 9);
        chunks << stream.mid(at, size);
        at += size;
    }
    return chunks;
}

} // namespace

Q_DECLARE_METATYPE(Chunking)

class TestSseParser : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void stream_data();
    void stream();
    void crAtChunkEndPairsWithLfInNextChunk();
    void finishStartsANewStream();
    void megabyteLineByteByByte();
    void lineLongerThanLimitIsAnError();

private:
    void addRow(const char *name, const QByteArray &stream, const QList<SseEvent> &expected,
                const QString &lastEventId = QString(), qint64 retryMs = -1);
    quint32 m_seed = 20261128;
};

void TestSseParser::addRow(const char *name, const QByteArray &stream, const QList<SseEvent> &expected,
                           const QString &lastEventId, qint64 retryMs)
{
    const std::pair<Chunking, const char *> modes[] = {
        {Chunking::Whole, "whole"}, {Chunking::OneByte, "bytes"}, {Chunking::Random, "random"}};
    for (const auto &[chunking, label] : modes)
        QTest::addRow("%s/%s", name, label)
            << stream << chunking << ++m_seed << expected << lastEventId << retryMs;
}

void TestSseParser::stream_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<Chunking>("chunking");
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<QList<SseEvent>>("expected");
    QTest::addColumn<QString>("lastEventId");
    QTest::addColumn<qint64>("retryMs"); // -1: none

    // The spec's "Event stream interpretation" examples.
    addRow("spec: YHOO multi-line data", "data: YHOO\ndata: +2\ndata: 10\n\n",
           {sse(QStringLiteral("YHOO\n+2\n10"))});
    addRow("spec: four blocks",
           ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\n"
           "data:  third event\n\n",
           {sse(QStringLiteral("first event"), QStringLiteral("1")), sse(QStringLiteral("second event")),
            sse(QStringLiteral(" third event"))});
    addRow(
        "spec: data and data:", "data\n\ndata\ndata\n\ndata:", {sse(QString()), sse(QStringLiteral("\n"))});
    addRow("spec: test with and without space", "data:test\n\ndata: test\n\n",
           {sse(QStringLiteral("test")), sse(QStringLiteral("test"))});

    // Byte order mark: stripped once at the very start, data anywhere else.
    addRow("bom at start",
           "\xEF\xBB\xBF"
           "data: a\n\n",
           {sse(QStringLiteral("a"))});
    addRow("second bom is data",
           "\xEF\xBB\xBF"
           "data: \xEF\xBB\xBFx\n\n",
           {sse(QStringLiteral("\uFEFFx"))});
    addRow("bom right after bom is not stripped",
           "\xEF\xBB\xBF\xEF\xBB\xBF"
           "data: a\n\ndata: b\n\n",
           {sse(QStringLiteral("b"))}); // the first line's field is "\uFEFFdata"
    addRow("bom after the start is data",
           "data: a\n\n\xEF\xBB\xBF"
           "data: b\n\n",
           {sse(QStringLiteral("a"))});

    // Line endings.
    addRow("lf", "data: a\ndata: b\n\n", {sse(QStringLiteral("a\nb"))});
    addRow("cr", "data: a\rdata: b\r\r", {sse(QStringLiteral("a\nb"))});
    addRow("crlf", "data: a\r\ndata: b\r\n\r\n", {sse(QStringLiteral("a\nb"))});
    addRow("mixed", "data: a\r\ndata: b\rdata: c\n\r\ndata: d\n\r\r\n\n",
           {sse(QStringLiteral("a\nb\nc")), sse(QStringLiteral("d"))});
    addRow("cr cr lf is a line then a blank line", "data: a\r\r\ndata: b\n\n",
           {sse(QStringLiteral("a")), sse(QStringLiteral("b"))});
    addRow("lf cr is two line ends", "data: a\n\rdata: b\n\n",
           {sse(QStringLiteral("a")), sse(QStringLiteral("b"))});

    // id.
    addRow("id with nul is ignored",
           QByteArray("id: a\ndata: x\n\nid: b") + '\0' + QByteArray("c\ndata: y\n\n"),
           {sse(QStringLiteral("x"), QStringLiteral("a")), sse(QStringLiteral("y"), QStringLiteral("a"))},
           QStringLiteral("a"));
    addRow("id persists across events", "id: 5\ndata: a\n\ndata: b\n\n",
           {sse(QStringLiteral("a"), QStringLiteral("5")), sse(QStringLiteral("b"), QStringLiteral("5"))},
           QStringLiteral("5"));
    addRow("id without dispatch still sets the last id", "id: 7\n\ndata: y\n\n",
           {sse(QStringLiteral("y"), QStringLiteral("7"))}, QStringLiteral("7"));
    addRow("id in a discarded event still sets the last id", "data: x\nid: 8\n", {}, QStringLiteral("8"));
    addRow(
        "empty id resets", "id: 5\ndata: a\n\nid:\ndata: b\n\nid: 6\n\nid\ndata: c\n\n",
        {sse(QStringLiteral("a"), QStringLiteral("5")), sse(QStringLiteral("b")), sse(QStringLiteral("c"))});

    // retry.
    addRow("retry digits", "retry: 3000\n", {}, QString(), 3000);
    addRow("retry zero", "retry: 0\n\n", {}, QString(), 0);
    addRow("retry non-digits ignored",
           "retry: 1500\nretry: 12a\nretry: -1\nretry:  10\nretry:\nretry\nretry: 1.5\n"
           "retry: 99999999999999999999999\n\n",
           {}, QString(), 1500);
    addRow("retry alone ignored", "retry: x\ndata: a\n\n", {sse(QStringLiteral("a"))});

    // Fields.
    addRow("unknown fields ignored", "foo: bar\ndata: a\nDATA: b\nEvent: x\n\n", {sse(QStringLiteral("a"))});
    addRow("comment-only stream", ": hello\n:\n: heartbeat\r\n\r\n\n", {});
    addRow("field name without colon", "data\n\nevent\ndata: a\n\n",
           {sse(QString()), sse(QStringLiteral("a"))});
    addRow("only the first colon splits", "data: a: b:c\n\n", {sse(QStringLiteral("a: b:c"))});
    addRow("event type", "event: add\ndata: 1\n\n",
           {sse(QStringLiteral("1"), QString(), QStringLiteral("add"))});
    addRow("event type reset after dispatch", "event: add\ndata: 1\n\ndata: 2\n\n",
           {sse(QStringLiteral("1"), QString(), QStringLiteral("add")), sse(QStringLiteral("2"))});
    addRow("event type reset by an empty block", "event: add\n\ndata: 2\n\n", {sse(QStringLiteral("2"))});

    // End of stream.
    addRow("incomplete event at finish discarded", "data: a\n\ndata: b\n", {sse(QStringLiteral("a"))});
    addRow("incomplete line at finish discarded", "data: a\n\ndata: b", {sse(QStringLiteral("a"))});
    addRow("empty stream", "", {});

    // UTF-8.
    addRow("multi-byte characters", "data: h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80\n\n",
           {sse(QStringLiteral("h\u00E9llo \u20AC \U0001F600"))});
    addRow("invalid byte is U+FFFD",
           "data: a\xFF"
           "b\n\n",
           {sse(QStringLiteral("a\uFFFDb"))});
    // Qt 6.4 replaces each byte of a truncated sequence (WHATWG: one U+FFFD
    // for the maximal subpart); what matters here is that the line ends after
    // it survive, however the bytes are chunked.
    addRow("truncated sequence before a line end", "data: a\xE2\x82\n\ndata: \xF0\x9F\r\n\r\n",
           {sse(QStringLiteral("a\uFFFD\uFFFD")), sse(QStringLiteral("\uFFFD\uFFFD"))});
    addRow("lone continuation bytes", "data: \x80\x80x\n\n", {sse(QStringLiteral("\uFFFD\uFFFDx"))});
}

void TestSseParser::stream()
{
    QFETCH(QByteArray, stream);
    QFETCH(Chunking, chunking);
    QFETCH(quint32, seed);
    QFETCH(QList<SseEvent>, expected);
    QFETCH(QString, lastEventId);
    QFETCH(qint64, retryMs);

    SseParser parser;
    QList<SseEvent> events;
    for (const QByteArray &chunk : split(stream, chunking, seed)) {
        auto result = parser.feed(chunk);
        QVERIFY(result);
        events += *result;
    }
    parser.finish();

    QCOMPARE(describe(events), describe(expected));
    QVERIFY(events == expected);
    QCOMPARE(parser.lastEventId(), lastEventId);
    QCOMPARE(parser.reconnectionTimeMs().value_or(-1), retryMs);
}

void TestSseParser::crAtChunkEndPairsWithLfInNextChunk()
{
    SseParser parser;
    QCOMPARE(parser.feed("data: a\r")->size(), 0);
    // The LF pairs with the CR; the next CR ends the blank line and dispatches.
    const auto dispatched = parser.feed("\ndata: b\r\n\r");
    QVERIFY(dispatched);
    QCOMPARE(describe(*dispatched), describe({sse(QStringLiteral("a\nb"))}));
    // This LF belongs to the CR before it: not another blank line, not a line.
    QCOMPARE(parser.feed("\n")->size(), 0);
    const auto next = parser.feed("\rdata: c\r\r");
    QVERIFY(next);
    QCOMPARE(describe(*next), describe({sse(QStringLiteral("c"))}));
}

void TestSseParser::finishStartsANewStream()
{
    SseParser parser;
    QCOMPARE(parser.feed("id: 3\nretry: 250\ndata: lost\n")->size(), 0);
    parser.finish();
    // A reconnect keeps the last id and retry, strips a new BOM, and forgets
    // the half-received event.
    const auto events = parser.feed("\xEF\xBB\xBF"
                                    "data: b\n\n");
    QVERIFY(events);
    QCOMPARE(describe(*events), describe({sse(QStringLiteral("b"), QStringLiteral("3"))}));
    QCOMPARE(parser.reconnectionTimeMs(), std::optional<qint64>(250));
}

void TestSseParser::megabyteLineByteByByte()
{
    // No time bound here (a timed test flakes on a busy machine): a parser that
    // re-scanned its buffer per byte would need ~10^12 steps and hit CTest's timeout.
    const qsizetype size = 1024 * 1024;
    const QByteArray stream = "data: " + QByteArray(size, 'x') + "\n\n";
    SseParser parser;
    QList<SseEvent> events;
    bool failed = false;
    for (qsizetype i = 0; i < stream.size(); ++i)
        failed |= !parser.feed(QByteArrayView(stream).sliced(i, 1), events);
    QVERIFY(!failed);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.front().data.size(), size);
}

void TestSseParser::lineLongerThanLimitIsAnError()
{
    SseParser parser(16);
    QVERIFY(parser.feed("data: 0123456789\n\n")); // exactly 16 bytes
    QVERIFY(parser.feed("data: 012345678"));
    const auto tooLong = parser.feed("9a");
    QVERIFY(!tooLong);
    QCOMPARE(tooLong.error(), SseParseError::LineTooLong);
    QCOMPARE(parser.error(), std::optional<SseParseError>(SseParseError::LineTooLong));
    // Failed for good: nothing more is consumed.
    const auto after = parser.feed("\n\ndata: b\n\n");
    QVERIFY(!after);
    QCOMPARE(after.error(), SseParseError::LineTooLong);
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
