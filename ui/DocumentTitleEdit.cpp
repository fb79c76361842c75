#include "ui/DocumentTitleEdit.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

namespace tandem::ui {

using RoomSetting = chat::ChatClient::RoomSetting;

DocumentTitleEdit::DocumentTitleEdit(chat::ChatClient &chat, QWidget *parent)
    : QWidget(parent)
    , m_chat(chat)
    , m_editor(new QLineEdit(this))
    , m_state(new QLabel(this))
{
    m_editor->setObjectName(QStringLiteral("documentTitle"));
    m_editor->setPlaceholderText(tr("Untitled document"));
    m_editor->setFrame(false);
    QFont font = m_editor->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    font.setBold(true);
    m_editor->setFont(font);
    m_editor->setMaxLength(200);
    m_state->setForegroundRole(QPalette::PlaceholderText);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_state);

    connect(m_editor, &QLineEdit::editingFinished, this, &DocumentTitleEdit::commit);
    connect(&m_chat, &chat::ChatClient::roomSettingChanged, this,
            [this](const QString &roomId, RoomSetting setting) {
                if (roomId == m_room && setting == RoomSetting::DocumentTitle)
                    refresh();
            });
    refresh();
}

void DocumentTitleEdit::setRoom(const QString &roomId)
{
    m_room = roomId;
    refresh();
}

QString DocumentTitleEdit::stateText() const
{
    return m_state->text();
}

void DocumentTitleEdit::refresh()
{
    m_editor->setEnabled(!m_room.isEmpty());
    // Someone else's rename must not overwrite what the user is typing.
    if (!(m_editor->hasFocus() && m_editor->isModified()))
        m_editor->setText(m_room.isEmpty() ? QString()
                                           : m_chat.roomSetting(m_room, RoomSetting::DocumentTitle));
    const bool pending = !m_room.isEmpty() && m_chat.isRoomSettingPending(m_room, RoomSetting::DocumentTitle);
    m_state->setText(pending ? tr("waiting to sync") : QString());
}

void DocumentTitleEdit::commit()
{
    if (m_room.isEmpty() || !m_editor->isModified())
        return;
    m_editor->setModified(false);
    m_chat.setRoomSetting(m_room, RoomSetting::DocumentTitle, m_editor->text().trimmed());
    refresh();
}

} // namespace tandem::ui
