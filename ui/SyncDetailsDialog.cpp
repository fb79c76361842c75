#include "ui/SyncDetailsDialog.h"

#include "ui/ConflictDialog.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace tandem::ui {

namespace {

enum Column { WhatColumn, StateColumn, WhenColumn, ReasonColumn };
constexpr int CidRole = Qt::UserRole + 1;

QString preview(const QString &text)
{
    const QString line = text.simplified();
    return line.size() > 60 ? line.left(59) + QChar(0x2026) : line;
}

} // namespace

QString SyncDetailsDialog::describe(const offline::Mutation &mutation)
{
    if (mutation.isChat())
        return tr("Message in #%1: “%2”")
            .arg(mutation.roomId, preview(mutation.payload.value(QLatin1String("text")).toString()));
    if (mutation.isCanvas())
        return tr("Drawing on the canvas of #%1 (%n change(s))", nullptr,
                  static_cast<int>(mutation.payload.value(QLatin1String("ops")).toArray().size()))
            .arg(mutation.roomId);
    const QJsonObject patch = mutation.payload.value(QLatin1String("patch")).toObject();
    if (mutation.entity == QLatin1String("room"))
        return tr("Topic of #%1: “%2”")
            .arg(mutation.roomId, preview(patch.value(QLatin1String("topic")).toString()));
    if (mutation.entity == QLatin1String("document"))
        return tr("Document title of #%1: “%2”")
            .arg(mutation.roomId, preview(patch.value(QLatin1String("title")).toString()));
    if (patch.value(QLatin1String("deleted")).toBool())
        return tr("Delete a message in #%1").arg(mutation.roomId);
    return tr("Edit a message in #%1: “%2”")
        .arg(mutation.roomId, preview(patch.value(QLatin1String("text")).toString()));
}

SyncDetailsDialog::SyncDetailsDialog(offline::OfflineSync &offline, QWidget *parent)
    : QDialog(parent)
    , m_offline(offline)
{
    setObjectName(QStringLiteral("syncDetailsDialog"));
    setWindowTitle(tr("Changes waiting to sync"));
    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("pendingChanges"));
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({tr("Change"), tr("State"), tr("Made"), tr("Reason")});
    m_list->header()->setSectionResizeMode(WhatColumn, QHeaderView::Stretch);

    m_retry = new QPushButton(tr("Retry"), this);
    m_edit = new QPushButton(tr("Edit…"), this);
    m_discard = new QPushButton(tr("Discard"), this);
    m_resolve = new QPushButton(tr("Resolve…"), this);
    m_retry->setObjectName(QStringLiteral("retryChange"));
    m_edit->setObjectName(QStringLiteral("editChange"));
    m_discard->setObjectName(QStringLiteral("discardChange"));
    m_resolve->setObjectName(QStringLiteral("resolveChange"));
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_retry);
    actions->addWidget(m_edit);
    actions->addWidget(m_discard);
    actions->addWidget(m_resolve);
    actions->addStretch(1);
    actions->addWidget(close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_list, 1);
    layout->addLayout(actions);
    resize(720, 360);

    offline::SyncEngine &engine = m_offline.engine();
    connect(m_retry, &QPushButton::clicked, this, [this, &engine] {
        if (const auto mutation = selected())
            (void)engine.retry(mutation->cid);
    });
    connect(m_discard, &QPushButton::clicked, this, [this, &engine] {
        if (const auto mutation = selected())
            (void)engine.discard(mutation->cid);
    });
    connect(m_edit, &QPushButton::clicked, this, &SyncDetailsDialog::editSelected);
    connect(m_resolve, &QPushButton::clicked, this, [this] {
        if (const auto mutation = selected())
            Q_EMIT resolveRequested(*mutation);
    });
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &SyncDetailsDialog::updateButtons);

    offline::MutationQueue &queue = m_offline.queue();
    connect(&queue, &offline::MutationQueue::pendingCountChanged, this, &SyncDetailsDialog::refill);
    connect(&queue, &offline::MutationQueue::mutationChanged, this, &SyncDetailsDialog::refill);
    refill();
}

void SyncDetailsDialog::refill()
{
    const QString current =
        m_list->currentItem() ? m_list->currentItem()->data(0, CidRole).toString() : QString();
    m_list->clear();
    for (const offline::Mutation &mutation : m_offline.queue().pending()) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(WhatColumn, describe(mutation));
        item->setText(StateColumn, offline::mutationStateName(mutation.state));
        item->setText(WhenColumn,
                      QLocale().toString(QDateTime::fromMSecsSinceEpoch(mutation.createdAt.wallMs).time(),
                                         QLocale::ShortFormat));
        item->setText(ReasonColumn, mutation.reason);
        item->setData(0, CidRole, mutation.cid);
        if (mutation.cid == current)
            m_list->setCurrentItem(item);
    }
    updateButtons();
}

std::optional<offline::Mutation> SyncDetailsDialog::selected() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item ? m_offline.queue().find(item->data(0, CidRole).toString()) : std::nullopt;
}

void SyncDetailsDialog::updateButtons()
{
    const std::optional<offline::Mutation> mutation = selected();
    const bool failed = mutation && mutation->state == offline::MutationState::Failed;
    const bool inFlight = mutation && mutation->state == offline::MutationState::InFlight;
    m_retry->setEnabled(failed);
    m_edit->setEnabled(failed && !mutation->isCanvas()); // a drawing is edited on the canvas, not as text
    m_discard->setEnabled(mutation && !inFlight);
    m_resolve->setEnabled(mutation && mutation->state == offline::MutationState::Conflicted);
}

void SyncDetailsDialog::editSelected()
{
    const std::optional<offline::Mutation> mutation = selected();
    if (!mutation)
        return;
    const QString field =
        mutation->isChat() ? QStringLiteral("text") : ConflictDialog::fieldOf(mutation->entity);
    const QJsonObject patch = mutation->payload.value(QLatin1String("patch")).toObject();
    const QString before =
        mutation->isChat() ? mutation->payload.value(field).toString() : patch.value(field).toString();
    bool ok = false;
    const QString after =
        QInputDialog::getMultiLineText(this, tr("Edit the change"), describe(*mutation), before, &ok);
    if (!ok)
        return;
    QJsonObject payload = mutation->payload;
    if (mutation->isChat()) {
        payload.insert(field, after);
    } else {
        QJsonObject edited = patch;
        edited.insert(field, after);
        payload.insert(QStringLiteral("patch"), edited);
    }
    (void)m_offline.engine().retryWith(mutation->cid, payload);
}

} // namespace tandem::ui
