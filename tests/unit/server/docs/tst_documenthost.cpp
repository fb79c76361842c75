// DocumentHost against a real SqliteStorage: updates are on disk before any
// peer hears of them, a refused update changes nothing anywhere, documents
// are compacted and unloaded, and a new host rebuilds them from storage.

#include "core/crdt/Awareness.h"
#include "core/crdt/Doc.h"
#include "core/crdt/Lib0Decoder.h"
#include "core/crdt/Lib0Encoder.h"
#include "core/crdt/SyncProtocol.h"
#include "core/crdt/Text.h"
#include "server/docs/DocumentHost.h"
#include "server/storage/SqliteStorage.h"
#include "tests/unit/server/storage/RawSqlite.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace tandem;
using namespace tandem::server;
namespace websocket = tandem::crdt::websocket;

namespace {

/// A connection as the host sees it: records what it is sent, and how many
/// updates were on disk at the moment each message arrived.
class RecordingPeer final : public DocumentPeer {
public:
    explicit RecordingPeer(RawSqlite *disk = nullptr)
        : m_disk(disk)
    {}

    void sendDocumentMessage(const QString &, const QByteArray &message) override
    {
        messages.append(message);
        if (onMessage)
            onMessage();
        storedUpdatesWhenSent.append(
            m_disk ? m_disk->scalar(QStringLiteral("SELECT count(*) FROM doc_updates")).toInt() : -1);
    }
    void documentMessageRefused(const QString &, const protocol::Error &error) override
    {
        refusals.append(error);
    }

    /// The sync updates received (messageSync + messageYjsUpdate), payload only.
    QList<QByteArray> updates() const
    {
        QList<QByteArray> found;
        for (const QByteArray &message : messages) {
            crdt::Lib0Decoder decoder(message);
            if (decoder.readVarUint() == 0 && decoder.readVarUint() == 2)
                found.append(decoder.readVarUint8Array());
        }
        return found;
    }
    /// The awareness updates received, payload only.
    QList<QByteArray> awarenessUpdates() const
    {
        QList<QByteArray> found;
        for (const QByteArray &message : messages) {
            crdt::Lib0Decoder decoder(message);
            if (decoder.readVarUint() == 1)
                found.append(decoder.readVarUint8Array());
        }
        return found;
    }

    QList<QByteArray> messages;
    QList<int> storedUpdatesWhenSent;
    QList<protocol::Error> refusals;
    std::function<void()> onMessage; ///< e.g. a slow peer dropped while being sent to

private:
    RawSqlite *m_disk;
};

QByteArray textUpdate(crdt::Doc &doc, int index, const QString &text)
{
    QByteArray captured;
    auto connection = QObject::connect(
        &doc, &crdt::Doc::updated, [&](const QByteArray &update, crdt::Origin, bool) { captured = update; });
    doc.getText(QStringLiteral("content")).insert(index, text);
    QObject::disconnect(connection);
    return captured;
}

/// Applies a step 2 or update message to a client's document.
void applyMessage(crdt::Doc &doc, const QByteArray &message)
{
    crdt::Lib0Decoder decoder(message);
    if (decoder.readVarUint() != 0)
        return;
    crdt::Lib0Encoder reply;
    QVERIFY(crdt::sync::readMessage(decoder, reply, doc, 0).hasValue());
}

QByteArray awarenessOf(crdt::ClientId client, quint64 clock, const QString &name)
{
    crdt::Lib0Encoder encoder;
    encoder.writeVarUint(1);
    encoder.writeVarUint(client);
    encoder.writeVarUint(clock);
    encoder.writeVarString(QStringLiteral(R"({"user":{"name":"%1"}})").arg(name));
    return encoder.takeData();
}

} // namespace

class TestDocumentHost : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void openSendsStepOneOfTheStoredDocument();
    void updateIsStoredBeforeItIsFannedOutToEveryPeer();
    void updatesOfOneTurnShareOneCommit();
    void malformedUpdateIsRefusedWithoutPartialApplication_data();
    void malformedUpdateIsRefusedWithoutPartialApplication();
    void updateOverTheSizeLimitIsRefused();
    void documentOverTheSizeLimitIsRefused();
    void failedStorageRefusesTheUpdateAndStillUnloads();
    void lastPeerLeavingCompactsAndUnloads();
    void logIsCompactedEveryNUpdates();
    void changedDocumentIsCompactedOnTheInterval();
    void newHostReloadsSnapshotAndLog();
    void awarenessIsRelayedAndRemovedOnClose();
    void stepOneIsAnsweredWithStepTwo();
    void stepTwoRelaysOnlyWhatItChanges();
    void messageForADocumentNotOpenIsForbidden();
    void peerDroppedWhileBeingSentToIsClosedSafely();

private:
    void startHost();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SqliteStorage> m_storage;
    std::unique_ptr<RawSqlite> m_disk;
    DocumentSettings m_settings;
    ManualClock m_clock;
    std::unique_ptr<DocumentHost> m_host;
    const QString m_room = QStringLiteral("notes");
};

void TestDocumentHost::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_storage = std::make_unique<SqliteStorage>(m_dir->filePath(QStringLiteral("tandem.db")));
    QVERIFY(m_storage->open().hasValue());
    QVERIFY(m_storage->addUser(QStringLiteral("alice"), QStringLiteral("x")).hasValue());
    QVERIFY(m_storage->createRoom(m_room, QStringLiteral("alice"), false).hasValue());
    m_disk = std::make_unique<RawSqlite>(m_dir->filePath(QStringLiteral("tandem.db")));
    m_settings = DocumentSettings{};
    startHost();
}

void TestDocumentHost::startHost()
{
    m_host.reset();
    m_host = std::make_unique<DocumentHost>(*m_storage, m_settings, m_clock);
}

void TestDocumentHost::cleanup()
{
    m_host.reset();
    m_disk.reset();
    m_storage.reset();
    m_dir.reset();
}

void TestDocumentHost::openSendsStepOneOfTheStoredDocument()
{
    RecordingPeer peer;
    QVERIFY(m_host->open(m_room, &peer).hasValue());
    QCOMPARE(peer.messages.size(), 1);
    QCOMPARE(peer.messages.first(), QByteArray::fromHex("00000100")); // step 1 with an empty state vector
    QCOMPARE(m_host->openDocumentCount(), 1);
}

void TestDocumentHost::updateIsStoredBeforeItIsFannedOutToEveryPeer()
{
    RecordingPeer sender(m_disk.get());
    RecordingPeer other(m_disk.get());
    QVERIFY(m_host->open(m_room, &sender).hasValue());
    QVERIFY(m_host->open(m_room, &other).hasValue());
    crdt::Doc client;
    const QByteArray update = textUpdate(client, 0, QStringLiteral("hello"));

    m_host->receive(m_room, &sender, websocket::syncUpdate(update));
    QCOMPARE(other.updates().size(), 0); // not before the group commit

    QTRY_COMPARE(other.updates(), QList<QByteArray>{update});
    QCOMPARE(sender.updates(), QList<QByteArray>{update}); // the echo
    QCOMPARE(other.storedUpdatesWhenSent.constLast(), 1);
    QCOMPARE(sender.storedUpdatesWhenSent.constLast(), 1);
    QCOMPARE(m_host->contentText(m_room), QStringLiteral("hello"));
    QVERIFY(sender.refusals.isEmpty());
}

void TestDocumentHost::updatesOfOneTurnShareOneCommit()
{
    RecordingPeer peer(m_disk.get());
    QVERIFY(m_host->open(m_room, &peer).hasValue());
    crdt::Doc client;
    for (int i = 0; i < 5; ++i)
        m_host->receive(m_room, &peer, websocket::syncUpdate(textUpdate(client, i, QStringLiteral("x"))));
    QTRY_COMPARE(peer.updates().size(), 5);
    // All five were on disk before the first went out: one transaction.
    QCOMPARE(peer.storedUpdatesWhenSent.at(1), 5);
    QCOMPARE(m_host->contentText(m_room), QStringLiteral("xxxxx"));
}

void TestDocumentHost::malformedUpdateIsRefusedWithoutPartialApplication_data()
{
    QTest::addColumn<QByteArray>("message");
    crdt::Doc client;
    client.getText(QStringLiteral("content")).insert(0, QStringLiteral("abc"));
    const QByteArray withDeletion = textUpdate(client, 3, QStringLiteral("def"));
    crdt::Doc deleter;
    QVERIFY(deleter.applyUpdate(*client.encodeStateAsUpdate()).hasValue());
    QByteArray deletion;
    auto capture = connect(&deleter, &crdt::Doc::updated,
                           [&](const QByteArray &update, crdt::Origin, bool) { deletion = update; });
    deleter.transact([&](crdt::Transaction &) {
        deleter.getText(QStringLiteral("content")).insert(0, QStringLiteral("new"));
        deleter.getText(QStringLiteral("content")).remove(4, 2);
    });
    disconnect(capture);

    // yjs would integrate the struct of this one before failing on its delete set (yjs-wire.md §7.7).
    QTest::addRow("struct with a truncated delete set")
        << websocket::syncUpdate(deletion.left(deletion.size() - 1));
    QTest::addRow("truncated struct") << websocket::syncUpdate(withDeletion.left(5));
    QTest::addRow("trailing bytes after the update")
        << websocket::syncUpdate(withDeletion) + QByteArray("\x01", 1);
    QTest::addRow("unknown sync type") << QByteArray::fromHex("000700");
    QTest::addRow("unknown message type") << QByteArray::fromHex("09");
    QTest::addRow("empty message") << QByteArray();
    QTest::addRow("length beyond the message") << QByteArray::fromHex("0002ff0f01");
    QTest::addRow("awareness that is not JSON")
        << websocket::awareness(QByteArray::fromHex("0105010378797a"));
}

void TestDocumentHost::malformedUpdateIsRefusedWithoutPartialApplication()
{
    QFETCH(QByteArray, message);
    RecordingPeer sender;
    RecordingPeer other;
    QVERIFY(m_host->open(m_room, &sender).hasValue());
    QVERIFY(m_host->open(m_room, &other).hasValue());
    crdt::Doc client;
    const QByteArray base = textUpdate(client, 0, QStringLiteral("abc"));
    m_host->receive(m_room, &sender, websocket::syncUpdate(base));
    QTRY_COMPARE(other.updates().size(), 1);
    const qsizetype before = other.messages.size();

    m_host->receive(m_room, &sender, message);
    QCOMPARE(sender.refusals.size(), 1);
    QCOMPARE(sender.refusals.first().code, protocol::ErrorCode::BadRequest);
    m_host->flush();
    QCOMPARE(other.messages.size(), before); // never re-broadcast
    QCOMPARE(m_host->contentText(m_room), QStringLiteral("abc"));
    QCOMPARE(m_disk->scalar(QStringLiteral("SELECT count(*) FROM doc_updates")).toInt(), 1);
}

void TestDocumentHost::updateOverTheSizeLimitIsRefused()
{
    m_settings.maxUpdateBytes = 100;
    startHost();
    QSignalSpy limits(m_host.get(), &DocumentHost::limitExceeded);
    RecordingPeer peer;
    QVERIFY(m_host->open(m_room, &peer).hasValue());
    crdt::Doc client;
    m_host->receive(m_room, &peer,
                    websocket::syncUpdate(textUpdate(client, 0, QString(200, QLatin1Char('a')))));
    QCOMPARE(peer.refusals.size(), 1);
    QCOMPARE(peer.refusals.first().code, protocol::ErrorCode::TooLarge);
    QCOMPARE(limits.size(), 1); // for the metrics
    QCOMPARE(limits.first().first().toString(), QStringLiteral("document_update_size"));
    m_host->flush();
    QCOMPARE(peer.updates().size(), 0);
    QCOMPARE(m_host->contentText(m_room), QString());
}

void TestDocumentHost::documentOverTheSizeLimitIsRefused()
{
    m_settings.maxDocumentBytes = 400;
    startHost();
    QSignalSpy limits(m_host.get(), &DocumentHost::limitExceeded);
    RecordingPeer peer;
    QVERIFY(m_host->open(m_room, &peer).hasValue());
    crdt::Doc client;
    m_host->receive(m_room, &peer,
                    websocket::syncUpdate(textUpdate(client, 0, QString(250, QLatin1Char('a')))));
    m_host->receive(m_room, &peer,
                    websocket::syncUpdate(textUpdate(client, 250, QString(250, QLatin1Char('b')))));
    QCOMPARE(peer.refusals.size(), 1);
    QCOMPARE(peer.refusals.first().code, protocol::ErrorCode::TooLarge);
    QCOMPARE(limits.size(), 1);
    QCOMPARE(limits.first().first().toString(), QStringLiteral("document_size"));
    QTRY_COMPARE(peer.updates().size(), 1);
    QCOMPARE(m_host->contentText(m_room), QString(250, QLatin1Char('a')));
}

void TestDocumentHost::failedStorageRefusesTheUpdateAndStillUnloads()
{
    RecordingPeer sender;
    RecordingPeer other;
    QVERIFY(m_host->open(m_room, &sender).hasValue());
    QVERIFY(m_host->open(m_room, &other).hasValue());
    crdt::Doc client;
    m_host->receive(m_room, &sender, websocket::syncUpdate(textUpdate(client, 0, QStringLiteral("kept"))));
    QTRY_COMPARE(other.updates().size(), 1);

    // The disk refuses every write from now on, snapshots included.
    QVERIFY(m_disk->exec(QStringLiteral("CREATE TRIGGER full_disk BEFORE INSERT ON doc_updates"
                                        " BEGIN SELECT RAISE(ABORT, 'disk full'); END")));
    QVERIFY(m_disk->exec(QStringLiteral("CREATE TRIGGER full_disk_snapshots BEFORE INSERT ON doc_snapshots"
                                        " BEGIN SELECT RAISE(ABORT, 'disk full'); END")));
    m_host->receive(m_room, &sender, websocket::syncUpdate(textUpdate(client, 4, QStringLiteral(" lost"))));
    QTRY_COMPARE(sender.refusals.size(), 1);
    QCOMPARE(sender.refusals.first().code, protocol::ErrorCode::Internal);
    QCOMPARE(other.updates().size(), 1);
    QCOMPARE(sender.updates().size(), 1);
    QCOMPARE(m_host->contentText(m_room), QStringLiteral("kept")); // memory is never ahead of the disk

    m_host->close(m_room, &sender);
    m_host->close(m_room, &other);
    QCOMPARE(m_host->openDocumentCount(), 0); // no leak although the snapshot failed

    QVERIFY(m_disk->exec(QStringLiteral("DROP TRIGGER full_disk")));
    QVERIFY(m_disk->exec(QStringLiteral("DROP TRIGGER full_disk_snapshots")));
    RecordingPeer later;
    QVERIFY(m_host->open(m_room, &later).hasValue());
    QCOMPARE(m_host->contentText(m_room), QStringLiteral("kept"));
}

void TestDocumentHost::lastPeerLeavingCompactsAndUnloads()
{
    RecordingPeer first;
    RecordingPeer second;
    QVERIFY(m_host->open(m_room, &first).hasValue());
    QVERIFY(m_host->open(m_room, &second).hasValue());
    crdt::Doc client;
    m_host->receive(m_room, &first, websocket::syncUpdate(textUpdate(client, 0, QStringLiteral("a"))));
    m_host->receive(m_room, &first, websocket::syncUpdate(textUpdate(client, 1, QStringLiteral("b"))));
    m_host->close(m_room, &first);
    QCOMPARE(m_host->openDocumentCount(), 1);
    m_host->closeAll(&second); // the last one: pending updates are stored, then compacted
    QCOMPARE(m_host->openDocumentCount(), 0);
    QCOMPARE(m_disk->scalar(QStringLiteral("SELECT count(*) FROM doc_updates")).toInt(), 0);
    const QByteArray snapshot =
        m_disk->scalar(QStringLiteral("SELECT state FROM doc_snapshots")).toByteArray();
    crdt::Doc reloaded;
    QVERIFY(reloaded.applyUpdate(snapshot).hasValue());
    QCOMPARE(reloaded.getText(QStringLiteral("content")).toString(), QStringLiteral("ab"));
}

void TestDocumentHost::logIsCompactedEveryNUpdates()
{
    m_settings.compactEveryUpdates = 3;
    startHost();
    RecordingPeer peer;
    QVERIFY(m_host->open(m_room, &peer).hasValue());
    crdt::Doc client;
    for (int i = 0; i < 4; ++i) {
        m_host->receive(m_room, &peer, websocket::syncUpdate(textUpdate(client, i, QStringLiteral("z"))));
        m_host->flush();
    }
    QCOMPARE(m_disk->scalar(QStringLiteral("SELECT count(*) FROM doc_snapshots")).toInt(), 1);
    QCOMPARE(m_disk->scalar(QStringLiteral("SELECT count(*) FROM doc_updates")).toInt(), 1);
    QCOMPARE(m_host->openDocumentCount(), 1);
}

void TestDocumentHost::changedDocumentIsCompactedOnTheInterval()
{
    m_settings.compactIntervalMs = 10; // checked every millisecond, against the manual clock
    startHost();
    RecordingPeer peer;
    QVERIFY(m_host->open(m_room, &peer).hasValue());
    crdt::Doc client;
    m_host->receive(m_room, &peer, websocket::syncUpdate(textUpdate(client, 0, QStringLiteral("later"))));
    m_host->flush();
    QCOMPARE(m_disk->scalar(QStringLiteral("SELECT count(*) FROM doc_snapshots")).toInt(), 0);
    m_clock.advance(10);
    QTRY_COMPARE(m_disk->scalar(QStringLiteral("SELECT count(*) FROM doc_snapshots")).toInt(), 1);
    QCOMPARE(m_disk->scalar(QStringLiteral("SELECT count(*) FROM doc_updates")).toInt(), 0);
}

void TestDocumentHost::newHostReloadsSnapshotAndLog()
{
    m_settings.compactEveryUpdates = 2;
    startHost();
    RecordingPeer peer;
    QVERIFY(m_host->open(m_room, &peer).hasValue());
    crdt::Doc client;
    // Five updates, a snapshot every two: the document is a snapshot plus one logged update.
    const QStringList pieces{QStringLiteral("snap"), QStringLiteral("shot "), QStringLiteral("then "),
                             QStringLiteral("log "), QStringLiteral("😀")};
    QString text;
    for (const QString &piece : pieces) {
        m_host->receive(m_room, &peer, websocket::syncUpdate(textUpdate(client, int(text.size()), piece)));
        m_host->flush();
        text += piece;
    }
    QCOMPARE(m_disk->scalar(QStringLiteral("SELECT count(*) FROM doc_updates")).toInt(), 1);
    QCOMPARE(m_disk->scalar(QStringLiteral("SELECT count(*) FROM doc_snapshots")).toInt(), 1);

    startHost(); // a restart: nothing in memory, everything from disk
    RecordingPeer reader;
    QVERIFY(m_host->open(m_room, &reader).hasValue());
    crdt::Doc fresh;
    m_host->receive(m_room, &reader, websocket::syncStep1(fresh));
    QCOMPARE(reader.messages.size(), 2);
    applyMessage(fresh, reader.messages.at(1));
    QCOMPARE(fresh.getText(QStringLiteral("content")).toString(), text);
}

void TestDocumentHost::awarenessIsRelayedAndRemovedOnClose()
{
    RecordingPeer leaving;
    RecordingPeer staying;
    QVERIFY(m_host->open(m_room, &leaving).hasValue());
    QVERIFY(m_host->open(m_room, &staying).hasValue());
    m_host->receive(m_room, &leaving, websocket::awareness(awarenessOf(7, 1, QStringLiteral("A"))));
    QCOMPARE(staying.awarenessUpdates().size(), 1);
    QCOMPARE(leaving.awarenessUpdates().size(), 1); // echoed to the sender too

    RecordingPeer late;
    QVERIFY(m_host->open(m_room, &late).hasValue());
    QCOMPARE(late.awarenessUpdates().size(), 1); // every known state on open

    m_host->close(m_room, &leaving);
    const QByteArray removal = staying.awarenessUpdates().constLast();
    crdt::Awareness observer(99, m_clock);
    QVERIFY(observer.applyUpdate(awarenessOf(7, 1, QStringLiteral("A"))).hasValue());
    const auto change = observer.applyUpdate(removal);
    QVERIFY(change.hasValue());
    QCOMPARE(change->removed, QList<crdt::ClientId>{7}); // null at the same clock
    QCOMPARE(leaving.awarenessUpdates().size(), 1);
}

void TestDocumentHost::stepOneIsAnsweredWithStepTwo()
{
    RecordingPeer writer;
    QVERIFY(m_host->open(m_room, &writer).hasValue());
    crdt::Doc client;
    m_host->receive(m_room, &writer, websocket::syncUpdate(textUpdate(client, 0, QStringLiteral("abc"))));
    m_host->flush();
    crdt::Doc reader;
    RecordingPeer readerPeer;
    QVERIFY(m_host->open(m_room, &readerPeer).hasValue());
    m_host->receive(m_room, &readerPeer, websocket::syncStep1(reader));
    QCOMPARE(readerPeer.messages.size(), 2);
    QCOMPARE(readerPeer.messages.at(1).left(2), QByteArray::fromHex("0001"));
    applyMessage(reader, readerPeer.messages.at(1));
    QCOMPARE(reader.getText(QStringLiteral("content")).toString(), QStringLiteral("abc"));
}

void TestDocumentHost::stepTwoRelaysOnlyWhatItChanges()
{
    RecordingPeer writer;
    RecordingPeer rejoining;
    QVERIFY(m_host->open(m_room, &writer).hasValue());
    QVERIFY(m_host->open(m_room, &rejoining).hasValue());
    crdt::Doc client;
    const QString known = QString(200, QLatin1Char('k'));
    m_host->receive(m_room, &writer, websocket::syncUpdate(textUpdate(client, 0, known)));
    m_host->flush();

    // A client back from offline answers the server's step 1 with its whole state: old and new.
    crdt::Doc offline;
    QVERIFY(offline.applyUpdate(*client.encodeStateAsUpdate()).hasValue());
    textUpdate(offline, 200, QStringLiteral("!"));
    const QByteArray stepTwo = *websocket::syncStep2(offline, {});
    m_host->receive(m_room, &rejoining, stepTwo);
    m_host->flush();
    QCOMPARE(writer.updates().size(), 2);
    QVERIFY(writer.updates().constLast().size() < 50); // the "!" alone, not 200 known characters again
    crdt::Doc reader;
    QVERIFY(reader.applyUpdate(writer.updates().constFirst()).hasValue());
    QVERIFY(reader.applyUpdate(writer.updates().constLast()).hasValue());
    QCOMPARE(reader.getText(QStringLiteral("content")).toString(), known + QStringLiteral("!"));

    // The same step 2 again changes nothing, so nothing is relayed.
    m_host->receive(m_room, &rejoining, stepTwo);
    m_host->flush();
    QCOMPARE(writer.updates().size(), 2);
    QCOMPARE(m_host->contentText(m_room), known + QStringLiteral("!"));
}

void TestDocumentHost::messageForADocumentNotOpenIsForbidden()
{
    RecordingPeer peer;
    crdt::Doc client;
    m_host->receive(m_room, &peer, websocket::syncUpdate(textUpdate(client, 0, QStringLiteral("x"))));
    QCOMPARE(peer.refusals.size(), 1);
    QCOMPARE(peer.refusals.first().code, protocol::ErrorCode::Forbidden);
    QCOMPARE(m_host->openDocumentCount(), 0);
}

void TestDocumentHost::peerDroppedWhileBeingSentToIsClosedSafely()
{
    // A connection over its outgoing limit closes inside the send; the host must not have unloaded
    // the document under the caller's feet (ASan would see it).
    RecordingPeer slow;
    slow.onMessage = [&] {
        m_host->closeAll(&slow);
    };
    QVERIFY(m_host->open(m_room, &slow).hasValue());
    QVERIFY(!m_host->isOpen(m_room, &slow));
    QTRY_COMPARE(m_host->openDocumentCount(), 0);

    RecordingPeer steady;
    RecordingPeer dropped;
    QVERIFY(m_host->open(m_room, &steady).hasValue());
    QVERIFY(m_host->open(m_room, &dropped).hasValue());
    dropped.onMessage = [&] {
        m_host->closeAll(&dropped);
        m_host->closeAll(&steady);
    };
    crdt::Doc client;
    m_host->receive(m_room, &steady, websocket::syncUpdate(textUpdate(client, 0, QStringLiteral("x"))));
    m_host->flush();
    QTRY_COMPARE(m_host->openDocumentCount(), 0);
}

QTEST_GUILESS_MAIN(TestDocumentHost)
#include "tst_documenthost.moc"
