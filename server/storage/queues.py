"""Staff work queues: pre-moderated messages, alerts, and reports (rules 8, 9, 11).

Each entry is one document; state changes are single-document
compare-and-set updates, so two facilitators acting at once make one change.
Text (a pending message, a private check-in note) is stored sealed.
"""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from .mongo import Doc, guard


class MongoQueue:
    """One queue collection: insert, list, and move an entry out of ``open``."""

    def __init__(self, db: AsyncDatabase[Doc], name: str) -> None:
        self._docs = db[name]

    @guard
    async def add(self, doc: Doc) -> Doc:
        """Insert; an entry with the same ``_id`` (a retry) returns the first one."""
        try:
            await self._docs.insert_one(doc)
        except DuplicateKeyError:
            found = await self._docs.find_one({"_id": doc["_id"]})
            assert found is not None
            return found
        return doc

    @guard
    async def get(self, entry_id: str) -> Doc | None:
        return await self._docs.find_one({"_id": entry_id})

    @guard
    async def find(
        self, query: dict[str, Any], *, newest_first: bool = False, limit: int = 200
    ) -> list[Doc]:
        order = DESCENDING if newest_first else ASCENDING
        cursor = self._docs.find(query).sort("created_ms", order).limit(limit)
        return [doc async for doc in cursor]

    @guard
    async def close(self, entry_id: str, changes: Doc) -> Doc | None:
        """Move an open entry to its final state; None if already closed."""
        return await self._docs.find_one_and_update(
            {"_id": entry_id, "status": "open"},
            {"$set": changes},
            return_document=ReturnDocument.AFTER,
        )

    @guard
    async def put(self, doc: Doc) -> None:
        """Create or replace (a check-in answer may be changed)."""
        await self._docs.replace_one({"_id": doc["_id"]}, doc, upsert=True)

    @guard
    async def delete_where(self, query: dict[str, Any]) -> int:
        result = await self._docs.delete_many(query)
        return int(result.deleted_count)
