"""Access rules over real sockets and HTTP (DESIGN.md rules 1, 3 and 7)."""

from __future__ import annotations

import json

from server.gateway.protocol import CloseCode

from .client import PASSWORD, Api, Socket
from .conftest import Instance, StartInstance


async def test_non_member_cannot_reach_a_room(server: Instance, api: Api) -> None:
    """Someone from another program can neither join, read, nor post in a room."""
    world = await api.circle(1)
    other = await api.circle(1)
    outsider = other.participants[0]
    room = world.rooms["preparation"]
    sock = await Socket.open(server.ws_url, outsider.access)
    refused = await sock.join(room)
    assert refused["type"] == "error" and refused["code"] == "not_a_member"
    sent = await sock.say(room, "let me in")
    assert sent["type"] == "error" and sent["code"] == "not_a_member"
    history = await sock.request({"type": "history", "room_id": room})
    assert history["code"] == "not_a_member"
    status, body = await api.call("GET", f"/api/rooms/{room}/messages", outsider.access)
    assert status == 403 and body["code"] == "not_a_member"
    assert await server.services.events.head(room) == 0
    await sock.close()


async def test_participant_cannot_enter_staff_room(server: Instance, api: Api) -> None:
    """The staff room is for facilitators and leads only."""
    world = await api.circle(1)
    room = world.rooms["staff"]
    participant = await Socket.open(server.ws_url, world.participants[0].access)
    refused = await participant.join(room)
    assert refused["code"] == "staff_only"
    assert (await participant.say(room, "hello?"))["code"] == "staff_only"
    facilitator = await Socket.open(server.ws_url, world.facilitator.access)
    assert (await facilitator.join(room))["type"] == "joined"
    assert (await facilitator.say(room, "staff note"))["type"] == "ack"
    await participant.close()
    await facilitator.close()


async def test_support_room_is_its_participant_plus_staff(server: Instance, api: Api) -> None:
    """A participant reaches their own support room, never another's; staff reach all."""
    world = await api.circle(2)
    robin, sky = world.participants
    robin_room = world.rooms["support:Robin"]
    sky_sock = await Socket.open(server.ws_url, sky.access)
    assert (await sky_sock.join(robin_room))["code"] == "forbidden"
    robin_sock = await Socket.open(server.ws_url, robin.access)
    assert (await robin_sock.join(robin_room))["type"] == "joined"
    staff = await Socket.open(server.ws_url, world.facilitator.access)
    assert (await staff.join(robin_room))["type"] == "joined"
    await robin_sock.say(robin_room, "I need to talk")
    event = (await staff.wait_events(robin_room, 1))[0]
    assert event["data"]["body"] == "I need to talk"
    mine = await api.me(sky)
    kinds = [r["kind"] for r in mine["memberships"][0]["rooms"]]
    assert kinds.count("support") == 1 and "staff" not in kinds
    for sock in (sky_sock, robin_sock, staff):
        await sock.close()


async def test_removed_member_loses_open_socket_at_once(server: Instance, api: Api) -> None:
    """Removing a member closes their open socket (4003) and refuses them afterwards."""
    world = await api.circle(2)
    robin, sky = world.participants
    room = world.rooms["integration"]
    sock = await Socket.open(server.ws_url, robin.access)
    assert (await sock.join(room))["type"] == "joined"
    witness = await Socket.joined(server.ws_url, sky.access, room)
    await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/members/{robin.member_id}/remove",
        world.admin.access,
        {"status": "removed"},
    )
    assert await sock.closed() == CloseCode.ACCESS_REVOKED
    again = await Socket.open(server.ws_url, robin.access)
    assert (await again.join(room))["code"] == "member_removed"
    status, body = await api.call("GET", f"/api/rooms/{room}/messages", robin.access)
    assert status == 403 and body["code"] == "member_removed"
    await witness.say(room, "still here")
    assert len(await witness.wait_events(room, 1)) == 1
    await again.close()
    await witness.close()


async def test_participants_never_see_real_identity(server: Instance, api: Api) -> None:
    """No participant-facing response or event carries a real name, email or account id."""
    world = await api.circle(3)
    robin = world.participants[0]
    room = world.rooms["preparation"]
    secrets = ["Secret Surname", "@example-mail.org"]
    mine = await api.me(robin)
    account_ids = set()
    for person in world.participants[1:]:
        account_ids.add((await api.me(person))["account"]["id"])
    _, members = await api.call("GET", f"/api/programs/{world.program_id}/members", robin.access)
    sock = await Socket.open(server.ws_url, robin.access)
    other = await Socket.open(server.ws_url, world.participants[1].access)
    joined = await sock.join(room)
    await other.join(room)
    await other.say(room, "hello circle")
    await sock.wait_events(room, 1)
    seen = json.dumps([members, joined, sock.frames, mine["memberships"]])
    for secret in [*secrets, *account_ids]:
        assert secret not in seen
    assert {m["display_name"] for m in members} >= {"Sky", "Jules"}
    _, staff_view = await api.call(
        "GET", f"/api/programs/{world.program_id}/members", world.facilitator.access
    )
    assert any(m.get("real_name", "").startswith("Secret Surname") for m in staff_view)
    await sock.close()
    await other.close()


async def test_invite_is_single_use_and_name_unique(server: Instance, api: Api) -> None:
    """An invite works once; a display name is unique per program regardless of case."""
    world = await api.circle(1)
    invite = await api.invite(world.admin, world.program_id, "new@example-mail.org")
    status, body = await api.call(
        "POST",
        "/api/invites/redeem",
        body={"invite": invite, "display_name": "ROBIN", "password": PASSWORD},
    )
    assert status == 409 and body["code"] == "display_name_taken"
    joined = await api.redeem(invite, "Meadow")
    assert joined.access
    status, body = await api.call(
        "POST",
        "/api/invites/redeem",
        body={"invite": invite, "display_name": "Another", "password": PASSWORD},
    )
    assert status == 409 and body["code"] == "invite_used"


async def test_tokens_cannot_stand_in_for_each_other(server: Instance, api: Api) -> None:
    """Refresh and invite tokens are refused where an access token is needed."""
    world = await api.circle(1)
    robin = world.participants[0]
    status, body = await api.call("GET", "/api/me", robin.refresh)
    assert status == 401 and body["code"] == "token_invalid"
    invite = await api.invite(world.admin, world.program_id, "x@example-mail.org")
    status, _ = await api.call("GET", "/api/me", invite)
    assert status == 401
    sock = await Socket.open(server.ws_url)
    await sock.send({"type": "auth", "token": robin.refresh})
    error = await sock.expect("error")
    assert error["code"] == "token_invalid"
    assert await sock.closed() == CloseCode.AUTH_FAILED
    status, body = await api.call("POST", "/api/auth/refresh", body={"refresh_token": robin.access})
    assert status == 401


async def test_refresh_token_rotates(server: Instance, api: Api) -> None:
    """A refresh token works once; the new pair works; the old one is refused."""
    world = await api.circle(1)
    robin = world.participants[0]
    fresh = await api.ok("POST", "/api/auth/refresh", body={"refresh_token": robin.refresh})
    assert (await api.call("GET", "/api/me", fresh["access_token"]))[0] == 200
    status, body = await api.call(
        "POST", "/api/auth/refresh", body={"refresh_token": robin.refresh}
    )
    assert status == 401 and body["code"] == "token_invalid"


async def test_origin_allow_list_on_upgrade(server: Instance, api: Api) -> None:
    """A browser page from a foreign origin cannot open the socket; our own page can."""
    world = await api.circle(1)
    status, body = await api.call(
        "GET",
        "/ws",
        headers={
            "Origin": "https://evil.example",
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        },
    )
    assert status == 403 and body["code"] == "origin_not_allowed"
    own = await Socket.open(server.ws_url, world.participants[0].access, origin=server.url)
    assert own.ready["type"] == "ready"
    await own.close()


async def test_participant_cannot_manage_program(server: Instance, api: Api) -> None:
    """Participants and facilitators cannot invite, remove or change program status."""
    world = await api.circle(2)
    robin, sky = world.participants
    for person in (robin, world.facilitator):
        status, body = await api.call(
            "POST",
            f"/api/programs/{world.program_id}/invites",
            person.access,
            {"email": "z@example-mail.org"},
        )
        assert status == 403 and body["code"] == "lead_only"
        status, body = await api.call(
            "POST",
            f"/api/programs/{world.program_id}/members/{sky.member_id}/remove",
            person.access,
            {"status": "removed"},
        )
        assert status == 403
        status, body = await api.call(
            "POST",
            f"/api/programs/{world.program_id}/status",
            person.access,
            {"status": "completed"},
        )
        assert status == 403
    status, body = await api.call(
        "POST", f"/api/programs/{world.program_id}/status", world.admin.access, {"status": "draft"}
    )
    assert status == 409 and body["code"] == "invalid_transition"


async def test_draft_and_archived_programs_are_read_only_for_participants(
    server: Instance, api: Api
) -> None:
    """Participants cannot post before a program starts or after it is archived."""
    world = await api.circle(1, activate=False)
    room = world.rooms["community"]
    sock = await Socket.open(server.ws_url, world.participants[0].access)
    assert (await sock.say(room, "early"))["code"] == "program_not_started"
    path = f"/api/programs/{world.program_id}/status"
    for status in ("active", "completed", "archived"):
        await api.ok("POST", path, world.admin.access, {"status": status})
    # The socket's cached view of the program expires within seconds.
    fresh = await Socket.open(server.ws_url, world.participants[0].access)
    assert (await fresh.say(room, "late"))["code"] == "program_archived"
    await sock.close()
    await fresh.close()


async def test_login_limit_counts_per_client_behind_a_proxy(start_instance: StartInstance) -> None:
    """Behind a proxy, sign-in attempts are limited per real client address."""
    server = await start_instance(http={"behind_proxy": True}, login_rate="2/minute")
    async with Api(server.url, server.services) as api:
        body = {"email": "nobody@example-mail.org", "password": "wrong password"}
        codes = []
        for _ in range(3):
            status, _ = await api.call(
                "POST", "/api/auth/login", body=body, headers={"X-Forwarded-For": "203.0.113.7"}
            )
            codes.append(status)
        assert codes == [401, 401, 429]
        status, problem = await api.call(
            "POST", "/api/auth/login", body=body, headers={"X-Forwarded-For": "203.0.113.7"}
        )
        assert status == 429 and problem["retry_after_s"] > 0
        other, _ = await api.call(
            "POST", "/api/auth/login", body=body, headers={"X-Forwarded-For": "198.51.100.9"}
        )
        assert other == 401


async def test_sign_out_closes_open_sockets(server: Instance, api: Api) -> None:
    """Signing out revokes refresh tokens and closes the account's open sockets."""
    world = await api.circle(1)
    robin = world.participants[0]
    sock = await Socket.open(server.ws_url, robin.access)
    status, _ = await api.call("POST", "/api/auth/logout", robin.access)
    assert status == 204
    assert await sock.closed() == CloseCode.AUTH_FAILED
    status, _ = await api.call("POST", "/api/auth/refresh", body={"refresh_token": robin.refresh})
    assert status == 401


async def test_room_member_list_shows_only_who_can_be_there(server: Instance, api: Api) -> None:
    """A support room lists its participant and staff, not the other participants."""
    world = await api.circle(3)
    robin = world.participants[0]
    sock = await Socket.open(server.ws_url, robin.access)
    joined = await sock.join(world.rooms["support:Robin"])
    names = {m["display_name"] for m in joined["members"]}
    assert "Robin" in names and "Guide Fran" in names
    assert not names & {"Sky", "Jules"}
    await sock.close()


async def test_unknown_address_is_problem_json(server: Instance, api: Api) -> None:
    """Unknown paths and files outside the client folder answer problem+json 404."""
    for path in ("/nope", "/api/nope", "/../server/app.py", "/%2e%2e/config/default.toml"):
        status, body = await api.call("GET", path)
        assert status == 404 and body["code"] == "not_found", path

    status, body = await api.call("GET", "/api/auth/login")
    assert status == 405 and body["code"] == "method_not_allowed"
    status, body = await api.call("GET", "/app.js")
    assert status == 200 and "Integration Circles" in body
