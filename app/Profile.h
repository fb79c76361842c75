#pragma once
// Where one instance keeps its settings and data. The default profile uses the
// platform's folders; `--profile DIR` puts both under DIR, so two instances
// (two users, in a demo) can run side by side.

#include <QSettings>
#include <QString>

#include <memory>

namespace tandem::app {

class Profile {
public:
    /// `directory` empty: the default profile.
    explicit Profile(QString directory = {});

    /// Created on first use.
    QString dataDir() const;
    std::unique_ptr<QSettings> openSettings() const;
    bool isDefault() const { return m_directory.isEmpty(); }

private:
    QString m_directory;
};

} // namespace tandem::app
