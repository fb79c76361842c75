#pragma once
// How every entry point of the desktop app starts it: the real `tandem`
// (app/main.cpp) and the start-up benchmark's probe run exactly this code,
// so what the benchmark measures is what users run.

#include <QStringList>

#include <memory>

class QApplication;

namespace tandem::client {
class CredentialStore;
}

namespace tandem::app {

class DesktopApp;

/// Organisation, application name and version, for settings paths and --version.
void setApplicationNames();
/// Answers --help and --version on a console application and exits, before any display is needed.
void handleConsoleOnlyArguments(int &argc, char **argv);
/// Display name, desktop file name and window icon of the running QApplication.
void setDesktopIdentity();
/// Loads translations, reads the command line and the handed-over token, and starts the app.
/// The caller runs the event loop while the returned object lives.
std::unique_ptr<DesktopApp> startDesktopApp(QApplication &application,
                                            std::unique_ptr<client::CredentialStore> credentials);

} // namespace tandem::app
