"""A minimal WebSocket client (RFC 6455) on ``asyncio.Protocol``, so the
generator costs a few microseconds per received frame instead of the tens a
general client spends (a future and a task switch per message).

Frames are parsed straight out of ``data_received``, many per read, and
handed to a callback as bytes. Client frames carry the mask bit with an
all-zero key (still a masked frame; the payload needs no XOR). Fragmented
messages and compression are not supported: no target sends them."""

from __future__ import annotations

import asyncio
import base64
import os
import struct
from collections import deque
from collections.abc import Callable
from typing import cast
from urllib.parse import urlsplit

_ZERO_MASK = b"\x00\x00\x00\x00"
_TEXT, _CLOSE, _PING, _PONG = 0x1, 0x8, 0x9, 0xA
_CONNECT_TIMEOUT_S = 30.0


def _frame(opcode: int, payload: bytes) -> bytes:
    size = len(payload)
    if size < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | size)
    elif size < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, size)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, size)
    return head + _ZERO_MASK + payload


class ClosedError(ConnectionError):
    """The server closed the connection."""


class WebSocket(asyncio.Protocol):
    def __init__(self, request: bytes) -> None:
        self._request = request
        self._buffer = bytearray()
        self._upgraded = False
        self._opened: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._inbox: deque[bytes] = deque()
        self._arrived: asyncio.Event = asyncio.Event()
        self._transport: asyncio.Transport | None = None
        self.on_text: Callable[[bytes], None] | None = None
        self.closed = False

    # asyncio.Protocol --------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but are one.
        self._transport = cast(asyncio.Transport, transport)
        self._transport.write(self._request)

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if not self._upgraded:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(self._buffer[: self._buffer.find(b"\r\n")])
            del self._buffer[: end + 4]
            if b" 101 " not in status:
                self._opened.set_exception(ConnectionError(status.decode(errors="replace")))
                return
            self._upgraded = True
            self._opened.set_result(None)
        self._parse()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self._opened.done():
            self._opened.set_exception(exc or ClosedError("closed before the upgrade"))
        self._arrived.set()

    # frames --------------------------------------------------------------------
    def _parse(self) -> None:
        buffer = self._buffer
        at = 0
        size = len(buffer)
        while size - at >= 2:
            first, second = buffer[at], buffer[at + 1]
            length = second & 0x7F
            start = at + 2
            if length == 126:
                if size - at < 4:
                    break
                (length,) = struct.unpack_from("!H", buffer, at + 2)
                start = at + 4
            elif length == 127:
                if size - at < 10:
                    break
                (length,) = struct.unpack_from("!Q", buffer, at + 2)
                start = at + 10
            end = start + length
            if end > size:
                break
            payload = bytes(buffer[start:end])
            at = end
            opcode = first & 0x0F
            if opcode == _TEXT:
                if self.on_text is not None:
                    self.on_text(payload)
                else:
                    self._inbox.append(payload)
                    self._arrived.set()
            elif opcode == _PING:
                self._write(_frame(_PONG, payload))
            elif opcode == _CLOSE:
                self._write(_frame(_CLOSE, payload[:2]))
                self.closed = True
                if self._transport is not None:
                    self._transport.close()
        del buffer[:at]

    def _write(self, data: bytes) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.write(data)

    # API -----------------------------------------------------------------------
    async def opened(self) -> None:
        await self._opened

    def send(self, text: bytes) -> None:
        if self.closed:
            raise ClosedError("socket closed")
        self._write(_frame(_TEXT, text))

    async def recv(self) -> bytes:
        """The next text frame (only before ``on_text`` is set: the handshake)."""
        while not self._inbox:
            if self.closed:
                raise ClosedError("socket closed")
            self._arrived.clear()
            await self._arrived.wait()
        return self._inbox.popleft()

    async def close(self) -> None:
        if not self.closed:
            self._write(_frame(_CLOSE, struct.pack("!H", 1000)))
            self.closed = True
        if self._transport is not None:
            self._transport.close()


async def connect(url: str) -> WebSocket:
    """Open ``ws://host:port/path?query`` and complete the upgrade."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(_CONNECT_TIMEOUT_S):
        _, protocol = await loop.create_connection(lambda: WebSocket(request), host, port)
        await protocol.opened()
    return protocol
