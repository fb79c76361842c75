#include "ui/ConnectionSettingsDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace tandem::ui {

ConnectionSettingsDialog::ConnectionSettingsDialog(QWidget *parent)
    : QDialog(parent)
    , m_transport(new QComboBox(this))
{
    setWindowTitle(tr("Connection settings"));
    m_transport->setObjectName(QStringLiteral("transportCombo"));
    m_transport->addItem(tr("Automatic (recommended)"), int(Mode::Auto));
    m_transport->addItem(tr("WebSocket"), int(Mode::WebSocket));
    m_transport->addItem(tr("Server-Sent Events"), int(Mode::Sse));
    m_transport->addItem(tr("Polling"), int(Mode::Polling));
    auto *hint = new QLabel(tr("Automatic uses WebSocket where the network allows it and falls back to "
                               "Server-Sent Events, then to polling, behind proxies that block it. "
                               "A change reconnects at once."),
                            this);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *form = new QFormLayout;
    form->addRow(tr("&Transport:"), m_transport);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(hint);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectionSettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ConnectionSettingsDialog::reject);
}

ConnectionSettingsDialog::Mode ConnectionSettingsDialog::transportMode() const
{
    return Mode(m_transport->currentData().toInt());
}

void ConnectionSettingsDialog::setTransportMode(Mode mode)
{
    m_transport->setCurrentIndex(std::max(0, m_transport->findData(int(mode))));
}

} // namespace tandem::ui
