// tandem_start_probe: the desktop app's main.cpp, step for step, plus an
// event filter that stamps the first paint of a top-level window. The app has
// no "first frame painted" hook, and bench_desktop_start may not change app/,
// so this harness links the same libraries (tandem-app, tandem-ui,
// tandem-client-keychain) and the same icons, and builds the same DesktopApp.
// It does not embed the translations (an English locale loads none).
//
// Prints one line on stdout, with CLOCK_MONOTONIC stamps in ns:
//   PROBE main=… app=… built=… paint=… frame=… window=Class [room=… rows=… shown=… rooms=…] rss=KiB hwm=KiB
// `built` is when DesktopApp::start() has returned (store opened, cache loaded,
// window built and shown, not yet painted). When the first window is the main
// window, the line also says what it showed at that first paint: the current
// room, the rows of its MessageListModel, the rows its chat view shows and the
// rooms in the sidebar.
// `--reference` shows an empty 1000×680 QMainWindow instead: Qt's own floor.
// `--load-room N` then fills a room of N cached messages into the main window
// and prints `ROOM ms=… rss=… hwm=…` once its newest page is painted.

#include "app/DesktopApp.h"
#include "app/Startup.h"
#include "core/chat/ChatClient.h"
#include "core/chat/MessageListModel.h"
#include "core/chat/RoomListModel.h"
#include "core/client/KeychainCredentialStore.h"
#include "tests/bench/ProcessStats.h"
#include "tests/bench/desktop/PaintWatcher.h"
#include "tests/bench/desktop/SyntheticRoom.h"
#include "ui/ChatView.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QListView>
#include <QMainWindow>
#include <QScrollBar>
#include <QStatusBar>
#include <QTimer>

#include <cstdio>

using tandem::bench::monotonicNs;

namespace {

/// Stamps the first Paint event any top-level window receives, and the moment
/// the event loop is back after that frame (painted and flushed).
class FirstPaintFilter : public QObject {
public:
    /// Called at the first paint: what the window shows, for the PROBE line.
    std::function<QString()> describe;
    std::function<void(qint64 paintNs, qint64 frameNs, const QString &window)> done;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (m_seen || event->type() != QEvent::Paint || !watched->isWidgetType())
            return false;
        auto *widget = static_cast<QWidget *>(watched);
        if (!widget->isWindow())
            return false;
        m_seen = true;
        const qint64 paintNs = monotonicNs();
        QString window = QString::fromLatin1(widget->metaObject()->className());
        if (describe)
            window += describe();
        QTimer::singleShot(0, this, [this, paintNs, window] { done(paintNs, monotonicNs(), window); });
        return false;
    }

private:
    bool m_seen = false;
};

void printMemoryLine(const char *prefix, const QString &extra)
{
    const auto memory = tandem::bench::readMemoryUsage(0);
    std::printf("%s %s rss=%lld hwm=%lld\n", prefix, qPrintable(extra),
                static_cast<long long>(memory ? memory->residentKiB : -1),
                static_cast<long long>(memory ? memory->peakKiB : -1));
    std::fflush(stdout);
}

/// The main window's content at this moment: which room, how many rows.
QString describeMainWindow(tandem::ui::MainWindow &window)
{
    tandem::chat::ChatClient &chat = window.chatClient();
    const QString room = chat.currentRoom();
    const int rows = room.isEmpty() ? 0 : chat.messages(room)->rowCount();
    const QAbstractItemModel *shown = window.chatView()->messageView()->model();
    return QStringLiteral(" room=%1 rows=%2 shown=%3 rooms=%4")
        .arg(room.isEmpty() ? QStringLiteral("-") : room)
        .arg(rows)
        .arg(shown ? shown->rowCount() : 0)
        .arg(chat.rooms()->rowCount());
}

/// Fills a big room into the main window's chat view and waits for its newest page.
void loadRoom(tandem::ui::MainWindow &window, int count)
{
    const QString roomId = QStringLiteral("bench-big");
    const qint64 start = monotonicNs();
    const auto messages = tandem::bench::makeSyntheticRoom(roomId, count);
    tandem::bench::loadIntoModel(*window.chatClient().messages(roomId), messages);
    QListView *view = window.chatView()->messageView();
    tandem::bench::PaintWatcher watcher(view->viewport());
    window.chatView()->setRoom(roomId);
    for (int paints = 0; watcher.waitForPaint(paints, 120000); paints = watcher.paintCount()) {
        const QScrollBar *bar = view->verticalScrollBar();
        if (bar->maximum() > 0 && bar->value() == bar->maximum())
            break;
    }
    printMemoryLine("ROOM", QStringLiteral("ms=%1").arg(static_cast<double>(monotonicNs() - start) / 1e6));
}

} // namespace

int main(int argc, char *argv[])
{
    const qint64 mainNs = monotonicNs();
    bool reference = false;
    int roomMessages = 0;
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], "--reference") == 0)
            reference = true;
        else if (qstrcmp(argv[i], "--load-room") == 0 && i + 1 < argc)
            roomMessages = QByteArray(argv[i + 1]).toInt();
    }
    // The probe's own flags are not the app's: hand the app only the rest.
    QList<char *> appArguments;
    for (int i = 0; i < argc; ++i) {
        if (qstrcmp(argv[i], "--reference") == 0)
            continue;
        if (qstrcmp(argv[i], "--load-room") == 0) {
            ++i;
            continue;
        }
        appArguments.append(argv[i]);
    }
    int appArgc = static_cast<int>(appArguments.size());
    appArguments.append(nullptr);
    char **appArgv = appArguments.data();

    if (!reference)
        tandem::app::handleConsoleOnlyArguments(appArgc, appArgv);

    QApplication app(appArgc, appArgv);
    const qint64 appNs = monotonicNs();
    FirstPaintFilter filter;
    app.installEventFilter(&filter);
    std::unique_ptr<tandem::app::DesktopApp> desktop;
    qint64 builtNs = 0;
    filter.describe = [&] {
        return desktop && desktop->mainWindow() ? describeMainWindow(*desktop->mainWindow()) : QString();
    };
    filter.done = [&](qint64 paintNs, qint64 frameNs, const QString &window) {
        printMemoryLine("PROBE", QStringLiteral("main=%1 app=%2 built=%3 paint=%4 frame=%5 window=%6")
                                     .arg(mainNs)
                                     .arg(appNs)
                                     .arg(builtNs)
                                     .arg(paintNs)
                                     .arg(frameNs)
                                     .arg(window));
        if (roomMessages > 0 && desktop && desktop->mainWindow())
            loadRoom(*desktop->mainWindow(), roomMessages);
    };

    if (reference) {
        QMainWindow window;
        window.setCentralWidget(new QListView(&window));
        window.statusBar()->showMessage(QStringLiteral("reference"));
        window.resize(1000, 680);
        window.show();
        builtNs = monotonicNs();
        return QApplication::exec();
    }

    // Exactly how app/main.cpp starts the app.
    tandem::app::setDesktopIdentity();
    desktop = tandem::app::startDesktopApp(app, std::make_unique<tandem::client::KeychainCredentialStore>());
    builtNs = monotonicNs();
    const int status = QApplication::exec();
    app.removeEventFilter(&filter);
    return status;
}
