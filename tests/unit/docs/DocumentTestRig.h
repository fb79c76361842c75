#pragma once
// A test rig for documents without a network: DocumentSessions on real
// Sessions over fake transports, a fake server that plays the reference
// y-websocket server over the Session's document frames (step 1 on doc:open,
// step 2 for a step 1, every update and awareness change to every open
// client, the sender included), one manual clock for everyone.

#include "core/client/ManualTimerSource.h"
#include "core/client/Session.h"
#include "core/crdt/Lib0Decoder.h"
#include "core/crdt/Lib0Encoder.h"
#include "core/crdt/SyncProtocol.h"
#include "core/docs/DocumentSession.h"
#include "core/docs/UserColor.h"
#include "core/offline/LocalStore.h"
#include "tests/unit/core/client/FakeTransport.h"

#include <QTemporaryDir>
#include <QTest>

namespace tandem::test::docrig {

using tandem::client::ManualTimerSource;
using tandem::client::Session;
using tandem::client::SessionEnvironment;
using tandem::client::test::FakeTransport;
using tandem::docs::DocumentSession;

const QString Room = QStringLiteral("general");

struct Client {
    Client(const QString &id, ManualClock &sharedClock, ManualTimerSource &sharedTimers,
           const QString &storePath)
        : userId(id)
        , clock(sharedClock)
        , timers(sharedTimers)
        , store(std::make_unique<offline::LocalStore>(storePath))
    {
        auto fake = std::make_unique<FakeTransport>();
        transport = fake.get();
        SessionEnvironment environment;
        environment.clock = &clock;
        environment.timers = &timers;
        environment.transport = std::move(fake);
        environment.random = [] {
            return 0.0;
        };
        session = std::make_unique<Session>(QUrl(QStringLiteral("ws://fake/ws")), QStringLiteral("t"),
                                            client::SessionOptions{}, std::move(environment));
        if (!store->open())
            qFatal("cannot open the store");
        openDocument();
    }
    void openDocument()
    {
        document = std::make_unique<DocumentSession>(*session, Room, store.get(), clock, timers);
        document->setUser(userId, docs::userColorName(userId));
        document->open();
    }
    void connect()
    {
        if (!transport->isActive())
            session->connectToServer();
        transport->accept();
        transport->deliver({{QStringLiteral("type"), QStringLiteral("auth:ok")},
                            {QStringLiteral("payload"), QJsonObject{{QStringLiteral("userId"), userId}}}});
    }
    QString text() { return document->text().toString(); }

    QString userId;
    ManualClock &clock;
    ManualTimerSource &timers;
    std::unique_ptr<offline::LocalStore> store;
    FakeTransport *transport = nullptr;
    std::unique_ptr<Session> session;
    std::unique_ptr<DocumentSession> document;
    qsizetype jsonSeen = 0;
    qsizetype binarySeen = 0;
};

/// The server's side of the document: one doc and one awareness, fan-out to
/// every client that has it open.
class FakeServer {
public:
    FakeServer()
        : awareness(doc.clientId())
    {
        QObject::connect(&doc, &crdt::Doc::updated, [this](const QByteArray &update, crdt::Origin, bool) {
            broadcast(crdt::websocket::syncUpdate(update));
        });
    }

    /// Delivers what the clients sent until nobody has anything more to say.
    void pump(const QList<Client *> &clients)
    {
        for (bool progress = true; progress;) {
            progress = false;
            for (Client *client : clients) {
                while (client->jsonSeen < client->transport->sent.size()) {
                    progress = true;
                    handleJson(client, client->transport->sent.at(client->jsonSeen++));
                }
                while (client->binarySeen < client->transport->sentBinary.size()) {
                    progress = true;
                    handleBinary(client, client->transport->sentBinary.at(client->binarySeen++));
                }
            }
        }
    }

    void dropped(Client *client) { open.removeAll(client); }

    crdt::Doc doc;
    crdt::Awareness awareness;
    QList<Client *> open;

private:
    static void deliver(Client *client, const QByteArray &message)
    {
        client->transport->deliverBinary(Session::encodeDocumentFrame(Room, message));
    }
    void broadcast(const QByteArray &message)
    {
        for (Client *client : QList<Client *>(open))
            deliver(client, message);
    }
    void handleJson(Client *client, const QJsonObject &message)
    {
        const QString type = message.value(QLatin1String("type")).toString();
        if (type == QLatin1String("ping")) {
            client->transport->deliver({{QStringLiteral("type"), QStringLiteral("pong")}});
        } else if (type == QLatin1String("doc:open")) {
            open.append(client);
            deliver(client, crdt::websocket::syncStep1(doc));
            if (awareness.states().size() > 1)
                deliver(client,
                        crdt::websocket::awareness(awareness.encodeUpdate(awareness.states().keys())));
        } else if (type == QLatin1String("doc:close")) {
            open.removeAll(client);
        }
    }
    void handleBinary(Client *client, const QByteArray &frame)
    {
        const auto decoded = Session::decodeDocumentFrame(frame);
        QVERIFY(decoded);
        QCOMPARE(decoded->first, Room);
        crdt::Lib0Decoder decoder(decoded->second);
        const auto type = decoder.readVarUint();
        if (type == 0) {
            crdt::Lib0Encoder reply;
            reply.writeVarUint(0);
            const auto read = crdt::sync::readMessage(decoder, reply, doc, crdt::Origin(client));
            QVERIFY(read);
            if (*read == crdt::sync::MessageType::Step1)
                deliver(client, reply.data());
        } else if (type == 1) {
            const QByteArray update = decoder.readVarUint8Array();
            QVERIFY(awareness.applyUpdate(update, crdt::Origin(client)));
            broadcast(decoded->second);
        }
    }
};

struct Fixture {
    ManualClock clock;
    ManualTimerSource timers{clock};
    QTemporaryDir dir;
    FakeServer server;
    std::unique_ptr<Client> ada;
    std::unique_ptr<Client> bob;

    Fixture()
    {
        ada = std::make_unique<Client>(QStringLiteral("ada"), clock, timers,
                                       dir.filePath(QStringLiteral("ada.db")));
        bob = std::make_unique<Client>(QStringLiteral("bob"), clock, timers,
                                       dir.filePath(QStringLiteral("bob.db")));
    }
    QList<Client *> clients() { return {ada.get(), bob.get()}; }
    /// Lets the flush timers fire and the server answer, until quiet.
    void settle()
    {
        for (int round = 0; round < 4; ++round) {
            server.pump(clients());
            timers.advance(DocumentSession::kFlushIntervalMs);
        }
        server.pump(clients());
    }
    void goOffline(Client &client)
    {
        server.dropped(&client);
        client.transport->drop(1006);
    }
    void comeBack(Client &client)
    {
        timers.advance(60 * 1000); // past any backoff
        client.connect();
        settle();
    }
};

} // namespace tandem::test::docrig
