#include "app/Startup.h"

#include "app/CommandLine.h"
#include "app/DesktopApp.h"
#include "app/Translations.h"
#include "core/client/CredentialStore.h"

#include <QApplication>
#include <QIcon>

namespace tandem::app {

void setApplicationNames()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Tandem"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("tandem.org"));
    QCoreApplication::setApplicationName(QStringLiteral("tandem"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TANDEM_VERSION));
}

void handleConsoleOnlyArguments(int &argc, char **argv)
{
    QCoreApplication console(argc, argv);
    setApplicationNames();
    installTranslations(console, CommandLine::languageArgument(QCoreApplication::arguments()));
    CommandLine::handleHelpAndVersion(QCoreApplication::arguments());
}

void setDesktopIdentity()
{
    setApplicationNames();
    QApplication::setApplicationDisplayName(QStringLiteral("Tandem"));
    QGuiApplication::setDesktopFileName(QStringLiteral("org.tandem.Tandem"));
    QIcon icon;
    for (const int size : {16, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/hicolor/%1x%1/apps/org.tandem.Tandem.png").arg(size),
                     QSize(size, size));
    QApplication::setWindowIcon(icon);
}

std::unique_ptr<DesktopApp> startDesktopApp(QApplication &application,
                                            std::unique_ptr<client::CredentialStore> credentials)
{
    installTranslations(application, CommandLine::languageArgument(QApplication::arguments()));
    AppOptions options = CommandLine::parse(QApplication::arguments());
    // Read once and dropped, so that no child process inherits it.
    options.token = qEnvironmentVariable("TANDEM_TOKEN");
    qunsetenv("TANDEM_TOKEN");

    auto desktop = std::make_unique<DesktopApp>(std::move(options), std::move(credentials));
    QObject::connect(desktop.get(), &DesktopApp::quitRequested, &application, &QApplication::quit,
                     Qt::QueuedConnection);
    desktop->start();
    return desktop;
}

} // namespace tandem::app
