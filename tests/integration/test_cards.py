"""Rule 6: completion, unlock, and contact cards by mutual consent only."""

from __future__ import annotations

import asyncio

from .client import Api, Person, Socket, World
from .conftest import Instance


async def completed(api: Api, participants: int = 3) -> World:
    world = await api.circle(participants)
    await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/status",
        world.admin.access,
        {"status": "completed"},
    )
    return world


async def unlocked(api: Api, participants: int = 3) -> World:
    world = await completed(api, participants)
    await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/contact-exchange",
        world.admin.access,
        {"state": "unlocked"},
    )
    return world


async def write_card(api: Api, world: World, person: Person, **fields: str) -> None:
    await api.ok("PUT", f"/api/programs/{world.program_id}/card", person.access, fields)


async def share(api: Api, world: World, person: Person, mode: str, *chosen: Person) -> None:
    await api.ok(
        "PUT",
        f"/api/programs/{world.program_id}/card/sharing",
        person.access,
        {"mode": mode, "chosen": [p.member_id for p in chosen]},
    )


async def cards_seen_by(api: Api, world: World, person: Person) -> dict[str, dict[str, object]]:
    cards = await api.ok("GET", f"/api/programs/{world.program_id}/cards", person.access)
    return {card["member_id"]: card for card in cards}


async def test_unlock_needs_a_completed_program_and_a_lead(api: Api) -> None:
    """Before completion nobody can unlock; after it, only a lead can."""
    world = await api.circle(1)
    path = f"/api/programs/{world.program_id}/contact-exchange"
    status, body = await api.call("POST", path, world.admin.access, {"state": "unlocked"})
    assert status == 409 and body["code"] == "program_not_completed"
    status, body = await api.call(
        "POST",
        f"/api/programs/{world.program_id}/status",
        world.facilitator.access,
        {"status": "completed"},
    )
    assert status == 403
    await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/status",
        world.admin.access,
        {"status": "completed"},
    )
    for person in (world.facilitator, world.participants[0]):
        status, body = await api.call("POST", path, person.access, {"state": "unlocked"})
        assert status == 403 and body["code"] == "lead_only"
    program = await api.ok("POST", path, world.admin.access, {"state": "unlocked"})
    assert program["contact_exchange"] == "unlocked"
    audit = await api.ok("GET", f"/api/programs/{world.program_id}/audit", world.admin.access)
    assert [e["details"]["state"] for e in audit if e["action"] == "contact_exchange.changed"] == [
        "unlocked"
    ]


async def test_completion_makes_session_rooms_read_only(server: Instance, api: Api) -> None:
    """After completion participants can read but not post in session rooms."""
    world = await api.circle(1)
    room = world.rooms["integration"]
    sock = await Socket.joined(server.ws_url, world.participants[0].access, room)
    assert (await sock.say(room, "last words"))["type"] == "ack"
    await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/status",
        world.admin.access,
        {"status": "completed"},
    )
    await sock.expect("program_changed")
    refused = await sock.say(room, "one more")
    assert refused["code"] == "room_read_only"
    history = await sock.request({"type": "history", "room_id": room})
    assert [m["body"] for m in history["messages"]] == ["last words"]
    await sock.close()


async def test_cards_need_mutual_consent(api: Api) -> None:
    """B sees A's card only if A shares with B and B shares with A."""
    world = await unlocked(api, 3)
    robin, sky, jules = world.participants
    await write_card(api, world, robin, name="Robin R.", email="robin@example.org")
    await write_card(api, world, sky, phone="+1 415 555 0101", note="say hi")
    # Nothing is shared by default.
    assert await cards_seen_by(api, world, robin) == {}
    assert await cards_seen_by(api, world, sky) == {}
    # One-sided sharing shows nothing to either side.
    await share(api, world, robin, "everyone")
    assert await cards_seen_by(api, world, sky) == {}
    assert await cards_seen_by(api, world, robin) == {}
    # Sky shares with Robin only: now both see each other, Jules sees nobody.
    await share(api, world, sky, "chosen", robin)
    seen_by_sky = await cards_seen_by(api, world, sky)
    assert list(seen_by_sky) == [robin.member_id]
    assert seen_by_sky[robin.member_id]["email"] == "robin@example.org"
    assert seen_by_sky[robin.member_id]["display_name"] == "Robin"
    assert "sharing" not in seen_by_sky[robin.member_id]
    assert list(await cards_seen_by(api, world, robin)) == [sky.member_id]
    await write_card(api, world, jules, name="J")
    await share(api, world, jules, "everyone")
    # Robin shares with everyone who shares back (Jules too); Sky chose Robin only.
    assert set(await cards_seen_by(api, world, jules)) == {robin.member_id}
    # Withdrawing takes the card away at once.
    await share(api, world, robin, "nobody")
    assert await cards_seen_by(api, world, sky) == {}
    assert await cards_seen_by(api, world, jules) == {}


async def test_staff_cannot_read_cards(api: Api) -> None:
    """Facilitators and leads have no way to a participant's card."""
    world = await unlocked(api, 1)
    robin = world.participants[0]
    await write_card(api, world, robin, phone="+1 415 555 0101")
    await share(api, world, robin, "everyone")
    for person in (world.facilitator, world.admin):
        for method, path in (
            ("GET", "cards"),
            ("GET", "card"),
        ):
            status, body = await api.call(
                "GET" if method == "GET" else method,
                f"/api/programs/{world.program_id}/{path}",
                person.access,
            )
            assert status == 403 and body["code"] == "cards_participants_only"
    status, body = await api.call(
        "PUT",
        f"/api/programs/{world.program_id}/card/sharing",
        robin.access,
        {"mode": "chosen", "chosen": [world.facilitator.member_id]},
    )
    assert status == 403 and body["code"] == "invalid_share_target"


async def test_cards_are_closed_while_locked(api: Api) -> None:
    """Before unlock (and after re-locking) cards can't be written or read."""
    world = await completed(api, 1)
    robin = world.participants[0]
    status, body = await api.call(
        "PUT", f"/api/programs/{world.program_id}/card", robin.access, {"name": "R"}
    )
    assert status == 403 and body["code"] == "contact_exchange_locked"
    path = f"/api/programs/{world.program_id}/contact-exchange"
    await api.ok("POST", path, world.admin.access, {"state": "unlocked"})
    await write_card(api, world, robin, name="R")
    await api.ok("POST", path, world.admin.access, {"state": "locked"})
    status, body = await api.call("GET", f"/api/programs/{world.program_id}/cards", robin.access)
    assert status == 403 and body["code"] == "contact_exchange_locked"


async def test_card_changes_are_announced_to_those_who_can_see_them(
    server: Instance, api: Api
) -> None:
    """Sockets of eligible members hear that cards changed; others hear nothing."""
    world = await unlocked(api, 3)
    robin, sky, jules = world.participants
    sky_sock = await Socket.open(server.ws_url, sky.access)
    jules_sock = await Socket.open(server.ws_url, jules.access)
    await write_card(api, world, robin, name="R")
    await write_card(api, world, sky, name="S")
    await share(api, world, sky, "everyone")
    await share(api, world, robin, "chosen", sky)
    await sky_sock.expect("cards_changed", program_id=world.program_id)
    await write_card(api, world, robin, name="Robin")
    await sky_sock.expect("cards_changed", program_id=world.program_id)
    await asyncio.sleep(0.2)
    assert not [f for f in jules_sock.frames if f["type"] == "cards_changed"]
    await sky_sock.close()
    await jules_sock.close()


async def test_direct_rooms_only_between_mutual_sharers(server: Instance, api: Api) -> None:
    """After unlock a private room opens between people who share both ways only."""
    world = await unlocked(api, 3)
    robin, sky, jules = world.participants
    path = f"/api/programs/{world.program_id}/rooms"
    status, body = await api.call(
        "POST", path, robin.access, {"kind": "direct", "member_ids": [sky.member_id]}
    )
    assert status == 403 and body["code"] == "not_mutual"
    await share(api, world, robin, "everyone")
    await share(api, world, sky, "everyone")
    room = await api.ok(
        "POST", path, robin.access, {"kind": "direct", "member_ids": [sky.member_id]}
    )
    assert sorted(room["member_ids"]) == sorted([robin.member_id, sky.member_id])
    sky_sock = await Socket.joined(server.ws_url, sky.access, room["room_id"])
    robin_sock = await Socket.joined(server.ws_url, robin.access, room["room_id"])
    ack = await robin_sock.say(room["room_id"], "here's my number: 415 555 0101")
    assert ack["type"] == "ack"
    await sky_sock.wait_events(room["room_id"], 1)
    for outsider in (jules, world.facilitator):
        sock = await Socket.open(server.ws_url, outsider.access)
        assert (await sock.join(room["room_id"]))["code"] == "forbidden"
        await sock.close()
    # Re-locking pauses the private room.
    await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/contact-exchange",
        world.admin.access,
        {"state": "locked"},
    )
    await robin_sock.expect("program_changed")
    refused = await robin_sock.say(room["room_id"], "still there?")
    assert refused["code"] == "contact_exchange_locked"
    await sky_sock.close()
    await robin_sock.close()


async def test_unlocked_program_lets_contact_details_through(server: Instance, api: Api) -> None:
    """After unlock the contact lock no longer applies (community room stays open)."""
    world = await unlocked(api, 2)
    room = world.rooms["community"]
    robin = await Socket.joined(server.ws_url, world.participants[0].access, room)
    assert (await robin.say(room, "email me: robin@example.org"))["type"] == "ack"
    await robin.close()
