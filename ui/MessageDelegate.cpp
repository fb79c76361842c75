#include "ui/MessageDelegate.h"

#include "core/chat/ChatMessage.h"
#include "core/chat/MessageListModel.h"
#include "core/docs/UserColor.h"
#include "ui/ThemeColors.h"

#include <QAbstractItemView>
#include <QDateTime>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>

namespace tandem::ui {

using chat::MessageListModel;

namespace {

constexpr int Margin = 10;
constexpr int Spacing = 8;

QFont boldFont(QFont font)
{
    font.setBold(true);
    return font;
}

QFont smallFont(QFont font)
{
    font.setPointSizeF(font.pointSizeF() * 0.85);
    return font;
}

QColor avatarColor(const QPalette &palette, const QString &userId)
{
    // A stable hue per person, the one their document caret has (the same in
    // every process); lightness from the palette so the initial stays readable.
    const int hue = docs::userHue(userId);
    return QColor::fromHsl(hue, 110, ThemeColors::isDark(palette) ? 110 : 140);
}

} // namespace

struct MessageDelegate::Geometry {
    int avatarSize = 0;
    int dayHeight = 0;    ///< 0 when the row does not start a day
    int headerHeight = 0; ///< 0 when the row does not start a group
    QRect textRect;       ///< relative to the row's top-left
    int height = 0;
};

MessageDelegate::MessageDelegate(QAbstractItemView *view, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_view(view)
{}

QString MessageDelegate::dayLabel(const QDate &day, const QDate &today)
{
    if (day == today)
        return tr("Today");
    if (day == today.addDays(-1))
        return tr("Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

QString MessageDelegate::shownText(const QModelIndex &index)
{
    if (index.data(MessageListModel::DeletedRole).toBool())
        return tr("This message was deleted.");
    const QString text = index.data(MessageListModel::TextRole).toString();
    return index.data(MessageListModel::EditedRole).toBool() ? tr("%1 (edited)").arg(text) : text;
}

QString MessageDelegate::statusNote(const QModelIndex &index)
{
    switch (static_cast<chat::ChatMessage::State>(index.data(MessageListModel::StateRole).toInt())) {
    case chat::ChatMessage::State::Pending:
        return tr("sending…");
    case chat::ChatMessage::State::Failed:
        return tr("not sent");
    case chat::ChatMessage::State::Sent:
        break;
    }
    return index.data(MessageListModel::ChangePendingRole).toBool() ? tr("syncing…") : QString();
}

MessageDelegate::Geometry MessageDelegate::layout(const QStyleOptionViewItem &option,
                                                  const QModelIndex &index, int width) const
{
    Geometry geometry;
    const QFontMetrics metrics(option.font);
    geometry.avatarSize = metrics.height() * 2;
    if (index.data(MessageListModel::StartsDayRole).toBool())
        geometry.dayHeight = metrics.height() + 2 * Spacing;
    const bool startsGroup = index.data(MessageListModel::StartsGroupRole).toBool();
    if (startsGroup)
        geometry.headerHeight = QFontMetrics(boldFont(option.font)).height() + Spacing / 2;
    const int left = Margin + geometry.avatarSize + Spacing;
    int textWidth = width - left - Margin;
    if (const QString note = statusNote(index); !note.isEmpty()) {
        // Leave room for the "sending…", "not sent" or "syncing…" note at the right.
        textWidth -= QFontMetrics(smallFont(option.font)).horizontalAdvance(note) + Spacing;
    }
    textWidth = qMax(50, textWidth);
    const QRect bounds = metrics.boundingRect(QRect(0, 0, textWidth, 100000),
                                              Qt::TextWordWrap | Qt::AlignLeft, shownText(index));
    const int top = geometry.dayHeight + (startsGroup ? Spacing : 0) + geometry.headerHeight;
    geometry.textRect = QRect(left, top, textWidth, bounds.height());
    geometry.height =
        qMax(top + bounds.height(), startsGroup ? geometry.dayHeight + Spacing + geometry.avatarSize : 0) + 2;
    return geometry;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const int width = m_view ? m_view->viewport()->width() : option.rect.width();
    return {width, layout(option, index, width).height};
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    const Geometry geometry = layout(option, index, option.rect.width());
    const QPalette &palette = option.palette;
    const QPoint origin = option.rect.topLeft();
    const QColor dim = palette.color(QPalette::PlaceholderText);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);

    const QDateTime timestamp = index.data(MessageListModel::TimestampRole).toDateTime().toLocalTime();
    if (geometry.dayHeight > 0) {
        const QString label = dayLabel(timestamp.date(), QDate::currentDate());
        const QRect band(origin.x(), origin.y(), option.rect.width(), geometry.dayHeight);
        painter->setFont(smallFont(boldFont(option.font)));
        const int labelWidth = painter->fontMetrics().horizontalAdvance(label) + 2 * Spacing;
        painter->setPen(
            ThemeColors::blend(palette.color(QPalette::Base), palette.color(QPalette::Text), 0.2));
        const int middle = band.center().y();
        painter->drawLine(band.left() + Margin, middle, band.center().x() - labelWidth / 2, middle);
        painter->drawLine(band.center().x() + labelWidth / 2, middle, band.right() - Margin, middle);
        painter->setPen(dim);
        painter->drawText(band, Qt::AlignCenter, label);
    }

    const QString userId = index.data(MessageListModel::UserIdRole).toString();
    const auto state = static_cast<chat::ChatMessage::State>(index.data(MessageListModel::StateRole).toInt());
    if (geometry.headerHeight > 0) {
        const int top = origin.y() + geometry.dayHeight + Spacing;
        const QRect avatar(origin.x() + Margin, top, geometry.avatarSize, geometry.avatarSize);
        painter->setPen(Qt::NoPen);
        painter->setBrush(avatarColor(palette, userId));
        painter->drawEllipse(avatar);
        painter->setPen(ThemeColors::isDark(palette) ? palette.color(QPalette::Text)
                                                     : palette.color(QPalette::Base));
        painter->setFont(boldFont(option.font));
        painter->drawText(avatar, Qt::AlignCenter, userId.left(1).toUpper());

        const int left = origin.x() + geometry.textRect.left();
        painter->setPen(palette.color(QPalette::Text));
        painter->drawText(QPoint(left, top + painter->fontMetrics().ascent()), userId);
        const int nameWidth = painter->fontMetrics().horizontalAdvance(userId);
        painter->setFont(smallFont(option.font));
        painter->setPen(dim);
        painter->drawText(
            QPoint(left + nameWidth + Spacing, top + QFontMetrics(boldFont(option.font)).ascent()),
            QLocale().toString(timestamp.time(), QLocale::ShortFormat));
    }

    const bool deleted = index.data(MessageListModel::DeletedRole).toBool();
    QFont textFont = option.font;
    textFont.setItalic(deleted);
    painter->setFont(textFont);
    painter->setPen(state != chat::ChatMessage::State::Sent || deleted ? dim : palette.color(QPalette::Text));
    painter->drawText(geometry.textRect.translated(origin), Qt::TextWordWrap | Qt::AlignLeft,
                      shownText(index));

    if (const QString note = statusNote(index); !note.isEmpty()) {
        const bool failed = state == chat::ChatMessage::State::Failed;
        painter->setFont(smallFont(option.font));
        painter->setPen(failed ? ThemeColors::error(palette) : dim);
        const QRect statusRect(origin.x(), origin.y() + geometry.textRect.top(), option.rect.width() - Margin,
                               geometry.textRect.height());
        painter->drawText(statusRect, Qt::AlignRight | Qt::AlignBottom, note);
    }
    painter->restore();
}

} // namespace tandem::ui
