#include "tests/bench/desktop/SyntheticRoom.h"

#include "core/chat/MessageListModel.h"

#include <QDateTime>
#include <QStringList>

#include <random>

namespace tandem::bench {

namespace {

const QStringList authors{QStringLiteral("alice"),  QStringLiteral("bob"),   QStringLiteral("chloé"),
                          QStringLiteral("dmitri"), QStringLiteral("emeka"), QStringLiteral("fatima"),
                          QStringLiteral("gustav"), QStringLiteral("hana")};

const QStringList words{
    QStringLiteral("the"),
    QStringLiteral("build"),
    QStringLiteral("is"),
    QStringLiteral("green"),
    QStringLiteral("again"),
    QStringLiteral("I"),
    QStringLiteral("think"),
    QStringLiteral("we"),
    QStringLiteral("should"),
    QStringLiteral("merge"),
    QStringLiteral("this"),
    QStringLiteral("before"),
    QStringLiteral("lunch"),
    QStringLiteral("cursor"),
    QStringLiteral("presence"),
    QStringLiteral("document"),
    QStringLiteral("canvas"),
    QStringLiteral("review"),
    QStringLiteral("deploy"),
    QStringLiteral("tomorrow"),
    QStringLiteral("latency"),
    QStringLiteral("server"),
    QStringLiteral("client"),
    QStringLiteral("works"),
    QStringLiteral("for"),
    QStringLiteral("me"),
    QStringLiteral("can"),
    QStringLiteral("you"),
    QStringLiteral("check"),
    QStringLiteral("the"),
    QStringLiteral("logs"),
    QStringLiteral("on"),
    QStringLiteral("staging"),
    QStringLiteral("please"),
    QStringLiteral("thanks!"),
    QStringLiteral("👍"),
    QStringLiteral("meeting"),
    QStringLiteral("at"),
    QStringLiteral("three"),
    QStringLiteral("and"),
    QStringLiteral("a"),
    QStringLiteral("half"),
    QStringLiteral("https://example.org/tandem/issues/4127"),
    QStringLiteral("über"),
    QStringLiteral("naïve"),
    QStringLiteral("reconnect"),
    QStringLiteral("backoff"),
    QStringLiteral("history"),
    QStringLiteral("page"),
    QStringLiteral("scroll"),
    QStringLiteral("Ça"),
    QStringLiteral("marche"),
    QStringLiteral("fine"),
    QStringLiteral("yes"),
    QStringLiteral("no"),
    QStringLiteral("maybe"),
};

/// Mostly short chat lines, some sentences, a few paragraphs that wrap to many lines.
int wordCount(std::mt19937 &random)
{
    const int kind = std::uniform_int_distribution<int>(0, 99)(random);
    if (kind < 45)
        return std::uniform_int_distribution<int>(1, 6)(random);
    if (kind < 85)
        return std::uniform_int_distribution<int>(7, 25)(random);
    if (kind < 97)
        return std::uniform_int_distribution<int>(26, 80)(random);
    return std::uniform_int_distribution<int>(81, 250)(random);
}

} // namespace

QList<chat::ChatMessage> makeSyntheticRoom(const QString &roomId, int count)
{
    std::mt19937 random(20261128);
    std::uniform_int_distribution<qsizetype> pickWord(0, words.size() - 1);
    std::uniform_int_distribution<qsizetype> pickAuthor(0, authors.size() - 1);
    // About 700 messages a day: 100,000 messages span some 140 days.
    std::exponential_distribution<double> gapSeconds(1.0 / 120.0);

    QList<chat::ChatMessage> messages;
    messages.reserve(count);
    std::vector<qint64> offsets(static_cast<std::size_t>(count));
    qint64 elapsed = 0;
    for (auto &offset : offsets) {
        offset = elapsed;
        elapsed += 1 + static_cast<qint64>(gapSeconds(random));
    }
    const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-elapsed);

    QString author = authors.first();
    for (int i = 0; i < count; ++i) {
        // Runs of one author: a new speaker about every third message.
        if (std::uniform_int_distribution<int>(0, 2)(random) == 0)
            author = authors.at(pickAuthor(random));
        QString text;
        const int length = wordCount(random);
        for (int w = 0; w < length; ++w) {
            if (w > 0)
                text += QLatin1Char(' ');
            text += words.at(pickWord(random));
        }
        chat::ChatMessage message;
        message.id = QStringLiteral("m%1").arg(i + 1);
        message.cid = QStringLiteral("c%1").arg(i + 1);
        message.roomId = roomId;
        message.userId = author;
        message.text = text;
        message.timestamp = start.addSecs(offsets[static_cast<std::size_t>(i)]);
        message.seq = i + 1;
        message.state = chat::ChatMessage::State::Sent;
        messages.append(message);
    }
    return messages;
}

void loadIntoModel(chat::MessageListModel &model, const QList<chat::ChatMessage> &messages)
{
    for (const chat::ChatMessage &message : messages)
        model.addMessage(message);
    model.setHasMoreHistory(false);
}

} // namespace tandem::bench
