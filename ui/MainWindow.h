#pragma once
// The app's one window for one Session: rooms and members in a sidebar, the
// Chat | Document | Canvas tabs, the connection in the status bar, tray
// notifications, shortcuts and away detection. All state lives in a
// chat::ChatClient; the window only shows it and forwards the user's actions.

#include "core/canvas/CanvasSession.h"
#include "core/chat/ChatClient.h"
#include "core/client/QtTimerSource.h"
#include "core/client/Session.h"
#include "core/docs/DocumentSession.h"

#include <QMainWindow>

class QAction;
class QLabel;
class QListView;
class QSystemTrayIcon;
class QTabWidget;
class QToolButton;

namespace tandem::ui {

class ActivityFilter;
class ChatView;
class ConflictDialog;
class CanvasTab;
class DocumentEditor;
class DocumentTitleEdit;
class ConnectionStatusWidget;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    /// `offline` is the session's open offline half; both must outlive the window.
    MainWindow(tandem::client::Session &session, tandem::offline::OfflineSync &offline,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    chat::ChatClient &chatClient() { return *m_chat; }
    ChatView *chatView() const { return m_chatView; }
    DocumentTitleEdit *documentTitle() const { return m_documentTitle; }
    DocumentEditor *documentEditor() const { return m_documentEditor; }
    /// The current room's collaborative document (null without a room).
    docs::DocumentSession *documentSession() const { return m_document.get(); }
    /// The current room's canvas and its tab (null without a room).
    canvas::CanvasSession *canvasSession() const { return m_canvas.get(); }
    CanvasTab *canvasTab() const { return m_canvasTab; }
    /// Away after this long without input (2 minutes by default).
    void setIdleTimeout(qint64 ms);
    /// Selects the room in the sidebar and shows it.
    void showRoom(const QString &roomId);
    /// "N changes waiting to sync" in the status bar; hidden when nothing waits.
    QToolButton *syncStatusButton() const { return m_syncStatus; }
    /// Opens (or raises) the list of changes waiting to sync.
    void showSyncDetails();
    /// Shows the conflict dialog for a change whose policy asks the user.
    ConflictDialog *askToResolve(const offline::Mutation &mine, const protocol::EntityState &theirs);

Q_SIGNALS:
    void signOutRequested();
    /// Account > Connection settings…: the app shows ConnectionSettingsDialog (it owns the setting).
    void connectionSettingsRequested();
    /// A new message arrived while the window was not focused (also sent to the tray when there is one).
    void notificationPosted(const QString &title, const QString &body);

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QWidget *buildSidebar();
    void buildActions();
    void onCurrentRoomChanged(const QString &roomId);
    void onMessageArrived(const chat::ChatMessage &message, bool notify);
    void selectRoomAt(int row);
    void stepRoom(int delta);
    void joinRoomInteractively();
    void updateConnectionBanner();
    void updateOwnPresence(bool away);
    void updateSyncStatus(int pending);
    void openDocument(const QString &roomId);
    void openCanvas(const QString &roomId);

    client::Session &m_session;
    client::QtTimerSource m_timers;
    std::unique_ptr<chat::ChatClient> m_chat;
    ActivityFilter *m_activityFilter = nullptr;
    QListView *m_roomList = nullptr;
    QListView *m_memberList = nullptr;
    QLabel *m_membersTitle = nullptr;
    QTabWidget *m_tabs = nullptr;
    ChatView *m_chatView = nullptr;
    DocumentTitleEdit *m_documentTitle = nullptr;
    DocumentEditor *m_documentEditor = nullptr;
    std::unique_ptr<docs::DocumentSession> m_document;
    QWidget *m_canvasPage = nullptr;
    CanvasTab *m_canvasTab = nullptr; ///< on m_canvasPage; uses m_canvas, so it goes first
    std::unique_ptr<canvas::CanvasSession> m_canvas;
    QLabel *m_banner = nullptr;
    QLabel *m_ownPresence = nullptr;
    ConnectionStatusWidget *m_status = nullptr;
    QAction *m_awayAction = nullptr;
    QToolButton *m_syncStatus = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
};

} // namespace tandem::ui
