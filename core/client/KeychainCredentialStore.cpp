#include "core/client/KeychainCredentialStore.h"

#include "core/client/ClientLogging.h"

#include <qt6keychain/keychain.h>

namespace tandem::client {

namespace {

CredentialError toCredentialError(const QKeychain::Job &job)
{
    switch (job.error()) {
    case QKeychain::EntryNotFound:
        return {CredentialError::NotFound, job.errorString()};
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return {CredentialError::Unavailable, job.errorString()};
    default:
        return {CredentialError::Failed, job.errorString()};
    }
}

template <typename JobType> JobType *newJob(const QString &service, const QString &key, QObject *parent)
{
    auto *job = new JobType(service, parent);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    return job;
}

} // namespace

KeychainCredentialStore::KeychainCredentialStore(QString service, QObject *parent)
    : CredentialStore(parent)
    , m_service(std::move(service))
{}

void KeychainCredentialStore::store(const QUrl &serverUrl, const QString &userName, const QString &token,
                                    DoneCallback done)
{
    const QString key = entryKey(serverUrl, userName);
    auto *job = newJob<QKeychain::WritePasswordJob>(m_service, key, this);
    job->setTextData(token);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done), key](QKeychain::Job *finished) {
        if (finished->error() != QKeychain::NoError) {
            const CredentialError error = toCredentialError(*finished);
            qCWarning(lcCredentials) << "cannot store" << key << "in the keychain:" << error.message;
            done(unexpected(error));
            return;
        }
        qCDebug(lcCredentials) << "stored" << key;
        done({});
    });
    job->start();
}

void KeychainCredentialStore::load(const QUrl &serverUrl, const QString &userName, LoadCallback done)
{
    const QString key = entryKey(serverUrl, userName);
    auto *job = newJob<QKeychain::ReadPasswordJob>(m_service, key, this);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done), key](QKeychain::Job *finished) {
        if (finished->error() != QKeychain::NoError) {
            const CredentialError error = toCredentialError(*finished);
            if (error.kind != CredentialError::NotFound)
                qCWarning(lcCredentials) << "cannot read" << key << "from the keychain:" << error.message;
            done(unexpected(error));
            return;
        }
        done(static_cast<QKeychain::ReadPasswordJob *>(finished)->textData());
    });
    job->start();
}

void KeychainCredentialStore::remove(const QUrl &serverUrl, const QString &userName, DoneCallback done)
{
    const QString key = entryKey(serverUrl, userName);
    auto *job = newJob<QKeychain::DeletePasswordJob>(m_service, key, this);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done), key](QKeychain::Job *finished) {
        if (finished->error() != QKeychain::NoError && finished->error() != QKeychain::EntryNotFound) {
            const CredentialError error = toCredentialError(*finished);
            qCWarning(lcCredentials) << "cannot remove" << key << "from the keychain:" << error.message;
            done(unexpected(error));
            return;
        }
        qCDebug(lcCredentials) << "removed" << key;
        done({});
    });
    job->start();
}

} // namespace tandem::client
