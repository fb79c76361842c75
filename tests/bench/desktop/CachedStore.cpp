#include "tests/bench/desktop/CachedStore.h"

#include "core/offline/LocalStore.h"
#include "core/offline/Mutation.h"
#include "core/protocol/Entity.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonObject>
#include <QStringList>
#include <QUuid>

#include <random>

namespace tandem::bench {

using offline::CachedMessage;
using offline::LocalStore;
using offline::Mutation;
using protocol::EntityKey;
using protocol::EntityState;
using protocol::Result;

namespace {

const QStringList roomNames{
    QStringLiteral("general"),   QStringLiteral("design"),      QStringLiteral("backend"),
    QStringLiteral("desktop"),   QStringLiteral("release"),     QStringLiteral("random"),
    QStringLiteral("ops"),       QStringLiteral("support"),     QStringLiteral("sales"),
    QStringLiteral("marketing"), QStringLiteral("docs"),        QStringLiteral("qa"),
    QStringLiteral("security"),  QStringLiteral("mobile"),      QStringLiteral("infra"),
    QStringLiteral("hiring"),    QStringLiteral("berlin"),      QStringLiteral("lyon"),
    QStringLiteral("tokyo"),     QStringLiteral("watercooler"),
};

const QStringList authors{QStringLiteral("alice"),  QStringLiteral("bob"),   QStringLiteral("chloé"),
                          QStringLiteral("dmitri"), QStringLiteral("emeka"), QStringLiteral("fatima"),
                          QStringLiteral("gustav"), QStringLiteral("hana")};

// Real chat lines, cut and joined to the length drawn for each message.
const QStringList phrases{
    QStringLiteral("the build is green again"),
    QStringLiteral("I think we should merge this before lunch"),
    QStringLiteral("can you check the logs on staging please?"),
    QStringLiteral("works for me"),
    QStringLiteral("thanks!"),
    QStringLiteral("👍"),
    QStringLiteral("meeting at three and a half, same room as last week"),
    QStringLiteral("see https://example.org/tandem/issues/4127 for the details"),
    QStringLiteral("the reconnect backoff caps at thirty seconds, which feels long on a laptop"),
    QStringLiteral("Ça marche, je regarde demain matin"),
    QStringLiteral("das ist über die Grenze, ich mache einen zweiten Patch"),
    QStringLiteral("naïve question: why does the history page stop at fifty?"),
    QStringLiteral("deploy is scheduled for tomorrow 09:00 UTC"),
    QStringLiteral("latency on the EU server went from 40 ms to 180 ms after the upgrade"),
    QStringLiteral("the cursor jumps when two people type in the same paragraph"),
    QStringLiteral("presence shows me as away even though I am typing"),
    QStringLiteral("reviewed, two small comments, otherwise fine"),
    QStringLiteral("can we move the retro to Thursday?"),
    QStringLiteral("yes"),
    QStringLiteral("no idea, maybe ask in #ops"),
    QStringLiteral("I pushed a fix, the canvas should not flicker any more when scrolling"),
    QStringLiteral("the document title was changed twice while I was offline and I lost mine"),
};

/// Mostly short lines, some sentences, a few long paragraphs: 20–400 characters.
int drawLength(std::mt19937 &random)
{
    const int kind = std::uniform_int_distribution<int>(0, 99)(random);
    if (kind < 50)
        return std::uniform_int_distribution<int>(20, 80)(random);
    if (kind < 85)
        return std::uniform_int_distribution<int>(81, 200)(random);
    return std::uniform_int_distribution<int>(201, 400)(random);
}

QString drawText(std::mt19937 &random)
{
    std::uniform_int_distribution<qsizetype> pick(0, phrases.size() - 1);
    const int length = drawLength(random);
    QString text;
    while (text.size() < length) {
        if (!text.isEmpty())
            text += QStringLiteral(". ");
        text += phrases.at(pick(random));
    }
    text.truncate(length);
    return text.trimmed();
}

Result<void> writeRoom(LocalStore &store, const QString &roomId, const QString &userId, int count,
                       qint64 nowSecs, std::mt19937 &random, int &stored)
{
    if (Result<void> saved = store.saveRoom({roomId, false}); !saved)
        return saved;
    // About six months of history, whatever the count: gaps drawn around the mean.
    const double meanGapSecs = 182.0 * 24 * 3600 / qMax(1, count);
    std::exponential_distribution<double> gap(1.0 / meanGapSecs);
    std::vector<qint64> offsets(static_cast<std::size_t>(count));
    qint64 elapsed = 0;
    for (qint64 &offset : offsets) {
        offset = elapsed;
        elapsed += 1 + static_cast<qint64>(gap(random));
    }
    const qint64 startSecs = nowSecs - elapsed;

    QStringList speakers = authors;
    speakers.append(userId);
    std::uniform_int_distribution<qsizetype> pickSpeaker(0, speakers.size() - 1);
    QString speaker = speakers.first();
    QList<CachedMessage> messages;
    messages.reserve(count);
    for (int i = 0; i < count; ++i) {
        // Runs of one author: a new speaker about every third message.
        if (std::uniform_int_distribution<int>(0, 2)(random) == 0)
            speaker = speakers.at(pickSpeaker(random));
        CachedMessage message;
        message.roomId = roomId;
        message.seq = i + 1;
        message.id = QStringLiteral("%1-m%2").arg(roomId).arg(i + 1);
        message.userId = speaker;
        message.text = drawText(random);
        message.timestamp =
            QDateTime::fromSecsSinceEpoch(startSecs + offsets[static_cast<std::size_t>(i)], Qt::UTC);
        // Only what this account sent carries its client id.
        if (speaker == userId)
            message.cid = QUuid::createUuidV5(QUuid(), message.id).toString(QUuid::WithoutBraces);
        messages.append(message);
    }
    if (Result<void> saved = store.saveMessages(messages); !saved)
        return saved;
    stored += count;
    if (Result<void> saved = store.saveMembers(roomId, speakers); !saved)
        return saved;
    return store.setCursor(roomId, count);
}

} // namespace

Result<CachedStoreSummary> buildCachedStore(const QString &path, const CachedStoreShape &shape)
{
    if (QFileInfo::exists(path))
        return protocol::fail(protocol::ErrorCode::Internal, QStringLiteral("%1 exists already").arg(path));
    const int roomCount = qBound(1, shape.rooms, static_cast<int>(roomNames.size()));
    CachedStoreSummary summary;
    {
        LocalStore store(path);
        if (Result<void> opened = store.open(); !opened)
            return unexpected(opened.error());
        std::mt19937 random(20261128);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const quint64 nodeId = 0x5eed'0000'0000'0001;
        Result<void> written = store.transaction([&]() -> Result<void> {
            // What a returning user's store holds besides history: who it is, and its HLC node.
            if (Result<void> saved = store.setMeta(QStringLiteral("account.userId"), shape.userId); !saved)
                return saved;
            if (Result<void> saved = store.setMeta(QStringLiteral("hlc.nodeId"), QString::number(nodeId, 16));
                !saved)
                return saved;
            for (int r = 0; r < roomCount; ++r) {
                const QString roomId = roomNames.at(r);
                if (Result<void> saved = writeRoom(store, roomId, shape.userId, shape.messagesPerRoom,
                                                   now.toSecsSinceEpoch(), random, summary.messages);
                    !saved)
                    return saved;
                EntityState topic;
                topic.roomId = roomId;
                topic.entity = EntityKey{}.toString();
                topic.version = 1 + r % 4;
                topic.value = {
                    {QStringLiteral("topic"), QStringLiteral("#%1: %2").arg(roomId, drawText(random))}};
                topic.updatedBy = authors.at(r % authors.size());
                topic.updatedAt = now.addDays(-r);
                if (Result<void> saved = store.saveEntity(topic); !saved)
                    return saved;
                ++summary.entities;
                // Two late edits of the room's newest messages.
                for (int back = 0; back < 2 && back < shape.messagesPerRoom; ++back) {
                    EntityState edit;
                    edit.roomId = roomId;
                    edit.entity = EntityKey::message(QStringLiteral("%1-m%2").arg(roomId).arg(
                                                         shape.messagesPerRoom - back * 7))
                                      .toString();
                    edit.version = 2;
                    edit.value = {{QStringLiteral("text"), drawText(random)},
                                  {QStringLiteral("editedBy"), authors.at((r + back) % authors.size())}};
                    if (Result<void> saved = store.saveEntity(edit); !saved)
                        return saved;
                    ++summary.entities;
                }
            }
            // Written offline when the app last ran: chat messages, one refused for good,
            // and a topic change based on the version the store holds.
            QList<Mutation> queued;
            for (int i = 0; i < shape.chatMutations; ++i) {
                Mutation chat;
                chat.cid = QUuid::createUuidV5(QUuid(), QStringLiteral("queued-%1").arg(i))
                               .toString(QUuid::WithoutBraces);
                chat.roomId = roomNames.at(i % roomCount);
                chat.entity = offline::chatEntity();
                chat.type = QStringLiteral("chat:send");
                chat.payload = {{QStringLiteral("text"), drawText(random)}};
                chat.createdAt = {now.toMSecsSinceEpoch() - 60'000 + i, 0, nodeId};
                if (i == 1) {
                    chat.state = offline::MutationState::Failed;
                    chat.reason = QStringLiteral("the message is too long");
                }
                queued.append(chat);
            }
            Mutation topic;
            topic.cid =
                QUuid::createUuidV5(QUuid(), QStringLiteral("queued-topic")).toString(QUuid::WithoutBraces);
            topic.roomId = roomNames.first();
            topic.entity = EntityKey{}.toString();
            topic.type = QStringLiteral("entity:patch");
            topic.baseVersion = 1;
            topic.payload = {
                {QStringLiteral("patch"),
                 QJsonObject{{QStringLiteral("topic"), QStringLiteral("offline planning, day 2")}}}};
            topic.createdAt = {now.toMSecsSinceEpoch() - 30'000, 0, nodeId};
            queued.append(topic);
            if (Result<void> saved = store.insertMutations(queued); !saved)
                return saved;
            summary.mutations = static_cast<int>(queued.size());
            return {};
        });
        if (!written)
            return unexpected(written.error());
    } // closed: the WAL is checkpointed into the file
    summary.bytes = QFileInfo(path).size();
    return summary;
}

} // namespace tandem::bench
