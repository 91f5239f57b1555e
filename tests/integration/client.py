"""Test-side clients: HTTP through aiohttp, sockets through ``websockets``."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import websockets
from websockets.asyncio.client import ClientConnection

from server.context import Services
from tests.services import SLOW

PASSWORD = "a long enough password"


@dataclass
class Person:
    name: str
    email: str
    access: str
    refresh: str
    member_id: str = ""


@dataclass
class World:
    program_id: str
    rooms: dict[str, str]  # kind → room id (support rooms: "support:<name>")
    admin: Person
    facilitator: Person
    participants: list[Person] = field(default_factory=list)


class Api:
    def __init__(self, url: str, services: Services) -> None:
        self.url = url
        self.services = services
        self.http = aiohttp.ClientSession()

    async def __aenter__(self) -> Api:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.http.close()

    async def call(
        self,
        method: str,
        path: str,
        token: str | None = None,
        body: Any = None,
        raw: str | bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"Bearer {token}"
        kwargs: dict[str, Any] = {"headers": sent}
        if raw is not None:
            kwargs["data"] = raw
        elif body is not None:
            kwargs["json"] = body
        async with self.http.request(method, self.url + path, **kwargs) as resp:
            text = await resp.text()
            try:
                data = json.loads(text) if text else None
            except ValueError:
                data = text
            return resp.status, data

    async def ok(self, method: str, path: str, token: str | None = None, body: Any = None) -> Any:
        status, data = await self.call(method, path, token, body)
        assert status < 300, (status, data)
        return data

    async def login(self, email: str, password: str = PASSWORD) -> Person:
        tokens = await self.ok(
            "POST", "/api/auth/login", body={"email": email, "password": password}
        )
        return Person(email, email, tokens["access_token"], tokens["refresh_token"])

    async def admin(self) -> Person:
        email = f"admin-{uuid.uuid4().hex[:6]}@clinic.org"
        await self.services.identity.create_staff(email, "Ada Admin", PASSWORD, is_admin=True)
        return await self.login(email)

    async def staff(self, admin: Person, real_name: str) -> Person:
        email = f"{real_name.split()[0].lower()}-{uuid.uuid4().hex[:6]}@clinic.org"
        await self.ok(
            "POST",
            "/api/staff",
            admin.access,
            {"email": email, "real_name": real_name, "password": PASSWORD},
        )
        return await self.login(email)

    async def invite(
        self, lead: Person, program_id: str, email: str, real_name: str = "Real Person"
    ) -> str:
        data = await self.ok(
            "POST",
            f"/api/programs/{program_id}/invites",
            lead.access,
            {"email": email, "real_name": real_name},
        )
        return str(data["invite"])

    async def redeem(self, invite: str, name: str) -> Person:
        data = await self.ok(
            "POST",
            "/api/invites/redeem",
            body={"invite": invite, "display_name": name, "password": PASSWORD},
        )
        return Person(name, "", data["access_token"], data["refresh_token"])

    async def me(self, person: Person) -> Any:
        return await self.ok("GET", "/api/me", person.access)

    async def admit(self, world: World, person: Person) -> None:
        """Rule 2: staff record clearance, then the participant accepts the agreement."""
        await self.ok(
            "POST",
            f"/api/programs/{world.program_id}/members/{person.member_id}/clear",
            world.facilitator.access,
        )
        agreement = await self.ok(
            "GET", f"/api/programs/{world.program_id}/agreement", person.access
        )
        await self.ok(
            "POST",
            f"/api/programs/{world.program_id}/agreement/accept",
            person.access,
            {"version": agreement["version"]},
        )

    async def circle(
        self, participants: int = 3, *, activate: bool = True, admit: bool = True
    ) -> World:
        admin = await self.admin()
        program = await self.ok(
            "POST",
            "/api/programs",
            admin.access,
            {"name": "Spring cohort", "kind": "closed", "display_name": "Lead Ada"},
        )
        program_id = program["id"]
        if activate:
            await self.ok(
                "POST", f"/api/programs/{program_id}/status", admin.access, {"status": "active"}
            )
        facilitator = await self.staff(admin, "Fran Facilitator")
        member = await self.ok(
            "POST",
            f"/api/programs/{program_id}/staff",
            admin.access,
            {"email": facilitator.email, "role": "facilitator", "display_name": "Guide Fran"},
        )
        facilitator.member_id = member["member_id"]
        world = World(program_id, {}, admin, facilitator)
        for index in range(participants):
            name = ["Robin", "Sky", "Jules", "Noor", "Kai", "Ren", "Ash", "Lee"][index % 8]
            name = name if index < 8 else f"{name} {index}"
            invite = await self.invite(
                admin,
                program_id,
                f"p{index}-{uuid.uuid4().hex[:6]}@example-mail.org",
                f"Secret Surname {index}",
            )
            person = await self.redeem(invite, name)
            world.participants.append(person)
        for person in world.participants:
            mine = await self.me(person)
            person.member_id = mine["memberships"][0]["member"]["member_id"]
            if admit:
                await self.admit(world, person)
        overview = await self.me(admin)
        for entry in overview["memberships"]:
            if entry["program"]["id"] == program_id:
                for room in entry["rooms"]:
                    if room["kind"] == "support":
                        owner = next(
                            p for p in world.participants if room["title"].endswith(p.name)
                        )
                        world.rooms[f"support:{owner.name}"] = room["room_id"]
                    else:
                        world.rooms[room["kind"]] = room["room_id"]
        return world


class Socket:
    """A WebSocket client that records every frame it receives."""

    def __init__(self, conn: ClientConnection) -> None:
        self.conn = conn
        self.frames: list[dict[str, Any]] = []
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._replies: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._reader = asyncio.create_task(self._read())
        self.ready: dict[str, Any] = {}

    @classmethod
    async def open(
        cls, ws_url: str, token: str | None = None, *, origin: str | None = None
    ) -> Socket:
        conn = await websockets.connect(
            ws_url,
            origin=origin,  # type: ignore[arg-type]
            max_size=2**22,
            compression=None,
        )
        sock = cls(conn)
        if token is not None:
            await sock.send({"type": "auth", "token": token})
            sock.ready = await sock.expect("ready")
        return sock

    @classmethod
    async def joined(cls, ws_url: str, token: str, room_id: str) -> Socket:
        """A signed-in socket that has joined ``room_id``."""
        sock = await cls.open(ws_url, token)
        reply = await sock.join(room_id)
        assert reply["type"] == "joined", reply
        return sock

    async def _read(self) -> None:
        try:
            async for raw in self.conn:
                frame = json.loads(raw)
                self.frames.append(frame)
                waiter = self._replies.pop(frame.get("ref") or "", None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(frame)
                await self._queue.put(frame)
        except websockets.ConnectionClosed:
            pass

    async def send(self, frame: dict[str, Any]) -> None:
        await self.conn.send(json.dumps(frame))

    async def send_raw(self, data: str | bytes) -> None:
        await self.conn.send(data)

    async def expect(self, frame_type: str, timeout: float = 5.0, **match: Any) -> dict[str, Any]:
        """The next frame of this type (and these fields); others are skipped."""
        async with asyncio.timeout(timeout * SLOW):
            while True:
                frame = await self._queue.get()
                if frame.get("type") == frame_type and all(
                    frame.get(k) == v for k, v in match.items()
                ):
                    return frame

    async def request(self, frame: dict[str, Any], timeout: float = 5.0) -> dict[str, Any]:
        """Send with a ref; return the reply or error that echoes it."""
        ref = uuid.uuid4().hex[:12]
        waiter = self._replies[ref] = asyncio.get_running_loop().create_future()
        await self.send({**frame, "ref": ref})
        async with asyncio.timeout(timeout * SLOW):
            return await waiter

    async def join(self, room_id: str, after: int | None = None) -> dict[str, Any]:
        frame: dict[str, Any] = {"type": "join", "room_id": room_id}
        if after is not None:
            frame["after"] = after
        return await self.request(frame)

    async def say(self, room_id: str, body: str, client_id: str | None = None) -> dict[str, Any]:
        return await self.request(
            {
                "type": "send",
                "room_id": room_id,
                "body": body,
                "client_id": client_id or str(uuid.uuid4()),
            }
        )

    def events(self, room_id: str) -> list[dict[str, Any]]:
        return [f for f in self.frames if f.get("type") == "event" and f["room_id"] == room_id]

    async def wait_events(
        self, room_id: str, count: int, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        async with asyncio.timeout(timeout * SLOW):
            while len(self.events(room_id)) < count:
                await asyncio.sleep(0.01)
        return self.events(room_id)

    async def closed(self, timeout: float = 5.0) -> int | None:
        """Wait for the server to close; return its close code."""
        async with asyncio.timeout(timeout * SLOW):
            await self.conn.wait_closed()
        return self.conn.close_code

    async def close(self) -> None:
        await self.conn.close()
        self._reader.cancel()


async def assert_one_order(sockets: list[Socket], room_id: str, per_socket: int) -> None:
    """Every socket sends ``per_socket`` messages at once; all see one gapless order."""

    async def burst(sock: Socket, tag: str) -> None:
        for index in range(per_socket):
            ack = await sock.say(room_id, f"{tag}-{index}")
            assert ack["type"] == "ack", ack

    await asyncio.gather(*(burst(s, f"p{i}") for i, s in enumerate(sockets)))
    total = per_socket * len(sockets)
    orders = []
    for sock in sockets:
        events = await sock.wait_events(room_id, total)
        assert [e["seq"] for e in events] == list(range(1, total + 1))
        orders.append([e["data"]["body"] for e in events])
    assert all(order == orders[0] for order in orders)
