#pragma once
// The production TimerSource: QObject timers on the thread's event loop.

#include "core/client/TimerSource.h"

#include <QObject>

#include <unordered_map>

namespace tandem::client {

class QtTimerSource final : public QObject, public TimerSource {
    Q_OBJECT

public:
    explicit QtTimerSource(QObject *parent = nullptr);
    ~QtTimerSource() override;

    int start(qint64 delayMs, Callback callback) override;
    void cancel(int id) override;

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    std::unordered_map<int, Callback> m_callbacks;
};

} // namespace tandem::client
