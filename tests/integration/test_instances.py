"""Two instances over a real redis-server share one MongoDB (DESIGN.md section 4)."""

from __future__ import annotations

import asyncio
import uuid

from server.gateway.protocol import CloseCode
from tests.services import RedisServer

from .client import Api, Socket, assert_one_order
from .conftest import StartInstance


async def test_two_instances_one_order(
    start_instance: StartInstance, redis_server: RedisServer
) -> None:
    """Concurrent sends through both instances give one gapless order on every screen."""
    a = await start_instance(redis_server.url)
    b = await start_instance(redis_server.url)
    async with Api(a.url, a.services) as api:
        world = await api.circle(4)
    room = world.rooms["integration"]
    sockets = []
    for index, person in enumerate(world.participants):
        instance = a if index % 2 == 0 else b
        sock = await Socket.joined(instance.ws_url, person.access, room)
        sockets.append(sock)

    await assert_one_order(sockets, room, 15)
    for sock in sockets:
        await sock.close()


async def test_retry_on_the_other_instance_is_stored_once(
    start_instance: StartInstance, redis_server: RedisServer
) -> None:
    """A send retried through another instance returns the original message."""
    a = await start_instance(redis_server.url)
    b = await start_instance(redis_server.url)
    async with Api(a.url, a.services) as api:
        world = await api.circle(1)
    room = world.rooms["community"]
    person = world.participants[0]
    first = await Socket.open(a.ws_url, person.access)
    second = await Socket.open(b.ws_url, person.access)
    client_id = str(uuid.uuid4())
    acks = await asyncio.gather(
        first.say(room, "once", client_id), second.say(room, "once", client_id)
    )
    assert acks[0]["message_id"] == acks[1]["message_id"]
    assert await a.services.events.head(room) == 1
    await first.close()
    await second.close()


async def test_resume_on_another_instance(
    start_instance: StartInstance, redis_server: RedisServer
) -> None:
    """A client that reconnects to another instance resumes exactly where it was."""
    a = await start_instance(redis_server.url)
    b = await start_instance(redis_server.url)
    async with Api(a.url, a.services) as api:
        world = await api.circle(2)
    room = world.rooms["preparation"]
    robin, sky = world.participants
    sender = await Socket.joined(a.ws_url, robin.access, room)
    reader = await Socket.joined(a.ws_url, sky.access, room)
    await sender.say(room, "one")
    last = (await reader.wait_events(room, 1))[-1]["seq"]
    await reader.close()
    await sender.say(room, "two")
    await sender.say(room, "three")
    moved = await Socket.open(b.ws_url, sky.access)
    assert (await moved.join(room, after=last))["resume"] == "replay"
    await sender.say(room, "four")
    events = await moved.wait_events(room, 3)
    assert [e["data"]["body"] for e in events] == ["two", "three", "four"]
    await sender.close()
    await moved.close()


async def test_removal_closes_sockets_on_every_instance(
    start_instance: StartInstance, redis_server: RedisServer
) -> None:
    """Removing a member on one instance closes their socket on the other at once."""
    a = await start_instance(redis_server.url)
    b = await start_instance(redis_server.url)
    async with Api(a.url, a.services) as api:
        world = await api.circle(1)
        person = world.participants[0]
        sock = await Socket.open(b.ws_url, person.access)
        await sock.join(world.rooms["community"])
        await api.ok(
            "POST",
            f"/api/programs/{world.program_id}/members/{person.member_id}/remove",
            world.admin.access,
            {"status": "withdrawn"},
        )
    assert await sock.closed() == CloseCode.ACCESS_REVOKED


async def test_redis_restart_loses_nothing(
    start_instance: StartInstance, tmp_path_factory: object
) -> None:
    """Events sent while Redis restarts reach the other instance's clients, in order."""
    import pytest

    assert isinstance(tmp_path_factory, pytest.TempPathFactory)
    redis = RedisServer(tmp_path_factory.mktemp("redis-restart"))
    redis.start()
    try:
        a = await start_instance(redis.url)
        b = await start_instance(redis.url)
        async with Api(a.url, a.services) as api:
            world = await api.circle(2)
        room = world.rooms["integration"]
        sender = await Socket.joined(a.ws_url, world.participants[0].access, room)
        reader = await Socket.joined(b.ws_url, world.participants[1].access, room)
        await sender.say(room, "before")
        await reader.wait_events(room, 1)
        redis.stop(kill=True)
        for index in range(5):
            assert (await sender.say(room, f"during-{index}"))["type"] == "ack"
        redis.start()
        await sender.say(room, "after")
        events = await reader.wait_events(room, 7, timeout=20)
        assert [e["seq"] for e in events] == list(range(1, 8))
        assert events[-1]["data"]["body"] == "after"
        await sender.close()
        await reader.close()
    finally:
        redis.stop()


async def test_graceful_shutdown_acks_every_stored_message(
    start_instance: StartInstance, redis_server: RedisServer
) -> None:
    """Stopping an instance under load: every message it stored was acknowledged
    before the socket closed with 1001; the rest were refused or never read."""
    first = await start_instance(
        redis_url=redis_server.url, send_rate="1000/second", frame_rate="1000/second"
    )
    second = await start_instance(redis_url=redis_server.url)
    async with Api(second.url, second.services) as api:
        world = await api.circle(1)
    room = world.rooms["community"]
    sock = await Socket.joined(first.ws_url, world.participants[0].access, room)
    for index in range(200):
        await sock.send(
            {
                "type": "send",
                "room_id": room,
                "client_id": str(uuid.uuid4()),
                "body": f"message {index}",
                "ref": f"m{index}",
            }
        )
    await asyncio.sleep(0.05)
    await first.stop()
    assert await sock.closed() == 1001
    acked = {f["message_id"] for f in sock.frames if f.get("type") == "ack"}
    refused = [f for f in sock.frames if f.get("code") == "server_restarting"]
    stored = await second.services.events.history(room, None, 1000)
    assert {m.id for m in stored} == acked
    assert len(acked) > 0 and len(acked) + len(refused) <= 200


async def test_presence_is_shared_across_instances(
    start_instance: StartInstance, redis_server: RedisServer
) -> None:
    """Someone in the room on one instance is online for a joiner on the other."""
    first = await start_instance(redis_url=redis_server.url)
    second = await start_instance(redis_url=redis_server.url)
    async with Api(first.url, first.services) as api:
        world = await api.circle(2)
    room = world.rooms["community"]
    robin, sky = world.participants
    robin_sock = await Socket.joined(first.ws_url, robin.access, room)
    sky_sock = await Socket.open(second.ws_url, sky.access)
    joined = await sky_sock.join(room)
    assert robin.member_id in joined["online"] and sky.member_id in joined["online"]
    await robin_sock.close()
    await sky_sock.expect("presence", member_id=robin.member_id, online=False)
    assert robin.member_id not in await second.services.hub.online_everywhere(room)
    await sky_sock.close()


async def test_a_mute_on_one_instance_binds_the_next_send_on_the_other(
    start_instance: StartInstance, redis_server: RedisServer
) -> None:
    """Access is cached per instance until a change: a mute set through one
    instance refuses the muted member's very next send on the other, and the
    unmute lets it through again."""
    a = await start_instance(redis_server.url)
    b = await start_instance(redis_server.url)
    async with Api(a.url, a.services) as api:
        world = await api.circle(1)
    room = world.rooms["community"]
    robin = world.participants[0]
    staff = await Socket.joined(a.ws_url, world.facilitator.access, room)
    sock = await Socket.joined(b.ws_url, robin.access, room)
    assert (await sock.say(room, "before"))["type"] == "ack"  # access now cached on b
    mute = {"type": "mute", "room_id": room, "member_id": robin.member_id, "seconds": 300}
    mute["reason"] = "a pause"
    assert (await staff.request(mute))["until_ms"] > 0
    # The notice comes after the room change on the one control channel:
    # b has dropped what it cached by the time the notice arrives.
    await sock.expect("muted")
    assert (await sock.say(room, "during"))["code"] == "muted"
    await staff.request({**mute, "seconds": 0})
    await sock.expect("muted", until_ms=None)
    assert (await sock.say(room, "after"))["type"] == "ack"
    await staff.close()
    await sock.close()
