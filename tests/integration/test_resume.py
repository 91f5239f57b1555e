"""Resume: exactly the missed events, in order, no duplicates — or reload."""

from __future__ import annotations

import uuid

from .client import Api, Socket
from .conftest import StartInstance


async def test_resume_returns_exactly_the_missed_events(start_instance: StartInstance) -> None:
    """A client that reconnects with its last seq gets exactly what it missed."""
    server = await start_instance()
    async with Api(server.url, server.services) as api:
        world = await api.circle(2)
    room = world.rooms["integration"]
    a = await Socket.joined(server.ws_url, world.participants[0].access, room)
    b = await Socket.joined(server.ws_url, world.participants[1].access, room)
    for index in range(3):
        await a.say(room, f"before-{index}")
    seen = await b.wait_events(room, 3)
    last = seen[-1]["seq"]
    await b.close()
    for index in range(4):
        await a.say(room, f"missed-{index}")
    b2 = await Socket.open(server.ws_url, world.participants[1].access)
    joined = await b2.join(room, after=last)
    assert joined["resume"] == "replay" and joined["head"] == 7
    events = await b2.wait_events(room, 4)
    assert [e["seq"] for e in events] == [4, 5, 6, 7]
    assert [e["data"]["body"] for e in events] == [f"missed-{i}" for i in range(4)]
    await a.say(room, "live again")
    events = await b2.wait_events(room, 5)
    assert [e["seq"] for e in events] == [4, 5, 6, 7, 8]
    up_to_date = await Socket.open(server.ws_url, world.participants[1].access)
    assert (await up_to_date.join(room, after=8))["resume"] == "up_to_date"
    for sock in (a, b2, up_to_date):
        await sock.close()


async def test_large_gap_gets_reload(start_instance: StartInstance) -> None:
    """A gap larger than the replay window is answered with reload, not a flood."""
    server = await start_instance(replay_window=5)
    async with Api(server.url, server.services) as api:
        world = await api.circle(1)
    room = world.rooms["community"]
    a = await Socket.joined(server.ws_url, world.participants[0].access, room)
    for index in range(8):
        await a.say(room, f"m{index}")
    b = await Socket.open(server.ws_url, world.participants[0].access)
    joined = await b.join(room, after=1)
    assert joined["resume"] == "reload" and joined["head"] == 8
    ahead = await b.join(room, after=99)
    assert ahead["resume"] == "reload"
    await b.close()
    c = await Socket.open(server.ws_url, world.participants[0].access)
    assert (await c.join(room, after=4))["resume"] == "replay"
    assert [e["seq"] for e in await c.wait_events(room, 4)] == [5, 6, 7, 8]
    await a.close()
    await c.close()


async def test_deleted_text_never_leaks_through_resume(start_instance: StartInstance) -> None:
    """Resume after a delete shows tombstones: the text is gone from every event."""
    server = await start_instance()
    async with Api(server.url, server.services) as api:
        world = await api.circle(2)
    room = world.rooms["preparation"]
    a = await Socket.joined(server.ws_url, world.participants[0].access, room)
    sent = await a.say(room, "my private secret")
    await a.request(
        {
            "type": "edit",
            "room_id": room,
            "message_id": sent["message_id"],
            "client_id": str(uuid.uuid4()),
            "body": "my edited secret",
        }
    )
    await a.request(
        {
            "type": "delete",
            "room_id": room,
            "message_id": sent["message_id"],
            "client_id": str(uuid.uuid4()),
        }
    )
    b = await Socket.open(server.ws_url, world.participants[1].access)
    await b.join(room, after=0)
    events = await b.wait_events(room, 3)
    assert [e["event"] for e in events] == ["message.created", "message.edited", "message.deleted"]
    assert "secret" not in str(b.frames)
    history = await b.request({"type": "history", "room_id": room})
    assert "secret" not in str(history)
    await a.close()
    await b.close()
