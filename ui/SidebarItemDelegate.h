#pragma once
// The sidebar's rows (rooms, members) draw their own text and badges over
// the platform's item background, so selection and hover look native.

#include <QStyledItemDelegate>

namespace tandem::ui {

class SidebarItemDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    /// The style's background, selection and focus for the row, without its text.
    void drawItemBackground(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const;
};

} // namespace tandem::ui
