// SignInDialog on its own: it asks, it signals, it shows busy and error
// states; it does no networking.

#include "ui/SignInDialog.h"

#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using tandem::ui::SignInDialog;

class TestSignInDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void emitsWhatWasTyped();
    void incompleteFormCannotBeSubmitted_data();
    void incompleteFormCannotBeSubmitted();
    void busyDisablesInputs();
    void showsErrorsAndClearsPassword();
};

namespace {

QLineEdit *edit(SignInDialog &dialog, const char *name)
{
    return dialog.findChild<QLineEdit *>(QLatin1String(name));
}

QPushButton *signInButton(SignInDialog &dialog)
{
    return dialog.findChild<QPushButton *>(QStringLiteral("signInButton"));
}

} // namespace

void TestSignInDialog::emitsWhatWasTyped()
{
    SignInDialog dialog;
    dialog.setServerUrl(QUrl(QStringLiteral("http://127.0.0.1:7420")));
    dialog.setUserName(QStringLiteral("alice"));
    dialog.show();
    QSignalSpy requested(&dialog, &SignInDialog::signInRequested);
    QTest::keyClicks(edit(dialog, "passwordEdit"), QStringLiteral("correct horse"));
    QVERIFY(signInButton(dialog)->isEnabled());
    QTest::mouseClick(signInButton(dialog), Qt::LeftButton);
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.at(0).at(0).toUrl(), QUrl(QStringLiteral("http://127.0.0.1:7420")));
    QCOMPARE(requested.at(0).at(1).toString(), QStringLiteral("alice"));
    QCOMPARE(requested.at(0).at(2).toString(), QStringLiteral("correct horse"));
    QCOMPARE(dialog.password(), QStringLiteral("correct horse"));
    // The dialog stays open until the app says the login worked.
    QVERIFY(dialog.isVisible());
    // Enter in the password field submits too.
    QTest::keyClick(edit(dialog, "passwordEdit"), Qt::Key_Return);
    QCOMPARE(requested.count(), 2);
}

void TestSignInDialog::incompleteFormCannotBeSubmitted_data()
{
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addRow("no server") << QString() << QStringLiteral("alice") << QStringLiteral("pw");
    QTest::addRow("no user") << QStringLiteral("http://localhost:7420") << QString() << QStringLiteral("pw");
    QTest::addRow("blank user") << QStringLiteral("http://localhost:7420") << QStringLiteral("  ")
                                << QStringLiteral("pw");
    QTest::addRow("no password") << QStringLiteral("http://localhost:7420") << QStringLiteral("alice")
                                 << QString();
}

void TestSignInDialog::incompleteFormCannotBeSubmitted()
{
    QFETCH(QString, server);
    QFETCH(QString, user);
    QFETCH(QString, password);
    SignInDialog dialog;
    dialog.show();
    QSignalSpy requested(&dialog, &SignInDialog::signInRequested);
    QTest::keyClicks(edit(dialog, "serverEdit"), server);
    QTest::keyClicks(edit(dialog, "userEdit"), user);
    QTest::keyClicks(edit(dialog, "passwordEdit"), password);
    QVERIFY(!signInButton(dialog)->isEnabled());
    QTest::keyClick(edit(dialog, "passwordEdit"), Qt::Key_Return);
    QCOMPARE(requested.count(), 0);
}

void TestSignInDialog::busyDisablesInputs()
{
    SignInDialog dialog;
    dialog.setServerUrl(QUrl(QStringLiteral("http://127.0.0.1:7420")));
    dialog.setUserName(QStringLiteral("alice"));
    dialog.show();
    QTest::keyClicks(edit(dialog, "passwordEdit"), QStringLiteral("pw"));
    QSignalSpy requested(&dialog, &SignInDialog::signInRequested);
    dialog.setBusy(true);
    QVERIFY(dialog.isBusy());
    QVERIFY(!edit(dialog, "serverEdit")->isEnabled());
    QVERIFY(!edit(dialog, "userEdit")->isEnabled());
    QVERIFY(!edit(dialog, "passwordEdit")->isEnabled());
    QVERIFY(!signInButton(dialog)->isEnabled());
    QVERIFY(dialog.findChild<QProgressBar *>()->isVisible());
    QTest::mouseClick(signInButton(dialog), Qt::LeftButton);
    QCOMPARE(requested.count(), 0);
    dialog.setBusy(false);
    QVERIFY(edit(dialog, "passwordEdit")->isEnabled());
    QVERIFY(signInButton(dialog)->isEnabled());
    QVERIFY(!dialog.findChild<QProgressBar *>()->isVisible());
}

void TestSignInDialog::showsErrorsAndClearsPassword()
{
    SignInDialog dialog;
    dialog.setServerUrl(QUrl(QStringLiteral("http://127.0.0.1:7420")));
    dialog.setUserName(QStringLiteral("alice"));
    dialog.show();
    QTest::keyClicks(edit(dialog, "passwordEdit"), QStringLiteral("wrong"));
    QVERIFY(dialog.errorText().isEmpty());
    dialog.setBusy(true);
    dialog.setBusy(false);
    dialog.showError(QStringLiteral("Wrong user name or password."));
    dialog.clearPassword();
    QCOMPARE(dialog.errorText(), QStringLiteral("Wrong user name or password."));
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("errorLabel"))->isVisible());
    QVERIFY(dialog.password().isEmpty());
    QVERIFY(!signInButton(dialog)->isEnabled());
    // A new attempt hides the old error.
    QTest::keyClicks(edit(dialog, "passwordEdit"), QStringLiteral("correct horse"));
    dialog.setBusy(true);
    QVERIFY(dialog.errorText().isEmpty());
}

QTEST_MAIN(TestSignInDialog)
#include "tst_signindialog.moc"
