#include "ui/MemberDelegate.h"

#include "core/chat/PresenceRoster.h"
#include "ui/ThemeColors.h"

#include <QApplication>
#include <QPainter>

namespace tandem::ui {

using chat::PresenceRoster;

void MemberDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                           const QModelIndex &index) const
{
    drawItemBackground(painter, option, index);

    const auto status = static_cast<PresenceRoster::Status>(index.data(PresenceRoster::StatusRole).toInt());
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette &palette = option.palette;
    const QRect area = option.rect.adjusted(8, 0, -8, 0);
    const int dot = option.fontMetrics.height() / 2 + 2;

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRect dotRect(area.left(), area.center().y() - dot / 2, dot, dot);
    painter->setPen(QPen(palette.color(QPalette::Base), 1));
    painter->setBrush(ThemeColors::presence(palette, status));
    if (status == PresenceRoster::Status::Offline) {
        // Hollow, so "offline" does not depend on telling two greys apart.
        painter->setPen(QPen(ThemeColors::presence(palette, status), 1.5));
        painter->setBrush(Qt::NoBrush);
    }
    painter->drawEllipse(dotRect);
    QColor text = palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    if (status == PresenceRoster::Status::Offline && !selected)
        text = palette.color(QPalette::PlaceholderText);
    painter->setPen(text);
    const QRect label = area.adjusted(dot + 8, 0, 0, 0);
    painter->drawText(label, Qt::AlignVCenter | Qt::AlignLeft,
                      option.fontMetrics.elidedText(index.data(PresenceRoster::UserIdRole).toString(),
                                                    Qt::ElideRight, label.width()));
    painter->restore();
}

QSize MemberDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QSize base = QStyledItemDelegate::sizeHint(option, index);
    return {base.width(), qMax(base.height(), option.fontMetrics.height() + 8)};
}

} // namespace tandem::ui
