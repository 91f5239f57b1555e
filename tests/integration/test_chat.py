"""Two people chat; every screen sees one order; retries, resume, reload."""

from __future__ import annotations

import asyncio
import uuid

from .client import Api, Socket
from .conftest import Instance


async def test_two_participants_chat(server: Instance, api: Api) -> None:
    """A message sent by one participant reaches the other, acknowledged after storage."""
    world = await api.circle(2)
    robin, sky = world.participants
    room = world.rooms["preparation"]
    a = await Socket.open(server.ws_url, robin.access)
    b = await Socket.open(server.ws_url, sky.access)
    assert (await a.join(room))["type"] == "joined"
    assert (await b.join(room))["type"] == "joined"
    ack = await a.say(room, "I'm nervous about tomorrow")
    assert ack["type"] == "ack" and ack["seq"] == 1 and ack["duplicate"] is False
    event = (await b.wait_events(room, 1))[0]
    assert event["event"] == "message.created"
    assert event["data"]["body"] == "I'm nervous about tomorrow"
    assert event["data"]["author_id"] == robin.member_id
    stored = await server.services.events.get_message(ack["message_id"])
    assert stored is not None and stored.body == "I'm nervous about tomorrow"
    await a.close()
    await b.close()
