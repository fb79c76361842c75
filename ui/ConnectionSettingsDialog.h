#pragma once
// "Connection settings": which transport carries the session. Automatic
// (WebSocket, falling back to Server-Sent Events, then to polling, as the
// network allows) or one of them forced, for a network the automatic choice
// gets wrong. The app stores the choice (profile key connection/transport)
// and applies it; the dialog only shows and edits it.

#include "core/client/FallbackTransport.h"

#include <QDialog>

class QComboBox;

namespace tandem::ui {

class ConnectionSettingsDialog : public QDialog {
    Q_OBJECT

public:
    using Mode = client::FallbackTransport::Mode;

    explicit ConnectionSettingsDialog(QWidget *parent = nullptr);

    Mode transportMode() const;
    void setTransportMode(Mode mode);

private:
    QComboBox *m_transport = nullptr;
};

} // namespace tandem::ui
