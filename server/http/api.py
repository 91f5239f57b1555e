"""The HTTP API. Tokens travel only in the Authorization header or bodies —
never in a URL, so they never reach an access log."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp_pydantic.decorator import inject_params
from aiohttp_pydantic.oas.typing import r200, r201, r204

from ..context import Services
from ..domain.errors import Forbidden, InvalidInput, Unauthenticated
from ..domain.model import Account, RoomKind
from ..gateway.protocol import ControlKind
from ..services.programs import program_view, room_view
from .keys import SERVICES_KEY
from .problems import on_validation_error
from .schemas import (
    AcceptAgreementRequest,
    AccountOut,
    AddStaffRequest,
    AgreementOut,
    AgreementVersionOut,
    AuditEntryOut,
    CardOut,
    CardRequest,
    ContactExchangeRequest,
    CreateProgramRequest,
    CreateStaffRequest,
    EraseRequest,
    EraseResponse,
    HistoryResponse,
    InviteRequest,
    InviteResponse,
    LoginRequest,
    MemberOut,
    MeResponse,
    OpenRoomRequest,
    ProgramOut,
    PublishAgreementRequest,
    RedeemRequest,
    RefreshRequest,
    RemoveMemberRequest,
    RetentionRequest,
    RoomOut,
    SharingRequest,
    StatusRequest,
    TokenResponse,
)

injected = inject_params(on_validation_error=on_validation_error).and_request


def services(request: web.Request) -> Services:
    return request.app[SERVICES_KEY]


def client_address(request: web.Request) -> str:
    return request.remote or "unknown"


async def current_account(request: web.Request) -> Account:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("Please sign in.", code="not_authenticated")
    return await services(request).identity.authenticate(token.strip())


def json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status)


@injected
async def login(request: web.Request, body: LoginRequest) -> r200[TokenResponse]:
    """Sign in with email and password (staff, and participants after redeeming)."""
    svc = services(request)
    await svc.limiter.check("login", client_address(request))
    pair = await svc.identity.login(body.email, body.password)
    return json(pair.to_dict())


@injected
async def refresh(request: web.Request, body: RefreshRequest) -> r200[TokenResponse]:
    """Swap a refresh token for a new pair; each refresh token works once."""
    pair = await services(request).identity.refresh(body.refresh_token)
    return json(pair.to_dict())


@injected
async def logout(request: web.Request) -> r204[None]:
    """Revoke every refresh token of the signed-in account."""
    account = await current_account(request)
    svc = services(request)
    await svc.identity.logout(account.id)
    await svc.hub.publish_control(ControlKind.SIGNED_OUT, account.id)
    return web.Response(status=204)


@injected
async def redeem(request: web.Request, body: RedeemRequest) -> r201[TokenResponse]:
    """Join a program through a single-use invite, choosing a display name."""
    svc = services(request)
    await svc.limiter.check("login", client_address(request))
    pair = await svc.identity.redeem(body.invite, body.display_name, body.password)
    return json(pair.to_dict(), status=201)


@injected
async def me(request: web.Request) -> r200[MeResponse]:
    """The signed-in account, its programs and the rooms it may open."""
    account = await current_account(request)
    overview = await services(request).programs.overview(account)
    return json(
        {
            "account": {
                "id": account.id,
                "email": account.email,
                "real_name": account.real_name,
                "is_admin": account.is_admin,
                "is_staff": account.is_staff,
            },
            "memberships": overview,
        }
    )


@injected
async def create_staff(request: web.Request, body: CreateStaffRequest) -> r201[AccountOut]:
    """Admins create staff accounts (leads and facilitators)."""
    account = await current_account(request)
    if not account.is_admin:
        raise Forbidden("Only an admin can create staff accounts.", code="admin_only")
    created = await services(request).identity.create_staff(
        body.email, body.real_name, body.password
    )
    return json(
        {
            "id": created.id,
            "email": created.email,
            "real_name": created.real_name,
            "is_admin": created.is_admin,
            "is_staff": created.is_staff,
        },
        status=201,
    )


@injected
async def list_programs(request: web.Request) -> r200[list[ProgramOut]]:
    """Programs the account belongs to (every program, for an admin)."""
    account = await current_account(request)
    svc = services(request)
    if account.is_admin:
        programs = await svc.directory.all_programs()
    else:
        members = await svc.directory.memberships(account.id)
        programs = await svc.directory.programs_by_ids(
            [m.program_id for m in members if m.status.has_access]
        )
    return json([program_view(p) for p in programs])


@injected
async def create_program(request: web.Request, body: CreateProgramRequest) -> r201[ProgramOut]:
    """Staff create a program (draft); the creator becomes its first lead."""
    account = await current_account(request)
    program, _ = await services(request).programs.create(
        account, body.name, body.kind, body.region, body.display_name
    )
    return json(program_view(program), status=201)


@injected
async def set_program_status(
    request: web.Request, program_id: str, /, body: StatusRequest
) -> r200[ProgramOut]:
    """Move a program forward: draft → active → completed → archived (leads only)."""
    account = await current_account(request)
    svc = services(request)
    program = await svc.programs.set_status(account, program_id, body.status)
    await svc.hub.publish_control(ControlKind.PROGRAM_CHANGED, program_id)
    return json(program_view(program))


@injected
async def list_members(request: web.Request, program_id: str, /) -> r200[list[MemberOut]]:
    """Members of a program: pseudonyms for participants, identities for staff."""
    account = await current_account(request)
    return json(await services(request).programs.members_view(account, program_id))


@injected
async def add_staff(
    request: web.Request, program_id: str, /, body: AddStaffRequest
) -> r201[MemberOut]:
    """A lead adds a staff account as lead or facilitator."""
    account = await current_account(request)
    member = await services(request).programs.add_staff(
        account, program_id, body.email, body.role, body.display_name
    )
    return json({**member.public_view(), "status": member.status.value}, status=201)


@injected
async def create_invite(
    request: web.Request, program_id: str, /, body: InviteRequest
) -> r201[InviteResponse]:
    """A lead invites a participant: a single-use, expiring code to pass on."""
    account = await current_account(request)
    invite = await services(request).programs.invite(
        account, program_id, body.email, body.real_name
    )
    return json(invite, status=201)


@injected
async def remove_member(
    request: web.Request, program_id: str, member_id: str, /, body: RemoveMemberRequest
) -> r200[MemberOut]:
    """A lead removes (or withdraws) a member; their open sockets close at once."""
    account = await current_account(request)
    if body.status.has_access:
        raise InvalidInput("Use removed or withdrawn here.", code="invalid_status")
    svc = services(request)
    member = await svc.programs.remove_member(account, program_id, member_id, body.status)
    await svc.hub.publish_control(ControlKind.MEMBER_REVOKED, member.id)
    return json({**member.public_view(), "status": member.status.value})


@injected
async def room_history(
    request: web.Request, room_id: str, /, before: int | None = None, limit: int = 50
) -> r200[HistoryResponse]:
    """A page of a room's messages older than ``before`` (a seq), oldest first."""
    account = await current_account(request)
    if before is not None and not 1 <= before <= 2**53:
        raise InvalidInput("'before' is a sequence number (1 or more).", code="invalid_input")
    page = await services(request).rooms.history(account, room_id, before, max(1, min(limit, 1000)))
    return json(page)


# rule 2: the agreement and clearance ---------------------------------------------
@injected
async def get_agreement(request: web.Request, program_id: str, /) -> r200[AgreementOut]:
    """The agreement in force, and whether the caller has been cleared and accepted it."""
    account = await current_account(request)
    return json(await services(request).programs.agreement(account, program_id))


@injected
async def list_agreements(
    request: web.Request, program_id: str, /
) -> r200[list[AgreementVersionOut]]:
    """Every published version, oldest first (leads)."""
    account = await current_account(request)
    return json(await services(request).programs.agreement_versions(account, program_id))


@injected
async def publish_agreement(
    request: web.Request, program_id: str, /, body: PublishAgreementRequest
) -> r201[ProgramOut]:
    """A lead publishes a new version; every participant must accept it again."""
    account = await current_account(request)
    svc = services(request)
    program = await svc.programs.publish_agreement(account, program_id, body.text)
    await svc.hub.publish_control(ControlKind.PROGRAM_CHANGED, program_id)
    return json(program_view(program), status=201)


@injected
async def accept_agreement(
    request: web.Request, program_id: str, /, body: AcceptAgreementRequest
) -> r200[MemberOut]:
    """A cleared participant accepts the version they read."""
    account = await current_account(request)
    member = await services(request).programs.accept(account, program_id, body.version)
    return json({**member.public_view(), "status": member.status.value})


@injected
async def clear_member(request: web.Request, program_id: str, member_id: str, /) -> r200[MemberOut]:
    """Staff record a participant's screening / medical clearance."""
    account = await current_account(request)
    member = await services(request).programs.clear(account, program_id, member_id)
    return json(
        {**member.public_view(), "status": member.status.value, "cleared_ms": member.cleared_ms}
    )


# rules 5 and 6: contact exchange, cards, direct rooms --------------------------------
@injected
async def set_contact_exchange(
    request: web.Request, program_id: str, /, body: ContactExchangeRequest
) -> r200[ProgramOut]:
    """A lead unlocks (or locks again) contact exchange, once the program is completed."""
    account = await current_account(request)
    svc = services(request)
    program = await svc.programs.set_contact_exchange(account, program_id, body.state)
    await svc.hub.publish_control(ControlKind.PROGRAM_CHANGED, program_id)
    return json(program_view(program))


@injected
async def set_retention(
    request: web.Request, program_id: str, /, body: RetentionRequest
) -> r200[ProgramOut]:
    """A lead sets how many days after completion the program's messages are purged."""
    account = await current_account(request)
    program = await services(request).programs.set_retention(account, program_id, body.days)
    return json(program_view(program))


@injected
async def open_room(
    request: web.Request, program_id: str, /, body: OpenRoomRequest
) -> r201[RoomOut]:
    """Staff open group rooms; after unlock, participants open direct rooms with
    people who share contact cards with them both ways."""
    account = await current_account(request)
    svc = services(request)
    if body.kind is RoomKind.DIRECT:
        room = await svc.contacts.open_direct_room(account, program_id, body.member_ids, body.title)
    else:
        room = await svc.programs.open_room(account, program_id, body.kind, body.title)
    return json(room_view(room), status=201)


async def _announce_cards(request: web.Request, program_id: str, member_ids: set[str]) -> None:
    if member_ids:
        subject = f"{program_id}:{','.join(sorted(member_ids))}"
        await services(request).hub.publish_control(ControlKind.CARDS_CHANGED, subject)


@injected
async def get_card(request: web.Request, program_id: str, /) -> r200[CardOut]:
    """The caller's own card and sharing choice (participants, after unlock)."""
    account = await current_account(request)
    return json(await services(request).contacts.my_card(account, program_id))


@injected
async def put_card(request: web.Request, program_id: str, /, body: CardRequest) -> r200[CardOut]:
    """Write the caller's card (every field optional); nothing is shared by this alone."""
    account = await current_account(request)
    view, eligible = await services(request).contacts.write_card(
        account, program_id, body.model_dump()
    )
    await _announce_cards(request, program_id, eligible)
    return json(view)


@injected
async def delete_card(request: web.Request, program_id: str, /) -> r204[None]:
    """Delete the caller's card; whoever could see it is told."""
    account = await current_account(request)
    eligible = await services(request).contacts.delete_card(account, program_id)
    await _announce_cards(request, program_id, eligible)
    return web.Response(status=204)


@injected
async def put_sharing(
    request: web.Request, program_id: str, /, body: SharingRequest
) -> r200[CardOut]:
    """Share with everyone who shares back, with chosen members, or with nobody."""
    account = await current_account(request)
    view, eligible = await services(request).contacts.set_sharing(
        account, program_id, body.mode, body.chosen
    )
    await _announce_cards(request, program_id, eligible)
    return json(view)


@injected
async def list_cards(request: web.Request, program_id: str, /) -> r200[list[CardOut]]:
    """Cards the caller may see: only where both chose to share with each other."""
    account = await current_account(request)
    return json(await services(request).contacts.visible_cards(account, program_id))


# audit, export, erase ------------------------------------------------------------------
@injected
async def list_audit(
    request: web.Request,
    program_id: str,
    /,
    before_ms: int | None = None,
    limit: int = 100,
    action: str | None = None,
) -> r200[list[AuditEntryOut]]:
    """The program's audit log, newest first (leads)."""
    account = await current_account(request)
    svc = services(request)
    await svc.programs.managed(account, program_id)
    entries = await svc.audit.entries(
        program_id, before_ms=before_ms, limit=max(1, min(limit, 500)), action=action
    )
    return json(entries)


@injected
async def export_data(request: web.Request) -> r200[dict[str, object]]:
    """Everything the service holds about the caller, as JSON (rule 14)."""
    account = await current_account(request)
    data = await services(request).privacy.export(account)
    response = json(data)
    response.headers["Content-Disposition"] = 'attachment; filename="integration-circles.json"'
    return response


@injected
async def erase_messages(request: web.Request, body: EraseRequest) -> r200[EraseResponse]:
    """Erase every message the caller wrote (in one program, or everywhere)."""
    account = await current_account(request)
    erased = await services(request).privacy.erase(account, body.program_id)
    return json({"erased": erased})


def setup_api(app: web.Application) -> None:
    app.router.add_post("/api/auth/login", login)
    app.router.add_post("/api/auth/refresh", refresh)
    app.router.add_post("/api/auth/logout", logout)
    app.router.add_post("/api/invites/redeem", redeem)
    app.router.add_get("/api/me", me)
    app.router.add_post("/api/staff", create_staff)
    app.router.add_get("/api/programs", list_programs)
    app.router.add_post("/api/programs", create_program)
    app.router.add_post("/api/programs/{program_id}/status", set_program_status)
    app.router.add_get("/api/programs/{program_id}/members", list_members)
    app.router.add_post("/api/programs/{program_id}/staff", add_staff)
    app.router.add_post("/api/programs/{program_id}/invites", create_invite)
    app.router.add_post("/api/programs/{program_id}/members/{member_id}/remove", remove_member)
    app.router.add_get("/api/rooms/{room_id}/messages", room_history)
    app.router.add_get("/api/programs/{program_id}/agreement", get_agreement)
    app.router.add_post("/api/programs/{program_id}/agreement", publish_agreement)
    app.router.add_get("/api/programs/{program_id}/agreements", list_agreements)
    app.router.add_post("/api/programs/{program_id}/agreement/accept", accept_agreement)
    app.router.add_post("/api/programs/{program_id}/members/{member_id}/clear", clear_member)
    app.router.add_post("/api/programs/{program_id}/contact-exchange", set_contact_exchange)
    app.router.add_post("/api/programs/{program_id}/retention", set_retention)
    app.router.add_post("/api/programs/{program_id}/rooms", open_room)
    app.router.add_get("/api/programs/{program_id}/card", get_card)
    app.router.add_put("/api/programs/{program_id}/card", put_card)
    app.router.add_delete("/api/programs/{program_id}/card", delete_card)
    app.router.add_put("/api/programs/{program_id}/card/sharing", put_sharing)
    app.router.add_get("/api/programs/{program_id}/cards", list_cards)
    app.router.add_get("/api/programs/{program_id}/audit", list_audit)
    app.router.add_get("/api/me/export", export_data)
    app.router.add_post("/api/me/erase", erase_messages)
