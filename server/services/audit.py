"""Record audit entries with an id and the time (the domain builds the entry)."""

from __future__ import annotations

from typing import Any

import structlog

from ..domain.audit import AuditAction, AuditEntry
from ..storage.audit import MongoAuditLog
from .clock import new_id, now_ms

log = structlog.get_logger(__name__)


class AuditTrail:
    def __init__(self, store: MongoAuditLog) -> None:
        self._store = store

    async def record(
        self,
        program_id: str,
        action: AuditAction,
        actor_id: str | None,
        *,
        target_id: str | None = None,
        room_id: str | None = None,
        **details: Any,
    ) -> None:
        entry = AuditEntry(program_id, action, actor_id, target_id, room_id, details)
        await self._store.append(entry, new_id(), now_ms())
        log.info("audit", action=action.value, program_id=program_id)

    async def entries(self, program_id: str, **query: Any) -> list[dict[str, Any]]:
        return await self._store.entries(program_id, **query)
