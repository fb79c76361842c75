#pragma once
// One signed-in desktop app in a GUI test: its Session, its offline stack on
// a fresh local store, and the real MainWindow over them, as DesktopApp
// builds them (declared in that order, so they are torn down the other way).

#include "core/client/Session.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestOffline.h"
#include "ui/MainWindow.h"

namespace tandem::test {

struct AppWindow {
    AppWindow(ServerProcess &server, const QString &token)
        : session(server.wsUrl(), token)
        , offline(session)
        , window(session, offline.sync())
    {}

    client::Session session;
    TestOffline offline;
    ui::MainWindow window;
};

} // namespace tandem::test
