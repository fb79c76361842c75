#include "ui/SidebarItemDelegate.h"

#include <QApplication>

namespace tandem::ui {

void SidebarItemDelegate::drawItemBackground(QPainter *painter, const QStyleOptionViewItem &option,
                                             const QModelIndex &index) const
{
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);
}

} // namespace tandem::ui
