#include "app/CommandLine.h"

#include "core/client/AuthClient.h"

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
    };
    parser.addOptions({options.server, options.alsoServer, options.user, options.profile, options.lang});
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
    return result;
}

} // namespace tandem::app
