#pragma once
// Shows only the newest rows of a long room. A view with word-wrapped rows
// measures every row it holds, so a room of 100,000 cached messages would take
// seconds to open; holding the newest few hundred makes opening independent
// of the room's length. Scrolling to the top reveals older rows a page at a
// time before any history has to come from the server.

#include <QSortFilterProxyModel>

namespace tandem::chat {

class RecentRowsProxyModel : public QSortFilterProxyModel {
    Q_OBJECT

public:
    static constexpr int DefaultWindow = 300;

    explicit RecentRowsProxyModel(QObject *parent = nullptr);

    /// Shows the newest `window` rows of `source` (all of them if it has fewer).
    void setSourceWindow(QAbstractItemModel *source, int window = DefaultWindow);
    /// How many older rows are held back.
    int hiddenRows() const { return m_hidden; }
    /// Shows up to `rows` more older rows; returns how many were revealed.
    int revealOlder(int rows);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    int m_hidden = 0;
};

} // namespace tandem::chat
