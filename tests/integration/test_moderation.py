"""Moderation over real sockets (rule 8) and its audit trail; hostile attempts
by participants; pending messages never reach another participant."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest

from .client import Api, Socket, World
from .conftest import Instance


async def room_with(
    server: Instance, api: Api, participants: int = 2, kind: str = "community"
) -> tuple[World, Socket, list[Socket], str]:
    world = await api.circle(participants)
    room = world.rooms[kind]
    staff = await Socket.joined(server.ws_url, world.facilitator.access, room)
    people = [await Socket.joined(server.ws_url, p.access, room) for p in world.participants]
    return world, staff, people, room


async def audit_actions(api: Api, world: World) -> list[dict[str, object]]:
    return list(await api.ok("GET", f"/api/programs/{world.program_id}/audit", world.admin.access))


async def close_all(*socks: Socket) -> None:
    for sock in socks:
        await sock.close()


def cid() -> str:
    return str(uuid.uuid4())


async def test_removed_message_leaves_a_tombstone_with_its_reason(
    server: Instance, api: Api
) -> None:
    world, staff, (robin, sky), room = await room_with(server, api)
    ack = await robin.say(room, "something hurtful")
    await sky.wait_events(room, 1)
    removed = await staff.request(
        {
            "type": "remove",
            "room_id": room,
            "message_id": ack["message_id"],
            "reason": "not kind to the group",
            "client_id": cid(),
        }
    )
    assert removed["type"] == "ack" and removed["event"] == "message.removed"
    event = (await sky.wait_events(room, 2))[1]
    assert event["event"] == "message.removed"
    assert event["data"] == {
        "message_id": ack["message_id"],
        "state": "removed",
        "reason": "not kind to the group",
    }
    history = await api.ok("GET", f"/api/rooms/{room}/messages", world.participants[1].access)
    (message,) = history["messages"]
    assert message["body"] is None and message["state"] == "removed"
    assert message["removed_reason"] == "not kind to the group"
    late = await Socket.open(server.ws_url, world.participants[1].access)
    await late.join(room, after=0)
    assert "hurtful" not in json.dumps(await late.wait_events(room, 2))
    entry = next(e for e in await audit_actions(api, world) if e["action"] == "message.removed")
    assert entry["actor_id"] == world.facilitator.member_id
    assert entry["target_id"] == world.participants[0].member_id
    assert entry["details"]["reason"] == "not kind to the group"  # type: ignore[index]
    assert "hurtful" not in json.dumps(await audit_actions(api, world))
    await close_all(staff, robin, sky, late)


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "remove", "message_id": "MSG", "reason": "x", "client_id": "CID"},
        {"type": "settings", "locked": True},
        {"type": "settings", "premoderation": True},
        {"type": "settings", "slow_mode_s": 60},
        {"type": "pin", "message_id": "MSG"},
        {"type": "mute", "member_id": "OTHER", "seconds": 60},
        {"type": "remove_member", "member_id": "OTHER"},
        {"type": "round_start"},
        {"type": "checkin_open"},
        {"type": "phase", "phase": "journey"},
        {"type": "approve", "pending_id": "x"},
        {"type": "reject", "pending_id": "x", "reason": "no"},
    ],
)
async def test_participants_cannot_moderate(
    server: Instance, api: Api, frame: dict[str, object]
) -> None:
    """Every staff action from a participant is refused with staff_only; nothing changes."""
    world, staff, (robin, sky), room = await room_with(server, api)
    ack = await sky.say(room, "hello")
    filled = {
        k: (
            ack["message_id"]
            if v == "MSG"
            else cid()
            if v == "CID"
            else world.participants[1].member_id
            if v == "OTHER"
            else v
        )
        for k, v in frame.items()
    }
    refused = await robin.request({**filled, "room_id": room})
    assert refused["type"] == "error" and refused["code"] == "staff_only", refused
    assert (await sky.say(room, "still here"))["type"] == "ack"
    assert await server.services.events.head(room) == 2
    await close_all(staff, robin, sky)


async def test_premoderation_holds_messages_for_staff_only(server: Instance, api: Api) -> None:
    """A held message is seen by its author (pending) and staff; never by another
    participant — not live, not in history, not on resume — until approved."""
    world, staff, (robin, sky), room = await room_with(server, api)
    state = await staff.request({"type": "settings", "room_id": room, "premoderation": True})
    assert state["premoderation"] is True
    client_id = cid()
    held = await robin.say(room, "can I share something raw?", client_id=client_id)
    assert held["type"] == "ack" and held["pending"]["status"] == "open"
    pending = await staff.expect("pending")
    assert pending["pending"]["body"] == "can I share something raw?"
    again = await robin.say(room, "can I share something raw?", client_id=client_id)
    assert again["pending"]["pending_id"] == held["pending"]["pending_id"]
    await asyncio.sleep(0.2)
    assert "raw" not in json.dumps(sky.frames)
    history = await api.ok("GET", f"/api/rooms/{room}/messages", world.participants[1].access)
    assert "raw" not in json.dumps(history)
    code, others = await api.call("GET", f"/api/rooms/{room}/pending", world.participants[1].access)
    assert code == 200 and others == []
    mine = await Socket.open(server.ws_url, world.participants[0].access)
    joined = await mine.join(room)
    assert [p["body"] for p in joined["pending"]] == ["can I share something raw?"]
    resumed = await Socket.open(server.ws_url, world.participants[1].access)
    joined = await resumed.join(room, after=0)
    assert joined["pending"] == [] and "raw" not in json.dumps(joined)
    approved = await staff.request(
        {"type": "approve", "room_id": room, "pending_id": held["pending"]["pending_id"]}
    )
    assert approved["type"] == "approved"
    events = await sky.wait_events(room, 2)
    assert events[-1]["event"] == "message.created"
    assert events[-1]["data"]["body"] == "can I share something raw?"
    assert events[-1]["data"]["author_id"] == world.participants[0].member_id
    note = await robin.expect("pending_approved")
    assert note["client_id"] == client_id
    retry = await robin.say(room, "can I share something raw?", client_id=client_id)
    assert retry["duplicate"] is True and retry["message_id"] == approved["message_id"]
    # A rejected one never appears; its author hears why.
    second = await robin.say(room, "something else")
    rejected = await staff.request(
        {
            "type": "reject",
            "room_id": room,
            "pending_id": second["pending"]["pending_id"],
            "reason": "let's keep this for your support room",
        }
    )
    assert rejected["type"] == "rejected"
    note = await robin.expect("pending_rejected")
    assert note["reason"] == "let's keep this for your support room"
    await asyncio.sleep(0.2)
    assert "something else" not in json.dumps(sky.frames)
    actions = [e["action"] for e in await audit_actions(api, world)]
    assert "message.approved" in actions and "message.rejected" in actions
    # Staff posts are never held.
    assert "seq" in await staff.say(room, "welcome back")
    await close_all(staff, robin, sky, mine, resumed)


async def test_muted_member_cannot_post_or_react_until_unmuted(server: Instance, api: Api) -> None:
    world, staff, (robin, sky), room = await room_with(server, api)
    ack = await sky.say(room, "hi")
    muted = await staff.request(
        {
            "type": "mute",
            "room_id": room,
            "member_id": world.participants[0].member_id,
            "seconds": 300,
            "reason": "cooling off",
        }
    )
    assert muted["until_ms"] > 0
    note = await robin.expect("muted")
    assert note["until_ms"] == muted["until_ms"]
    refused = await robin.say(room, "but wait")
    assert refused["code"] == "muted" and refused["until_ms"] == muted["until_ms"]
    refused = await robin.request(
        {
            "type": "react",
            "room_id": room,
            "client_id": cid(),
            "message_id": ack["message_id"],
            "reaction": "heart",
        }
    )
    assert refused["code"] == "muted"
    assert (await sky.say(room, "others are fine"))["type"] == "ack"
    await staff.request(
        {
            "type": "mute",
            "room_id": room,
            "member_id": world.participants[0].member_id,
            "seconds": 0,
        }
    )
    assert (await robin.say(room, "thank you"))["type"] == "ack"
    refused = await staff.request(
        {"type": "mute", "room_id": room, "member_id": world.facilitator.member_id, "seconds": 60}
    )
    assert refused["code"] == "cannot_moderate_staff"
    actions = [e["action"] for e in await audit_actions(api, world)]
    assert actions.count("member.muted") == 1 and actions.count("member.unmuted") == 1
    await close_all(staff, robin, sky)


async def test_member_removed_from_room_leaves_at_once(server: Instance, api: Api) -> None:
    world, staff, (robin, sky), room = await room_with(server, api)
    await staff.request(
        {
            "type": "remove_member",
            "room_id": room,
            "member_id": world.participants[0].member_id,
            "reason": "needs a break",
        }
    )
    left = await robin.expect("left", room_id=room)
    assert left["code"] == "removed_from_room"
    assert (await robin.join(room))["code"] == "removed_from_room"
    code, _ = await api.call("GET", f"/api/rooms/{room}/messages", world.participants[0].access)
    assert code == 403
    # The support room and other rooms stay open.
    assert (await robin.join(world.rooms["support:Robin"]))["type"] == "joined"
    assert (await sky.say(room, "still here"))["type"] == "ack"
    await staff.request(
        {
            "type": "remove_member",
            "room_id": room,
            "member_id": world.participants[0].member_id,
            "restore": True,
        }
    )
    assert (await robin.join(room))["type"] == "joined"
    await close_all(staff, robin, sky)


async def test_locked_room_and_slow_mode_and_pins(server: Instance, api: Api) -> None:
    world, staff, (robin, sky), room = await room_with(server, api)
    first = await robin.say(room, "first")
    pinned = await staff.request(
        {"type": "pin", "room_id": room, "message_id": first["message_id"]}
    )
    assert pinned["pinned"] == [first["message_id"]]
    event = await sky.expect("event", room_id=room, event="message.pinned")
    assert event["data"]["pinned"] == [first["message_id"]]
    await staff.request({"type": "settings", "room_id": room, "slow_mode_s": 30})
    assert (await robin.say(room, "one"))["type"] == "ack"
    refused = await robin.say(room, "two")
    assert refused["code"] == "slow_mode" and 0 < refused["retry_after_s"] <= 30
    assert (await sky.say(room, "mine is fine"))["type"] == "ack"
    assert (await staff.say(room, "staff too"))["type"] == "ack"
    await staff.request({"type": "settings", "room_id": room, "locked": True, "slow_mode_s": 0})
    assert (await sky.say(room, "anyone?"))["code"] == "room_locked"
    assert (await staff.say(room, "locked for now"))["type"] == "ack"
    joined = await Socket.open(server.ws_url, world.participants[1].access)
    state = (await joined.join(room))["state"]
    assert state["locked"] is True and state["pinned"] == [first["message_id"]]
    await staff.request(
        {"type": "pin", "room_id": room, "message_id": first["message_id"], "on": False}
    )
    await sky.expect("event", room_id=room, event="message.unpinned")
    await close_all(staff, robin, sky, joined)


async def test_reports_reach_the_staff_queue(server: Instance, api: Api) -> None:
    world, staff, (robin, sky), room = await room_with(server, api)
    ack = await sky.say(room, "a message")
    reported = await robin.request(
        {
            "type": "report",
            "room_id": room,
            "message_id": ack["message_id"],
            "reason": "felt dismissive",
        }
    )
    assert reported["type"] == "reported"
    seen = await staff.expect("report")
    assert seen["report"]["reason"] == "felt dismissive"
    own = await sky.request(
        {"type": "report", "room_id": room, "message_id": ack["message_id"], "reason": "x"}
    )
    assert own["code"] == "own_message"
    empty = await robin.request(
        {"type": "report", "room_id": room, "message_id": ack["message_id"], "reason": "  "}
    )
    assert empty["code"] == "reason_required"
    reports = await api.ok(
        "GET", f"/api/programs/{world.program_id}/reports", world.facilitator.access
    )
    assert [r["report_id"] for r in reports] == [reported["report_id"]]
    code, _ = await api.call(
        "GET", f"/api/programs/{world.program_id}/reports", world.participants[0].access
    )
    assert code == 403
    await api.ok(
        "POST",
        f"/api/reports/{reported['report_id']}/resolve",
        world.facilitator.access,
        {"resolution": "talked with both"},
    )
    assert (
        await api.ok("GET", f"/api/programs/{world.program_id}/reports", world.facilitator.access)
        == []
    )
    actions = [e["action"] for e in await audit_actions(api, world)]
    assert "report.filed" in actions and "report.resolved" in actions
    await close_all(staff, robin, sky)


async def test_only_leads_read_the_audit_log(api: Api) -> None:
    world = await api.circle(1)
    for person in (world.facilitator, world.participants[0]):
        code, body = await api.call("GET", f"/api/programs/{world.program_id}/audit", person.access)
        assert code == 403 and body["code"] == "lead_only"


async def test_held_and_edited_messages_raise_safety_alerts_too(server: Instance, api: Api) -> None:
    """Rule 11 is not bypassed by pre-moderation or by editing a message."""
    _world, staff, (robin, sky), room = await room_with(server, api)
    ack = await robin.say(room, "rough week")
    edited = await robin.request(
        {
            "type": "edit",
            "room_id": room,
            "message_id": ack["message_id"],
            "client_id": cid(),
            "body": "rough week, I keep thinking about ending my life",
        }
    )
    assert edited["type"] == "ack"
    alert = await staff.expect("alert")
    assert alert["alert"]["kind"] == "safety" and alert["alert"]["message_id"] == ack["message_id"]
    await staff.request({"type": "settings", "room_id": room, "premoderation": True})
    held = await sky.say(room, "I want to kill myself tonight")
    alert = await staff.expect("alert")
    assert alert["alert"]["details"]["pending_id"] == held["pending"]["pending_id"]
    await staff.request(
        {"type": "approve", "room_id": room, "pending_id": held["pending"]["pending_id"]}
    )
    await asyncio.sleep(0.3)
    assert len([f for f in staff.frames if f["type"] == "alert"]) == 2
    await close_all(staff, robin, sky)
