<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>tandem::app::CommandLine</name>
    <message>
        <source>Tandem: team chat, a shared document and a live canvas on your own server.</source>
        <translation>Tandem : discussion d’équipe, document partagé et tableau en direct sur votre propre serveur.</translation>
    </message>
    <message>
        <source>The server to sign in to, e.g. http://127.0.0.1:7420.</source>
        <translation>Le serveur auquel se connecter, p. ex. http://127.0.0.1:7420.</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>The user name to sign in with.</source>
        <translation>Le nom d’utilisateur pour la connexion.</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>NOM</translation>
    </message>
    <message>
        <source>Keep settings and data in DIR, so that several instances can run side by side.</source>
        <translation>Conserver les réglages et les données dans DOSSIER, pour que plusieurs instances puissent fonctionner côte à côte.</translation>
    </message>
    <message>
        <source>DIR</source>
        <translation>DOSSIER</translation>
    </message>
    <message>
        <source>The language of the interface, e.g. de or fr.</source>
        <translation>La langue de l’interface, p. ex. de ou fr.</translation>
    </message>
    <message>
        <source>CODE</source>
        <translation>CODE</translation>
    </message>
    <message>
        <source>tandem: not a server address: %1</source>
        <translation>tandem : ce n’est pas une adresse de serveur : %1</translation>
    </message>
    <message>
        <source>Another instance of the same server, tried in turn when one cannot be reached. May be given several times.</source>
        <translation>Une autre instance du même serveur, essayée à tour de rôle quand l’une est injoignable. Peut être indiquée plusieurs fois.</translation>
    </message>
    <message>
        <source>How to reach the server: auto (WebSocket, else Server-Sent Events, else polling), websocket, sse or polling. Overrides the connection settings for this run.</source>
        <translation>Comment joindre le serveur : auto (WebSocket, sinon Server-Sent Events, sinon interrogation périodique), websocket, sse ou polling. Remplace les paramètres de connexion pour cette exécution.</translation>
    </message>
    <message>
        <source>MODE</source>
        <translation>MODE</translation>
    </message>
    <message>
        <source>tandem: --transport must be auto, websocket, sse or polling, not %1</source>
        <translation>tandem : --transport doit valoir auto, websocket, sse ou polling, et non %1</translation>
    </message>
</context>
<context>
    <name>tandem::app::DesktopApp</name>
    <message>
        <source>Sign in to Tandem</source>
        <translation>Se connecter à Tandem</translation>
    </message>
    <message>
        <source>“%1” is not a server address. Try http://host:7420.</source>
        <translation>« %1 » n’est pas une adresse de serveur. Essayez http://hote:7420.</translation>
    </message>
    <message>
        <source>Enter your user name and password.</source>
        <translation>Saisissez votre nom d’utilisateur et votre mot de passe.</translation>
    </message>
    <message>
        <source>The user name or the password is wrong.</source>
        <translation>Le nom d’utilisateur ou le mot de passe est incorrect.</translation>
    </message>
    <message>
        <source>Too many attempts. Wait a minute, then try again.</source>
        <translation>Trop de tentatives. Attendez une minute, puis réessayez.</translation>
    </message>
    <message>
        <source>The server did not accept this sign-in: %1</source>
        <translation>Le serveur n’a pas accepté cette connexion : %1</translation>
    </message>
    <message>
        <source>Cannot reach the server: %1</source>
        <translation>Impossible de joindre le serveur : %1</translation>
    </message>
    <message>
        <source>Sign-in failed: %1</source>
        <translation>Échec de la connexion : %1</translation>
    </message>
    <message>
        <source>No keychain available</source>
        <translation>Aucun trousseau disponible</translation>
    </message>
    <message>
        <source>Tandem cannot reach the system keychain, so it keeps your sign-in for this session only. You will have to sign in again next time.</source>
        <translation>Tandem ne peut pas accéder au trousseau du système ; votre connexion n’est donc conservée que pour cette session. Vous devrez vous reconnecter la prochaine fois.</translation>
    </message>
    <message>
        <source>Tandem — %1 on %2</source>
        <translation>Tandem — %1 sur %2</translation>
    </message>
    <message>
        <source>Your session has expired or was signed out elsewhere. Please sign in again.</source>
        <translation>Votre session a expiré ou a été déconnectée ailleurs. Veuillez vous reconnecter.</translation>
    </message>
    <message>
        <source>Tandem</source>
        <translation>Tandem</translation>
    </message>
    <message>
        <source>Tandem cannot open its local data at %1:
%2</source>
        <translation>Tandem ne peut pas ouvrir ses données locales dans %1 :
%2</translation>
    </message>
</context>
<context>
    <name>tandem::chat::ChatClient</name>
    <message>
        <source>Could not join %1: %2</source>
        <translation>Impossible de rejoindre %1 : %2</translation>
    </message>
    <message>
        <source>Your message was not sent: %1</source>
        <translation>Votre message n’a pas été envoyé : %1</translation>
    </message>
    <message>
        <source>Your message could not be saved: %1</source>
        <translation>Votre message n’a pas pu être enregistré : %1</translation>
    </message>
    <message>
        <source>This message is being sent; edit it once it is delivered.</source>
        <translation>Ce message est en cours d’envoi ; modifiez-le une fois qu’il aura été distribué.</translation>
    </message>
    <message>
        <source>Your edit could not be saved: %1</source>
        <translation>Votre modification du message n’a pas pu être enregistrée : %1</translation>
    </message>
    <message>
        <source>This message is being sent; delete it once it is delivered.</source>
        <translation>Ce message est en cours d’envoi ; supprimez-le une fois qu’il aura été distribué.</translation>
    </message>
    <message>
        <source>Could not discard the message: %1</source>
        <translation>Impossible d’abandonner le message : %1</translation>
    </message>
    <message>
        <source>Could not retry: %1</source>
        <translation>Impossible de réessayer : %1</translation>
    </message>
    <message>
        <source>Your change could not be saved: %1</source>
        <translation>Votre modification n’a pas pu être enregistrée : %1</translation>
    </message>
    <message>
        <source>Your change was refused: %1</source>
        <translation>Votre modification a été refusée : %1</translation>
    </message>
</context>
<context>
    <name>tandem::chat::PresenceRoster</name>
    <message>
        <source>%1 is online</source>
        <translation>%1 est en ligne</translation>
    </message>
    <message>
        <source>%1 is away</source>
        <translation>%1 est absent</translation>
    </message>
    <message>
        <source>%1 is offline</source>
        <translation>%1 est hors ligne</translation>
    </message>
</context>
<context>
    <name>tandem::chat::RoomListModel</name>
    <message>
        <source>%1 (private)</source>
        <translation>%1 (privé)</translation>
    </message>
</context>
<context>
    <name>tandem::chat::TypingTracker</name>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 écrit…</translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <translation>%1 et %2 écrivent…</translation>
    </message>
    <message>
        <source>Several people are typing…</source>
        <translation>Plusieurs personnes écrivent…</translation>
    </message>
</context>
<context>
    <name>tandem::ui::CanvasTab</name>
    <message>
        <source>Select</source>
        <translation>Sélection</translation>
    </message>
    <message>
        <source>Select, move and resize shapes (V)</source>
        <translation>Sélectionner, déplacer et redimensionner des formes (V)</translation>
    </message>
    <message>
        <source>Pen</source>
        <translation>Crayon</translation>
    </message>
    <message>
        <source>Draw freehand (P)</source>
        <translation>Dessiner à main levée (P)</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Ligne</translation>
    </message>
    <message>
        <source>Draw a line (L)</source>
        <translation>Tracer une ligne (L)</translation>
    </message>
    <message>
        <source>Arrow</source>
        <translation>Flèche</translation>
    </message>
    <message>
        <source>Draw an arrow (A)</source>
        <translation>Tracer une flèche (A)</translation>
    </message>
    <message>
        <source>Rectangle</source>
        <translation>Rectangle</translation>
    </message>
    <message>
        <source>Draw a rectangle (R)</source>
        <translation>Dessiner un rectangle (R)</translation>
    </message>
    <message>
        <source>Ellipse</source>
        <translation>Ellipse</translation>
    </message>
    <message>
        <source>Draw an ellipse (E)</source>
        <translation>Dessiner une ellipse (E)</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Texte</translation>
    </message>
    <message>
        <source>Add a text box (T)</source>
        <translation>Ajouter une zone de texte (T)</translation>
    </message>
    <message>
        <source>Canvas tools</source>
        <translation>Outils du tableau</translation>
    </message>
    <message>
        <source>Stroke</source>
        <translation>Contour</translation>
    </message>
    <message>
        <source>Choose the outline colour of new and selected shapes</source>
        <translation>Choisir la couleur du contour des formes nouvelles et sélectionnées</translation>
    </message>
    <message>
        <source>Fill</source>
        <translation>Remplissage</translation>
    </message>
    <message>
        <source>Choose the fill colour of new and selected shapes</source>
        <translation>Choisir la couleur de remplissage des formes nouvelles et sélectionnées</translation>
    </message>
    <message>
        <source>No fill</source>
        <translation>Sans remplissage</translation>
    </message>
    <message>
        <source>Draw new and selected shapes without a fill</source>
        <translation>Dessiner les formes nouvelles et sélectionnées sans remplissage</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Stroke width</source>
        <translation>Épaisseur du contour</translation>
    </message>
    <message>
        <source>Outline width of new and selected shapes</source>
        <translation>Épaisseur du contour des formes nouvelles et sélectionnées</translation>
    </message>
    <message>
        <source>To front</source>
        <translation>Au premier plan</translation>
    </message>
    <message>
        <source>Bring the selected shapes to the front (Ctrl+])</source>
        <translation>Mettre les formes sélectionnées au premier plan (Ctrl+])</translation>
    </message>
    <message>
        <source>To back</source>
        <translation>À l’arrière-plan</translation>
    </message>
    <message>
        <source>Send the selected shapes to the back (Ctrl+[)</source>
        <translation>Mettre les formes sélectionnées à l’arrière-plan (Ctrl+[)</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Undo your last change (Ctrl+Z)</source>
        <translation>Annuler votre dernière modification (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Rétablir</translation>
    </message>
    <message>
        <source>Redo your last undone change (Ctrl+Shift+Z)</source>
        <translation>Rétablir votre dernière modification annulée (Ctrl+Maj+Z)</translation>
    </message>
    <message>
        <source>−</source>
        <translation>−</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+-)</source>
        <translation>Zoom arrière (Ctrl+-)</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Zoom arrière</translation>
    </message>
    <message>
        <source>Zoom level</source>
        <translation>Niveau de zoom</translation>
    </message>
    <message>
        <source>+</source>
        <translation>+</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl++)</source>
        <translation>Zoom avant (Ctrl++)</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Zoom avant</translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation>Taille réelle</translation>
    </message>
    <message>
        <source>Back to 100% at the origin (Ctrl+0)</source>
        <translation>Revenir à 100 % à l’origine (Ctrl+0)</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>Réinitialiser le zoom</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>Exporter en PNG…</translation>
    </message>
    <message>
        <source>Save the whole canvas as a PNG image</source>
        <translation>Enregistrer tout le tableau comme image PNG</translation>
    </message>
    <message>
        <source>Export SVG…</source>
        <translation>Exporter en SVG…</translation>
    </message>
    <message>
        <source>Save the whole canvas as an SVG drawing</source>
        <translation>Enregistrer tout le tableau comme dessin SVG</translation>
    </message>
    <message>
        <source>Stroke colour</source>
        <translation>Couleur du contour</translation>
    </message>
    <message>
        <source>Fill colour</source>
        <translation>Couleur de remplissage</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Could not encode the image.</source>
        <translation>Impossible d’encoder l’image.</translation>
    </message>
    <message>
        <source>Export canvas as PNG</source>
        <translation>Exporter le tableau en PNG</translation>
    </message>
    <message>
        <source>canvas.png</source>
        <translation>tableau.png</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Images PNG (*.png)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Échec de l’exportation</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>Impossible d’enregistrer %1 : %2</translation>
    </message>
    <message>
        <source>Export canvas as SVG</source>
        <translation>Exporter le tableau en SVG</translation>
    </message>
    <message>
        <source>canvas.svg</source>
        <translation>tableau.svg</translation>
    </message>
    <message>
        <source>SVG drawings (*.svg)</source>
        <translation>Dessins SVG (*.svg)</translation>
    </message>
</context>
<context>
    <name>tandem::ui::CanvasView</name>
    <message>
        <source>Canvas</source>
        <translation>Tableau</translation>
    </message>
    <message>
        <source>%1 (away)</source>
        <translation>%1 (absent)</translation>
    </message>
    <message>
        <source>Text box</source>
        <translation>Zone de texte</translation>
    </message>
</context>
<context>
    <name>tandem::ui::ChatView</name>
    <message>
        <source>No messages yet. Say hello!</source>
        <translation>Aucun message pour l’instant. Dites bonjour !</translation>
    </message>
    <message>
        <source>Join a room to start chatting</source>
        <translation>Rejoignez un salon pour discuter</translation>
    </message>
    <message>
        <source>Message #%1 (Enter sends, Shift+Enter for a new line)</source>
        <translation>Message dans #%1 (Entrée envoie, Maj+Entrée pour une nouvelle ligne)</translation>
    </message>
    <message>
        <source>Edit topic</source>
        <translation>Modifier le sujet</translation>
    </message>
    <message>
        <source>No topic</source>
        <translation>Aucun sujet</translation>
    </message>
    <message>
        <source>%1 (waiting to sync)</source>
        <translation>%1 (en attente de synchronisation)</translation>
    </message>
    <message>
        <source>Room topic</source>
        <translation>Sujet du salon</translation>
    </message>
    <message>
        <source>Topic of #%1:</source>
        <translation>Sujet de #%1 :</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Modifier…</translation>
    </message>
    <message>
        <source>Edit message</source>
        <translation>Modifier le message</translation>
    </message>
    <message>
        <source>Message:</source>
        <translation>Message :</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Abandonner</translation>
    </message>
</context>
<context>
    <name>tandem::ui::Composer</name>
    <message>
        <source>Write a message… (Enter sends, Shift+Enter for a new line)</source>
        <translation>Écrire un message… (Entrée envoie, Maj+Entrée pour une nouvelle ligne)</translation>
    </message>
</context>
<context>
    <name>tandem::ui::ConflictDialog</name>
    <message>
        <source>the topic of #%1</source>
        <translation>le sujet de #%1</translation>
    </message>
    <message>
        <source>the document title of #%1</source>
        <translation>le titre du document de #%1</translation>
    </message>
    <message>
        <source>a message in #%1</source>
        <translation>un message dans #%1</translation>
    </message>
    <message>
        <source>Resolve a conflict</source>
        <translation>Résoudre un conflit</translation>
    </message>
    <message>
        <source>(deleted)</source>
        <translation>(supprimé)</translation>
    </message>
    <message>
        <source>While you were changing %1, %2 changed it too. Choose what to keep.</source>
        <translation>Pendant que vous modifiiez %1, %2 l’a également modifié. Choisissez ce que vous souhaitez garder.</translation>
    </message>
    <message>
        <source>someone</source>
        <translation>quelqu’un</translation>
    </message>
    <message>
        <source>Before both changes</source>
        <translation>Avant les deux modifications</translation>
    </message>
    <message>
        <source>Theirs (%1)</source>
        <translation>L’autre version (%1)</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>Ma version</translation>
    </message>
    <message>
        <source>Or edit a merge of both:</source>
        <translation>Ou modifiez une fusion des deux :</translation>
    </message>
    <message>
        <source>Keep theirs</source>
        <translation>Garder l’autre version</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>Garder ma version</translation>
    </message>
    <message>
        <source>Use the merge</source>
        <translation>Utiliser la fusion</translation>
    </message>
</context>
<context>
    <name>tandem::ui::ConnectionSettingsDialog</name>
    <message>
        <source>Connection settings</source>
        <translation>Paramètres de connexion</translation>
    </message>
    <message>
        <source>Automatic (recommended)</source>
        <translation>Automatique (recommandé)</translation>
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
        <translation>Interrogation périodique</translation>
    </message>
    <message>
        <source>Automatic uses WebSocket where the network allows it and falls back to Server-Sent Events, then to polling, behind proxies that block it. A change reconnects at once.</source>
        <translation>Le mode automatique utilise WebSocket quand le réseau le permet et se rabat sur Server-Sent Events, puis sur l’interrogation périodique, derrière les proxys qui le bloquent. Tout changement entraîne une reconnexion immédiate.</translation>
    </message>
    <message>
        <source>&amp;Transport:</source>
        <translation>Mode de &amp;transport :</translation>
    </message>
</context>
<context>
    <name>tandem::ui::ConnectionStatusWidget</name>
    <message>
        <source>Retry now</source>
        <translation>Réessayer maintenant</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Non connecté</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>En ligne</translation>
    </message>
    <message>
        <source>Reconnecting</source>
        <translation>Reconnexion</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Hors ligne</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1 (attempt %2 of %3)</source>
        <translation>%1 (tentative %2 sur %3)</translation>
    </message>
    <message numerus="yes">
        <source>Retrying in %n s</source>
        <translation>
            <numerusform>Nouvel essai dans %n s</numerusform>
            <numerusform>Nouvel essai dans %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>You are offline. Tandem is reconnecting; messages you send now will not be delivered.</source>
        <translation>Vous êtes hors ligne. Tandem se reconnecte ; les messages envoyés maintenant ne seront pas distribués.</translation>
    </message>
    <message>
        <source>Your session has ended. Sign in again to continue.</source>
        <translation>Votre session est terminée. Reconnectez-vous pour continuer.</translation>
    </message>
    <message>
        <source>You are offline. Tandem stopped retrying; use “Retry now” when the network is back.</source>
        <translation>Vous êtes hors ligne. Tandem a cessé de réessayer ; utilisez « Réessayer maintenant » quand le réseau sera revenu.</translation>
    </message>
    <message>
        <source>You are offline.</source>
        <translation>Vous êtes hors ligne.</translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation>État : %1</translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>Dernière erreur : %1</translation>
    </message>
</context>
<context>
    <name>tandem::ui::DocumentEditor</name>
    <message>
        <source>Write together…</source>
        <translation>Écrivez ensemble…</translation>
    </message>
    <message>
        <source>someone</source>
        <translation>quelqu’un</translation>
    </message>
</context>
<context>
    <name>tandem::ui::DocumentTitleEdit</name>
    <message>
        <source>Untitled document</source>
        <translation>Document sans titre</translation>
    </message>
    <message>
        <source>waiting to sync</source>
        <translation>en attente de synchronisation</translation>
    </message>
</context>
<context>
    <name>tandem::ui::JoinRoomDialog</name>
    <message>
        <source>&amp;Private (only when the room is new)</source>
        <translation>&amp;Privé (seulement si le salon est nouveau)</translation>
    </message>
    <message>
        <source>Join or create a room</source>
        <translation>Rejoindre ou créer un salon</translation>
    </message>
    <message>
        <source>e.g. design-review</source>
        <translation>p. ex. revue-design</translation>
    </message>
    <message>
        <source>A room that does not exist yet is created, with you as its owner.</source>
        <translation>Un salon qui n’existe pas encore est créé, avec vous comme propriétaire.</translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation>&amp;Rejoindre</translation>
    </message>
    <message>
        <source>&amp;Room:</source>
        <translation>&amp;Salon :</translation>
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
        <translation>Discussion</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>Canvas</source>
        <translation>Tableau</translation>
    </message>
    <message>
        <source>Join or create a room (Ctrl+N)</source>
        <translation>Rejoindre ou créer un salon (Ctrl+N)</translation>
    </message>
    <message>
        <source>MEMBERS</source>
        <translation>MEMBRES</translation>
    </message>
    <message>
        <source>ROOMS</source>
        <translation>SALONS</translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation>&amp;Compte</translation>
    </message>
    <message>
        <source>Set yourself &amp;away</source>
        <translation>Se mettre &amp;absent</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>Se &amp;déconnecter</translation>
    </message>
    <message>
        <source>&amp;Rooms</source>
        <translation>&amp;Salons</translation>
    </message>
    <message>
        <source>&amp;Join or create a room…</source>
        <translation>&amp;Rejoindre ou créer un salon…</translation>
    </message>
    <message>
        <source>&amp;Next room</source>
        <translation>Salon &amp;suivant</translation>
    </message>
    <message>
        <source>&amp;Previous room</source>
        <translation>Salon &amp;précédent</translation>
    </message>
    <message>
        <source>&amp;Write a message</source>
        <translation>&amp;Écrire un message</translation>
    </message>
    <message>
        <source>MEMBERS OF #%1</source>
        <translation>MEMBRES DE #%1</translation>
    </message>
    <message>
        <source>#%1 — Tandem</source>
        <translation>#%1 — Tandem</translation>
    </message>
    <message>
        <source>%1 in #%2</source>
        <translation>%1 dans #%2</translation>
    </message>
    <message>
        <source>You are away</source>
        <translation>Vous êtes absent</translation>
    </message>
    <message>
        <source>You are online</source>
        <translation>Vous êtes en ligne</translation>
    </message>
    <message>
        <source>Show what is waiting to reach the server</source>
        <translation>Afficher ce qui attend d’être transmis au serveur</translation>
    </message>
    <message>
        <source>&amp;Connection settings…</source>
        <translation>Paramètres de &amp;connexion…</translation>
    </message>
    <message>
        <source>The document could not be saved locally: %1</source>
        <translation>Le document n’a pas pu être enregistré localement : %1</translation>
    </message>
    <message>
        <source>1 change waiting to sync</source>
        <translation>1 modification en attente de synchronisation</translation>
    </message>
    <message>
        <source>%1 changes waiting to sync</source>
        <translation>%1 modifications en attente de synchronisation</translation>
    </message>
</context>
<context>
    <name>tandem::ui::MessageDelegate</name>
    <message>
        <source>Today</source>
        <translation>Aujourd’hui</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Hier</translation>
    </message>
    <message>
        <source>sending…</source>
        <translation>envoi…</translation>
    </message>
    <message>
        <source>not sent</source>
        <translation>non envoyé</translation>
    </message>
    <message>
        <source>This message was deleted.</source>
        <translation>Ce message a été supprimé.</translation>
    </message>
    <message>
        <source>%1 (edited)</source>
        <translation>%1 (modifié)</translation>
    </message>
    <message>
        <source>syncing…</source>
        <translation>synchronisation…</translation>
    </message>
</context>
<context>
    <name>tandem::ui::SignInDialog</name>
    <message>
        <source>Sign in to Tandem</source>
        <translation>Se connecter à Tandem</translation>
    </message>
    <message>
        <source>http://127.0.0.1:7420</source>
        <translation>http://127.0.0.1:7420</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Serveur :</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>Nom d’&amp;utilisateur :</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe :</translation>
    </message>
</context>
<context>
    <name>tandem::ui::SyncDetailsDialog</name>
    <message>
        <source>Message in #%1: “%2”</source>
        <translation>Message dans #%1 : « %2 »</translation>
    </message>
    <message numerus="yes">
        <source>Drawing on the canvas of #%1 (%n change(s))</source>
        <translation>
            <numerusform>Dessin sur le tableau de #%1 (%n modification)</numerusform>
            <numerusform>Dessin sur le tableau de #%1 (%n modifications)</numerusform>
        </translation>
    </message>
    <message>
        <source>Topic of #%1: “%2”</source>
        <translation>Sujet de #%1 : « %2 »</translation>
    </message>
    <message>
        <source>Document title of #%1: “%2”</source>
        <translation>Titre du document de #%1 : « %2 »</translation>
    </message>
    <message>
        <source>Delete a message in #%1</source>
        <translation>Supprimer un message dans #%1</translation>
    </message>
    <message>
        <source>Edit a message in #%1: “%2”</source>
        <translation>Modifier un message dans #%1 : « %2 »</translation>
    </message>
    <message>
        <source>Changes waiting to sync</source>
        <translation>Modifications en attente de synchronisation</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Modification</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Raison</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Modifier…</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Abandonner</translation>
    </message>
    <message>
        <source>Resolve…</source>
        <translation>Résoudre…</translation>
    </message>
    <message>
        <source>Edit the change</source>
        <translation>Corriger la modification</translation>
    </message>
</context>
</TS>
