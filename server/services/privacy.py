"""Rule 14: export, erase, and the retention purge.

- Export: everything the service holds about the signed-in person, as JSON.
- Erase: every message they wrote becomes a tombstone; each erasure is a
  ``message.deleted`` room event, so open screens, history and resume all
  lose the text.
- Purge: once a program's retention period has passed since completion, its
  data keys are destroyed (ciphertext anywhere, backups included, no longer
  opens), the ciphertext and contact cards are deleted, and the audit log
  records the counts. Each step is idempotent, so several instances (or a
  crash half-way) never leave a purge undone.
"""

from __future__ import annotations

from typing import Any

import orjson
import structlog

from ..crypto.keyring import KeyRing
from ..domain.access import check_member_has_access
from ..domain.audit import AuditAction
from ..domain.model import Account, Member, Program
from ..storage.cards import MongoCardStore
from ..storage.directory import MongoDirectory
from ..storage.events import MongoEventStore
from .audit import AuditTrail
from .clock import now_ms
from .johari import JohariService
from .rooms import RoomService

log = structlog.get_logger(__name__)
DAY_MS = 86_400_000


def retention_due(program: Program, now: int) -> bool:
    return program.completed_ms is not None and (
        program.completed_ms + program.retention_days * DAY_MS <= now
    )


class PrivacyService:
    def __init__(
        self,
        directory: MongoDirectory,
        events: MongoEventStore,
        cards: MongoCardStore,
        keyring: KeyRing,
        rooms: RoomService,
        audit: AuditTrail,
        johari: JohariService,
    ) -> None:
        self._directory = directory
        self._events = events
        self._cards = cards
        self._keyring = keyring
        self._rooms = rooms
        self._audit = audit
        self._johari = johari

    async def export(self, account: Account) -> dict[str, Any]:
        members = await self._directory.memberships(account.id)
        programs: list[dict[str, Any]] = []
        for member in members:
            program = await self._directory.get_program(member.program_id)
            if program is None:
                continue
            programs.append(await self._export_program(member, program))
            await self._audit.record(
                program.id, AuditAction.DATA_EXPORTED, member.id, target_id=member.id
            )
        return {
            "format": "integration-circles.export.v1",
            "exported_ms": now_ms(),
            "account": {
                "id": account.id,
                "email": account.email,
                "real_name": account.real_name,
                "is_staff": account.is_staff,
            },
            "programs": programs,
        }

    async def _export_program(self, member: Member, program: Program) -> dict[str, Any]:
        rooms = {room.id: room for room in await self._directory.program_rooms(program.id)}
        messages = await self._events.authored([member.id])
        card_doc = await self._cards.get(member.id)
        card = None
        if card_doc is not None and card_doc.get("sealed"):
            opened = await self._keyring.open_one(card_doc["sealed"], f"card:{member.id}")
            card = {
                "fields": orjson.loads(opened) if opened else {},
                "sharing": {"mode": card_doc.get("mode"), "chosen": card_doc.get("chosen", [])},
            }
        return {
            "program": {"id": program.id, "name": program.name, "status": program.status.value},
            "member": {
                **member.public_view(),
                "status": member.status.value,
                "cleared_ms": member.cleared_ms,
                "accepted_agreement_version": member.accepted_version,
            },
            "messages": [
                {
                    **message.public_view(),
                    "room_title": rooms[message.room_id].title
                    if message.room_id in rooms
                    else None,
                }
                for message in messages
            ],
            "contact_card": card,
            "johari_choices": await self._johari.export_for(member),
            "audit": await self._audit.entries(program.id, involving=member.id, limit=1000),
        }

    async def erase(self, account: Account, program_id: str | None = None) -> int:
        """Erase every message the account wrote (in one program, or all)."""
        members = [
            m
            for m in await self._directory.memberships(account.id)
            if program_id is None or m.program_id == program_id
        ]
        if program_id is not None and not members:
            check_member_has_access(None)
        erased = 0
        for member in members:
            count = 0
            for message in await self._events.authored([member.id], visible_only=True):
                await self._rooms.erase_message(member, message)
                count += 1
            await self._audit.record(
                member.program_id,
                AuditAction.MESSAGES_ERASED,
                member.id,
                target_id=member.id,
                count=count,
            )
            erased += count
        return erased

    async def purge_due(self) -> list[dict[str, Any]]:
        """Purge every program whose retention period has passed."""
        now = now_ms()
        done: list[dict[str, Any]] = []
        for program in await self._directory.programs_due_for_purge(now):
            if retention_due(program, now):
                done.append(await self.purge(program))
        return done

    async def purge(self, program: Program) -> dict[str, Any]:
        keys = await self._keyring.shred(program.id)
        rooms = [room.id for room in await self._directory.program_rooms(program.id)]
        messages = await self._events.purge_rooms(rooms) if rooms else 0
        cards = await self._cards.delete_program(program.id)
        choices = await self._johari.purge_program(program.id)
        first = await self._directory.mark_purged(program.id, now_ms())
        counts = {
            "messages": messages,
            "contact_cards": cards,
            "johari_choices": choices,
            "data_keys": keys,
        }
        if first or any(counts.values()):
            await self._audit.record(
                program.id,
                AuditAction.RETENTION_PURGED,
                None,
                retention_days=program.retention_days,
                counts=counts,
            )
        log.info("retention_purged", program_id=program.id, **counts)
        return {"program_id": program.id, **counts}
