#include "tests/support/TestCertificate.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>

namespace tandem::test {

bool TestCertificate::create()
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty()) {
        m_error = QStringLiteral("the openssl binary is missing (packaging/install-deps.sh installs it)");
        return false;
    }
    QProcess process;
    process.setWorkingDirectory(m_dir.path());
    process.start(openssl, {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                            QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                            QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                            QStringLiteral("-keyout"), keyPath(), QStringLiteral("-out"), certificatePath(),
                            QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                            QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                            QStringLiteral("subjectAltName=IP:127.0.0.1")});
    if (!process.waitForFinished(30000) || process.exitCode() != 0) {
        m_error = QString::fromUtf8(process.readAllStandardError());
        return false;
    }
    const auto certificates = QSslCertificate::fromPath(certificatePath());
    QFile keyFile(keyPath());
    if (certificates.size() != 1 || !keyFile.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("openssl wrote no usable certificate");
        return false;
    }
    m_certificate = certificates.first();
    m_key = QSslKey(&keyFile, QSsl::Ec);
    if (m_key.isNull()) {
        m_error = QStringLiteral("openssl wrote no usable key");
        return false;
    }
    return true;
}

QSslConfiguration TestCertificate::serverConfiguration() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(m_certificate);
    configuration.setPrivateKey(m_key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    return configuration;
}

QSslConfiguration TestCertificate::clientConfiguration() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates({m_certificate});
    return configuration;
}

} // namespace tandem::test
