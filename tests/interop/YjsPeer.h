#pragma once
// Drives tests/interop/yjs-peer.mjs, a real `yjs` under Node, as a child
// process: one JSON command per line out, one JSON reply per line back.

#include <QByteArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>

class YjsPeer {
public:
    /// Starts Node on the peer script in `interopDir`; check started().
    explicit YjsPeer(const QString &interopDir);
    ~YjsPeer();

    bool started() const { return m_started; }
    QString lastError() const { return m_lastError; }

    /// Sends `command` and returns the reply ({"ok":false,...} on failure,
    /// including a peer that dies or does not answer within 30 s).
    QJsonObject call(const QJsonObject &command);

    // Convenience wrappers; `doc` numbers the JS docs inside the peer.
    bool newDoc(int doc, quint64 client);
    bool insert(int doc, qsizetype index, const QString &text);
    bool remove(int doc, qsizetype index, qsizetype length);
    bool apply(int doc, const QByteArray &update);
    QList<QByteArray> drain(int doc);
    QString text(int doc);
    QByteArray stateVector(int doc);
    QByteArray diff(int doc, const QByteArray &stateVector);

private:
    QProcess m_node;
    bool m_started = false;
    QString m_lastError;
};
