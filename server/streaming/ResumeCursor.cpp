#include "server/streaming/ResumeCursor.h"

#include "core/protocol/ClientMessage.h"

namespace tandem::server::streaming {

namespace {
constexpr QChar Separator = u'~';
constexpr qint64 MaxSafeInteger = (qint64(1) << 53) - 1;

bool isSessionId(QStringView text)
{
    if (text.isEmpty() || text.size() > 64)
        return false;
    for (const QChar c : text) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'-' && c != u'_')
            return false;
    }
    return true;
}

std::optional<qint64> parseCount(QStringView text)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < 0 || value > MaxSafeInteger || text.startsWith(u'+'))
        return std::nullopt;
    return value;
}
} // namespace

QString ResumeCursor::format(const QString &sessionId, qint64 position, const QString &roomsPart)
{
    return QStringLiteral("1~") + sessionId + Separator + QString::number(position) + Separator + roomsPart;
}

QString ResumeCursor::formatRooms(const QMap<QString, qint64> &rooms)
{
    QString out;
    for (auto it = rooms.cbegin(); it != rooms.cend(); ++it) {
        if (!out.isEmpty())
            out += u',';
        out += it.key() + u':' + QString::number(it.value());
    }
    return out;
}

std::optional<ResumeCursor> ResumeCursor::parse(const QString &text)
{
    const QList<QStringView> parts = QStringView(text).split(Separator);
    if (parts.size() != 4 || parts[0] != u"1" || !isSessionId(parts[1]))
        return std::nullopt;
    ResumeCursor cursor;
    cursor.sessionId = parts[1].toString();
    const auto position = parseCount(parts[2]);
    if (!position)
        return std::nullopt;
    cursor.position = *position;
    if (parts[3].isEmpty())
        return cursor;
    const QList<QStringView> rooms = parts[3].split(u',');
    if (rooms.size() > MaxRooms)
        return std::nullopt;
    for (const QStringView room : rooms) {
        const qsizetype colon = room.lastIndexOf(u':');
        if (colon <= 0)
            return std::nullopt;
        const QString roomId = room.left(colon).toString();
        const auto seq = parseCount(room.mid(colon + 1));
        if (!seq || !protocol::isValidRoomId(roomId) || cursor.rooms.contains(roomId))
            return std::nullopt;
        cursor.rooms.insert(roomId, *seq);
    }
    return cursor;
}

} // namespace tandem::server::streaming
