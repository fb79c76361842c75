#pragma once
// Turns SIGTERM and SIGINT into a Qt signal. A Unix signal handler may only
// do async-signal-safe work, so it writes a byte to a socket pair and the
// event loop picks it up (the pattern from Qt's "Calling Qt Functions From
// Unix Signal Handlers").

#include <QObject>

class QSocketNotifier;

namespace tandem::server {

class SignalWatcher : public QObject {
    Q_OBJECT

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace tandem::server
