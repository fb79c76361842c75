// DocumentSession against a fake server (DocumentTestRig.h) on fake
// transports and a manual clock: convergence, offline edits merging through
// the state-vector exchange, the stored state, undo of one's own edits,
// awareness cursors as relative positions and their 30 s timeout. No sockets,
// no sleeping.

#include "tests/unit/docs/DocumentTestRig.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSignalSpy>

using namespace tandem;
using namespace tandem::test::docrig;

class TestDocumentSession : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void userColourIsStableAndShared();
    void twoSessionsConvergeThroughTheServer();
    void offlineEditsMergeOnReconnect();
    void documentOpensOfflineFromTheStore();
    void undoUndoesOwnEditsOnly();
    void awarenessCursorsAreRelativeAndFollowRemoteEdits();
    void idleAwarenessExpiresAfterThirtySeconds();
    void nothingBinaryBeforeTheServerAnswers();
};

void TestDocumentSession::userColourIsStableAndShared()
{
    // FNV-1a, not the per-process seeded qHash: every process and machine agrees.
    QCOMPARE(docs::userHue(QStringLiteral("ada")), docs::userHue(QStringLiteral("ada")));
    QVERIFY(docs::userHue(QStringLiteral("ada")) != docs::userHue(QStringLiteral("bob")));
    const QString colour = docs::userColorName(QStringLiteral("ada"));
    QVERIFY2(QRegularExpression(QStringLiteral("^#[0-9a-f]{6}$")).match(colour).hasMatch(),
             qPrintable(colour));
    QCOMPARE(docs::userHue(QStringLiteral("")), int(2166136261u % 360));
    QCOMPARE(docs::userColorName(QStringLiteral("ada")), QStringLiteral("#5abea1")); // docs/CRDT.md's example
}

void TestDocumentSession::twoSessionsConvergeThroughTheServer()
{
    Fixture f;
    QSignalSpy adaSynced(f.ada->document.get(), &DocumentSession::syncedChanged);
    f.ada->connect();
    f.bob->connect();
    f.settle();
    QVERIFY(f.ada->document->isSynced());
    QVERIFY(f.bob->document->isSynced());
    QCOMPARE(adaSynced.size(), 1);

    f.ada->document->insert(0, QStringLiteral("hello"));
    f.settle();
    QCOMPARE(f.bob->text(), QStringLiteral("hello"));
    // Concurrent edits on both sides, emoji included (UTF-16 units).
    f.ada->document->insert(5, QStringLiteral(" world 😀"));
    f.bob->document->insert(0, QStringLiteral("> "));
    f.bob->document->remove(2, 1);
    f.settle();
    QCOMPARE(f.ada->text(), QStringLiteral("> ello world 😀"));
    QCOMPARE(f.bob->text(), f.ada->text());
    QCOMPARE(f.server.doc.getText(QStringLiteral("content")).toString(), f.ada->text());
}

void TestDocumentSession::offlineEditsMergeOnReconnect()
{
    Fixture f;
    f.ada->connect();
    f.bob->connect();
    f.settle();
    f.ada->document->insert(0, QStringLiteral("The quick fox."));
    f.settle();
    QCOMPARE(f.bob->text(), QStringLiteral("The quick fox."));

    f.goOffline(*f.ada);
    f.goOffline(*f.bob);
    QVERIFY(!f.ada->document->isSynced());
    // The same paragraph, the same spot, by both.
    f.ada->document->insert(10, QStringLiteral("brown "));
    f.ada->document->insert(f.ada->document->text().length(), QStringLiteral(" Ada"));
    f.bob->document->insert(10, QStringLiteral("red "));
    f.bob->document->remove(0, 4);
    f.settle();
    QCOMPARE(f.ada->text(), QStringLiteral("The quick brown fox. Ada"));
    QCOMPARE(f.bob->text(), QStringLiteral("quick red fox."));

    f.comeBack(*f.ada);
    f.comeBack(*f.bob);
    f.settle();
    QCOMPARE(f.ada->text(), f.bob->text());
    const QString merged = f.ada->text();
    for (const QString &piece : {QStringLiteral("brown "), QStringLiteral("red "), QStringLiteral(" Ada"),
                                 QStringLiteral("quick "), QStringLiteral("fox.")})
        QVERIFY2(merged.contains(piece), qPrintable(merged));
    QVERIFY2(!merged.startsWith(QStringLiteral("The")), qPrintable(merged));
    QCOMPARE(merged.size(), QStringLiteral("quick brown red fox. Ada").size());
}

void TestDocumentSession::documentOpensOfflineFromTheStore()
{
    Fixture f;
    f.ada->connect();
    f.settle();
    f.ada->document->insert(0, QStringLiteral("kept on disk"));
    f.settle();
    f.goOffline(*f.ada);
    f.ada->document->insert(0, QStringLiteral("offline: "));
    f.ada->document.reset(); // the app closes: the state is stored on the way out

    f.ada->openDocument(); // no connection
    QCOMPARE(f.ada->text(), QStringLiteral("offline: kept on disk"));
    const auto stored = f.ada->store->document(Room);
    QVERIFY(stored && stored->has_value());
    // The offline edit reaches the server through the state-vector exchange.
    f.comeBack(*f.ada);
    QCOMPARE(f.server.doc.getText(QStringLiteral("content")).toString(),
             QStringLiteral("offline: kept on disk"));
}

void TestDocumentSession::undoUndoesOwnEditsOnly()
{
    Fixture f;
    f.ada->connect();
    f.bob->connect();
    f.settle();
    f.ada->document->insert(0, QStringLiteral("ada "));
    f.settle();
    f.ada->document->undoManager().stopCapturing();
    f.bob->document->insert(4, QStringLiteral("bob"));
    f.settle();
    QCOMPARE(f.ada->text(), QStringLiteral("ada bob"));
    QVERIFY(f.ada->document->undo());
    f.settle();
    QCOMPARE(f.ada->text(), QStringLiteral("bob"));
    QCOMPARE(f.bob->text(), QStringLiteral("bob"));
    QVERIFY(!f.ada->document->undo()); // bob's edit is not ada's to undo
    QVERIFY(f.ada->document->redo());
    f.settle();
    QCOMPARE(f.bob->text(), QStringLiteral("ada bob"));
}

void TestDocumentSession::awarenessCursorsAreRelativeAndFollowRemoteEdits()
{
    Fixture f;
    f.ada->connect();
    f.bob->connect();
    f.settle();
    f.ada->document->insert(0, QStringLiteral("hello world"));
    f.settle();
    QSignalSpy bobSees(f.bob->document.get(), &DocumentSession::remoteCursorsChanged);
    f.ada->document->setCursor(6, 11); // "world" selected
    f.settle();
    QVERIFY(bobSees.size() >= 1);
    auto cursors = f.bob->document->remoteCursors();
    QCOMPARE(cursors.size(), 1);
    QCOMPARE(cursors.first().name, QStringLiteral("ada"));
    QCOMPARE(cursors.first().color, docs::userColorName(QStringLiteral("ada")));
    QCOMPARE(cursors.first().anchor, 6);
    QCOMPARE(cursors.first().head, 11);

    // The y-codemirror convention: cursor.{anchor,head} as relativePositionToJSON.
    const QJsonObject state = *f.ada->document->awareness().localState();
    const QJsonObject anchor =
        state.value(QLatin1String("cursor")).toObject().value(QLatin1String("anchor")).toObject();
    QCOMPARE(anchor.value(QLatin1String("item")).toObject().value(QLatin1String("client")).toDouble(),
             double(f.ada->document->doc().clientId()));
    QCOMPARE(state.value(QLatin1String("user")).toObject().value(QLatin1String("name")).toString(),
             QStringLiteral("ada"));
    // The end of the text has no item to stick to: the type's name.
    QCOMPARE(state.value(QLatin1String("cursor"))
                 .toObject()
                 .value(QLatin1String("head"))
                 .toObject()
                 .value(QLatin1String("tname"))
                 .toString(),
             QStringLiteral("content"));

    // Bob types before ada's selection: it moves with the text, not the index.
    f.bob->document->insert(0, QStringLiteral(">> "));
    f.settle();
    cursors = f.bob->document->remoteCursors();
    QCOMPARE(cursors.first().anchor, 9);
    QCOMPARE(cursors.first().head, 14);
    QCOMPARE(f.bob->text().mid(cursors.first().anchor, 5), QStringLiteral("world"));
}

void TestDocumentSession::idleAwarenessExpiresAfterThirtySeconds()
{
    Fixture f;
    f.ada->connect();
    f.bob->connect();
    f.settle();
    f.ada->document->setCursor(0, 0);
    f.settle();
    QCOMPARE(f.bob->document->remoteCursors().size(), 1);
    // Ada stays connected and idle: her 15 s renewals keep her there.
    for (int i = 0; i < 20; ++i) {
        f.timers.advance(3000);
        f.server.pump(f.clients());
    }
    QCOMPARE(f.bob->document->remoteCursors().size(), 1);
    // Ada's link dies silently (no null removal reaches bob): her state
    // expires once it is 30 s old (checked every 3 s).
    f.server.dropped(f.ada.get());
    f.server.pump({f.bob.get()});
    QCOMPARE(f.bob->document->remoteCursors().size(), 1);
    QSignalSpy changed(f.bob->document.get(), &DocumentSession::remoteCursorsChanged);
    f.timers.advance(crdt::Awareness::kOutdatedTimeoutMs + crdt::Awareness::kCheckIntervalMs);
    QVERIFY(f.bob->document->remoteCursors().isEmpty());
    QVERIFY(changed.size() >= 1);
}

void TestDocumentSession::nothingBinaryBeforeTheServerAnswers()
{
    // A server that does not know documents never gets a binary frame (it
    // would close the socket with 1003).
    ManualClock clock;
    ManualTimerSource timers(clock);
    QTemporaryDir dir;
    Client ada(QStringLiteral("ada"), clock, timers, dir.filePath(QStringLiteral("a.db")));
    ada.connect();
    QCOMPARE(ada.transport->sentOfType(QStringLiteral("doc:open")).size(), 1);
    ada.document->insert(0, QStringLiteral("local only"));
    ada.document->setCursor(1, 1);
    timers.advance(1000);
    QVERIFY(ada.transport->sentBinary.isEmpty());
    QCOMPARE(ada.text(), QStringLiteral("local only"));
}

QTEST_GUILESS_MAIN(TestDocumentSession)
#include "tst_documentsession.moc"
