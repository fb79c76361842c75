// tandem: the desktop app. Everything but this entry point lives in
// libraries; app/Startup.cpp says how the app starts.

#include "app/DesktopApp.h"
#include "app/Startup.h"
#include "core/client/KeychainCredentialStore.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    // --help and --version work without a display: answer them before QApplication exists.
    tandem::app::handleConsoleOnlyArguments(argc, argv);

    QApplication application(argc, argv);
    tandem::app::setDesktopIdentity();
    const auto desktop = tandem::app::startDesktopApp(
        application, std::make_unique<tandem::client::KeychainCredentialStore>());
    return QApplication::exec();
}
