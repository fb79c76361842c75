#pragma once
// A member of the room: a presence dot (online, away, offline) and the name,
// dimmed when offline.

#include <QStyledItemDelegate>

namespace tandem::ui {

class MemberDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace tandem::ui
