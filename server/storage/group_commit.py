"""Group commit: events waiting to be stored are written together.

While one ``insert_many`` is in flight, new events queue up; the next flush
writes all of them in one round trip. At low load a flush holds one event
and costs what a single insert did; under load the cost per event falls
several-fold. Nothing is acknowledged before its write returns.

The gapless rule needs care: a flush carries **at most one event per room**
and is unordered across rooms. So a write that fails (another instance took
that seq, or the event is a retry of a stored client id) can never leave a
*later* seq of the same room stored — the room's next event waits for the
next flush and gets its number only then.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import structlog
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from ..domain.errors import DomainError, StorageUnavailable, Unavailable
from ..domain.model import EventType
from .mongo import UNAVAILABLE_ERRORS, Doc

log = structlog.get_logger(__name__)

MAX_SEQ_RACES = 64
_HINTS_KEPT = 10_000
_DUPLICATE_KEY = 11000
# Bounds one round trip (and a burst's latency); the rest waits for the next.
_MAX_BATCH = 500

Stored = tuple[Doc, bool]
LoadHead = Callable[[str], Awaitable[int]]
FindRetry = Callable[[Doc], Awaitable[Doc | None]]
MatchRetry = Callable[[Doc, Doc], Doc]


@dataclass(eq=False)
class _Waiting:
    doc: Doc
    done: asyncio.Future[Stored] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    races: int = 0
    # A seq to try instead of the room's next one, not yet known to be free
    # or taken (see _settle); the room's next seq is not moved until it is.
    try_seq: int | None = None


class GroupCommit:
    def __init__(
        self,
        events: AsyncCollection[Doc],
        load_head: LoadHead,
        find_retry: FindRetry,
        match_retry: MatchRetry,
    ) -> None:
        self._events = events
        self._load_head = load_head
        self._find_retry = find_retry
        self._match_retry = match_retry
        self._queues: OrderedDict[str, deque[_Waiting]] = OrderedDict()
        self._next: OrderedDict[str, int] = OrderedDict()
        self._flusher: asyncio.Task[None] | None = None
        # Rooms whose first queued event was refused and is being settled off
        # the flush path (other rooms keep flushing meanwhile).
        self._settling: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.flushes = 0
        self.written = 0

    async def write(self, doc: Doc) -> Stored:
        """Store ``doc`` with its room's next seq; ``(stored, created)``."""
        waiting = _Waiting(doc)
        self._queues.setdefault(doc["room_id"], deque()).append(waiting)
        self._kick()
        # A cancelled caller doesn't cancel the write: its retry finds it.
        return await asyncio.shield(waiting.done)

    def _kick(self) -> None:
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.get_running_loop().create_task(self._flush_all())

    def observe(self, room_id: str, seq: int) -> None:
        """Another instance stored ``seq`` here: number after it, not into it.

        Without this, two instances writing one room alternately would each
        guess a taken number every time and pay a failed write and a re-read.
        """
        if self._next.get(room_id, seq + 1) <= seq:
            self._next[room_id] = seq + 1

    def forget(self, room_id: str) -> None:
        self._next.pop(room_id, None)

    async def _flush_all(self) -> None:
        while True:
            batch = [
                queue[0] for room, queue in self._queues.items() if room not in self._settling
            ][:_MAX_BATCH]
            if not batch:
                return
            try:
                await self._flush(batch)
            except Exception as exc:
                # Never leave a sender waiting: fail this flush, keep serving.
                error = (
                    StorageUnavailable()
                    if isinstance(exc, UNAVAILABLE_ERRORS)
                    else exc
                    if isinstance(exc, DomainError)
                    else Unavailable()
                )
                if not isinstance(exc, (*UNAVAILABLE_ERRORS, DomainError)):
                    log.exception("group_commit_failed")
                # The database is away: everyone queued would wait out the same
                # timeout in turn; refuse them all now (their retries are safe).
                failing = (
                    [w for queue in list(self._queues.values()) for w in queue]
                    if isinstance(error, StorageUnavailable)
                    else batch
                )
                for waiting in failing:
                    self.forget(waiting.doc["room_id"])
                    self._finish(waiting, error=error)

    async def _flush(self, batch: list[_Waiting]) -> None:
        unknown = [w.doc["room_id"] for w in batch if w.doc["room_id"] not in self._next]
        if unknown:
            heads = await asyncio.gather(*(self._load_head(room) for room in unknown))
            for room, head in zip(unknown, heads, strict=True):
                self._remember(room, head + 1)
        for waiting in batch:
            seq = max(self._next[waiting.doc["room_id"]], waiting.try_seq or 0)
            waiting.doc["seq"] = seq
            if waiting.doc["type"] == EventType.MESSAGE_CREATED:
                waiting.doc["version"] = seq
        failed: dict[int, dict[str, Any]] = {}
        try:
            await self._events.insert_many([w.doc for w in batch], ordered=False)
        except BulkWriteError as exc:
            failed = {error["index"]: error for error in exc.details.get("writeErrors", [])}
            if not failed or any(e.get("code") != _DUPLICATE_KEY for e in failed.values()):
                raise
        self.flushes += 1
        self.written += len(batch) - len(failed)
        for index, waiting in enumerate(batch):
            if index not in failed:
                room = waiting.doc["room_id"]
                self._remember(room, max(waiting.doc["seq"] + 1, self._next.get(room, 0)))
                self._finish(waiting, result=(waiting.doc, True))
        for index in failed:
            # Settled off the flush path: a lookup in storage must not hold
            # up every other room's writes (and their acknowledgements).
            waiting = batch[index]
            self._settling.add(waiting.doc["room_id"])
            task = asyncio.get_running_loop().create_task(self._settle(waiting))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _settle(self, waiting: _Waiting) -> None:
        """The insert of ``waiting`` was refused: its seq was taken (by another
        instance) or its client id is stored already (a retry)."""
        room = waiting.doc["room_id"]
        seq = waiting.doc["seq"]
        try:
            if self._next.get(room, 0) > seq:
                # Another instance announced that it stored ``seq``: retry after it.
                found = None
                waiting.try_seq = None
            elif waiting.try_seq is None:
                # Most likely another instance took ``seq`` just now, unheard as
                # yet: try the next one at once. If that insert succeeds, this
                # event is no retry, so ``seq`` was taken (gapless); the room's
                # next seq is not moved on a guess.
                found = None
                waiting.try_seq = seq + 1
            else:
                waiting.try_seq = None
                found = await self._find_retry(waiting.doc)
                if found is None:
                    # Not a retry: another instance wrote here unheard (the
                    # broker is slow or away). Re-read the head, which may be
                    # many events on.
                    head = await self._load_head(room)
                    self._remember(room, max(head + 1, seq + 1, self._next.get(room, 0)))
            if found is not None:
                try:
                    self._finish(waiting, result=(self._match_retry(found, waiting.doc), False))
                except DomainError as exc:
                    self._finish(waiting, error=exc)
                return
            waiting.races += 1
            if waiting.races >= MAX_SEQ_RACES:
                self.forget(room)
                self._finish(
                    waiting,
                    error=Unavailable(
                        "This room is very busy right now; please retry.",
                        code="sequence_contention",
                    ),
                )
        except Exception as exc:
            self.forget(room)
            self._finish(
                waiting,
                error=(
                    StorageUnavailable() if isinstance(exc, UNAVAILABLE_ERRORS) else Unavailable()
                ),
            )
        finally:
            self._settling.discard(room)
            if room in self._queues:
                self._kick()

    def _finish(
        self, waiting: _Waiting, *, result: Stored | None = None, error: Exception | None = None
    ) -> None:
        queue = self._queues.get(waiting.doc["room_id"])
        if queue and queue[0] is waiting:
            queue.popleft()
            if not queue:
                del self._queues[waiting.doc["room_id"]]
        if waiting.done.done():
            return
        if error is not None:
            waiting.done.set_exception(error)
        else:
            assert result is not None
            waiting.done.set_result(result)

    def _remember(self, room_id: str, next_seq: int) -> None:
        self._next[room_id] = next_seq
        self._next.move_to_end(room_id)
        while len(self._next) > _HINTS_KEPT:
            self._next.popitem(last=False)

    async def drain(self) -> None:
        """Let queued writes finish (graceful shutdown: their senders get acks)."""
        while (self._flusher is not None and not self._flusher.done()) or self._tasks:
            pending = [*self._tasks]
            if self._flusher is not None and not self._flusher.done():
                pending.append(self._flusher)
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(asyncio.gather(*pending, return_exceptions=True))
