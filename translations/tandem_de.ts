<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>tandem::app::CommandLine</name>
    <message>
        <source>Tandem: team chat, a shared document and a live canvas on your own server.</source>
        <translation>Tandem: Team-Chat, ein gemeinsames Dokument und eine Live-Zeichenfläche auf dem eigenen Server.</translation>
    </message>
    <message>
        <source>The server to sign in to, e.g. http://127.0.0.1:7420.</source>
        <translation>Der Server, bei dem Sie sich anmelden, z. B. http://127.0.0.1:7420.</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>The user name to sign in with.</source>
        <translation>Der Benutzername für die Anmeldung.</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>NAME</translation>
    </message>
    <message>
        <source>Keep settings and data in DIR, so that several instances can run side by side.</source>
        <translation>Einstellungen und Daten in VERZEICHNIS ablegen, damit mehrere Instanzen nebeneinander laufen können.</translation>
    </message>
    <message>
        <source>DIR</source>
        <translation>VERZEICHNIS</translation>
    </message>
    <message>
        <source>The language of the interface, e.g. de or fr.</source>
        <translation>Die Sprache der Oberfläche, z. B. de oder fr.</translation>
    </message>
    <message>
        <source>CODE</source>
        <translation>CODE</translation>
    </message>
    <message>
        <source>tandem: not a server address: %1</source>
        <translation>tandem: keine Serveradresse: %1</translation>
    </message>
</context>
<context>
    <name>tandem::app::DesktopApp</name>
    <message>
        <source>Sign in to Tandem</source>
        <translation>Bei Tandem anmelden</translation>
    </message>
    <message>
        <source>“%1” is not a server address. Try http://host:7420.</source>
        <translation>„%1“ ist keine Serveradresse. Versuchen Sie http://host:7420.</translation>
    </message>
    <message>
        <source>Enter your user name and password.</source>
        <translation>Geben Sie Ihren Benutzernamen und Ihr Passwort ein.</translation>
    </message>
    <message>
        <source>The user name or the password is wrong.</source>
        <translation>Benutzername oder Passwort ist falsch.</translation>
    </message>
    <message>
        <source>Too many attempts. Wait a minute, then try again.</source>
        <translation>Zu viele Versuche. Warten Sie eine Minute und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <source>The server did not accept this sign-in: %1</source>
        <translation>Der Server hat diese Anmeldung nicht angenommen: %1</translation>
    </message>
    <message>
        <source>Cannot reach the server: %1</source>
        <translation>Der Server ist nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>Sign-in failed: %1</source>
        <translation>Anmeldung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>No keychain available</source>
        <translation>Kein Schlüsselbund verfügbar</translation>
    </message>
    <message>
        <source>Tandem cannot reach the system keychain, so it keeps your sign-in for this session only. You will have to sign in again next time.</source>
        <translation>Tandem kann den Schlüsselbund des Systems nicht erreichen und behält Ihre Anmeldung daher nur für diese Sitzung. Beim nächsten Start müssen Sie sich erneut anmelden.</translation>
    </message>
    <message>
        <source>Tandem — %1 on %2</source>
        <translation>Tandem – %1 auf %2</translation>
    </message>
    <message>
        <source>Your session has expired or was signed out elsewhere. Please sign in again.</source>
        <translation>Ihre Sitzung ist abgelaufen oder wurde an anderer Stelle abgemeldet. Bitte melden Sie sich erneut an.</translation>
    </message>
</context>
<context>
    <name>tandem::chat::ChatClient</name>
    <message>
        <source>Could not join %1: %2</source>
        <translation>%1 konnte nicht betreten werden: %2</translation>
    </message>
    <message>
        <source>Your message was not sent: %1</source>
        <translation>Ihre Nachricht wurde nicht gesendet: %1</translation>
    </message>
</context>
<context>
    <name>tandem::chat::PresenceRoster</name>
    <message>
        <source>%1 is online</source>
        <translation>%1 ist online</translation>
    </message>
    <message>
        <source>%1 is away</source>
        <translation>%1 ist abwesend</translation>
    </message>
    <message>
        <source>%1 is offline</source>
        <translation>%1 ist offline</translation>
    </message>
</context>
<context>
    <name>tandem::chat::RoomListModel</name>
    <message>
        <source>%1 (private)</source>
        <translation>%1 (privat)</translation>
    </message>
</context>
<context>
    <name>tandem::chat::TypingTracker</name>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 schreibt …</translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <translation>%1 und %2 schreiben …</translation>
    </message>
    <message>
        <source>Several people are typing…</source>
        <translation>Mehrere Personen schreiben …</translation>
    </message>
</context>
<context>
    <name>tandem::ui::ChatView</name>
    <message>
        <source>No messages yet. Say hello!</source>
        <translation>Noch keine Nachrichten. Sag Hallo!</translation>
    </message>
    <message>
        <source>Join a room to start chatting</source>
        <translation>Tritt einem Raum bei, um zu chatten</translation>
    </message>
    <message>
        <source>Message #%1 (Enter sends, Shift+Enter for a new line)</source>
        <translation>Nachricht an #%1 (Eingabe sendet, Umschalt+Eingabe für eine neue Zeile)</translation>
    </message>
</context>
<context>
    <name>tandem::ui::Composer</name>
    <message>
        <source>Write a message… (Enter sends, Shift+Enter for a new line)</source>
        <translation>Nachricht schreiben … (Eingabe sendet, Umschalt+Eingabe für eine neue Zeile)</translation>
    </message>
</context>
<context>
    <name>tandem::ui::ConnectionStatusWidget</name>
    <message>
        <source>Retry now</source>
        <translation>Jetzt erneut versuchen</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde …</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Reconnecting</source>
        <translation>Verbindung wird wiederhergestellt</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1 (attempt %2 of %3)</source>
        <translation>%1 (Versuch %2 von %3)</translation>
    </message>
    <message numerus="yes">
        <source>Retrying in %n s</source>
        <translation>
            <numerusform>Neuer Versuch in %n s</numerusform>
            <numerusform>Neuer Versuch in %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>You are offline. Tandem is reconnecting; messages you send now will not be delivered.</source>
        <translation>Sie sind offline. Tandem verbindet sich neu; Nachrichten, die Sie jetzt senden, werden nicht zugestellt.</translation>
    </message>
    <message>
        <source>Your session has ended. Sign in again to continue.</source>
        <translation>Ihre Sitzung ist beendet. Melden Sie sich erneut an, um fortzufahren.</translation>
    </message>
    <message>
        <source>You are offline. Tandem stopped retrying; use “Retry now” when the network is back.</source>
        <translation>Sie sind offline. Tandem versucht es nicht mehr; nutzen Sie „Jetzt erneut versuchen“, sobald das Netzwerk wieder da ist.</translation>
    </message>
    <message>
        <source>You are offline.</source>
        <translation>Sie sind offline.</translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation>Zustand: %1</translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>Letzter Fehler: %1</translation>
    </message>
</context>
<context>
    <name>tandem::ui::JoinRoomDialog</name>
    <message>
        <source>&amp;Private (only when the room is new)</source>
        <translation>&amp;Privat (nur bei einem neuen Raum)</translation>
    </message>
    <message>
        <source>Join or create a room</source>
        <translation>Raum beitreten oder erstellen</translation>
    </message>
    <message>
        <source>e.g. design-review</source>
        <translation>z. B. design-review</translation>
    </message>
    <message>
        <source>A room that does not exist yet is created, with you as its owner.</source>
        <translation>Ein Raum, den es noch nicht gibt, wird erstellt, mit Ihnen als Eigentümer.</translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation>&amp;Beitreten</translation>
    </message>
    <message>
        <source>&amp;Room:</source>
        <translation>&amp;Raum:</translation>
    </message>
</context>
<context>
    <name>tandem::ui::MainWindow</name>
    <message>
        <source>Tandem</source>
        <translation>Tandem</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <source>Shared documents are coming soon.</source>
        <translation>Gemeinsame Dokumente kommen bald.</translation>
    </message>
    <message>
        <source>Canvas</source>
        <translation>Zeichenfläche</translation>
    </message>
    <message>
        <source>The shared canvas is coming soon.</source>
        <translation>Die gemeinsame Zeichenfläche kommt bald.</translation>
    </message>
    <message>
        <source>Join or create a room (Ctrl+N)</source>
        <translation>Raum beitreten oder erstellen (Strg+N)</translation>
    </message>
    <message>
        <source>MEMBERS</source>
        <translation>MITGLIEDER</translation>
    </message>
    <message>
        <source>ROOMS</source>
        <translation>RÄUME</translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation>&amp;Konto</translation>
    </message>
    <message>
        <source>Set yourself &amp;away</source>
        <translation>Als &amp;abwesend markieren</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>Ab&amp;melden</translation>
    </message>
    <message>
        <source>&amp;Rooms</source>
        <translation>&amp;Räume</translation>
    </message>
    <message>
        <source>&amp;Join or create a room…</source>
        <translation>Raum &amp;beitreten oder erstellen …</translation>
    </message>
    <message>
        <source>&amp;Next room</source>
        <translation>&amp;Nächster Raum</translation>
    </message>
    <message>
        <source>&amp;Previous room</source>
        <translation>&amp;Vorheriger Raum</translation>
    </message>
    <message>
        <source>&amp;Write a message</source>
        <translation>Nachricht &amp;schreiben</translation>
    </message>
    <message>
        <source>MEMBERS OF #%1</source>
        <translation>MITGLIEDER VON #%1</translation>
    </message>
    <message>
        <source>#%1 — Tandem</source>
        <translation>#%1 – Tandem</translation>
    </message>
    <message>
        <source>%1 in #%2</source>
        <translation>%1 in #%2</translation>
    </message>
    <message>
        <source>You are away</source>
        <translation>Sie sind abwesend</translation>
    </message>
    <message>
        <source>You are online</source>
        <translation>Sie sind online</translation>
    </message>
</context>
<context>
    <name>tandem::ui::MessageDelegate</name>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
    <message>
        <source>sending…</source>
        <translation>wird gesendet …</translation>
    </message>
    <message>
        <source>not sent</source>
        <translation>nicht gesendet</translation>
    </message>
</context>
<context>
    <name>tandem::ui::SignInDialog</name>
    <message>
        <source>Sign in to Tandem</source>
        <translation>Bei Tandem anmelden</translation>
    </message>
    <message>
        <source>http://127.0.0.1:7420</source>
        <translation>http://127.0.0.1:7420</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
</context>
</TS>
