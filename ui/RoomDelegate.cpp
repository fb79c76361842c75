#include "ui/RoomDelegate.h"

#include "core/chat/RoomListModel.h"

#include <QApplication>
#include <QPainter>

namespace tandem::ui {

using chat::RoomListModel;

void RoomDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                         const QModelIndex &index) const
{
    drawItemBackground(painter, option, index);

    const bool selected = option.state & QStyle::State_Selected;
    const QPalette &palette = option.palette;
    const QColor text = palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const int unread = index.data(RoomListModel::UnreadRole).toInt();
    const bool isPrivate = index.data(RoomListModel::PrivateRole).toBool();
    const QRect area = option.rect.adjusted(8, 0, -8, 0);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QFont font = option.font;
    font.setBold(unread > 0);
    int badgeWidth = 0;
    if (unread > 0) {
        QFont badgeFont = option.font;
        badgeFont.setBold(true);
        badgeFont.setPointSizeF(badgeFont.pointSizeF() * 0.85);
        const QString count = unread > 99 ? QStringLiteral("99+") : QString::number(unread);
        const QFontMetrics metrics(badgeFont);
        const int height = metrics.height() + 2;
        badgeWidth = qMax(height, metrics.horizontalAdvance(count) + 10);
        const QRect badge(area.right() - badgeWidth, area.center().y() - height / 2, badgeWidth, height);
        painter->setPen(Qt::NoPen);
        painter->setBrush(palette.color(selected ? QPalette::HighlightedText : QPalette::Highlight));
        painter->drawRoundedRect(badge, height / 2.0, height / 2.0);
        painter->setPen(palette.color(selected ? QPalette::Highlight : QPalette::HighlightedText));
        painter->setFont(badgeFont);
        painter->drawText(badge, Qt::AlignCenter, count);
    }
    painter->setFont(font);
    painter->setPen(text);
    // "#" marks a public room, a drawn padlock a private one: no emoji font needed.
    const int glyph = painter->fontMetrics().horizontalAdvance(QLatin1Char('#'));
    const QRect mark(area.left(), area.top(), glyph, area.height());
    if (isPrivate) {
        const int size = painter->fontMetrics().height() / 2;
        const QRect body(mark.center().x() - size / 2, mark.center().y() - size / 4, size, size * 3 / 4);
        painter->setPen(QPen(text, 1.4));
        painter->setBrush(text);
        painter->drawRect(body);
        painter->setBrush(Qt::NoBrush);
        painter->drawArc(QRect(body.left() + 1, body.top() - size / 2, size - 2, size), 0, 180 * 16);
    } else {
        painter->drawText(mark, Qt::AlignVCenter | Qt::AlignHCenter, QStringLiteral("#"));
    }
    const QRect label = area.adjusted(glyph + 6, 0, -(badgeWidth + (badgeWidth > 0 ? 6 : 0)), 0);
    painter->drawText(label, Qt::AlignVCenter | Qt::AlignLeft,
                      painter->fontMetrics().elidedText(index.data(RoomListModel::RoomIdRole).toString(),
                                                        Qt::ElideRight, label.width()));
    painter->restore();
}

QSize RoomDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QSize base = QStyledItemDelegate::sizeHint(option, index);
    return {base.width(), qMax(base.height(), option.fontMetrics.height() + 12)};
}

} // namespace tandem::ui
