"""Per-program data keys, stored wrapped by a master key (never in the clear).

Key ids are ``<program id>:<n>``; the highest ``n`` seals new values, every
earlier one still opens old values. A unique ``_id`` settles two instances
creating a program's first key at once.
"""

from __future__ import annotations

from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from .mongo import Doc, guard


class MongoKeyStore:
    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self._keys = db["data_keys"]

    @guard
    async def get(self, key_id: str) -> Doc | None:
        return await self._keys.find_one({"_id": key_id})

    @guard
    async def latest(self, program_id: str) -> Doc | None:
        return await self._keys.find_one({"program_id": program_id}, sort=[("n", DESCENDING)])

    @guard
    async def insert(self, doc: Doc) -> bool:
        """False when that key id exists already (another instance made it)."""
        try:
            await self._keys.insert_one(doc)
        except DuplicateKeyError:
            return False
        return True

    @guard
    async def all(self) -> list[Doc]:
        return [doc async for doc in self._keys.find()]

    @guard
    async def rewrap(self, key_id: str, wrapped: str) -> None:
        await self._keys.update_one({"_id": key_id}, {"$set": {"wrapped": wrapped}})

    @guard
    async def delete_program(self, program_id: str) -> int:
        result = await self._keys.delete_many({"program_id": program_id})
        return int(result.deleted_count)
