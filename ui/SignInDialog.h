#pragma once
// Asks for the server, the user name and the password. It does no networking:
// signInRequested() goes to whoever logs in (the app's AuthClient), which
// answers with setBusy(), showError() or accept().

#include <QDialog>
#include <QUrl>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;

namespace tandem::ui {

class SignInDialog : public QDialog {
    Q_OBJECT

public:
    explicit SignInDialog(QWidget *parent = nullptr);

    void setServerUrl(const QUrl &url);
    void setUserName(const QString &name);
    QUrl serverUrl() const;
    QString userName() const;
    QString password() const;
    /// Disables the inputs and shows progress while a login runs.
    void setBusy(bool busy);
    bool isBusy() const { return m_busy; }
    void showError(const QString &message);
    QString errorText() const;
    void clearPassword();

Q_SIGNALS:
    void signInRequested(const QUrl &serverUrl, const QString &userName, const QString &password);

private:
    void submit();
    void updateSignInButton();

    QLineEdit *m_server = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_password = nullptr;
    QLabel *m_error = nullptr;
    QProgressBar *m_progress = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    bool m_busy = false;
};

} // namespace tandem::ui
