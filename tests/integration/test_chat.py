"""Two people chat; every screen sees one order; retries, resume, reload."""

from __future__ import annotations

import asyncio
import uuid

from server.domain.model import MessageState

from .client import Api, Socket, assert_one_order
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


async def test_order_is_identical_on_every_client(server: Instance, api: Api) -> None:
    """Concurrent senders produce one gapless order that every client sees."""
    world = await api.circle(4)
    room = world.rooms["integration"]
    sockets = [await Socket.open(server.ws_url, p.access) for p in world.participants]
    for sock in sockets:
        await sock.join(room)

    await assert_one_order(sockets, room, 10)
    for sock in sockets:
        await sock.close()


async def test_retried_send_is_stored_once(server: Instance, api: Api) -> None:
    """A send retried with its client id, before and after the ack, stores one message."""
    world = await api.circle(2)
    room = world.rooms["preparation"]
    a = await Socket.joined(server.ws_url, world.participants[0].access, room)
    b = await Socket.joined(server.ws_url, world.participants[1].access, room)
    client_id = str(uuid.uuid4())
    # Three copies in flight at once, then one more after the acks.
    acks = await asyncio.gather(*(a.say(room, "only once", client_id) for _ in range(3)))
    late = await a.say(room, "only once", client_id)
    ids = {ack["message_id"] for ack in [*acks, late]}
    assert len(ids) == 1
    assert sorted(ack["duplicate"] for ack in acks) == [False, True, True]
    assert late["duplicate"] is True and late["seq"] == acks[0]["seq"]
    history = await b.request({"type": "history", "room_id": room})
    assert [m["body"] for m in history["messages"]] == ["only once"]
    await asyncio.sleep(0.2)
    assert len(b.events(room)) == 1
    await a.close()
    await b.close()


async def test_client_id_of_another_member_is_not_shared(server: Instance, api: Api) -> None:
    """Another member reusing someone's client id creates their own message, not a leak."""
    world = await api.circle(2)
    room = world.rooms["preparation"]
    a = await Socket.joined(server.ws_url, world.participants[0].access, room)
    b = await Socket.joined(server.ws_url, world.participants[1].access, room)
    client_id = str(uuid.uuid4())
    first = await a.say(room, "mine", client_id)
    second = await b.say(room, "also mine", client_id)
    assert first["message_id"] != second["message_id"]
    assert second["duplicate"] is False
    await a.close()
    await b.close()


async def test_edit_delete_and_resonate(server: Instance, api: Api) -> None:
    """Authors edit and delete their own messages; anyone may resonate; all are sequenced."""
    world = await api.circle(2)
    room = world.rooms["integration"]
    a = await Socket.joined(server.ws_url, world.participants[0].access, room)
    b = await Socket.joined(server.ws_url, world.participants[1].access, room)
    sent = await a.say(room, "I saw a lake")
    message_id = sent["message_id"]
    edit = await a.request(
        {
            "type": "edit",
            "room_id": room,
            "message_id": message_id,
            "client_id": str(uuid.uuid4()),
            "body": "I saw a quiet lake",
        }
    )
    assert edit["type"] == "ack" and edit["seq"] == 2
    resonate = await b.request(
        {
            "type": "react",
            "room_id": room,
            "message_id": message_id,
            "client_id": str(uuid.uuid4()),
            "reaction": "resonate",
        }
    )
    assert resonate["seq"] == 3
    refused = await b.request(
        {
            "type": "edit",
            "room_id": room,
            "message_id": message_id,
            "client_id": str(uuid.uuid4()),
            "body": "hijack",
        }
    )
    assert refused["type"] == "error" and refused["code"] == "not_author"
    events = await a.wait_events(room, 3)
    assert [e["event"] for e in events] == ["message.created", "message.edited", "reaction.added"]
    assert events[1]["data"]["body"] == "I saw a quiet lake"
    assert events[2]["data"]["reactions"] == {"resonate": [world.participants[1].member_id]}
    deleted = await a.request(
        {
            "type": "delete",
            "room_id": room,
            "message_id": message_id,
            "client_id": str(uuid.uuid4()),
        }
    )
    assert deleted["seq"] == 4
    event = (await b.wait_events(room, 4))[-1]
    assert event["event"] == "message.deleted"
    history = await b.request({"type": "history", "room_id": room})
    assert history["messages"][0]["body"] is None
    assert history["messages"][0]["state"] == "deleted"
    stored = await server.services.events.get_message(message_id)
    assert stored is not None and stored.body is None
    await a.close()
    await b.close()


async def test_history_pages_backwards(server: Instance, api: Api) -> None:
    """History returns pages oldest-first and says when there is more."""
    world = await api.circle(1)
    room = world.rooms["community"]
    a = await Socket.joined(server.ws_url, world.participants[0].access, room)
    for index in range(7):
        await a.say(room, f"m{index}")
    page = await a.request({"type": "history", "room_id": room, "limit": 3})
    assert [m["body"] for m in page["messages"]] == ["m4", "m5", "m6"] and page["has_more"]
    older = await a.request(
        {"type": "history", "room_id": room, "limit": 3, "before": page["messages"][0]["seq"]}
    )
    assert [m["body"] for m in older["messages"]] == ["m1", "m2", "m3"] and older["has_more"]
    oldest = await a.request(
        {"type": "history", "room_id": room, "limit": 3, "before": older["messages"][0]["seq"]}
    )
    assert [m["body"] for m in oldest["messages"]] == ["m0"] and not oldest["has_more"]
    status, over_http = await api.call(
        "GET", f"/api/rooms/{room}/messages?limit=2", world.participants[0].access
    )
    assert status == 200 and [m["body"] for m in over_http["messages"]] == ["m5", "m6"]
    await a.close()


async def test_typing_and_presence_reach_others(server: Instance, api: Api) -> None:
    """Typing and presence are relayed to the other members, not echoed to the sender."""
    world = await api.circle(2)
    room = world.rooms["community"]
    a = await Socket.open(server.ws_url, world.participants[0].access)
    b = await Socket.open(server.ws_url, world.participants[1].access)
    await a.join(room)
    joined = await b.join(room)
    assert world.participants[0].member_id in joined["online"]
    presence = await a.expect("presence", member_id=world.participants[1].member_id)
    assert presence["online"] is True
    await a.send({"type": "typing", "room_id": room})
    typing = await b.expect("typing")
    assert typing["member_id"] == world.participants[0].member_id
    await b.close()
    gone = await a.expect("presence", member_id=world.participants[1].member_id, online=False)
    assert gone["room_id"] == room
    assert not [f for f in a.frames if f.get("type") == "typing"]
    await a.close()


async def test_client_id_reuse_for_another_change_is_refused(server: Instance, api: Api) -> None:
    """Reusing a client id to delete or edit a different message is refused, not 'done'."""
    world = await api.circle(2)
    room = world.rooms["preparation"]
    robin = await Socket.open(server.ws_url, world.participants[0].access)
    sky = await Socket.open(server.ws_url, world.participants[1].access)
    mine = await robin.say(room, "mine to delete")
    theirs = await sky.say(room, "sky's words")
    second = await robin.say(room, "keep this")
    used = str(uuid.uuid4())
    first_delete = await robin.request(
        {"type": "delete", "room_id": room, "message_id": mine["message_id"], "client_id": used}
    )
    assert first_delete["type"] == "ack"
    retry = await robin.request(
        {"type": "delete", "room_id": room, "message_id": mine["message_id"], "client_id": used}
    )
    assert retry["type"] == "ack" and retry["duplicate"] is True
    hijack = await robin.request(
        {"type": "delete", "room_id": room, "message_id": theirs["message_id"], "client_id": used}
    )
    assert hijack["type"] == "error" and hijack["code"] == "client_id_conflict"
    edit_id = str(uuid.uuid4())
    await robin.request(
        {
            "type": "edit",
            "room_id": room,
            "message_id": second["message_id"],
            "client_id": edit_id,
            "body": "kept, edited",
        }
    )
    reuse = await robin.request(
        {
            "type": "edit",
            "room_id": room,
            "message_id": mine["message_id"],
            "client_id": edit_id,
            "body": "sneaky",
        }
    )
    assert reuse["type"] == "error"
    stored = await server.services.events.get_message(theirs["message_id"])
    assert stored is not None and stored.body == "sky's words" and stored.state == "visible"
    edited = await server.services.events.get_message(second["message_id"])
    assert edited is not None and edited.body == "kept, edited"
    await robin.close()
    await sky.close()


async def test_interrupted_delete_is_completed_by_the_retry(server: Instance, api: Api) -> None:
    """A delete whose instance died after dropping the text is finished by the author's retry."""
    world = await api.circle(2)
    room = world.rooms["preparation"]
    robin = await Socket.open(server.ws_url, world.participants[0].access)
    sky = await Socket.joined(server.ws_url, world.participants[1].access, room)
    sent = await robin.say(room, "please forget this")
    # The first attempt got as far as dropping the text, then its instance died.
    await server.services.events.apply_delete(sent["message_id"], MessageState.DELETED)
    retry = await robin.request(
        {
            "type": "delete",
            "room_id": room,
            "message_id": sent["message_id"],
            "client_id": str(uuid.uuid4()),
        }
    )
    assert retry["type"] == "ack" and retry["seq"] == 2
    events = await sky.wait_events(room, 2)
    assert events[-1]["event"] == "message.deleted"
    other = await sky.request(
        {
            "type": "delete",
            "room_id": room,
            "message_id": sent["message_id"],
            "client_id": str(uuid.uuid4()),
        }
    )
    assert other["type"] == "error" and other["code"] == "message_not_found"
    await robin.close()
    await sky.close()
