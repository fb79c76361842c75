#pragma once
// The offline half of a test's Session on a fresh local store in a temporary
// folder: what the app's DesktopApp builds for a signed-in account.

#include "core/client/QtTimerSource.h"
#include "core/offline/OfflineSync.h"

#include <QTemporaryDir>

namespace tandem::test {

class TestOffline {
public:
    /// `storePath` empty: a new store in a temporary folder.
    explicit TestOffline(client::Session &session, const QString &storePath = {})
        : m_sync(session, storePath.isEmpty() ? m_dir.filePath(QStringLiteral("local.sqlite")) : storePath,
                 Clock::system(), m_timers)
    {
        if (const auto opened = m_sync.open(); !opened)
            qFatal("cannot open the test's local store: %s", qPrintable(opened.error().message));
    }

    offline::OfflineSync &sync() { return m_sync; }

private:
    QTemporaryDir m_dir;
    client::QtTimerSource m_timers;
    offline::OfflineSync m_sync;
};

} // namespace tandem::test
