# mypy: allow-untyped-decorators
# (aiohttp-pydantic's inject_params is untyped; the handlers themselves are typed.)
"""HTTP endpoints of the Johari window exercise (issue 5).

``setup_johari(app)`` adds the routes; the service lives in ``Services``.
"""

from __future__ import annotations

from typing import Annotated

from aiohttp import web
from aiohttp_pydantic.decorator import inject_params
from aiohttp_pydantic.oas.typing import r200, r201
from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from ..domain.johari import ADJECTIVES
from ..services.johari import JohariService
from .api import current_account, json, services
from .problems import on_validation_error
from .schemas import Body

injected = inject_params(on_validation_error=on_validation_error).and_request


def johari(request: web.Request) -> JohariService:
    return services(request).johari


# bodies ------------------------------------------------------------------------------
class PicksRequest(Body):
    # Up to the whole list here; the 1–10 rule is the domain's, with its own codes.
    adjectives: Annotated[
        list[Annotated[str, Field(max_length=40)]], Field(max_length=len(ADJECTIVES))
    ]


class PicksOut(BaseModel):
    exercise_id: str
    target_id: str
    adjectives: list[str]


class ParticipantOut(BaseModel):
    member_id: str
    display_name: str


class ExerciseOut(BaseModel):
    exercise_id: str
    program_id: str
    status: str
    started_ms: int
    closed_ms: int | None
    participants: list[ParticipantOut]
    # Members who shared their window with the program.
    shared: list[str]


class ProgressOut(BaseModel):
    finished: list[str]
    waiting: list[str]


# ``X | SkipJsonSchema[None]``: nullable in fact, but without the ``anyOf`` that
# aiohttp-pydantic's OpenAPI 3.0 converter can't read (it needs a "type" in each).
class JohariOut(BaseModel):
    adjectives: list[str]
    min_picks: int
    max_picks: int
    # null before the program's first exercise.
    exercise: ExerciseOut | SkipJsonSchema[None]
    # Staff only: who has chosen for themself and every peer (never the words).
    progress: ProgressOut | SkipJsonSchema[None] = None
    # A participant taking part: their own words, by target member id.
    my_picks: dict[str, list[str]] | SkipJsonSchema[None] = None
    finished: bool | SkipJsonSchema[None] = None


class WordCountOut(BaseModel):
    adjective: str
    count: int


class WindowOut(BaseModel):
    exercise_id: str
    member_id: str
    display_name: str | None = None
    open: list[WordCountOut]
    blind: list[WordCountOut]
    hidden: list[str]
    unknown: list[str]
    peers: int
    shared: bool


# handlers ----------------------------------------------------------------------------
@injected
async def current_exercise(request: web.Request, program_id: str, /) -> r200[JohariOut]:
    """The open or most recent exercise: progress for staff, own words for a participant."""
    account = await current_account(request)
    return json(await (johari(request)).current(account, program_id))


@injected
async def start_exercise(request: web.Request, program_id: str, /) -> r201[JohariOut]:
    """Staff start an exercise with the participants admitted now (409 if one is open)."""
    account = await current_account(request)
    return json(await (johari(request)).start(account, program_id), status=201)


@injected
async def put_picks(
    request: web.Request, program_id: str, exercise_id: str, target_id: str, /, body: PicksRequest
) -> r200[PicksOut]:
    """A participant chooses 1–10 words for themself or a peer, until the exercise closes."""
    account = await current_account(request)
    saved = await (johari(request)).put_picks(
        account, program_id, exercise_id, target_id, body.adjectives
    )
    return json(saved)


@injected
async def close_exercise(
    request: web.Request, program_id: str, exercise_id: str, /
) -> r200[JohariOut]:
    """Staff close the exercise: choices freeze and windows open."""
    account = await current_account(request)
    return json(await (johari(request)).close(account, program_id, exercise_id))


@injected
async def own_window(request: web.Request, program_id: str, exercise_id: str, /) -> r200[WindowOut]:
    """A participant's own window, once the exercise is closed."""
    account = await current_account(request)
    return json(await (johari(request)).own_window(account, program_id, exercise_id))


@injected
async def share_window(
    request: web.Request, program_id: str, exercise_id: str, /
) -> r200[WindowOut]:
    """A participant shares their window with everyone in the program."""
    account = await current_account(request)
    return json(await (johari(request)).share(account, program_id, exercise_id, True))


@injected
async def unshare_window(
    request: web.Request, program_id: str, exercise_id: str, /
) -> r200[WindowOut]:
    """A participant stops sharing their window."""
    account = await current_account(request)
    return json(await (johari(request)).share(account, program_id, exercise_id, False))


@injected
async def shared_windows(
    request: web.Request, program_id: str, exercise_id: str, /
) -> r200[list[WindowOut]]:
    """The windows their owners shared (any admitted member of the program)."""
    account = await current_account(request)
    return json(await (johari(request)).shared_windows(account, program_id, exercise_id))


def setup_johari(app: web.Application) -> None:
    """Add the exercise's routes."""
    base = "/api/programs/{program_id}/johari"
    app.router.add_get(base, current_exercise)
    app.router.add_post(base, start_exercise)
    app.router.add_put(base + "/{exercise_id}/picks/{target_id}", put_picks)
    app.router.add_post(base + "/{exercise_id}/close", close_exercise)
    app.router.add_get(base + "/{exercise_id}/window", own_window)
    app.router.add_post(base + "/{exercise_id}/share", share_window)
    app.router.add_delete(base + "/{exercise_id}/share", unshare_window)
    app.router.add_get(base + "/{exercise_id}/windows", shared_windows)
