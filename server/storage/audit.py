"""The audit log: append-only entries, newest first when read."""

from __future__ import annotations

from typing import Any

from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from ..domain.audit import AuditEntry
from .mongo import Doc, guard


class MongoAuditLog:
    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self._audit = db["audit"]

    @guard
    async def append(self, entry: AuditEntry, entry_id: str, at_ms: int) -> None:
        await self._audit.insert_one(
            {
                "_id": entry_id,
                "program_id": entry.program_id,
                "at_ms": at_ms,
                "action": entry.action.value,
                "actor_id": entry.actor_id,
                "target_id": entry.target_id,
                "room_id": entry.room_id,
                "details": entry.details,
            }
        )

    @guard
    async def entries(
        self,
        program_id: str,
        *,
        before_ms: int | None = None,
        limit: int = 100,
        action: str | None = None,
        involving: str | None = None,
    ) -> list[dict[str, Any]]:
        query: Doc = {"program_id": program_id}
        if before_ms is not None:
            query["at_ms"] = {"$lt": before_ms}
        if action is not None:
            query["action"] = action
        if involving is not None:
            query["$or"] = [{"actor_id": involving}, {"target_id": involving}]
        cursor = self._audit.find(query).sort("at_ms", DESCENDING).limit(limit)
        return [
            {k: v for k, v in doc.items() if k != "_id"} | {"id": doc["_id"]}
            async for doc in cursor
        ]
