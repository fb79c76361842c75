// bench_desktop_room: opening a room of 100,000 cached messages in the real
// chat view and scrolling it, offscreen. Measures, in one process:
//   - the time from "room selected" (ChatView::setRoom on a populated model)
//     to the first paint that shows the newest page;
//   - per-step frame time (input → paint done) for page-up steps, wheel
//     notches and scrollbar jumps, against a 16.7 ms budget;
//   - resident memory at each stage;
// and the same for a reference: a plain QListView over a QStringListModel of
// the same texts with the default delegate. See docs/BENCHMARKS.md.

#include "core/chat/ChatClient.h"
#include "core/client/Session.h"
#include "tests/bench/LatencyStats.h"
#include "tests/bench/ProcessStats.h"
#include "tests/bench/desktop/PaintWatcher.h"
#include "tests/bench/desktop/SyntheticRoom.h"
#include "tests/support/TestOffline.h"
#include "ui/ChatView.h"
#include "ui/MainWindow.h"
#include "ui/MessageDelegate.h"

#include <QAbstractItemDelegate>
#include <QApplication>
#include <QCommandLineParser>
#include <QListView>
#include <QScrollBar>
#include <QStringListModel>
#include <QTextStream>
#include <QWheelEvent>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <random>

using namespace tandem;
using bench::LatencyStats;
using bench::monotonicNs;
using bench::PaintWatcher;

namespace {

QTextStream out(stdout);

void progress(const QString &line)
{
    std::fprintf(stderr, "%s\n", qPrintable(line));
}

double msSince(qint64 startNs)
{
    return static_cast<double>(monotonicNs() - startNs) / 1e6;
}

QString mib(qint64 kib)
{
    return QString::number(static_cast<double>(kib) / 1024.0, 'f', 1);
}

struct Options {
    int messages = 100000;
    int repetitions = 5;
    int pages = 200;
    int notches = 300;
    int jumps = 50;
    bool reference = true;
};

/// One stage's resident memory, for the table at the end.
struct MemoryRow {
    QString stage;
    bench::MemoryUsage usage;
};

QList<MemoryRow> memoryRows;

void recordMemory(const QString &stage)
{
    if (const auto usage = bench::readMemoryUsage(0))
        memoryRows.append({stage, *usage});
}

/// Scroll figures of one view, in milliseconds per step.
struct ScrollResult {
    LatencyStats pages;
    LatencyStats wheel;
    LatencyStats jumps;
    int pagesOverBudget = 0;
    int wheelOverBudget = 0;
    int jumpsOverBudget = 0;
};

/// The chat view's delegate, counting how often the view asks for a row's height.
class CountingDelegate : public ui::MessageDelegate {
public:
    using MessageDelegate::MessageDelegate;
    mutable qint64 sizeHints = 0;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        ++sizeHints;
        return MessageDelegate::sizeHint(option, index);
    }
};

constexpr double FrameBudgetMs = 1000.0 / 60.0;

/// Times `step` (one input) until the viewport has painted; false when nothing moved.
bool timeStep(QListView *view, PaintWatcher &watcher, const std::function<void()> &step, LatencyStats &stats,
              int &overBudget)
{
    const int before = view->verticalScrollBar()->value();
    const int paints = watcher.paintCount();
    const qint64 start = monotonicNs();
    step();
    if (view->verticalScrollBar()->value() == before)
        return false;
    if (!watcher.waitForPaint(paints))
        return false;
    const double ms = msSince(start);
    stats.add(static_cast<std::int64_t>(ms * 1000));
    if (ms > FrameBudgetMs)
        ++overBudget;
    return true;
}

void scrollToBottomAndSettle(QListView *view, PaintWatcher &watcher)
{
    QScrollBar *bar = view->verticalScrollBar();
    const int paints = watcher.paintCount();
    bar->setValue(bar->maximum());
    watcher.waitForPaint(paints, 2000);
}

ScrollResult measureScrolling(QListView *view, PaintWatcher &watcher, const Options &options)
{
    ScrollResult result;
    QScrollBar *bar = view->verticalScrollBar();

    scrollToBottomAndSettle(view, watcher);
    for (int i = 0; i < options.pages; ++i) {
        if (!timeStep(
                view, watcher, [bar] { bar->setValue(bar->value() - bar->pageStep()); }, result.pages,
                result.pagesOverBudget))
            break;
    }

    scrollToBottomAndSettle(view, watcher);
    QWidget *viewport = view->viewport();
    const QPointF inside(viewport->width() / 2.0, viewport->height() / 2.0);
    for (int i = 0; i < options.notches; ++i) {
        const auto notch = [&] {
            // One wheel notch up, as a mouse wheel sends it.
            QWheelEvent wheel(inside, viewport->mapToGlobal(inside), QPoint(), QPoint(0, 120), Qt::NoButton,
                              Qt::NoModifier, Qt::NoScrollPhase, false);
            QCoreApplication::sendEvent(viewport, &wheel);
        };
        if (!timeStep(view, watcher, notch, result.wheel, result.wheelOverBudget))
            break;
    }

    std::mt19937 random(7);
    for (int i = 0; i < options.jumps; ++i) {
        const int target = std::uniform_int_distribution<int>(bar->minimum(), bar->maximum())(random);
        timeStep(
            view, watcher, [bar, target] { bar->setValue(target); }, result.jumps, result.jumpsOverBudget);
    }
    return result;
}

/// Shows the view's model and waits for the first paint at the bottom; returns
/// {ms to the first paint of any kind, ms to the newest page painted}.
struct OpenResult {
    double firstPaintMs = -1;
    double newestPageMs = -1;
};

OpenResult timeOpen(QListView *view, PaintWatcher &watcher, const std::function<void()> &open)
{
    OpenResult result;
    QScrollBar *bar = view->verticalScrollBar();
    const qint64 start = monotonicNs();
    open();
    int paints = watcher.paintCount();
    while (watcher.waitForPaint(paints, 60000)) {
        paints = watcher.paintCount();
        if (result.firstPaintMs < 0)
            result.firstPaintMs = msSince(start);
        const QModelIndex last =
            view->model() ? view->model()->index(view->model()->rowCount() - 1, 0) : QModelIndex();
        const bool atBottom = bar->maximum() > 0 && bar->value() == bar->maximum();
        if (atBottom && last.isValid() && view->viewport()->rect().intersects(view->visualRect(last))) {
            result.newestPageMs = msSince(start);
            break;
        }
    }
    return result;
}

QString row(const QStringList &cells)
{
    return QStringLiteral("| ") + cells.join(QStringLiteral(" | ")) + QStringLiteral(" |");
}

QString fmt(double value, int digits = 1)
{
    return QString::number(value, 'f', digits);
}

QStringList scrollCells(const QString &name, const QString &mode, LatencyStats &stats, int overBudget)
{
    return {name,
            mode,
            QString::number(stats.count()),
            fmt(stats.percentileMs(0.5), 2),
            fmt(stats.percentileMs(0.99), 2),
            fmt(stats.percentileMs(1.0), 2),
            QStringLiteral("%1 (%2%)")
                .arg(overBudget)
                .arg(fmt(stats.count() ? 100.0 * overBudget / static_cast<double>(stats.count()) : 0, 0))};
}

std::optional<Options> parseOptions(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Opens and scrolls a big room in the real chat view."));
    parser.addHelpOption();
    const QCommandLineOption messages(QStringLiteral("messages"), QStringLiteral("Messages in the room."),
                                      QStringLiteral("n"), QStringLiteral("100000"));
    const QCommandLineOption reps(QStringLiteral("reps"), QStringLiteral("Times the room is opened."),
                                  QStringLiteral("n"), QStringLiteral("5"));
    const QCommandLineOption pages(QStringLiteral("pages"), QStringLiteral("Page-up steps."),
                                   QStringLiteral("n"), QStringLiteral("200"));
    const QCommandLineOption notches(QStringLiteral("notches"), QStringLiteral("Wheel notches."),
                                     QStringLiteral("n"), QStringLiteral("300"));
    const QCommandLineOption jumps(QStringLiteral("jumps"), QStringLiteral("Scrollbar jumps."),
                                   QStringLiteral("n"), QStringLiteral("50"));
    const QCommandLineOption noReference(QStringLiteral("no-reference"),
                                         QStringLiteral("Skip the plain QListView reference."));
    parser.addOptions({messages, reps, pages, notches, jumps, noReference});
    parser.process(arguments);
    Options options;
    options.messages = qMax(1, parser.value(messages).toInt());
    options.repetitions = qMax(1, parser.value(reps).toInt());
    options.pages = qMax(0, parser.value(pages).toInt());
    options.notches = qMax(0, parser.value(notches).toInt());
    options.jumps = qMax(0, parser.value(jumps).toInt());
    options.reference = !parser.isSet(noReference);
    return options;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const std::optional<Options> parsed = parseOptions(QApplication::arguments());
    const Options options = *parsed;
    const QString roomId = QStringLiteral("bench");

    recordMemory(QStringLiteral("QApplication up"));
    qint64 start = monotonicNs();
    const QList<chat::ChatMessage> messages = bench::makeSyntheticRoom(roomId, options.messages);
    progress(QStringLiteral("generated %1 messages in %2 ms").arg(options.messages).arg(fmt(msSince(start))));
    recordMemory(QStringLiteral("messages generated (the \"cache\")"));

    // The real window on a Session that never connects: nothing but the cache feeds the room.
    client::Session session(QUrl(QStringLiteral("ws://127.0.0.1:9/ws")), QStringLiteral("offline"));
    test::TestOffline offline(session);
    ui::MainWindow window(session, offline.sync());
    PaintWatcher windowWatcher(&window);
    window.show();
    windowWatcher.waitForPaint(0);
    recordMemory(QStringLiteral("main window shown, no room"));

    chat::MessageListModel *model = window.chatClient().messages(roomId);
    start = monotonicNs();
    bench::loadIntoModel(*model, messages);
    const double loadMs = msSince(start);
    progress(QStringLiteral("MessageListModel loaded in %1 ms").arg(fmt(loadMs)));
    recordMemory(QStringLiteral("MessageListModel loaded"));

    ui::ChatView *chatView = window.chatView();
    QListView *view = chatView->messageView();
    PaintWatcher viewWatcher(view->viewport());

    // Where a layout's time goes: every row's height comes from the delegate.
    QStyleOptionViewItem option;
    option.initFrom(view);
    option.font = view->font();
    start = monotonicNs();
    for (int row = 0; row < model->rowCount(); ++row)
        view->itemDelegate()->sizeHint(option, model->index(row));
    const double sizeHintMs = msSince(start);
    start = monotonicNs();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row);
        index.data(chat::MessageListModel::StartsDayRole);
        index.data(chat::MessageListModel::StartsGroupRole);
    }
    const double groupingMs = msSince(start);
    start = monotonicNs();
    const QFontMetrics metrics(view->font());
    for (const chat::ChatMessage &message : messages)
        metrics.boundingRect(QRect(0, 0, view->viewport()->width() - 60, 100000), Qt::TextWordWrap,
                             message.text);
    const double wrapMs = msSince(start);

    std::vector<double> chatFirst, chatNewest;
    for (int rep = 0; rep < options.repetitions; ++rep) {
        const int paints = viewWatcher.paintCount();
        chatView->setRoom(QString());
        viewWatcher.waitForPaint(paints, 2000);
        const OpenResult open = timeOpen(view, viewWatcher, [&] { chatView->setRoom(roomId); });
        chatFirst.push_back(open.firstPaintMs);
        chatNewest.push_back(open.newestPageMs);
        progress(QStringLiteral("chat view: room opened, newest page painted after %1 ms")
                     .arg(fmt(open.newestPageMs)));
    }
    recordMemory(QStringLiteral("room shown in the chat view"));
    const QSize viewportSize = view->viewport()->size();
    ScrollResult chatScroll = measureScrolling(view, viewWatcher, options);
    recordMemory(QStringLiteral("chat view scrolled"));
    progress(QStringLiteral("chat view scrolled"));

    // The same openings again with a counting delegate: how many layout passes each one makes.
    QAbstractItemDelegate *original = view->itemDelegate();
    CountingDelegate counting(view);
    view->setItemDelegate(&counting);
    QStringList countedOpenings;
    for (int rep = 0; rep < options.repetitions; ++rep) {
        const int paints = viewWatcher.paintCount();
        chatView->setRoom(QString());
        viewWatcher.waitForPaint(paints, 2000);
        counting.sizeHints = 0;
        const OpenResult open = timeOpen(view, viewWatcher, [&] { chatView->setRoom(roomId); });
        countedOpenings << QStringLiteral("%1 ms / %2 per row")
                               .arg(fmt(open.newestPageMs))
                               .arg(fmt(static_cast<double>(counting.sizeHints) / options.messages, 2));
    }
    // A height-only change of the list (the offline banner, a taller composer): does it lay out every row?
    QStringList heightChanges;
    for (const int delta : {-30, 30}) {
        counting.sizeHints = 0;
        const qint64 resizeStart = monotonicNs();
        window.resize(window.width(), window.height() + delta);
        while (msSince(resizeStart) < 500) // the view lays out after a 100 ms timer, synchronously
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        heightChanges << QStringLiteral("%1 px: %2 per row, %3 ms in the 500 ms after it")
                             .arg(delta)
                             .arg(fmt(static_cast<double>(counting.sizeHints) / options.messages, 2))
                             .arg(fmt(msSince(resizeStart)));
    }
    view->setItemDelegate(original);

    std::vector<double> refFirst, refNewest;
    std::optional<ScrollResult> refScroll;
    double refModelMs = 0;
    if (options.reference) {
        QStringList texts;
        texts.reserve(messages.size());
        for (const chat::ChatMessage &message : messages)
            texts.append(message.text);
        start = monotonicNs();
        QStringListModel plain(texts);
        refModelMs = msSince(start);
        QListView reference;
        reference.setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
        reference.setSelectionMode(QAbstractItemView::NoSelection);
        reference.setFrameShape(QFrame::NoFrame);
        reference.resize(view->size());
        PaintWatcher referenceWatcher(reference.viewport());
        reference.show();
        referenceWatcher.waitForPaint(0);
        for (int rep = 0; rep < options.repetitions; ++rep) {
            const int paints = referenceWatcher.paintCount();
            reference.setModel(nullptr);
            referenceWatcher.waitForPaint(paints, 2000);
            const OpenResult open = timeOpen(&reference, referenceWatcher, [&] {
                reference.setModel(&plain);
                reference.scrollToBottom();
            });
            refFirst.push_back(open.firstPaintMs);
            refNewest.push_back(open.newestPageMs);
        }
        recordMemory(QStringLiteral("reference QListView shown"));
        refScroll = measureScrolling(&reference, referenceWatcher, options);
        recordMemory(QStringLiteral("reference scrolled"));
        progress(QStringLiteral("reference scrolled"));
    }

    out << "## bench_desktop_room\n\n"
        << options.messages << " messages, " << options.repetitions << " openings; chat view viewport "
        << viewportSize.width() << "×" << viewportSize.height() << " px, platform "
        << QGuiApplication::platformName() << ", Qt " << qVersion() << "\n\n";
    out << row({QStringLiteral("opening the room (median)"), QStringLiteral("chat view"),
                QStringLiteral("reference"), QStringLiteral("chat / reference")})
        << "\n|---|---|---|---|\n";
    const auto ratio = [](double a, double b) {
        return b > 0 ? fmt(a / b, 1) + QStringLiteral("×") : QString();
    };
    const double chatNewestMs = bench::median(chatNewest);
    const double refNewestMs = bench::median(refNewest);
    out << row({QStringLiteral("**to the newest page painted**"),
                QStringLiteral("**%1 ms**").arg(fmt(chatNewestMs)),
                QStringLiteral("%1 ms").arg(fmt(refNewestMs)), ratio(chatNewestMs, refNewestMs)})
        << "\n";
    out << row({QStringLiteral("to the first paint"),
                QStringLiteral("%1 ms").arg(fmt(bench::median(chatFirst))),
                QStringLiteral("%1 ms").arg(fmt(bench::median(refFirst))),
                ratio(bench::median(chatFirst), bench::median(refFirst))})
        << "\n";
    out << row({QStringLiteral("filling the model (once)"),
                QStringLiteral("%1 ms (MessageListModel::addMessage × %2)")
                    .arg(fmt(loadMs))
                    .arg(options.messages),
                QStringLiteral("%1 ms (QStringListModel)").arg(fmt(refModelMs, 2)), QString()})
        << "\n\n";

    QStringList each;
    for (double value : chatNewest)
        each << fmt(value);
    out << "Chat view, each opening (ms): " << each.join(QStringLiteral(", ")) << "\n\n";

    out << "Where the chat view's layout time goes (one pass over all " << options.messages << " rows):\n\n"
        << row({QStringLiteral("work"), QStringLiteral("ms"), QStringLiteral("µs per row")})
        << "\n|---|---|---|\n";
    const auto perRow = [&](double ms) {
        return fmt(ms * 1000.0 / options.messages, 2);
    };
    out << row({QStringLiteral("MessageDelegate::sizeHint"), fmt(sizeHintMs), perRow(sizeHintMs)}) << "\n";
    out << row({QStringLiteral("model data(StartsDayRole) + data(StartsGroupRole)"), fmt(groupingMs),
                perRow(groupingMs)})
        << "\n";
    out << row({QStringLiteral("QFontMetrics::boundingRect, word wrap"), fmt(wrapMs), perRow(wrapMs)})
        << "\n\n";
    out << "The same openings with a delegate that counts MessageDelegate::sizeHint calls (time / calls per "
           "row): "
        << countedOpenings.join(QStringLiteral("; ")) << "\n\n";
    out << "Window height changed, width kept (sizeHint calls per row; time the event loop was busy): "
        << heightChanges.join(QStringLiteral("; ")) << "\n\n";

    out << "Scrolling, frame time from input to paint done (budget " << fmt(FrameBudgetMs, 1) << " ms):\n\n"
        << row({QStringLiteral("view"), QStringLiteral("input"), QStringLiteral("steps"),
                QStringLiteral("median ms"), QStringLiteral("p99 ms"), QStringLiteral("max ms"),
                QStringLiteral("over budget")})
        << "\n|---|---|---|---|---|---|---|\n";
    const QString chatName = QStringLiteral("chat view");
    out << row(scrollCells(chatName, QStringLiteral("page up"), chatScroll.pages, chatScroll.pagesOverBudget))
        << "\n";
    out << row(scrollCells(chatName, QStringLiteral("wheel notch"), chatScroll.wheel,
                           chatScroll.wheelOverBudget))
        << "\n";
    out << row(scrollCells(chatName, QStringLiteral("scrollbar jump"), chatScroll.jumps,
                           chatScroll.jumpsOverBudget))
        << "\n";
    if (refScroll) {
        const QString refName = QStringLiteral("reference");
        out << row(scrollCells(refName, QStringLiteral("page up"), refScroll->pages,
                               refScroll->pagesOverBudget))
            << "\n";
        out << row(scrollCells(refName, QStringLiteral("wheel notch"), refScroll->wheel,
                               refScroll->wheelOverBudget))
            << "\n";
        out << row(scrollCells(refName, QStringLiteral("scrollbar jump"), refScroll->jumps,
                               refScroll->jumpsOverBudget))
            << "\n";
    }
    out << "\nResident memory of this process:\n\n"
        << row({QStringLiteral("stage"), QStringLiteral("VmRSS MiB"), QStringLiteral("VmHWM MiB")})
        << "\n|---|---|---|\n";
    for (const MemoryRow &memory : std::as_const(memoryRows))
        out << row({memory.stage, mib(memory.usage.residentKiB), mib(memory.usage.peakKiB)}) << "\n";
    out.flush();
    // Exit code 1 when an opening never showed the newest page: the figures above are then incomplete.
    const auto missed = [](const std::vector<double> &values) {
        return std::any_of(values.begin(), values.end(), [](double value) { return value < 0; });
    };
    return missed(chatNewest) || missed(refNewest) ? 1 : 0;
}
