"""The gateway websocket: HELLO, IDENTIFY/READY, RESUME with replay, heartbeats, compression.

Sessions outlive connections as on Discord: events dispatched while the client is away are kept
with their sequence numbers and replayed when it RESUMEs.
"""

from __future__ import annotations

import asyncio
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from aiohttp import WSMsgType, web

from tests.fake_discord.journal import Journal
from tests.fake_discord.payloads import JSON, PRIVILEGED_INTENTS, Intent
from tests.fake_discord.world import World

try:
    import zstandard
except ImportError:  # discord.py then asks for zlib-stream, which needs nothing extra
    zstandard = None

# Close codes after which Discord lets nobody resume (docs: Gateway Close Event Codes).
AUTHENTICATION_FAILED = 4004
DISALLOWED_INTENTS = 4014

# Event -> (intent needed in a guild, intent needed in a DM); events not listed always arrive.
EVENT_INTENTS: dict[str, tuple[int, int]] = {
    "MESSAGE_CREATE": (Intent.GUILD_MESSAGES, Intent.DIRECT_MESSAGES),
    "MESSAGE_UPDATE": (Intent.GUILD_MESSAGES, Intent.DIRECT_MESSAGES),
    "MESSAGE_DELETE": (Intent.GUILD_MESSAGES, Intent.DIRECT_MESSAGES),
    "MESSAGE_REACTION_ADD": (Intent.GUILD_MESSAGE_REACTIONS, Intent.DIRECT_MESSAGE_REACTIONS),
    "MESSAGE_REACTION_REMOVE": (Intent.GUILD_MESSAGE_REACTIONS, Intent.DIRECT_MESSAGE_REACTIONS),
    "THREAD_CREATE": (Intent.GUILDS, Intent.GUILDS),
    "GUILD_ROLE_UPDATE": (Intent.GUILDS, Intent.GUILDS),
}
# Without MESSAGE_CONTENT these arrive blanked (docs: Message Content Intent).
CONTENT_FIELDS = {"content": "", "embeds": [], "attachments": [], "components": []}


class Op(IntEnum):
    DISPATCH = 0
    HEARTBEAT = 1
    IDENTIFY = 2
    PRESENCE_UPDATE = 3
    RESUME = 6
    RECONNECT = 7
    REQUEST_GUILD_MEMBERS = 8
    INVALID_SESSION = 9
    HELLO = 10
    HEARTBEAT_ACK = 11


@dataclass(frozen=True)
class Received:
    """One payload the client sent us."""

    op: int
    d: Any

    def __str__(self) -> str:
        name = Op(self.op).name if self.op in iter(Op) else str(self.op)
        return f"op {name}"


def _compressor(kind: str | None) -> Callable[[bytes], bytes] | None:
    """One context per connection, flushed per message, as each transport-compression needs."""
    if kind == "zlib-stream":
        context = zlib.compressobj()
        return lambda data: context.compress(data) + context.flush(zlib.Z_SYNC_FLUSH)
    if kind == "zstd-stream" and zstandard is not None:
        stream = zstandard.ZstdCompressor().compressobj()
        return lambda data: stream.compress(data) + stream.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)
    return None


class Connection:
    """A websocket and its compression context; sends are serialised to keep the stream valid."""

    def __init__(self, ws: web.WebSocketResponse, compression: str | None) -> None:
        self.ws = ws
        self._compress = _compressor(compression)
        self._lock = asyncio.Lock()

    async def send(self, payload: JSON) -> None:
        data = json.dumps(payload, separators=(",", ":"))
        async with self._lock:
            if self.ws.closed:
                return
            if self._compress is None:
                await self.ws.send_str(data)
            else:
                await self.ws.send_bytes(self._compress(data.encode()))


class Session:
    """A gateway session: its sequence, its event log (for RESUME) and its current connection."""

    def __init__(self, session_id: str, intents: int) -> None:
        self.id = session_id
        self.intents = intents
        self.resumable = True
        self.connection: Connection | None = None
        self._sequence = 0
        self._log: list[JSON] = []
        self._lock = asyncio.Lock()

    async def dispatch(self, event: str, data: JSON) -> None:
        async with self._lock:
            await self._emit(event, data)

    async def _emit(self, event: str, data: JSON) -> None:
        self._sequence += 1
        payload = {"op": Op.DISPATCH, "t": event, "s": self._sequence, "d": data}
        self._log.append(payload)
        if self.connection is not None:
            await self.connection.send(payload)

    async def resume(self, connection: Connection, after: int) -> None:
        async with self._lock:
            for payload in self._log:
                if payload["s"] > after:
                    await connection.send(payload)
            self.connection = connection
            await self._emit("RESUMED", {})


class Gateway:
    def __init__(self, world: World, *, heartbeat_interval_ms: int) -> None:
        self.world = world
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.url = ""
        self.sessions: dict[str, Session] = {}
        self.received: Journal[Received] = Journal()

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        connection = Connection(ws, request.query.get("compress"))
        session: Session | None = None
        await connection.send(
            {
                "op": Op.HELLO,
                "d": {"heartbeat_interval": self.heartbeat_interval_ms},
                "s": None,
                "t": None,
            }
        )
        try:
            async for message in ws:
                if message.type is not WSMsgType.TEXT:
                    continue
                frame = json.loads(message.data)
                received = Received(frame["op"], frame.get("d"))
                self.received.append(received)
                session = await self._answer(connection, session, received) or session
        finally:
            if session is not None and session.connection is connection:
                session.connection = None
                # A client that closes with 1000/1001 ends its session (docs: Resuming).
                if ws.close_code in (1000, 1001):
                    session.resumable = False
        return ws

    async def _answer(
        self, connection: Connection, session: Session | None, received: Received
    ) -> Session | None:
        if received.op == Op.HEARTBEAT:
            await connection.send({"op": Op.HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif received.op == Op.IDENTIFY:
            return await self._identify(connection, received.d)
        elif received.op == Op.RESUME:
            return await self._resume(connection, received.d)
        elif received.op == Op.REQUEST_GUILD_MEMBERS and session is not None:
            await session.dispatch("GUILD_MEMBERS_CHUNK", self._members_chunk(received.d))
        return None

    async def _identify(self, connection: Connection, identify: JSON) -> Session | None:
        if identify.get("token") != self.world.token:
            await connection.ws.close(code=AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return None
        intents = int(identify.get("intents", 0))
        if intents & PRIVILEGED_INTENTS & ~self.world.privileged_intents:
            await connection.ws.close(code=DISALLOWED_INTENTS, message=b"Disallowed intent(s).")
            return None
        session = Session(self.world.new_id(), intents)
        self.sessions[session.id] = session
        session.connection = connection
        await session.dispatch("READY", self._ready(session))
        for guild in self.world.guilds:
            await session.dispatch("GUILD_CREATE", self.world.guild_create(guild))
        return session

    def _ready(self, session: Session) -> JSON:
        return {
            "v": 10,
            "user": self.world.bot_user,
            "guilds": [{"id": guild.id, "unavailable": True} for guild in self.world.guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.url,
            "application": {
                "id": self.world.application_id,
                "flags": self.world.application_flags(),
            },
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "user_settings": {},
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "auth": {},
        }

    async def _resume(self, connection: Connection, resume: JSON) -> Session | None:
        session = self.sessions.get(resume.get("session_id", ""))
        if session is None or not session.resumable or resume.get("token") != self.world.token:
            await connection.send({"op": Op.INVALID_SESSION, "d": False, "s": None, "t": None})
            return None
        await session.resume(connection, after=resume.get("seq") or 0)
        return session

    def _members_chunk(self, request: JSON) -> JSON:
        guild_id = str(request["guild_id"])
        return {
            "guild_id": guild_id,
            "members": [m for (gid, _), m in self.world.members.items() if gid == guild_id],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
            "nonce": request.get("nonce"),
        }

    def live_sessions(self) -> list[Session]:
        return [session for session in self.sessions.values() if session.resumable]

    async def dispatch(self, event: str, data: JSON) -> None:
        """Send an event to every live session, shaped by that session's intents."""
        for session in self.live_sessions():
            visible = self._as_seen_by(session, event, data)
            if visible is not None:
                await session.dispatch(event, visible)

    def _as_seen_by(self, session: Session, event: str, data: JSON) -> JSON | None:
        in_guild = "guild_id" in data
        guild_intent, dm_intent = EVENT_INTENTS.get(event, (0, 0))
        if (
            not session.intents & (guild_intent if in_guild else dm_intent)
            and event in EVENT_INTENTS
        ):
            return None
        if (
            event not in ("MESSAGE_CREATE", "MESSAGE_UPDATE")
            or session.intents & Intent.MESSAGE_CONTENT
        ):
            return data
        bot_id = self.world.bot_user["id"]
        mentioned = any(user["id"] == bot_id for user in data.get("mentions", []))
        if not in_guild or data.get("author", {}).get("id") == bot_id or mentioned:
            return data
        blanked = {key: value for key, value in data.items() if key != "poll"}
        return {**blanked, **CONTENT_FIELDS}

    async def drop_connection(self, code: int = 4000) -> None:
        """Close every live connection with a resumable code; the session stays resumable."""
        for session in self.live_sessions():
            if session.connection is not None:
                connection, session.connection = session.connection, None
                await connection.ws.close(code=code, message=b"dropped by the fake")

    async def invalidate_session(self, *, resumable: bool = False) -> None:
        """Send op 9; with resumable=False the client must IDENTIFY again (new READY)."""
        for session in self.live_sessions():
            session.resumable = resumable
            if session.connection is not None:
                await session.connection.send(
                    {"op": Op.INVALID_SESSION, "d": resumable, "s": None, "t": None}
                )

    async def close(self) -> None:
        for session in self.sessions.values():
            if session.connection is not None:
                await session.connection.ws.close(code=1001, message=b"fake shutting down")
