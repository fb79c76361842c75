// tandem-canvas-client: a headless desktop client for one room's canvas
// (the app's own OfflineSync + CanvasSession stack), for tst_canvassync to
// kill with SIGKILL. Not a test itself; it prints one line per event on
// stdout, flushed at once.
//
//   draw --store PATH --user U --room R --count N
//       Offline: draws N rectangles through CanvasEditor::createShape and
//       prints "drawn <shape id>" once each returned (the change is then in
//       the durable queue: what the user sees on screen). Then waits to be killed.
//   sync --store PATH --user U --room R --url ws://... --token T
//       Connects and syncs: prints "done <shape count>" and exits 0 once the
//       queue is empty and canvas:synced arrived; "failed <reason>" exits 3.

#include "core/canvas/CanvasSession.h"
#include "core/client/QtTimerSource.h"
#include "core/client/Session.h"
#include "core/common/Clock.h"
#include "core/offline/OfflineSync.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using namespace tandem;

namespace {

void say(const QString &line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("mode"), QStringLiteral("draw | sync"));
    for (const char *name : {"store", "user", "room", "count", "url", "token"})
        parser.addOption({QString::fromLatin1(name), QString::fromLatin1(name), QStringLiteral("value")});
    parser.process(app);
    const QString mode = parser.positionalArguments().value(0);
    if (mode != QLatin1String("draw") && mode != QLatin1String("sync")) {
        std::fprintf(stderr, "usage: tandem-canvas-client draw|sync --store PATH ...\n");
        return 2;
    }
    const QString roomId = parser.value(QStringLiteral("room"));
    client::QtTimerSource timers;
    client::Session session(QUrl(parser.value(QStringLiteral("url"))), parser.value(QStringLiteral("token")));
    offline::OfflineSync offline(session, parser.value(QStringLiteral("store")), Clock::system(), timers);
    if (const auto opened = offline.open(); !opened) {
        std::fprintf(stderr, "tandem-canvas-client: %s\n", qPrintable(opened.error().message));
        return 6;
    }
    canvas::CanvasSession canvas(session, offline, parser.value(QStringLiteral("user")), roomId,
                                 Clock::system(), timers);
    canvas.open();

    if (mode == QLatin1String("draw")) {
        const int count = parser.value(QStringLiteral("count")).toInt();
        for (int i = 0; i < count; ++i) {
            canvas::NewShape shape;
            shape.kind = canvas::ShapeKind::Rectangle;
            shape.points = {QPointF(i * 10, i * 5), QPointF(i * 10 + 40, i * 5 + 30)};
            const auto created = canvas.editor().createShape(shape);
            if (!created) {
                say(QStringLiteral("failed ") + created.error().message);
                return 3;
            }
            say(QStringLiteral("drawn ") + *created);
        }
        return app.exec(); // until killed
    }

    if (!session.joinRoom(roomId))
        return 2;
    const auto finishIfDone = [&] {
        if (canvas.isSynced() && offline.queue().pendingCount() == 0) {
            say(QStringLiteral("done %1").arg(canvas.editor().model().shapes().size()));
            app.exit(0);
        }
    };
    QObject::connect(&canvas, &canvas::CanvasSession::synced, &app, finishIfDone);
    QObject::connect(&offline.queue(), &offline::MutationQueue::pendingCountChanged, &app, finishIfDone);
    QObject::connect(&canvas, &canvas::CanvasSession::refused, &app, [&](const QString &reason) {
        say(QStringLiteral("failed ") + reason);
        app.exit(3);
    });
    session.connectToServer();
    return app.exec();
}
