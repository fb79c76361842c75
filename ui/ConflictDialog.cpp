#include "ui/ConflictDialog.h"

#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace tandem::ui {

namespace {

QPlainTextEdit *readOnlyView(const QString &objectName, const QString &text, QWidget *parent)
{
    auto *view = new QPlainTextEdit(text, parent);
    view->setObjectName(objectName);
    view->setReadOnly(true);
    // Topics and messages are short: a few lines each leave room for the merge.
    view->setMaximumHeight(view->fontMetrics().lineSpacing() * 6);
    return view;
}

} // namespace

QString ConflictDialog::fieldOf(const QString &entity)
{
    if (entity == QLatin1String("room"))
        return QStringLiteral("topic");
    if (entity == QLatin1String("document"))
        return QStringLiteral("title");
    return QStringLiteral("text");
}

QString ConflictDialog::describe(const QString &roomId, const QString &entity)
{
    if (entity == QLatin1String("room"))
        return tr("the topic of #%1").arg(roomId);
    if (entity == QLatin1String("document"))
        return tr("the document title of #%1").arg(roomId);
    return tr("a message in #%1").arg(roomId);
}

ConflictDialog::ConflictDialog(const offline::Mutation &mine, const protocol::EntityState &theirs,
                               QWidget *parent)
    : QDialog(parent)
    , m_cid(mine.cid)
    , m_field(fieldOf(mine.entity))
{
    setObjectName(QStringLiteral("conflictDialog"));
    setWindowTitle(tr("Resolve a conflict"));
    const QString mineText = mine.payload.value(QLatin1String("patch")).toObject().value(m_field).toString();
    const bool theirsDeleted = theirs.value.value(QLatin1String("deleted")).toBool();
    const QString theirsText = theirsDeleted ? tr("(deleted)") : theirs.value.value(m_field).toString();

    auto *intro = new QLabel(tr("While you were changing %1, %2 changed it too. Choose what to keep.")
                                 .arg(describe(mine.roomId, mine.entity),
                                      theirs.updatedBy.isEmpty() ? tr("someone") : theirs.updatedBy),
                             this);
    intro->setWordWrap(true);

    m_base = readOnlyView(QStringLiteral("baseView"), mine.baseValue.value(m_field).toString(), this);
    m_theirs = readOnlyView(QStringLiteral("theirsView"), theirsText, this);
    m_mine = readOnlyView(QStringLiteral("mineView"), mineText, this);
    m_merge = new QPlainTextEdit(mineText, this);
    m_merge->setObjectName(QStringLiteral("mergeEditor"));

    auto *grid = new QGridLayout;
    grid->addWidget(new QLabel(tr("Before both changes"), this), 0, 0);
    grid->addWidget(new QLabel(tr("Theirs (%1)").arg(theirs.updatedBy), this), 0, 1);
    grid->addWidget(new QLabel(tr("Mine"), this), 0, 2);
    grid->addWidget(m_base, 1, 0);
    grid->addWidget(m_theirs, 1, 1);
    grid->addWidget(m_mine, 1, 2);
    auto *mergeLabel = new QLabel(tr("Or edit a merge of both:"), this);

    auto *buttons = new QDialogButtonBox(this);
    m_keepTheirs = buttons->addButton(tr("Keep theirs"), QDialogButtonBox::RejectRole);
    m_keepMine = buttons->addButton(tr("Keep mine"), QDialogButtonBox::AcceptRole);
    m_useMerge = buttons->addButton(tr("Use the merge"), QDialogButtonBox::ApplyRole);
    m_keepTheirs->setObjectName(QStringLiteral("keepTheirs"));
    m_keepMine->setObjectName(QStringLiteral("keepMine"));
    m_useMerge->setObjectName(QStringLiteral("useMerge"));
    // A deleted message cannot take an edit: only theirs can stand.
    m_keepMine->setEnabled(!theirsDeleted);
    m_useMerge->setEnabled(!theirsDeleted);
    connect(m_keepTheirs, &QPushButton::clicked, this,
            [this] { choose(offline::SyncEngine::Resolution::KeepTheirs); });
    connect(m_keepMine, &QPushButton::clicked, this,
            [this] { choose(offline::SyncEngine::Resolution::KeepMine); });
    connect(m_useMerge, &QPushButton::clicked, this,
            [this] { choose(offline::SyncEngine::Resolution::UseMerged); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(grid, 1);
    layout->addWidget(mergeLabel);
    layout->addWidget(m_merge, 1);
    layout->addWidget(buttons);
    resize(760, 420);
}

QJsonObject ConflictDialog::mergedPatch() const
{
    return {{m_field, m_merge->toPlainText()}};
}

void ConflictDialog::choose(offline::SyncEngine::Resolution resolution)
{
    m_resolution = resolution;
    accept();
}

} // namespace tandem::ui
