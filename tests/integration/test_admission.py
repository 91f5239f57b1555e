"""Rule 2: clearance and the confidentiality agreement gate every room."""

from __future__ import annotations

from .client import Api, Socket
from .conftest import Instance, StartInstance


async def agreement_of(api: Api, program_id: str, token: str) -> dict[str, object]:
    return dict(await api.ok("GET", f"/api/programs/{program_id}/agreement", token))


async def test_invited_participant_reaches_no_room(server: Instance, api: Api) -> None:
    """Before clearance a participant can read the agreement but join, read or post nowhere."""
    world = await api.circle(1, admit=False)
    robin = world.participants[0]
    me = await api.me(robin)
    (membership,) = me["memberships"]
    assert membership["admission"] == {
        "cleared": False,
        "agreement_version": 1,
        "agreement_accepted": False,
        "admitted": False,
    }
    assert membership["rooms"] == []
    agreement = await agreement_of(api, world.program_id, robin.access)
    assert "stays in the circle" in str(agreement["text"])
    sock = await Socket.open(server.ws_url, robin.access)
    for room in (world.rooms["preparation"], world.rooms["support:Robin"]):
        assert (await sock.join(room))["code"] == "clearance_required"
        assert (await sock.say(room, "hello?"))["code"] == "clearance_required"
        status, body = await api.call("GET", f"/api/rooms/{room}/messages", robin.access)
        assert status == 403 and body["code"] == "clearance_required"
    # Accepting before clearance changes nothing.
    status, body = await api.call(
        "POST",
        f"/api/programs/{world.program_id}/agreement/accept",
        robin.access,
        {"version": 1},
    )
    assert status == 403 and body["code"] == "clearance_required"
    await sock.close()


async def test_cleared_participant_must_accept_the_current_version(
    server: Instance, api: Api
) -> None:
    """Cleared but not yet agreed: still no room; the wrong version is refused."""
    world = await api.circle(1, admit=False)
    robin = world.participants[0]
    cleared = await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/members/{robin.member_id}/clear",
        world.facilitator.access,
    )
    assert cleared["status"] == "cleared" and cleared["cleared_ms"] > 0
    sock = await Socket.open(server.ws_url, robin.access)
    refused = await sock.join(world.rooms["preparation"])
    assert refused["code"] == "agreement_required" and refused["agreement_version"] == 1
    for version in (2, 0):
        status, body = await api.call(
            "POST",
            f"/api/programs/{world.program_id}/agreement/accept",
            robin.access,
            {"version": version},
        )
        assert status in (400, 409), body
    accepted = await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/agreement/accept",
        robin.access,
        {"version": 1},
    )
    assert accepted["status"] == "active"
    assert (await sock.join(world.rooms["preparation"]))["type"] == "joined"
    assert (await sock.say(world.rooms["preparation"], "glad to be here"))["type"] == "ack"
    await sock.close()


async def test_only_staff_record_clearance(api: Api) -> None:
    """A participant cannot clear themselves or anyone else; every step is audited."""
    world = await api.circle(2, admit=False)
    robin, sky = world.participants
    for target in (robin, sky):
        status, body = await api.call(
            "POST",
            f"/api/programs/{world.program_id}/members/{target.member_id}/clear",
            robin.access,
        )
        assert status == 403 and body["code"] == "staff_only"
    status, body = await api.call(
        "POST",
        f"/api/programs/{world.program_id}/members/{world.facilitator.member_id}/clear",
        world.facilitator.access,
    )
    assert status == 400 and body["code"] == "not_a_participant"
    status, body = await api.call(
        "POST",
        f"/api/programs/{world.program_id}/members/no-such-member/clear",
        world.facilitator.access,
    )
    assert status == 404
    await api.admit(world, robin)
    audit = await api.ok("GET", f"/api/programs/{world.program_id}/audit", world.admin.access)
    actions = [(e["action"], e["target_id"]) for e in audit]
    assert ("member.cleared", robin.member_id) in actions
    assert ("agreement.accepted", robin.member_id) in actions
    assert ("member.cleared", sky.member_id) not in actions
    cleared = next(e for e in audit if e["action"] == "member.cleared")
    assert cleared["actor_id"] == world.facilitator.member_id and cleared["at_ms"] > 0


async def test_new_version_closes_rooms_until_accepted(server: Instance, api: Api) -> None:
    """Publishing a new version takes joined sockets out of their rooms at once."""
    world = await api.circle(1)
    robin = world.participants[0]
    room = world.rooms["preparation"]
    sock = await Socket.joined(server.ws_url, robin.access, room)
    program = await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/agreement",
        world.admin.access,
        {"text": "Version two: what is said here stays here.\r\nAlso: be kind."},
    )
    assert program["agreement_version"] == 2
    left = await sock.expect("left", room_id=room)
    assert left["code"] == "agreement_required"
    assert (await sock.say(room, "still here?"))["code"] == "agreement_required"
    assert (await sock.join(room))["code"] == "agreement_required"
    agreement = await agreement_of(api, world.program_id, robin.access)
    assert agreement["version"] == 2 and "\r" not in str(agreement["text"])
    await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/agreement/accept",
        robin.access,
        {"version": 2},
    )
    assert (await sock.join(room))["type"] == "joined"
    versions = await api.ok(
        "GET", f"/api/programs/{world.program_id}/agreements", world.admin.access
    )
    assert [v["version"] for v in versions] == [1, 2]
    await sock.close()


async def test_new_version_reaches_sockets_on_other_instances(
    start_instance: StartInstance, redis_server: object
) -> None:
    """The gate closes on every instance, not only the one that published."""
    url = redis_server.url  # type: ignore[attr-defined]
    first = await start_instance(redis_url=url)
    second = await start_instance(redis_url=url)
    async with Api(first.url, first.services) as api:
        world = await api.circle(1)
        room = world.rooms["integration"]
        sock = await Socket.joined(second.ws_url, world.participants[0].access, room)
        await api.ok(
            "POST",
            f"/api/programs/{world.program_id}/agreement",
            world.admin.access,
            {"text": "Version two."},
        )
        left = await sock.expect("left", room_id=room)
        assert left["code"] == "agreement_required"
        await sock.close()


async def test_accepting_a_version_replaced_meanwhile_admits_nobody(api: Api) -> None:
    """Someone who read version 1 while version 2 was published must read again."""
    world = await api.circle(1, admit=False)
    robin = world.participants[0]
    await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/members/{robin.member_id}/clear",
        world.facilitator.access,
    )
    await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/agreement",
        world.admin.access,
        {"text": "Version two."},
    )
    status, body = await api.call(
        "POST",
        f"/api/programs/{world.program_id}/agreement/accept",
        robin.access,
        {"version": 1},
    )
    assert status == 409 and body["code"] == "agreement_outdated"
    assert body["agreement_version"] == 2
    me = await api.me(robin)
    assert me["memberships"][0]["admission"]["admitted"] is False


async def test_only_a_lead_publishes_the_agreement(api: Api) -> None:
    """Facilitators and participants can't change the agreement; bad texts are refused."""
    world = await api.circle(1)
    path = f"/api/programs/{world.program_id}/agreement"
    for person in (world.facilitator, world.participants[0]):
        status, body = await api.call("POST", path, person.access, {"text": "new rules"})
        assert status == 403 and body["code"] == "lead_only"
    for text in ("", "   \n  ", "x" * 20_001):
        status, body = await api.call("POST", path, world.admin.access, {"text": text})
        assert status == 400, body
    status, _ = await api.call("POST", path, world.admin.access, {"text": 5})
    assert status == 400
    agreement = await agreement_of(api, world.program_id, world.admin.access)
    assert agreement["version"] == 1


async def test_staff_see_who_is_cleared_and_agreed(api: Api) -> None:
    """The member list tells staff where each participant stands; peers never see it."""
    world = await api.circle(2, admit=False)
    robin, sky = world.participants
    await api.admit(world, robin)
    members = await api.ok(
        "GET", f"/api/programs/{world.program_id}/members", world.facilitator.access
    )
    by_id = {m["member_id"]: m for m in members}
    assert by_id[robin.member_id]["admission"]["admitted"] is True
    assert by_id[sky.member_id]["admission"]["cleared"] is False
    peers = await api.ok("GET", f"/api/programs/{world.program_id}/members", robin.access)
    assert all("admission" not in m for m in peers)
