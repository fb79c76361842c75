// tandem-server: parse the command line and run it; everything else lives in
// the tandem-server-core library.

#include "server/cli/ServerCli.h"
#include "server/eventloop/EpollEventDispatcher.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>

#include <cstdio>
#include <sys/resource.h>

int main(int argc, char *argv[])
{
    // Timestamped, categorised lines for journald and files; QT_MESSAGE_PATTERN still overrides.
    qSetMessagePattern(
        QStringLiteral("%{time yyyy-MM-ddTHH:mm:ss.zzz} %{if-debug}debug%{endif}%{if-info}info%{endif}"
                       "%{if-warning}warning%{endif}%{if-critical}critical%{endif}%{if-fatal}fatal%{endif}"
                       " %{category}: %{message}"));
    // Every connection is a file descriptor; the usual soft limit of 1024 would cap the server far
    // below its [http] max_connections. Raise it to the hard limit the admin allows.
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &files);
    }
    // Debug lines are for developers; QT_LOGGING_RULES turns them on.
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("tandem.*.debug=false"));
    // Qt's GLib dispatcher registers and unregisters socket notifiers in lists whose cost grows
    // with the number of sockets, so every broadcast to N peers costs O(N^2): with 1,000 clients
    // it held p50 at 18 ms where the poll-based dispatcher gives 3.8 ms (docs/BENCHMARKS.md).
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    // Qt's poll-based dispatcher still hands every socket to poll() on every turn: O(connections)
    // per turn, however few are active. epoll returns only the ready ones. TANDEM_EVENT_DISPATCHER=qt
    // keeps Qt's, to tell a dispatcher problem from another.
    if (qEnvironmentVariable("TANDEM_EVENT_DISPATCHER") != QLatin1String("qt")) {
        auto *dispatcher = new tandem::server::EpollEventDispatcher;
        if (dispatcher->isValid())
            QCoreApplication::setEventDispatcher(dispatcher); // owned by the main thread from here
        else
            delete dispatcher;
    }
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tandem-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TANDEM_VERSION));
    QTextStream in(stdin);
    QTextStream out(stdout);
    QTextStream err(stderr);
    return tandem::server::runServerCli(QCoreApplication::arguments(), in, out, err);
}
