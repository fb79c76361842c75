#pragma once
// Every `type` of protocol v1. Namespaced "area:verb"; the strings are wire
// format. See docs/PROTOCOL.md for each payload.

#include <QLatin1StringView>

namespace tandem::protocol {

inline constexpr int ProtocolVersion = 1;

namespace MessageType {
// client -> server
inline constexpr QLatin1StringView Auth{"auth"};
inline constexpr QLatin1StringView RoomJoin{"room:join"};
inline constexpr QLatin1StringView RoomLeave{"room:leave"};
inline constexpr QLatin1StringView RoomList{"room:list"};
inline constexpr QLatin1StringView ChatSend{"chat:send"};
inline constexpr QLatin1StringView TypingStart{"typing:start"};
inline constexpr QLatin1StringView TypingStop{"typing:stop"};
inline constexpr QLatin1StringView PresenceSet{"presence:set"};
inline constexpr QLatin1StringView HistoryFetch{"history:fetch"};
inline constexpr QLatin1StringView EntityPatch{"entity:patch"};
inline constexpr QLatin1StringView Ping{"ping"};
inline constexpr QLatin1StringView DocOpen{"doc:open"};
inline constexpr QLatin1StringView DocClose{"doc:close"};
inline constexpr QLatin1StringView CanvasOp{"canvas:op"};
inline constexpr QLatin1StringView CanvasSync{"canvas:sync"};
// both directions: relayed to the room with the sender's userId added
inline constexpr QLatin1StringView CursorMove{"cursor:move"};
// both directions: one y-websocket message for a room's document, in base64
inline constexpr QLatin1StringView DocMessage{"doc:message"};

// server -> client
inline constexpr QLatin1StringView AuthOk{"auth:ok"};
inline constexpr QLatin1StringView RoomJoined{"room:joined"};
inline constexpr QLatin1StringView RoomLeft{"room:left"};
inline constexpr QLatin1StringView RoomListResult{"room:list"};
inline constexpr QLatin1StringView ChatMessage{"chat:message"};
inline constexpr QLatin1StringView TypingUpdate{"typing:update"};
inline constexpr QLatin1StringView PresenceUpdate{"presence:update"};
inline constexpr QLatin1StringView DocPatch{"doc:patch"};
inline constexpr QLatin1StringView DocClosed{"doc:closed"};
inline constexpr QLatin1StringView HistoryPage{"history:page"};
inline constexpr QLatin1StringView EntityChanged{"entity:changed"};
inline constexpr QLatin1StringView CanvasChanged{"canvas:changed"};
inline constexpr QLatin1StringView CanvasState{"canvas:state"};
inline constexpr QLatin1StringView CanvasSynced{"canvas:synced"};
inline constexpr QLatin1StringView Ack{"ack"};
inline constexpr QLatin1StringView Error{"error"};
inline constexpr QLatin1StringView Pong{"pong"};
} // namespace MessageType

} // namespace tandem::protocol
