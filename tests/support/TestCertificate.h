#pragma once
// A throwaway self-signed certificate for 127.0.0.1, made with the openssl
// CLI, for tests of https:// and wss://. Clients trust exactly this
// certificate, so verification stays on.

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTemporaryDir>

namespace tandem::test {

class TestCertificate {
public:
    /// Generates the key and certificate; false (with errorString()) on failure.
    bool create();
    QString errorString() const { return m_error; }

    QString certificatePath() const { return m_dir.filePath(QStringLiteral("cert.pem")); }
    QString keyPath() const { return m_dir.filePath(QStringLiteral("key.pem")); }
    const QSslCertificate &certificate() const { return m_certificate; }

    /// For a server: this certificate and key, no client certificates asked.
    QSslConfiguration serverConfiguration() const;
    /// For a client: trusts this certificate and nothing else.
    QSslConfiguration clientConfiguration() const;

private:
    QTemporaryDir m_dir;
    QSslCertificate m_certificate;
    QSslKey m_key;
    QString m_error;
};

} // namespace tandem::test
