"""Rules 7, 13 and 14: no leaks of real identities, text encrypted at rest,
export, erase and the retention purge."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from pymongo import AsyncMongoClient

from server.crypto.envelope import format_master_key, new_key
from server.embedded import EmbeddedMongo

from .client import Api, Socket
from .conftest import MASTER_KEY, Instance, StartInstance

DAY_MS = 86_400_000


async def raw_dump(mongo: EmbeddedMongo, database: str) -> str:
    """Every document of every collection, as the database hands them out."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo.url)
    try:
        db = client[database]
        docs = {
            name: [doc async for doc in db[name].find()]
            for name in await db.list_collection_names()
        }
    finally:
        await client.close()
    return json.dumps(docs, default=str)


def files_containing(folder: Path, needle: str) -> list[Path]:
    return [
        path
        for path in folder.rglob("*")
        if path.is_file() and needle.encode() in path.read_bytes()
    ]


async def test_database_dump_shows_no_message_text(
    server: Instance, api: Api, mongo: EmbeddedMongo
) -> None:
    """Neither a dump through the wire protocol nor the files on disk reveal a message."""
    world = await api.circle(1)
    room = world.rooms["integration"]
    # Letters only: a run of digits would (rightly) be held as a phone number.
    tag = "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:10])
    marker = f"orchid-{tag} I saw my grandmother in the light"
    sock = await Socket.joined(server.ws_url, world.participants[0].access, room)
    ack = await sock.say(room, marker)
    edited = f"{marker} (edited)"
    await sock.request(
        {
            "type": "edit",
            "room_id": room,
            "message_id": ack["message_id"],
            "client_id": str(uuid.uuid4()),
            "body": edited,
        }
    )
    history = await api.ok("GET", f"/api/rooms/{room}/messages", world.admin.access)
    assert history["messages"][0]["body"] == edited
    database = server.services.settings.storage.database
    dump = await raw_dump(mongo, database)
    assert ack["message_id"] in dump  # the dump is real...
    assert "orchid-" not in dump and "grandmother" not in dump  # ...and shows no text
    assert files_containing(mongo.data_dir, "grandmother") == []
    await sock.close()


async def test_contact_cards_are_encrypted_at_rest(
    server: Instance, api: Api, mongo: EmbeddedMongo
) -> None:
    world = await api.circle(1)
    await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/status",
        world.admin.access,
        {"status": "completed"},
    )
    await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/contact-exchange",
        world.admin.access,
        {"state": "unlocked"},
    )
    await api.ok(
        "PUT",
        f"/api/programs/{world.program_id}/card",
        world.participants[0].access,
        {"email": "zephyr.unique@example.org", "note": "marigold fields"},
    )
    dump = await raw_dump(mongo, server.services.settings.storage.database)
    assert "zephyr" not in dump and "marigold" not in dump


async def test_participants_never_see_real_identities(server: Instance, api: Api) -> None:
    """Every response and frame a participant gets is free of others' real names,
    emails and account ids (rule 7)."""
    world = await api.circle(3)
    robin, sky, _ = world.participants
    # Robin's own account may show Robin's name and email; nobody else's.
    secrets: list[str] = ["Secret Surname 1", "Secret Surname 2", "clinic.org", "Ada Admin"]
    for person in [world.admin, world.facilitator, *world.participants[1:]]:
        account = (await api.me(person))["account"]
        secrets += [account["id"], account["email"]]
    room = world.rooms["integration"]
    robin_sock = await Socket.joined(server.ws_url, robin.access, room)
    sky_sock = await Socket.joined(server.ws_url, sky.access, room)
    staff_sock = await Socket.joined(server.ws_url, world.facilitator.access, room)
    ack = await sky_sock.say(room, "hello circle")
    await staff_sock.say(room, "welcome everyone")
    await sky_sock.request(
        {
            "type": "react",
            "room_id": room,
            "message_id": ack["message_id"],
            "client_id": str(uuid.uuid4()),
            "reaction": "resonate",
        }
    )
    await sky_sock.send({"type": "typing", "room_id": room})
    await robin_sock.wait_events(room, 3)
    seen: list[Any] = list(robin_sock.frames)
    for path in (
        "/api/me",
        f"/api/programs/{world.program_id}/members",
        f"/api/programs/{world.program_id}/agreement",
        f"/api/rooms/{room}/messages",
        "/api/programs",
    ):
        seen.append(await api.ok("GET", path, robin.access))
    seen.append(await robin_sock.request({"type": "history", "room_id": room}))
    text = json.dumps(seen)
    assert "hello circle" in text and "Guide Fran" in text  # what should be there is
    for secret in secrets:
        assert secret not in text, secret
    for sock in (robin_sock, sky_sock, staff_sock):
        await sock.close()


async def test_export_holds_my_data_and_nobody_elses(server: Instance, api: Api) -> None:
    world = await api.circle(2)
    robin, sky = world.participants
    room = world.rooms["integration"]
    robin_sock = await Socket.joined(server.ws_url, robin.access, room)
    sky_sock = await Socket.joined(server.ws_url, sky.access, room)
    await robin_sock.say(room, "my first share")
    await sky_sock.say(room, "sky's own words")
    status, data = await api.call("GET", "/api/me/export", robin.access)
    assert status == 200
    assert data["format"] == "integration-circles.export.v1"
    assert data["account"]["real_name"].startswith("Secret Surname")
    (program,) = data["programs"]
    assert [m["body"] for m in program["messages"]] == ["my first share"]
    assert program["messages"][0]["room_title"] == "Integration circle"
    assert program["member"]["accepted_agreement_version"] == 1
    assert any(e["action"] == "agreement.accepted" for e in program["audit"])
    assert "sky's own words" not in json.dumps(data)
    await robin_sock.close()
    await sky_sock.close()


async def test_erase_removes_my_text_everywhere(server: Instance, api: Api) -> None:
    """Live screens, history, resume and export all lose the text; tombstones stay."""
    world = await api.circle(2)
    robin, sky = world.participants
    room = world.rooms["integration"]
    robin_sock = await Socket.joined(server.ws_url, robin.access, room)
    sky_sock = await Socket.joined(server.ws_url, sky.access, room)
    for body in ("first thing", "second thing"):
        await robin_sock.say(room, body)
    await sky_sock.say(room, "sky stays")
    await sky_sock.wait_events(room, 3)
    erased = await api.ok("POST", "/api/me/erase", robin.access, {})
    assert erased == {"erased": 2}
    events = await sky_sock.wait_events(room, 5)
    assert [e["event"] for e in events[3:]] == ["message.deleted", "message.deleted"]
    history = await api.ok("GET", f"/api/rooms/{room}/messages", sky.access)
    assert [(m["body"], m["state"]) for m in history["messages"]] == [
        (None, "deleted"),
        (None, "deleted"),
        ("sky stays", "visible"),
    ]
    late = await Socket.open(server.ws_url, sky.access)
    assert (await late.join(room, after=0))["resume"] == "replay"
    replayed = await late.wait_events(room, 5)
    assert "first thing" not in json.dumps(replayed)
    export = await api.ok("GET", "/api/me/export", robin.access)
    assert "first thing" not in json.dumps(export)
    assert len(export["programs"][0]["messages"]) == 2
    audit = await api.ok("GET", f"/api/programs/{world.program_id}/audit", world.admin.access)
    assert any(e["action"] == "messages.erased" and e["details"]["count"] == 2 for e in audit)
    for sock in (robin_sock, sky_sock, late):
        await sock.close()


async def test_retention_purge_removes_text_cards_and_keys(
    server: Instance, api: Api, mongo: EmbeddedMongo
) -> None:
    """Past its retention period a program keeps tombstones only; the run is audited."""
    world = await api.circle(2)
    robin, _sky = world.participants
    room = world.rooms["community"]
    sock = await Socket.joined(server.ws_url, robin.access, room)
    await sock.say(room, "something to forget")
    await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/status",
        world.admin.access,
        {"status": "completed"},
    )
    await api.ok(
        "POST", f"/api/programs/{world.program_id}/retention", world.admin.access, {"days": 30}
    )
    await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/contact-exchange",
        world.admin.access,
        {"state": "unlocked"},
    )
    await api.ok("PUT", f"/api/programs/{world.program_id}/card", robin.access, {"name": "R"})
    services = server.services
    # Not yet due: nothing happens.
    assert await services.privacy.purge_due() == []
    program = await services.directory.get_program(world.program_id)
    assert program is not None and program.completed_ms is not None
    await services.directory.set_program_fields(
        world.program_id, {"completed_ms": program.completed_ms - 31 * DAY_MS}
    )
    (done,) = await services.privacy.purge_due()
    assert done["messages"] == 1 and done["contact_cards"] == 1 and done["data_keys"] >= 1
    history = await api.ok("GET", f"/api/rooms/{room}/messages", world.admin.access)
    assert [(m["body"], m["state"]) for m in history["messages"]] == [(None, "purged")]
    dump = await raw_dump(mongo, services.settings.storage.database)
    assert "something to forget" not in dump
    keys = json.loads(dump).get("data_keys", [])
    assert [k for k in keys if k["program_id"] == world.program_id] == []  # keys shredded
    # A second run finds nothing more and adds no second audit entry.
    (again,) = await services.privacy.purge_due()
    assert again["messages"] == 0 and again["contact_cards"] == 0
    audit = await api.ok("GET", f"/api/programs/{world.program_id}/audit", world.admin.access)
    purges = [e for e in audit if e["action"] == "retention.purged"]
    assert len(purges) == 1 and purges[0]["actor_id"] is None
    assert purges[0]["details"]["counts"]["messages"] == 1
    await sock.close()


async def test_key_rotation_keeps_old_messages_readable(start_instance: StartInstance) -> None:
    """A new data key seals new messages; a new master key re-wraps the old keys; the
    old master key can then be retired and every message still opens."""
    first = await start_instance()
    async with Api(first.url, first.services) as api:
        world = await api.circle(1)
        room = world.rooms["community"]
        person = world.participants[0]
        sock = await Socket.joined(first.ws_url, person.access, room)
        await sock.say(room, "before rotation")
        await first.services.keyring.rotate(world.program_id)
        await sock.say(room, "after rotation")
        await sock.close()
    newer = format_master_key("test2", new_key())
    second = await start_instance(master_keys=f"{newer},{MASTER_KEY}")
    assert await second.services.keyring.rewrap_all() >= 2
    third = await start_instance(master_keys=newer)
    async with Api(third.url, third.services) as api:
        history = await api.ok("GET", f"/api/rooms/{room}/messages", world.admin.access)
    assert [m["body"] for m in history["messages"]] == ["before rotation", "after rotation"]
