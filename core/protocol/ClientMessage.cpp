#include "core/protocol/ClientMessage.h"

#include "core/protocol/MessageType.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>
#include <functional>

namespace tandem::protocol {
namespace {

// The largest integer a JavaScript peer can represent exactly.
constexpr double MaxSafeInteger = 9007199254740991.0;

/// Reads typed fields out of a payload, remembering the first problem so each
/// decoder below reads as a plain list of fields.
class PayloadReader {
public:
    explicit PayloadReader(const QJsonObject &payload)
        : m_payload(payload)
    {}

    QString requiredString(const char *name)
    {
        const QJsonValue value = m_payload.value(QLatin1String(name));
        if (value.isUndefined())
            return failWith(QStringLiteral("missing field '%1'").arg(QLatin1String(name))), QString();
        if (!value.isString())
            return failWith(QStringLiteral("field '%1' must be a string").arg(QLatin1String(name))),
                   QString();
        return value.toString();
    }

    QString requiredRoomId()
    {
        QString roomId = requiredString("roomId");
        if (ok() && !isValidRoomId(roomId))
            failWith(QStringLiteral("field 'roomId' must match [A-Za-z0-9][A-Za-z0-9._-]{0,63}"));
        return roomId;
    }

    std::optional<qint64> optionalInteger(const char *name, qint64 minimum, qint64 maximum)
    {
        const QJsonValue value = m_payload.value(QLatin1String(name));
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        const double number = value.toDouble(std::nan(""));
        if (!value.isDouble() || std::trunc(number) != number || std::abs(number) > MaxSafeInteger) {
            failWith(QStringLiteral("field '%1' must be an integer").arg(QLatin1String(name)));
            return std::nullopt;
        }
        const auto integer = static_cast<qint64>(number);
        if (integer < minimum || integer > maximum) {
            failWith(QStringLiteral("field '%1' must be between %2 and %3")
                         .arg(QLatin1String(name))
                         .arg(minimum)
                         .arg(maximum));
            return std::nullopt;
        }
        return integer;
    }

    qint64 requiredInteger(const char *name, qint64 minimum, qint64 maximum)
    {
        if (m_payload.value(QLatin1String(name)).isUndefined()) {
            failWith(QStringLiteral("missing field '%1'").arg(QLatin1String(name)));
            return 0;
        }
        return optionalInteger(name, minimum, maximum).value_or(0);
    }

    QString optionalString(const char *name, int maxLength)
    {
        const QJsonValue value = m_payload.value(QLatin1String(name));
        if (value.isUndefined() || value.isNull())
            return {};
        if (!value.isString() || value.toString().size() > maxLength)
            failWith(QStringLiteral("field '%1' must be a string of at most %2 characters")
                         .arg(QLatin1String(name))
                         .arg(maxLength));
        return value.toString();
    }

    QJsonArray requiredArray(const char *name)
    {
        const QJsonValue value = m_payload.value(QLatin1String(name));
        if (!value.isArray())
            failWith(QStringLiteral("field '%1' must be an array").arg(QLatin1String(name)));
        return value.toArray();
    }

    QJsonObject requiredObject(const char *name)
    {
        const QJsonValue value = m_payload.value(QLatin1String(name));
        if (!value.isObject())
            failWith(QStringLiteral("field '%1' must be an object").arg(QLatin1String(name)));
        return value.toObject();
    }

    double requiredFiniteNumber(const char *name)
    {
        const QJsonValue value = m_payload.value(QLatin1String(name));
        if (!value.isDouble() || !std::isfinite(value.toDouble()) || std::abs(value.toDouble()) > 1e9) {
            failWith(QStringLiteral("field '%1' must be a number of magnitude at most 1e9")
                         .arg(QLatin1String(name)));
            return 0;
        }
        return value.toDouble();
    }

    bool optionalBool(const char *name, bool fallback)
    {
        const QJsonValue value = m_payload.value(QLatin1String(name));
        if (value.isUndefined() || value.isNull())
            return fallback;
        if (!value.isBool())
            return failWith(QStringLiteral("field '%1' must be a boolean").arg(QLatin1String(name))),
                   fallback;
        return value.toBool();
    }

    void failWith(Error error)
    {
        if (!m_error)
            m_error = std::move(error);
    }
    void failWith(QString message) { failWith(Error{ErrorCode::BadRequest, std::move(message)}); }
    bool ok() const { return !m_error.has_value(); }
    const Error &error() const { return *m_error; }

private:
    const QJsonObject &m_payload;
    std::optional<Error> m_error;
};

using PayloadDecoder = std::function<ClientRequest(PayloadReader &, const DecodeLimits &)>;

struct TypeEntry {
    QLatin1StringView type;
    PayloadDecoder decode;
};

ClientRequest decodeChatSend(PayloadReader &reader, const DecodeLimits &limits)
{
    ChatSendRequest request;
    request.roomId = reader.requiredRoomId();
    request.text = reader.requiredString("text");
    if (reader.ok() && request.text.trimmed().isEmpty())
        reader.failWith(QStringLiteral("field 'text' must not be empty"));
    if (reader.ok() && request.text.size() > limits.maxTextLength)
        reader.failWith(Error{ErrorCode::TooLarge, QStringLiteral("text is %1 UTF-16 units; the limit is %2")
                                                       .arg(request.text.size())
                                                       .arg(limits.maxTextLength)});
    return request;
}

ClientRequest decodePresenceSet(PayloadReader &reader, const DecodeLimits &)
{
    const QString status = reader.requiredString("status");
    if (!reader.ok())
        return PresenceSetRequest{};
    if (status == QLatin1String("online"))
        return PresenceSetRequest{PresenceStatus::Online};
    if (status == QLatin1String("away"))
        return PresenceSetRequest{PresenceStatus::Away};
    reader.failWith(QStringLiteral("field 'status' must be \"online\" or \"away\""));
    return PresenceSetRequest{};
}

ClientRequest decodeEntityPatch(PayloadReader &reader, const DecodeLimits &limits)
{
    EntityPatchRequest request;
    request.roomId = reader.requiredRoomId();
    const QString entity = reader.requiredString("entity");
    request.baseVersion = reader.requiredInteger("baseVersion", 0, static_cast<qint64>(MaxSafeInteger));
    request.patch = reader.requiredObject("patch");
    request.hlc = reader.optionalString("hlc", MaxHlcLength);
    if (!reader.ok())
        return request;
    if (const std::optional<EntityKey> key = EntityKey::parse(entity)) {
        request.entity = *key;
        if (const Result<void> valid = validateEntityPatch(*key, request.patch, limits.maxTextLength); !valid)
            reader.failWith(valid.error());
    } else {
        reader.failWith(QStringLiteral("field 'entity' must be \"room\", \"document\" or \"message/<id>\""));
    }
    return request;
}

ClientRequest decodeCanvasOp(PayloadReader &reader, const DecodeLimits &)
{
    CanvasOpRequest request;
    request.roomId = reader.requiredRoomId();
    request.ops = reader.requiredArray("ops");
    if (!reader.ok())
        return request;
    if (request.ops.isEmpty() || request.ops.size() > CanvasOpRequest::MaxOps) {
        reader.failWith(Error{request.ops.isEmpty() ? ErrorCode::BadRequest : ErrorCode::TooLarge,
                              QStringLiteral("field 'ops' holds %1 operations; it must hold 1 to %2")
                                  .arg(request.ops.size())
                                  .arg(CanvasOpRequest::MaxOps)});
        return request;
    }
    for (const QJsonValue &op : std::as_const(request.ops)) {
        if (!op.isObject()) {
            reader.failWith(QStringLiteral("field 'ops' must hold objects only"));
            break;
        }
    }
    return request;
}

ClientRequest decodeDocOpen(PayloadReader &reader, const DecodeLimits &)
{
    DocOpenRequest request;
    request.roomId = reader.requiredRoomId();
    const QString encoding = reader.optionalString("encoding", 16);
    if (encoding == QLatin1String("base64"))
        request.encoding = DocumentEncoding::Base64;
    else if (!encoding.isEmpty() && encoding != QLatin1String("binary"))
        reader.failWith(QStringLiteral("field 'encoding' must be \"binary\" or \"base64\""));
    return request;
}

ClientRequest decodeDocMessage(PayloadReader &reader, const DecodeLimits &)
{
    DocMessageRequest request;
    request.roomId = reader.requiredRoomId();
    const QString data = reader.requiredString("data");
    if (!reader.ok())
        return request;
    // toLatin1() would turn a non-Latin-1 character into '?', which base64 refuses anyway.
    auto decoded = QByteArray::fromBase64Encoding(data.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        reader.failWith(QStringLiteral("field 'data' must be a non-empty y-websocket message in base64"));
    else
        request.data = std::move(decoded.decoded);
    return request;
}

const std::vector<TypeEntry> &typeTable()
{
    static const std::vector<TypeEntry> table{
        {MessageType::Auth,
         [](PayloadReader &reader, const DecodeLimits &) {
             return ClientRequest{AuthRequest{reader.requiredString("token")}};
         }},
        {MessageType::RoomJoin,
         [](PayloadReader &reader, const DecodeLimits &) {
             RoomJoinRequest request;
             request.roomId = reader.requiredRoomId();
             request.since = reader.optionalInteger("since", 0, static_cast<qint64>(MaxSafeInteger));
             request.isPrivate = reader.optionalBool("private", false);
             return ClientRequest{request};
         }},
        {MessageType::RoomLeave,
         [](PayloadReader &reader, const DecodeLimits &) {
             return ClientRequest{RoomLeaveRequest{reader.requiredRoomId()}};
         }},
        {MessageType::RoomList,
         [](PayloadReader &, const DecodeLimits &) {
             return ClientRequest{RoomListRequest{}};
         }},
        {MessageType::ChatSend, decodeChatSend},
        {MessageType::TypingStart,
         [](PayloadReader &reader, const DecodeLimits &) {
             return ClientRequest{TypingRequest{reader.requiredRoomId(), true}};
         }},
        {MessageType::TypingStop,
         [](PayloadReader &reader, const DecodeLimits &) {
             return ClientRequest{TypingRequest{reader.requiredRoomId(), false}};
         }},
        {MessageType::PresenceSet, decodePresenceSet},
        {MessageType::HistoryFetch,
         [](PayloadReader &reader, const DecodeLimits &limits) {
             HistoryFetchRequest request;
             request.roomId = reader.requiredRoomId();
             request.before = reader.optionalInteger("before", 1, static_cast<qint64>(MaxSafeInteger));
             request.limit = static_cast<int>(
                 reader.optionalInteger("limit", 1, limits.maxHistoryPage).value_or(request.limit));
             return ClientRequest{request};
         }},
        {MessageType::Ping,
         [](PayloadReader &, const DecodeLimits &) {
             return ClientRequest{PingRequest{}};
         }},
        {MessageType::CursorMove,
         [](PayloadReader &reader, const DecodeLimits &) {
             CursorMoveRequest request;
             request.roomId = reader.requiredRoomId();
             request.x = reader.requiredFiniteNumber("x");
             request.y = reader.requiredFiniteNumber("y");
             return ClientRequest{request};
         }},
        {MessageType::EntityPatch, decodeEntityPatch},
        {MessageType::DocOpen, decodeDocOpen},
        {MessageType::DocClose,
         [](PayloadReader &reader, const DecodeLimits &) {
             return ClientRequest{DocCloseRequest{reader.requiredRoomId()}};
         }},
        {MessageType::DocMessage, decodeDocMessage},
        {MessageType::CanvasOp, decodeCanvasOp},
        {MessageType::CanvasSync,
         [](PayloadReader &reader, const DecodeLimits &) {
             CanvasSyncRequest request;
             request.roomId = reader.requiredRoomId();
             request.since = reader.optionalInteger("since", 0, static_cast<qint64>(MaxSafeInteger));
             return ClientRequest{request};
         }},
    };
    return table;
}

Unexpected<DecodeError> decodeFailure(ErrorCode code, QString message, QString ref)
{
    return {DecodeError{Error{code, std::move(message)}, std::move(ref)}};
}

} // namespace

QString presenceName(PresenceStatus status)
{
    switch (status) {
    case PresenceStatus::Online:
        return QStringLiteral("online");
    case PresenceStatus::Away:
        return QStringLiteral("away");
    case PresenceStatus::Offline:
        return QStringLiteral("offline");
    }
    return QStringLiteral("offline");
}

bool isValidRoomId(const QString &roomId)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    return pattern.match(roomId).hasMatch();
}

bool isValidClientKey(const QString &key)
{
    if (key.isEmpty() || key.size() > 128)
        return false;
    for (const QChar c : key) {
        if (c.unicode() < 0x21 || c.unicode() > 0x7e)
            return false;
    }
    return true;
}

Expected<ClientMessage, DecodeError> decodeClientMessage(const QByteArray &utf8Json,
                                                         const DecodeLimits &limits)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(utf8Json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return decodeFailure(ErrorCode::BadRequest,
                             QStringLiteral("invalid JSON at offset %1: %2")
                                 .arg(parseError.offset)
                                 .arg(parseError.errorString()),
                             {});
    if (!document.isObject())
        return decodeFailure(ErrorCode::BadRequest, QStringLiteral("a message must be a JSON object"), {});

    const QJsonObject object = document.object();
    ClientMessage message;

    const QJsonValue id = object.value(QLatin1String("id"));
    if (!id.isUndefined()) {
        if (!id.isString() || !isValidClientKey(id.toString()))
            return decodeFailure(ErrorCode::BadRequest,
                                 QStringLiteral("field 'id' must be 1-128 printable ASCII characters"), {});
        message.id = id.toString();
    }

    const QJsonValue type = object.value(QLatin1String("type"));
    if (!type.isString())
        return decodeFailure(ErrorCode::BadRequest,
                             type.isUndefined() ? QStringLiteral("missing field 'type'")
                                                : QStringLiteral("field 'type' must be a string"),
                             message.id);
    message.type = type.toString();
    const QString ref = message.id.isEmpty() ? message.type.left(64) : message.id;

    const QJsonValue version = object.value(QLatin1String("v"));
    if (!version.isUndefined() && version.toDouble(-1) != ProtocolVersion)
        return decodeFailure(ErrorCode::UnsupportedVersion,
                             QStringLiteral("this server speaks protocol version %1").arg(ProtocolVersion),
                             ref);

    const QJsonValue cid = object.value(QLatin1String("cid"));
    if (!cid.isUndefined()) {
        if (!cid.isString() || !isValidClientKey(cid.toString()))
            return decodeFailure(ErrorCode::BadRequest,
                                 QStringLiteral("field 'cid' must be 1-128 printable ASCII characters"), ref);
        message.cid = cid.toString();
    }

    const QJsonValue payload = object.value(QLatin1String("payload"));
    if (!payload.isUndefined() && !payload.isObject())
        return decodeFailure(ErrorCode::BadRequest, QStringLiteral("field 'payload' must be an object"), ref);
    const QJsonObject payloadObject = payload.toObject();

    for (const TypeEntry &entry : typeTable()) {
        if (entry.type != message.type)
            continue;
        PayloadReader reader(payloadObject);
        message.request = entry.decode(reader, limits);
        if (!reader.ok())
            return Unexpected<DecodeError>{DecodeError{reader.error(), ref}};
        // A change without a cid could be applied twice by a retry.
        const bool isMutation = std::holds_alternative<EntityPatchRequest>(message.request) ||
                                std::holds_alternative<CanvasOpRequest>(message.request);
        if (isMutation && message.cid.isEmpty())
            return decodeFailure(ErrorCode::BadRequest, QStringLiteral("%1 needs a 'cid'").arg(message.type),
                                 ref);
        return message;
    }
    return decodeFailure(ErrorCode::BadRequest,
                         QStringLiteral("unknown message type '%1'").arg(message.type.left(64)), ref);
}

} // namespace tandem::protocol
