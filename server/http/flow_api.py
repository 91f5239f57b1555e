"""HTTP endpoints for the facilitator's panel (rules 8–11): alert list,
reports, check-in answers, held messages, attendance, and support requests
from a browser whose socket is down."""

from __future__ import annotations

from typing import Annotated, Any

from aiohttp import web
from aiohttp_pydantic.decorator import inject_params
from aiohttp_pydantic.oas.typing import r200, r201
from pydantic import Field

from .api import current_account, json, services
from .problems import on_validation_error
from .schemas import Body

injected = inject_params(on_validation_error=on_validation_error).and_request


class SupportRequest(Body):
    room_id: Annotated[str, Field(max_length=64)] | None = None
    note: Annotated[str, Field(max_length=1000)] = ""


class ResolveRequest(Body):
    resolution: Annotated[str, Field(max_length=500)] = ""


@injected
async def list_alerts(request: web.Request, program_id: str, /) -> r200[list[dict[str, Any]]]:
    """Open alerts (support requests, need-support answers, safety), oldest first (staff)."""
    account = await current_account(request)
    return json(await services(request).alerts.open_alerts(account, program_id))


@injected
async def acknowledge_alert(request: web.Request, alert_id: str, /) -> r200[dict[str, Any]]:
    """A staff member takes an alert; it leaves everyone's open list."""
    account = await current_account(request)
    return json(await services(request).alerts.acknowledge(account, alert_id))


@injected
async def request_support(
    request: web.Request, program_id: str, /, body: SupportRequest
) -> r201[dict[str, Any]]:
    """A participant asks for support: any time, any phase, muted or not."""
    account = await current_account(request)
    reply = await services(request).circle.request_support(
        account, program_id, body.room_id, body.note
    )
    return json(reply, status=201)


@injected
async def list_reports(request: web.Request, program_id: str, /) -> r200[list[dict[str, Any]]]:
    """Open reports, oldest first (staff)."""
    account = await current_account(request)
    return json(await services(request).moderation.open_reports(account, program_id))


@injected
async def resolve_report(
    request: web.Request, report_id: str, /, body: ResolveRequest
) -> r200[dict[str, Any]]:
    account = await current_account(request)
    return json(
        await services(request).moderation.resolve_report(account, report_id, body.resolution)
    )


@injected
async def checkin_status(
    request: web.Request, room_id: str, checkin_id: str, /
) -> r200[dict[str, Any]]:
    """Who answered a check-in (with private notes) and who hasn't yet (staff)."""
    account = await current_account(request)
    return json(await services(request).circle.checkin_status(account, room_id, checkin_id))


@injected
async def list_pending(request: web.Request, room_id: str, /) -> r200[list[dict[str, Any]]]:
    """Held messages: all for staff, one's own for a participant."""
    account = await current_account(request)
    return json(await services(request).moderation.pending(account, room_id))


@injected
async def attendance(request: web.Request, room_id: str, /) -> r200[dict[str, Any]]:
    """Who came to a session room, when they joined and left, who is present (staff)."""
    account = await current_account(request)
    svc = services(request)
    online = await svc.hub.online_everywhere(room_id)
    return json(await svc.attendance.report(account, room_id, online))


def setup_flow_api(app: web.Application) -> None:
    app.router.add_get("/api/programs/{program_id}/alerts", list_alerts)
    app.router.add_post("/api/alerts/{alert_id}/ack", acknowledge_alert)
    app.router.add_post("/api/programs/{program_id}/support", request_support)
    app.router.add_get("/api/programs/{program_id}/reports", list_reports)
    app.router.add_post("/api/reports/{report_id}/resolve", resolve_report)
    app.router.add_get("/api/rooms/{room_id}/checkins/{checkin_id}", checkin_status)
    app.router.add_get("/api/rooms/{room_id}/pending", list_pending)
    app.router.add_get("/api/rooms/{room_id}/attendance", attendance)
