#pragma once
// A room's worth of stored chat messages, as the desktop benchmarks load it
// "from a cache": deterministic texts of varied length (one-word replies to
// paragraphs), a handful of authors taking turns in runs, and timestamps
// spread over many days, so the delegate's day and author grouping kicks in.

#include "core/chat/ChatMessage.h"

#include <QList>
#include <QString>

namespace tandem::chat {
class MessageListModel;
}

namespace tandem::bench {

/// `count` messages of room `roomId`, seq 1 … count, oldest first, ending now.
QList<chat::ChatMessage> makeSyntheticRoom(const QString &roomId, int count);
/// Adds them to `model` in seq order, as a cache load would, and marks the
/// history complete so that no view asks a server for older pages.
void loadIntoModel(chat::MessageListModel &model, const QList<chat::ChatMessage> &messages);

} // namespace tandem::bench
