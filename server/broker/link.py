"""One pub/sub connection to one Redis node, with confirmed subscriptions.

redis-py quietly reconnects a ``PubSub`` inside ``get_message`` and re-sends
all its subscriptions in one command, which a cluster node refuses
(CROSSSLOT) once they span hash slots. So a link never retries: its first
connection error ends it, and its owner (``Subscriptions``) builds a new one
and resubscribes. Subscribe and unsubscribe return once the server has
confirmed them, so a publish made afterwards is sure to be (not) delivered.

The listener only reads; a second task hands messages to the broker's
handler in order, so a handler that itself (un)subscribes cannot stall the
confirmations it waits for. While the handler lags, read messages queue up
to ``_QUEUE_BYTES``; then reading stops and Redis' own output-buffer limit
for pub/sub clients decides (it cuts the link, and the owner reconnects).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from ..ports import MessageHandler

log = structlog.get_logger(__name__)

Spawn = Callable[[Coroutine[Any, Any, None], str], asyncio.Task[None]]
_CONFIRM_S = 5.0
_QUEUE_BYTES = 4 * 2**20
_POLL_S = 1.0


@dataclass(frozen=True)
class Dialect:
    """The pub/sub command names: classic or sharded (Redis Cluster)."""

    subscribe: str
    unsubscribe: str
    message: str


CLASSIC = Dialect("subscribe", "unsubscribe", "message")
SHARDED = Dialect("ssubscribe", "sunsubscribe", "smessage")


class LinkClosed(ConnectionError):
    """The link ended before the server confirmed a (un)subscribe."""


class Link:
    """Subscriptions on one connection: a reader task and a handler task.

    Both run under the owner's ``spawn``, which cancels what is left when
    the broker closes.
    """

    def __init__(
        self,
        name: str,
        client: Redis,
        dialect: Dialect,
        *,
        deliver: MessageHandler,
        on_dropped: Callable[[Link, str], None],
        on_lost: Callable[[Link], None],
        spawn: Spawn,
    ) -> None:
        self.name = name
        self.channels: set[str] = set()  # confirmed by the server
        self.alive = True
        self._client = client
        self._pubsub = client.pubsub()
        self._dialect = dialect
        self._deliver = deliver
        self._on_dropped = on_dropped
        self._on_lost = on_lost
        self._spawn = spawn
        self._waiting: dict[tuple[str, str], list[asyncio.Future[None]]] = {}
        self._queue: asyncio.Queue[tuple[str, bytes] | None] = asyncio.Queue()
        self._queued_bytes = 0
        self._drained = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def subscribe(self, channels: Sequence[str]) -> None:
        """Subscribe (one hash slot per call when sharded) and await the server."""
        await self._call(self._dialect.subscribe, channels)

    async def unsubscribe(self, channels: Sequence[str]) -> None:
        await self._call(self._dialect.unsubscribe, channels)

    async def close(self) -> None:
        """End the link without telling the owner; a message already in the
        handler finishes, the rest are dropped."""
        self._end(LinkClosed(self.name))
        await self._release()

    async def _call(self, command: str, channels: Sequence[str]) -> None:
        if not self.alive:
            raise LinkClosed(self.name)
        loop = asyncio.get_running_loop()
        futures = []
        for channel in channels:
            future: asyncio.Future[None] = loop.create_future()
            self._waiting.setdefault((command, channel), []).append(future)
            futures.append(future)
        try:
            # PubSub's own methods keep its bookkeeping (``subscribed``),
            # which decides whether a health check may read inline.
            await getattr(self._pubsub, command)(*channels)
        except BaseException as exc:
            # Even a cancelled write may have left half a command behind.
            await self._lose(exc)
            raise
        if not self._tasks:
            self._tasks = [
                self._spawn(self._listen(), f"broker-read-{self.name}"),
                self._spawn(self._hand_over(), f"broker-handle-{self.name}"),
            ]
        try:
            async with asyncio.timeout(_CONFIRM_S):
                # Refused (MOVED, CLUSTERDOWN) raises ResponseError here,
                # with the connection itself fine.
                await asyncio.gather(*futures)
        except TimeoutError as exc:
            await self._lose(exc)
            raise

    async def _listen(self) -> None:
        try:
            while True:
                try:
                    message = await self._pubsub.get_message(timeout=_POLL_S)
                except ResponseError as exc:
                    self._fail_waiting(exc)
                    continue
                if message is not None:
                    await self._handle(message)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("broker_link_lost", link=self.name, error=type(exc).__name__)
            await self._lose(exc)

    async def _handle(self, message: dict[str, Any]) -> None:
        kind, channel = _text(message["type"]), _text(message["channel"])
        if kind == self._dialect.message:
            payload: bytes = message["data"]
            while self._queued_bytes > _QUEUE_BYTES:
                self._drained.clear()
                await self._drained.wait()
            self._queued_bytes += len(payload)
            self._queue.put_nowait((channel, payload))
        elif kind == self._dialect.subscribe:
            self.channels.add(channel)
            self._resolve(kind, channel)
        elif kind == self._dialect.unsubscribe:
            self.channels.discard(channel)
            if not self._resolve(kind, channel):
                # Nobody asked: the node gave the channel's slot away.
                self._on_dropped(self, channel)

    async def _hand_over(self) -> None:
        while (item := await self._queue.get()) is not None and self.alive:
            channel, payload = item
            self._queued_bytes -= len(payload)
            self._drained.set()
            try:
                await self._deliver(channel, payload)
            except Exception:
                log.exception("broker_handler_failed", channel=channel)

    def _resolve(self, command: str, channel: str) -> bool:
        waiting = self._waiting.get((command, channel))
        if not waiting:
            return False
        future = waiting.pop(0)
        if not waiting:
            del self._waiting[(command, channel)]
        if not future.done():
            future.set_result(None)
        return True

    def _fail_waiting(self, exc: Exception) -> None:
        waiting, self._waiting = self._waiting, {}
        for futures in waiting.values():
            for future in futures:
                if not future.done():
                    future.set_exception(exc)
                    future.exception()  # retrieved: its waiter may be gone

    def _end(self, exc: BaseException) -> bool:
        if not self.alive:
            return False
        self.alive = False
        self._fail_waiting(exc if isinstance(exc, Exception) else LinkClosed(self.name))
        self._queue.put_nowait(None)  # the handler task ends after its current message
        return True

    async def _lose(self, exc: BaseException) -> None:
        if self._end(exc):
            self._on_lost(self)
        # Undelivered messages are dropped: the owner's reconnect makes the
        # hub fill every room's gap from the record.
        await self._release()

    async def _release(self) -> None:
        reader = self._tasks[0] if self._tasks else None
        if reader is not None and reader is not asyncio.current_task():
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
        with contextlib.suppress(Exception):
            # Untyped in redis-py before 8.2, typed since.
            await self._pubsub.aclose()  # type: ignore[no-untyped-call, unused-ignore]
        with contextlib.suppress(Exception):
            await self._client.aclose()


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
