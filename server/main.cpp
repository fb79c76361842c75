// tandem-server: parse the command line and run it; everything else lives in
// the tandem-server-core library.

#include "server/cli/ServerCli.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

int main(int argc, char *argv[]) {
    // Timestamped, categorised lines for journald and files; QT_MESSAGE_PATTERN still overrides.
    qSetMessagePattern(
        QStringLiteral("%{time yyyy-MM-ddTHH:mm:ss.zzz} %{if-debug}debug%{endif}%{if-info}info%{endif}"
                       "%{if-warning}warning%{endif}%{if-critical}critical%{endif}%{if-fatal}fatal%{endif}"
                       " %{category}: %{message}"));
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tandem-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TANDEM_VERSION));
    QTextStream in(stdin);
    QTextStream out(stdout);
    QTextStream err(stderr);
    return tandem::server::runServerCli(QCoreApplication::arguments(), in, out, err);
}
