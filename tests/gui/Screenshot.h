#pragma once
// Screenshots for docs/screenshots and the README: GUI tests grab their
// windows either way (a grab that fails is a test failure) and save them only
// when TANDEM_SCREENSHOT_DIR is set.

#include <QDir>
#include <QPainter>
#include <QPixmap>
#include <QWidget>

namespace tandem::test {

/// Grabs `widgets` and lays them side by side (8 px apart) as `name` in
/// $TANDEM_SCREENSHOT_DIR. False when a grab is empty or the file cannot be written.
inline bool saveScreenshot(const QList<QWidget *> &widgets, const QString &name)
{
    QList<QPixmap> shots;
    int width = 0;
    int height = 0;
    for (QWidget *widget : widgets) {
        const QPixmap shot = widget->grab();
        if (shot.isNull())
            return false;
        width += shot.width() + (shots.isEmpty() ? 0 : 8);
        height = std::max(height, shot.height());
        shots.append(shot);
    }
    const QString directory = qEnvironmentVariable("TANDEM_SCREENSHOT_DIR");
    if (directory.isEmpty())
        return true;
    QPixmap combined(width, height);
    combined.fill(Qt::darkGray);
    QPainter painter(&combined);
    int x = 0;
    for (const QPixmap &shot : std::as_const(shots)) {
        painter.drawPixmap(x, 0, shot);
        x += shot.width() + 8;
    }
    painter.end();
    return QDir().mkpath(directory) && combined.save(QDir(directory).filePath(name));
}

} // namespace tandem::test
