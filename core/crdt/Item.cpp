#include "core/crdt/Item.h"

#include "core/crdt/SharedType.h"

namespace tandem::crdt {

namespace {

bool isHighSurrogate(QChar c)
{
    return c.unicode() >= 0xD800 && c.unicode() <= 0xDBFF;
}

} // namespace

void trimContentFront(Content &content, Clock offset)
{
    switch (content.kind) {
    case ContentKind::String: {
        // Cutting between the halves of a surrogate pair leaves U+FFFD, as in splitItem.
        const bool cutsPair = isHighSurrogate(content.text.at(qsizetype(offset) - 1));
        content.text.remove(0, qsizetype(offset));
        if (cutsPair)
            content.text.front() = QChar(QChar::ReplacementCharacter);
        return;
    }
    case ContentKind::Any: {
        auto &values = content.ensurePayload().anyValues;
        values.erase(values.begin(), values.begin() + qsizetype(offset));
        return;
    }
    case ContentKind::Json: {
        auto &values = content.ensurePayload().jsonValues;
        values.erase(values.begin(), values.begin() + qsizetype(offset));
        return;
    }
    default:
        return; // single-unit kinds are never cut; Deleted has no payload
    }
}

Item *splitItem(Item *item, Clock offset)
{
    auto *right = new Item;
    right->id = Id{item->id.client, item->id.clock + offset};
    right->length = item->length - offset;
    right->origin = Id{item->id.client, item->id.clock + offset - 1};
    right->rightOrigin = item->rightOrigin;
    right->parent = item->parent;
    right->parentSub = item->parentSub;
    right->deleted = item->deleted;
    right->keep = item->keep;
    right->isGc = item->isGc;
    if (item->redone)
        right->redone = Id{item->redone->client, item->redone->clock + offset};
    right->content.kind = item->content.kind;
    switch (item->content.kind) {
    case ContentKind::String: {
        QString &text = item->content.text;
        right->content.text = text.mid(qsizetype(offset));
        text.truncate(qsizetype(offset));
        if (isHighSurrogate(text.back())) {
            text.back() = QChar(QChar::ReplacementCharacter);
            right->content.text.front() = QChar(QChar::ReplacementCharacter);
        }
        break;
    }
    case ContentKind::Any: {
        auto &values = item->content.payload->anyValues;
        right->content.ensurePayload().anyValues.assign(values.begin() + qsizetype(offset), values.end());
        values.resize(offset);
        break;
    }
    case ContentKind::Json: {
        auto &values = item->content.payload->jsonValues;
        right->content.ensurePayload().jsonValues = values.mid(qsizetype(offset));
        values.resize(qsizetype(offset));
        break;
    }
    default:
        break;
    }
    item->length = offset;
    right->left = item;
    right->right = item->right;
    if (right->right)
        right->right->left = right;
    item->right = right;
    return right;
}

bool canMerge(const Item &left, const Item &right)
{
    if (left.isGc || right.isGc)
        return left.isGc && right.isGc && left.id.client == right.id.client &&
               left.id.clock + left.length == right.id.clock;
    return left.id.client == right.id.client && left.id.clock + left.length == right.id.clock &&
           left.right == &right && right.origin && *right.origin == left.lastId() &&
           left.rightOrigin == right.rightOrigin && left.deleted == right.deleted && !left.redone &&
           !right.redone && left.content.kind == right.content.kind && left.content.mergeable();
}

void mergeInto(Item &left, Item &right)
{
    if (!left.isGc) {
        switch (left.content.kind) {
        case ContentKind::String:
            left.content.text.append(right.content.text);
            break;
        case ContentKind::Any: {
            auto &values = left.content.ensurePayload().anyValues;
            auto &more = right.content.ensurePayload().anyValues;
            values.insert(values.end(), std::make_move_iterator(more.begin()),
                          std::make_move_iterator(more.end()));
            break;
        }
        case ContentKind::Json:
            left.content.ensurePayload().jsonValues.append(right.content.ensurePayload().jsonValues);
            break;
        default:
            break;
        }
        if (right.keep)
            left.keep = true;
        left.right = right.right;
        if (left.right)
            left.right->left = &left;
        if (right.parentSub && left.parent) {
            auto it = left.parent->map.find(*right.parentSub);
            if (it != left.parent->map.end() && it.value() == &right)
                it.value() = &left;
        }
        if (left.parent)
            left.parent->onItemsMerged(left, right);
    }
    left.length += right.length;
}

} // namespace tandem::crdt
