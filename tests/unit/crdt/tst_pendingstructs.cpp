// Structs and deletions whose dependencies have not arrived wait, are
// relayed by full-state updates, and integrate when the dependencies come.

#include "core/crdt/Doc.h"
#include "core/crdt/Text.h"

#include <QSignalSpy>
#include <QTest>

using namespace tandem::crdt;

namespace {

// The updates a sequence of edits on `doc` emits, one per edit.
template <typename... Edits> std::vector<QByteArray> updatesOf(Doc &doc, Edits &&...edits)
{
    std::vector<QByteArray> updates;
    QObject context;
    QObject::connect(&doc, &Doc::updated, &context,
                     [&updates](const QByteArray &update) { updates.push_back(update); });
    (edits(), ...);
    return updates;
}

} // namespace

class TestPendingStructs : public QObject {
    Q_OBJECT
private slots:
    void sameClientGapWaits()
    {
        Doc author(1);
        Text text = author.getText(QStringLiteral("t"));
        const auto updates = updatesOf(
            author, [&] { text.insert(0, QStringLiteral("a")); },
            [&] { text.insert(1, QStringLiteral("b")); }, [&] { text.insert(2, QStringLiteral("c")); });
        Doc reader(2);
        QSignalSpy emitted(&reader, &Doc::updated);
        QVERIFY(reader.applyUpdate(updates[2]));
        QVERIFY(reader.applyUpdate(updates[1]));
        QVERIFY(reader.hasPending());
        QCOMPARE(reader.getText(QStringLiteral("t")).toString(), QString());
        QCOMPARE(emitted.size(), 0); // nothing integrated, nothing to relay
        QVERIFY(reader.applyUpdate(updates[0]));
        QVERIFY(!reader.hasPending());
        QCOMPARE(reader.getText(QStringLiteral("t")).toString(), QStringLiteral("abc"));
        QCOMPARE(emitted.size(), 1);
    }

    void crossClientDependencyWaitsAndIsRelayed()
    {
        Doc a(1);
        a.getText(QStringLiteral("t")).insert(0, QStringLiteral("base"));
        const QByteArray fromA = *a.encodeStateAsUpdate();
        Doc b(2);
        QVERIFY(b.applyUpdate(fromA));
        b.getText(QStringLiteral("t")).insert(4, QStringLiteral("+b"));
        const QByteArray fromB = *b.encodeStateAsUpdate(a.encodeStateVector());

        Doc relay(3);
        QVERIFY(relay.applyUpdate(fromB)); // depends on A's "base"
        QVERIFY(relay.hasPending());
        QCOMPARE(relay.encodeStateVector().toHex(' '), QByteArray("00"));

        // A server relaying its full state passes the pending structs on.
        Doc late(4);
        QVERIFY(late.applyUpdate(*relay.encodeStateAsUpdate()));
        QVERIFY(late.applyUpdate(fromA));
        QCOMPARE(late.getText(QStringLiteral("t")).toString(), QStringLiteral("base+b"));

        QVERIFY(relay.applyUpdate(fromA));
        QVERIFY(!relay.hasPending());
        QCOMPARE(relay.getText(QStringLiteral("t")).toString(), QStringLiteral("base+b"));
    }

    void deletionsOfUnknownStructsWait()
    {
        Doc author(1);
        Text text = author.getText(QStringLiteral("t"));
        const auto updates = updatesOf(
            author, [&] { text.insert(0, QStringLiteral("hello")); }, [&] { text.remove(1, 3); });
        Doc reader(2);
        QVERIFY(reader.applyUpdate(updates[1])); // only a delete set
        QVERIFY(reader.hasPending());
        // The pending deletion is relayed with the full state.
        Doc relayed(3);
        QVERIFY(relayed.applyUpdate(*reader.encodeStateAsUpdate()));
        QVERIFY(reader.applyUpdate(updates[0]));
        QVERIFY(!reader.hasPending());
        QCOMPARE(reader.getText(QStringLiteral("t")).toString(), QStringLiteral("ho"));
        QVERIFY(relayed.applyUpdate(updates[0]));
        QCOMPARE(relayed.getText(QStringLiteral("t")).toString(), QStringLiteral("ho"));
    }

    void duplicatesAndOverlapsAreIdempotent()
    {
        Doc author(1);
        Text text = author.getText(QStringLiteral("t"));
        text.insert(0, QStringLiteral("abc"));
        const QByteArray first = *author.encodeStateAsUpdate();
        text.insert(3, QStringLiteral("def"));
        const QByteArray both = *author.encodeStateAsUpdate();
        Doc reader(2);
        QVERIFY(reader.applyUpdate(first));
        QVERIFY(reader.applyUpdate(both)); // "abc" is known: only "def" is new
        QVERIFY(reader.applyUpdate(both));
        QCOMPARE(reader.getText(QStringLiteral("t")).toString(), QStringLiteral("abcdef"));
    }

    void ownClientIdFromElsewhereIsReplaced()
    {
        Doc impostor(5);
        impostor.getText(QStringLiteral("t")).insert(0, QStringLiteral("x"));
        Doc doc(5);
        QVERIFY(doc.applyUpdate(*impostor.encodeStateAsUpdate()));
        QVERIFY(doc.clientId() != 5);
        doc.getText(QStringLiteral("t")).insert(1, QStringLiteral("y"));
        QCOMPARE(doc.getText(QStringLiteral("t")).toString(), QStringLiteral("xy"));
    }
};

QTEST_GUILESS_MAIN(TestPendingStructs)
#include "tst_pendingstructs.moc"
