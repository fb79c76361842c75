#pragma once
// Paints one chat message: a day separator above the first message of a day,
// avatar, author and time above the first message of a run by one author,
// then the wrapped text. Our own pending messages are dimmed and say
// "sending…"; failed ones say "not sent".

#include <QStyledItemDelegate>

class QAbstractItemView;

namespace tandem::ui {

class MessageDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    /// `view` gives the width to wrap at: item views pass no useful width to sizeHint().
    explicit MessageDelegate(QAbstractItemView *view, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    /// "Today", "Yesterday" or the date, as the day separator says it.
    static QString dayLabel(const QDate &day, const QDate &today);
    /// The text as shown: with "(edited)", or the note that it was deleted.
    static QString shownText(const QModelIndex &index);
    /// "sending…", "not sent", "syncing…" (an edit waits), or empty.
    static QString statusNote(const QModelIndex &index);

private:
    struct Geometry;
    Geometry layout(const QStyleOptionViewItem &option, const QModelIndex &index, int width) const;

    QAbstractItemView *m_view;
};

} // namespace tandem::ui
