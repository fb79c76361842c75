#pragma once
// A room in the sidebar: "#name" (a lock for private rooms), bold with an
// unread badge when messages arrived out of view.

#include <QStyledItemDelegate>

namespace tandem::ui {

class RoomDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace tandem::ui
