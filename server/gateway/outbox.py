"""A bounded per-socket send queue, drained by one writer task.

Fan-out never awaits a socket. While the socket keeps up (nothing queued,
nothing left in its transport's buffer) a frame is written at once, already
framed; otherwise it waits in the queue for the writer task, which honours the
transport's flow control. A client that stops reading fills its outbox and is
dropped (close code 4008), so one slow phone never stalls a circle.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
from collections import deque
from collections.abc import Awaitable, Callable


class _LastFramed:
    """The last text framed, with its frame: fan-out hands the same string to every
    member of a room in turn, so it is framed once per event, not once per socket."""

    __slots__ = ("frame", "text")

    def __init__(self) -> None:
        self.text = ""
        self.frame = b"\x81\x00"


_last = _LastFramed()


def text_frame(text: str) -> bytes:
    """``text`` as one unmasked WebSocket text frame (RFC 6455 §5.2), as a server sends it."""
    if text is _last.text:  # the very object, so the very text: it is held here
        return _last.frame
    payload = text.encode()
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", 0x81, size)
    elif size < 65536:
        header = struct.pack("!BBH", 0x81, 126, size)
    else:
        header = struct.pack("!BBQ", 0x81, 127, size)
    frame = header + payload
    _last.text, _last.frame = text, frame
    return frame


class Outbox:
    def __init__(
        self,
        send: Callable[[str], Awaitable[None]],
        limit: int,
        on_overflow: Callable[[], None],
        write_now: Callable[[str], bool] | None = None,
    ) -> None:
        """``send`` writes one frame with flow control; ``write_now``, when given, writes
        one at once if the socket has nothing buffered, and says whether it did."""
        self._send = send
        self._write_now = write_now
        self._limit = limit
        self._on_overflow = on_overflow
        self._queue: deque[str] = deque()
        self._wake = asyncio.Event()
        self._drained = asyncio.Event()
        self._drained.set()
        self._overflowed = False
        self._sending = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._drain(), name="outbox")

    def push(self, frame: str) -> None:
        if self._overflowed:
            return
        if (
            self._write_now is not None
            and not self._queue
            and not self._sending
            and self._write_now(frame)
        ):
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
                # Set until the frame is handed over, so that push() never
                # writes a later frame ahead of it.
                self._sending = True
                try:
                    await self._send(self._queue.popleft())
                finally:
                    self._sending = False
            self._drained.set()
