"""Staff alerts (rules 9 and 11): support requests, "need support" check-in
answers and safety signals reach every connected staff member of the program
at once, and stay in the alert list until a staff member acknowledges them."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from ..crypto.keyring import KeyRing
from ..domain.access import check_is_staff
from ..domain.errors import Conflict, NotFound
from ..domain.model import Account, Member
from ..storage.directory import MongoDirectory
from ..storage.mongo import Doc
from ..storage.queues import MongoQueue
from .clock import new_id, now_ms
from .notify import Notifier


class AlertKind(StrEnum):
    SUPPORT_REQUEST = "support_request"
    NEED_SUPPORT = "need_support"  # a check-in answer
    SAFETY = "safety"  # a message that suggests risk of self-harm


class AlertService:
    def __init__(
        self,
        directory: MongoDirectory,
        alerts: MongoQueue,
        keyring: KeyRing,
        notifier: Notifier,
    ) -> None:
        self._directory = directory
        self._alerts = alerts
        self._keyring = keyring
        self._notifier = notifier

    async def raise_alert(
        self,
        member: Member,
        kind: AlertKind,
        *,
        room_id: str | None = None,
        message_id: str | None = None,
        checkin_id: str | None = None,
        note: str = "",
        details: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        alert_id = new_id()
        doc: Doc = {
            "_id": alert_id,
            "program_id": member.program_id,
            "kind": kind.value,
            "member_id": member.id,
            "display_name": member.display_name,
            "room_id": room_id,
            "message_id": message_id,
            "checkin_id": checkin_id,
            "note": await self._keyring.seal(member.program_id, note, alert_id) if note else None,
            "details": details or {},
            "status": "open",
            "created_ms": now_ms(),
        }
        await self._alerts.add(doc)
        view = await self._view(doc)
        await self._notifier.staff(member.program_id, {"type": "alert", "alert": view})
        return view

    async def open_alerts(self, account: Account, program_id: str) -> list[dict[str, Any]]:
        check_is_staff(await self._directory.member_for(program_id, account.id))
        docs = await self._alerts.find({"program_id": program_id, "status": "open"})
        return [await self._view(doc) for doc in docs]

    async def acknowledge(self, account: Account, alert_id: str) -> dict[str, Any]:
        doc = await self._alerts.get(alert_id)
        if doc is None:
            raise NotFound("We couldn't find that alert.", code="alert_not_found")
        me = check_is_staff(await self._directory.member_for(doc["program_id"], account.id))
        closed = await self._alerts.close(
            alert_id,
            {"status": "acknowledged", "acknowledged_by": me.id, "acknowledged_ms": now_ms()},
        )
        if closed is None:
            raise Conflict(
                "Someone on the team already acknowledged this.", code="already_acknowledged"
            )
        view = await self._view(closed)
        await self._notifier.staff(doc["program_id"], {"type": "alert_acknowledged", "alert": view})
        return view

    async def _view(self, doc: Doc) -> dict[str, Any]:
        return {
            "alert_id": doc["_id"],
            "kind": doc["kind"],
            "member_id": doc["member_id"],
            "display_name": doc["display_name"],
            "room_id": doc["room_id"],
            "message_id": doc["message_id"],
            "checkin_id": doc["checkin_id"],
            "note": await self._keyring.open_one(doc["note"], doc["_id"]) if doc["note"] else None,
            "details": doc.get("details", {}),
            "status": doc["status"],
            "created_ms": doc["created_ms"],
            "acknowledged_by": doc.get("acknowledged_by"),
            "acknowledged_ms": doc.get("acknowledged_ms"),
        }
