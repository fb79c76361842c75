#pragma once
// A room in the sidebar: "#name" (a lock for private rooms), bold with an
// unread badge when messages arrived out of view.

#include "ui/SidebarItemDelegate.h"

namespace tandem::ui {

class RoomDelegate : public SidebarItemDelegate {
    Q_OBJECT

public:
    using SidebarItemDelegate::SidebarItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace tandem::ui
