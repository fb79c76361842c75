#pragma once
// Asks for a room name to join, or to create (optionally private) when new.

#include <QDialog>

class QCheckBox;
class QLineEdit;
class QPushButton;

namespace tandem::ui {

class JoinRoomDialog : public QDialog {
    Q_OBJECT

public:
    explicit JoinRoomDialog(QWidget *parent = nullptr);

    QString roomId() const;
    bool isPrivate() const;
    /// The protocol's room id rule: [A-Za-z0-9][A-Za-z0-9._-]{0,63}.
    static bool isValidRoomId(const QString &roomId);

private:
    QLineEdit *m_name = nullptr;
    QCheckBox *m_private = nullptr;
    QPushButton *m_join = nullptr;
};

} // namespace tandem::ui
