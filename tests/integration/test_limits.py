"""Rate limits and the slow-consumer guard (DESIGN.md rule 12 and section 4):
limits bite with clear errors, only the member over budget is affected, and a
client that stops reading is dropped without stalling anyone else."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import struct
import time
import uuid
from typing import Any

import pytest

from tests.services import SLOW

from .client import Api, Person, Socket
from .conftest import Instance, StartInstance

TCP_ESTABLISHED = 1


class RawSocket:
    """A hand-made WebSocket client on a plain socket that reads only when asked,
    so it can stop reading altogether (with a tiny receive buffer)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.loop = asyncio.get_running_loop()
        self.buffer = b""

    @classmethod
    async def connect(cls, port: int, rcvbuf: int = 4096) -> RawSocket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        sock.setblocking(False)
        raw = cls(sock)
        await raw.loop.sock_connect(sock, ("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        )
        await raw.loop.sock_sendall(sock, request.encode())
        while b"\r\n\r\n" not in raw.buffer:
            raw.buffer += await raw._recv()
        head, raw.buffer = raw.buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head
        return raw

    async def _recv(self) -> bytes:
        chunk = await self.loop.sock_recv(self.sock, 65536)
        if not chunk:
            raise EOFError("server closed the connection")
        return chunk

    async def send_text(self, text: str) -> None:
        payload = text.encode()
        mask = os.urandom(4)
        size = len(payload)
        if size < 126:
            header = struct.pack("!BB", 0x81, 0x80 | size)
        elif size < 65536:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, size)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, size)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        await self.loop.sock_sendall(self.sock, header + mask + masked)

    async def _take(self, count: int) -> bytes:
        while len(self.buffer) < count:
            self.buffer += await self._recv()
        taken, self.buffer = self.buffer[:count], self.buffer[count:]
        return taken

    async def recv(self) -> tuple[int, bytes]:
        first, second = await self._take(2)
        size = second & 0x7F
        if size == 126:
            (size,) = struct.unpack("!H", await self._take(2))
        elif size == 127:
            (size,) = struct.unpack("!Q", await self._take(8))
        return first & 0x0F, await self._take(size)

    async def expect(self, frame_type: str) -> dict[str, Any]:
        async with asyncio.timeout(5 * SLOW):
            while True:
                opcode, data = await self.recv()
                assert opcode == 1, (opcode, data[:200])
                frame = json.loads(data)
                if frame.get("type") == frame_type:
                    return dict(frame)

    def tcp_state(self) -> int:
        """The kernel's TCP state of this end (1 = ESTABLISHED)."""
        return int(self.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0])

    def close(self) -> None:
        self.sock.close()


def assert_rate_limited(frame: dict[str, Any], window_s: float) -> float:
    assert frame["type"] == "error" and frame["code"] == "rate_limited", frame
    assert isinstance(frame["message"], str) and len(frame["message"]) > 8
    retry = float(frame["retry_after_s"])
    assert 0 < retry <= window_s + 0.5, frame
    return retry


async def stored_bodies(server: Instance, room: str) -> list[str | None]:
    return [m.body for m in await server.services.events.history(room, None, 1000)]


async def metric(api: Api, name: str) -> float:
    async with api.http.get(api.url + "/metrics") as resp:
        assert resp.status == 200
        text = await resp.text()
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} is not in /metrics")


async def open_joined(server: Instance, person: Person, room: str) -> Socket:
    sock = await Socket.open(server.ws_url, person.access)
    assert (await sock.join(room))["type"] == "joined"
    return sock


async def test_send_rate_limits_the_fourth_message(start_instance: StartInstance) -> None:
    """The fourth send within the window gets rate_limited; the first three are stored."""
    server = await start_instance(send_rate="3/3second")
    async with Api(server.url, server.services) as api:
        world = await api.circle(2)
        robin, sky = world.participants
        room = world.rooms["preparation"]
        a = await open_joined(server, robin, room)
        b = await open_joined(server, sky, room)
        for index in range(3):
            ack = await a.say(room, f"quick {index}")
            assert ack["type"] == "ack" and ack["seq"] == index + 1
        client_id = str(uuid.uuid4())
        refused = await a.say(room, "quick 3", client_id)
        retry = assert_rate_limited(refused, 3)
        assert refused["client_id"] == client_id
        assert await stored_bodies(server, room) == ["quick 0", "quick 1", "quick 2"]
        # Another member has their own budget.
        other = await b.say(room, "I'm not in a hurry")
        assert other["type"] == "ack" and other["seq"] == 4
        # The limited socket stays open and works for reads.
        assert (await a.request({"type": "ping"}))["type"] == "pong"
        # After the advertised wait, the same send goes through once.
        await asyncio.sleep(retry + 0.2)
        ack = await a.say(room, "quick 3", client_id)
        assert ack["type"] == "ack" and ack["seq"] == 5 and ack["duplicate"] is False
        assert await stored_bodies(server, room) == [
            "quick 0",
            "quick 1",
            "quick 2",
            "I'm not in a hurry",
            "quick 3",
        ]
        seqs = [e["seq"] for e in await b.wait_events(room, 5)]
        assert seqs == [1, 2, 3, 4, 5]
        await a.close()
        await b.close()


async def test_send_budget_is_shared_across_a_members_sockets(
    start_instance: StartInstance,
) -> None:
    """A member's second socket shares the send budget of the first."""
    server = await start_instance(send_rate="2/5second")
    async with Api(server.url, server.services) as api:
        world = await api.circle(1)
        robin = world.participants[0]
        room = world.rooms["preparation"]
        phone = await open_joined(server, robin, room)
        laptop = await open_joined(server, robin, room)
        assert (await phone.say(room, "one"))["type"] == "ack"
        assert (await laptop.say(room, "two"))["type"] == "ack"
        assert_rate_limited(await phone.say(room, "three"), 5)
        assert_rate_limited(await laptop.say(room, "three"), 5)
        assert await stored_bodies(server, room) == ["one", "two"]
        await phone.close()
        await laptop.close()


async def test_frame_rate_limits_every_frame(start_instance: StartInstance) -> None:
    """Frames over frame_rate get rate_limited, sends included, and nothing is stored."""
    server = await start_instance(frame_rate="5/3second")
    async with Api(server.url, server.services) as api:
        world = await api.circle(2)
        robin, sky = world.participants
        room = world.rooms["preparation"]
        a = await open_joined(server, robin, room)  # the join is frame 1
        b = await open_joined(server, sky, room)
        assert (await a.say(room, "first"))["type"] == "ack"  # frame 2
        for _ in range(3):  # frames 3-5
            assert (await a.request({"type": "ping"}))["type"] == "pong"
        await a.send({"type": "ping"})
        retry = assert_rate_limited(await a.expect("error"), 3)
        await a.send(
            {"type": "send", "room_id": room, "client_id": str(uuid.uuid4()), "body": "over budget"}
        )
        assert_rate_limited(await a.expect("error"), 3)
        assert await stored_bodies(server, room) == ["first"]
        # Another member is unaffected.
        assert (await b.request({"type": "ping"}))["type"] == "pong"
        assert (await b.say(room, "fine here"))["type"] == "ack"
        # The limited socket stayed open; after the wait it works again.
        await asyncio.sleep(retry + 0.2)
        ack = await a.say(room, "back again")
        assert ack["type"] == "ack" and ack["seq"] == 3
        assert await stored_bodies(server, room) == ["first", "fine here", "back again"]
        await a.close()
        await b.close()


async def test_frame_rate_error_echoes_ref_and_client_id(start_instance: StartInstance) -> None:
    """A frame refused by frame_rate gets an error that echoes its ref and client_id."""
    server = await start_instance(frame_rate="2/5second")
    async with Api(server.url, server.services) as api:
        world = await api.circle(1)
        room = world.rooms["preparation"]
        a = await open_joined(server, world.participants[0], room)  # frame 1
        assert (await a.request({"type": "ping"}))["type"] == "pong"  # frame 2
        client_id = str(uuid.uuid4())
        await a.send(
            {
                "type": "send",
                "room_id": room,
                "client_id": client_id,
                "body": "over budget",
                "ref": "mine",
            }
        )
        error = await a.expect("error")
        assert_rate_limited(error, 5)
        assert await stored_bodies(server, room) == []
        assert error.get("ref") == "mine", error
        assert error.get("client_id") == client_id, error
        await a.close()


async def test_login_rate_limits_with_retry_after(start_instance: StartInstance) -> None:
    """Logins over login_rate get 429 problem+json with retry_after_s and Retry-After."""
    server = await start_instance(login_rate="3/minute")
    async with Api(server.url, server.services) as api:
        admin = await api.admin()  # login 1
        for _ in range(2):  # logins 2-3, wrong passwords count too
            status, data = await api.call(
                "POST", "/api/auth/login", body={"email": admin.email, "password": "wrong!"}
            )
            assert status == 401 and data["code"] == "bad_credentials", data
        async with api.http.post(
            api.url + "/api/auth/login", json={"email": admin.email, "password": "x"}
        ) as resp:
            assert resp.status == 429
            assert resp.content_type == "application/problem+json"
            data = await resp.json(content_type=None)
            assert data["code"] == "rate_limited" and data["detail"]
            assert 0 < data["retry_after_s"] <= 60
            assert 1 <= int(resp.headers["Retry-After"]) <= 60
        # The account itself is untouched: its token still works.
        me = await api.me(admin)
        assert me["account"]["email"] == admin.email


SLOW_LIMITS: dict[str, object] = {
    "outbox_max_frames": 16,
    "send_rate": "10000/10second",
    "frame_rate": "10000/10second",
    "message_max_chars": 20000,
}
# ~60 KB of UTF-8 per event, so kernel buffers fill after a few dozen messages.
BIG = "€" * 19_990


class SlowScene:
    """A sender, a reader that keeps reading, and a member that stopped reading."""

    def __init__(self, server: Instance, api: Api) -> None:
        self.server = server
        self.api = api
        self.sent: list[str] = []

    async def start(self) -> None:
        world = await self.api.circle(3)
        robin, sky, jules = world.participants
        self.room = world.rooms["preparation"]
        self.slow_member = sky.member_id
        self.sender = await open_joined(self.server, robin, self.room)
        self.reader = await open_joined(self.server, jules, self.room)
        self.slow = await RawSocket.connect(self.server.port)
        await self.slow.send_text(json.dumps({"type": "auth", "token": sky.access}))
        await self.slow.expect("ready")
        await self.slow.send_text(json.dumps({"type": "join", "room_id": self.room}))
        await self.slow.expect("joined")
        # From here on, the slow member never reads again.

    async def send(self) -> None:
        index = len(self.sent)
        body = f"{index:04d} {BIG}"
        frame = {
            "type": "send",
            "room_id": self.room,
            "client_id": str(uuid.uuid4()),
            "body": body,
            "ref": f"r{index}",
        }
        await self.sender.conn.send(json.dumps(frame, ensure_ascii=False))
        ack = await self.sender.expect("ack", ref=f"r{index}")
        assert ack["seq"] == index + 1
        self.sent.append(body)

    async def overflow(self, most: int = 400) -> None:
        """Send until the server gives up on the slow member."""
        slow_consumers = self.server.services.metrics.slow_consumers
        while slow_consumers._value.get() == 0:
            assert len(self.sent) < most, "the slow member was never dropped"
            await self.send()

    def close(self) -> None:
        self.slow.close()


async def test_slow_consumer_is_dropped_and_others_get_everything(
    start_instance: StartInstance,
) -> None:
    """A member that stops reading is given up on; a reading member gets every message in order."""
    server = await start_instance(**SLOW_LIMITS)
    async with Api(server.url, server.services) as api:
        scene = SlowScene(server, api)
        await scene.start()
        started = time.monotonic()
        await scene.overflow()
        assert len(scene.sent) > 16  # it took more than the outbox alone
        for _ in range(5):  # the circle carries on without waiting for it
            await scene.send()
        assert time.monotonic() - started < 10 * SLOW
        assert await metric(api, "ic_ws_slow_consumers_total") == 1
        events = await scene.reader.wait_events(scene.room, len(scene.sent))
        assert [e["seq"] for e in events] == list(range(1, len(scene.sent) + 1))
        assert [e["data"]["body"] for e in events] == scene.sent
        assert await stored_bodies(server, scene.room) == scene.sent
        scene.close()
        await scene.sender.close()
        await scene.reader.close()


@pytest.mark.skipif(not hasattr(socket, "TCP_INFO"), reason="needs Linux TCP_INFO")
async def test_slow_consumer_connection_is_closed(start_instance: StartInstance) -> None:
    """A member that stops reading loses its TCP connection and goes offline within seconds."""
    server = await start_instance(**SLOW_LIMITS)
    async with Api(server.url, server.services) as api:
        scene = SlowScene(server, api)
        await scene.start()
        try:
            await scene.overflow()
            deadline = time.monotonic() + 4 * SLOW
            while time.monotonic() < deadline and (
                scene.slow.tcp_state() == TCP_ESTABLISHED
                or scene.slow_member in server.services.hub.online(scene.room)
            ):
                await asyncio.sleep(0.05)
            assert scene.slow.tcp_state() != TCP_ESTABLISHED, "still connected"
            assert scene.slow_member not in server.services.hub.online(scene.room)
            assert len(server.services.registry) == 2
        finally:
            scene.close()
            await scene.sender.close()
            await scene.reader.close()


async def test_heartbeat_closes_a_silent_connection(start_instance: StartInstance) -> None:
    """A client that never answers pings is closed after the heartbeat and leaves the room."""
    server = await start_instance(heartbeat_s=0.5)
    async with Api(server.url, server.services) as api:
        world = await api.circle(1)
    person = world.participants[0]
    room = world.rooms["community"]
    raw = await RawSocket.connect(server.port)
    await raw.send_text(json.dumps({"type": "auth", "token": person.access}))
    await raw.send_text(json.dumps({"type": "join", "room_id": room}))
    async with asyncio.timeout(10 * SLOW):
        while person.member_id not in server.services.hub.online(room):
            await asyncio.sleep(0.05)
        # Never read, never pong: the server gives up on its own.
        while person.member_id in server.services.hub.online(room):
            await asyncio.sleep(0.05)
    assert len(server.services.registry) == 0
    raw.sock.close()
