"""What each target speaks, from the client side: sign-in and join, a send
frame, and a cheap look at each received frame. The send timestamp travels in
the message's client id, so every target carries it the same way and the
generator never decodes a delivery beyond reading those characters."""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Callable

import orjson

from .wsclient import WebSocket

BODY = "Checking in from the circle tonight; thank you all for listening so kindly."
_CLIENT_ID_KEY = b'"client_id"'


class Kind(enum.Enum):
    DELIVERY = "delivery"
    ACK = "ack"
    ERROR = "error"
    PONG = "pong"
    ENGINE_PING = "engine_ping"  # Engine.IO's heartbeat: the client must answer
    OTHER = "other"


class WireError(Exception):
    """A socket could not sign in or join."""


def client_id(stamp_ns: int, generator: int, counter: int) -> str:
    """A UUID-shaped id: 16 hex digits of the send time, then the generator and a counter."""
    raw = f"{stamp_ns & (2**64 - 1):016x}{generator & 0xFFFF:04x}{counter & (2**48 - 1):012x}"
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


def stamp_of(frame: bytes) -> int | None:
    """The send time (monotonic ns) carried by the frame's client id, if any."""
    at = frame.find(_CLIENT_ID_KEY)
    if at < 0:
        return None
    quote = frame.find(b'"', at + len(_CLIENT_ID_KEY))
    value = frame[quote + 1 : quote + 19]
    try:
        return int(value[:8] + value[9:13] + value[14:18], 16)
    except ValueError:
        return None


async def _until(ws: WebSocket, done: Callable[[bytes], bool], within_s: float) -> bytes:
    async with asyncio.timeout(within_s):
        while True:
            frame = await ws.recv()
            if done(frame):
                return frame


class Wire:
    """One target's client side."""

    name = ""

    async def handshake(self, ws: WebSocket, room: str, token: str, join: bool) -> None:
        raise NotImplementedError

    def send_frame(self, room: str, cid: str, counter: int) -> bytes:
        raise NotImplementedError

    def ping_frame(self, counter: int) -> bytes:
        raise NotImplementedError

    def classify(self, frame: bytes) -> Kind:
        raise NotImplementedError

    def error_code(self, frame: bytes) -> str:
        return "error"


class OursWire(Wire):
    """docs/protocol.md: auth, join, send with a client id; ack and event frames."""

    name = "ours"

    async def handshake(self, ws: WebSocket, room: str, token: str, join: bool) -> None:
        ws.send(orjson.dumps({"type": "auth", "token": token}))
        reply = await _until(
            ws, lambda f: f.startswith((b'{"type":"ready"', b'{"type":"error"')), 30
        )
        if not reply.startswith(b'{"type":"ready"'):
            raise WireError(f"auth refused: {reply[:200]!r}")
        if join:
            ws.send(orjson.dumps({"type": "join", "room_id": room}))
            reply = await _until(
                ws, lambda f: f.startswith((b'{"type":"joined"', b'{"type":"error"')), 30
            )
            if not reply.startswith(b'{"type":"joined"'):
                raise WireError(f"join refused: {reply[:200]!r}")

    def send_frame(self, room: str, cid: str, counter: int) -> bytes:
        return (
            f'{{"type":"send","room_id":"{room}","client_id":"{cid}","body":"{BODY}"}}'
        ).encode()

    def ping_frame(self, counter: int) -> bytes:
        return f'{{"type":"ping","ref":"p{counter}"}}'.encode()

    def classify(self, frame: bytes) -> Kind:
        if frame.startswith(b'{"type":"event"'):
            return Kind.DELIVERY
        if frame.startswith(b'{"type":"ack"'):
            return Kind.ACK
        if frame.startswith(b'{"type":"error"'):
            return Kind.ERROR
        if frame.startswith(b'{"type":"pong"'):
            return Kind.PONG
        return Kind.OTHER

    def error_code(self, frame: bytes) -> str:
        return str(orjson.loads(frame).get("code", "error"))


class BareWire(Wire):
    """bench/bare.py: the same shapes without ids, rules or storage."""

    name = "bare"

    async def handshake(self, ws: WebSocket, room: str, token: str, join: bool) -> None:
        ws.send(b'{"type":"auth"}')
        await _until(ws, lambda f: f.startswith(b'{"type":"ready"'), 30)
        if join:
            ws.send(f'{{"type":"join","room":"{room}"}}'.encode())
            await _until(ws, lambda f: f.startswith(b'{"type":"joined"'), 30)

    def send_frame(self, room: str, cid: str, counter: int) -> bytes:
        return f'{{"type":"send","room":"{room}","client_id":"{cid}","body":"{BODY}"}}'.encode()

    def ping_frame(self, counter: int) -> bytes:
        return b'{"type":"ping"}'

    def classify(self, frame: bytes) -> Kind:
        if frame.startswith(b'{"type":"event"'):
            return Kind.DELIVERY
        if frame.startswith(b'{"type":"ack"'):
            return Kind.ACK
        if frame.startswith(b'{"type":"pong"'):
            return Kind.PONG
        return Kind.OTHER


class SocketIoWire(Wire):
    """Engine.IO 4 / Socket.IO 5 over a plain WebSocket: ``40`` connects the
    namespace, ``42<id>[event, data]`` emits with an ack id, ``43<id>[…]`` acks,
    and the server's ``2`` heartbeat is answered with ``3``."""

    name = "socketio"

    async def handshake(self, ws: WebSocket, room: str, token: str, join: bool) -> None:
        await _until(ws, lambda f: f.startswith(b"0{"), 30)
        ws.send(b"40")
        reply = await _until(ws, lambda f: f.startswith((b"40", b"44")), 30)
        if reply.startswith(b"44"):
            raise WireError(f"connect refused: {reply[:200]!r}")
        if join:
            ws.send(f'420["join","{room}"]'.encode())
            await _until(ws, lambda f: f.startswith(b"430"), 30)

    def send_frame(self, room: str, cid: str, counter: int) -> bytes:
        return (
            f'42{counter}["send",{{"room":"{room}","client_id":"{cid}","body":"{BODY}"}}]'
        ).encode()

    def ping_frame(self, counter: int) -> bytes:
        return f'42{counter}["ping"]'.encode()

    def classify(self, frame: bytes) -> Kind:
        if frame.startswith(b'42["message"'):
            return Kind.DELIVERY
        if frame.startswith(b"43"):
            return Kind.ACK if _CLIENT_ID_KEY in frame else Kind.PONG
        if frame == b"2":
            return Kind.ENGINE_PING
        if frame.startswith(b"44"):
            return Kind.ERROR
        return Kind.OTHER


WIRES: dict[str, Wire] = {wire.name: wire for wire in (OursWire(), BareWire(), SocketIoWire())}
