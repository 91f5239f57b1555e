"""The in-process broker: one instance, or several in one process for tests."""

from __future__ import annotations

import asyncio
from collections import defaultdict

from ..ports import MessageHandler, ReconnectHandler


class MemoryBus:
    """What several ``MemoryBroker``s in one process share."""

    def __init__(self) -> None:
        self.subscribers: defaultdict[str, set[MemoryBroker]] = defaultdict(set)


class MemoryBroker:
    def __init__(self, bus: MemoryBus | None = None) -> None:
        self._bus = bus or MemoryBus()
        self._on_message: MessageHandler | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, on_message: MessageHandler, on_reconnect: ReconnectHandler) -> None:
        self._on_message = on_message

    async def close(self) -> None:
        for subscribers in self._bus.subscribers.values():
            subscribers.discard(self)
        for task in list(self._tasks):
            task.cancel()

    async def publish(self, channel: str, payload: bytes) -> None:
        for broker in list(self._bus.subscribers.get(channel, ())):
            broker._deliver(channel, payload)

    def _deliver(self, channel: str, payload: bytes) -> None:
        # Deliver on a later loop turn, as a network broker would.
        if self._on_message is None:
            return
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(
            self._on_message(channel, payload)
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def subscribe(self, channel: str) -> None:
        self._bus.subscribers[channel].add(self)

    async def unsubscribe(self, channel: str) -> None:
        subscribers = self._bus.subscribers.get(channel)
        if subscribers is not None:
            subscribers.discard(self)
            if not subscribers:
                del self._bus.subscribers[channel]

    async def ping(self) -> None:
        return None
