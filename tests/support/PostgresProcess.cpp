#include "tests/support/PostgresProcess.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>

#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

namespace tandem::test {

namespace {

constexpr int ToolTimeoutMs = 120 * 1000;

/// Where initdb and pg_ctl are: pg_config's answer, Debian's versioned
/// folder (newest first), or the PATH.
QString findBinDir()
{
    QProcess pgConfig;
    pgConfig.start(QStringLiteral("pg_config"), {QStringLiteral("--bindir")});
    if (pgConfig.waitForFinished(10000) && pgConfig.exitCode() == 0) {
        const QString dir = QString::fromLocal8Bit(pgConfig.readAllStandardOutput()).trimmed();
        if (QFileInfo::exists(dir + QStringLiteral("/initdb")))
            return dir;
    }
    const QDir debian(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = debian.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(),
              [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
    for (const QString &version : versions) {
        const QString dir = debian.filePath(version + QStringLiteral("/bin"));
        if (QFileInfo::exists(dir + QStringLiteral("/initdb")))
            return dir;
    }
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("initdb"));
    return onPath.isEmpty() ? QString() : QFileInfo(onPath).absolutePath();
}

/// A port nobody listens on right now.
quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool runningAsRoot()
{
    return ::geteuid() == 0;
}

} // namespace

PostgresProcess::PostgresProcess() = default;

PostgresProcess::~PostgresProcess()
{
    stop();
}

bool PostgresProcess::runTool(const QString &tool, const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    // The server's user must be able to stand in its working folder.
    process.setWorkingDirectory(m_dir.path());
    const QString program = m_binDir + QLatin1Char('/') + tool;
    if (runningAsRoot())
        process.start(QStringLiteral("runuser"),
                      QStringList{QStringLiteral("-u"), QLatin1String(User), QStringLiteral("--"), program} +
                          arguments);
    else
        process.start(program, arguments);
    if (!process.waitForFinished(ToolTimeoutMs) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        m_error = QStringLiteral("%1 failed: %2").arg(tool, QString::fromLocal8Bit(process.readAll()));
        return false;
    }
    return true;
}

bool PostgresProcess::start()
{
    if (m_running)
        return true;
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary folder");
        return false;
    }
    m_binDir = findBinDir();
    if (m_binDir.isEmpty()) {
        m_error = QStringLiteral("PostgreSQL is not installed (no initdb): run packaging/install-deps.sh");
        return false;
    }
    if (runningAsRoot()) {
        const passwd *postgres = ::getpwnam(User);
        if (!postgres ||
            ::chown(QFile::encodeName(m_dir.path()).constData(), postgres->pw_uid, postgres->pw_gid) != 0) {
            m_error = QStringLiteral("running as root needs the 'postgres' system user to own %1")
                          .arg(m_dir.path());
            return false;
        }
    }
    m_port = freePort();
    const QString dataDir = m_dir.filePath(QStringLiteral("data"));
    // --no-sync and fsync=off: a test database need not survive a power cut.
    if (!runTool(QStringLiteral("initdb"),
                 {QStringLiteral("-D"), dataDir, QStringLiteral("-U"), QLatin1String(User),
                  QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                  QStringLiteral("--locale=C"), QStringLiteral("--no-sync")}))
        return false;
    const QString serverOptions =
        QStringLiteral("-c listen_addresses=127.0.0.1 -p %1 -c unix_socket_directories=%2 "
                       "-c fsync=off -c max_connections=50")
            .arg(m_port)
            .arg(m_dir.path());
    // -w: pg_ctl returns once the server accepts connections (or fails), so no sleeping.
    if (!runTool(QStringLiteral("pg_ctl"),
                 {QStringLiteral("start"), QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"),
                  QStringLiteral("-D"), dataDir, QStringLiteral("-l"),
                  m_dir.filePath(QStringLiteral("server.log")), QStringLiteral("-o"), serverOptions})) {
        QFile log(m_dir.filePath(QStringLiteral("server.log")));
        if (log.open(QIODevice::ReadOnly))
            m_error += QString::fromLocal8Bit(log.readAll());
        return false;
    }
    m_running = true;
    return true;
}

void PostgresProcess::stop()
{
    if (!m_running)
        return;
    m_running = false;
    runTool(QStringLiteral("pg_ctl"),
            {QStringLiteral("stop"), QStringLiteral("-w"), QStringLiteral("-m"), QStringLiteral("immediate"),
             QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data"))});
}

bool PostgresProcess::createDatabase(const QString &name)
{
    const QString connectionName = QStringLiteral("postgres-process-admin");
    bool created = false;
    {
        QSqlDatabase admin = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
        admin.setHostName(QStringLiteral("127.0.0.1"));
        admin.setPort(m_port);
        admin.setUserName(QLatin1String(User));
        admin.setDatabaseName(QStringLiteral("postgres"));
        if (!admin.open()) {
            m_error = admin.lastError().text();
        } else {
            QSqlQuery query(admin);
            // A name from the test itself; identifiers cannot be bound.
            created = query.exec(QStringLiteral("CREATE DATABASE \"%1\"").arg(name));
            if (!created)
                m_error = query.lastError().text();
        }
        admin.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
    return created;
}

QString PostgresProcess::url(const QString &database) const
{
    return QStringLiteral("postgresql://%1@127.0.0.1:%2/%3")
        .arg(QLatin1String(User))
        .arg(m_port)
        .arg(database);
}

} // namespace tandem::test
