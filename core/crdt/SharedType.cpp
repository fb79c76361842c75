#include "core/crdt/SharedType.h"

#include "core/crdt/Doc.h"
#include "core/crdt/Item.h"
#include "core/crdt/Transaction.h"

#include <algorithm>

namespace tandem::crdt {

namespace {

// Enough to keep a few cursors' neighbourhoods warm; lookups scan them all.
constexpr std::size_t kMaxMarkers = 16;

Clock distance(Clock a, Clock b)
{
    return a > b ? a - b : b - a;
}

} // namespace

SharedType::Position SharedType::findPosition(Transaction &transaction, Clock index)
{
    Marker *nearest = nullptr;
    for (auto it = m_markers.begin(); it != m_markers.end();) {
        if (it->item->deleted || it->item->isGc) {
            it = m_markers.erase(it);
            continue;
        }
        if (!nearest || distance(it->index, index) < distance(nearest->index, index))
            nearest = &*it;
        ++it;
    }

    Item *item = start;
    Clock itemIndex = 0;
    if (nearest && distance(nearest->index, index) < index) {
        item = nearest->item;
        itemIndex = nearest->index;
        nearest->lastUse = ++m_useCounter;
        while (item && itemIndex > index) {
            item = item->left;
            if (item && item->visible())
                itemIndex -= item->length;
        }
        if (!item) {
            item = start;
            itemIndex = 0;
        }
    }

    Position position{item ? item->left : nullptr, item, itemIndex};
    Item *lastVisible = nullptr;
    Clock lastVisibleIndex = 0;
    Clock remaining = index - itemIndex;
    StructStore &store = m_doc->store();
    while (position.right && remaining > 0) {
        Item *right = position.right;
        if (right->visible()) {
            if (remaining < right->length)
                store.findCleanStart(Id{right->id.client, right->id.clock + remaining},
                                     &transaction.splits());
            lastVisible = right;
            lastVisibleIndex = position.index;
            position.index += right->length;
            remaining -= right->length;
        }
        position.left = right;
        position.right = right->right;
    }
    if (lastVisible)
        rememberMarker(lastVisible, lastVisibleIndex);
    return position;
}

void SharedType::rememberPosition(Item *item, Clock index)
{
    if (item->visible())
        rememberMarker(item, index);
}

void SharedType::rememberMarker(Item *item, Clock index)
{
    Marker *nearest = nullptr;
    for (Marker &marker : m_markers) {
        if (!nearest || distance(marker.index, index) < distance(nearest->index, index))
            nearest = &marker;
    }
    // Move the nearest marker when it is close, so markers spread over the
    // document instead of piling up where the user types.
    if (nearest && distance(nearest->index, index) < std::max<Clock>(length / kMaxMarkers, 1)) {
        nearest->item = item;
        nearest->index = index;
        nearest->lastUse = ++m_useCounter;
        return;
    }
    if (m_markers.size() >= kMaxMarkers) {
        auto oldest =
            std::min_element(m_markers.begin(), m_markers.end(),
                             [](const Marker &a, const Marker &b) { return a.lastUse < b.lastUse; });
        m_markers.erase(oldest);
    }
    m_markers.push_back(Marker{item, index, ++m_useCounter});
}

void SharedType::shiftMarkers(Clock fromIndex, std::int64_t delta)
{
    for (Marker &marker : m_markers) {
        if (marker.index >= fromIndex)
            marker.index = Clock(std::int64_t(marker.index) + delta);
    }
}

void SharedType::onItemsMerged(const Item &left, const Item &right)
{
    for (Marker &marker : m_markers) {
        if (marker.item == &right) {
            marker.item = const_cast<Item *>(&left);
            marker.index -= left.visible() ? left.length : 0;
        }
    }
}

} // namespace tandem::crdt
