// DesktopApp, the desktop app's controller, against a real tandem-server and
// an in-memory credential store, offscreen: the first run asks to sign in, a
// sign-in stores the token (never the password) and opens the session, a
// stored token signs in without asking, a revoked one goes back to sign-in,
// sign-out revokes and forgets the token, without a keychain the token is
// kept for the session only, and a token handed over by scripts/run.sh is
// stored only once the server accepts it. The transport comes from
// --transport, else the profile's connection/transport, and the connection
// settings dialog changes it on a live session. Quitting while polling ends
// the server's session at once (the poller's goodbye gets out).

#include "app/CommandLine.h"
#include "app/DesktopApp.h"
#include "app/Startup.h"
#include "core/client/FallbackTransport.h"
#include "core/client/InMemoryCredentialStore.h"
#include "core/client/PollingTransport.h"
#include "tests/support/ServerProcess.h"
#include "ui/ConnectionSettingsDialog.h"
#include "ui/MainWindow.h"
#include "ui/SignInDialog.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using tandem::app::AppOptions;
using tandem::app::DesktopApp;
using tandem::client::AuthClient;
using tandem::client::CredentialStore;
using tandem::client::InMemoryCredentialStore;
using tandem::client::Session;
using tandem::protocol::Error;
using tandem::protocol::ErrorCode;
using tandem::test::ServerProcess;

namespace {
const QString Password = QStringLiteral("correct horse");
const QString User = QStringLiteral("alice");
} // namespace

class TestDesktopApp : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void desktopIdentityCarriesTheIcon();
    void initTestCase();
    void init();
    void cleanup();
    void firstRunAsksToSignIn();
    void signInStoresTheTokenNotThePassword();
    void wrongPasswordShowsAnError();
    void storedTokenSignsInWithoutAsking();
    void revokedTokenGoesBackToSignIn();
    void signOutRevokesAndForgetsTheToken();
    void withoutKeychainTheTokenLastsTheSession();
    void handedOverTokenIsStoredOnceAccepted();
    void handedOverBadTokenIsNeverStored();
    void unreachableServerFallsBackToAnotherInstanceAndIsRemembered();
    void commandLineTakesATransport();
    void transportComesFromTheCommandLineElseTheProfile_data();
    void transportComesFromTheCommandLineElseTheProfile();
    void connectionSettingsSwitchTheTransportNow();
    void hiddenWindowPutsPollingInTheBackground();
    void quittingWhilePollingSaysGoodbyeToTheServer();

private:
    /// A DesktopApp on a fresh profile; `store` stays owned by it.
    DesktopApp &makeApp(AppOptions options = {});
    /// An app for User on the test server whose keychain already holds `token`, as after an earlier sign-in.
    DesktopApp &makeAppWithStoredToken(const QString &token);
    QUrl serverUrl() const { return m_server.httpUrl({}); }
    QString entryKey() const { return CredentialStore::entryKey(serverUrl(), User); }
    bool tokenIsRevoked(const QString &token);
    /// An app started with --transport polling and a token, once its session is authenticated;
    /// nullptr if it did not get there.
    DesktopApp *startSignedInOnPolling();
    /// The server's tandem_connections{transport="polling"} from GET /metrics; -1 if unreadable.
    int pollingConnections();
    void signInThroughTheDialog(DesktopApp &app, const QString &password);

    ServerProcess m_server;
    std::unique_ptr<QTemporaryDir> m_profile;
    InMemoryCredentialStore *m_store = nullptr;
    std::unique_ptr<DesktopApp> m_app;
};

void TestDesktopApp::initTestCase()
{
    QVERIFY(m_server.start());
    QVERIFY(m_server.addUser(User, Password));
}

void TestDesktopApp::init()
{
    m_profile = std::make_unique<QTemporaryDir>();
    QVERIFY(m_profile->isValid());
}

void TestDesktopApp::cleanup()
{
    m_app.reset();
    m_store = nullptr;
    m_profile.reset();
}

DesktopApp &TestDesktopApp::makeApp(AppOptions options)
{
    options.profileDir = m_profile->path();
    auto store = std::make_unique<InMemoryCredentialStore>();
    m_store = store.get();
    m_app = std::make_unique<DesktopApp>(std::move(options), std::move(store));
    return *m_app;
}

DesktopApp &TestDesktopApp::makeAppWithStoredToken(const QString &token)
{
    AppOptions options;
    options.serverUrl = serverUrl();
    options.userName = User;
    DesktopApp &app = makeApp(options);
    bool stored = false;
    m_store->store(serverUrl(), User, token, [&stored](const auto &result) { stored = result.hasValue(); });
    // The store answers later, as a keychain does; wait for it so the app finds the token.
    if (!QTest::qWaitFor([&stored] { return stored; }, 5000))
        qFatal("the in-memory credential store never answered");
    return app;
}

bool TestDesktopApp::tokenIsRevoked(const QString &token)
{
    AuthClient auth;
    QSignalSpy failed(&auth, &AuthClient::logoutFailed);
    auth.logout(serverUrl(), token);
    return failed.wait(20000) && failed.at(0).at(0).value<Error>().code == ErrorCode::Unauthorized;
}

void TestDesktopApp::signInThroughTheDialog(DesktopApp &app, const QString &password)
{
    QVERIFY(app.signInDialog());
    app.signInDialog()->setServerUrl(serverUrl());
    app.signInDialog()->setUserName(User);
    Q_EMIT app.signInDialog()->signInRequested(serverUrl(), User, password);
}

void TestDesktopApp::firstRunAsksToSignIn()
{
    DesktopApp &app = makeApp();
    QSignalSpy shown(&app, &DesktopApp::signInShown);
    app.start();
    QTRY_COMPARE(shown.count(), 1);
    QVERIFY(app.signInDialog()->isVisible());
    QVERIFY(!app.session());
    QVERIFY(!app.mainWindow());
}

void TestDesktopApp::signInStoresTheTokenNotThePassword()
{
    DesktopApp &app = makeApp();
    QSignalSpy started(&app, &DesktopApp::sessionStarted);
    app.start();
    signInThroughTheDialog(app, Password);
    QVERIFY(started.wait(20000));
    QVERIFY(app.mainWindow() && app.mainWindow()->isVisible());
    QVERIFY(!app.signInDialog()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(app.session()->isAuthenticated(), 20000);
    QCOMPARE(app.session()->userId(), User);

    // The first sign-in of a profile joins (and so creates) the default room.
    QVERIFY(app.session()->joinedRooms().contains(DesktopApp::defaultRoom()));
    QTRY_VERIFY_WITH_TIMEOUT(app.session()->isRoomLive(DesktopApp::defaultRoom()), 20000);

    QTRY_COMPARE(m_store->entries().size(), 1);
    QCOMPARE(m_store->entries().value(entryKey()).size(), 43);
    QVERIFY(app.isKeychainAvailable());

    // The profile remembers the server and user, never the password.
    QFile settings(m_profile->filePath(QStringLiteral("tandem.conf")));
    QVERIFY(settings.open(QIODevice::ReadOnly));
    const QByteArray text = settings.readAll();
    QVERIFY2(text.contains(serverUrl().toString().toUtf8()), text.constData());
    QVERIFY(text.contains(User.toUtf8()));
    QVERIFY(!text.contains(Password.toUtf8()));
    QVERIFY(!text.contains(m_store->entries().value(entryKey()).toUtf8()));
}

void TestDesktopApp::wrongPasswordShowsAnError()
{
    DesktopApp &app = makeApp();
    app.start();
    QSignalSpy failed(&app.authClient(), &AuthClient::loginFailed);
    signInThroughTheDialog(app, QStringLiteral("wrong horse"));
    QVERIFY(app.signInDialog()->isBusy());
    QVERIFY(failed.wait(20000));
    QVERIFY(!app.signInDialog()->isBusy());
    QVERIFY(!app.signInDialog()->errorText().isEmpty());
    QVERIFY(app.signInDialog()->password().isEmpty());
    QVERIFY(!app.session());
    QVERIFY(m_store->entries().isEmpty());
}

void TestDesktopApp::storedTokenSignsInWithoutAsking()
{
    const QString token = m_server.login(User, Password);
    QVERIFY(!token.isEmpty());
    DesktopApp &app = makeAppWithStoredToken(token);

    QSignalSpy started(&app, &DesktopApp::sessionStarted);
    QSignalSpy shown(&app, &DesktopApp::signInShown);
    app.start();
    QVERIFY(started.wait(20000));
    QTRY_VERIFY_WITH_TIMEOUT(app.session()->isAuthenticated(), 20000);
    QCOMPARE(shown.count(), 0);
    QVERIFY(!app.signInDialog());
}

void TestDesktopApp::revokedTokenGoesBackToSignIn()
{
    const QString token = m_server.login(User, Password);
    QVERIFY(!token.isEmpty());
    AuthClient auth;
    QSignalSpy loggedOut(&auth, &AuthClient::loggedOut);
    auth.logout(serverUrl(), token);
    QVERIFY(loggedOut.wait(20000));

    DesktopApp &app = makeAppWithStoredToken(token);

    QSignalSpy shown(&app, &DesktopApp::signInShown);
    app.start();
    QVERIFY(shown.wait(20000));
    QVERIFY(app.signInDialog()->isVisible());
    QVERIFY(!app.signInDialog()->errorText().isEmpty());
    QTRY_VERIFY(!app.session());
    QTRY_VERIFY(m_store->entries().isEmpty());
}

void TestDesktopApp::signOutRevokesAndForgetsTheToken()
{
    DesktopApp &app = makeApp();
    QSignalSpy started(&app, &DesktopApp::sessionStarted);
    app.start();
    signInThroughTheDialog(app, Password);
    QVERIFY(started.wait(20000));
    QTRY_COMPARE(m_store->entries().size(), 1);
    const QString token = m_store->entries().value(entryKey());

    QSignalSpy loggedOut(&app.authClient(), &AuthClient::loggedOut);
    QSignalSpy shown(&app, &DesktopApp::signInShown);
    Q_EMIT app.mainWindow()->signOutRequested();
    QCOMPARE(shown.count(), 1);
    QVERIFY(app.signInDialog()->isVisible());
    QCOMPARE(app.signInDialog()->userName(), User);
    QVERIFY(loggedOut.wait(20000));
    QTRY_VERIFY(m_store->entries().isEmpty());
    QTRY_VERIFY(!app.mainWindow());
    QVERIFY(tokenIsRevoked(token));
}

void TestDesktopApp::withoutKeychainTheTokenLastsTheSession()
{
    DesktopApp &app = makeApp();
    m_store->setAvailable(false);
    QSignalSpy started(&app, &DesktopApp::sessionStarted);
    app.start();
    signInThroughTheDialog(app, Password);
    QVERIFY(started.wait(20000));
    QTRY_VERIFY(!app.isKeychainAvailable());
    QTRY_VERIFY_WITH_TIMEOUT(app.session()->isAuthenticated(), 20000);
    QVERIFY(m_store->entries().isEmpty());
}

void TestDesktopApp::handedOverTokenIsStoredOnceAccepted()
{
    // scripts/run.sh signs in with curl and passes the token in TANDEM_TOKEN.
    AppOptions options;
    options.serverUrl = serverUrl();
    options.userName = User;
    options.token = m_server.login(User, Password);
    QVERIFY(!options.token.isEmpty());
    const QString token = options.token;
    DesktopApp &app = makeApp(options);
    QSignalSpy shown(&app, &DesktopApp::signInShown);
    app.start();
    QVERIFY(app.session());
    QTRY_VERIFY_WITH_TIMEOUT(app.session()->isAuthenticated(), 20000);
    QTRY_COMPARE(m_store->entries().value(entryKey()), token);
    QCOMPARE(shown.count(), 0);
}

void TestDesktopApp::handedOverBadTokenIsNeverStored()
{
    AppOptions options;
    options.serverUrl = serverUrl();
    options.userName = User;
    options.token = QStringLiteral("not-a-token-the-server-ever-issued-000000000");
    DesktopApp &app = makeApp(options);
    // What the keychain already holds is neither replaced nor removed by a refused hand-over.
    const QString stored = m_server.login(User, Password);
    bool done = false;
    m_store->store(serverUrl(), User, stored, [&done](const auto &result) { done = result.hasValue(); });
    QTRY_VERIFY(done);

    QSignalSpy shown(&app, &DesktopApp::signInShown);
    app.start();
    QVERIFY(shown.wait(20000));
    QTRY_VERIFY(!app.session());
    QTest::qWait(100); // a store or remove would answer by now
    QCOMPARE(m_store->entries().size(), 1);
    QCOMPARE(m_store->entries().value(entryKey()), stored);
}

void TestDesktopApp::desktopIdentityCarriesTheIcon()
{
    tandem::app::setDesktopIdentity();
    QCOMPARE(QGuiApplication::desktopFileName(), QStringLiteral("org.tandem.Tandem"));
    QCOMPARE(QCoreApplication::applicationName(), QStringLiteral("tandem"));
    // The icon is embedded in tandem-app, so every entry point has it; the tray needs it too.
    QCOMPARE(QApplication::windowIcon().availableSizes().size(), 6);
}

void TestDesktopApp::unreachableServerFallsBackToAnotherInstanceAndIsRemembered()
{
    const QString token = m_server.login(User, Password);
    QVERIFY(!token.isEmpty());
    // The account's first server is gone (a port nothing listens on); the test server is another instance.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const QUrl gone(QStringLiteral("http://127.0.0.1:%1").arg(probe.serverPort()));
    probe.close();
    AppOptions options;
    options.serverUrl = gone;
    options.alternativeServers = {serverUrl()};
    options.userName = User;
    DesktopApp &app = makeApp(options);
    bool stored = false;
    m_store->store(gone, User, token, [&stored](const auto &result) { stored = result.hasValue(); });
    QTRY_VERIFY(stored);

    app.start();
    QTRY_VERIFY_WITH_TIMEOUT(app.session() && app.session()->isAuthenticated(), 20000);
    QCOMPARE(app.session()->currentServerUrl().port(), serverUrl().port());
    // Remembered for the next start without --also-server.
    const QSettings settings(QDir(m_profile->path()).filePath(QStringLiteral("tandem.conf")),
                             QSettings::IniFormat);
    QCOMPARE(settings.value(QStringLiteral("account/alternativeServers")).toStringList(),
             QStringList{serverUrl().toString()});
}

void TestDesktopApp::commandLineTakesATransport()
{
    const QString program = QStringLiteral("tandem");
    QCOMPARE(tandem::app::CommandLine::parse({program, QStringLiteral("--transport"), QStringLiteral("SSE")})
                 .transport,
             QStringLiteral("sse"));
    QCOMPARE(tandem::app::CommandLine::parse({program, QStringLiteral("--transport=polling")}).transport,
             QStringLiteral("polling"));
    QVERIFY(tandem::app::CommandLine::parse({program}).transport.isEmpty());
}

void TestDesktopApp::transportComesFromTheCommandLineElseTheProfile_data()
{
    QTest::addColumn<QString>("commandLine");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QString>("expected"); ///< the transport name in the status bar
    QTest::newRow("default: WebSocket first") << QString() << QString() << QStringLiteral("WebSocket");
    QTest::newRow("profile: polling") << QString() << QStringLiteral("polling") << QStringLiteral("Polling");
    QTest::newRow("command line over profile")
        << QStringLiteral("sse") << QStringLiteral("polling") << QStringLiteral("SSE");
    QTest::newRow("unknown profile value: auto")
        << QString() << QStringLiteral("telegraph") << QStringLiteral("WebSocket");
}

void TestDesktopApp::transportComesFromTheCommandLineElseTheProfile()
{
    QFETCH(QString, commandLine);
    QFETCH(QString, profile);
    QFETCH(QString, expected);
    const QString token = m_server.login(User, Password);
    QVERIFY(!token.isEmpty());
    if (!profile.isEmpty())
        tandem::app::Profile(m_profile->path()).openSettings()->setValue(DesktopApp::transportKey(), profile);
    AppOptions options;
    options.serverUrl = serverUrl();
    options.userName = User;
    options.transport = commandLine;
    options.token = token;
    DesktopApp &app = makeApp(options);
    app.start();
    QTRY_VERIFY_WITH_TIMEOUT(app.session() && app.session()->isAuthenticated(), 20000);
    QCOMPARE(app.session()->connection().transportName(), expected);
}

void TestDesktopApp::connectionSettingsSwitchTheTransportNow()
{
    const QString token = m_server.login(User, Password);
    QVERIFY(!token.isEmpty());
    DesktopApp &app = makeAppWithStoredToken(token);
    app.start();
    QTRY_VERIFY_WITH_TIMEOUT(app.session() && app.session()->isAuthenticated(), 20000);
    QCOMPARE(app.session()->connection().transportName(), QStringLiteral("WebSocket"));

    auto *action = app.mainWindow()->findChild<QAction *>(QStringLiteral("connectionSettingsAction"));
    QVERIFY(action);
    action->trigger();
    QTRY_VERIFY(app.connectionSettingsDialog() && app.connectionSettingsDialog()->isVisible());
    auto *dialog = app.connectionSettingsDialog();
    QCOMPARE(dialog->transportMode(), tandem::client::FallbackTransport::Mode::Auto);
    dialog->setTransportMode(tandem::client::FallbackTransport::Mode::Polling);
    QSignalSpy authenticated(app.session(), &Session::authenticated);
    dialog->accept();

    // Stored, and the live session moved to polling without waiting for a backoff.
    QCOMPARE(
        tandem::app::Profile(m_profile->path()).openSettings()->value(DesktopApp::transportKey()).toString(),
        QStringLiteral("polling"));
    QVERIFY(authenticated.wait(20000));
    QCOMPARE(app.session()->connection().transportName(), QStringLiteral("Polling"));
}

void TestDesktopApp::hiddenWindowPutsPollingInTheBackground()
{
    DesktopApp *started = startSignedInOnPolling();
    QVERIFY(started);
    DesktopApp &app = *started;
    auto &fallback = dynamic_cast<tandem::client::FallbackTransport &>(app.session()->transport());
    auto &polling = dynamic_cast<tandem::client::PollingTransport &>(
        fallback.transport(tandem::client::FallbackTransport::Level::Polling));
    QVERIFY(!polling.isBackground());
    app.mainWindow()->hide();
    QVERIFY(polling.isBackground());
    app.mainWindow()->show();
    QVERIFY(!polling.isBackground());
}

DesktopApp *TestDesktopApp::startSignedInOnPolling()
{
    const QString token = m_server.login(User, Password);
    if (token.isEmpty())
        return nullptr;
    AppOptions options;
    options.serverUrl = serverUrl();
    options.userName = User;
    options.transport = QStringLiteral("polling");
    options.token = token;
    DesktopApp &app = makeApp(options);
    app.start();
    if (!QTest::qWaitFor([&app] { return app.session() && app.session()->isAuthenticated(); }, 20000))
        return nullptr;
    return &app;
}

int TestDesktopApp::pollingConnections()
{
    QNetworkAccessManager network;
    QUrl url = serverUrl();
    url.setPath(QStringLiteral("/metrics"));
    QNetworkReply *reply = network.get(QNetworkRequest(url));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(10000))
        return -1;
    reply->deleteLater();
    const QByteArray prefix = R"(tandem_connections{transport="polling"} )";
    for (const QByteArray &line : reply->readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).toInt();
    }
    return -1;
}

void TestDesktopApp::quittingWhilePollingSaysGoodbyeToTheServer()
{
    const int others = pollingConnections(); // the shared server's, from earlier tests
    QVERIFY(others >= 0);
    DesktopApp *started = startSignedInOnPolling();
    QVERIFY(started);
    DesktopApp &app = *started;
    QCOMPARE(app.session()->connection().transportName(), QStringLiteral("Polling"));
    QTRY_COMPARE(pollingConnections(), others + 1);

    // What main() does once the last window closed: the app goes, with no event-loop turn first.
    m_app.reset();
    // A poller's leaving is invisible to the server but for its goodbye; without it the session,
    // and the user's presence, would last until the 60 s idle timeout.
    QTRY_COMPARE_WITH_TIMEOUT(pollingConnections(), others, 5000);
}

QTEST_MAIN(TestDesktopApp)
#include "tst_desktopapp.moc"
