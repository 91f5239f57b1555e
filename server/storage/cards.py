"""Contact cards (rule 6): one per participant, the fields sealed, the
sharing choice in the clear (it holds member ids only)."""

from __future__ import annotations

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from .mongo import Doc, guard


class MongoCardStore:
    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self._cards = db["contact_cards"]

    @guard
    async def get(self, member_id: str) -> Doc | None:
        return await self._cards.find_one({"_id": member_id})

    @guard
    async def for_program(self, program_id: str) -> list[Doc]:
        return [doc async for doc in self._cards.find({"program_id": program_id})]

    @guard
    async def put(self, member_id: str, program_id: str, changes: Doc) -> Doc:
        """Create or update a card; ``changes`` may hold the sealed fields, sharing, or both."""
        # program_id goes in $set: nx-27017 ignores $setOnInsert on upsert.
        doc = await self._cards.find_one_and_update(
            {"_id": member_id},
            {"$set": {**changes, "program_id": program_id}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert doc is not None
        return doc

    @guard
    async def delete(self, member_id: str) -> bool:
        result = await self._cards.delete_one({"_id": member_id})
        return bool(result.deleted_count)

    @guard
    async def delete_program(self, program_id: str) -> int:
        result = await self._cards.delete_many({"program_id": program_id})
        return int(result.deleted_count)
