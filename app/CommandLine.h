#pragma once
// `tandem [--server URL] [--also-server URL]... [--user NAME] [--profile DIR]
// [--lang CODE] [--transport auto|websocket|sse|polling]`: what
// the command line asks for, parsed with QCommandLineParser.

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace tandem::app {

struct AppOptions {
    QUrl serverUrl; ///< empty: the last one used
    /// Other instances of the same deployment, tried in turn when one cannot
    /// be reached (empty: the last ones used, if any).
    QList<QUrl> alternativeServers;
    QString userName;   ///< empty: the last one used
    QString profileDir; ///< empty: the default settings and data folders
    QString language;   ///< empty: the system locale
    /// "auto", "websocket", "sse" or "polling" (checked); empty: the profile's
    /// connection/transport setting, else auto. For this run only: not stored.
    QString transport;
    /// A token obtained elsewhere (scripts/run.sh signs in with curl), from the
    /// TANDEM_TOKEN environment variable rather than the command line, which
    /// every local user can read in `ps`. Used with serverUrl and userName.
    QString token;
};

class CommandLine {
    Q_DECLARE_TR_FUNCTIONS(tandem::app::CommandLine)

public:
    /// The --lang value, read before the translations are loaded (so --help
    /// can be shown in that language); empty when not given.
    static QString languageArgument(const QStringList &arguments);
    /// Answers --help and --version and exits, if asked; otherwise returns and
    /// ignores every other argument. Runs under a QCoreApplication, before
    /// the QApplication exists, so that it works without a display.
    static void handleHelpAndVersion(const QStringList &arguments);
    /// Parses `arguments`; on --help, --version or an error it prints and
    /// exits the process, as QCommandLineParser::process does.
    static AppOptions parse(const QStringList &arguments);
};

} // namespace tandem::app
