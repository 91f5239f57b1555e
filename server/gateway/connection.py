"""One WebSocket session: authenticate, then dispatch commands to services.

A domain error becomes an error frame and the socket stays open; protocol
abuse (binary frames, invalid UTF-8, oversize frames) closes it with the
matching close code. Nothing here decides a rule.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import structlog
from aiohttp import WSMsgType, web

from ..domain.access import can_read_room
from ..domain.errors import DomainError, InvalidInput, Unauthenticated, Unavailable
from ..domain.flow import Phase, TurnEnd
from ..domain.model import Account
from ..domain.sequencing import ResumeKind
from ..services.circle import fresh_client_id
from ..services.rooms import AccessCache, RoomAccess
from .codec import decode_frame, encode, ref_of
from .outbox import Outbox, text_frame
from .protocol import (
    AlertAck,
    Approve,
    Auth,
    CheckinAnswer,
    CheckinClose,
    CheckinOpen,
    CloseCode,
    Command,
    Delete,
    Edit,
    History,
    Join,
    Leave,
    Mute,
    Pin,
    Ping,
    React,
    Reject,
    Remove,
    RemoveMember,
    Report,
    RoomSettings,
    RoundEnd,
    RoundStart,
    Send,
    SetPhase,
    Support,
    Turn,
    Typing,
)

if TYPE_CHECKING:
    from ..context import Services

log = structlog.get_logger(__name__)
_MAX_BAD_FRAMES = 20
# (socket, signed-in account, command) -> the reply, if any.
Handler = Callable[["Connection", Account, Any], Awaitable[dict[str, Any] | None]]


@dataclass(eq=False)
class RoomCursor:
    member_id: str
    seq: int = 0
    visit_id: str | None = None
    live: bool = False
    pending: list[tuple[int, str]] = field(default_factory=list)


class Connection:
    """The hub's ``Subscriber`` for one socket."""

    def __init__(
        self,
        ws: web.WebSocketResponse,
        services: Services,
        transport: asyncio.Transport | None = None,
    ) -> None:
        self.ws = ws
        # The socket's own transport, for writes that need no flow control.
        self._transport = transport
        self.services = services
        self.hub = services.hub
        self.registry = services.registry
        self.account: Account | None = None
        self.member_ids: set[str] = set()
        self.program_ids: set[str] = set()
        self.staff_program_ids: set[str] = set()
        self.rooms: dict[str, RoomCursor] = {}
        self.access = AccessCache()
        limits = services.settings.limits
        self.outbox = Outbox(
            ws.send_str,
            limits.outbox_max_frames,
            self._overflow,
            self._write_now if transport is not None else None,
        )
        self._bad_frames = 0
        # Set while no command is being handled; shutdown waits for it (acks).
        self.idle = asyncio.Event()
        self.idle.set()
        # Set at shutdown: commands already running finish, new ones are refused.
        self.draining = False
        self._closing: asyncio.Task[None] | None = None

    # the hub's Subscriber protocol -------------------------------------------
    def deliver(self, room_id: str, seq: int, frame: str) -> None:
        cursor = self.rooms.get(room_id)
        if cursor is None:
            return
        if not cursor.live:
            cursor.pending.append((seq, frame))
            return
        if seq <= cursor.seq:
            return
        cursor.seq = seq
        self.outbox.push(frame)

    def deliver_ephemeral(self, room_id: str, frame: str, sender: str | None) -> None:
        cursor = self.rooms.get(room_id)
        if cursor is not None and cursor.live and sender != cursor.member_id:
            self.outbox.push(frame)

    # lifecycle ------------------------------------------------------------------
    def send(self, frame: dict[str, Any]) -> None:
        self.outbox.push(encode(frame))

    def _write_now(self, frame: str) -> bool:
        """Write ``frame`` straight to a socket that keeps up: open, with nothing
        buffered. Anything else goes through the outbox's writer task."""
        transport = self._transport
        if (
            transport is None
            or self.ws.closed
            or transport.is_closing()
            or transport.get_write_buffer_size()
        ):
            return False
        transport.write(text_frame(frame))
        return True

    def _overflow(self) -> None:
        """The client stopped reading: drop it hard, it can't read a close frame."""
        log.info("socket_too_slow")
        self.services.metrics.slow_consumers.inc()
        # Kept referenced: an unreferenced task may be collected mid-close.
        self._closing = asyncio.get_running_loop().create_task(
            self.close(CloseCode.TOO_SLOW, "too slow")
        )

    async def close(self, code: int, reason: str) -> None:
        """Close with ``code``; a peer that doesn't take the close frame within a
        second (it stopped reading) has its connection cut."""
        try:
            await asyncio.wait_for(self.ws.close(code=code, message=reason.encode()), 1.0)
        except Exception:
            # aiohttp marks the socket closed before the frame is out, and
            # transport.close() would wait for a reader that never comes.
            transport = self.ws._req.transport if self.ws._req is not None else None
            if transport is not None:
                sock = transport.get_extra_info("socket")
                if sock is not None:
                    # Reset instead of a FIN queued behind data the peer will
                    # never read: frees the kernel buffers and the peer at once.
                    with contextlib.suppress(OSError):
                        sock.setsockopt(
                            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                        )
                transport.abort()

    async def run(self) -> None:
        self.outbox.start()
        try:
            if await self._authenticate():
                self.registry.add(self)
                await self._loop()
        finally:
            self.registry.discard(self)
            for room_id in list(self.rooms):
                await self._leave(room_id)
            await self.outbox.close()

    async def _authenticate(self) -> bool:
        deadline = self.services.settings.auth.socket_auth_deadline_s
        try:
            msg = await self.ws.receive(timeout=deadline)
        except TimeoutError:
            await self.close(CloseCode.AUTH_FAILED, "auth timeout")
            return False
        if msg.type is not WSMsgType.TEXT:
            await self.close(CloseCode.AUTH_FAILED, "auth required")
            return False
        try:
            frame = self._decode(msg.data)
            if not isinstance(frame, Auth):
                raise Unauthenticated("Send an auth frame first.", code="auth_required")
            self.account = await self.services.identity.authenticate(frame.token)
            memberships = await self.services.directory.memberships(self.account.id)
        except DomainError as exc:
            self.send({"type": "error", **exc.to_dict()})
            await self.outbox.flush(1.0)
            await self.close(CloseCode.AUTH_FAILED, exc.code)
            return False
        live = [m for m in memberships if m.status.has_access]
        self.member_ids = {m.id for m in live}
        self.program_ids = {m.program_id for m in live}
        self.staff_program_ids = {m.program_id for m in live if m.is_staff}
        ready = {
            "type": "ready",
            "memberships": [{"program_id": m.program_id, **m.public_view()} for m in live],
        }
        self.send(with_echo(ready, frame.ref))
        return True

    async def _loop(self) -> None:
        async for msg in self.ws:
            if msg.type is WSMsgType.TEXT:
                await self._handle_text(msg.data)
            elif msg.type is WSMsgType.BINARY:
                await self.close(CloseCode.PROTOCOL, "text frames only")
                return
            elif msg.type is WSMsgType.ERROR:
                return

    async def _handle_text(self, text: str) -> None:
        self.idle.clear()
        try:
            await self._handle_command(text)
        finally:
            self.idle.set()

    async def _handle_command(self, text: str) -> None:
        assert self.account is not None
        ref: str | None = None
        client_id: str | None = None
        try:
            try:
                command = self._decode(text)
            except InvalidInput:
                # Only frames the codec cannot read count toward the limit;
                # an empty or too-long message is an ordinary mistake.
                self._bad_frames += 1
                ref = ref_of(text)  # parsed again only on this rare path
                raise
            ref = command.ref
            client_id = getattr(command, "client_id", None)
            if self.draining:
                raise Unavailable(
                    "This server is restarting. Reconnect and send again — nothing is lost.",
                    code="server_restarting",
                )
            await self.services.limiter.check("frame", self.account.id)
            reply = await self._dispatch(command)
            if reply is not None:
                self.send(with_echo(reply, ref))
        except DomainError as exc:
            self.services.metrics.errors.labels(code=exc.code).inc()
            self.send(with_echo({"type": "error", **exc.to_dict()}, ref, client_id))
            if self._bad_frames > _MAX_BAD_FRAMES:
                await self.close(CloseCode.PROTOCOL, "too many bad frames")
        except Exception:
            # A bug must not take the socket (or the circle) down with it.
            log.exception("command_failed")
            self.services.metrics.errors.labels(code="internal").inc()
            error = {
                "type": "error",
                "code": "internal",
                "message": "Something went wrong on our side. If you were sending, "
                "it's safe to retry.",
            }
            self.send(with_echo(error, ref, client_id))

    def _decode(self, text: str) -> Auth | Command:
        limits = self.services.settings.limits
        return decode_frame(text, max_bytes=limits.frame_max_bytes, max_depth=limits.json_max_depth)

    async def _dispatch(self, command: Auth | Command) -> dict[str, Any] | None:
        assert self.account is not None
        handler = _HANDLERS.get(type(command))
        if handler is None:
            raise InvalidInput("You're already signed in on this socket.", code="already_authed")
        started = asyncio.get_running_loop().time()
        try:
            return await handler(self, self.account, command)
        finally:
            self.services.metrics.command_seconds.labels(command=command.type).observe(
                asyncio.get_running_loop().time() - started
            )

    async def _join(self, cmd: Join) -> None:
        assert self.account is not None
        rooms = self.services.rooms
        access = await rooms.access(self.account, cmd.room_id, self.access)
        # Memberships added after sign-in count too (removal closes the socket).
        self.member_ids.add(access.member.id)
        self.program_ids.add(access.program.id)
        if access.member.is_staff:
            self.staff_program_ids.add(access.program.id)
        if cmd.room_id in self.rooms:
            await self._leave(cmd.room_id)
        cursor = RoomCursor(member_id=access.member.id)
        self.rooms[cmd.room_id] = cursor
        replay: list[tuple[int, str]] = []
        try:
            await self.hub.attach(self, cmd.room_id, access.member.id)
            # The room's head as this instance follows it saves a storage read
            # (a scan on nx-27017) per join; a client that saw further (on
            # another instance) gets the stored head, so it isn't told to reload.
            head = self.hub.local_head(cmd.room_id)
            if head is None or (cmd.after is not None and cmd.after > head):
                head = await rooms.head(cmd.room_id)
            resume = "fresh"
            if cmd.after is not None:
                plan = rooms.plan_resume(cmd.after, head)
                resume = plan.kind.value
                if plan.kind is ResumeKind.REPLAY:
                    replay = await rooms.render_range(cmd.room_id, cmd.after, head)
            members = await self.services.directory.program_members(access.room.program_id)
            # Only who can be in this room: staff rooms list staff, a support
            # room its participant and the staff.
            members = [
                m
                for m in members
                if can_read_room(m, access.room) and m.id not in access.state.removed
            ]
            online = await self.hub.online_everywhere(cmd.room_id)
            pending = (
                await rooms.pending_for(access)
                if access.state.premoderation or access.member.is_staff
                else []
            )
        except BaseException:
            await self._leave(cmd.room_id)
            raise
        reply = {
            "type": "joined",
            "room_id": cmd.room_id,
            "head": head,
            "resume": resume,
            "members": [m.public_view() for m in members if m.status.has_access],
            "online": sorted(online),
            "state": access.state.public_view(access.room.locked),
            # Held messages: one's own (shown as pending), or every one for staff.
            "pending": pending,
        }
        if cmd.ref is not None:
            reply["ref"] = cmd.ref
        # The reply first, so a client learns the head before any event.
        self.send(reply)
        cursor.seq = head
        for _seq, frame in replay:
            self.outbox.push(frame)
        for seq, frame in cursor.pending:
            if seq > cursor.seq:
                cursor.seq = seq
                self.outbox.push(frame)
        cursor.pending.clear()
        cursor.live = True
        with contextlib.suppress(DomainError):
            cursor.visit_id = await self.services.attendance.arrived(access.member, access.room)
        await self.hub.publish_ephemeral(
            cmd.room_id,
            encode(
                {
                    "type": "presence",
                    "room_id": cmd.room_id,
                    "member_id": access.member.id,
                    "online": True,
                }
            ),
            access.member.id,
        )
        return None

    async def program_changed(self, program_id: str) -> None:
        """A program's rules changed: re-check each joined room of it now, and
        leave (telling the client why) those this socket may no longer read."""
        assert self.account is not None
        self.access.clear()
        self.send({"type": "program_changed", "program_id": program_id})
        for room_id in list(self.rooms):
            try:
                await self.services.rooms.access(self.account, room_id, self.access)
            except DomainError as exc:
                await self._leave(room_id)
                self.send({"type": "left", "room_id": room_id, **exc.to_dict()})

    async def room_changed(self, room_id: str) -> None:
        """A room's moderation state changed: forget what was cached about it
        and, if this socket may no longer read it, leave it now."""
        self.access.drop(room_id)
        if room_id not in self.rooms or self.account is None:
            return
        try:
            await self.services.rooms.access(self.account, room_id, self.access)
        except DomainError as exc:
            await self._leave(room_id)
            self.send({"type": "left", "room_id": room_id, **exc.to_dict()})

    async def _leave_command(self, cmd: Leave) -> dict[str, Any]:
        await self._leave(cmd.room_id)
        return {"type": "left", "room_id": cmd.room_id}

    async def _leave(self, room_id: str) -> None:
        cursor = self.rooms.pop(room_id, None)
        if cursor is None:
            return
        await self.hub.detach(self, room_id)
        if cursor.visit_id is not None:
            with contextlib.suppress(DomainError):
                await self.services.attendance.left(cursor.visit_id)
        if cursor.member_id not in await self.hub.online_everywhere(room_id):
            with contextlib.suppress(DomainError):
                await self.hub.publish_ephemeral(
                    room_id,
                    encode(
                        {
                            "type": "presence",
                            "room_id": room_id,
                            "member_id": cursor.member_id,
                            "online": False,
                        }
                    ),
                    cursor.member_id,
                )

    async def _typing(self, cmd: Typing) -> None:
        cursor = self.rooms.get(cmd.room_id)
        if cursor is None:
            raise InvalidInput("Join the room first.", code="not_joined")
        assert self.account is not None
        # Typing where one may not post (locked room, archived program) is noise.
        await self.services.rooms.writable(self.account, cmd.room_id, self.access, count=False)
        await self.hub.publish_ephemeral(
            cmd.room_id,
            encode({"type": "typing", "room_id": cmd.room_id, "member_id": cursor.member_id}),
            cursor.member_id,
        )

    async def _history(self, cmd: History) -> dict[str, Any]:
        assert self.account is not None
        page = await self.services.rooms.history(
            self.account, cmd.room_id, cmd.before, cmd.limit, self.access
        )
        return {"type": "history", **page}

    async def _ping(self, cmd: Ping) -> dict[str, Any]:
        return {"type": "pong"}


async def _typed(kind: str, reply: Awaitable[dict[str, Any]]) -> dict[str, Any]:
    return {"type": kind, **(await reply)}


async def _state(access: Awaitable[RoomAccess]) -> dict[str, Any]:
    done = await access
    return {
        "type": "room_state",
        "room_id": done.room.id,
        **done.state.public_view(done.room.locked),
    }


# One table for every socket (built once, not per sign-in: thousands of open
# sockets would each hold two dozen closures for the cyclic GC to walk).
_HANDLERS: dict[type, Handler] = {
    Join: lambda conn, _, c: conn._join(c),
    Leave: lambda conn, _, c: conn._leave_command(c),
    Send: lambda conn, a, c: conn.services.rooms.send(a, c, conn.access),
    Edit: lambda conn, a, c: conn.services.rooms.edit(a, c, conn.access),
    Delete: lambda conn, a, c: conn.services.rooms.delete(a, c, conn.access),
    React: lambda conn, a, c: conn.services.rooms.react(a, c, conn.access),
    Typing: lambda conn, _, c: conn._typing(c),
    History: lambda conn, _, c: conn._history(c),
    Ping: lambda conn, _, c: conn._ping(c),
    SetPhase: lambda conn, a, c: _state(
        conn.services.circle.set_phase(a, c.room_id, Phase(c.phase), c.client_id)
    ),
    RoomSettings: lambda conn, a, c: _state(
        conn.services.moderation.settings(
            a,
            c.room_id,
            locked=c.locked,
            premoderation=c.premoderation,
            slow_mode_s=c.slow_mode_s,
            client_id=c.client_id or fresh_client_id(),
        )
    ),
    Pin: lambda conn, a, c: _state(
        conn.services.moderation.pin(
            a, c.room_id, c.message_id, c.on, c.client_id or fresh_client_id()
        )
    ),
    Remove: lambda conn, a, c: conn.services.moderation.remove_message(
        a, c.room_id, c.message_id, c.reason, c.client_id
    ),
    Mute: lambda conn, a, c: conn.services.moderation.mute(
        a, c.room_id, c.member_id, c.seconds, c.reason
    ),
    RemoveMember: lambda conn, a, c: conn.services.moderation.remove_from_room(
        a, c.room_id, c.member_id, c.reason, c.restore
    ),
    RoundStart: lambda conn, a, c: _state(
        conn.services.circle.start_round(a, c.room_id, list(c.order), c.client_id)
    ),
    Turn: lambda conn, a, c: _state(
        conn.services.circle.end_turn(a, c.room_id, TurnEnd(c.how), c.client_id)
    ),
    RoundEnd: lambda conn, a, c: _state(conn.services.circle.end_round(a, c.room_id, c.client_id)),
    CheckinOpen: lambda conn, a, c: _typed(
        "checkin_opened", conn.services.circle.open_checkin(a, c.room_id, c.prompt, c.client_id)
    ),
    CheckinClose: lambda conn, a, c: _typed(
        "checkin_closed", conn.services.circle.close_checkin(a, c.room_id, c.client_id)
    ),
    CheckinAnswer: lambda conn, a, c: conn.services.circle.answer_checkin(
        a, c.room_id, c.checkin_id, c.answer, c.note
    ),
    Support: lambda conn, a, c: conn.services.circle.request_support(
        a, c.program_id, c.room_id, c.note
    ),
    AlertAck: lambda conn, a, c: _typed(
        "alert_acknowledged", conn.services.alerts.acknowledge(a, c.alert_id)
    ),
    Approve: lambda conn, a, c: conn.services.moderation.approve(a, c.room_id, c.pending_id),
    Reject: lambda conn, a, c: conn.services.moderation.reject(
        a, c.room_id, c.pending_id, c.reason
    ),
    Report: lambda conn, a, c: conn.services.moderation.report(
        a, c.room_id, c.message_id, c.reason
    ),
}


def with_echo(
    frame: dict[str, Any], ref: str | None, client_id: str | None = None
) -> dict[str, Any]:
    """Echo the request's ``ref`` (and ``client_id``) when it had them."""
    if ref is not None:
        frame["ref"] = ref
    if client_id is not None:
        frame.setdefault("client_id", client_id)
    return frame


class ConnectionRegistry:
    """Every authenticated socket on this instance, by member id."""

    def __init__(self) -> None:
        self._connections: set[Connection] = set()

    def add(self, conn: Connection) -> None:
        self._connections.add(conn)

    def discard(self, conn: Connection) -> None:
        self._connections.discard(conn)

    def __len__(self) -> int:
        return len(self._connections)

    def for_member(self, member_id: str) -> list[Connection]:
        return [c for c in self._connections if member_id in c.member_ids]

    def for_program(self, program_id: str) -> list[Connection]:
        return [c for c in self._connections if program_id in c.program_ids]

    def for_account(self, account_id: str) -> list[Connection]:
        return [c for c in self._connections if c.account and c.account.id == account_id]

    def all(self) -> list[Connection]:
        return list(self._connections)
