#include "ui/MainWindow.h"

#include "core/docs/UserColor.h"
#include "ui/ActivityFilter.h"
#include "ui/ChatView.h"
#include "ui/Composer.h"
#include "ui/ConflictDialog.h"
#include "ui/ConnectionStatusWidget.h"
#include "ui/DocumentEditor.h"
#include "ui/DocumentTitleEdit.h"
#include "ui/JoinRoomDialog.h"
#include "ui/MemberDelegate.h"
#include "ui/RoomDelegate.h"
#include "ui/SyncDetailsDialog.h"
#include "ui/ThemeColors.h"
#include "ui/canvas/CanvasTab.h"

#include <QAction>
#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace tandem::ui {

namespace {

QLabel *sectionTitle(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 0.9);
    label->setFont(font);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

MainWindow::MainWindow(client::Session &session, offline::OfflineSync &offline, QWidget *parent)
    : QMainWindow(parent)
    , m_session(session)
    , m_chat(std::make_unique<chat::ChatClient>(session, offline, Clock::system(), m_timers))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Tandem"));
    resize(1000, 680);

    m_chatView = new ChatView(*m_chat, this);
    // The whole chat pane, composer included, sits on the content colour.
    m_chatView->setAutoFillBackground(true);
    m_chatView->setBackgroundRole(QPalette::Base);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_chatView, tr("Chat"));
    auto *documentPage = new QWidget(this);
    m_documentTitle = new DocumentTitleEdit(*m_chat, documentPage);
    auto *documentLayout = new QVBoxLayout(documentPage);
    documentLayout->setContentsMargins(0, 0, 0, 0);
    documentLayout->addWidget(m_documentTitle);
    m_documentEditor = new DocumentEditor(documentPage);
    documentLayout->addWidget(m_documentEditor, 1);
    m_tabs->addTab(documentPage, tr("Document"));
    m_canvasPage = new QWidget(this);
    m_canvasPage->setObjectName(QStringLiteral("canvasPage"));
    auto *canvasLayout = new QVBoxLayout(m_canvasPage);
    canvasLayout->setContentsMargins(0, 0, 0, 0);
    m_tabs->addTab(m_canvasPage, tr("Canvas"));

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(buildSidebar());
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({220, 780});
    splitter->setChildrenCollapsible(false);

    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("offlineBanner"));
    m_banner->setWordWrap(true);
    m_banner->setContentsMargins(12, 6, 12, 6);
    m_banner->setAutoFillBackground(true);
    m_banner->hide();

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

    m_ownPresence = new QLabel(this);
    m_ownPresence->setObjectName(QStringLiteral("ownPresence"));
    m_ownPresence->setContentsMargins(6, 0, 0, 0);
    statusBar()->addWidget(m_ownPresence);
    m_syncStatus = new QToolButton(this);
    m_syncStatus->setObjectName(QStringLiteral("syncStatus"));
    m_syncStatus->setAutoRaise(true);
    m_syncStatus->setToolTip(tr("Show what is waiting to reach the server"));
    connect(m_syncStatus, &QToolButton::clicked, this, &MainWindow::showSyncDetails);
    statusBar()->addPermanentWidget(m_syncStatus);
    m_status = new ConnectionStatusWidget(m_session, this);
    statusBar()->addPermanentWidget(m_status);
    connect(&offline.queue(), &offline::MutationQueue::pendingCountChanged, this,
            &MainWindow::updateSyncStatus);
    connect(&offline.engine(), &offline::SyncEngine::conflictNeedsUser, this, &MainWindow::askToResolve);
    updateSyncStatus(offline.queue().pendingCount());
    // Conflicts left open when the app last closed are asked again.
    for (const offline::Mutation &mutation : offline.queue().pending()) {
        if (mutation.state != offline::MutationState::Conflicted)
            continue;
        if (const auto theirs = protocol::EntityState::fromJson(mutation.current))
            QMetaObject::invokeMethod(
                this, [this, mutation, theirs] { askToResolve(mutation, *theirs); }, Qt::QueuedConnection);
    }

    buildActions();

    connect(m_chat.get(), &chat::ChatClient::currentRoomChanged, this, &MainWindow::onCurrentRoomChanged);
    // The cache may have picked a room before this window listened: show it.
    if (!m_chat->currentRoom().isEmpty())
        onCurrentRoomChanged(m_chat->currentRoom());
    connect(m_chat.get(), &chat::ChatClient::messageArrived, this, &MainWindow::onMessageArrived);
    connect(m_chat.get(), &chat::ChatClient::errorReported, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    connect(m_chat->away(), &chat::AwayTracker::awayChanged, this, &MainWindow::updateOwnPresence);
    connect(&m_session, &client::Session::stateChanged, this, &MainWindow::updateConnectionBanner);

    m_activityFilter = new ActivityFilter(*m_chat->away(), this);
    qApp->installEventFilter(m_activityFilter);

    // Offscreen and on desktops without a tray there is none; notifications
    // then only go out as notificationPosted().
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        // The app's icon when app/ set one, else a stock icon so the tray entry is never blank.
        const QIcon icon = QApplication::windowIcon().isNull()
                               ? style()->standardIcon(QStyle::SP_MessageBoxInformation)
                               : QApplication::windowIcon();
        m_tray = new QSystemTrayIcon(icon, this);
        m_tray->setToolTip(tr("Tandem"));
        connect(m_tray, &QSystemTrayIcon::activated, this, [this] {
            showNormal();
            raise();
            activateWindow();
        });
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            showNormal();
            raise();
            activateWindow();
        });
        m_tray->show();
    }

    updateOwnPresence(m_chat->away()->isAway());
    updateConnectionBanner();
    if (m_session.isAuthenticated())
        m_chat->refreshRooms();
    else
        m_session.connectToServer(); // ignored when the app already started it
}

MainWindow::~MainWindow()
{
    qApp->removeEventFilter(m_activityFilter);
    // The views show models the ChatClient owns: let them go before it does.
    delete takeCentralWidget();
}

void MainWindow::setIdleTimeout(qint64 ms)
{
    m_chat->away()->setIdleMs(ms);
}

QWidget *MainWindow::buildSidebar()
{
    auto *sidebar = new QWidget(this);
    sidebar->setObjectName(QStringLiteral("sidebar"));
    auto *join = new QToolButton(sidebar);
    join->setObjectName(QStringLiteral("joinRoomButton"));
    join->setText(QStringLiteral("+"));
    join->setToolTip(tr("Join or create a room (Ctrl+N)"));
    join->setAutoRaise(true);
    connect(join, &QToolButton::clicked, this, &MainWindow::joinRoomInteractively);

    m_roomList = new QListView(sidebar);
    m_roomList->setObjectName(QStringLiteral("roomList"));
    m_roomList->setModel(m_chat->rooms());
    m_roomList->setItemDelegate(new RoomDelegate(m_roomList));
    m_roomList->setFrameShape(QFrame::NoFrame);
    m_roomList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // The sidebar sits on the window colour; only the content pane uses Base.
    m_roomList->viewport()->setBackgroundRole(QPalette::Window);
    connect(m_roomList->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    m_chat->setCurrentRoom(current.data(chat::RoomListModel::RoomIdRole).toString());
            });

    m_memberList = new QListView(sidebar);
    m_memberList->setObjectName(QStringLiteral("memberList"));
    m_memberList->setModel(m_chat->presence());
    m_memberList->setItemDelegate(new MemberDelegate(m_memberList));
    m_memberList->setFrameShape(QFrame::NoFrame);
    m_memberList->setSelectionMode(QAbstractItemView::NoSelection);
    m_memberList->setFocusPolicy(Qt::NoFocus);
    m_memberList->viewport()->setBackgroundRole(QPalette::Window);
    m_membersTitle = sectionTitle(tr("MEMBERS"), sidebar);

    auto *roomsHeader = new QHBoxLayout;
    roomsHeader->addWidget(sectionTitle(tr("ROOMS"), sidebar));
    roomsHeader->addStretch();
    roomsHeader->addWidget(join);
    auto *layout = new QVBoxLayout(sidebar);
    layout->setContentsMargins(6, 8, 0, 6);
    layout->addLayout(roomsHeader);
    layout->addWidget(m_roomList, 3);
    layout->addWidget(m_membersTitle);
    layout->addWidget(m_memberList, 2);
    return sidebar;
}

void MainWindow::buildActions()
{
    QMenu *account = menuBar()->addMenu(tr("&Account"));
    m_awayAction = account->addAction(tr("Set yourself &away"));
    m_awayAction->setObjectName(QStringLiteral("awayAction"));
    m_awayAction->setCheckable(true);
    connect(m_awayAction, &QAction::toggled, this,
            [this](bool away) { m_chat->away()->setManualAway(away); });
    QAction *connectionSettings = account->addAction(tr("&Connection settings…"));
    connectionSettings->setObjectName(QStringLiteral("connectionSettingsAction"));
    connect(connectionSettings, &QAction::triggered, this, &MainWindow::connectionSettingsRequested);
    account->addSeparator();
    QAction *signOut = account->addAction(tr("Sign &out"));
    signOut->setObjectName(QStringLiteral("signOutAction"));
    connect(signOut, &QAction::triggered, this, &MainWindow::signOutRequested);

    QMenu *rooms = menuBar()->addMenu(tr("&Rooms"));
    QAction *join = rooms->addAction(tr("&Join or create a room…"));
    join->setShortcut(QKeySequence::New);
    connect(join, &QAction::triggered, this, &MainWindow::joinRoomInteractively);
    QAction *next = rooms->addAction(tr("&Next room"));
    next->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    connect(next, &QAction::triggered, this, [this] { stepRoom(1); });
    QAction *previous = rooms->addAction(tr("&Previous room"));
    previous->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    connect(previous, &QAction::triggered, this, [this] { stepRoom(-1); });
    QAction *compose = rooms->addAction(tr("&Write a message"));
    compose->setObjectName(QStringLiteral("focusComposerAction"));
    compose->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(compose, &QAction::triggered, this, [this] {
        m_tabs->setCurrentWidget(m_chatView);
        m_chatView->composer()->setFocus(Qt::ShortcutFocusReason);
    });
    // Ctrl+1 … Ctrl+9 pick the room at that place in the sidebar.
    for (int number = 1; number <= 9; ++number) {
        auto *shortcut =
            new QShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_0 + number)), this);
        connect(shortcut, &QShortcut::activated, this, [this, number] { selectRoomAt(number - 1); });
    }
}

void MainWindow::showRoom(const QString &roomId)
{
    selectRoomAt(m_chat->rooms()->rowOf(roomId));
}

void MainWindow::selectRoomAt(int row)
{
    if (row < 0 || row >= m_chat->rooms()->rowCount())
        return;
    m_roomList->setCurrentIndex(m_chat->rooms()->index(row));
}

void MainWindow::stepRoom(int delta)
{
    const int count = m_chat->rooms()->rowCount();
    if (count == 0)
        return;
    const int current = qMax(0, m_chat->rooms()->rowOf(m_chat->currentRoom()));
    selectRoomAt((current + delta + count) % count);
}

void MainWindow::joinRoomInteractively()
{
    JoinRoomDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_chat->joinRoom(dialog.roomId(), dialog.isPrivate());
    showRoom(dialog.roomId());
}

void MainWindow::onCurrentRoomChanged(const QString &roomId)
{
    const int row = m_chat->rooms()->rowOf(roomId);
    if (row >= 0 && m_roomList->currentIndex().row() != row)
        m_roomList->setCurrentIndex(m_chat->rooms()->index(row));
    m_chatView->setRoom(roomId);
    m_documentTitle->setRoom(roomId);
    openDocument(roomId);
    openCanvas(roomId);
    m_membersTitle->setText(roomId.isEmpty() ? tr("MEMBERS") : tr("MEMBERS OF #%1").arg(roomId.toUpper()));
    setWindowTitle(roomId.isEmpty() ? tr("Tandem") : tr("#%1 — Tandem").arg(roomId));
}

void MainWindow::openDocument(const QString &roomId)
{
    if (m_document && m_document->roomId() == roomId)
        return;
    m_documentEditor->setDocumentSession(nullptr);
    m_document.reset(); // doc:close; its state is stored
    if (roomId.isEmpty())
        return;
    m_document = std::make_unique<docs::DocumentSession>(m_session, roomId, &m_chat->offline().store(),
                                                         Clock::system(), m_timers);
    const auto setUser = [this](const QString &userId) {
        if (!userId.isEmpty() && m_document)
            m_document->setUser(userId, docs::userColorName(userId));
    };
    setUser(m_session.userId());
    connect(&m_session, &client::Session::authenticated, m_document.get(), setUser);
    const auto report = [this](const QString &message) {
        statusBar()->showMessage(message, 8000);
    };
    connect(m_document.get(), &docs::DocumentSession::refused, this, report);
    connect(m_document.get(), &docs::DocumentSession::storeFailed, this, [report](const QString &message) {
        report(tr("The document could not be saved locally: %1").arg(message));
    });
    m_document->open();
    m_documentEditor->setDocumentSession(m_document.get());
}

void MainWindow::openCanvas(const QString &roomId)
{
    if (m_canvas && m_canvas->roomId() == roomId)
        return;
    delete m_canvasTab; // before the session whose editor it draws
    m_canvasTab = nullptr;
    m_canvas.reset(); // its state is stored
    if (roomId.isEmpty())
        return;
    m_canvas = std::make_unique<canvas::CanvasSession>(m_session, m_chat->offline(), m_session.userId(),
                                                       roomId, Clock::system(), m_timers);
    connect(&m_session, &client::Session::authenticated, m_canvas.get(),
            [this](const QString &userId) { m_canvas->editor().setUserId(userId); });
    connect(m_canvas.get(), &canvas::CanvasSession::refused, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    m_canvas->open();
    m_canvasTab = new CanvasTab(m_canvas->editor(), &m_canvas->cursors(), m_canvasPage);
    m_canvasPage->layout()->addWidget(m_canvasTab);
    CanvasView *view = m_canvasTab->view();
    canvas::CanvasSession *session = m_canvas.get();
    view->setEditorFilter([session](const QString &userId) { return session->isPresent(userId); });
    connect(session, &canvas::CanvasSession::presenceChanged, view, qOverload<>(&QWidget::update));
    connect(view, &CanvasView::pointerMoved, m_canvas.get(), &canvas::CanvasSession::pointerMoved);
    connect(view, &CanvasView::pointerLeft, m_canvas.get(), &canvas::CanvasSession::pointerLeft);
}

void MainWindow::onMessageArrived(const chat::ChatMessage &message, bool notify)
{
    if (!notify || isActiveWindow())
        return;
    const QString title = tr("%1 in #%2").arg(message.userId, message.roomId);
    const QString body = message.text.left(200);
    if (m_tray)
        m_tray->showMessage(title, body, QSystemTrayIcon::Information, 5000);
    Q_EMIT notificationPosted(title, body);
}

void MainWindow::updateConnectionBanner()
{
    const QString text = ConnectionStatusWidget::bannerText(m_session.connection());
    m_banner->setText(text);
    QPalette palette = m_banner->palette();
    const QPalette base = QApplication::palette(this);
    // A tint of the warning hue over the window colour, readable in light and dark themes.
    palette.setColor(QPalette::Window,
                     ThemeColors::blend(base.color(QPalette::Window), ThemeColors::warning(base), 0.35));
    palette.setColor(QPalette::WindowText, base.color(QPalette::WindowText));
    m_banner->setPalette(palette);
    m_banner->setVisible(!text.isEmpty());
}

void MainWindow::updateOwnPresence(bool away)
{
    m_ownPresence->setText(away ? tr("You are away") : tr("You are online"));
    if (m_awayAction->isChecked() != m_chat->away()->isManualAway()) {
        const QSignalBlocker blocker(m_awayAction);
        m_awayAction->setChecked(m_chat->away()->isManualAway());
    }
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::WindowStateChange) {
        m_chat->away()->setWindowHidden(isMinimized());
        m_session.setBackground(isMinimized()); // a polling transport slows down
    } else if (event->type() == QEvent::ActivationChange)
        m_chat->setAttentive(isActiveWindow());
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    m_chat->away()->setWindowHidden(isMinimized());
    m_session.setBackground(isMinimized());
}

void MainWindow::hideEvent(QHideEvent *event)
{
    QMainWindow::hideEvent(event);
    // A hide of a minimised window is reported too; both mean "not looking".
    m_chat->away()->setWindowHidden(true);
    m_session.setBackground(true);
}

void MainWindow::updateSyncStatus(int pending)
{
    // Spelled out rather than %n: English plurals would need an English catalogue.
    m_syncStatus->setText(pending == 1 ? tr("1 change waiting to sync")
                                       : tr("%1 changes waiting to sync").arg(pending));
    m_syncStatus->setVisible(pending > 0);
}

void MainWindow::showSyncDetails()
{
    auto *dialog = findChild<SyncDetailsDialog *>();
    if (!dialog) {
        dialog = new SyncDetailsDialog(m_chat->offline(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &SyncDetailsDialog::resolveRequested, this,
                [this](const offline::Mutation &mutation) {
                    if (const auto theirs = protocol::EntityState::fromJson(mutation.current))
                        askToResolve(mutation, *theirs);
                });
    }
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

ConflictDialog *MainWindow::askToResolve(const offline::Mutation &mine, const protocol::EntityState &theirs)
{
    // One dialog per change: a second request for it raises the first.
    for (ConflictDialog *open : findChildren<ConflictDialog *>()) {
        if (open->cid() == mine.cid) {
            open->raise();
            return open;
        }
    }
    auto *dialog = new ConflictDialog(mine, theirs, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (const auto resolved = m_chat->offline().engine().resolveConflict(
                dialog->cid(), dialog->resolution(), dialog->mergedPatch());
            !resolved)
            statusBar()->showMessage(resolved.error().message, 8000);
    });
    dialog->open();
    return dialog;
}

} // namespace tandem::ui
