"""Rules 4 and 5: contact details are held back while contact exchange is
locked, attempts are audited without their text, and participants can't open
private conversations."""

from __future__ import annotations

import asyncio
import json

import pytest

from .client import Api, Socket, World
from .conftest import Instance


async def two_in_room(
    server: Instance, api: Api, kind: str = "integration"
) -> tuple[World, Socket, Socket, str]:
    world = await api.circle(2)
    room = world.rooms[kind]
    robin = await Socket.joined(server.ws_url, world.participants[0].access, room)
    sky = await Socket.joined(server.ws_url, world.participants[1].access, room)
    return world, robin, sky, room


async def audit_of(api: Api, world: World) -> list[dict[str, object]]:
    return list(await api.ok("GET", f"/api/programs/{world.program_id}/audit", world.admin.access))


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("you can reach me at robin.heals@gmail.com", "email"),
        ("text me: (415) 555-0132 anytime", "phone"),
        ("my number is +44 7700 900123", "phone"),
        ("robin dot heals at gmail dot com", "email"),
        ("five five five, zero one three two, four one", "phone"),
    ],
)
async def test_contact_details_are_refused_and_never_delivered(
    server: Instance, api: Api, body: str, kind: str
) -> None:
    """The sender gets a kind explanation with the kinds found; nobody else sees anything."""
    world, robin, sky, room = await two_in_room(server, api)
    refused = await robin.say(room, body)
    assert refused["type"] == "error" and refused["code"] == "contact_info_blocked"
    assert kind in refused["kinds"]
    assert "wasn't sent" in refused["message"]
    ok = await robin.say(room, "sorry, I'll keep it in the circle")
    assert ok["type"] == "ack" and ok["seq"] == 1
    (event,) = await sky.wait_events(room, 1)
    assert event["data"]["body"] == "sorry, I'll keep it in the circle"
    history = await api.ok("GET", f"/api/rooms/{room}/messages", world.admin.access)
    assert [m["body"] for m in history["messages"]] == ["sorry, I'll keep it in the circle"]
    assert await server.services.events.head(room) == 1
    await robin.close()
    await sky.close()


async def test_attempt_is_audited_without_the_text(server: Instance, api: Api) -> None:
    """The audit entry says who, when, where and which kinds — never the message."""
    world, robin, sky, room = await two_in_room(server, api)
    secret = "call me on 415 555 0199 or robin.secret.mail@proton.me"
    refused = await robin.say(room, secret)
    assert set(refused["kinds"]) >= {"phone", "email"}
    entries = [e for e in await audit_of(api, world) if e["action"] == "contact.blocked"]
    assert len(entries) == 1
    (entry,) = entries
    assert entry["actor_id"] == world.participants[0].member_id
    assert entry["room_id"] == room
    details = entry["details"]
    assert isinstance(details, dict) and set(details["kinds"]) >= {"phone", "email"}
    dumped = json.dumps(await audit_of(api, world))
    assert "0199" not in dumped and "proton" not in dumped and "call me" not in dumped
    await robin.close()
    await sky.close()


async def test_edit_that_adds_a_phone_number_is_refused(server: Instance, api: Api) -> None:
    """An edit can't smuggle contact details into an accepted message."""
    world, robin, sky, room = await two_in_room(server, api)
    ack = await robin.say(room, "thank you all for tonight")
    refused = await robin.request(
        {
            "type": "edit",
            "room_id": room,
            "message_id": ack["message_id"],
            "client_id": "8b7e3c52-8a8c-4c55-9a3e-3f0b1e0d2a11",
            "body": "thank you all for tonight, text me 415-555-0142",
        }
    )
    assert refused["code"] == "contact_info_blocked" and "phone" in refused["kinds"]
    await asyncio.sleep(0.2)
    assert len(sky.events(room)) == 1
    history = await api.ok("GET", f"/api/rooms/{room}/messages", world.admin.access)
    assert history["messages"][0]["body"] == "thank you all for tonight"
    assert history["messages"][0]["edited_at"] is None
    await robin.close()
    await sky.close()


async def test_number_split_over_three_messages_is_caught(server: Instance, api: Api) -> None:
    """The pieces before are ordinary; the message that completes a number is held back."""
    _world, robin, sky, room = await two_in_room(server, api)
    assert (await robin.say(room, "my number is 415"))["type"] == "ack"
    assert (await robin.say(room, "555"))["type"] == "ack"
    refused = await robin.say(room, "0177")
    assert refused["code"] == "contact_info_blocked" and refused["kinds"] == ["phone"]
    await sky.wait_events(room, 2)
    await asyncio.sleep(0.2)
    assert [e["data"]["body"] for e in sky.events(room)] == ["my number is 415", "555"]
    await robin.close()
    await sky.close()


@pytest.mark.parametrize(
    "body",
    [
        "we start at 3pm, see you at 10:40 for integration",
        "the dose was 0.5 mg/kg and it felt like 45 minutes",
        "I'm 34 and it's been since 2019 that I felt this",
        "session 3 in room 12 was the hardest",
        "@everyone thank you",
        "I deleted instagram last year and it helped",
        "why can't we share phone numbers here?",
    ],
)
async def test_ordinary_integration_talk_passes(server: Instance, api: Api, body: str) -> None:
    """Times, doses, ages, years, room numbers and talk about the rule are not policed."""
    _, robin, sky, room = await two_in_room(server, api)
    assert (await robin.say(room, body))["type"] == "ack"
    (event,) = await sky.wait_events(room, 1)
    assert event["data"]["body"] == body
    await robin.close()
    await sky.close()


async def test_staff_may_share_the_clinics_contact_details(server: Instance, api: Api) -> None:
    """The lock is on participants; the care team can post the clinic's line."""
    world = await api.circle(1)
    room = world.rooms["integration"]
    staff = await Socket.joined(server.ws_url, world.facilitator.access, room)
    ack = await staff.say(room, "The clinic's crisis line is (415) 555-0100.")
    assert ack["type"] == "ack"
    await staff.close()


async def test_support_room_is_locked_too(server: Instance, api: Api) -> None:
    """Contact details stay out of the support room as well (it's stored with the rest)."""
    world = await api.circle(1)
    room = world.rooms["support:Robin"]
    sock = await Socket.joined(server.ws_url, world.participants[0].access, room)
    refused = await sock.say(room, "my email is robin.heals@gmail.com")
    assert refused["code"] == "contact_info_blocked"
    await sock.close()


async def test_participant_cannot_open_a_private_room(api: Api) -> None:
    """No private conversations while locked; the attempt is audited; support stays."""
    world = await api.circle(2)
    robin, sky = world.participants
    path = f"/api/programs/{world.program_id}/rooms"
    for body in (
        {"kind": "direct", "member_ids": [sky.member_id]},
        {"kind": "community", "title": "just us"},
        {"kind": "support", "title": "mine"},
    ):
        status, reply = await api.call("POST", path, robin.access, body)
        assert status == 403 and reply["code"] == "contact_exchange_locked", reply
    refusals = [e for e in await audit_of(api, world) if e["action"] == "private_room.refused"]
    assert len(refusals) == 3
    me = await api.me(robin)
    kinds = sorted(r["kind"] for r in me["memberships"][0]["rooms"])
    assert kinds == ["community", "integration", "preparation", "support"]


async def test_staff_open_group_rooms_but_not_direct_ones(server: Instance, api: Api) -> None:
    """A facilitator can open another group room; everyone in the program sees it."""
    world = await api.circle(1)
    path = f"/api/programs/{world.program_id}/rooms"
    room = await api.ok(
        "POST", path, world.facilitator.access, {"kind": "integration", "title": "Week 2"}
    )
    sock = await Socket.joined(server.ws_url, world.participants[0].access, room["room_id"])
    await sock.close()
    for kind in ("direct", "support"):
        status, reply = await api.call("POST", path, world.facilitator.access, {"kind": kind})
        assert status in (400, 403), reply
