#include "app/CommandLine.h"

#include "core/client/AuthClient.h"
#include "core/client/FallbackTransport.h"

#include <QCommandLineParser>
#include <QDir>

#include <cstdio>
#include <cstdlib>

namespace tandem::app {

namespace {

struct Options {
    QCommandLineOption help;
    QCommandLineOption version;
    QCommandLineOption server;
    QCommandLineOption alsoServer;
    QCommandLineOption user;
    QCommandLineOption profile;
    QCommandLineOption lang;
    QCommandLineOption transport;
};

} // namespace

static Options addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        CommandLine::tr("Tandem: team chat, a shared document and a live canvas on your own server."));
    Options options{
        parser.addHelpOption(),
        parser.addVersionOption(),
        QCommandLineOption(QStringLiteral("server"),
                           CommandLine::tr("The server to sign in to, e.g. http://127.0.0.1:7420."),
                           CommandLine::tr("URL")),
        QCommandLineOption(
            QStringLiteral("also-server"),
            CommandLine::tr("Another instance of the same server, tried in turn when one cannot "
                            "be reached. May be given several times."),
            CommandLine::tr("URL")),
        QCommandLineOption(QStringLiteral("user"), CommandLine::tr("The user name to sign in with."),
                           CommandLine::tr("NAME")),
        QCommandLineOption(QStringLiteral("profile"),
                           CommandLine::tr("Keep settings and data in DIR, so that several instances can run "
                                           "side by side."),
                           CommandLine::tr("DIR")),
        QCommandLineOption(QStringLiteral("lang"),
                           CommandLine::tr("The language of the interface, e.g. de or fr."),
                           CommandLine::tr("CODE")),
        QCommandLineOption(
            QStringLiteral("transport"),
            CommandLine::tr("How to reach the server: auto (WebSocket, else Server-Sent Events, "
                            "else polling), websocket, sse or polling. Overrides the "
                            "connection settings for this run."),
            CommandLine::tr("MODE")),
    };
    parser.addOptions(
        {options.server, options.alsoServer, options.user, options.profile, options.lang, options.transport});
    return options;
}

QString CommandLine::languageArgument(const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if ((argument == QLatin1String("--lang") || argument == QLatin1String("-lang")) &&
            i + 1 < arguments.size())
            return arguments.at(i + 1);
        for (const QLatin1String prefix : {QLatin1String("--lang="), QLatin1String("-lang=")}) {
            if (argument.startsWith(prefix))
                return argument.mid(prefix.size());
        }
    }
    return {};
}

void CommandLine::handleHelpAndVersion(const QStringList &arguments)
{
    QCommandLineParser parser;
    const Options options = addOptions(parser);
    // Unknown options (Qt's own, like -platform) are reported by parse() later.
    (void)parser.parse(arguments);
    if (parser.isSet(options.help))
        parser.showHelp(0);
    if (parser.isSet(options.version))
        parser.showVersion();
}

AppOptions CommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    const Options options = addOptions(parser);
    parser.process(arguments);

    const auto serverAddress = [](const QString &text) {
        const QUrl url = client::AuthClient::serverUrlFromUserInput(text);
        if (!url.isValid()) {
            std::fprintf(stderr, "%s\n", qPrintable(tr("tandem: not a server address: %1").arg(text)));
            std::exit(2);
        }
        return url;
    };
    AppOptions result;
    if (parser.isSet(options.server))
        result.serverUrl = serverAddress(parser.value(options.server));
    for (const QString &text : parser.values(options.alsoServer))
        result.alternativeServers.append(serverAddress(text));
    result.userName = parser.value(options.user).trimmed();
    if (parser.isSet(options.profile))
        result.profileDir = QDir(parser.value(options.profile)).absolutePath();
    result.language = parser.value(options.lang);
    if (parser.isSet(options.transport)) {
        const auto mode = client::FallbackTransport::modeFromName(parser.value(options.transport));
        if (!mode) {
            std::fprintf(stderr, "%s\n",
                         qPrintable(tr("tandem: --transport must be auto, websocket, sse or polling, not %1")
                                        .arg(parser.value(options.transport))));
            std::exit(2);
        }
        result.transport = client::FallbackTransport::modeName(*mode);
    }
    return result;
}

} // namespace tandem::app
