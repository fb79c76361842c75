#pragma once
// Decoding and validation of client -> server messages. Anything that reaches
// the hub has passed through decodeClientMessage(), so the hub never sees a
// missing field, a wrong type or an over-long text.

#include "core/protocol/Entity.h"
#include "core/protocol/ErrorCode.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <variant>

namespace tandem::protocol {

enum class PresenceStatus { Online, Away, Offline };
QString presenceName(PresenceStatus status);

struct AuthRequest {
    QString token;
};
struct RoomJoinRequest {
    QString roomId;
    std::optional<qint64> since; ///< last seq the client applied; replay after it
    bool isPrivate = false;      ///< only used when the join creates the room
};
struct RoomLeaveRequest {
    QString roomId;
};
struct RoomListRequest {};
struct ChatSendRequest {
    QString roomId;
    QString text;
};
struct TypingRequest {
    QString roomId;
    bool typing = false;
};
struct PresenceSetRequest {
    PresenceStatus status = PresenceStatus::Online;
};
struct HistoryFetchRequest {
    QString roomId;
    std::optional<qint64> before; ///< newest page when absent
    int limit = 50;
};
struct PingRequest {};
/// A live cursor position in room (canvas) coordinates; relayed, never stored.
struct CursorMoveRequest {
    QString roomId;
    double x = 0;
    double y = 0;
};

/// A change to a versioned entity (Entity.h); needs a cid, like every mutation.
struct EntityPatchRequest {
    QString roomId;
    EntityKey entity;
    qint64 baseVersion = 0; ///< the version the change was made on
    QJsonObject patch;      ///< validated by validateEntityPatch()
    QString hlc;            ///< optional: when the change was made, for last-write-wins
};

/// Changes to the room's canvas (docs/CANVAS.md): CanvasOp JSON objects, which
/// the server validates with core/canvas. Needs a cid, like every mutation.
struct CanvasOpRequest {
    static constexpr qsizetype MaxOps = 256;
    QString roomId;
    QJsonArray ops; ///< 1..MaxOps objects
};

/// Asks for the room's canvas: the changes after `since` (the seq a
/// canvas:synced reported before), or the whole state. Answered with
/// canvas:state pieces, then canvas:synced.
struct CanvasSyncRequest {
    QString roomId;
    std::optional<qint64> since;
};

/// How the server sends a document's frames to this connection (docs/PROTOCOL.md, "Documents").
enum class DocumentEncoding { Binary, Base64 };

/// Opens the room's collaborative document on this connection.
struct DocOpenRequest {
    QString roomId;
    DocumentEncoding encoding = DocumentEncoding::Binary;
};
struct DocCloseRequest {
    QString roomId;
};
/// One y-websocket message for the room's document, decoded from base64.
struct DocMessageRequest {
    QString roomId;
    QByteArray data;
};

using ClientRequest = std::variant<AuthRequest, RoomJoinRequest, RoomLeaveRequest, RoomListRequest,
                                   ChatSendRequest, TypingRequest, PresenceSetRequest, HistoryFetchRequest,
                                   PingRequest, CursorMoveRequest, EntityPatchRequest, DocOpenRequest,
                                   DocCloseRequest, DocMessageRequest, CanvasOpRequest, CanvasSyncRequest>;

struct ClientMessage {
    QString id;   ///< optional client envelope id; echoed as `ref`
    QString cid;  ///< optional idempotency key for mutations
    QString type; ///< the wire type, e.g. "chat:send"
    ClientRequest request;
};

struct DecodeLimits {
    int maxTextLength = 10000; ///< UTF-16 units, as JavaScript counts them
    int maxHistoryPage = 200;
};

/// What failed and which message it was: `ref` is the client's `id` when it
/// sent one, else its `type`, else empty.
struct DecodeError {
    Error error;
    QString ref;
};

Expected<ClientMessage, DecodeError> decodeClientMessage(const QByteArray &utf8Json,
                                                         const DecodeLimits &limits = {});

/// Room ids are short, URL-safe names: [A-Za-z0-9][A-Za-z0-9._-]{0,63}.
bool isValidRoomId(const QString &roomId);
/// Client ids (`id`, `cid`) are 1..128 printable ASCII characters.
bool isValidClientKey(const QString &key);

} // namespace tandem::protocol
