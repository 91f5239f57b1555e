"""The room event log: gapless sequence numbers assigned at the durable write.

A room's events are documents with a unique ``(room_id, seq)``. A writer
inserts ``seq = last + 1``; if another instance took that number first the
unique index refuses and the writer re-reads the head and tries again. An
event exists at ``n + 1`` only after ``n`` was seen to exist, so numbers never
skip — with any number of instances, and without transactions.

A ``message.created`` event *is* the message: its document also carries the
message's current state (body, state, reactions, ``version`` = the seq of the
last change applied). Later events (edited, deleted, reactions) carry no
text; readers join them with the message's current state, so removed text
cannot leak through history or resume.

Message text is stored only sealed (field ``sealed``, AES-GCM under the
program's data key, bound to the message id): a dump of the database shows
no text. Every read opens it through the key ring.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from ..crypto.keyring import KeyRing
from ..domain.errors import Conflict
from ..domain.model import EventType, Message, MessageState
from .group_commit import GroupCommit
from .mongo import Doc, guard, ping


def to_message(doc: Doc, body: str | None) -> Message:
    """The message in ``doc`` (a ``message.created`` event) with its opened text."""
    return Message(
        id=doc["_id"],
        room_id=doc["room_id"],
        seq=doc["seq"],
        author_id=doc["author_id"],
        client_id=doc["client_id"],
        body=body,
        state=MessageState(doc.get("state", MessageState.VISIBLE.value)),
        created_at=doc["created_at"],
        edited_at=_from_ms(doc.get("edited_ms")),
        reply_to=doc.get("reply_to"),
        reactions=_reactions(doc.get("reactions") or []),
        removed_reason=doc.get("removed_reason"),
    )


def _to_ms(at: datetime) -> int:
    """Times written by updates are stored as epoch milliseconds: nx-27017
    turns a datetime in ``$set`` into a string (inserts keep the type)."""
    return int(at.timestamp() * 1000)


def _from_ms(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value / 1000, UTC)


def _reactions(pairs: list[str]) -> dict[str, list[str]]:
    """Reactions are stored as one flat array of "reaction:member_id" strings:
    ``$addToSet``/``$pull`` on an array that always exists work the same on
    MongoDB and nx-27017 (which cannot create a missing array on update)."""
    out: dict[str, list[str]] = {}
    for pair in pairs:
        reaction, _, member_id = pair.partition(":")
        out.setdefault(reaction, []).append(member_id)
    return out


_INTENT = ("type", "message_id", "reaction")


def check_retry_matches(existing: Doc, attempted: Doc) -> Doc:
    """A retry must ask for the same thing as the first attempt: the same kind
    of event on the same message (and reaction). Reusing a client id for a
    different change is refused instead of being acknowledged as done."""
    if any(existing.get(key) != attempted.get(key) for key in _INTENT):
        raise Conflict(
            "That client id was already used for something else — use a new one.",
            code="client_id_conflict",
        )
    return existing


class MongoEventStore:
    def __init__(self, db: AsyncDatabase[Doc], keyring: KeyRing) -> None:
        self._db = db
        self._events = db["events"]
        self._keyring = keyring
        # One writer per instance batches events (an instance never races
        # itself); races with other instances are settled by the unique index.
        self._commit = GroupCommit(self._events, self.head, self._find_retry, check_retry_matches)

    async def ping(self) -> None:
        await ping(self._db)

    def observe(self, room_id: str, seq: int) -> None:
        """An event stored by another instance (heard through the broker)."""
        self._commit.observe(room_id, seq)

    async def drain(self) -> None:
        await self._commit.drain()

    @property
    def commit_stats(self) -> tuple[int, int]:
        """(flushes, events written): how much group commit batched."""
        return self._commit.flushes, self._commit.written

    # sealed text -------------------------------------------------------------
    async def message_of(self, doc: Doc) -> Message:
        """``doc`` (a ``message.created`` event) as a Message with its text opened."""
        await self._keyring.prepare([doc.get("sealed")])
        return to_message(doc, self._keyring.open(doc.get("sealed"), doc["_id"]))

    async def messages_of(self, docs: list[Doc]) -> list[Message]:
        await self._keyring.prepare(doc.get("sealed") for doc in docs)
        return [to_message(doc, self._keyring.open(doc.get("sealed"), doc["_id"])) for doc in docs]

    async def _seal_body(self, doc: Doc) -> None:
        """Replace a new message's ``body`` by its sealed form (never stored plain)."""
        body = doc.pop("body", None)
        if body is not None:
            doc["sealed"] = await self._keyring.seal(doc["program_id"], body, doc["_id"])

    @guard
    async def head(self, room_id: str) -> int:
        doc = await self._events.find_one(
            {"room_id": room_id}, projection={"seq": 1}, sort=[("seq", DESCENDING)]
        )
        return int(doc["seq"]) if doc else 0

    async def append(self, doc: Doc) -> tuple[Doc, bool]:
        """Store one event with the room's next seq (written in a group commit).

        Returns ``(stored, created)``: a retried client id returns the first
        event with ``created=False`` and never writes a second one.
        """
        await self._seal_body(doc)
        return await self._commit.write(doc)

    async def _find_retry(self, doc: Doc) -> Doc | None:
        return await self._events.find_one(
            {
                "room_id": doc["room_id"],
                "author_id": doc["author_id"],
                "client_id": doc["client_id"],
            }
        )

    @guard
    async def find_change(self, room_id: str, author_id: str, client_id: str) -> Doc | None:
        return await self._events.find_one(
            {"room_id": room_id, "author_id": author_id, "client_id": client_id}
        )

    @guard
    async def get_message(self, message_id: str) -> Message | None:
        doc = await self._events.find_one(
            {"_id": message_id, "type": EventType.MESSAGE_CREATED.value}
        )
        return await self.message_of(doc) if doc else None

    @guard
    async def messages_by_ids(self, ids: list[str]) -> dict[str, Message]:
        cursor = self._events.find({"_id": {"$in": ids}, "type": EventType.MESSAGE_CREATED.value})
        return {m.id: m for m in await self.messages_of([doc async for doc in cursor])}

    @guard
    async def apply_edit(
        self, program_id: str, message_id: str, seq: int, body: str, at: datetime
    ) -> Message | None:
        """Apply an edit unless a later change (or a delete) already won;
        return the message's state afterwards either way."""
        sealed = await self._keyring.seal(program_id, body, message_id)
        doc = await self._events.find_one_and_update(
            {"_id": message_id, "state": MessageState.VISIBLE.value, "version": {"$lt": seq}},
            {"$set": {"sealed": sealed, "edited_ms": _to_ms(at), "version": seq}},
            return_document=ReturnDocument.AFTER,
        )
        if doc is None:
            doc = await self._events.find_one({"_id": message_id})
        return await self.message_of(doc) if doc else None

    @guard
    async def apply_delete(
        self, message_id: str, state: MessageState, reason: str | None = None
    ) -> None:
        """Drop the text for good; the tombstone (id, seq, author, time, and a
        moderator's reason) stays. Later edits cannot bring it back: they only
        apply to visible messages."""
        await self._events.update_one(
            {"_id": message_id},
            {
                "$set": {"state": state.value, "reactions": [], "removed_reason": reason},
                "$unset": {"sealed": "", "edited_ms": ""},
            },
        )

    @guard
    async def apply_reaction(
        self, message_id: str, reaction: str, member_id: str, on: bool
    ) -> Message | None:
        op = "$addToSet" if on else "$pull"
        doc = await self._events.find_one_and_update(
            {"_id": message_id, "state": MessageState.VISIBLE.value},
            {op: {"reactions": f"{reaction}:{member_id}"}},
            return_document=ReturnDocument.AFTER,
        )
        return await self.message_of(doc) if doc else None

    @guard
    async def range(
        self, room_id: str, after: int, upto: int | None = None, limit: int = 1000
    ) -> list[Doc]:
        """Events with ``after < seq <= upto``, in order."""
        query: dict[str, Any] = {"$gt": after}
        if upto is not None:
            query["$lte"] = upto
        cursor = (
            self._events.find({"room_id": room_id, "seq": query})
            .sort("seq", ASCENDING)
            .limit(limit)
        )
        return [doc async for doc in cursor]

    @guard
    async def history(self, room_id: str, before: int | None, limit: int) -> list[Message]:
        """The newest ``limit`` messages older than ``before``, oldest first."""
        query: Doc = {"room_id": room_id, "type": EventType.MESSAGE_CREATED.value}
        if before is not None:
            query["seq"] = {"$lt": before}
        cursor = self._events.find(query).sort("seq", DESCENDING).limit(limit)
        page = await self.messages_of([doc async for doc in cursor])
        page.reverse()
        return page

    # privacy (rule 14) -------------------------------------------------------------
    @guard
    async def authored(self, author_ids: list[str], *, visible_only: bool = False) -> list[Message]:
        """Every message these members wrote, oldest first (export and erase)."""
        query: Doc = {"author_id": {"$in": author_ids}, "type": EventType.MESSAGE_CREATED.value}
        if visible_only:
            query["state"] = MessageState.VISIBLE.value
        cursor = self._events.find(query).sort("created_at", ASCENDING)
        return await self.messages_of([doc async for doc in cursor])

    @guard
    async def purge_rooms(self, room_ids: list[str]) -> int:
        """Retention: drop the text of every message in these rooms; tombstones stay."""
        result = await self._events.update_many(
            {
                "room_id": {"$in": room_ids},
                "type": EventType.MESSAGE_CREATED.value,
                "state": {"$ne": MessageState.PURGED.value},
            },
            {
                "$set": {"state": MessageState.PURGED.value, "reactions": []},
                "$unset": {"sealed": "", "edited_ms": ""},
            },
        )
        return int(result.modified_count)
