#pragma once
// The room document's title, above the Document tab: a versioned room setting
// (docs/OFFLINE.md), edited in place, queued offline, and by default settled
// last-write-wins when two people rename at once.

#include "core/chat/ChatClient.h"

#include <QWidget>

class QLabel;
class QLineEdit;

namespace tandem::ui {

class DocumentTitleEdit : public QWidget {
    Q_OBJECT

public:
    explicit DocumentTitleEdit(chat::ChatClient &chat, QWidget *parent = nullptr);

    void setRoom(const QString &roomId);
    QLineEdit *editor() const { return m_editor; }
    /// "waiting to sync" while the user's rename is queued, else empty.
    QString stateText() const;

private:
    void refresh();
    void commit();

    chat::ChatClient &m_chat;
    QString m_room;
    QLineEdit *m_editor = nullptr;
    QLabel *m_state = nullptr;
};

} // namespace tandem::ui
