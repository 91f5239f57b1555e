"""The per-instance hub: which local sockets are in which room, and in-order
delivery of each room's events to them.

Events reach the hub twice over: directly from this instance's writers and
through the broker from other instances. A ``RoomSequencer`` per room
releases them strictly by seq, each once; a gap (an event published out of
order, or lost with a broker connection) is filled from MongoDB, the record.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

import structlog

from ..broker.presence import MemoryPresence, refresh_forever
from ..domain.errors import DomainError
from ..domain.sequencing import RoomSequencer
from ..ports import Broker, PresenceStore
from .protocol import ControlKind

log = structlog.get_logger(__name__)

# (seq, encoded frame) pairs for one room, in order.
Frames = list[tuple[int, str]]
LoadRange = Callable[[str, int, int | None], Awaitable[Frames]]
LoadHead = Callable[[str], Awaitable[int]]
SeenSeq = Callable[[str, int], None]
ControlHandler = Callable[[str, str], Awaitable[None]]

# How long a gap may stay open before it is filled from MongoDB: the missing
# event is nearly always a publish still in flight. Under load the broker's
# delivery lags; each early fill is a range read (a scan on nx-27017), and
# fills that feed the lag took two instances down in the benchmark.
_GAP_GRACE_S = 0.25
# How long a control message that could not be published is retried.
_CONTROL_RETRY_S = 60.0
_SEP = b"\x1f"


class Subscriber(Protocol):
    def deliver(self, room_id: str, seq: int, frame: str) -> None: ...

    def deliver_ephemeral(self, room_id: str, frame: str, sender: str | None) -> None: ...


@dataclass(eq=False)
class LocalRoom:
    room_id: str
    sequencer: RoomSequencer[tuple[int, str]] = field(default_factory=RoomSequencer)
    subscribers: dict[Subscriber, str] = field(default_factory=dict)  # → member id
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    filling: asyncio.Task[None] | None = None


class Hub:
    def __init__(
        self,
        broker: Broker,
        *,
        presence: PresenceStore | None = None,
        presence_ttl_s: float = 15.0,
        prefix: str,
        load_range: LoadRange,
        load_head: LoadHead,
        seen_seq: SeenSeq | None = None,
        on_control: ControlHandler,
    ) -> None:
        self.instance_id = uuid.uuid4().hex[:12]
        self._broker = broker
        self._prefix = prefix
        self._load_range = load_range
        self._load_head = load_head
        self._seen_seq = seen_seq
        self._on_control = on_control
        self._rooms: dict[str, LocalRoom] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.control_channel = f"{prefix}:control"
        # Who is online across instances (presence keys with expiry in Redis).
        self._presence: PresenceStore = presence or MemoryPresence(ttl_s=presence_ttl_s)
        self._presence_every_s = presence_ttl_s / 3
        self._refresher: asyncio.Task[None] | None = None

    # lifecycle -------------------------------------------------------------
    async def start(self) -> None:
        await self._broker.start(self._on_broker_message, self._on_broker_reconnect)
        await self._broker.subscribe(self.control_channel)
        self._refresher = self._spawn(
            refresh_forever(self._presence, self.instance_id, self._presence_every_s)
        )

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(DomainError):
            await self._presence.forget(self.instance_id)
        await self._presence.close()
        await self._broker.close()

    def room_channel(self, room_id: str) -> str:
        return f"{self._prefix}:room:{room_id}"

    # membership ------------------------------------------------------------
    async def attach(self, sub: Subscriber, room_id: str, member_id: str) -> LocalRoom:
        room = self._rooms.get(room_id)
        if room is None:
            room = self._rooms[room_id] = LocalRoom(room_id)
            try:
                # Subscribe before reading the head: anything committed after
                # the read is then sure to arrive through the broker.
                await self._broker.subscribe(self.room_channel(room_id))
                room.sequencer.head = await self._load_head(room_id)
            except BaseException:
                del self._rooms[room_id]
                room.ready.set()
                raise
            room.ready.set()
        else:
            await room.ready.wait()
            if self._rooms.get(room_id) is not room:
                return await self.attach(sub, room_id, member_id)
        first_here = member_id not in room.subscribers.values()
        room.subscribers[sub] = member_id
        if first_here:
            with contextlib.suppress(DomainError):
                await self._presence.join(room_id, member_id, self.instance_id)
        return room

    async def detach(self, sub: Subscriber, room_id: str) -> None:
        room = self._rooms.get(room_id)
        if room is None:
            return
        member_id = room.subscribers.pop(sub, None)
        if member_id is None:
            return
        if member_id not in room.subscribers.values():
            with contextlib.suppress(DomainError):
                await self._presence.leave(room_id, member_id, self.instance_id)
        if not room.subscribers:
            del self._rooms[room_id]
            if room.filling is not None:
                room.filling.cancel()
            with contextlib.suppress(DomainError):
                await self._broker.unsubscribe(self.room_channel(room_id))

    def local_head(self, room_id: str) -> int | None:
        """The last seq this instance released in the room, if it follows it.

        Never ahead of the store (only stored events are released), and
        every later event will be released here in order."""
        room = self._rooms.get(room_id)
        if room is None or not room.ready.is_set():
            return None
        return room.sequencer.head

    def online(self, room_id: str) -> set[str]:
        room = self._rooms.get(room_id)
        return set(room.subscribers.values()) if room else set()

    async def online_everywhere(self, room_id: str) -> set[str]:
        """Who is in the room on any instance (this instance's view if Redis is away)."""
        here = self.online(room_id)
        try:
            return here | await self._presence.online(room_id)
        except DomainError:
            return here

    def local_room_count(self) -> int:
        return len(self._rooms)

    # publishing ------------------------------------------------------------
    async def publish_event(self, room_id: str, seq: int, frame: str) -> None:
        """Deliver a stored event here, then ring the other instances."""
        self._offer(room_id, seq, frame)
        payload = _SEP.join(
            (b"E", self.instance_id.encode(), room_id.encode(), str(seq).encode(), frame.encode())
        )
        try:
            await self._broker.publish(self.room_channel(room_id), payload)
        except DomainError:
            # Stored and acknowledged all the same: other instances fill the
            # gap from MongoDB at their next event or broker reconnect.
            log.warning("publish_failed", room_id=room_id, seq=seq)

    async def publish_ephemeral(self, room_id: str, frame: str, sender: str | None) -> None:
        """Presence and typing: may be lost, never stored, never sequenced."""
        self._fan_out_ephemeral(room_id, frame, sender)
        payload = _SEP.join(
            (
                b"X",
                self.instance_id.encode(),
                room_id.encode(),
                (sender or "").encode(),
                frame.encode(),
            )
        )
        with contextlib.suppress(DomainError):
            await self._broker.publish(self.room_channel(room_id), payload)

    async def publish_control(self, kind: str, subject: str) -> None:
        await self._on_control(kind, subject)
        payload = _SEP.join((b"C", self.instance_id.encode(), kind.encode(), subject.encode()))
        try:
            await self._broker.publish(self.control_channel, payload)
        except DomainError:
            # Keep trying in the background: the other instances act on it
            # when it arrives (and clear their access caches on their own
            # broker reconnect, or when their entries expire).
            log.warning("control_publish_failed", kind=kind)
            self._spawn(self._publish_control_later(kind, payload))

    async def _publish_control_later(self, kind: str, payload: bytes) -> None:
        delay = 0.2
        deadline = asyncio.get_running_loop().time() + _CONTROL_RETRY_S
        while asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
            try:
                await self._broker.publish(self.control_channel, payload)
            except DomainError:
                continue
            log.info("control_published_late", kind=kind)
            return

    # receiving -------------------------------------------------------------
    async def _on_broker_message(self, channel: str, payload: bytes) -> None:
        kind, origin, rest = payload.split(_SEP, 2)
        if origin.decode() == self.instance_id:
            return
        if kind == b"E":
            room_id, seq, frame = rest.split(_SEP, 2)
            room, number = room_id.decode(), int(seq)
            if self._seen_seq is not None:
                self._seen_seq(room, number)
            self._offer(room, number, frame.decode())
        elif kind == b"X":
            room_id, sender, frame = rest.split(_SEP, 2)
            self._fan_out_ephemeral(room_id.decode(), frame.decode(), sender.decode() or None)
        elif kind == b"C":
            control, subject = rest.split(_SEP, 1)
            await self._on_control(control.decode(), subject.decode())

    async def _on_broker_reconnect(self) -> None:
        """Events may have been published while the link was down: catch up
        every local room from MongoDB before new events are delivered.
        Control messages may have been missed too: drop cached access."""
        await self._on_control(ControlKind.RESYNC, "")
        for room in list(self._rooms.values()):
            await self._catch_up(room)

    def _offer(self, room_id: str, seq: int, frame: str) -> None:
        room = self._rooms.get(room_id)
        if room is None or not room.ready.is_set():
            return
        for ready_seq, ready_frame in room.sequencer.offer(seq, (seq, frame)):
            for sub in list(room.subscribers):
                sub.deliver(room_id, ready_seq, ready_frame)
        if room.sequencer.has_gap and room.filling is None:
            room.filling = self._spawn(self._fill_gap(room))

    def _fan_out_ephemeral(self, room_id: str, frame: str, sender: str | None) -> None:
        room = self._rooms.get(room_id)
        if room is None:
            return
        for sub in list(room.subscribers):
            sub.deliver_ephemeral(room_id, frame, sender)

    async def _fill_gap(self, room: LocalRoom) -> None:
        try:
            # A short grace: the missing event is usually a publish in flight.
            await asyncio.sleep(_GAP_GRACE_S)
            delay = 0.1
            while (missing := room.sequencer.missing()) is not None:
                low, high = missing
                try:
                    frames = await self._load_range(room.room_id, low - 1, high)
                except DomainError:
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 2.0)
                    continue
                for seq, frame in frames:
                    self._offer(room.room_id, seq, frame)
                if room.sequencer.missing() == missing:
                    # Not stored (yet): wait for the record rather than spin.
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 2.0)
        finally:
            room.filling = None

    async def _catch_up(self, room: LocalRoom) -> None:
        try:
            frames = await self._load_range(room.room_id, room.sequencer.head, None)
        except DomainError:
            log.warning("catch_up_failed", room_id=room.room_id)
            return
        for seq, frame in frames:
            self._offer(room.room_id, seq, frame)

    def _spawn(self, coro: Awaitable[None]) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task
