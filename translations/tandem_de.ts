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
    <message>
        <source>Another instance of the same server, tried in turn when one cannot be reached. May be given several times.</source>
        <translation>Eine weitere Instanz desselben Servers, die der Reihe nach versucht wird, wenn eine nicht erreichbar ist. Kann mehrfach angegeben werden.</translation>
    </message>
    <message>
        <source>How to reach the server: auto (WebSocket, else Server-Sent Events, else polling), websocket, sse or polling. Overrides the connection settings for this run.</source>
        <translation>Wie der Server erreicht wird: auto (WebSocket, sonst Server-Sent Events, sonst Polling), websocket, sse oder polling. Hat bei diesem Start Vorrang vor den Verbindungseinstellungen.</translation>
    </message>
    <message>
        <source>MODE</source>
        <translation>MODUS</translation>
    </message>
    <message>
        <source>tandem: --transport must be auto, websocket, sse or polling, not %1</source>
        <translation>tandem: --transport muss auto, websocket, sse oder polling sein, nicht %1</translation>
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
    <message>
        <source>Tandem</source>
        <translation>Tandem</translation>
    </message>
    <message>
        <source>Tandem cannot open its local data at %1:
%2</source>
        <translation>Tandem kann seine lokalen Daten in %1 nicht öffnen:
%2</translation>
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
    <message>
        <source>Your message could not be saved: %1</source>
        <translation>Ihre Nachricht konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>This message is being sent; edit it once it is delivered.</source>
        <translation>Diese Nachricht wird gerade gesendet; bearbeiten Sie sie, sobald sie zugestellt ist.</translation>
    </message>
    <message>
        <source>Your edit could not be saved: %1</source>
        <translation>Ihre Bearbeitung konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>This message is being sent; delete it once it is delivered.</source>
        <translation>Diese Nachricht wird gerade gesendet; löschen Sie sie, sobald sie zugestellt ist.</translation>
    </message>
    <message>
        <source>Could not discard the message: %1</source>
        <translation>Die Nachricht konnte nicht verworfen werden: %1</translation>
    </message>
    <message>
        <source>Could not retry: %1</source>
        <translation>Erneuter Versuch nicht möglich: %1</translation>
    </message>
    <message>
        <source>Your change could not be saved: %1</source>
        <translation>Ihre Änderung konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Your change was refused: %1</source>
        <translation>Ihre Änderung wurde abgelehnt: %1</translation>
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
    <name>tandem::ui::CanvasTab</name>
    <message>
        <source>Select</source>
        <translation>Auswahl</translation>
    </message>
    <message>
        <source>Select, move and resize shapes (V)</source>
        <translation>Formen auswählen, verschieben und skalieren (V)</translation>
    </message>
    <message>
        <source>Pen</source>
        <translation>Stift</translation>
    </message>
    <message>
        <source>Draw freehand (P)</source>
        <translation>Freihand zeichnen (P)</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Linie</translation>
    </message>
    <message>
        <source>Draw a line (L)</source>
        <translation>Eine Linie zeichnen (L)</translation>
    </message>
    <message>
        <source>Arrow</source>
        <translation>Pfeil</translation>
    </message>
    <message>
        <source>Draw an arrow (A)</source>
        <translation>Einen Pfeil zeichnen (A)</translation>
    </message>
    <message>
        <source>Rectangle</source>
        <translation>Rechteck</translation>
    </message>
    <message>
        <source>Draw a rectangle (R)</source>
        <translation>Ein Rechteck zeichnen (R)</translation>
    </message>
    <message>
        <source>Ellipse</source>
        <translation>Ellipse</translation>
    </message>
    <message>
        <source>Draw an ellipse (E)</source>
        <translation>Eine Ellipse zeichnen (E)</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>Add a text box (T)</source>
        <translation>Ein Textfeld hinzufügen (T)</translation>
    </message>
    <message>
        <source>Canvas tools</source>
        <translation>Zeichenwerkzeuge</translation>
    </message>
    <message>
        <source>Stroke</source>
        <translation>Kontur</translation>
    </message>
    <message>
        <source>Choose the outline colour of new and selected shapes</source>
        <translation>Konturfarbe für neue und ausgewählte Formen wählen</translation>
    </message>
    <message>
        <source>Fill</source>
        <translation>Füllung</translation>
    </message>
    <message>
        <source>Choose the fill colour of new and selected shapes</source>
        <translation>Füllfarbe für neue und ausgewählte Formen wählen</translation>
    </message>
    <message>
        <source>No fill</source>
        <translation>Keine Füllung</translation>
    </message>
    <message>
        <source>Draw new and selected shapes without a fill</source>
        <translation>Neue und ausgewählte Formen ohne Füllung zeichnen</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Stroke width</source>
        <translation>Konturstärke</translation>
    </message>
    <message>
        <source>Outline width of new and selected shapes</source>
        <translation>Konturstärke neuer und ausgewählter Formen</translation>
    </message>
    <message>
        <source>To front</source>
        <translation>In den Vordergrund</translation>
    </message>
    <message>
        <source>Bring the selected shapes to the front (Ctrl+])</source>
        <translation>Ausgewählte Formen in den Vordergrund bringen (Strg+])</translation>
    </message>
    <message>
        <source>To back</source>
        <translation>In den Hintergrund</translation>
    </message>
    <message>
        <source>Send the selected shapes to the back (Ctrl+[)</source>
        <translation>Ausgewählte Formen in den Hintergrund stellen (Strg+[)</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Undo your last change (Ctrl+Z)</source>
        <translation>Letzte Änderung rückgängig machen (Strg+Z)</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Redo your last undone change (Ctrl+Shift+Z)</source>
        <translation>Zuletzt rückgängig gemachte Änderung wiederholen (Strg+Umschalt+Z)</translation>
    </message>
    <message>
        <source>−</source>
        <translation>−</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+-)</source>
        <translation>Verkleinern (Strg+-)</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Verkleinern</translation>
    </message>
    <message>
        <source>Zoom level</source>
        <translation>Zoomstufe</translation>
    </message>
    <message>
        <source>+</source>
        <translation>+</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl++)</source>
        <translation>Vergrößern (Strg++)</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Vergrößern</translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation>Originalgröße</translation>
    </message>
    <message>
        <source>Back to 100% at the origin (Ctrl+0)</source>
        <translation>Zurück zu 100 % am Ursprung (Strg+0)</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>Zoom zurücksetzen</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>Als PNG exportieren …</translation>
    </message>
    <message>
        <source>Save the whole canvas as a PNG image</source>
        <translation>Die gesamte Zeichenfläche als PNG-Bild speichern</translation>
    </message>
    <message>
        <source>Export SVG…</source>
        <translation>Als SVG exportieren …</translation>
    </message>
    <message>
        <source>Save the whole canvas as an SVG drawing</source>
        <translation>Die gesamte Zeichenfläche als SVG-Zeichnung speichern</translation>
    </message>
    <message>
        <source>Stroke colour</source>
        <translation>Konturfarbe</translation>
    </message>
    <message>
        <source>Fill colour</source>
        <translation>Füllfarbe</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Could not encode the image.</source>
        <translation>Das Bild konnte nicht kodiert werden.</translation>
    </message>
    <message>
        <source>Export canvas as PNG</source>
        <translation>Zeichenfläche als PNG exportieren</translation>
    </message>
    <message>
        <source>canvas.png</source>
        <translation>zeichenflaeche.png</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>%1 konnte nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <source>Export canvas as SVG</source>
        <translation>Zeichenfläche als SVG exportieren</translation>
    </message>
    <message>
        <source>canvas.svg</source>
        <translation>zeichenflaeche.svg</translation>
    </message>
    <message>
        <source>SVG drawings (*.svg)</source>
        <translation>SVG-Zeichnungen (*.svg)</translation>
    </message>
</context>
<context>
    <name>tandem::ui::CanvasView</name>
    <message>
        <source>Canvas</source>
        <translation>Zeichenfläche</translation>
    </message>
    <message>
        <source>%1 (away)</source>
        <translation>%1 (abwesend)</translation>
    </message>
    <message>
        <source>Text box</source>
        <translation>Textfeld</translation>
    </message>
</context>
<context>
    <name>tandem::ui::ChatView</name>
    <message>
        <source>No messages yet. Say hello!</source>
        <translation>Noch keine Nachrichten. Sagen Sie Hallo!</translation>
    </message>
    <message>
        <source>Join a room to start chatting</source>
        <translation>Treten Sie einem Raum bei, um zu chatten</translation>
    </message>
    <message>
        <source>Message #%1 (Enter sends, Shift+Enter for a new line)</source>
        <translation>Nachricht an #%1 (Eingabe sendet, Umschalt+Eingabe für eine neue Zeile)</translation>
    </message>
    <message>
        <source>Edit topic</source>
        <translation>Thema bearbeiten</translation>
    </message>
    <message>
        <source>No topic</source>
        <translation>Kein Thema</translation>
    </message>
    <message>
        <source>%1 (waiting to sync)</source>
        <translation>%1 (wartet auf Synchronisierung)</translation>
    </message>
    <message>
        <source>Room topic</source>
        <translation>Thema des Raums</translation>
    </message>
    <message>
        <source>Topic of #%1:</source>
        <translation>Thema von #%1:</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten …</translation>
    </message>
    <message>
        <source>Edit message</source>
        <translation>Nachricht bearbeiten</translation>
    </message>
    <message>
        <source>Message:</source>
        <translation>Nachricht:</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
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
    <name>tandem::ui::ConflictDialog</name>
    <message>
        <source>the topic of #%1</source>
        <translation>das Thema von #%1</translation>
    </message>
    <message>
        <source>the document title of #%1</source>
        <translation>den Dokumenttitel von #%1</translation>
    </message>
    <message>
        <source>a message in #%1</source>
        <translation>eine Nachricht in #%1</translation>
    </message>
    <message>
        <source>Resolve a conflict</source>
        <translation>Konflikt lösen</translation>
    </message>
    <message>
        <source>(deleted)</source>
        <translation>(gelöscht)</translation>
    </message>
    <message>
        <source>While you were changing %1, %2 changed it too. Choose what to keep.</source>
        <translation>Während Sie %1 geändert haben, hat auch %2 eine Änderung vorgenommen. Wählen Sie, was erhalten bleiben soll.</translation>
    </message>
    <message>
        <source>someone</source>
        <translation>jemand</translation>
    </message>
    <message>
        <source>Before both changes</source>
        <translation>Vor beiden Änderungen</translation>
    </message>
    <message>
        <source>Theirs (%1)</source>
        <translation>Andere Version (%1)</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>Meine Version</translation>
    </message>
    <message>
        <source>Or edit a merge of both:</source>
        <translation>Oder bearbeiten Sie eine Zusammenführung beider Versionen:</translation>
    </message>
    <message>
        <source>Keep theirs</source>
        <translation>Andere Version behalten</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>Meine Version behalten</translation>
    </message>
    <message>
        <source>Use the merge</source>
        <translation>Zusammenführung verwenden</translation>
    </message>
</context>
<context>
    <name>tandem::ui::ConnectionSettingsDialog</name>
    <message>
        <source>Connection settings</source>
        <translation>Verbindungseinstellungen</translation>
    </message>
    <message>
        <source>Automatic (recommended)</source>
        <translation>Automatisch (empfohlen)</translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation>WebSocket</translation>
    </message>
    <message>
        <source>Server-Sent Events</source>
        <translation>Server-Sent Events</translation>
    </message>
    <message>
        <source>Polling</source>
        <translation>Polling</translation>
    </message>
    <message>
        <source>Automatic uses WebSocket where the network allows it and falls back to Server-Sent Events, then to polling, behind proxies that block it. A change reconnects at once.</source>
        <translation>Automatisch verwendet WebSocket, wo das Netzwerk es zulässt, und weicht hinter Proxys, die es blockieren, auf Server-Sent Events und dann auf Polling aus. Eine Änderung baut die Verbindung sofort neu auf.</translation>
    </message>
    <message>
        <source>&amp;Transport:</source>
        <translation>&amp;Verbindungsart:</translation>
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
    <name>tandem::ui::DocumentEditor</name>
    <message>
        <source>Write together…</source>
        <translation>Gemeinsam schreiben …</translation>
    </message>
    <message>
        <source>someone</source>
        <translation>jemand</translation>
    </message>
</context>
<context>
    <name>tandem::ui::DocumentTitleEdit</name>
    <message>
        <source>Untitled document</source>
        <translation>Unbenanntes Dokument</translation>
    </message>
    <message>
        <source>waiting to sync</source>
        <translation>wartet auf Synchronisierung</translation>
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
        <source>Canvas</source>
        <translation>Zeichenfläche</translation>
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
    <message>
        <source>Show what is waiting to reach the server</source>
        <translation>Anzeigen, was noch auf die Übertragung zum Server wartet</translation>
    </message>
    <message>
        <source>&amp;Connection settings…</source>
        <translation>&amp;Verbindungseinstellungen …</translation>
    </message>
    <message>
        <source>The document could not be saved locally: %1</source>
        <translation>Das Dokument konnte nicht lokal gespeichert werden: %1</translation>
    </message>
    <message>
        <source>1 change waiting to sync</source>
        <translation>1 Änderung wartet auf Synchronisierung</translation>
    </message>
    <message>
        <source>%1 changes waiting to sync</source>
        <translation>%1 Änderungen warten auf Synchronisierung</translation>
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
    <message>
        <source>This message was deleted.</source>
        <translation>Diese Nachricht wurde gelöscht.</translation>
    </message>
    <message>
        <source>%1 (edited)</source>
        <translation>%1 (bearbeitet)</translation>
    </message>
    <message>
        <source>syncing…</source>
        <translation>wird synchronisiert …</translation>
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
<context>
    <name>tandem::ui::SyncDetailsDialog</name>
    <message>
        <source>Message in #%1: “%2”</source>
        <translation>Nachricht in #%1: „%2“</translation>
    </message>
    <message numerus="yes">
        <source>Drawing on the canvas of #%1 (%n change(s))</source>
        <translation>
            <numerusform>Zeichnung auf der Zeichenfläche von #%1 (%n Änderung)</numerusform>
            <numerusform>Zeichnung auf der Zeichenfläche von #%1 (%n Änderungen)</numerusform>
        </translation>
    </message>
    <message>
        <source>Topic of #%1: “%2”</source>
        <translation>Thema von #%1: „%2“</translation>
    </message>
    <message>
        <source>Document title of #%1: “%2”</source>
        <translation>Dokumenttitel von #%1: „%2“</translation>
    </message>
    <message>
        <source>Delete a message in #%1</source>
        <translation>Eine Nachricht in #%1 löschen</translation>
    </message>
    <message>
        <source>Edit a message in #%1: “%2”</source>
        <translation>Eine Nachricht in #%1 bearbeiten: „%2“</translation>
    </message>
    <message>
        <source>Changes waiting to sync</source>
        <translation>Änderungen, die auf Synchronisierung warten</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten …</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>Resolve…</source>
        <translation>Lösen …</translation>
    </message>
    <message>
        <source>Edit the change</source>
        <translation>Änderung bearbeiten</translation>
    </message>
</context>
</TS>
