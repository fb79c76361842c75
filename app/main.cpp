// tandem: the desktop app. Parses the command line, loads the translations
// and hands over to DesktopApp; everything else lives in libraries.

#include "app/CommandLine.h"
#include "app/DesktopApp.h"
#include "app/Translations.h"
#include "core/client/KeychainCredentialStore.h"

#include <QApplication>
#include <QIcon>

namespace {

void setApplicationNames()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Tandem"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("tandem.org"));
    QCoreApplication::setApplicationName(QStringLiteral("tandem"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TANDEM_VERSION));
}

} // namespace

int main(int argc, char *argv[])
{
    {
        // --help and --version work without a display: answer them before QApplication exists.
        QCoreApplication console(argc, argv);
        setApplicationNames();
        tandem::app::installTranslations(
            console, tandem::app::CommandLine::languageArgument(QCoreApplication::arguments()));
        tandem::app::CommandLine::handleHelpAndVersion(QCoreApplication::arguments());
    }

    QApplication app(argc, argv);
    setApplicationNames();
    QApplication::setApplicationDisplayName(QStringLiteral("Tandem"));
    QGuiApplication::setDesktopFileName(QStringLiteral("org.tandem.Tandem"));
    QIcon icon;
    for (const int size : {16, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/hicolor/%1x%1/apps/org.tandem.Tandem.png").arg(size),
                     QSize(size, size));
    QApplication::setWindowIcon(icon);

    tandem::app::installTranslations(app,
                                     tandem::app::CommandLine::languageArgument(QApplication::arguments()));
    tandem::app::AppOptions options = tandem::app::CommandLine::parse(QApplication::arguments());
    // Read once and dropped, so that no child process inherits it.
    options.token = qEnvironmentVariable("TANDEM_TOKEN");
    qunsetenv("TANDEM_TOKEN");

    tandem::app::DesktopApp desktop(std::move(options),
                                    std::make_unique<tandem::client::KeychainCredentialStore>());
    QObject::connect(&desktop, &tandem::app::DesktopApp::quitRequested, &app, &QApplication::quit,
                     Qt::QueuedConnection);
    desktop.start();
    return QApplication::exec();
}
