#pragma once
// A member of the room: a presence dot (online, away, offline) and the name,
// dimmed when offline.

#include "ui/SidebarItemDelegate.h"

namespace tandem::ui {

class MemberDelegate : public SidebarItemDelegate {
    Q_OBJECT

public:
    using SidebarItemDelegate::SidebarItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace tandem::ui
