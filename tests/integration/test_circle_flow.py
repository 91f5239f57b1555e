"""Circle flow over real sockets (rules 9–11): phases, check-ins, support
requests, the talking piece, safety alerts and attendance."""

from __future__ import annotations

import asyncio
import uuid

from .client import Api, Socket, World
from .conftest import Instance, StartInstance


async def session(
    server: Instance, api: Api, participants: int = 2, kind: str = "integration"
) -> tuple[World, Socket, list[Socket], str]:
    world = await api.circle(participants)
    room = world.rooms[kind]
    staff = await Socket.joined(server.ws_url, world.facilitator.access, room)
    people = [await Socket.joined(server.ws_url, p.access, room) for p in world.participants]
    return world, staff, people, room


async def close_all(*socks: Socket) -> None:
    for sock in socks:
        await sock.close()


async def test_phases_are_sequenced_and_quiet_phases_silence_participants(
    server: Instance, api: Api
) -> None:
    """Dosing and journey: participants can't post (clear code); staff can; resume
    restores the phase."""
    world, staff, (robin, sky), room = await session(server, api)
    joined = await Socket.open(server.ws_url, world.participants[0].access)
    assert (await joined.join(room))["state"]["phase"] == "preparation"
    for phase in ("dosing", "journey"):
        reply = await staff.request({"type": "phase", "room_id": room, "phase": phase})
        assert reply["type"] == "room_state" and reply["phase"] == phase
        refused = await robin.say(room, "is anyone there?")
        assert refused["code"] == "room_quiet" and refused["phase"] == phase
    assert (await staff.say(room, "breathe gently, we're here"))["type"] == "ack"
    events = await sky.wait_events(room, 3)
    assert [(e["event"], e["data"].get("phase")) for e in events] == [
        ("room.phase", "dosing"),
        ("room.phase", "journey"),
        ("message.created", None),
    ]
    assert (await staff.request({"type": "phase", "room_id": room, "phase": "integration"}))[
        "phase"
    ] == "integration"
    assert (await robin.say(room, "I'm back"))["type"] == "ack"
    late = await Socket.open(server.ws_url, world.participants[1].access)
    reply = await late.join(room, after=0)
    assert reply["state"]["phase"] == "integration"
    replayed = await late.wait_events(room, 5)
    assert [e["event"] for e in replayed][:3] == ["room.phase"] * 2 + ["message.created"]
    await close_all(staff, robin, sky, joined, late)


async def test_participant_cannot_change_the_phase(server: Instance, api: Api) -> None:
    world, staff, (robin, _sky), room = await session(server, api)
    refused = await robin.request({"type": "phase", "room_id": room, "phase": "journey"})
    assert refused["code"] == "staff_only"
    community = world.rooms["community"]
    staff_community = await Socket.joined(server.ws_url, world.facilitator.access, community)
    refused = await staff_community.request(
        {"type": "phase", "room_id": community, "phase": "journey"}
    )
    assert refused["code"] == "not_a_session_room"
    await close_all(staff, robin, _sky, staff_community)


async def test_checkin_answers_reach_staff_only(server: Instance, api: Api) -> None:
    """A check-in during the journey: answers and private notes go to staff; a need-
    support answer raises an alert; staff see who has not answered."""
    world, staff, (robin, sky), room = await session(server, api)
    await staff.request({"type": "phase", "room_id": room, "phase": "journey"})
    opened = await staff.request({"type": "checkin_open", "room_id": room})
    checkin_id = opened["checkin_id"]
    prompt = await robin.expect("event", room_id=room, event="checkin.opened")
    assert prompt["data"]["checkin_id"] == checkin_id
    answer = await robin.request(
        {
            "type": "checkin_answer",
            "room_id": room,
            "checkin_id": checkin_id,
            "answer": "need_support",
            "note": "my chest feels tight",
        }
    )
    assert answer["type"] == "checkin_answered"
    seen = await staff.expect("checkin_answer")
    assert seen["answer"] == "need_support" and seen["note"] == "my chest feels tight"
    alert = await staff.expect("alert")
    assert alert["alert"]["kind"] == "need_support"
    assert alert["alert"]["member_id"] == world.participants[0].member_id
    status = await api.ok(
        "GET", f"/api/rooms/{room}/checkins/{checkin_id}", world.facilitator.access
    )
    assert [a["display_name"] for a in status["answered"]] == ["Robin"]
    assert [w["display_name"] for w in status["waiting"]] == ["Sky"]
    # Nobody but staff heard any of it.
    await asyncio.sleep(0.2)
    assert not [f for f in sky.frames if f["type"] in ("checkin_answer", "alert")]
    assert "chest" not in str(sky.frames)
    code, body = await api.call(
        "GET", f"/api/rooms/{room}/checkins/{checkin_id}", world.participants[1].access
    )
    assert code == 403 and body["code"] == "staff_only"
    await close_all(staff, robin, sky)


async def test_support_request_from_a_muted_participant_gets_through(
    server: Instance, api: Api
) -> None:
    """Muted, in the journey, outside any turn: asking for support still alerts every
    connected staff member at once, and stays listed until acknowledged."""
    world, staff, (robin, sky), room = await session(server, api)
    lead = await Socket.open(server.ws_url, world.admin.access)
    await staff.request(
        {
            "type": "mute",
            "room_id": room,
            "member_id": world.participants[0].member_id,
            "seconds": 600,
            "reason": "taking a pause",
        }
    )
    await robin.expect("muted")
    await staff.request({"type": "phase", "room_id": room, "phase": "journey"})
    assert (await robin.say(room, "hello"))["code"] in ("muted", "room_quiet")
    reply = await robin.request(
        {
            "type": "support",
            "program_id": world.program_id,
            "room_id": room,
            "note": "I feel scared",
        }
    )
    assert reply["type"] == "support_requested"
    for sock in (staff, lead):
        alert = await sock.expect("alert")
        assert alert["alert"]["kind"] == "support_request"
        assert alert["alert"]["note"] == "I feel scared"
    listed = await api.ok("GET", f"/api/programs/{world.program_id}/alerts", world.admin.access)
    assert [a["alert_id"] for a in listed] == [reply["alert_id"]]
    acked = await staff.request({"type": "alert_ack", "alert_id": reply["alert_id"]})
    assert acked["type"] == "alert_acknowledged"
    await lead.expect("alert_acknowledged")
    listed = await api.ok("GET", f"/api/programs/{world.program_id}/alerts", world.admin.access)
    assert listed == []
    again = await lead.request({"type": "alert_ack", "alert_id": reply["alert_id"]})
    assert again["code"] == "already_acknowledged"
    # Participants can't read or acknowledge alerts.
    code, _ = await api.call(
        "GET", f"/api/programs/{world.program_id}/alerts", world.participants[1].access
    )
    assert code == 403
    await asyncio.sleep(0.1)
    assert not [f for f in sky.frames if f["type"] == "alert"]
    await close_all(staff, robin, sky, lead)


async def test_support_works_before_admission_and_over_http(api: Api) -> None:
    """Asking for help is never gated by clearance or the agreement."""
    world = await api.circle(1, admit=False)
    reply = await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/support",
        world.participants[0].access,
        {"note": "can someone call me?"},
    )
    assert reply["type"] == "support_requested"
    listed = await api.ok(
        "GET", f"/api/programs/{world.program_id}/alerts", world.facilitator.access
    )
    assert listed[0]["display_name"] == "Robin"


async def test_talking_piece_gives_the_floor_to_one_speaker(server: Instance, api: Api) -> None:
    """Only the speaker and staff post; others react; pass and advance move the
    floor; everyone sees who holds it and who is next."""
    world, staff, socks, room = await session(server, api, participants=3)
    robin, sky, jules = socks
    ids = [p.member_id for p in world.participants]
    started = await staff.request({"type": "round_start", "room_id": room})
    assert started["round"]["order"] == ids
    assert started["round"]["current"] == ids[0] and started["round"]["next"] == ids[1]
    event = await jules.expect("event", room_id=room, event="round.started")
    assert event["data"]["round"]["current"] == ids[0]
    ack = await robin.say(room, "I saw a door")
    assert ack["type"] == "ack"
    refused = await sky.say(room, "me too!")
    assert refused["code"] == "not_your_turn" and refused["speaker"] == ids[0]
    react = await sky.request(
        {
            "type": "react",
            "room_id": room,
            "client_id": str(uuid.uuid4()),
            "message_id": ack["message_id"],
            "reaction": "resonate",
        }
    )
    assert react["type"] == "ack"
    assert (await staff.say(room, "thank you Robin"))["type"] == "ack"
    # Someone who isn't the speaker can't pass for them, nor advance.
    assert (await sky.request({"type": "turn", "room_id": room, "how": "pass"}))[
        "code"
    ] == "not_your_turn"
    assert (await sky.request({"type": "turn", "room_id": room, "how": "advance"}))[
        "code"
    ] == "staff_only"
    moved = await robin.request({"type": "turn", "room_id": room, "how": "finish"})
    assert moved["round"]["current"] == ids[1]
    assert (await sky.say(room, "my turn now"))["type"] == "ack"
    assert (await robin.say(room, "oops"))["code"] == "not_your_turn"
    skipped = await staff.request({"type": "turn", "room_id": room, "how": "skip"})
    assert skipped["round"]["current"] == ids[2] and skipped["round"]["next"] is None
    done = await jules.request({"type": "turn", "room_id": room, "how": "pass"})
    assert done["round"] is None
    assert (await robin.say(room, "free again"))["type"] == "ack"
    await close_all(staff, *socks)


async def test_disconnected_speaker_is_skipped_after_grace(
    start_instance: StartInstance,
) -> None:
    server = await start_instance()
    object.__setattr__(server.services.circle, "_grace_s", 0.5)
    async with Api(server.url, server.services) as api:
        world, staff, (robin, sky), room = await session(server, api)
        await staff.request({"type": "round_start", "room_id": room})
        await robin.close()
        event = await sky.expect("event", room_id=room, event="round.turn", timeout=10)
        assert event["data"]["how"] == "skip" and event["data"]["reason"] == "disconnected"
        assert event["data"]["round"]["current"] == world.participants[1].member_id
        await close_all(staff, sky)


async def test_risk_message_is_delivered_and_alerts_staff(server: Instance, api: Api) -> None:
    _world, staff, (robin, sky), room = await session(server, api)
    ack = await robin.say(room, "honestly I don't want to be alive anymore")
    assert ack["type"] == "ack"
    delivered = await sky.wait_events(room, 1)
    assert delivered[0]["data"]["body"].startswith("honestly")
    alert = await staff.expect("alert")
    assert alert["alert"]["kind"] == "safety"
    assert alert["alert"]["message_id"] == ack["message_id"]
    assert alert["alert"]["room_id"] == room
    await robin.say(room, "this joke killed me, so funny")
    await asyncio.sleep(0.3)
    assert len([f for f in staff.frames if f["type"] == "alert"]) == 1
    await close_all(staff, robin, sky)


async def test_attendance_shows_who_came_and_who_is_present(server: Instance, api: Api) -> None:
    world = await api.circle(3)
    room = world.rooms["preparation"]
    robin = await Socket.joined(server.ws_url, world.participants[0].access, room)
    sky = await Socket.joined(server.ws_url, world.participants[1].access, room)
    await sky.close()
    await asyncio.sleep(0.3)
    report = await api.ok("GET", f"/api/rooms/{room}/attendance", world.facilitator.access)
    by_name = {a["display_name"]: a for a in report["attended"]}
    assert by_name["Robin"]["present"] is True and by_name["Robin"]["last_left_ms"] is None
    assert by_name["Sky"]["present"] is False and by_name["Sky"]["last_left_ms"] is not None
    assert [m["display_name"] for m in report["not_come"]] == ["Jules"]
    code, _ = await api.call("GET", f"/api/rooms/{room}/attendance", world.participants[0].access)
    assert code == 403
    await robin.close()


async def test_support_requests_are_bounded_with_a_clear_error(
    start_instance: StartInstance,
) -> None:
    """Rule 12 applies to support requests too: each one alerts every staff member."""
    server = await start_instance(support_rate="2/minute")
    async with Api(server.url, server.services) as api:
        world = await api.circle(1)
        path = f"/api/programs/{world.program_id}/support"
        person = world.participants[0].access
        for _ in range(2):
            await api.ok("POST", path, person, {})
        code, body = await api.call("POST", path, person, {})
        assert code == 429 and body["code"] == "rate_limited" and body["retry_after_s"] > 0
        listed = await api.ok(
            "GET", f"/api/programs/{world.program_id}/alerts", world.facilitator.access
        )
        assert len(listed) == 2
