// ConflictResolver: what each policy decides for a change that met a newer
// version, the defaults per entity kind (topic asks, title is last-write-wins
// by HLC, a message edit reapplies over the author's own other device and asks
// over a moderator, a delete reapplies), overrides, and a custom merge that
// gets base, mine and theirs.

#include "core/offline/ConflictResolver.h"

#include <QTest>

using tandem::offline::ConflictDecision;
using tandem::offline::ConflictPolicy;
using tandem::offline::ConflictResolver;
using tandem::offline::HlcTimestamp;
using tandem::offline::Mutation;
using tandem::protocol::EntityKind;
using tandem::protocol::EntityState;
using Action = ConflictDecision::Action;

Q_DECLARE_METATYPE(tandem::offline::ConflictPolicy)
Q_DECLARE_METATYPE(tandem::offline::ConflictDecision::Action)

namespace {

const QString Me = QStringLiteral("ada");
const HlcTimestamp MyStamp{1'780'000'000'000, 5, 0xada};

Mutation mine(const QString &entity, const QJsonObject &patch)
{
    Mutation mutation;
    mutation.cid = QStringLiteral("c-1");
    mutation.roomId = QStringLiteral("general");
    mutation.entity = entity;
    mutation.type = QStringLiteral("entity:patch");
    mutation.baseVersion = 1;
    mutation.payload = {{QStringLiteral("patch"), patch}};
    mutation.baseValue = {{QStringLiteral("topic"), QStringLiteral("base")}};
    mutation.createdAt = MyStamp;
    return mutation;
}

EntityState theirs(const QString &entity, const QString &by, const QString &hlc)
{
    EntityState state;
    state.roomId = QStringLiteral("general");
    state.entity = entity;
    state.version = 2;
    state.value = {{QStringLiteral("topic"), QStringLiteral("theirs")}};
    state.updatedBy = by;
    state.hlc = hlc;
    return state;
}

QJsonObject topicPatch()
{
    return {{QStringLiteral("topic"), QStringLiteral("mine")}};
}
QJsonObject textPatch()
{
    return {{QStringLiteral("text"), QStringLiteral("mine")}};
}
QJsonObject deletePatch()
{
    return {{QStringLiteral("deleted"), true}};
}

QString stampText(qint64 wallMs, quint32 counter, quint64 nodeId)
{
    return HlcTimestamp{wallMs, counter, nodeId}.toString();
}

} // namespace

class TestConflictResolver : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaults_data();
    void defaults();
    void overrides_data();
    void overrides();
    void overrideAppliesToItsKindOnly();
    void customMergeGetsBaseMineAndTheirs();
    void customMergeWithoutAFunctionAsksTheUser();
    void setUserChangesWhoIsAModerator();
};

void TestConflictResolver::defaults_data()
{
    QTest::addColumn<QString>("entity");
    QTest::addColumn<QJsonObject>("patch");
    QTest::addColumn<QString>("theirBy");
    QTest::addColumn<QString>("theirHlc");
    QTest::addColumn<ConflictPolicy>("policy");
    QTest::addColumn<Action>("action");

    const QString later = stampText(MyStamp.wallMs + 1, 0, 0xb0b);
    const QString earlier = stampText(MyStamp.wallMs - 1, 99, 0xb0b);
    // Same wall time and counter: the node id breaks the tie, the same way everywhere.
    const QString tieHigherNode = stampText(MyStamp.wallMs, MyStamp.counter, 0xb0b);
    const QString tieLowerNode = stampText(MyStamp.wallMs, MyStamp.counter, 0x1);

    QTest::addRow("room topic asks, even over my own other device")
        << "room" << topicPatch() << Me << later << ConflictPolicy::AskUser << Action::AskUser;
    QTest::addRow("room topic asks over someone else")
        << "room" << topicPatch() << "bob" << earlier << ConflictPolicy::AskUser << Action::AskUser;
    QTest::addRow("document: theirs is later, mine is dropped")
        << "document" << QJsonObject{{QStringLiteral("title"), QStringLiteral("mine")}} << "bob" << later
        << ConflictPolicy::LastWriteWins << Action::DropMine;
    QTest::addRow("document: mine is later, reapplied")
        << "document" << QJsonObject{{QStringLiteral("title"), QStringLiteral("mine")}} << "bob" << earlier
        << ConflictPolicy::LastWriteWins << Action::Reapply;
    QTest::addRow("document: tie broken by node id, theirs higher")
        << "document" << QJsonObject{{QStringLiteral("title"), QStringLiteral("mine")}} << "bob"
        << tieHigherNode << ConflictPolicy::LastWriteWins << Action::DropMine;
    QTest::addRow("document: tie broken by node id, mine higher")
        << "document" << QJsonObject{{QStringLiteral("title"), QStringLiteral("mine")}} << "bob"
        << tieLowerNode << ConflictPolicy::LastWriteWins << Action::Reapply;
    QTest::addRow("document: theirs unstamped (REST), mine wins")
        << "document" << QJsonObject{{QStringLiteral("title"), QStringLiteral("mine")}} << "bob" << QString()
        << ConflictPolicy::LastWriteWins << Action::Reapply;
    QTest::addRow("document: theirs unreadable, counts as unstamped")
        << "document" << QJsonObject{{QStringLiteral("title"), QStringLiteral("mine")}} << "bob"
        << "not-a-stamp" << ConflictPolicy::LastWriteWins << Action::Reapply;
    QTest::addRow("message edit over my own other device: reapplied")
        << "message/m1" << textPatch() << Me << later << ConflictPolicy::ClientWins << Action::Reapply;
    QTest::addRow("message edit over a moderator: asks")
        << "message/m1" << textPatch() << "bob" << earlier << ConflictPolicy::AskUser << Action::AskUser;
    QTest::addRow("message delete over a moderator: reapplied")
        << "message/m1" << deletePatch() << "bob" << later << ConflictPolicy::ClientWins << Action::Reapply;
    QTest::addRow("message delete over my own edit: reapplied")
        << "message/m1" << deletePatch() << Me << later << ConflictPolicy::ClientWins << Action::Reapply;
    QTest::addRow("unknown entity: server wins")
        << "mystery" << topicPatch() << "bob" << earlier << ConflictPolicy::ServerWins << Action::DropMine;
}

void TestConflictResolver::defaults()
{
    QFETCH(QString, entity);
    QFETCH(QJsonObject, patch);
    QFETCH(QString, theirBy);
    QFETCH(QString, theirHlc);
    QFETCH(ConflictPolicy, policy);
    QFETCH(Action, action);

    const ConflictResolver resolver(Me);
    const Mutation change = mine(entity, patch);
    const EntityState current = theirs(entity, theirBy, theirHlc);
    QCOMPARE(resolver.policyFor(change, current), policy);
    const ConflictDecision decision = resolver.decide(change, current);
    QCOMPARE(decision.action, action);
    // A reapply sends my own patch again; nothing else carries a patch.
    QCOMPARE(decision.patch, action == Action::Reapply ? patch : QJsonObject());
}

void TestConflictResolver::overrides_data()
{
    QTest::addColumn<ConflictPolicy>("policy");
    QTest::addColumn<QString>("theirHlc");
    QTest::addColumn<Action>("action");

    const QString later = stampText(MyStamp.wallMs + 1000, 0, 0xb0b);
    const QString earlier = stampText(MyStamp.wallMs - 1000, 0, 0xb0b);
    QTest::addRow("server wins") << ConflictPolicy::ServerWins << earlier << Action::DropMine;
    QTest::addRow("client wins") << ConflictPolicy::ClientWins << later << Action::Reapply;
    QTest::addRow("last write wins, mine later")
        << ConflictPolicy::LastWriteWins << earlier << Action::Reapply;
    QTest::addRow("last write wins, theirs later")
        << ConflictPolicy::LastWriteWins << later << Action::DropMine;
    QTest::addRow("ask user") << ConflictPolicy::AskUser << earlier << Action::AskUser;
}

void TestConflictResolver::overrides()
{
    QFETCH(ConflictPolicy, policy);
    QFETCH(QString, theirHlc);
    QFETCH(Action, action);

    ConflictResolver resolver(Me);
    for (const EntityKind kind : {EntityKind::Room, EntityKind::Document, EntityKind::Message})
        resolver.setPolicy(kind, policy);
    for (const QString &entity :
         {QStringLiteral("room"), QStringLiteral("document"), QStringLiteral("message/m1")}) {
        const QJsonObject patch = entity == QLatin1String("message/m1") ? textPatch() : topicPatch();
        // Whoever changed it: an override replaces the author/moderator rule too.
        for (const QString &by : {Me, QStringLiteral("bob")}) {
            const Mutation change = mine(entity, patch);
            const EntityState current = theirs(entity, by, theirHlc);
            QCOMPARE(resolver.policyFor(change, current), policy);
            const ConflictDecision decision = resolver.decide(change, current);
            QCOMPARE(decision.action, action);
            QCOMPARE(decision.patch, action == Action::Reapply ? patch : QJsonObject());
        }
    }
}

void TestConflictResolver::overrideAppliesToItsKindOnly()
{
    ConflictResolver resolver(Me);
    resolver.setPolicy(EntityKind::Room, ConflictPolicy::ServerWins);
    const QString later = stampText(MyStamp.wallMs + 1, 0, 0xb0b);
    QCOMPARE(resolver.policyFor(mine(QStringLiteral("room"), topicPatch()),
                                theirs(QStringLiteral("room"), "bob", later)),
             ConflictPolicy::ServerWins);
    QCOMPARE(resolver.policyFor(mine(QStringLiteral("document"), topicPatch()),
                                theirs(QStringLiteral("document"), "bob", later)),
             ConflictPolicy::LastWriteWins);
    QCOMPARE(resolver.policyFor(mine(QStringLiteral("message/m1"), textPatch()),
                                theirs(QStringLiteral("message/m1"), "bob", later)),
             ConflictPolicy::AskUser);
    // A later override replaces the earlier one.
    resolver.setPolicy(EntityKind::Room, ConflictPolicy::ClientWins);
    QCOMPARE(
        resolver
            .decide(mine(QStringLiteral("room"), topicPatch()), theirs(QStringLiteral("room"), "bob", later))
            .action,
        Action::Reapply);
}

void TestConflictResolver::customMergeGetsBaseMineAndTheirs()
{
    ConflictResolver resolver(Me);
    QList<QJsonObject> calls;
    resolver.setPolicy(EntityKind::Room, ConflictPolicy::CustomMerge,
                       [&](const QJsonObject &base, const QJsonObject &minePatch, const QJsonObject &their) {
                           calls << base << minePatch << their;
                           return QJsonObject{{QStringLiteral("topic"),
                                               their.value(QLatin1String("topic")).toString() +
                                                   QStringLiteral(" + ") +
                                                   minePatch.value(QLatin1String("topic")).toString()}};
                       });
    const Mutation change = mine(QStringLiteral("room"), topicPatch());
    const EntityState current = theirs(QStringLiteral("room"), QStringLiteral("bob"), {});
    QCOMPARE(resolver.policyFor(change, current), ConflictPolicy::CustomMerge);
    const ConflictDecision decision = resolver.decide(change, current);
    QCOMPARE(decision.action, Action::Reapply);
    QCOMPARE(decision.patch, (QJsonObject{{QStringLiteral("topic"), QStringLiteral("theirs + mine")}}));
    QCOMPARE(calls.size(), 3);
    QCOMPARE(calls.at(0), change.baseValue);
    QCOMPARE(calls.at(1), topicPatch());
    QCOMPARE(calls.at(2), current.value);
}

void TestConflictResolver::customMergeWithoutAFunctionAsksTheUser()
{
    ConflictResolver resolver(Me);
    resolver.setPolicy(EntityKind::Document, ConflictPolicy::CustomMerge);
    const Mutation change =
        mine(QStringLiteral("document"), {{QStringLiteral("title"), QStringLiteral("x")}});
    const EntityState current = theirs(QStringLiteral("document"), QStringLiteral("bob"), {});
    QCOMPARE(resolver.policyFor(change, current), ConflictPolicy::CustomMerge);
    QCOMPARE(resolver.decide(change, current).action, Action::AskUser);
}

void TestConflictResolver::setUserChangesWhoIsAModerator()
{
    ConflictResolver resolver; // before sign-in nobody is "me"
    const Mutation edit = mine(QStringLiteral("message/m1"), textPatch());
    const EntityState byAda = theirs(QStringLiteral("message/m1"), Me, {});
    QCOMPARE(resolver.policyFor(edit, byAda), ConflictPolicy::AskUser);
    resolver.setUser(Me);
    QCOMPARE(resolver.policyFor(edit, byAda), ConflictPolicy::ClientWins);
    resolver.setUser(QStringLiteral("bob"));
    QCOMPARE(resolver.policyFor(edit, byAda), ConflictPolicy::AskUser);
}

QTEST_GUILESS_MAIN(TestConflictResolver)
#include "tst_conflictresolver.moc"
