#pragma once
// Installed on the application: every key press, click, wheel or mouse move
// in any window counts as the user being present.

#include <QObject>

namespace tandem::chat {
class AwayTracker;
}

namespace tandem::ui {

class ActivityFilter : public QObject {
    Q_OBJECT

public:
    explicit ActivityFilter(chat::AwayTracker &tracker, QObject *parent = nullptr);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    chat::AwayTracker &m_tracker;
};

} // namespace tandem::ui
