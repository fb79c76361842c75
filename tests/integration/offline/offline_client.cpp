// tandem-offline-client: a headless client built on core/offline and
// core/client, for tests that kill it at any moment (tst_offlinecrash). It is
// not a test itself; it prints one line per event on stdout, flushed at once.
//
//   enqueue --store PATH --room R --count N --seed S --start K [--message-ids a,b,c] [--batch B]
//       Offline: creates mutations K..K+N-1, each decided by (S, index) alone,
//       through MutationQueue::enqueue, and prints "shown <i> <cid>" once the
//       commit returned (what the UI would show). The index to continue from
//       is committed in the same transaction as the mutation, so a mutation
//       that was committed but never printed is not created twice: the run
//       starts at max(K, stored index) and prints "start <index>" first.
//   sync --store PATH --url ws://... --token T --room R
//       Connects a real Session and SyncEngine and replays the queue: prints
//       "pending <n>", then "settled <cid>" per ack, and "done" (exit 0) once
//       the queue is empty and the room's current state has arrived.
//       A conflict its policy settled prints "resolved <cid>";
//       "failed <cid> <reason>" (exit 3), "conflict <cid>" (exit 4) and
//       "unauthorized" (exit 5) end the run.

#include "core/client/QtTimerSource.h"
#include "core/client/Session.h"
#include "core/common/Clock.h"
#include "core/offline/ConflictResolver.h"
#include "core/offline/EntityCache.h"
#include "core/offline/HybridLogicalClock.h"
#include "core/offline/LocalStore.h"
#include "core/offline/MutationQueue.h"
#include "core/offline/SyncEngine.h"
#include "core/protocol/Entity.h"
#include "core/protocol/MessageType.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHash>
#include <QRandomGenerator>

#include <cstdio>

using namespace tandem;
using namespace tandem::offline;

namespace {

/// Where the next enqueue continues: written in the transaction of the mutation before it.
const QString NextIndexKey = QStringLiteral("offline-client.next-index");
const QString NodeIdKey = QStringLiteral("offline-client.node-id");

enum ExitCode { Ok = 0, Usage = 2, Failed = 3, Conflicted = 4, Unauthorized = 5, StoreError = 6 };

void say(const QString &line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
    std::fflush(stdout);
}

int storeError(const QString &what, const protocol::Error &error)
{
    std::fprintf(stderr, "offline_client: %s: %s\n", qPrintable(what), qPrintable(error.message));
    return StoreError;
}

/// The node id of this store's clock, created on first use.
Result<quint64> nodeIdOf(LocalStore &store)
{
    const Result<std::optional<QString>> stored = store.meta(NodeIdKey);
    if (!stored)
        return unexpected(stored.error());
    if (*stored)
        return (*stored)->toULongLong(nullptr, 16);
    const quint64 node = QRandomGenerator::system()->generate64() | 1;
    if (Result<void> saved = store.setMeta(NodeIdKey, QString::number(node, 16)); !saved)
        return unexpected(saved.error());
    return node;
}

/// What the user does at step `index`: decided by the seed and the index
/// alone, so a restarted run continues the same sequence. Mostly chat
/// messages ("m<i>"); some edits of existing messages ("e<i>") and room topic
/// changes ("t<i>"), made on the version the user sees.
Mutation mutationAt(quint64 seed, int index, const QString &roomId, const QStringList &messageIds)
{
    const quint32 words[] = {static_cast<quint32>(seed), static_cast<quint32>(seed >> 32),
                             static_cast<quint32>(index)};
    QRandomGenerator random(std::begin(words), std::end(words));
    const quint32 roll = random.bounded(100u);
    Mutation mutation;
    mutation.roomId = roomId;
    if (roll < 12 && !messageIds.isEmpty()) {
        const QString messageId = messageIds.at(random.bounded(static_cast<int>(messageIds.size())));
        mutation.entity = protocol::EntityKey::message(messageId).toString();
        mutation.type = QString(protocol::MessageType::EntityPatch);
        mutation.payload = {
            {QStringLiteral("patch"), QJsonObject{{QStringLiteral("text"), u'e' + QString::number(index)}}}};
    } else if (roll < 18) {
        mutation.entity = protocol::EntityKey{protocol::EntityKind::Room, {}}.toString();
        mutation.type = QString(protocol::MessageType::EntityPatch);
        mutation.payload = {
            {QStringLiteral("patch"), QJsonObject{{QStringLiteral("topic"), u't' + QString::number(index)}}}};
    } else {
        mutation.entity = chatEntity();
        mutation.type = QString(protocol::MessageType::ChatSend);
        mutation.payload = {{QStringLiteral("text"), u'm' + QString::number(index)}};
    }
    return mutation;
}

struct Offline {
    explicit Offline(const QString &path)
        : store(path)
    {}
    LocalStore store;
    std::unique_ptr<HybridLogicalClock> clock;
    std::unique_ptr<MutationQueue> queue;
    std::unique_ptr<EntityCache> entities;

    Result<void> open()
    {
        if (Result<void> opened = store.open(); !opened)
            return opened;
        const Result<quint64> node = nodeIdOf(store);
        if (!node)
            return unexpected(node.error());
        clock = std::make_unique<HybridLogicalClock>(Clock::system(), *node);
        queue = std::make_unique<MutationQueue>(store, *clock);
        entities = std::make_unique<EntityCache>(store, *queue);
        if (Result<void> loaded = queue->load(); !loaded)
            return loaded;
        return entities->load();
    }
};

int enqueue(const QCommandLineParser &parser)
{
    Offline offline(parser.value(QStringLiteral("store")));
    if (Result<void> opened = offline.open(); !opened)
        return storeError(QStringLiteral("opening the store"), opened.error());
    const QString roomId = parser.value(QStringLiteral("room"));
    const quint64 seed = parser.value(QStringLiteral("seed")).toULongLong();
    const int first = parser.value(QStringLiteral("start")).toInt();
    const int end = first + parser.value(QStringLiteral("count")).toInt();
    const int batch = std::max(1, parser.value(QStringLiteral("batch")).toInt());
    const QStringList messageIds =
        parser.value(QStringLiteral("message-ids")).split(QLatin1Char(','), Qt::SkipEmptyParts);

    const Result<std::optional<QString>> stored = offline.store.meta(NextIndexKey);
    if (!stored)
        return storeError(QStringLiteral("reading the next index"), stored.error());
    int index = std::max(first, *stored ? (*stored)->toInt() : 0);
    say(QStringLiteral("start %1").arg(index));

    while (index < end) {
        const int count = std::min(batch, end - index);
        QList<Mutation> mutations;
        // Bases within one batch: each change of an entity is made on the one before it.
        QHash<QString, qint64> nextBase;
        for (int i = index; i < index + count; ++i) {
            Mutation mutation = mutationAt(seed, i, roomId, messageIds);
            if (!mutation.isChat()) {
                const auto it = nextBase.constFind(mutation.entity);
                mutation.baseVersion =
                    it != nextBase.cend() ? *it : offline.entities->nextBaseVersion(roomId, mutation.entity);
                mutation.baseValue = offline.entities->displayed(roomId, mutation.entity);
                nextBase.insert(mutation.entity, mutation.baseVersion + 1);
            }
            mutations.append(std::move(mutation));
        }
        QList<Mutation> enqueued;
        const Result<void> committed = offline.store.transaction([&]() -> Result<void> {
            Result<QList<Mutation>> added = offline.queue->enqueue(mutations);
            if (!added)
                return unexpected(added.error());
            enqueued = std::move(*added);
            return offline.store.setMeta(NextIndexKey, QString::number(index + count));
        });
        if (!committed)
            return storeError(QStringLiteral("enqueueing"), committed.error());
        for (qsizetype i = 0; i < enqueued.size(); ++i)
            say(QStringLiteral("shown %1 %2").arg(index + i).arg(enqueued.at(i).cid));
        index += count;
    }
    return Ok;
}

int sync(const QCommandLineParser &parser)
{
    Offline offline(parser.value(QStringLiteral("store")));
    if (Result<void> opened = offline.open(); !opened)
        return storeError(QStringLiteral("opening the store"), opened.error());
    const QString roomId = parser.value(QStringLiteral("room"));
    say(QStringLiteral("pending %1").arg(offline.queue->pendingCount()));

    client::QtTimerSource timers;
    client::Session session(QUrl(parser.value(QStringLiteral("url"))), parser.value(QStringLiteral("token")));
    ConflictResolver resolver;
    SyncEngine engine(session, *offline.queue, *offline.entities, resolver, timers);

    bool roomLive = false;
    bool finished = false;
    const auto finish = [&](int code) {
        if (!finished) {
            finished = true;
            QCoreApplication::exit(code);
        }
    };
    // Caught up: nothing left to send, and the room's current state (room:joined) applied.
    const auto finishIfDone = [&] {
        if (roomLive && offline.queue->pendingCount() == 0) {
            say(QStringLiteral("done"));
            finish(Ok);
        }
    };
    QObject::connect(&engine, &SyncEngine::acknowledged, &engine, [&](const Mutation &mutation) {
        say(QStringLiteral("settled %1").arg(mutation.cid));
        finishIfDone();
    });
    QObject::connect(&engine, &SyncEngine::mutationFailed, &engine,
                     [&](const Mutation &mutation, const QString &reason) {
                         say(QStringLiteral("failed %1 %2").arg(mutation.cid, reason));
                         finish(Failed);
                     });
    QObject::connect(&engine, &SyncEngine::conflictNeedsUser, &engine, [&](const Mutation &mine) {
        say(QStringLiteral("conflict %1").arg(mine.cid));
        finish(Conflicted);
    });
    // Settled by its policy without asking; reported so a test can tell a conflict happened.
    QObject::connect(&engine, &SyncEngine::conflictResolved, &engine,
                     [&](const Mutation &mine) { say(QStringLiteral("resolved %1").arg(mine.cid)); });
    QObject::connect(&session, &client::Session::authenticationRequired, &engine, [&] {
        say(QStringLiteral("unauthorized"));
        finish(Unauthorized);
    });
    QObject::connect(&session, &client::Session::roomJoined, &engine, [&](const QString &room) {
        if (room == roomId) {
            roomLive = true;
            finishIfDone();
        }
    });
    if (Result<void> joined = session.joinRoom(roomId); !joined)
        return storeError(QStringLiteral("joining"), joined.error());
    session.connectToServer();
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A headless offline client for crash tests."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("enqueue or sync"));
    for (const char *name :
         {"store", "room", "count", "seed", "start", "message-ids", "batch", "url", "token"})
        parser.addOption(QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(name),
                                            QStringLiteral("value")));
    parser.process(app);
    const QStringList positional = parser.positionalArguments();
    const QString command = positional.value(0);
    if (!parser.isSet(QStringLiteral("store")) || !parser.isSet(QStringLiteral("room"))) {
        std::fputs("offline_client: --store and --room are required\n", stderr);
        return Usage;
    }
    if (command == QLatin1String("enqueue"))
        return enqueue(parser);
    if (command == QLatin1String("sync"))
        return sync(parser);
    std::fputs("offline_client: the command is enqueue or sync\n", stderr);
    return Usage;
}
