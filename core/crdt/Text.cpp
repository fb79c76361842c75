#include "core/crdt/Text.h"

#include "core/crdt/Doc.h"
#include "core/crdt/Integration.h"
#include "core/crdt/Item.h"
#include "core/crdt/SharedType.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tandem::crdt {

namespace {

int nextObserverId()
{
    static int counter = 0;
    return ++counter;
}

} // namespace

qsizetype Text::length() const
{
    return qsizetype(m_type->length);
}

QString Text::toString() const
{
    QString result;
    result.reserve(length());
    for (const Item *item = m_type->start; item; item = item->right) {
        if (!item->deleted && item->content.kind == ContentKind::String)
            result.append(item->content.text);
    }
    return result;
}

void Text::insert(qsizetype index, const QString &text)
{
    if (text.isEmpty())
        return;
    m_doc->transact([&](Transaction &transaction) {
        const Clock at = Clock(std::clamp<qsizetype>(index, 0, length()));
        SharedType::Position position = m_type->findPosition(transaction, at);
        // Step over tombstones and format markers, as Yjs's
        // minimizeAttributeChanges does for an insert that keeps the current
        // formatting, so origins match what a JS peer would produce.
        while (position.right &&
               (position.right->deleted || position.right->content.kind == ContentKind::Format)) {
            position.left = position.right;
            position.right = position.right->right;
        }
        StructStore &store = m_doc->store();
        auto *item = new Item;
        item->id = Id{m_doc->clientId(), store.state(m_doc->clientId())};
        item->length = Clock(text.size());
        if (position.left)
            item->origin = position.left->lastId();
        if (position.right)
            item->rightOrigin = position.right->id;
        item->left = position.left;
        item->right = position.right;
        item->parent = m_type;
        item->content.kind = ContentKind::String;
        item->content.text = text;
        m_type->shiftMarkers(at, std::int64_t(text.size()));
        integrateItem(transaction, item, true);
        m_type->rememberPosition(item, at);
    });
}

void Text::remove(qsizetype index, qsizetype count)
{
    const qsizetype from = std::clamp<qsizetype>(index, 0, length());
    Clock remaining = Clock(std::clamp<qsizetype>(count, 0, length() - from));
    if (remaining == 0)
        return;
    m_doc->transact([&](Transaction &transaction) {
        const Clock total = remaining;
        SharedType::Position position = m_type->findPosition(transaction, Clock(from));
        StructStore &store = m_doc->store();
        Item *item = position.right;
        while (item && remaining > 0) {
            if (item->visible()) {
                if (remaining < item->length)
                    store.findCleanStart(Id{item->id.client, item->id.clock + remaining},
                                         &transaction.splits());
                remaining -= item->length;
                deleteItem(transaction, item, true);
            }
            item = item->right;
        }
        m_type->shiftMarkers(Clock(from) + total, -std::int64_t(total));
        if (position.left && position.left->visible())
            m_type->rememberPosition(position.left, Clock(from) - position.left->length);
    });
}

int Text::observe(std::function<void(const TextEvent &)> observer)
{
    const int id = nextObserverId();
    m_type->textObservers.emplace_back(id, std::move(observer));
    return id;
}

void Text::unobserve(int id)
{
    std::erase_if(m_type->textObservers, [id](const auto &entry) { return entry.first == id; });
}

TextEvent makeTextEvent(const SharedType &type, const Transaction &transaction)
{
    TextEvent event;
    event.origin = transaction.origin();
    event.local = transaction.isLocal();
    auto &delta = event.delta;
    auto append = [&delta](TextDeltaOp::Kind kind, qsizetype length, const QString &text = {}) {
        if (!delta.empty() && delta.back().kind == kind && !delta.back().embed) {
            delta.back().length += length;
            delta.back().text += text;
            return;
        }
        delta.push_back(TextDeltaOp{kind, length, text, std::nullopt});
    };
    for (const Item *item = type.start; item; item = item->right) {
        if (!item->countable())
            continue;
        const bool inserted = transaction.insertedHere(*item);
        const bool deletedHere = item->deleted && transaction.deleteSet().contains(item->id);
        if (inserted) {
            if (item->deleted)
                continue; // inserted and deleted in the same transaction
            if (item->content.kind == ContentKind::String) {
                append(TextDeltaOp::Kind::Insert, qsizetype(item->length), item->content.text);
            } else {
                // An embed is any JSON value; QJsonDocument only parses
                // arrays and objects at the top, hence the wrapping.
                Any embed;
                if (item->content.kind == ContentKind::Embed) {
                    const QJsonDocument json =
                        QJsonDocument::fromJson('[' + item->content.text.toUtf8() + ']');
                    embed = Any::fromJson(json.array().at(0));
                }
                delta.push_back(TextDeltaOp{TextDeltaOp::Kind::Insert, 1, {}, std::move(embed)});
            }
        } else if (deletedHere) {
            append(TextDeltaOp::Kind::Delete, qsizetype(item->length));
        } else if (!item->deleted) {
            append(TextDeltaOp::Kind::Retain, qsizetype(item->length));
        }
    }
    if (!delta.empty() && delta.back().kind == TextDeltaOp::Kind::Retain)
        delta.pop_back();
    return event;
}

} // namespace tandem::crdt
