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
</context>
<context>
    <name>tandem::ui::Composer</name>
    <message>
        <source>Write a message… (Enter sends, Shift+Enter for a new line)</source>
        <translation>Écrire un message… (Entrée envoie, Maj+Entrée pour une nouvelle ligne)</translation>
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
        <source>Shared documents are coming soon.</source>
        <translation>Les documents partagés arrivent bientôt.</translation>
    </message>
    <message>
        <source>Canvas</source>
        <translation>Tableau</translation>
    </message>
    <message>
        <source>The shared canvas is coming soon.</source>
        <translation>Le tableau partagé arrive bientôt.</translation>
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
</TS>
