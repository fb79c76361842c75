#include "tests/support/ServerProcess.h"

#include "tests/support/TestClient.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

namespace tandem::test {

namespace {
constexpr int StartTimeoutMs = 20000;
} // namespace

QString ServerProcess::binary()
{
    return qEnvironmentVariable("TANDEM_SERVER_BINARY", QStringLiteral("tandem-server"));
}

ServerProcess::ServerProcess(QStringList configLines)
{
    QFile config(configPath());
    if (config.open(QIODevice::WriteOnly)) {
        // Cheap Argon2 keeps the suite fast; production defaults are tested in the unit tests.
        config.write("[auth]\nargon2_memory_kib=64\nargon2_time_cost=1\n");
        config.write(configLines.join(QLatin1Char('\n')).toUtf8() + "\n");
    }
    m_process.setProgram(binary());
    m_process.setReadChannel(QProcess::StandardOutput);
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool ServerProcess::start(quint16 port)
{
    m_process.setArguments({QStringLiteral("serve"), QStringLiteral("--listen"),
                            QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--data"), dataDir(),
                            QStringLiteral("--config"), configPath()});
    m_process.start();
    if (!m_process.waitForStarted(StartTimeoutMs))
        return false;
    static const QRegularExpression listening(
        QStringLiteral("listening on (https?)://127\\.0\\.0\\.1:(\\d+)"));
    QByteArray output;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < StartTimeoutMs && m_process.state() == QProcess::Running) {
        m_process.waitForReadyRead(200);
        output += m_process.readAllStandardOutput();
        const auto match = listening.match(QString::fromUtf8(output));
        if (match.hasMatch()) {
            m_scheme = match.captured(1);
            m_port = static_cast<quint16>(match.captured(2).toUInt());
            return true;
        }
    }
    qWarning() << "server did not start:" << output << log();
    return false;
}

QByteArray ServerProcess::log()
{
    m_log += m_process.readAllStandardError();
    return m_log;
}

int ServerProcess::terminate()
{
    m_process.terminate();
    if (!m_process.waitForFinished(15000))
        return -1;
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

void ServerProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(5000);
}

QPair<int, QString> ServerProcess::runCommand(const QStringList &arguments, const QByteArray &input)
{
    QProcess command;
    command.setProcessChannelMode(QProcess::MergedChannels);
    command.start(binary(), arguments + QStringList{QStringLiteral("--data"), dataDir(),
                                                    QStringLiteral("--config"), configPath()});
    command.waitForStarted();
    command.write(input);
    command.closeWriteChannel();
    if (!command.waitForFinished(30000))
        return {-1, QStringLiteral("timeout")};
    return {command.exitCode(), QString::fromUtf8(command.readAll())};
}

bool ServerProcess::addUser(const QString &name, const QString &password)
{
    return runCommand({QStringLiteral("user"), QStringLiteral("add"), name}, password.toUtf8() + "\n")
               .first == 0;
}

QUrl ServerProcess::httpUrl(const QString &path) const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2%3").arg(m_scheme).arg(m_port).arg(path));
}

QUrl ServerProcess::wsUrl(const QString &query) const
{
    const QString scheme = m_scheme == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws");
    return QUrl(QStringLiteral("%1://127.0.0.1:%2/ws%3")
                    .arg(scheme)
                    .arg(m_port)
                    .arg(query.isEmpty() ? QString() : u'?' + query));
}

QString ServerProcess::addMember(const QString &name, const QString &roomId)
{
    if (!addUser(name))
        return {};
    const QString token = login(name);
    TestClient client;
    if (token.isEmpty() || !client.connectAndAuthenticate(wsUrl(), token) || !client.join(roomId))
        return {};
    return token;
}

QString ServerProcess::login(const QString &name, const QString &password)
{
    QNetworkAccessManager network;
    QNetworkRequest request(httpUrl(QStringLiteral("/api/login")));
    if (m_clientTls)
        request.setSslConfiguration(*m_clientTls);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    const QByteArray body =
        QJsonDocument(QJsonObject{{QStringLiteral("username"), name}, {QStringLiteral("password"), password}})
            .toJson(QJsonDocument::Compact);
    QNetworkReply *reply = network.post(request, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(20000))
        return {};
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object().value(QLatin1String("token")).toString();
}

} // namespace tandem::test
