#include "ui/ChatView.h"

#include "core/chat/ChatClient.h"
#include "core/chat/RecentRowsProxyModel.h"
#include "ui/Composer.h"
#include "ui/MessageDelegate.h"

#include <QAction>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace tandem::ui {

namespace {
constexpr int RevealPage = 100; ///< older cached rows shown per scroll to the top
}

ChatView::ChatView(chat::ChatClient &chat, QWidget *parent)
    : QWidget(parent)
    , m_chat(chat)
    , m_view(new QListView(this))
    , m_typing(new QLabel(this))
    , m_topic(new QLabel(this))
    , m_editTopic(new QToolButton(this))
    , m_empty(new QLabel(tr("No messages yet. Say hello!"), this))
    , m_composer(new Composer(this))
{
    m_recent = new chat::RecentRowsProxyModel(this);
    m_view->setObjectName(QStringLiteral("messageView"));
    m_view->setItemDelegate(new MessageDelegate(m_view, m_view));
    m_view->setSelectionMode(QAbstractItemView::NoSelection);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Rows wrap to the width, so their heights change when it does.
    m_view->setResizeMode(QListView::Adjust);
    m_view->setUniformItemSizes(false);
    m_view->setWordWrap(true);
    m_view->setFocusPolicy(Qt::NoFocus);
    m_view->setFrameShape(QFrame::NoFrame);

    m_typing->setObjectName(QStringLiteral("typingLabel"));
    m_typing->setForegroundRole(QPalette::PlaceholderText);
    QFont italic = m_typing->font();
    italic.setItalic(true);
    m_typing->setFont(italic);
    // Always as tall as one line, so the composer does not jump when someone types.
    m_typing->setMinimumHeight(m_typing->fontMetrics().height());
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->hide();

    m_topic->setObjectName(QStringLiteral("topicLabel"));
    m_topic->setTextFormat(Qt::PlainText);
    m_topic->setWordWrap(true);
    m_editTopic->setObjectName(QStringLiteral("editTopicButton"));
    m_editTopic->setText(tr("Edit topic"));
    m_editTopic->setAutoRaise(true);
    auto *header = new QHBoxLayout;
    header->setContentsMargins(10, 6, 10, 0);
    header->addWidget(m_topic, 1);
    header->addWidget(m_editTopic);

    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &ChatView::showMessageMenu);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 6);
    layout->setSpacing(4);
    layout->addLayout(header);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_empty, 1);
    auto *bottom = new QVBoxLayout;
    bottom->setContentsMargins(10, 0, 10, 0);
    bottom->addWidget(m_typing);
    bottom->addWidget(m_composer);
    layout->addLayout(bottom);

    connect(m_composer, &Composer::submitted, this, [this](const QString &text) {
        if (m_room.isEmpty())
            return;
        m_atBottom = true;
        m_chat.sendMessage(m_room, text);
    });
    connect(m_composer, &Composer::edited, this, [this] {
        if (!m_room.isEmpty() && !m_composer->toPlainText().isEmpty())
            m_chat.composerEdited(m_room);
    });
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, &ChatView::onScrolled);
    connect(m_view->verticalScrollBar(), &QScrollBar::rangeChanged, this, &ChatView::onRangeChanged);
    connect(m_chat.typing(), &chat::TypingTracker::typingChanged, this, &ChatView::updateTyping);
    connect(&m_chat, &chat::ChatClient::roomSettingChanged, this,
            [this](const QString &roomId, chat::ChatClient::RoomSetting setting) {
                if (setting == chat::ChatClient::RoomSetting::Topic)
                    updateTopic(roomId);
            });
    connect(m_editTopic, &QToolButton::clicked, this, &ChatView::editTopic);
    updateTopic(m_room);
}

void ChatView::updateTopic(const QString &roomId)
{
    if (roomId != m_room)
        return;
    m_editTopic->setEnabled(!m_room.isEmpty());
    const QString topic = m_room.isEmpty() ? QString() : m_chat.topic(m_room);
    QString text = topic.isEmpty() ? tr("No topic") : topic;
    if (!m_room.isEmpty() && m_chat.isTopicPending(m_room))
        text = tr("%1 (waiting to sync)").arg(text);
    m_topic->setText(text);
    m_topic->setForegroundRole(topic.isEmpty() ? QPalette::PlaceholderText : QPalette::WindowText);
}

void ChatView::editTopic()
{
    if (m_room.isEmpty())
        return;
    bool ok = false;
    const QString topic = QInputDialog::getText(this, tr("Room topic"), tr("Topic of #%1:").arg(m_room),
                                                QLineEdit::Normal, m_chat.topic(m_room), &ok);
    if (ok)
        m_chat.setTopic(m_room, topic.trimmed());
}

QList<QAction *> ChatView::messageActions(int row)
{
    QList<QAction *> actions;
    if (!m_model || row < 0 || row >= m_recent->rowCount())
        return actions;
    const int sourceRow = m_recent->mapToSource(m_recent->index(row, 0)).row();
    const chat::ChatMessage message = m_model->at(sourceRow);
    if (message.userId != m_chat.session().userId() || message.deleted)
        return actions;
    const QString roomId = m_room;
    if (message.state == chat::ChatMessage::State::Failed) {
        auto *retry = new QAction(tr("Retry"), this);
        connect(retry, &QAction::triggered, this, [this, cid = message.cid] { m_chat.retryMessage(cid); });
        actions.append(retry);
    }
    auto *edit = new QAction(tr("Edit…"), this);
    edit->setObjectName(QStringLiteral("editMessage"));
    connect(edit, &QAction::triggered, this, [this, roomId, message] {
        bool ok = false;
        const QString text =
            QInputDialog::getMultiLineText(this, tr("Edit message"), tr("Message:"), message.text, &ok);
        if (ok && text != message.text)
            m_chat.editMessage(roomId, message, text);
    });
    actions.append(edit);
    auto *remove =
        new QAction(message.state == chat::ChatMessage::State::Sent ? tr("Delete") : tr("Discard"), this);
    remove->setObjectName(QStringLiteral("deleteMessage"));
    connect(remove, &QAction::triggered, this,
            [this, roomId, message] { m_chat.deleteMessage(roomId, message); });
    actions.append(remove);
    return actions;
}

void ChatView::showMessageMenu(const QPoint &position)
{
    const QList<QAction *> actions = messageActions(m_view->indexAt(position).row());
    if (actions.isEmpty())
        return;
    QMenu menu(this);
    menu.addActions(actions);
    menu.exec(m_view->viewport()->mapToGlobal(position));
    qDeleteAll(actions);
}

void ChatView::setRoom(const QString &roomId)
{
    if (roomId == m_room)
        return;
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_room = roomId;
    m_model = roomId.isEmpty() ? nullptr : m_chat.messages(roomId);
    m_recent->setSourceWindow(m_model);
    m_view->setModel(m_model ? m_recent : nullptr);
    m_atBottom = true;
    m_prependAnchor = -1;
    m_composer->clear();
    m_composer->setEnabled(m_model != nullptr);
    m_composer->setPlaceholderText(
        roomId.isEmpty() ? tr("Join a room to start chatting")
                         : tr("Message #%1 (Enter sends, Shift+Enter for a new line)").arg(roomId));
    if (m_model) {
        connect(m_recent, &QAbstractItemModel::rowsAboutToBeInserted, this,
                [this](const QModelIndex &, int first, int) {
                    // Rows going in above the view: keep what the user reads in place.
                    if (first == 0 && m_recent->rowCount() > 0 && !m_atBottom) {
                        const QScrollBar *bar = m_view->verticalScrollBar();
                        m_prependAnchor = bar->maximum() - bar->value();
                    }
                });
        const auto updateEmpty = [this] {
            const bool empty = m_model->rowCount() == 0 && !m_model->isLoadingHistory();
            m_empty->setVisible(empty);
            m_view->setVisible(!empty);
        };
        connect(m_model, &QAbstractItemModel::rowsInserted, this, updateEmpty);
        connect(m_model, &QAbstractItemModel::modelReset, this, updateEmpty);
        connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
            if (m_atBottom)
                m_view->scrollToBottom();
        });
        updateEmpty();
        m_view->scrollToBottom();
    } else {
        m_empty->hide();
        m_view->show();
    }
    updateTyping(roomId);
    updateTopic(roomId);
}

QString ChatView::typingText() const
{
    return m_typing->text();
}

void ChatView::onScrolled(int value)
{
    const QScrollBar *bar = m_view->verticalScrollBar();
    m_atBottom = value >= bar->maximum() - 4;
    if (value <= bar->minimum() && bar->maximum() > 0)
        maybeFetchOlder();
}

void ChatView::onRangeChanged(int, int maximum)
{
    QScrollBar *bar = m_view->verticalScrollBar();
    if (m_prependAnchor >= 0) {
        bar->setValue(maximum - m_prependAnchor);
        m_prependAnchor = -1;
    } else if (m_atBottom) {
        bar->setValue(maximum);
    }
    // A first page shorter than the view cannot be scrolled: load more right away.
    if (maximum == 0)
        maybeFetchOlder();
}

void ChatView::maybeFetchOlder()
{
    if (m_room.isEmpty() || !m_model || m_model->rowCount() == 0)
        return;
    // Older rows already held locally come first; only then ask the server.
    if (m_recent->hiddenRows() > 0) {
        m_atBottom = false;
        m_recent->revealOlder(RevealPage);
        return;
    }
    m_chat.fetchOlder(m_room);
}

void ChatView::updateTyping(const QString &roomId)
{
    if (roomId == m_room)
        m_typing->setText(m_chat.typing()->text(roomId));
}

} // namespace tandem::ui
