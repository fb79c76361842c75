#include "YjsPeer.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>

YjsPeer::YjsPeer(const QString &interopDir)
{
    m_node.setWorkingDirectory(interopDir);
    m_node.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_node.start(QStringLiteral("node"), {QStringLiteral("yjs-peer.mjs")});
    m_started = m_node.waitForStarted(10000);
    if (!m_started)
        m_lastError = m_node.errorString();
}

YjsPeer::~YjsPeer()
{
    if (m_node.state() != QProcess::NotRunning) {
        m_node.closeWriteChannel(); // the peer exits when its stdin closes
        if (!m_node.waitForFinished(5000))
            m_node.kill();
    }
}

QJsonObject YjsPeer::call(const QJsonObject &command)
{
    m_node.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
    const QDeadlineTimer deadline(30000);
    while (!m_node.canReadLine()) {
        if (m_node.state() == QProcess::NotRunning || deadline.hasExpired() ||
            !m_node.waitForReadyRead(int(deadline.remainingTime()))) {
            if (!m_node.canReadLine()) {
                m_lastError = QStringLiteral("no reply from the Node peer");
                return QJsonObject{{QStringLiteral("ok"), false}, {QStringLiteral("error"), m_lastError}};
            }
        }
    }
    const QJsonObject reply = QJsonDocument::fromJson(m_node.readLine()).object();
    if (!reply.value(QStringLiteral("ok")).toBool())
        m_lastError = reply.value(QStringLiteral("error")).toString();
    return reply;
}

namespace {

QString base64(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toBase64());
}
QByteArray unbase64(const QJsonValue &value)
{
    return QByteArray::fromBase64(value.toString().toLatin1());
}

} // namespace

bool YjsPeer::newDoc(int doc, quint64 client)
{
    return call({{QStringLiteral("cmd"), QStringLiteral("new")},
                 {QStringLiteral("doc"), doc},
                 {QStringLiteral("client"), double(client)}})
        .value(QStringLiteral("ok"))
        .toBool();
}

bool YjsPeer::insert(int doc, qsizetype index, const QString &text)
{
    return call({{QStringLiteral("cmd"), QStringLiteral("insert")},
                 {QStringLiteral("doc"), doc},
                 {QStringLiteral("index"), double(index)},
                 {QStringLiteral("text"), text}})
        .value(QStringLiteral("ok"))
        .toBool();
}

bool YjsPeer::remove(int doc, qsizetype index, qsizetype length)
{
    return call({{QStringLiteral("cmd"), QStringLiteral("delete")},
                 {QStringLiteral("doc"), doc},
                 {QStringLiteral("index"), double(index)},
                 {QStringLiteral("length"), double(length)}})
        .value(QStringLiteral("ok"))
        .toBool();
}

bool YjsPeer::apply(int doc, const QByteArray &update)
{
    return call({{QStringLiteral("cmd"), QStringLiteral("apply")},
                 {QStringLiteral("doc"), doc},
                 {QStringLiteral("update"), base64(update)}})
        .value(QStringLiteral("ok"))
        .toBool();
}

QList<QByteArray> YjsPeer::drain(int doc)
{
    QList<QByteArray> updates;
    const QJsonObject reply =
        call({{QStringLiteral("cmd"), QStringLiteral("drain")}, {QStringLiteral("doc"), doc}});
    for (const QJsonValue &update : reply.value(QStringLiteral("updates")).toArray())
        updates.append(unbase64(update));
    return updates;
}

QString YjsPeer::text(int doc)
{
    const QJsonObject reply =
        call({{QStringLiteral("cmd"), QStringLiteral("text")}, {QStringLiteral("doc"), doc}});
    const QByteArray utf16 = unbase64(reply.value(QStringLiteral("utf16")));
    return QString(reinterpret_cast<const QChar *>(utf16.constData()), utf16.size() / 2);
}

QByteArray YjsPeer::stateVector(int doc)
{
    return unbase64(call({{QStringLiteral("cmd"), QStringLiteral("sv")}, {QStringLiteral("doc"), doc}})
                        .value(QStringLiteral("sv")));
}

QByteArray YjsPeer::diff(int doc, const QByteArray &stateVector)
{
    return unbase64(call({{QStringLiteral("cmd"), QStringLiteral("diff")},
                          {QStringLiteral("doc"), doc},
                          {QStringLiteral("sv"), base64(stateVector)}})
                        .value(QStringLiteral("update")));
}
