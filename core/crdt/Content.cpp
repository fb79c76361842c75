#include "core/crdt/Content.h"

namespace tandem::crdt {

ContentPayload &Content::ensurePayload()
{
    if (!payload)
        payload = std::make_unique<ContentPayload>();
    return *payload;
}

Content Content::clone() const
{
    Content copy;
    copy.kind = kind;
    copy.text = text;
    if (payload)
        copy.payload = std::make_unique<ContentPayload>(*payload);
    return copy;
}

} // namespace tandem::crdt
