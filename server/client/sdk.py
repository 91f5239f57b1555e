"""An async client: signs in, joins rooms, sends with client ids, reconnects
with jittered backoff and resumes every joined room from its last seq.

Events come out of ``events()`` in order, each once. A send is retried over
reconnects with the same client id until the server acknowledges or refuses
it, so it is stored exactly once. Authentication failures are final.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import websockets
from websockets.asyncio.client import ClientConnection

# Errors worth retrying: the server says nothing was stored.
_RETRYABLE = frozenset(
    {"storage_unavailable", "broker_unavailable", "sequence_contention", "internal", "rate_limited"}
)
_AUTH_FAILED = 4001
_ACCESS_REVOKED = 4003


class CircleError(Exception):
    """The server refused a request: ``code`` is stable, ``message`` human."""

    def __init__(self, code: str, message: str, frame: dict[str, Any] | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.frame = frame or {}


class AuthFailed(CircleError):
    """Sign-in failed for good (bad credentials, expired refresh): not retried."""


class _Refreshed(Exception):
    """The access token was renewed: open a fresh socket with it at once."""


@dataclass(frozen=True, slots=True)
class Event:
    """One sequenced room event (``message.created``, ``message.edited`` ...)."""

    room_id: str
    seq: int
    kind: str
    data: dict[str, Any]
    at: str


@dataclass(frozen=True, slots=True)
class Joined:
    """A room was (re)joined; ``resume`` is fresh, replay, up_to_date or reload."""

    room_id: str
    head: int
    resume: str
    members: dict[str, str]  # member id → display name


@dataclass(frozen=True, slots=True)
class Ack:
    client_id: str
    message_id: str
    seq: int
    duplicate: bool


@dataclass
class _Pending:
    frame: dict[str, Any]
    done: asyncio.Future[dict[str, Any]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class CircleClient:
    def __init__(
        self,
        base_url: str,
        access_token: str,
        refresh_token: str | None = None,
        *,
        backoff_s: tuple[float, float] = (0.25, 10.0),
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.ws_url = self.base_url.replace("http", "ws", 1) + "/ws"
        self._access = access_token
        self._refresh = refresh_token
        self._backoff = backoff_s
        self._last: dict[str, int | None] = {}  # room → last seq seen (None: fresh)
        self._pending: dict[str, _Pending] = {}  # ref → request awaiting its reply
        self._events: asyncio.Queue[Event | Joined | CircleError] = asyncio.Queue()
        self._ws: ClientConnection | None = None
        self._connected = asyncio.Event()
        self._runner: asyncio.Task[None] | None = None
        self._failure: BaseException | None = None
        self.connects = 0

    # signing in ---------------------------------------------------------------
    @classmethod
    async def login(cls, base_url: str, email: str, password: str) -> CircleClient:
        tokens = await _post(
            base_url.rstrip("/"), "/api/auth/login", {"email": email, "password": password}
        )
        return cls(base_url, tokens["access_token"], tokens["refresh_token"])

    async def http(self, method: str, path: str, body: Any = None) -> Any:
        async with (
            aiohttp.ClientSession() as session,
            session.request(
                method,
                self.base_url + path,
                json=body,
                headers={"Authorization": f"Bearer {self._access}"},
            ) as resp,
        ):
            data = await resp.json(content_type=None)
            if resp.status >= 400:
                raise CircleError(data.get("code", "http_error"), data.get("detail", ""), data)
            return data

    async def circles(self) -> list[dict[str, Any]]:
        """Programs and the rooms this account may open (``GET /api/me``)."""
        return list((await self.http("GET", "/api/me"))["memberships"])

    # lifecycle ----------------------------------------------------------------
    async def start(self) -> None:
        self._runner = asyncio.create_task(self._run(), name="circle-client")
        waiter = asyncio.create_task(self._connected.wait())
        await asyncio.wait({waiter, self._runner}, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        if self._runner.done():
            self._runner.result()
            if self._failure is not None:
                raise self._failure

    async def close(self) -> None:
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._runner
        if self._ws is not None:
            await self._ws.close()

    async def __aenter__(self) -> CircleClient:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # rooms and messages -------------------------------------------------------
    async def join(self, room_id: str, after: int | None = None) -> None:
        self._last.setdefault(room_id, after)
        if self._ws is not None and self._connected.is_set():
            await self._send_join(self._ws, room_id)

    def last_seq(self, room_id: str) -> int | None:
        return self._last.get(room_id)

    async def send(self, room_id: str, body: str, client_id: str | None = None) -> Ack:
        frame = {
            "type": "send",
            "room_id": room_id,
            "body": body,
            "client_id": client_id or str(uuid.uuid4()),
        }
        reply = await self._request(frame)
        return Ack(reply["client_id"], reply["message_id"], reply["seq"], reply["duplicate"])

    async def history(
        self, room_id: str, before: int | None = None, limit: int = 50
    ) -> dict[str, Any]:
        frame: dict[str, Any] = {"type": "history", "room_id": room_id, "limit": limit}
        if before is not None:
            frame["before"] = before
        return await self._request(frame)

    async def events(self) -> AsyncIterator[Event | Joined]:
        """Room events in order, and a ``Joined`` each time a room is (re)joined."""
        while True:
            item = await self._events.get()
            if isinstance(item, CircleError):
                raise item
            yield item

    # internals ----------------------------------------------------------------
    async def _request(self, frame: dict[str, Any]) -> dict[str, Any]:
        """Send, and re-send over reconnects, until a final reply."""
        ref = uuid.uuid4().hex[:16]
        while True:
            pending = self._pending[ref] = _Pending({**frame, "ref": ref})
            if self._ws is not None and self._connected.is_set():
                with contextlib.suppress(websockets.ConnectionClosed):
                    await self._ws.send(json.dumps(pending.frame))
            reply = await pending.done
            if reply.get("type") != "error":
                return reply
            if reply.get("code") not in _RETRYABLE:
                raise CircleError(reply["code"], reply.get("message", ""), reply)
            await asyncio.sleep(float(reply.get("retry_after_s", 0.5)))

    async def _send_join(self, ws: ClientConnection, room_id: str) -> None:
        frame: dict[str, Any] = {"type": "join", "room_id": room_id, "ref": f"join:{room_id}"}
        last = self._last.get(room_id)
        if last is not None:
            frame["after"] = last
        await ws.send(json.dumps(frame))

    async def _run(self) -> None:
        attempt = 0
        while True:
            try:
                async with websockets.connect(self.ws_url, compression=None, max_size=2**20) as ws:
                    await self._authenticate(ws)
                    self._ws = ws
                    self.connects += 1
                    attempt = 0
                    for room_id in list(self._last):
                        await self._send_join(ws, room_id)
                    # Unanswered requests go again: same client ids, so a send
                    # that did reach storage is acknowledged as a duplicate.
                    for pending in list(self._pending.values()):
                        await ws.send(json.dumps(pending.frame))
                    self._connected.set()
                    await self._read(ws)
            except AuthFailed as exc:
                self._fail(exc)
                return
            except _Refreshed:
                continue
            except (OSError, websockets.WebSocketException, TimeoutError) as exc:
                closed = exc.rcvd if isinstance(exc, websockets.ConnectionClosed) else None
                if closed is not None and closed.code == _ACCESS_REVOKED:
                    await self._events.put(
                        CircleError("access_revoked", "Your access to a program has ended.")
                    )
            finally:
                self._connected.clear()
                self._ws = None
            attempt += 1
            low, high = self._backoff
            delay = min(high, low * 2 ** min(attempt, 10))
            await asyncio.sleep(random.uniform(delay / 2, delay))  # noqa: S311 - jitter

    async def _authenticate(self, ws: ClientConnection) -> None:
        await ws.send(json.dumps({"type": "auth", "token": self._access}))
        reply = json.loads(await ws.recv())
        if reply.get("type") == "ready":
            return
        if not self._refresh or reply.get("code") != "token_expired":
            raise AuthFailed(reply.get("code", "auth_failed"), reply.get("message", ""), reply)
        # One refresh; a refused refresh token raises AuthFailed (final).
        tokens = await _post(self.base_url, "/api/auth/refresh", {"refresh_token": self._refresh})
        self._access, self._refresh = tokens["access_token"], tokens["refresh_token"]
        raise _Refreshed

    async def _read(self, ws: ClientConnection) -> None:
        async for raw in ws:
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind == "event":
                await self._on_event(ws, frame)
            elif kind == "joined":
                await self._on_joined(frame)
            ref = frame.get("ref")
            pending = self._pending.get(ref) if isinstance(ref, str) else None
            if pending is not None and kind in ("ack", "error", "history"):
                del self._pending[frame["ref"]]
                if not pending.done.done():
                    pending.done.set_result(frame)

    async def _on_joined(self, frame: dict[str, Any]) -> None:
        room_id = frame["room_id"]
        if frame["resume"] in ("fresh", "reload"):
            self._last[room_id] = frame["head"]
        members = {m["member_id"]: m["display_name"] for m in frame.get("members", [])}
        await self._events.put(Joined(room_id, frame["head"], frame["resume"], members))

    async def _on_event(self, ws: ClientConnection, frame: dict[str, Any]) -> None:
        room_id, seq = frame["room_id"], frame["seq"]
        last = self._last.get(room_id)
        if last is not None and seq <= last:
            return
        if last is not None and seq > last + 1:
            await self._send_join(ws, room_id)  # a hole: resume from what we have
            return
        self._last[room_id] = seq
        await self._events.put(Event(room_id, seq, frame["event"], frame["data"], frame["at"]))

    def _fail(self, exc: BaseException) -> None:
        self._failure = exc
        self._events.put_nowait(
            exc if isinstance(exc, CircleError) else CircleError("failed", str(exc))
        )
        for pending in self._pending.values():
            if not pending.done.done():
                pending.done.set_exception(exc)


async def _post(base_url: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    async with aiohttp.ClientSession() as session, session.post(base_url + path, json=body) as resp:
        data: dict[str, Any] = await resp.json(content_type=None)
        if resp.status == 401:
            raise AuthFailed(data.get("code", "not_authenticated"), data.get("detail", ""), data)
        if resp.status >= 400:
            raise CircleError(data.get("code", "http_error"), data.get("detail", ""), data)
        return data
