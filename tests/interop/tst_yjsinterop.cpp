// The C++ CRDT against the real `yjs` npm package under Node
// (tests/interop/yjs-peer.mjs): golden data encoded by us and read by Yjs,
// and a convergence fuzz of three native and three JavaScript docs.
//
// Rounds: TANDEM_CRDT_FUZZ_ROUNDS (default 200), first seed:
// TANDEM_CRDT_FUZZ_SEED (default 1). A failure names its seed.

#include "YjsPeer.h"
#include "core/crdt/Doc.h"
#include "core/crdt/Text.h"
#include "tests/unit/crdt/EditingTrace.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace tandem::crdt;

namespace {

int environmentNumber(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok ? value : fallback;
}

// Blind indices wrap around the current length, as yjs-peer.mjs does.
void insertWrapped(Text &text, quint32 index, const QString &inserted)
{
    text.insert(qsizetype(index % quint32(text.length() + 1)), inserted);
}

void removeWrapped(Text &text, quint32 index, qsizetype length)
{
    if (text.length() == 0)
        return;
    const qsizetype at = qsizetype(index % quint32(text.length()));
    text.remove(at, std::min(length, text.length() - at));
}

// A random run of letters, accents, surrogate pairs and a compound emoji, so
// that blind indices regularly land inside a pair.
QString randomText(QRandomGenerator &random)
{
    static const QStringList pieces{QStringLiteral("a"),  QStringLiteral("b"),        QStringLiteral("é"),
                                    QStringLiteral("😀"),  QStringLiteral("👍🏽"), QStringLiteral("\n"),
                                    QStringLiteral("xyz")};
    QString text;
    const int count = 1 + int(random.bounded(3));
    for (int i = 0; i < count; ++i)
        text += pieces[random.bounded(pieces.size())];
    return text;
}

} // namespace

class TestYjsInterop : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        const QString interopDir = QStringLiteral(TANDEM_INTEROP_DIR);
        QVERIFY2(QFile::exists(interopDir + QStringLiteral("/node_modules/yjs/package.json")),
                 "run `npm ci --prefix tests/interop` first");
        m_peer = std::make_unique<YjsPeer>(interopDir);
        QVERIFY2(m_peer->started(), qPrintable(m_peer->lastError()));
        m_trace = testdata::loadEditingTrace(QStringLiteral(TANDEM_CRDT_TEST_DATA));
        QVERIFY(m_trace);
    }

    void init()
    {
        QVERIFY(
            m_peer->call({{QStringLiteral("cmd"), QStringLiteral("reset")}})[QLatin1String("ok")].toBool());
    }

    void b4ReencodedByUsIsReadByYjs()
    {
        Doc doc;
        QVERIFY(doc.applyUpdate(testdata::loadB4Update(QStringLiteral(TANDEM_CRDT_TEST_DATA))));
        QVERIFY(m_peer->newDoc(0, 1));
        QVERIFY2(m_peer->apply(0, *doc.encodeStateAsUpdate()), qPrintable(m_peer->lastError()));
        QCOMPARE(m_peer->text(0), m_trace->endContent);
    }

    void replayedTraceIsReadByYjs()
    {
        Doc doc(0xCAFE);
        Text text = doc.getText(QStringLiteral("text"));
        for (const testdata::TracePatch &patch : m_trace->patches) {
            text.remove(patch.position, patch.deleted);
            text.insert(patch.position, patch.inserted);
        }
        QVERIFY(m_peer->newDoc(0, 1));
        QVERIFY2(m_peer->apply(0, *doc.encodeStateAsUpdate()), qPrintable(m_peer->lastError()));
        QCOMPARE(m_peer->text(0), m_trace->endContent);
    }

    void yjsEditsAreReadByUs()
    {
        QVERIFY(m_peer->newDoc(0, 77));
        QVERIFY(m_peer->insert(0, 0, QStringLiteral("héllo 😀 wörld")));
        QVERIFY(m_peer->remove(0, 6, 1)); // half of the emoji: Yjs leaves U+FFFD
        QVERIFY(m_peer->insert(0, 3, QStringLiteral("👍🏽")));
        Doc doc(5);
        for (const QByteArray &update : m_peer->drain(0))
            QVERIFY(doc.applyUpdate(update));
        QCOMPARE(doc.getText(QStringLiteral("text")).toString(), m_peer->text(0));
        QCOMPARE(doc.encodeStateVector(), m_peer->stateVector(0));
    }

    void convergenceFuzz()
    {
        const int rounds = environmentNumber("TANDEM_CRDT_FUZZ_ROUNDS", 200);
        const int firstSeed = environmentNumber("TANDEM_CRDT_FUZZ_SEED", 1);
        for (int seed = firstSeed; seed < firstSeed + rounds; ++seed) {
            runConvergenceRound(quint32(seed));
            if (QTest::currentTestFailed()) {
                qWarning("convergence failed with TANDEM_CRDT_FUZZ_SEED=%d TANDEM_CRDT_FUZZ_ROUNDS=1", seed);
                return;
            }
        }
    }

private:
    static constexpr int kNativeDocs = 3;
    static constexpr int kJsDocs = 3;
    static constexpr int kDocs = kNativeDocs + kJsDocs;

    void runConvergenceRound(quint32 seed)
    {
        QRandomGenerator random(seed);
        QVERIFY(
            m_peer->call({{QStringLiteral("cmd"), QStringLiteral("reset")}})[QLatin1String("ok")].toBool());

        std::vector<quint64> clients;
        while (clients.size() < std::size_t(kDocs)) {
            // Mostly 32-bit ids as Yjs makes them, sometimes a 53-bit one as Yrs does.
            const quint64 client = random.bounded(4) == 0 ? (random.generate64() & ((quint64(1) << 53) - 1))
                                                          : quint64(random.generate());
            if (std::find(clients.begin(), clients.end(), client) == clients.end())
                clients.push_back(client);
        }
        std::vector<std::unique_ptr<Doc>> natives;
        std::vector<QByteArray> pool; // every update any doc made, as sent
        for (int i = 0; i < kNativeDocs; ++i) {
            natives.push_back(std::make_unique<Doc>(clients[std::size_t(i)]));
            connect(natives.back().get(), &Doc::updated, this,
                    [&pool](const QByteArray &update, Origin, bool local) {
                        if (local)
                            pool.push_back(update);
                    });
        }
        for (int js = 0; js < kJsDocs; ++js)
            QVERIFY(m_peer->newDoc(js, clients[std::size_t(kNativeDocs + js)]));

        auto deliver = [&](int target, const QByteArray &update) {
            if (target < kNativeDocs) {
                const auto applied = natives[std::size_t(target)]->applyUpdate(update);
                QVERIFY2(applied, qPrintable(applied ? QString() : applied.error().message));
            } else {
                QVERIFY2(m_peer->apply(target - kNativeDocs, update), qPrintable(m_peer->lastError()));
            }
        };

        const int steps = 8 + int(random.bounded(8));
        for (int step = 0; step < steps; ++step) {
            const int actor = int(random.bounded(kDocs));
            const int edits = 1 + int(random.bounded(3));
            for (int e = 0; e < edits; ++e) {
                const quint32 index = random.generate();
                const bool insert = random.bounded(3) != 0;
                if (actor < kNativeDocs) {
                    Text text = natives[std::size_t(actor)]->getText(QStringLiteral("text"));
                    if (insert)
                        insertWrapped(text, index, randomText(random));
                    else
                        removeWrapped(text, index, 1 + qsizetype(random.bounded(3)));
                } else if (insert) {
                    QVERIFY(m_peer->insert(actor - kNativeDocs, index, randomText(random)));
                } else {
                    QVERIFY(m_peer->remove(actor - kNativeDocs, index, 1 + qsizetype(random.bounded(3))));
                }
            }
            for (int js = 0; js < kJsDocs; ++js) {
                for (const QByteArray &update : m_peer->drain(js))
                    pool.push_back(update);
            }
            // Deliver a random, shuffled selection with duplicates; the rest is dropped.
            if (!pool.empty() && random.bounded(2) == 0) {
                const int target = int(random.bounded(kDocs));
                const int count = 1 + int(random.bounded(quint32(std::min<std::size_t>(pool.size(), 6))));
                for (int k = 0; k < count; ++k) {
                    deliver(target, pool[random.bounded(quint32(pool.size()))]);
                    if (QTest::currentTestFailed())
                        return;
                }
            }
        }

        // Sync every pair by state vector; what was dropped arrives now.
        auto stateVectorOf = [&](int doc) {
            return doc < kNativeDocs ? natives[std::size_t(doc)]->encodeStateVector()
                                     : m_peer->stateVector(doc - kNativeDocs);
        };
        auto diffOf = [&](int doc, const QByteArray &stateVector) {
            return doc < kNativeDocs ? *natives[std::size_t(doc)]->encodeStateAsUpdate(stateVector)
                                     : m_peer->diff(doc - kNativeDocs, stateVector);
        };
        for (int target = 0; target < kDocs; ++target) {
            for (int source = 0; source < kDocs; ++source) {
                if (source != target)
                    deliver(target, diffOf(source, stateVectorOf(target)));
                if (QTest::currentTestFailed())
                    return;
            }
        }
        const QString expected = m_peer->text(0);
        for (int js = 1; js < kJsDocs; ++js)
            QCOMPARE(m_peer->text(js), expected);
        for (const auto &native : natives) {
            QCOMPARE(native->getText(QStringLiteral("text")).toString(), expected);
            QVERIFY(!native->hasPending());
            QCOMPARE(native->encodeStateVector(), m_peer->stateVector(0));
        }
    }

    std::unique_ptr<YjsPeer> m_peer;
    std::optional<testdata::EditingTrace> m_trace;
};

QTEST_GUILESS_MAIN(TestYjsInterop)
#include "tst_yjsinterop.moc"
