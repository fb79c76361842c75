// bench_canvas_frame: frame time of the canvas view on a 10,000-shape canvas
// (issue #6, docs/BENCHMARKS.md). Offscreen, one process, no network.
//
// The canvas is built from remote ops (CanvasEditor::applyRemote): strokes of
// ~50 points, rectangles, ellipses, lines, arrows and text boxes spread over
// a 12,000 × 7,500 area. Each frame is one pan or zoom step through the view's
// API followed by a synchronous repaint (QWidget::repaint() plus the events it
// leaves queued), timed from before the step to after the paint. Scenarios:
//   pan, all in view   zoomed out so the whole canvas fits, panning in a circle
//   pan, zoomed in     100 % in the middle of the canvas (culling matters)
//   zoom sweep         from the fit zoom to 400 % and back, anchored at the centre
// The reference, measured in the same run, is a naive renderer: the same
// paintShape() for every shape of CanvasModel::shapes(), decoded every frame,
// no culling and no cache.

#include "core/canvas/CanvasEditor.h"
#include "core/canvas/CanvasOp.h"
#include "core/canvas/FractionalIndex.h"
#include "tests/bench/LatencyStats.h"
#include "tests/bench/ProcessStats.h"
#include "tests/bench/canvas/CommandLine.h"
#include "tests/bench/canvas/QuietMachine.h"
#include "ui/canvas/CanvasView.h"
#include "ui/canvas/ShapePainter.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QPainter>
#include <QTextStream>
#include <QWidget>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <numbers>
#include <random>

#include <unistd.h>

using namespace tandem;
using bench::LatencyStats;
using bench::median;
using canvas::ShapeKind;
using canvas::ShapeProperty;

namespace {

QTextStream out(stdout);
constexpr double CanvasWidth = 12000;
constexpr double CanvasHeight = 7500;

void progress(const QString &line)
{
    std::fprintf(stderr, "%s\n", qPrintable(line));
    std::fflush(stderr);
}

QString fmt(double value, int decimals = 1)
{
    return QString::number(value, 'f', decimals);
}

struct Options {
    int shapes = 10000;
    int frames = 120;
    int repetitions = 3;
    int width = 1280;
    int height = 800;
    bool reference = true;
    bool panAll = true;
    bool panIn = true;
    bool zoom = true;
    QList<ShapeKind> kinds;       ///< empty: every kind
    double quietWaitSeconds = 30; ///< before each scenario, wait up to this for other processes to calm down
};

std::optional<Options> parseOptions(const QStringList &arguments, int *exitCode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Canvas frame time: pan and zoom over an N-shape canvas in CanvasView (offscreen), against a naive "
        "renderer without culling or caching. See docs/BENCHMARKS.md."));
    parser.addHelpOption();
    const QCommandLineOption shapes(QStringLiteral("shapes"), QStringLiteral("Shapes on the canvas (10000)."),
                                    QStringLiteral("n"));
    const QCommandLineOption frames(QStringLiteral("frames"), QStringLiteral("Frames per scenario (120)."),
                                    QStringLiteral("n"));
    const QCommandLineOption reps(QStringLiteral("reps"),
                                  QStringLiteral("Repetitions; medians reported (3)."), QStringLiteral("n"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("View size (1280x800)."),
                                  QStringLiteral("WxH"));
    const QCommandLineOption noReference(QStringLiteral("no-reference"),
                                         QStringLiteral("Skip the naive renderer."));
    const QCommandLineOption quick(QStringLiteral("quick"), QStringLiteral("Smoke run: 1 rep, 20 frames."));
    const QCommandLineOption only(
        QStringLiteral("scenarios"),
        QStringLiteral("Any of pan-all, pan-in, zoom (all three); for profiling one."),
        QStringLiteral("list"));
    const QCommandLineOption kinds(
        QStringLiteral("kinds"),
        QStringLiteral(
            "Keep only these kinds of the same mix, e.g. stroke,text (all); to see what costs what."),
        QStringLiteral("list"));
    const QCommandLineOption quietWait = bench::quietWaitOption(QStringLiteral("scenario"));
    parser.addOptions({shapes, frames, reps, size, noReference, only, kinds, quietWait, quick});
    if (!bench::parseCommandLine(parser, arguments, exitCode))
        return std::nullopt;
    Options options;
    if (parser.isSet(quick)) {
        options.repetitions = 1;
        options.frames = 20;
        options.quietWaitSeconds = 0;
    }
    bool ok = true;
    const auto integer = [&](const QCommandLineOption &option, int &target) {
        if (parser.isSet(option)) {
            bool parsed = false;
            target = parser.value(option).toInt(&parsed);
            ok = ok && parsed && target > 0;
        }
    };
    integer(shapes, options.shapes);
    integer(frames, options.frames);
    integer(reps, options.repetitions);
    ok = bench::readQuietWait(parser, quietWait, options.quietWaitSeconds) && ok;
    ok = bench::readViewSize(parser, size, options.width, options.height) && ok;
    options.reference = !parser.isSet(noReference);
    if (parser.isSet(kinds)) {
        for (const QString &name : parser.value(kinds).split(QLatin1Char(','))) {
            const auto kind = canvas::shapeKindFromName(name);
            if (!kind)
                ok = false;
            else
                options.kinds.append(*kind);
        }
    }
    if (parser.isSet(only)) {
        const QStringList list = parser.value(only).split(QLatin1Char(','));
        options.panAll = list.contains(QLatin1String("pan-all"));
        options.panIn = list.contains(QLatin1String("pan-in"));
        options.zoom = list.contains(QLatin1String("zoom"));
    }
    if (!ok) {
        std::fprintf(stderr, "bad option value\n%s", qPrintable(parser.helpText()));
        *exitCode = 2;
        return std::nullopt;
    }
    return options;
}

/// A z-index key for position `index`: fixed-width base-62 digits plus a final '1', so keys sort by index.
QString zKey(int index)
{
    QString key;
    int rest = index;
    for (int digit = 0; digit < 4; ++digit) {
        key.prepend(QLatin1Char(canvas::FractionalIndex::Digits[rest % canvas::FractionalIndex::Base]));
        rest /= canvas::FractionalIndex::Base;
    }
    return key + QLatin1Char('1');
}

/// The synthetic canvas: a fixed seed, so every run draws the same shapes.
QList<canvas::CanvasOp> syntheticCanvas(int count)
{
    std::mt19937 random(6);
    std::uniform_real_distribution<double> x(0, CanvasWidth);
    std::uniform_real_distribution<double> y(0, CanvasHeight);
    std::uniform_real_distribution<double> extent(30, 300);
    std::uniform_real_distribution<double> turn(-0.35, 0.35); // radians per point: a hand-drawn curve
    std::uniform_real_distribution<double> stride(3, 8);      // canvas units between pointer samples
    std::uniform_real_distribution<double> heading(0, 2 * std::numbers::pi);
    std::uniform_int_distribution<int> percent(0, 99);
    const QStringList colours{QStringLiteral("#1e88e5"), QStringLiteral("#e53935"),
                              QStringLiteral("#43a047"), QStringLiteral("#fb8c00"),
                              QStringLiteral("#8e24aa"), QStringLiteral("#212121")};
    const offline::HlcTimestamp base{1'780'000'000'000, 0, 7};
    QList<canvas::CanvasOp> ops;
    ops.reserve(count);
    for (int i = 0; i < count; ++i) {
        const int roll = percent(random);
        const ShapeKind kind = roll < 40   ? ShapeKind::Stroke
                               : roll < 55 ? ShapeKind::Rectangle
                               : roll < 70 ? ShapeKind::Ellipse
                               : roll < 80 ? ShapeKind::Line
                               : roll < 90 ? ShapeKind::Arrow
                                           : ShapeKind::TextBox;
        const QPointF origin(x(random), y(random));
        QList<QPointF> points;
        QString text;
        if (kind == ShapeKind::Stroke) {
            QPointF point = origin;
            double direction = heading(random);
            for (int p = 0; p < 50; ++p) {
                points.append(point);
                direction += turn(random);
                const double length = stride(random);
                point += QPointF(std::cos(direction) * length, std::sin(direction) * length);
            }
        } else if (kind == ShapeKind::TextBox) {
            text = QStringLiteral("Note %1: check the layout").arg(i);
            points = {origin,
                      origin + QPointF(ui::textBoxSize(text).width(), ui::textBoxSize(text).height())};
        } else {
            points = {origin, origin + QPointF(extent(random), extent(random) * (roll % 2 ? 1 : -1))};
        }
        std::array<QJsonValue, canvas::ShapePropertyCount> values;
        values[static_cast<size_t>(ShapeProperty::Geometry)] = canvas::encodePoints(points);
        values[static_cast<size_t>(ShapeProperty::StrokeColor)] = colours[i % colours.size()];
        const bool filled = (kind == ShapeKind::Rectangle || kind == ShapeKind::Ellipse) && roll % 3 == 0;
        values[static_cast<size_t>(ShapeProperty::Fill)] = filled ? QStringLiteral("#fff59d") : QString();
        values[static_cast<size_t>(ShapeProperty::StrokeWidth)] = 1.0 + (i % 5);
        values[static_cast<size_t>(ShapeProperty::ZIndex)] = zKey(i + 1);
        values[static_cast<size_t>(ShapeProperty::Text)] = text;
        offline::HlcTimestamp stamp = base;
        stamp.counter = static_cast<quint32>(i);
        ops.append(canvas::CanvasOp::create(QStringLiteral("shape-%1").arg(i, 5, 10, QLatin1Char('0')), kind,
                                            values, stamp));
    }
    return ops;
}

/// The reference: every visible shape decoded from the model and painted, every frame.
class NaiveCanvasView : public QWidget {
public:
    explicit NaiveCanvasView(const canvas::CanvasModel &model)
        : m_model(model)
    {
        setAttribute(Qt::WA_OpaquePaintEvent);
    }
    void setZoom(double zoom, QPointF anchor)
    {
        zoom = std::clamp(zoom, ui::CanvasView::MinZoom, ui::CanvasView::MaxZoom);
        const QPointF anchored = (anchor - m_offset) / m_zoom;
        m_zoom = zoom;
        m_offset = anchor - anchored * m_zoom;
        update();
    }
    void panBy(QPointF delta)
    {
        m_offset += delta;
        update();
    }
    void resetView()
    {
        m_offset = {};
        m_zoom = 1;
        update();
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        painter.fillRect(rect(), Qt::white);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.translate(m_offset);
        painter.scale(m_zoom, m_zoom);
        for (const canvas::Shape &shape : m_model.shapes())
            ui::paintShape(painter, shape);
    }

private:
    const canvas::CanvasModel &m_model;
    double m_zoom = 1;
    QPointF m_offset;
};

/// The operations a scenario drives, for either view.
struct Subject {
    QString name;
    QWidget *widget = nullptr;
    std::function<void(double, QPointF)> setZoom;
    std::function<void(QPointF)> panBy;
    std::function<void()> resetView;

    /// `zoom` with the canvas point `center` in the middle of the widget.
    void look(double zoom, QPointF center) const
    {
        resetView();
        setZoom(zoom, QPointF(0, 0));
        panBy(QPointF(widget->width() / 2.0, widget->height() / 2.0) - center * zoom);
    }
};

/// Times `frames` frames; `step(i)` changes the view before frame i.
LatencyStats timeFrames(const Subject &subject, int frames, const std::function<void(int)> &step)
{
    LatencyStats stats;
    for (int i = -5; i < frames; ++i) { // five unmeasured frames first
        QElapsedTimer timer;
        timer.start();
        step(i);
        subject.widget->repaint();
        QCoreApplication::processEvents();
        if (i >= 0)
            stats.add(timer.nsecsElapsed() / 1000);
    }
    return stats;
}

/// CPU used by other processes while `run` ran, in % of one core (the machine is shared).
double otherCpuPercent(const std::function<void()> &run)
{
    const auto machineBefore = bench::readMachineCpuTimes();
    const auto selfBefore = bench::readCpuSeconds(0);
    QElapsedTimer timer;
    timer.start();
    run();
    const double seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    const auto machineAfter = bench::readMachineCpuTimes();
    const auto selfAfter = bench::readCpuSeconds(0);
    if (!machineBefore || !machineAfter || !selfBefore || !selfAfter || seconds <= 0)
        return 0;
    const double ticksPerSecond = static_cast<double>(sysconf(_SC_CLK_TCK));
    const double busy = (machineAfter->total - machineBefore->total) -
                        (machineAfter->idle - machineBefore->idle) -
                        (machineAfter->steal - machineBefore->steal);
    return std::max(0.0, 100 * (busy / ticksPerSecond - (*selfAfter - *selfBefore)) / seconds);
}

struct ScenarioResult {
    std::vector<double> p50;
    std::vector<double> p99;
    std::vector<double> max;
};

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    int exitCode = 0;
    const auto parsed = parseOptions(app.arguments(), &exitCode);
    if (!parsed)
        return exitCode;
    const Options options = *parsed;

    canvas::CanvasEditor editor(QStringLiteral("viewer"), 99, [] {
        return offline::HlcTimestamp{1'790'000'000'000, 0, 99};
    });
    QList<canvas::CanvasOp> ops = syntheticCanvas(options.shapes);
    if (!options.kinds.isEmpty())
        ops.removeIf([&](const canvas::CanvasOp &op) { return !options.kinds.contains(op.kind); });

    ui::CanvasView view(editor, nullptr);
    view.resize(options.width, options.height);
    view.show();
    QElapsedTimer loadTimer;
    loadTimer.start();
    editor.applyRemote(ops); // the view rebuilds its cache on changed()
    const double loadMs = static_cast<double>(loadTimer.nsecsElapsed()) / 1e6;
    const qsizetype visible = editor.model().shapes().size();
    if (visible != ops.size()) {
        progress(QStringLiteral("only %1 of %2 shapes are visible").arg(visible).arg(options.shapes));
        return 1;
    }
    NaiveCanvasView naive(editor.model());
    naive.resize(options.width, options.height);
    if (options.reference)
        naive.show();
    QCoreApplication::processEvents();

    QList<Subject> subjects{{QStringLiteral("CanvasView"), &view,
                             [&](double zoom, QPointF anchor) { view.setZoom(zoom, anchor); },
                             [&](QPointF delta) { view.panBy(delta); },
                             [&] {
                                 view.resetView();
                             }}};
    if (options.reference)
        subjects.append({QStringLiteral("naive"), &naive,
                         [&](double zoom, QPointF anchor) { naive.setZoom(zoom, anchor); },
                         [&](QPointF delta) { naive.panBy(delta); },
                         [&] {
                             naive.resetView();
                         }});

    const double fitZoom = std::max(ui::CanvasView::MinZoom,
                                    std::min(options.width / CanvasWidth, options.height / CanvasHeight));
    const QPointF middle(CanvasWidth / 2, CanvasHeight / 2);
    const double maxZoom = 4.0;
    const QStringList allScenarios{QStringLiteral("pan, all in view"),
                                   QStringLiteral("pan, zoomed in (100 %)"), QStringLiteral("zoom sweep")};
    QStringList scenarios;
    if (options.panAll)
        scenarios.append(allScenarios[0]);
    if (options.panIn)
        scenarios.append(allScenarios[1]);
    if (options.zoom)
        scenarios.append(allScenarios[2]);
    std::map<QString, std::map<QString, ScenarioResult>> results; // subject → scenario
    std::vector<double> otherCpu;
    const auto circle = [&](int i) {
        const double angle = 2 * std::numbers::pi * i / 60.0;
        return QPointF(std::cos(angle), std::sin(angle)) * 20.0;
    };

    for (int rep = 0; rep < options.repetitions; ++rep) {
        QList<Subject> ordered = subjects;
        if (rep % 2 == 1)
            std::reverse(ordered.begin(), ordered.end());
        for (const Subject &subject : ordered) {
            for (const QString &scenario : scenarios) {
                bench::waitForQuietMachine(15, static_cast<int>(options.quietWaitSeconds * 1000));
                LatencyStats stats;
                const double other = otherCpuPercent([&] {
                    if (scenario == allScenarios[0]) {
                        subject.look(fitZoom, middle);
                        stats = timeFrames(subject, options.frames, [&](int i) { subject.panBy(circle(i)); });
                    } else if (scenario == allScenarios[1]) {
                        subject.look(1.0, middle);
                        stats = timeFrames(subject, options.frames, [&](int i) { subject.panBy(circle(i)); });
                    } else {
                        subject.look(fitZoom, middle);
                        const QPointF centre(options.width / 2.0, options.height / 2.0);
                        const int half = std::max(1, options.frames / 2);
                        const double factor = std::pow(maxZoom / fitZoom, 1.0 / half);
                        double zoom = fitZoom;
                        stats = timeFrames(subject, options.frames, [&](int i) {
                            if (i < 0) { // warm-up frames repaint the start position
                                subject.panBy(QPointF(0, 0));
                                return;
                            }
                            zoom = (i % (2 * half)) < half ? zoom * factor : zoom / factor;
                            subject.setZoom(zoom, centre);
                        });
                    }
                });
                otherCpu.push_back(other);
                ScenarioResult &result = results[subject.name][scenario];
                result.p50.push_back(stats.percentileMs(0.5));
                result.p99.push_back(stats.percentileMs(0.99));
                result.max.push_back(stats.percentileMs(1.0));
                progress(
                    QStringLiteral("rep %1 %2 / %3: p50 %4 ms, p99 %5 ms, other processes %6 % of a core")
                        .arg(rep + 1)
                        .arg(subject.name, scenario)
                        .arg(fmt(stats.percentileMs(0.5), 2))
                        .arg(fmt(stats.percentileMs(0.99), 2))
                        .arg(fmt(other, 0)));
            }
        }
    }

    out << "## bench_canvas_frame\n\n"
        << ops.size()
        << " shapes (40 % strokes of 50 points (smooth, ~275 units long), 15 % rectangles, 15 % ellipses, 10 "
           "% lines, "
        << "10 % arrows, 10 % text) on " << CanvasWidth << " × " << CanvasHeight << ", view " << options.width
        << " × " << options.height << " offscreen, " << options.frames << " frames per scenario, medians of "
        << options.repetitions << " repetitions. Frame = pan/zoom step + repaint(). Fit zoom "
        << fmt(fitZoom * 100, 1)
        << " %. Loading the shapes (applyRemote + the view's cache): " << fmt(loadMs, 0) << " ms.";
    if (!options.kinds.isEmpty()) {
        QStringList names;
        for (const ShapeKind kind : options.kinds)
            names.append(canvas::shapeKindName(kind));
        out << " Only these kinds of that mix were kept: " << names.join(QStringLiteral(", ")) << ".";
    }
    out << "\n\n";
    out << "| scenario | CanvasView p50 / p99 / max ms | naive p50 / p99 / max ms | naive ÷ CanvasView (p50) "
           "|\n"
        << "|---|---|---|---|\n";
    for (const QString &scenario : scenarios) {
        const auto cell = [&](const QString &subject) {
            if (!results.count(subject))
                return QStringLiteral("–");
            ScenarioResult &r = results[subject][scenario];
            return fmt(median(r.p50), 2) + " / " + fmt(median(r.p99), 2) + " / " + fmt(median(r.max), 2);
        };
        QString ratio = QStringLiteral("–");
        if (results.count(QStringLiteral("naive"))) {
            const double mine = median(results[QStringLiteral("CanvasView")][scenario].p50);
            const double theirs = median(results[QStringLiteral("naive")][scenario].p50);
            ratio = mine > 0 ? fmt(theirs / mine, 1) + QStringLiteral(" ×") : QStringLiteral("–");
        }
        out << "| " << scenario << " | " << cell(QStringLiteral("CanvasView")) << " | "
            << cell(QStringLiteral("naive")) << " | " << ratio << " |\n";
    }
    out << "\nOther processes on the machine used a median of " << fmt(median(otherCpu), 0) << " % (max "
        << fmt(otherCpu.empty() ? 0 : *std::max_element(otherCpu.begin(), otherCpu.end()), 0)
        << " %) of a core during the scenarios.\n";
    if (const auto memory = bench::readMemoryUsage(0))
        out << "\nPeak resident memory of the process: "
            << fmt(static_cast<double>(memory->peakKiB) / 1024, 0) << " MiB.\n";
    out.flush();
    return 0;
}
