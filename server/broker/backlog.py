"""Publishes kept while the broker's server is away, re-sent in order."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable

import structlog

log = structlog.get_logger(__name__)
Send = Callable[[str, bytes], Awaitable[object]]


class Backlog:
    """A bounded queue of (channel, payload); the oldest go first when full.

    While anything is kept, new publishes queue behind it, so one
    publisher's messages on a channel keep their order.
    """

    def __init__(self, send: Send, limit: int = 10_000) -> None:
        self._send = send
        self._items: deque[tuple[str, bytes]] = deque()
        self._limit = limit
        self._lock = asyncio.Lock()
        self.dropped = 0

    def __bool__(self) -> bool:
        return bool(self._items)

    def keep(self, channel: str, payload: bytes) -> None:
        if len(self._items) >= self._limit:
            self._items.popleft()
            self.dropped += 1
            log.warning("broker_backlog_full", dropped=self.dropped)
        self._items.append((channel, payload))

    async def flush(self) -> None:
        """Send everything kept, oldest first; raise (keeping the rest) on failure."""
        async with self._lock:
            while self._items:
                channel, payload = self._items[0]
                await self._send(channel, payload)
                self._items.popleft()
