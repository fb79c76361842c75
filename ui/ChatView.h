#pragma once
// The Chat tab: the room's topic, its messages (grouped by author and day,
// older pages loaded when scrolled to the top; our own can be edited and
// deleted from their context menu), who is typing, and the composer.

#include <QWidget>

class QLabel;
class QListView;
class QToolButton;

namespace tandem::chat {
class ChatClient;
class MessageListModel;
class RecentRowsProxyModel;
} // namespace tandem::chat

namespace tandem::ui {

class Composer;

class ChatView : public QWidget {
    Q_OBJECT

public:
    explicit ChatView(chat::ChatClient &chat, QWidget *parent = nullptr);

    void setRoom(const QString &roomId);
    QString room() const { return m_room; }
    Composer *composer() const { return m_composer; }
    QListView *messageView() const { return m_view; }
    QString typingText() const;
    QLabel *topicLabel() const { return m_topic; }
    /// The actions the message at `row` (of the view) offers: Edit, Delete, Retry, Discard.
    QList<QAction *> messageActions(int row);

private:
    void onScrolled(int value);
    void onRangeChanged(int minimum, int maximum);
    void updateTyping(const QString &roomId);
    void maybeFetchOlder();
    void updateTopic(const QString &roomId);
    void editTopic();
    void showMessageMenu(const QPoint &position);

    chat::ChatClient &m_chat;
    QString m_room;
    chat::MessageListModel *m_model = nullptr;
    chat::RecentRowsProxyModel *m_recent = nullptr; ///< what the view shows: the newest rows of m_model
    QListView *m_view = nullptr;
    QLabel *m_typing = nullptr;
    QLabel *m_topic = nullptr;
    QToolButton *m_editTopic = nullptr;
    QLabel *m_empty = nullptr;
    Composer *m_composer = nullptr;
    bool m_atBottom = true;
    int m_prependAnchor = -1; ///< distance from the bottom to keep while a page is prepended
};

} // namespace tandem::ui
