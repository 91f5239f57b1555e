"""The Python client library and CLI against a real server."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid

import pytest

from server.client import AuthFailed, CircleClient, Event, Joined
from tests.services import SLOW

from .client import PASSWORD, Api
from .conftest import Instance, StartInstance


async def next_event(client: CircleClient, kind: type = Event) -> Event | Joined:
    async with asyncio.timeout(5 * SLOW):
        async for item in client.events():
            if isinstance(item, kind):
                return item
    raise AssertionError("no event")


async def emails_of(api: Api, world_admin_token: str, program_id: str) -> dict[str, str]:
    _, members = await api.call("GET", f"/api/programs/{program_id}/members", world_admin_token)
    return {m["display_name"]: m["email"] for m in members}


async def test_client_sends_and_receives(server: Instance, api: Api) -> None:
    """Two library clients in one room see each other's messages, in order."""
    world = await api.circle(2)
    emails = await emails_of(api, world.admin.access, world.program_id)
    room = world.rooms["preparation"]
    robin = await CircleClient.login(server.url, emails["Robin"], PASSWORD)
    sky = await CircleClient.login(server.url, emails["Sky"], PASSWORD)
    async with robin, sky:
        await robin.join(room)
        await sky.join(room)
        joined = await next_event(sky, Joined)
        assert isinstance(joined, Joined) and "Robin" in joined.members.values()
        acks = [await robin.send(room, f"line {i}") for i in range(3)]
        assert [a.seq for a in acks] == [1, 2, 3]
        seen = [await next_event(sky) for _ in range(3)]
        assert [e.data["body"] for e in seen if isinstance(e, Event)] == [
            "line 0",
            "line 1",
            "line 2",
        ]


async def test_client_resumes_after_the_connection_drops(server: Instance, api: Api) -> None:
    """After the server drops its socket, the client reconnects and gets exactly what it missed."""
    world = await api.circle(2)
    emails = await emails_of(api, world.admin.access, world.program_id)
    room = world.rooms["integration"]
    reader = await CircleClient.login(server.url, emails["Sky"], PASSWORD)
    writer = await CircleClient.login(server.url, emails["Robin"], PASSWORD)
    async with reader, writer:
        await reader.join(room)
        await next_event(reader, Joined)
        await writer.send(room, "before")
        assert (await next_event(reader)).data["body"] == "before"  # type: ignore[union-attr]
        for conn in server.services.registry.all():
            if conn.account and emails["Sky"] == conn.account.email:
                await conn.close(1012, "restart")
        for index in range(3):
            await writer.send(room, f"missed {index}")
        bodies = []
        while len(bodies) < 3:
            item = await next_event(reader)
            assert isinstance(item, Event)
            bodies.append(item.data["body"])
        assert bodies == ["missed 0", "missed 1", "missed 2"]
        assert reader.connects >= 2 and reader.last_seq(room) == 4


async def test_retried_send_over_a_reconnect_is_stored_once(server: Instance, api: Api) -> None:
    """A send in flight when the socket drops is re-sent with its client id and stored once."""
    world = await api.circle(1)
    emails = await emails_of(api, world.admin.access, world.program_id)
    room = world.rooms["community"]
    client = await CircleClient.login(server.url, emails["Robin"], PASSWORD)
    async with client:
        client_id = str(uuid.uuid4())
        first = await client.send(room, "once", client_id)
        for conn in server.services.registry.all():
            await conn.close(1012, "restart")
        again = await client.send(room, "once", client_id)
        assert again.duplicate and again.message_id == first.message_id
    assert await server.services.events.head(room) == 1


async def test_bad_credentials_are_final(server: Instance, api: Api) -> None:
    """A wrong password raises AuthFailed at once; nothing is retried."""
    await api.circle(1)
    with pytest.raises(AuthFailed):
        await CircleClient.login(server.url, "nobody@example-mail.org", "wrong password")


async def test_revoked_token_is_final(start_instance: StartInstance) -> None:
    """A socket token the server refuses (no refresh possible) ends the client."""
    server = await start_instance()
    async with Api(server.url, server.services) as api:
        await api.circle(1)
    client = CircleClient(server.url, "not-a-token")
    with pytest.raises(AuthFailed):
        await client.start()
    await client.close()


def test_cli_lists_circles_and_sends(tmp_path: object) -> None:
    """The command line lists circles and sends a line on the embedded default."""
    from tests.services import free_port, wait_port

    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("IC_") and k not in {"MONGO_URL", "REDIS_URL"}
    }
    env.update(IC_STORAGE__DATA_DIR=str(tmp_path), IC_HTTP__PORT=str(port))
    server = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--demo"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_port(port, 30)
        password = (tmp_path / "demo-password").read_text().strip()  # type: ignore[operator]
        cli = {
            **env,
            "IC_URL": f"http://127.0.0.1:{port}",
            "IC_EMAIL": "robin@demo.example",
            "IC_PASSWORD": password,
        }
        listed = subprocess.run(
            [sys.executable, "-m", "server.client", "circles"],
            env=cli,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        assert "Preparation circle" in listed.stdout and "you are Robin" in listed.stdout
        sent = subprocess.run(
            [sys.executable, "-m", "server.client", "send", "Preparation circle", "hi all"],
            env=cli,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        assert "sent (#1)" in sent.stdout
        wrong = subprocess.run(
            [sys.executable, "-m", "server.client", "circles"],
            env={**cli, "IC_PASSWORD": "wrong password"},
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert wrong.returncode != 0 and "don't match" in wrong.stderr
    finally:
        server.terminate()
        server.wait(timeout=15)
