"""The Johari window exercise (issue 5) over real HTTP: staff run it, admitted
participants choose words anonymously, and windows stay private until shared."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from aiohttp import web
from aiohttp_pydantic.oas.view import generate_oas

from server.crypto.envelope import CryptoError
from server.domain.johari import ADJECTIVES
from server.http.johari import setup_johari

from .client import Api, Person, World
from .conftest import Instance, StartInstance


@pytest.fixture
async def server(start_instance: StartInstance) -> Instance:
    """Circles here have many participants: a looser sign-in limit."""
    return await start_instance(login_rate="100/minute")


def base(world: World) -> str:
    return f"/api/programs/{world.program_id}/johari"


async def start(api: Api, world: World) -> str:
    started = await api.ok("POST", base(world), world.facilitator.access)
    return str(started["exercise"]["exercise_id"])


async def choose(
    api: Api, world: World, who: Person, exercise_id: str, target: str, words: list[str]
) -> tuple[int, Any]:
    return await api.call(
        "PUT", f"{base(world)}/{exercise_id}/picks/{target}", who.access, {"adjectives": words}
    )


async def chosen(
    api: Api, world: World, who: Person, exercise_id: str, target: str, words: list[str]
) -> None:
    status, body = await choose(api, world, who, exercise_id, target, words)
    assert status == 200, body


async def refused(
    api: Api, method: str, path: str, who: Person, status: int, code: str, body: Any = None
) -> None:
    got, problem = await api.call(method, path, who.access, body)
    assert (got, problem["code"]) == (status, code), problem


async def test_a_whole_exercise(server: Instance, api: Api) -> None:
    """Start, choose, see progress, close, read one's own window, share it, stop sharing."""
    world = await api.circle(3)
    robin, sky, jules = world.participants
    staff = world.facilitator
    status, nothing = await api.call("GET", base(world), robin.access)
    assert status == 200 and nothing["exercise"] is None and len(nothing["adjectives"]) == 56

    started = await api.ok("POST", base(world), staff.access)
    exercise = started["exercise"]
    eid = exercise["exercise_id"]
    assert exercise["status"] == "open"
    assert [p["member_id"] for p in exercise["participants"]] == [
        robin.member_id,
        sky.member_id,
        jules.member_id,
    ]
    assert [p["display_name"] for p in exercise["participants"]] == ["Robin", "Sky", "Jules"]
    assert started["progress"] == {
        "finished": [],
        "waiting": [p.member_id for p in (robin, sky, jules)],
    }

    await chosen(api, world, robin, eid, robin.member_id, ["warm", "Shy", "wise"])
    await chosen(api, world, robin, eid, sky.member_id, ["calm"])
    await chosen(api, world, robin, eid, jules.member_id, ["bold"])
    await chosen(api, world, sky, eid, sky.member_id, ["calm"])
    await chosen(api, world, sky, eid, robin.member_id, ["warm", "kind"])
    await chosen(api, world, sky, eid, jules.member_id, ["bold", "witty"])
    await chosen(api, world, jules, eid, jules.member_id, ["witty"])
    await chosen(api, world, jules, eid, robin.member_id, ["warm", "kind", "shy"])

    # Staff see who has finished, never the words.
    view = await api.ok("GET", base(world), staff.access)
    assert view["progress"] == {
        "finished": [robin.member_id, sky.member_id],
        "waiting": [jules.member_id],
    }
    assert "my_picks" not in view
    without_list = json.dumps({k: v for k, v in view.items() if k != "adjectives"})
    assert not any(f'"{word}"' in without_list for word in ("warm", "kind", "calm", "bold"))

    # A participant sees their own choices and nobody else's.
    mine = await api.ok("GET", base(world), robin.access)
    assert mine["my_picks"] == {
        robin.member_id: ["shy", "warm", "wise"],
        sky.member_id: ["calm"],
        jules.member_id: ["bold"],
    }
    assert mine["finished"] is True and "progress" not in mine
    theirs = await api.ok("GET", base(world), jules.access)
    assert set(theirs["my_picks"]) == {jules.member_id, robin.member_id}
    assert theirs["finished"] is False

    # No window while open: one changing as each peer finished would tell who chose what.
    await refused(api, "GET", f"{base(world)}/{eid}/window", robin, 409, "exercise_still_open")
    closed = await api.ok("POST", f"{base(world)}/{eid}/close", staff.access)
    assert closed["exercise"]["status"] == "closed" and closed["exercise"]["closed_ms"]

    window = await api.ok("GET", f"{base(world)}/{eid}/window", robin.access)
    assert window["member_id"] == robin.member_id
    assert window["open"] == [{"adjective": "warm", "count": 2}, {"adjective": "shy", "count": 1}]
    assert window["blind"] == [{"adjective": "kind", "count": 2}]
    assert window["hidden"] == ["wise"]
    assert len(window["unknown"]) == 52 and window["peers"] == 2 and window["shared"] is False
    # Anonymity: the window names no chooser.
    shown = json.dumps(window)
    assert sky.member_id not in shown and jules.member_id not in shown
    jules_window = await api.ok("GET", f"{base(world)}/{eid}/window", jules.access)
    assert jules_window["open"] == [{"adjective": "witty", "count": 1}]
    assert jules_window["blind"] == [{"adjective": "bold", "count": 2}]

    # Nothing is shared by default; sharing is the owner's own act.
    assert await api.ok("GET", f"{base(world)}/{eid}/windows", staff.access) == []
    shared = await api.ok("POST", f"{base(world)}/{eid}/share", robin.access)
    assert shared["shared"] is True and shared["open"] == window["open"]
    for reader in (staff, world.admin, sky):
        (seen,) = await api.ok("GET", f"{base(world)}/{eid}/windows", reader.access)
        assert seen["member_id"] == robin.member_id and seen["display_name"] == "Robin"
        assert seen["blind"] == window["blind"] and seen["hidden"] == ["wise"]
    assert (await api.ok("GET", base(world), sky.access))["exercise"]["shared"] == [robin.member_id]
    unshared = await api.ok("DELETE", f"{base(world)}/{eid}/share", robin.access)
    assert unshared["shared"] is False
    assert await api.ok("GET", f"{base(world)}/{eid}/windows", sky.access) == []

    # Audited, with ids and counts only.
    entries = await api.ok(
        "GET", f"/api/programs/{world.program_id}/audit?limit=500", world.admin.access
    )
    actions = [e["action"] for e in entries if e["action"].startswith("johari.")]
    assert sorted(set(actions)) == [
        "johari.closed",
        "johari.picks_saved",
        "johari.shared",
        "johari.started",
        "johari.unshared",
    ]
    assert actions.count("johari.picks_saved") == 8
    assert not any(f'"{word}"' in json.dumps(entries) for word in ("warm", "kind", "calm"))

    # At rest the words are sealed (like message text, rule 13).
    database = server.services.directory._programs.database
    stored = [doc async for doc in database["johari_picks"].find()]
    assert len(stored) == 8
    for doc in stored:
        assert set(doc) == {
            "_id",
            "exercise_id",
            "program_id",
            "chooser_id",
            "target_id",
            "sealed",
            "updated_ms",
        }
        assert '"' not in doc["sealed"]  # no JSON list in the clear
        aad = f"johari:{eid}:{doc['chooser_id']}:{doc['target_id']}"
        opened = await server.services.keyring.open_one(doc["sealed"], aad)
        assert opened is not None and json.loads(opened)
    # The sealed words are bound to their slot: under another's they don't open.
    robin_for_sky = next(
        d for d in stored if d["_id"] == f"{eid}:{robin.member_id}:{sky.member_id}"
    )
    with pytest.raises(CryptoError):
        server.services.keyring.open(
            robin_for_sky["sealed"], f"johari:{eid}:{sky.member_id}:{robin.member_id}"
        )


async def test_only_staff_start_and_close(api: Api) -> None:
    """A participant can't start or close; one exercise at a time; staff don't choose."""
    world = await api.circle(2)
    robin, sky = world.participants
    await refused(api, "POST", base(world), robin, 403, "staff_only")
    # Two staff starting at once make one exercise.
    answers = await asyncio.gather(
        *(api.call("POST", base(world), who.access) for who in (world.admin, world.facilitator))
    )
    assert sorted(status for status, _ in answers) == [201, 409]
    (conflict,) = [body for status, body in answers if status == 409]
    assert conflict["code"] == "exercise_open"
    eid = (await api.ok("GET", base(world), robin.access))["exercise"]["exercise_id"]
    await refused(api, "POST", base(world), world.admin, 409, "exercise_open")
    await refused(api, "POST", f"{base(world)}/{eid}/close", robin, 403, "staff_only")
    await refused(
        api,
        "PUT",
        f"{base(world)}/{eid}/picks/{robin.member_id}",
        world.facilitator,
        403,
        "participants_only",
        {"adjectives": ["warm"]},
    )
    await api.ok("POST", f"{base(world)}/{eid}/close", world.admin.access)
    await refused(api, "POST", f"{base(world)}/{eid}/close", world.admin, 409, "exercise_closed")
    await refused(
        api, "GET", f"{base(world)}/{eid}/window", world.facilitator, 403, "participants_only"
    )
    await refused(api, "POST", f"{base(world)}/{eid}/share", world.admin, 403, "participants_only")
    # A new exercise once the last one is closed; it becomes the current one.
    again = await start(api, world)
    assert again != eid
    assert (await api.ok("GET", base(world), sky.access))["exercise"]["exercise_id"] == again


async def test_starting_needs_an_active_program_and_two_participants(api: Api) -> None:
    """A draft program, or a single admitted participant, can't run the exercise."""
    world = await api.circle(1, activate=False)
    await refused(api, "POST", base(world), world.facilitator, 409, "program_not_active")
    await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/status",
        world.admin.access,
        {"status": "active"},
    )
    await refused(api, "POST", base(world), world.facilitator, 409, "too_few_participants")


async def test_choices_are_validated(api: Api) -> None:
    """Only 1–10 listed, distinct words, only for oneself and peers, only while open."""
    world = await api.circle(2)
    robin, sky = world.participants
    eid = await start(api, world)
    me = robin.member_id
    for words, code in [
        (["warm", "fabulous"], "unknown_adjective"),
        (["ugly"], "unknown_adjective"),
        (list(ADJECTIVES[:11]), "too_many_adjectives"),
        ([], "too_few_adjectives"),
        (["warm", "Warm"], "duplicate_adjective"),
        ([*ADJECTIVES, "warm"], "invalid_input"),
        (["w" * 41], "invalid_input"),
    ]:
        status, problem = await choose(api, world, robin, eid, me, words)
        assert (status, problem["code"]) == (400, code), (words, problem)
    for body in ({}, {"adjectives": "warm"}, {"adjectives": ["warm"], "extra": 1}):
        status, problem = await api.call(
            "PUT", f"{base(world)}/{eid}/picks/{me}", robin.access, body
        )
        assert (status, problem["code"]) == (400, "invalid_input"), problem
    status, problem = await choose(api, world, robin, eid, me, ["warm", "fabulous"])
    assert problem["unknown"] == ["fabulous"]

    # Not for staff, nor for anyone outside the exercise.
    for target, code in [
        (world.facilitator.member_id, "target_is_staff"),
        ("no-such-member", "target_not_in_exercise"),
    ]:
        status, problem = await choose(api, world, robin, eid, target, ["warm"])
        assert (status, problem["code"]) == (403, code), problem
    status, problem = await choose(api, world, robin, "no-such-exercise", me, ["warm"])
    assert (status, problem["code"]) == (404, "exercise_not_found")

    # Choices change until the exercise closes.
    await chosen(api, world, robin, eid, sky.member_id, ["calm", "wise"])
    await chosen(api, world, robin, eid, sky.member_id, ["witty"])
    mine = await api.ok("GET", base(world), robin.access)
    assert mine["my_picks"] == {sky.member_id: ["witty"]}
    await api.ok("POST", f"{base(world)}/{eid}/close", world.facilitator.access)
    status, problem = await choose(api, world, robin, eid, sky.member_id, ["warm"])
    assert (status, problem["code"]) == (409, "exercise_closed")
    window = await api.ok("GET", f"{base(world)}/{eid}/window", sky.access)
    assert window["blind"] == [{"adjective": "witty", "count": 1}]


async def test_windows_stay_private_until_shared(api: Api) -> None:
    """Nobody reads another's choices or window; outsiders and other programs see nothing."""
    world = await api.circle(2)
    robin, sky = world.participants
    eid = await start(api, world)
    await chosen(api, world, robin, eid, sky.member_id, ["kind"])
    await chosen(api, world, sky, eid, sky.member_id, ["shy"])
    # Sky's view holds only Sky's choices, even though Robin chose for Sky.
    assert (await api.ok("GET", base(world), sky.access))["my_picks"] == {sky.member_id: ["shy"]}
    await api.ok("POST", f"{base(world)}/{eid}/close", world.facilitator.access)
    # The window endpoint is always one's own; the shared list is empty until someone shares.
    own = await api.ok("GET", f"{base(world)}/{eid}/window", robin.access)
    assert own["member_id"] == robin.member_id and own["open"] == own["blind"] == []
    for reader in (robin, world.facilitator, world.admin):
        assert await api.ok("GET", f"{base(world)}/{eid}/windows", reader.access) == []

    # Someone outside the program reads nothing.
    outsider = await api.staff(world.admin, "Olive Outsider")
    await refused(api, "GET", base(world), outsider, 403, "not_a_member")
    await refused(api, "GET", f"{base(world)}/{eid}/windows", outsider, 403, "not_a_member")
    # Another program's path doesn't reach this exercise.
    other = await api.ok(
        "POST",
        "/api/programs",
        outsider.access,
        {"name": "Other", "kind": "closed", "display_name": "Olive"},
    )
    await refused(
        api,
        "GET",
        f"/api/programs/{other['id']}/johari/{eid}/windows",
        outsider,
        404,
        "exercise_not_found",
    )


async def test_only_admitted_participants_take_part(api: Api) -> None:
    """Rule 2: the uncleared, the late and those yet to re-accept the agreement stay out."""
    world = await api.circle(2)
    robin, sky = world.participants
    invite = await api.invite(world.admin, world.program_id, "noor@example-mail.org")
    noor = await api.redeem(invite, "Noor")
    noor.member_id = (await api.me(noor))["memberships"][0]["member"]["member_id"]

    await refused(api, "GET", base(world), noor, 403, "clearance_required")
    eid = await start(api, world)
    await refused(
        api,
        "PUT",
        f"{base(world)}/{eid}/picks/{noor.member_id}",
        noor,
        403,
        "clearance_required",
        {"adjectives": ["warm"]},
    )
    # Admitted after the start: still not part of this exercise, nor a target.
    await api.admit(world, noor)
    status, problem = await choose(api, world, noor, eid, noor.member_id, ["warm"])
    assert (status, problem["code"]) == (403, "not_in_exercise")
    status, problem = await choose(api, world, robin, eid, noor.member_id, ["warm"])
    assert (status, problem["code"]) == (403, "target_not_in_exercise")
    view = await api.ok("GET", base(world), noor.access)
    assert "my_picks" not in view and len(view["exercise"]["participants"]) == 2

    # A new agreement version: no choices until it is accepted again.
    await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/agreement",
        world.admin.access,
        {"text": "Version two: what is said here stays here."},
    )
    status, problem = await choose(api, world, robin, eid, robin.member_id, ["warm"])
    assert (status, problem["code"]) == (403, "agreement_required")
    await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/agreement/accept",
        robin.access,
        {"version": 2},
    )
    await chosen(api, world, robin, eid, robin.member_id, ["warm"])

    # A removed participant leaves the exercise: no access, no target, no progress.
    await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/members/{sky.member_id}/remove",
        world.admin.access,
        {"status": "removed"},
    )
    status, problem = await choose(api, world, sky, eid, sky.member_id, ["warm"])
    assert (status, problem["code"]) == (403, "member_removed")
    status, problem = await choose(api, world, robin, eid, sky.member_id, ["warm"])
    assert (status, problem["code"]) == (403, "target_not_in_exercise")
    progress = (await api.ok("GET", base(world), world.facilitator.access))["progress"]
    assert progress == {"finished": [robin.member_id], "waiting": []}


def test_the_api_document_describes_the_exercise() -> None:
    """The exercise's endpoints render into the OpenAPI document."""
    app = web.Application()
    setup_johari(app)
    spec = generate_oas([app])
    assert set(spec["paths"]) == {
        "/api/programs/{program_id}/johari",
        "/api/programs/{program_id}/johari/{exercise_id}/picks/{target_id}",
        "/api/programs/{program_id}/johari/{exercise_id}/close",
        "/api/programs/{program_id}/johari/{exercise_id}/window",
        "/api/programs/{program_id}/johari/{exercise_id}/share",
        "/api/programs/{program_id}/johari/{exercise_id}/windows",
    }
    body = spec["components"]["schemas"]["PicksRequest"]["properties"]["adjectives"]
    assert body["maxItems"] == 56
