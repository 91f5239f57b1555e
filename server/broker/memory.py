"""The in-process broker: one instance, or several in one process for tests."""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict

import structlog

from ..ports import MessageHandler, ReconnectHandler

log = structlog.get_logger(__name__)


class MemoryBus:
    """What several ``MemoryBroker``s in one process share."""

    def __init__(self) -> None:
        self.subscribers: defaultdict[str, set[MemoryBroker]] = defaultdict(set)


class MemoryBroker:
    """Hands messages to its handler one at a time, in arrival order, from a
    task of its own, as the network brokers do."""

    def __init__(self, bus: MemoryBus | None = None) -> None:
        self._bus = bus or MemoryBus()
        self._channels: set[str] = set()
        self._queue: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue()
        self._on_message: MessageHandler | None = None
        self._handler: asyncio.Task[None] | None = None

    async def start(self, on_message: MessageHandler, on_reconnect: ReconnectHandler) -> None:
        self._on_message = on_message
        self._handler = asyncio.create_task(self._hand_over(), name="memory-broker")

    async def close(self) -> None:
        for channel in list(self._channels):
            await self.unsubscribe(channel)
        handler, self._handler = self._handler, None
        if handler is not None:
            handler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await handler

    async def publish(self, channel: str, payload: bytes) -> None:
        for broker in list(self._bus.subscribers.get(channel, ())):
            broker._queue.put_nowait((channel, payload))

    async def subscribe(self, channel: str) -> None:
        self._channels.add(channel)
        self._bus.subscribers[channel].add(self)

    async def unsubscribe(self, channel: str) -> None:
        self._channels.discard(channel)
        subscribers = self._bus.subscribers.get(channel)
        if subscribers is not None:
            subscribers.discard(self)
            if not subscribers:
                del self._bus.subscribers[channel]

    async def ping(self) -> None:
        return None

    async def _hand_over(self) -> None:
        while True:
            channel, payload = await self._queue.get()
            # Drops what was queued for a channel unsubscribed since.
            if channel not in self._channels or self._on_message is None:
                continue
            try:
                await self._on_message(channel, payload)
            except Exception:
                log.exception("broker_handler_failed", channel=channel)
