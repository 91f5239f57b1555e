"""Clients that keep chatting through faults and write everything to a ``Ledger``.

``ChatClient`` is a careful real client: it signs in on one of several
instances, joins its rooms with ``after`` = the last seq it applied, re-sends
every unacknowledged message with the same client id, and moves to the next
instance when one goes away. It never hides what the server does: every frame
it gets is recorded as it came, and the checker judges.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import random
import socket
import struct
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection

from tests.integration.client import Person
from tests.services import SLOW

from .ledger import Ledger, Reconnect, SendRecord

# The server says nothing was stored (or it is unknown): the same frame again.
RETRYABLE = frozenset(
    {"storage_unavailable", "sequence_contention", "internal", "rate_limited", "broker_unavailable"}
)
_LINK_ERRORS = (OSError, TimeoutError, websockets.WebSocketException)


class Lost(Exception):
    """The connection went away before the reply came."""


async def open_socket(url: str) -> ClientConnection:
    return await websockets.connect(
        url,
        open_timeout=10 * SLOW,
        ping_interval=None,
        close_timeout=1,
        max_size=2**23,
        max_queue=None,
        compression=None,
    )


class ChatClient:
    """One member's socket (all its rooms on it), with resume and failover."""

    def __init__(
        self,
        name: str,
        person: Person,
        rooms: Sequence[str],
        urls: Sequence[str],
        ledger: Ledger,
        *,
        attempt_timeout: float = 5.0,
        give_up_s: float = 40.0,
    ) -> None:
        self.name = name
        self.person = person
        self.rooms = list(rooms)
        self.urls = list(urls)
        self.ledger = ledger
        self.attempt_timeout = attempt_timeout * SLOW
        self.give_up_s = give_up_s * SLOW
        self.last: dict[str, int] = dict.fromkeys(self.rooms, 0)
        self.connected = asyncio.Event()
        self.url_index = 0
        self._ws: ClientConnection | None = None
        # ref → (send, its reply, when the frame went out)
        self._waiting: dict[str, tuple[SendRecord, asyncio.Future[dict[str, Any]], float]] = {}
        self._joined: set[str] = set()
        self._join_after: dict[str, int] = {}
        self._reconnect: Reconnect | None = None
        self._runner: asyncio.Task[None] | None = None
        self._refs = itertools.count()

    @property
    def url(self) -> str:
        return self.urls[self.url_index % len(self.urls)]

    # lifecycle ----------------------------------------------------------------
    async def start(self) -> None:
        self._runner = asyncio.create_task(self._run(), name=f"client-{self.name}")
        async with asyncio.timeout(20 * SLOW):
            await self.connected.wait()

    async def stop(self) -> None:
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
            self._runner = None
        if self._ws is not None:
            await self._ws.close()
        self.connected.clear()

    async def final_resume(self, heads: dict[str, int], timeout: float = 30.0) -> None:
        """Reconnect once more, resume every room, and wait to reach ``heads``."""
        await self.stop()
        await self.start()
        await self.caught_up(heads, timeout)

    async def caught_up(self, heads: dict[str, int], timeout: float = 30.0) -> None:
        async with asyncio.timeout(timeout * SLOW):
            while any(self.last[room] < head for room, head in heads.items() if room in self.last):
                await asyncio.sleep(0.02)

    # sending --------------------------------------------------------------------
    async def send(self, room_id: str, body: str, client_id: str | None = None) -> SendRecord:
        """Until acknowledged or refused; ``unknown`` after ``give_up_s``."""
        client_id = client_id or str(uuid.uuid4())
        record = self.ledger.send(self.name, self.person.member_id, room_id, client_id, body)
        frame = {"type": "send", "room_id": room_id, "client_id": client_id, "body": body}
        deadline = time.monotonic() + self.give_up_s
        delay = 0.1
        while time.monotonic() < deadline:
            try:
                async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                    await self.connected.wait()
            except TimeoutError:
                break  # no connection before giving up: the outcome stays unknown
            try:
                reply = await self._attempt(record, frame)
            except (TimeoutError, Lost) as exc:
                record.attempts.append("timeout" if isinstance(exc, TimeoutError) else "lost")
                # Let the runner notice the dead link before trying again.
                await asyncio.sleep(0.05)
                continue
            if reply["type"] == "ack":
                return record
            code = str(reply.get("code"))
            if code not in RETRYABLE:
                record.refused = code
                return record
            await asyncio.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, 1.0)
        return record

    async def _attempt(self, record: SendRecord, frame: dict[str, Any]) -> dict[str, Any]:
        """One try on the current connection: the reply, or Lost / TimeoutError."""
        ws = self._ws
        if ws is None:
            raise Lost
        ref = f"{self.name}.{next(self._refs)}"
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[ref] = (record, future, time.monotonic())
        try:
            await ws.send(json.dumps({**frame, "ref": ref}, ensure_ascii=False))
        except websockets.ConnectionClosed:
            self._waiting.pop(ref, None)
            raise Lost from None
        async with asyncio.timeout(self.attempt_timeout):
            return await future

    # connection ---------------------------------------------------------------
    async def _run(self) -> None:
        while True:
            try:
                await self._session()
            except _LINK_ERRORS:
                pass
            finally:
                self._ws = None
                self._joined.clear()
                self.connected.clear()
                for _record, future, _sent in self._waiting.values():
                    if not future.done():
                        future.set_exception(Lost())
                self._waiting.clear()
            if self._reconnect is None:
                self._reconnect = self.ledger.lost(self.name)
            # The next instance: a dead one refuses at once, a live one resumes.
            self.url_index += 1
            await asyncio.sleep(random.uniform(0.05, 0.25))

    async def _session(self) -> None:
        async with await open_socket(self.url) as ws:
            connection = self.ledger.new_connection(self.name)
            await ws.send(json.dumps({"type": "auth", "token": self.person.access}))
            async with asyncio.timeout(10 * SLOW):
                reply = json.loads(await ws.recv())
            if reply.get("type") != "ready":
                await asyncio.sleep(0.3)  # e.g. storage_unavailable: try again
                return
            self._ws = ws
            for room_id in self.rooms:
                await self._join(ws, room_id)
            async for raw in ws:
                await self._on_frame(ws, connection, json.loads(raw))

    async def _on_frame(self, ws: ClientConnection, connection: int, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind == "event":
            room_id, seq = frame["room_id"], int(frame["seq"])
            message_id = frame["data"]["message_id"]
            self.ledger.event(self.name, connection, room_id, seq, message_id)
            if seq == self.last[room_id] + 1:
                self.last[room_id] = seq
            elif seq > self.last[room_id] + 1:
                # A hole: the ledger has it; re-join to heal, as a client must.
                await self._join(ws, room_id)
        elif kind == "joined":
            room_id = frame["room_id"]
            after = self._join_after[room_id]
            self.ledger.joined(
                self.name, connection, room_id, after, frame["head"], frame["resume"]
            )
            if frame["resume"] in ("fresh", "reload"):
                self.last[room_id] = frame["head"]
            self._joined.add(room_id)
            if self._joined >= set(self.rooms) and not self.connected.is_set():
                if self._reconnect is not None:
                    self._reconnect.resumed_at = time.monotonic()
                    self._reconnect = None
                self.connected.set()
        elif kind == "error" and str(frame.get("ref", "")).startswith("join:"):
            await ws.close()  # e.g. storage_unavailable: reconnect and join again
        elif kind in ("ack", "error") and "ref" in frame:
            self._on_reply(frame)

    async def _join(self, ws: ClientConnection, room_id: str) -> None:
        after = self._join_after[room_id] = self.last[room_id]
        join = {"type": "join", "room_id": room_id, "after": after, "ref": f"join:{room_id}"}
        await ws.send(json.dumps(join))

    def _on_reply(self, frame: dict[str, Any]) -> None:
        waiting = self._waiting.pop(frame["ref"], None)
        if waiting is None:
            return
        record, future, sent = waiting
        if frame["type"] == "ack":
            record.ack(frame["message_id"], int(frame["seq"]), bool(frame["duplicate"]))
        else:
            record.attempts.append(str(frame["code"]))
            record.refusal_s.append(time.monotonic() - sent)
        if not future.done():
            future.set_result(frame)


async def chatter(
    clients: Sequence[ChatClient], stop: asyncio.Event, *, rate_per_s: float, pad: int = 0
) -> None:
    """Every client sends in turn to its rooms (one message in flight each) at
    ``rate_per_s`` in all, until ``stop``; then its last send is finished.
    ``pad`` adds that many characters to each body."""
    interval = len(clients) / rate_per_s
    filler = " " + "€" * pad if pad else ""

    async def one(client: ChatClient) -> None:
        await asyncio.sleep(random.uniform(0, interval))
        for index in itertools.count():
            if stop.is_set():
                return
            started = time.monotonic()
            room_id = client.rooms[index % len(client.rooms)]
            await client.send(room_id, f"m:{client.name}:{index}{filler}")
            await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)))

    await asyncio.gather(*(one(c) for c in clients))


async def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``predicate()`` until true, or fail saying ``what`` never happened."""
    deadline = time.monotonic() + timeout * SLOW
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


class Sleeper:
    """A member's socket that signs in, joins, and never reads again (with a
    tiny receive buffer, so the server's frames pile up on its side)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    @classmethod
    async def open(cls, port: int, token: str, rooms: Sequence[str]) -> Sleeper:
        loop = asyncio.get_running_loop()
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.setblocking(False)
        await loop.sock_connect(sock, ("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        await loop.sock_sendall(
            sock,
            (
                f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode(),
        )
        head = b""
        while b"\r\n\r\n" not in head:
            head += await loop.sock_recv(sock, 1)  # not a byte past the handshake
        assert head.startswith(b"HTTP/1.1 101"), head
        sleeper = cls(sock)
        await sleeper.send({"type": "auth", "token": token})
        for room_id in rooms:
            await sleeper.send({"type": "join", "room_id": room_id})
        return sleeper

    async def send(self, frame: dict[str, Any]) -> None:
        payload = json.dumps(frame).encode()
        mask = os.urandom(4)
        size = len(payload)
        header = (
            struct.pack("!BB", 0x81, 0x80 | size)
            if size < 126
            else struct.pack("!BBH", 0x81, 0x80 | 126, size)
        )
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        await asyncio.get_running_loop().sock_sendall(self.sock, header + mask + masked)

    def close(self) -> None:
        self.sock.close()


class LightSocket:
    """One socket to one room and nothing else: the storm's many clients.
    It records what it gets; ``resume`` reconnects and joins with ``after``."""

    def __init__(self, name: str, token: str, room_id: str, ledger: Ledger) -> None:
        self.name = name
        self.token = token
        self.room_id = room_id
        self.ledger = ledger
        self.last = 0
        self.retries = 0
        self.first_try_at = 0.0
        self.joined = asyncio.Event()
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None

    async def connect(self, url: str) -> None:
        """Sign in and join from ``last``; events then flow into the ledger."""
        self.joined.clear()
        ws = await open_socket(url)
        connection = self.ledger.new_connection(self.name)
        await ws.send(json.dumps({"type": "auth", "token": self.token}))
        reply = json.loads(await ws.recv())
        if reply.get("type") != "ready":
            await ws.close()
            raise OSError(f"auth refused: {reply}")
        after = self.last
        await ws.send(json.dumps({"type": "join", "room_id": self.room_id, "after": after}))
        self._ws = ws
        self._reader = asyncio.create_task(self._read(ws, connection, after))

    async def resume(self, url: str, lost: Reconnect, deadline_s: float = 60.0) -> None:
        """Reconnect (retrying, as clients do) until joined again."""
        deadline = time.monotonic() + deadline_s * SLOW
        self.first_try_at = time.monotonic()
        while True:
            try:
                await self.connect(url)
                async with asyncio.timeout(max(0.1, deadline - time.monotonic())):
                    await self.joined.wait()
                lost.resumed_at = time.monotonic()
                return
            except _LINK_ERRORS:
                if time.monotonic() > deadline:
                    raise
                self.retries += 1
                await asyncio.sleep(random.uniform(0.1, 0.5))

    def abort(self) -> None:
        """Drop the connection the way a network does: no close frame."""
        if self._ws is not None:
            self._ws.transport.abort()

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self._ws is not None:
            self._ws.transport.abort()

    async def _read(self, ws: ClientConnection, connection: int, after: int) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for raw in ws:
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind == "event":
                    seq = int(frame["seq"])
                    message_id = frame["data"]["message_id"]
                    self.ledger.event(self.name, connection, self.room_id, seq, message_id)
                    self.last = max(self.last, seq)
                elif kind == "joined":
                    self.ledger.joined(
                        self.name, connection, self.room_id, after, frame["head"], frame["resume"]
                    )
                    self.joined.set()
