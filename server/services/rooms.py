"""Room use cases: access, history, resume and the sequenced writes
(DESIGN.md rules 1, 3, 12 and section 4).

Every write: check access (fresh within seconds) → check limits → append
durably with the next seq → publish → acknowledge. The acknowledgement is
built only after MongoDB accepted the write.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeGuard, TypeVar, cast

from ..crypto.keyring import KeyRing
from ..domain.access import check_can_post, check_can_read_room
from ..domain.admission import check_admitted
from ..domain.audit import AuditAction
from ..domain.confidentiality import contact_blocked, contact_lock_applies
from ..domain.contact import find_contacts, find_split_contacts
from ..domain.errors import NotFound
from ..domain.flow import (
    RoomState,
    check_can_react_here,
    check_can_speak,
    check_not_removed,
)
from ..domain.limits import clean_body
from ..domain.messages import (
    check_can_delete,
    check_can_edit,
    check_can_react,
    is_own_tombstone,
)
from ..domain.model import (
    STATE_EVENTS,
    Account,
    EventType,
    Member,
    Message,
    MessageState,
    Program,
    Room,
)
from ..domain.risk import assess_risk
from ..domain.sequencing import ResumePlan, plan_resume
from ..gateway.codec import encode
from ..gateway.hub import Frames, Hub
from ..gateway.protocol import Delete, Edit, React, Send
from ..settings import Settings
from ..storage.directory import MongoDirectory, RoomRecord
from ..storage.events import MongoEventStore, check_retry_matches, to_message
from ..storage.mongo import Doc
from ..storage.queues import MongoQueue
from .alerts import AlertKind, AlertService
from .audit import AuditTrail
from .clock import new_id, now_ms, utcnow
from .limiter import Limiter
from .notify import Notifier
from .recent import SPLIT_PIECE_MAX_CHARS, RecentBodies

Speak = Literal["post", "react", "none"]
T = TypeVar("T")

# What an instance loaded about rooms, programs and memberships is kept until
# an event changes it: every change that can take access away (removal, a
# program's status, agreement or contact rules, a room's moderation state)
# goes through the control channel, which drops the entries on every
# instance at once, and a broker reconnect drops everything (control
# messages may have been missed meanwhile). Entries also expire after this
# long, a backstop for a control message lost some other way.
ACCESS_TTL_S = 30.0
_MAX_READS = 16


@dataclass(frozen=True, slots=True)
class RoomAccess:
    room: Room
    program: Program
    member: Member
    state: RoomState = field(default_factory=RoomState)
    version: int = 0


class SharedAccess:
    """The instance's cache of the documents an access check reads, under the
    directory's own method names so that an access check can read from either.

    ``generation`` moves on every invalidation; a read that was in flight
    across one is not cached (it may hold what the change replaced), and the
    sockets' own caches (``AccessCache``) are only trusted at the current
    generation.
    """

    def __init__(self, directory: MongoDirectory, ttl_s: float = ACCESS_TTL_S) -> None:
        self._directory = directory
        self._ttl_s = ttl_s
        self.generation = 0
        self._rooms: dict[str, tuple[float, RoomRecord]] = {}
        self._programs: dict[str, tuple[float, Program]] = {}
        self._members: dict[tuple[str, str], tuple[float, Member]] = {}
        self._flights: dict[tuple[int, str, int], asyncio.Future[object]] = {}
        self._refreshes: dict[tuple[str, int], asyncio.Task[None]] = {}
        # Reads in flight at once: thousands of sends re-reading expired entries
        # together would queue in the driver's server-selection lock, whose
        # waiters are scanned on every acquire (quadratic).
        self._reads = asyncio.Semaphore(_MAX_READS)

    def _fresh(self, entry: tuple[float, T] | None) -> TypeGuard[tuple[float, T]]:
        return entry is not None and time.monotonic() - entry[0] < self._ttl_s

    async def room_record(self, room_id: str) -> RoomRecord | None:
        entry = self._rooms.get(room_id)
        if self._fresh(entry):
            return entry[1]
        return await self._load(self._rooms, room_id, self._directory.room_record)

    async def get_program(self, program_id: str) -> Program | None:
        entry = self._programs.get(program_id)
        if self._fresh(entry):
            return entry[1]
        return await self._load(self._programs, program_id, self._directory.get_program)

    async def _load(
        self,
        entries: dict[str, tuple[float, T]],
        key: str,
        read: Callable[[str], Awaitable[T | None]],
    ) -> T | None:
        """One read per key at a time: when an entry expires, the sends of a
        whole program would otherwise read it at once. A read is shared only
        within one generation (one begun before a change may hold what the
        change replaced)."""
        flight = (id(entries), key, self.generation)
        running = self._flights.get(flight)
        if running is not None:
            try:
                return cast("T | None", await asyncio.shield(running))
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if task is None or task.cancelling():
                    raise
                return await read(key)  # the reading task was cancelled, not this one
        generation = self.generation
        loop = asyncio.get_running_loop()
        future: asyncio.Future[object] = loop.create_future()
        self._flights[flight] = future
        try:
            async with self._reads:
                found = await read(key)
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning without waiters
            raise
        else:
            future.set_result(found)
            if found is not None and generation == self.generation:
                entries[key] = (time.monotonic(), found)
            return found
        finally:
            del self._flights[flight]

    async def member_for(self, program_id: str, account_id: str) -> Member | None:
        """Only memberships that passed a check are kept (``admitted``): a
        clearance or an acceptance changes a membership without a control
        message, and must count at once."""
        key = (program_id, account_id)
        entry = self._members.get(key)
        if self._fresh(entry):
            return entry[1]
        if entry is not None:
            # Expired: the program's kept memberships are re-read together.
            await self._refresh_members(program_id)
            entry = self._members.get(key)
            if self._fresh(entry):
                return entry[1]
        async with self._reads:
            return await self._directory.member_for(program_id, account_id)

    async def _refresh_members(self, program_id: str) -> None:
        """Re-read a program's memberships in one query, shared by every send
        that finds one of them expired: they expire together afterwards, so a
        program costs one read per TTL rather than one per member. An entry is
        kept only if its document is unchanged (it passed a check as it is);
        a changed or missing one is dropped, to be read and checked afresh."""
        flight = (program_id, self.generation)
        task = self._refreshes.get(flight)
        if task is None:
            task = asyncio.create_task(self._reread_members(program_id, self.generation))
            self._refreshes[flight] = task
            task.add_done_callback(lambda done: self._refresh_done(flight, done))
        await asyncio.shield(task)

    def _refresh_done(self, flight: tuple[str, int], task: asyncio.Task[None]) -> None:
        del self._refreshes[flight]
        if not task.cancelled():
            task.exception()  # retrieved: a failed read reaches its waiters, not the log

    async def _reread_members(self, program_id: str, generation: int) -> None:
        async with self._reads:
            current = {m.account_id: m for m in await self._directory.program_members(program_id)}
        if generation != self.generation:
            return  # a change came in meanwhile: this read may hold what it replaced
        now = time.monotonic()
        for key in [k for k in self._members if k[0] == program_id]:
            member = current.get(key[1])
            if member is not None and member == self._members[key][1]:
                self._members[key] = (now, member)
            else:
                del self._members[key]

    def admitted(self, member: Member, account_id: str, generation: int) -> None:
        if generation == self.generation:
            self._members[(member.program_id, account_id)] = (time.monotonic(), member)

    # invalidation (control channel, broker reconnect) --------------------------
    def room_changed(self, room_id: str) -> None:
        self.generation += 1
        self._rooms.pop(room_id, None)

    def program_changed(self, program_id: str) -> None:
        """Status, agreement version (members must accept again), contact rules."""
        self.generation += 1
        self._programs.pop(program_id, None)
        for key in [k for k in self._members if k[0] == program_id]:
            del self._members[key]

    def member_changed(self, member_id: str) -> None:
        self.generation += 1
        for key in [k for k, (_, m) in self._members.items() if m.id == member_id]:
            del self._members[key]

    def account_changed(self, account_id: str) -> None:
        self.generation += 1
        for key in [k for k in self._members if k[1] == account_id]:
            del self._members[key]

    def clear(self) -> None:
        self.generation += 1
        self._rooms.clear()
        self._programs.clear()
        self._members.clear()


class AccessCache:
    """One socket's checked accesses, trusted while nothing changed since."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[int, float, RoomAccess]] = {}

    def get(self, room_id: str, generation: int) -> RoomAccess | None:
        entry = self._entries.get(room_id)
        if entry is None or entry[0] != generation or time.monotonic() - entry[1] > ACCESS_TTL_S:
            return None
        return entry[2]

    def put(self, access: RoomAccess, generation: int) -> None:
        self._entries[access.room.id] = (generation, time.monotonic(), access)

    def clear(self) -> None:
        self._entries.clear()

    def drop(self, room_id: str) -> None:
        self._entries.pop(room_id, None)


def canonical_client_id(raw: str) -> str:
    return str(uuid.UUID(raw))


def render_event(doc: Doc, message: Message | None) -> str:
    """One event frame, identical whether sent live, on resume or on gap fill.

    ``message`` is the message's *current* state: text of a removed or held
    message never leaves the server, whatever the event.
    """
    kind = EventType(doc["type"])
    visible = message is not None and message.state is MessageState.VISIBLE
    data: dict[str, Any]
    if kind is EventType.MESSAGE_CREATED:
        assert message is not None
        data = message.public_view()
    elif kind is EventType.MESSAGE_EDITED:
        data = {
            "message_id": doc["message_id"],
            "body": message.body if visible and message else None,
            "edited_at": doc["created_at"].isoformat(),
            "state": message.state.value if message else MessageState.DELETED.value,
        }
    elif kind is EventType.MESSAGE_DELETED:
        data = {"message_id": doc["message_id"], "state": doc.get("state", "deleted")}
    elif kind is EventType.MESSAGE_REMOVED:
        data = {"message_id": doc["message_id"], "state": "removed", "reason": doc.get("reason")}
    elif kind in STATE_EVENTS:
        data = doc["data"]
    else:
        data = {
            "message_id": doc["message_id"],
            "reaction": doc["reaction"],
            "member_id": doc["author_id"],
            "reactions": (
                {k: sorted(v) for k, v in message.reactions.items()} if visible and message else {}
            ),
        }
    return encode(
        {
            "type": "event",
            "room_id": doc["room_id"],
            "seq": doc["seq"],
            "event": kind.value,
            "data": data,
            "at": doc["created_at"].isoformat(),
        }
    )


class RoomService:
    def __init__(
        self,
        settings: Settings,
        directory: MongoDirectory,
        events: MongoEventStore,
        hub: Hub,
        limiter: Limiter,
        audit: AuditTrail,
        alerts: AlertService,
        pending: MongoQueue,
        notifier: Notifier,
        keyring: KeyRing,
    ) -> None:
        self._limits = settings.limits
        self._directory = directory
        self._events = events
        self._hub = hub
        self._limiter = limiter
        self._audit = audit
        self._alerts = alerts
        self._pending = pending
        self._notifier = notifier
        self._keyring = keyring
        self._recent = RecentBodies()
        self.shared = SharedAccess(directory)

    # access ------------------------------------------------------------------
    async def access(
        self, account: Account, room_id: str, cache: AccessCache | None = None
    ) -> RoomAccess:
        """Rules 1, 2 and 3. With a socket's ``cache``: from the instance's
        cache, which every change that can take access away invalidates at
        once on every instance (control channel; see ``SharedAccess``).
        Without one (read-modify-write of a room's state): from MongoDB."""
        shared = self.shared
        source: MongoDirectory | SharedAccess = self._directory if cache is None else shared
        generation = shared.generation
        if cache is not None and (hit := cache.get(room_id, generation)) is not None:
            return hit
        record = await source.room_record(room_id)
        if record is None:
            raise NotFound("We couldn't find that room.", code="room_not_found")
        room, state, version = record
        member = await source.member_for(room.program_id, account.id)
        found = check_can_read_room(member, room)
        program = await source.get_program(room.program_id)
        if program is None:
            raise NotFound("We couldn't find that room.", code="room_not_found")
        check_admitted(found, program)
        check_not_removed(found, state)
        access = RoomAccess(room, program, found, state, version)
        if cache is not None:
            shared.admitted(found, account.id, generation)
            cache.put(access, generation)
        return access

    async def writable(
        self,
        account: Account,
        room_id: str,
        cache: AccessCache | None,
        *,
        count: bool = True,
        speak: Speak = "post",
    ) -> RoomAccess:
        """Access to write here (rules 1, 8–10), counted against the send limit.

        ``speak``: "post" (a message: phases, mutes, the talking piece),
        "react" (allowed during a round), or "none" (deleting one's own).
        """
        access = await self.access(account, room_id, cache)
        check_can_post(access.member, access.program, access.room)
        if speak == "post":
            check_can_speak(access.member, access.state, now_ms())
        elif speak == "react":
            check_can_react_here(access.member, access.state, now_ms())
        if count:
            await self._limiter.check("send", access.member.id)
        return access

    # reading -----------------------------------------------------------------
    async def head(self, room_id: str) -> int:
        return await self._events.head(room_id)

    def plan_resume(self, after: int, head: int) -> ResumePlan:
        return plan_resume(after, head, self._limits.replay_window)

    async def render_range(self, room_id: str, after: int, upto: int | None) -> Frames:
        docs = await self._events.range(room_id, after, upto, limit=self._limits.replay_window + 1)
        wanted = [
            d["message_id"]
            for d in docs
            if d["type"] != EventType.MESSAGE_CREATED and "message_id" in d
        ]
        current = await self._events.messages_by_ids(sorted(set(wanted))) if wanted else {}
        frames: Frames = []
        created = await self._events.messages_of(
            [d for d in docs if d["type"] == EventType.MESSAGE_CREATED]
        )
        opened = {m.id: m for m in created}
        for doc in docs:
            if doc["type"] == EventType.MESSAGE_CREATED:
                message: Message | None = opened[doc["_id"]]
            else:
                message = current.get(doc.get("message_id", ""))
            frames.append((doc["seq"], render_event(doc, message)))
        return frames

    async def history(
        self,
        account: Account,
        room_id: str,
        before: int | None,
        limit: int,
        cache: AccessCache | None = None,
    ) -> dict[str, Any]:
        await self.access(account, room_id, cache)
        limit = min(limit, self._limits.history_page_max)
        page = await self._events.history(room_id, before, limit + 1)
        has_more = len(page) > limit
        page = page[-limit:] if has_more else page
        return {
            "room_id": room_id,
            "messages": [m.public_view() for m in page],
            "has_more": has_more,
        }

    # writing -----------------------------------------------------------------
    async def send(
        self, account: Account, cmd: Send, cache: AccessCache | None = None
    ) -> dict[str, Any]:
        access = await self.writable(account, cmd.room_id, cache, count=False)
        body = clean_body(cmd.body, self._limits.message_max_chars)
        # Counted only once the body is acceptable: a refused body costs nothing.
        await self._limiter.check("send", access.member.id)
        await self._check_contact_lock(access, body, via="send", client_id=cmd.client_id)
        if cmd.reply_to is not None:
            await self._message_in_room(cmd.reply_to, cmd.room_id)
        participant = not access.member.is_staff
        if participant and access.state.slow_mode_s:
            await self._limiter.check_slow_mode(
                cmd.room_id, access.member.id, access.state.slow_mode_s
            )
        if participant and access.state.premoderation:
            return await self._hold(access, cmd, body)
        stored, created, message = await self.publish_message(
            access.member, access.program, cmd.room_id, cmd.client_id, body, cmd.reply_to
        )
        if created and contact_lock_applies(access.member, access.program):
            self._recent.add(cmd.room_id, access.member.id, body)
        return self._ack(cmd.client_id, stored, created, message_id=message.id)

    async def publish_message(
        self,
        author: Member,
        program: Program,
        room_id: str,
        client_id: str,
        body: str,
        reply_to: str | None,
        *,
        check_risk: bool = True,
    ) -> tuple[Doc, bool, Message]:
        """Store a message with the room's next seq, deliver it, and alert staff if
        it suggests risk of self-harm (rule 11). Also used on approval."""
        doc: Doc = {
            "_id": new_id(),
            "room_id": room_id,
            "program_id": program.id,
            "type": EventType.MESSAGE_CREATED.value,
            "author_id": author.id,
            "client_id": canonical_client_id(client_id),
            "created_at": utcnow(),
            "body": body,
            "state": MessageState.VISIBLE.value,
            "reply_to": reply_to,
            "reactions": [],
        }
        stored, created = await self._events.append(doc)
        # A new message's text is the body just sealed; a retry's is opened.
        message = to_message(stored, body) if created else await self._events.message_of(stored)
        # A retry re-publishes too: harmless (sequencers drop repeats) and it
        # delivers an event whose first publish died with its instance.
        await self._hub.publish_event(room_id, message.seq, render_event(stored, message))
        if created and check_risk and not author.is_staff:
            await self._check_risk(author, room_id, message.id, body)
        return stored, created, message

    async def _check_risk(
        self,
        author: Member,
        room_id: str,
        message_id: str | None,
        body: str,
        pending_id: str | None = None,
    ) -> None:
        """Rule 11: new, edited and held messages alike alert staff at once."""
        signal = assess_risk(body)
        if signal is not None:
            details: dict[str, Any] = {"kinds": sorted(kind.value for kind in signal.kinds)}
            if pending_id is not None:
                details["pending_id"] = pending_id
            await self._alerts.raise_alert(
                author, AlertKind.SAFETY, room_id=room_id, message_id=message_id, details=details
            )

    async def _hold(self, access: RoomAccess, cmd: Send, body: str) -> dict[str, Any]:
        """Pre-moderation (rule 8): the message waits, unsequenced, for staff. Only
        its author and the staff ever see it until it is approved."""
        client_id = canonical_client_id(cmd.client_id)
        already = await self._events.find_change(cmd.room_id, access.member.id, client_id)
        if already is not None:  # approved already: the retry gets the stored message
            stored = check_retry_matches(already, {"type": EventType.MESSAGE_CREATED.value})
            return self._ack(cmd.client_id, stored, False, message_id=stored["_id"])
        pending_id = f"{cmd.room_id}:{access.member.id}:{client_id}"
        now_created = now_ms()
        doc = await self._pending.add(
            {
                "_id": pending_id,
                "room_id": cmd.room_id,
                "program_id": access.program.id,
                "author_id": access.member.id,
                "client_id": client_id,
                "reply_to": cmd.reply_to,
                "sealed": await self._keyring.seal(access.program.id, body, pending_id),
                "status": "open",
                "created_ms": now_created,
            }
        )
        view = await self.pending_view(doc)
        if doc["status"] == "open":
            await self._notifier.staff(access.program.id, {"type": "pending", "pending": view})
            if doc["created_ms"] == now_created:
                await self._check_risk(access.member, cmd.room_id, None, body, pending_id)
        return {"type": "ack", "client_id": cmd.client_id, "pending": view}

    async def pending_view(self, doc: Doc) -> dict[str, Any]:
        return {
            "pending_id": doc["_id"],
            "room_id": doc["room_id"],
            "author_id": doc["author_id"],
            "client_id": doc["client_id"],
            "body": await self._keyring.open_one(doc.get("sealed"), doc["_id"])
            if doc["status"] == "open"
            else None,
            "status": doc["status"],
            "reason": doc.get("reason"),
            "created_ms": doc["created_ms"],
        }

    async def pending_for(self, access: RoomAccess) -> list[dict[str, Any]]:
        """Open held messages: all of them for staff, one's own for a participant."""
        query: Doc = {"room_id": access.room.id, "status": "open"}
        if not access.member.is_staff:
            query["author_id"] = access.member.id
        return [await self.pending_view(doc) for doc in await self._pending.find(query)]

    async def publish_stored(self, room_id: str, stored: Doc) -> None:
        """Deliver an already stored change event (joined with the message's state)."""
        message = await self._events.get_message(stored["message_id"])
        await self._hub.publish_event(room_id, stored["seq"], render_event(stored, message))

    async def append_state_event(
        self, access: RoomAccess, kind: EventType, data: dict[str, Any], client_id: str
    ) -> Doc:
        """A staff change everyone in the room sees (phase, settings, pins, rounds,
        check-ins): sequenced, stored, delivered like a message."""
        doc: Doc = {
            "_id": new_id(),
            "room_id": access.room.id,
            "type": kind.value,
            "author_id": access.member.id,
            "client_id": canonical_client_id(client_id),
            "created_at": utcnow(),
            "data": data,
        }
        stored, _ = await self._events.append(doc)
        await self._hub.publish_event(access.room.id, stored["seq"], render_event(stored, None))
        return stored

    async def edit(
        self, account: Account, cmd: Edit, cache: AccessCache | None = None
    ) -> dict[str, Any]:
        access = await self.writable(account, cmd.room_id, cache, count=False)
        body = clean_body(cmd.body, self._limits.message_max_chars)
        await self._limiter.check("send", access.member.id)
        message = check_can_edit(
            access.member, await self._message_in_room(cmd.message_id, cmd.room_id)
        )
        # An edit that adds contact details is refused like a new message;
        # the original stays as it was.
        await self._check_contact_lock(access, body, via="edit")
        stored, created = await self._events.append(
            self._change(access, cmd.client_id, EventType.MESSAGE_EDITED, message.id)
        )
        # Applied after the event is stored; a retry re-applies (idempotent).
        current = await self._events.apply_edit(
            access.program.id, message.id, stored["seq"], body, stored["created_at"]
        )
        await self._hub.publish_event(cmd.room_id, stored["seq"], render_event(stored, current))
        if created and not access.member.is_staff:
            await self._check_risk(access.member, cmd.room_id, message.id, body)
        return self._ack(cmd.client_id, stored, created, message_id=message.id)

    async def delete(
        self, account: Account, cmd: Delete, cache: AccessCache | None = None
    ) -> dict[str, Any]:
        access = await self.writable(account, cmd.room_id, cache, speak="none")
        found = await self._message_in_room(cmd.message_id, cmd.room_id)
        previous = await self._events.find_change(
            cmd.room_id, access.member.id, canonical_client_id(cmd.client_id)
        )
        doc = self._change(access, cmd.client_id, EventType.MESSAGE_DELETED, cmd.message_id)
        doc["state"] = MessageState.DELETED.value
        if previous is not None:
            # A retried delete: the message is already a tombstone.
            check_retry_matches(previous, doc)
        elif not is_own_tombstone(access.member, found):
            check_can_delete(access.member, found)
        # Privacy first: the text is gone before the event is written. If the
        # instance dies in between, the author's retry (same client id) finds
        # its own tombstone and completes the event.
        await self._events.apply_delete(cmd.message_id, MessageState.DELETED)
        stored, created = await self._events.append(doc)
        await self._hub.publish_event(cmd.room_id, stored["seq"], render_event(stored, None))
        return self._ack(cmd.client_id, stored, created, message_id=cmd.message_id)

    async def react(
        self, account: Account, cmd: React, cache: AccessCache | None = None
    ) -> dict[str, Any]:
        access = await self.writable(account, cmd.room_id, cache, speak="react")
        check_can_react(await self._message_in_room(cmd.message_id, cmd.room_id), cmd.reaction)
        kind = EventType.REACTION_ADDED if cmd.on else EventType.REACTION_REMOVED
        doc = self._change(access, cmd.client_id, kind, cmd.message_id)
        doc["reaction"] = cmd.reaction
        stored, created = await self._events.append(doc)
        current = await self._events.apply_reaction(
            cmd.message_id, cmd.reaction, access.member.id, cmd.on
        )
        await self._hub.publish_event(cmd.room_id, stored["seq"], render_event(stored, current))
        return self._ack(cmd.client_id, stored, created, message_id=cmd.message_id)

    async def erase_message(self, member: Member, message: Message) -> None:
        """Rule 14: the author erases their own message; a tombstone stays."""
        await self._events.apply_delete(message.id, MessageState.DELETED)
        doc: Doc = {
            "_id": new_id(),
            "room_id": message.room_id,
            "type": EventType.MESSAGE_DELETED.value,
            "author_id": member.id,
            "client_id": str(uuid.uuid4()),
            "created_at": utcnow(),
            "message_id": message.id,
            "state": MessageState.DELETED.value,
        }
        stored, _ = await self._events.append(doc)
        await self._hub.publish_event(message.room_id, stored["seq"], render_event(stored, None))

    async def _check_contact_lock(
        self, access: RoomAccess, body: str, *, via: str, client_id: str | None = None
    ) -> None:
        """Rule 4: refuse (and audit, without the text) contact details while locked.

        New messages are also read together with the sender's last few
        (``client_id`` given); edits are judged on their own text.
        """
        if not contact_lock_applies(access.member, access.program):
            return
        region = access.program.region
        kinds = find_contacts(body, region=region)
        if not kinds and client_id is not None and len(body) <= SPLIT_PIECE_MAX_CHARS:
            earlier = self._recent.get(access.room.id, access.member.id)
            if earlier:
                kinds = find_split_contacts(earlier, body, region=region, alone=kinds)
            if kinds and await self._events.find_change(
                access.room.id, access.member.id, canonical_client_id(client_id)
            ):
                # A retry of a message already accepted: judged when first sent.
                return
            if kinds:
                # The earlier parts were delivered; start afresh so the next
                # message isn't judged by the same fragments.
                self._recent.forget(access.room.id, access.member.id)
        if not kinds:
            return
        found = sorted(kind.value for kind in kinds)
        await self._audit.record(
            access.program.id,
            AuditAction.CONTACT_BLOCKED,
            access.member.id,
            target_id=access.member.id,
            room_id=access.room.id,
            kinds=found,
            via=via,
        )
        raise contact_blocked(found)

    async def _message_in_room(self, message_id: str, room_id: str) -> Message:
        message = await self._events.get_message(message_id)
        if message is None or message.room_id != room_id:
            raise NotFound("That message isn't available any more.", code="message_not_found")
        return message

    @staticmethod
    def _change(access: RoomAccess, client_id: str, kind: EventType, message_id: str) -> Doc:
        return {
            "_id": new_id(),
            "room_id": access.room.id,
            "type": kind.value,
            "author_id": access.member.id,
            "client_id": canonical_client_id(client_id),
            "created_at": utcnow(),
            "message_id": message_id,
        }

    @staticmethod
    def _ack(client_id: str, stored: Doc, created: bool, *, message_id: str) -> dict[str, Any]:
        return {
            "type": "ack",
            "client_id": client_id,
            "message_id": message_id,
            "seq": stored["seq"],
            "event": stored["type"],
            "duplicate": not created,
        }
