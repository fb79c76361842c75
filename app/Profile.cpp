#include "app/Profile.h"

#include <QDir>
#include <QStandardPaths>

namespace tandem::app {

Profile::Profile(QString directory)
    : m_directory(std::move(directory))
{}

QString Profile::dataDir() const
{
    const QString path = isDefault() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                                     : QDir(m_directory).filePath(QStringLiteral("data"));
    QDir().mkpath(path);
    return path;
}

std::unique_ptr<QSettings> Profile::openSettings() const
{
    if (isDefault())
        return std::make_unique<QSettings>();
    QDir().mkpath(m_directory);
    return std::make_unique<QSettings>(QDir(m_directory).filePath(QStringLiteral("tandem.conf")),
                                       QSettings::IniFormat);
}

} // namespace tandem::app
