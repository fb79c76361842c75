#include "core/crdt/RelativePosition.h"

#include "core/crdt/Doc.h"
#include "core/crdt/Item.h"
#include "core/crdt/Lib0Decoder.h"
#include "core/crdt/Lib0Encoder.h"
#include "core/crdt/SharedType.h"
#include "core/crdt/Text.h"
#include "core/crdt/UndoManager.h"
#include "core/crdt/UpdateCodec.h"

namespace tandem::crdt {

namespace {

enum PositionKind : quint8 { KindItem = 0, KindRootName = 1, KindType = 2 };

QJsonObject idToJson(Id id)
{
    return QJsonObject{{QStringLiteral("client"), double(id.client)},
                       {QStringLiteral("clock"), double(id.clock)}};
}

std::optional<Id> idFromJson(const QJsonValue &value)
{
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject object = value.toObject();
    const double client = object.value(QStringLiteral("client")).toDouble(-1);
    const double clock = object.value(QStringLiteral("clock")).toDouble(-1);
    if (client < 0 || clock < 0 || client > double(kMaxSafeInteger) || clock > double(kMaxSafeInteger))
        return std::nullopt;
    return Id{ClientId(client), Clock(clock)};
}

RelativePosition positionIn(const SharedType *type, std::optional<Id> item, int assoc)
{
    RelativePosition position;
    if (type->typeItem)
        position.type = type->typeItem->id;
    else
        position.typeName = type->rootName;
    position.item = item;
    position.assoc = assoc;
    return position;
}

} // namespace

QByteArray RelativePosition::encode() const
{
    Lib0Encoder encoder;
    if (item) {
        encoder.writeVarUint(KindItem);
        writeId(encoder, *item);
    } else if (typeName) {
        encoder.writeVarUint(KindRootName);
        encoder.writeVarString(*typeName);
    } else if (type) {
        encoder.writeVarUint(KindType);
        writeId(encoder, *type);
    } else {
        return {};
    }
    encoder.writeVarInt(assoc);
    return encoder.takeData();
}

Expected<RelativePosition, DecodeError> RelativePosition::decode(const QByteArray &encoded)
{
    Lib0Decoder decoder(encoded);
    RelativePosition position;
    switch (decoder.readVarUint()) {
    case KindItem: {
        const ClientId client = decoder.readVarUint();
        position.item = Id{client, decoder.readVarUint()};
        break;
    }
    case KindRootName:
        position.typeName = decoder.readVarString();
        break;
    case KindType: {
        const ClientId client = decoder.readVarUint();
        position.type = Id{client, decoder.readVarUint()};
        break;
    }
    default:
        decoder.fail(DecodeErrorCode::UnknownContentType, "unknown relative position kind");
    }
    // Yjs writes assoc since 13.5; older encodings end here and mean 0.
    if (!decoder.failed() && decoder.hasContent())
        position.assoc = int(std::clamp<std::int64_t>(decoder.readVarInt(), -1, 1));
    if (!decoder.failed() && decoder.hasContent())
        decoder.fail(DecodeErrorCode::TrailingBytes, "bytes after the relative position");
    if (decoder.failed())
        return unexpected(*decoder.error());
    return position;
}

QJsonObject RelativePosition::toJson() const
{
    QJsonObject json;
    if (type)
        json.insert(QStringLiteral("type"), idToJson(*type));
    if (typeName)
        json.insert(QStringLiteral("tname"), *typeName);
    if (item)
        json.insert(QStringLiteral("item"), idToJson(*item));
    json.insert(QStringLiteral("assoc"), assoc);
    return json;
}

std::optional<RelativePosition> RelativePosition::fromJson(const QJsonObject &json)
{
    RelativePosition position;
    position.type = idFromJson(json.value(QStringLiteral("type")));
    if (json.value(QStringLiteral("tname")).isString())
        position.typeName = json.value(QStringLiteral("tname")).toString();
    position.item = idFromJson(json.value(QStringLiteral("item")));
    position.assoc = json.value(QStringLiteral("assoc")).toInt(0) < 0 ? -1 : 0;
    if (!position.type && !position.typeName && !position.item)
        return std::nullopt;
    return position;
}

RelativePosition createRelativePosition(const Text &text, qsizetype index, int assoc)
{
    const SharedType *type = text.sharedType();
    Clock remaining = Clock(std::max<qsizetype>(index, 0));
    if (assoc < 0) {
        if (remaining == 0)
            return positionIn(type, std::nullopt, assoc);
        --remaining;
    }
    for (const Item *item = type->start; item; item = item->right) {
        if (item->visible()) {
            if (item->length > remaining)
                return positionIn(type, Id{item->id.client, item->id.clock + remaining}, assoc);
            remaining -= item->length;
        }
        if (!item->right && assoc < 0)
            return positionIn(type, item->lastId(), assoc);
    }
    return positionIn(type, std::nullopt, assoc);
}

std::optional<AbsolutePosition> resolveRelativePosition(const RelativePosition &position, Doc &doc)
{
    StructStore &store = doc.store();
    if (position.item) {
        if (store.state(position.item->client) <= position.item->clock)
            return std::nullopt;
        const auto [right, offset] = followRedone(store, *position.item);
        if (!right || right->isGc || !right->parent)
            return std::nullopt;
        SharedType *type = right->parent;
        qsizetype index = 0;
        if (!type->typeItem || !type->typeItem->deleted) {
            index = right->visible() ? qsizetype(offset) + (position.assoc >= 0 ? 0 : 1) : 0;
            for (const Item *left = right->left; left; left = left->left) {
                if (left->visible())
                    index += qsizetype(left->length);
            }
        }
        return AbsolutePosition{type, index, position.assoc};
    }
    SharedType *type = nullptr;
    if (position.typeName) {
        type = doc.rootType(*position.typeName);
    } else if (position.type) {
        if (store.state(position.type->client) <= position.type->clock)
            return std::nullopt;
        const Item *typeItem = followRedone(store, *position.type).first;
        if (!typeItem || typeItem->isGc || typeItem->content.kind != ContentKind::Type)
            return std::nullopt;
        type = typeItem->content.payload->type;
    } else {
        return std::nullopt;
    }
    return AbsolutePosition{type, position.assoc >= 0 ? qsizetype(type->length) : 0, position.assoc};
}

} // namespace tandem::crdt
