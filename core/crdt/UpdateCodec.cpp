#include "core/crdt/UpdateCodec.h"

#include "core/crdt/Item.h"
#include "core/crdt/Lib0Decoder.h"
#include "core/crdt/Lib0Encoder.h"
#include "core/crdt/SharedType.h"

#include <algorithm>

namespace tandem::crdt {

namespace {

constexpr quint8 kHasOrigin = 0x80;
constexpr quint8 kHasRightOrigin = 0x40;
constexpr quint8 kHasParentSub = 0x20;
constexpr quint8 kRefMask = 0x1F;
constexpr quint8 kRefGc = 0;
constexpr quint8 kRefSkip = 10;

Id readId(Lib0Decoder &decoder)
{
    const ClientId client = decoder.readVarUint();
    const Clock clock = decoder.readVarUint();
    return Id{client, clock};
}

// Reads the content for `ref` and returns its length in clocks.
Clock readContent(Lib0Decoder &decoder, quint8 ref, Content &content)
{
    content.kind = ContentKind(ref);
    switch (ContentKind(ref)) {
    case ContentKind::Deleted:
        return decoder.readVarUint();
    case ContentKind::Json: {
        const std::uint64_t count = decoder.readCount(1);
        QStringList &values = content.ensurePayload().jsonValues;
        for (std::uint64_t i = 0; i < count && !decoder.failed(); ++i)
            values.append(decoder.readVarString());
        return count;
    }
    case ContentKind::Binary:
        content.ensurePayload().binary = decoder.readVarUint8Array();
        return 1;
    case ContentKind::String:
        content.text = decoder.readVarString();
        return Clock(content.text.size());
    case ContentKind::Embed:
        content.text = decoder.readVarString();
        return 1;
    case ContentKind::Format:
        content.text = decoder.readVarString();
        content.ensurePayload().formatValue = decoder.readVarString();
        return 1;
    case ContentKind::Type: {
        ContentPayload &payload = content.ensurePayload();
        const std::uint64_t typeRef = decoder.readVarUint();
        if (typeRef > quint8(TypeRef::XmlText)) {
            decoder.fail(DecodeErrorCode::UnknownContentType, "unknown type ref");
            return 0;
        }
        payload.typeRef = TypeRef(typeRef);
        if (payload.typeRef == TypeRef::XmlElement || payload.typeRef == TypeRef::XmlHook)
            payload.nodeName = decoder.readVarString();
        return 1;
    }
    case ContentKind::Any: {
        const std::uint64_t count = decoder.readCount(1);
        auto &values = content.ensurePayload().anyValues;
        values.reserve(count);
        for (std::uint64_t i = 0; i < count && !decoder.failed(); ++i)
            values.push_back(Any::decode(decoder));
        return count;
    }
    case ContentKind::Doc:
        content.text = decoder.readVarString();
        content.ensurePayload().docOptions = Any::decode(decoder);
        return 1;
    }
    decoder.fail(DecodeErrorCode::UnknownContentType, "unknown content ref");
    return 0;
}

std::unique_ptr<Item> readStruct(Lib0Decoder &decoder, ClientId client, Clock clock)
{
    auto item = std::make_unique<Item>();
    item->id = Id{client, clock};
    const quint8 info = decoder.readUint8();
    const quint8 ref = info & kRefMask;
    if (ref == kRefGc || ref == kRefSkip) {
        item->isGc = ref == kRefGc;
        item->isSkip = ref == kRefSkip;
        item->length = decoder.readVarUint();
        return item;
    }
    if (ref > quint8(ContentKind::Doc)) {
        decoder.fail(DecodeErrorCode::UnknownContentType, "unknown struct ref");
        return item;
    }
    if (info & kHasOrigin)
        item->origin = readId(decoder);
    if (info & kHasRightOrigin)
        item->rightOrigin = readId(decoder);
    if ((info & (kHasOrigin | kHasRightOrigin)) == 0) {
        auto parent = std::make_unique<WireParent>();
        const std::uint64_t parentInfo = decoder.readVarUint();
        if (parentInfo == 1) {
            parent->kind = WireParent::Kind::Root;
            parent->rootName = decoder.readVarString();
        } else if (parentInfo == 0) {
            parent->kind = WireParent::Kind::Nested;
            parent->typeId = readId(decoder);
        } else {
            decoder.fail(DecodeErrorCode::BadReference, "parent info is neither 0 nor 1");
        }
        item->wireParent = std::move(parent);
        if (info & kHasParentSub)
            item->parentSub = decoder.readVarString();
    }
    item->length = readContent(decoder, ref, item->content);
    return item;
}

// An item can only reference what existed when it was created: never its own
// clock range or later clocks of its own client. Such a reference could
// never be satisfied and would sit pending forever.
bool referencesOwnFuture(const Item &item)
{
    auto refersForward = [&item](const std::optional<Id> &id) {
        return id && id->client == item.id.client && id->clock >= item.id.clock;
    };
    return refersForward(item.origin) || refersForward(item.rightOrigin) ||
           (item.wireParent && item.wireParent->kind == WireParent::Kind::Nested &&
            refersForward(item.wireParent->typeId));
}

void writeContent(Lib0Encoder &encoder, const Item &item, Clock offset)
{
    const Content &content = item.content;
    switch (content.kind) {
    case ContentKind::Deleted:
        encoder.writeVarUint(item.length - offset);
        return;
    case ContentKind::Json: {
        const QStringList &values = content.payload->jsonValues;
        encoder.writeVarUint(Clock(values.size()) - offset);
        for (qsizetype i = qsizetype(offset); i < values.size(); ++i)
            encoder.writeVarString(values[i]);
        return;
    }
    case ContentKind::Binary:
        encoder.writeVarUint8Array(content.payload->binary);
        return;
    case ContentKind::String:
        encoder.writeVarString(QStringView(content.text).mid(qsizetype(offset)));
        return;
    case ContentKind::Embed:
        encoder.writeVarString(content.text);
        return;
    case ContentKind::Format:
        encoder.writeVarString(content.text);
        encoder.writeVarString(content.payload->formatValue);
        return;
    case ContentKind::Type:
        encoder.writeVarUint(quint8(content.payload->typeRef));
        if (content.payload->typeRef == TypeRef::XmlElement || content.payload->typeRef == TypeRef::XmlHook)
            encoder.writeVarString(content.payload->nodeName);
        return;
    case ContentKind::Any: {
        const auto &values = content.payload->anyValues;
        encoder.writeVarUint(Clock(values.size()) - offset);
        for (std::size_t i = offset; i < values.size(); ++i)
            values[i].encode(encoder);
        return;
    }
    case ContentKind::Doc:
        encoder.writeVarString(content.text);
        content.payload->docOptions.encode(encoder);
        return;
    }
}

} // namespace

void writeId(Lib0Encoder &encoder, Id id)
{
    encoder.writeVarUint(id.client);
    encoder.writeVarUint(id.clock);
}

void writeSkip(Lib0Encoder &encoder, Clock length)
{
    encoder.writeUint8(kRefSkip);
    encoder.writeVarUint(length);
}

void writeStruct(Lib0Encoder &encoder, const Item &item, Clock offset)
{
    if (item.isGc) {
        encoder.writeUint8(kRefGc);
        encoder.writeVarUint(item.length - offset);
        return;
    }
    const std::optional<Id> origin =
        offset > 0 ? Id{item.id.client, item.id.clock + offset - 1} : item.origin;
    quint8 info = quint8(item.content.kind);
    if (origin)
        info |= kHasOrigin;
    if (item.rightOrigin)
        info |= kHasRightOrigin;
    if (item.parentSub)
        info |= kHasParentSub;
    encoder.writeUint8(info);
    if (origin)
        writeId(encoder, *origin);
    if (item.rightOrigin)
        writeId(encoder, *item.rightOrigin);
    if (!origin && !item.rightOrigin) {
        if (item.wireParent) {
            // Still pending: written back as it arrived.
            if (item.wireParent->kind == WireParent::Kind::Root) {
                encoder.writeVarUint(1);
                encoder.writeVarString(item.wireParent->rootName);
            } else {
                encoder.writeVarUint(0);
                writeId(encoder, item.wireParent->typeId);
            }
        } else if (item.parent && item.parent->typeItem) {
            encoder.writeVarUint(0);
            writeId(encoder, item.parent->typeItem->id);
        } else {
            encoder.writeVarUint(1);
            encoder.writeVarString(item.parent ? item.parent->rootName : QString());
        }
        if (item.parentSub)
            encoder.writeVarString(*item.parentSub);
    }
    writeContent(encoder, item, offset);
}

Expected<DecodedUpdate, DecodeError> decodeUpdate(const QByteArray &update)
{
    Lib0Decoder decoder(update);
    DecodedUpdate result;
    const std::uint64_t clientCount = decoder.readCount(3);
    for (std::uint64_t c = 0; c < clientCount && !decoder.failed(); ++c) {
        const std::uint64_t structCount = decoder.readCount(2);
        const ClientId client = decoder.readVarUint();
        Clock clock = decoder.readVarUint();
        auto &structs = result.structs[client];
        for (std::uint64_t s = 0; s < structCount && !decoder.failed(); ++s) {
            std::unique_ptr<Item> item = readStruct(decoder, client, clock);
            if (decoder.failed())
                break;
            if (item->length == 0) {
                decoder.fail(DecodeErrorCode::BadReference, "struct of length zero");
                break;
            }
            if (item->length > kMaxSafeInteger + 1 - clock) {
                decoder.fail(DecodeErrorCode::IntegerOutOfRange, "struct clock beyond 2^53");
                break;
            }
            if (referencesOwnFuture(*item)) {
                decoder.fail(DecodeErrorCode::BadReference, "struct references its own future");
                break;
            }
            // Left and right neighbour cannot be one character; peers would
            // place such an item differently (found by fuzzing).
            if (item->origin && item->origin == item->rightOrigin) {
                decoder.fail(DecodeErrorCode::BadReference, "origin equals right origin");
                break;
            }
            clock += item->length;
            structs.push_back(std::move(item));
        }
    }
    result.deletes = DeleteSet::decode(decoder);
    if (!decoder.failed() && decoder.hasContent())
        decoder.fail(DecodeErrorCode::TrailingBytes, "bytes after the delete set");
    if (decoder.failed())
        return unexpected(*decoder.error());
    // Blocks of one client are in clock order unless a client was split
    // over several blocks; sorting is only needed then.
    const auto byClock = [](const auto &a, const auto &b) {
        return a->id.clock < b->id.clock;
    };
    for (auto &[client, structs] : result.structs) {
        if (!std::is_sorted(structs.begin(), structs.end(), byClock))
            std::stable_sort(structs.begin(), structs.end(), byClock);
    }
    return result;
}

QByteArray encodeStateVector(const std::vector<std::pair<ClientId, Clock>> &state)
{
    auto sorted = state;
    std::sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    Lib0Encoder encoder;
    encoder.writeVarUint(sorted.size());
    for (const auto &[client, clock] : sorted) {
        encoder.writeVarUint(client);
        encoder.writeVarUint(clock);
    }
    return encoder.takeData();
}

Expected<StateVector, DecodeError> decodeStateVector(const QByteArray &encoded)
{
    StateVector result;
    if (encoded.isEmpty())
        return result;
    Lib0Decoder decoder(encoded);
    const std::uint64_t count = decoder.readCount(2);
    for (std::uint64_t i = 0; i < count && !decoder.failed(); ++i) {
        const ClientId client = decoder.readVarUint();
        const Clock clock = decoder.readVarUint();
        result[client] = clock;
    }
    if (!decoder.failed() && decoder.hasContent())
        decoder.fail(DecodeErrorCode::TrailingBytes, "bytes after the state vector");
    if (decoder.failed())
        return unexpected(*decoder.error());
    return result;
}

} // namespace tandem::crdt
