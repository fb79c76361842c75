#include "server/cli/ServerCli.h"

#include "server/Server.h"
#include "server/auth/AccountService.h"
#include "server/bus/RedisBus.h"
#include "server/cli/SignalWatcher.h"
#include "server/config/ServerConfig.h"
#include "server/storage/StorageFactory.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QTextStream>

#include <termios.h>
#include <unistd.h>

namespace tandem::server {
namespace {

enum ExitCode { ExitOk = 0, ExitFailure = 1, ExitUsage = 2 };

const char *const Usage = R"(Usage: tandem-server <command> [options]

Commands:
  serve                 run the server (SQLite in the data folder, or --database)
  user add NAME         create a user; the password is read from standard input
  user list             list users
  user remove NAME      delete a user and revoke their tokens

Options:
  --listen ADDR:PORT    address to listen on (default 127.0.0.1:7420; port 0 picks a free one)
  --data DIR            data folder (default: $XDG_DATA_HOME/tandem-server)
  --database URL        sqlite (default) or postgresql://user:pass@host:port/db
  --redis URL           redis://host:port: run as one of several instances (shared database)
  --config FILE         INI config file (see packaging/tandem-server.conf)
  -h, --help            show this help
  -v, --version         show the version
)";

/// Reads the password: a line from a pipe, or twice without echo at a terminal.
QString readPassword(QTextStream &in, QTextStream &err)
{
    if (!::isatty(STDIN_FILENO))
        return in.readLine();
    termios saved{};
    ::tcgetattr(STDIN_FILENO, &saved);
    termios silent = saved;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    err << "Password: " << Qt::flush;
    const QString first = in.readLine();
    err << "\nRepeat password: " << Qt::flush;
    const QString second = in.readLine();
    err << "\n" << Qt::flush;
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    return first == second ? first : QString();
}

int runUserCommand(const QStringList &args, const ServerConfig &config, QTextStream &in, QTextStream &out,
                   QTextStream &err)
{
    const QString dataDir = config.resolvedDataDir();
    QDir().mkpath(dataDir);
    auto opened = openStorage(config.database, dataDir);
    if (!opened) {
        err << "tandem-server: " << opened.error().message << "\n";
        return ExitFailure;
    }
    SqlStorage &storage = **opened;
    Argon2Params argon2;
    argon2.memoryKiB = config.auth.argon2MemoryKiB;
    argon2.timeCost = config.auth.argon2TimeCost;
    AccountService accounts(storage, argon2);

    const QString verb = args.value(1);
    if (verb == QLatin1String("list") && args.size() == 2) {
        auto users = accounts.listUsers();
        if (!users) {
            err << "tandem-server: " << users.error().message << "\n";
            return ExitFailure;
        }
        for (const UserRecord &user : *users)
            out << user.userId << "\t" << user.createdAt.toString(Qt::ISODate) << "\n";
        return ExitOk;
    }
    if ((verb == QLatin1String("add") || verb == QLatin1String("remove")) && args.size() == 3) {
        const QString name = args.at(2);
        protocol::Result<void> result;
        if (verb == QLatin1String("add")) {
            const QString password = readPassword(in, err);
            result = accounts.addUser(name, password);
        } else {
            result = accounts.removeUser(name);
        }
        if (!result) {
            err << "tandem-server: " << result.error().message << "\n";
            return ExitFailure;
        }
        out << (verb == QLatin1String("add") ? "added user " : "removed user ") << name << "\n";
        return ExitOk;
    }
    err << Usage;
    return ExitUsage;
}

int serve(const ServerConfig &config, QTextStream &out, QTextStream &err)
{
    Server server(config);
    if (auto started = server.start(); !started) {
        err << "tandem-server: " << started.error().message << "\n";
        return ExitFailure;
    }
    const QUrl base = server.baseUrl();
    QUrl ws = base;
    ws.setScheme(base.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    ws.setPath(QStringLiteral("/ws"));
    // Tests and scripts read this line to learn the port when listening on port 0.
    out << "tandem-server " << TANDEM_VERSION << " listening on " << base.toString() << " (WebSocket "
        << ws.toString() << ")\n"
        << Qt::flush;

    SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &server,
                     [&server](int) { server.stop(); });
    QObject::connect(&server, &Server::stopped, QCoreApplication::instance(), &QCoreApplication::quit);
    return QCoreApplication::exec();
}

} // namespace

int runServerCli(const QStringList &arguments, QTextStream &in, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption listen(QStringLiteral("listen"), QString(), QStringLiteral("ADDR:PORT"));
    const QCommandLineOption data(QStringLiteral("data"), QString(), QStringLiteral("DIR"));
    const QCommandLineOption configFile(QStringLiteral("config"), QString(), QStringLiteral("FILE"));
    const QCommandLineOption database(QStringLiteral("database"), QString(), QStringLiteral("URL"));
    const QCommandLineOption redis(QStringLiteral("redis"), QString(), QStringLiteral("URL"));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")});
    const QCommandLineOption version(QStringList{QStringLiteral("v"), QStringLiteral("version")});
    parser.addOptions({listen, data, database, redis, configFile, help, version});
    if (!parser.parse(arguments)) {
        err << "tandem-server: " << parser.errorText() << "\n" << Usage;
        return ExitUsage;
    }
    if (parser.isSet(help)) {
        out << Usage;
        return ExitOk;
    }
    if (parser.isSet(version)) {
        out << "tandem-server " << TANDEM_VERSION << " (protocol 1)\n";
        return ExitOk;
    }

    ServerConfig config;
    if (parser.isSet(configFile)) {
        auto loaded = ServerConfig::loadFile(parser.value(configFile), ServerConfig{});
        if (!loaded) {
            err << "tandem-server: " << loaded.error().message << "\n";
            return ExitUsage;
        }
        config = *loaded;
    }
    if (parser.isSet(data))
        config.dataDir = QDir(parser.value(data)).absolutePath();
    if (parser.isSet(database)) {
        if (auto valid = checkDatabaseSetting(parser.value(database)); !valid) {
            err << "tandem-server: " << valid.error().message << "\n";
            return ExitUsage;
        }
        config.database = parser.value(database);
    }
    if (parser.isSet(redis)) {
        if (auto valid = RedisEndpoint::parse(parser.value(redis)); !valid) {
            err << "tandem-server: " << valid.error().message << "\n";
            return ExitUsage;
        }
        config.bus.redis = parser.value(redis);
    }
    if (parser.isSet(listen)) {
        if (auto set = config.setListen(parser.value(listen)); !set) {
            err << "tandem-server: " << set.error().message << "\n";
            return ExitUsage;
        }
    }

    const QStringList args = parser.positionalArguments();
    if (args.value(0) == QLatin1String("serve") && args.size() == 1)
        return serve(config, out, err);
    if (args.value(0) == QLatin1String("user"))
        return runUserCommand(args, config, in, out, err);
    err << Usage;
    return ExitUsage;
}

} // namespace tandem::server
