// The golden data: the Yrs-encoded b4 update must decode to the trace's final
// text, and replaying the whole automerge-paper trace (one transaction per
// edit, each emitting its update) must reach the same text.
// Editing trace by Martin Kleppmann and Alastair R. Beresford
// (automerge-perf), CC BY 4.0; see tests/data/README.md.

#include "EditingTrace.h"
#include "core/crdt/Doc.h"
#include "core/crdt/Text.h"

#include <QTest>

using namespace tandem::crdt;
using namespace tandem::crdt::testdata;

class TestGoldenData : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        m_trace = loadEditingTrace(QStringLiteral(TANDEM_CRDT_TEST_DATA));
        QVERIFY2(m_trace, "tests/data/automerge-paper.json.gz missing or unreadable");
        QCOMPARE(m_trace->patches.size(), std::size_t(259778));
        QCOMPARE(m_trace->endContent.size(), 104852);
    }

    void b4UpdateDecodesToTheTraceEnd()
    {
        const QByteArray update = loadB4Update(QStringLiteral(TANDEM_CRDT_TEST_DATA));
        QCOMPARE(update.size(), 400972);
        Doc doc;
        QVERIFY(doc.applyUpdate(update));
        QVERIFY(!doc.hasPending());
        QCOMPARE(doc.getText(QStringLiteral("text")).toString(), m_trace->endContent);
        QCOMPARE(doc.encodeStateVector().toHex(' '), QByteArray("01 fd b1 a0 d9 e3 be 29 ab 90 0b"));

        // Our re-encoding decodes to the same document.
        Doc copy;
        QVERIFY(copy.applyUpdate(*doc.encodeStateAsUpdate()));
        QCOMPARE(copy.getText(QStringLiteral("text")).toString(), m_trace->endContent);
        QCOMPARE(copy.encodeStateVector(), doc.encodeStateVector());
        QCOMPARE(*copy.encodeStateAsUpdate(), *doc.encodeStateAsUpdate());
    }

    void traceReplayReachesTheEnd()
    {
        Doc doc(0x12345678);
        Text text = doc.getText(QStringLiteral("text"));
        qint64 updateBytes = 0;
        Doc mirror(1); // follows along through the emitted updates
        connect(&doc, &Doc::updated, this, [&](const QByteArray &update) {
            updateBytes += update.size();
            QVERIFY(mirror.applyUpdate(update));
        });
        for (const TracePatch &patch : m_trace->patches) {
            if (patch.deleted > 0)
                text.remove(patch.position, patch.deleted);
            if (!patch.inserted.isEmpty())
                text.insert(patch.position, patch.inserted);
        }
        QCOMPARE(text.toString(), m_trace->endContent);
        QCOMPARE(mirror.getText(QStringLiteral("text")).toString(), m_trace->endContent);
        QVERIFY(updateBytes > 0);

        Doc copy;
        QVERIFY(copy.applyUpdate(*doc.encodeStateAsUpdate()));
        QCOMPARE(copy.getText(QStringLiteral("text")).toString(), m_trace->endContent);
    }

private:
    std::optional<EditingTrace> m_trace;
};

QTEST_GUILESS_MAIN(TestGoldenData)
#include "tst_goldendata.moc"
