"""A bounded per-socket send queue, drained by one writer task.

Fan-out never awaits a socket: it pushes the already-encoded frame and moves
on. A client that stops reading fills its outbox and is dropped (close code
4008), so one slow phone never stalls a circle.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable


class Outbox:
    def __init__(
        self, send: Callable[[str], Awaitable[None]], limit: int, on_overflow: Callable[[], None]
    ) -> None:
        self._send = send
        self._limit = limit
        self._on_overflow = on_overflow
        self._queue: deque[str] = deque()
        self._wake = asyncio.Event()
        self._drained = asyncio.Event()
        self._drained.set()
        self._overflowed = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._drain(), name="outbox")

    def push(self, frame: str) -> None:
        if self._overflowed:
            return
        if len(self._queue) >= self._limit:
            self._overflowed = True
            self._queue.clear()
            self._drained.set()
            self._on_overflow()
            return
        self._queue.append(frame)
        self._drained.clear()
        self._wake.set()

    @property
    def pending(self) -> int:
        return len(self._queue)

    async def flush(self, within_s: float) -> None:
        """Wait (bounded) until everything queued so far has been written."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(within_s):
                await self._drained.wait()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def _drain(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._queue:
                await self._send(self._queue.popleft())
            self._drained.set()
