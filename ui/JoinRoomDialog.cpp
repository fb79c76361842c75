#include "ui/JoinRoomDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

namespace tandem::ui {

namespace {

const QRegularExpression &roomIdPattern()
{
    static const QRegularExpression pattern(
        QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")));
    return pattern;
}

} // namespace

JoinRoomDialog::JoinRoomDialog(QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit(this))
    , m_private(new QCheckBox(tr("&Private (only when the room is new)"), this))
{
    setWindowTitle(tr("Join or create a room"));
    m_name->setObjectName(QStringLiteral("roomNameEdit"));
    m_name->setValidator(new QRegularExpressionValidator(roomIdPattern(), m_name));
    m_name->setPlaceholderText(tr("e.g. design-review"));
    m_private->setObjectName(QStringLiteral("privateCheck"));
    auto *hint = new QLabel(tr("A room that does not exist yet is created, with you as its owner."), this);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_join = buttons->button(QDialogButtonBox::Ok);
    m_join->setText(tr("&Join"));
    m_join->setEnabled(false);
    auto *form = new QFormLayout;
    form->addRow(tr("&Room:"), m_name);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_private);
    layout->addWidget(hint);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &JoinRoomDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &JoinRoomDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this,
            [this](const QString &text) { m_join->setEnabled(isValidRoomId(text)); });
}

QString JoinRoomDialog::roomId() const
{
    return m_name->text().trimmed();
}

bool JoinRoomDialog::isPrivate() const
{
    return m_private->isChecked();
}

bool JoinRoomDialog::isValidRoomId(const QString &roomId)
{
    return roomIdPattern().match(roomId).hasMatch();
}

} // namespace tandem::ui
