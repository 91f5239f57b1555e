"""Johari window exercises, their choices and shared windows in MongoDB.

One document per exercise; one per (exercise, chooser, target) holding the
chosen words sealed under the program's data key; one per shared window.
At most one exercise per program is open: an open exercise's ``open_key`` is
its program, a closed one's is its own id, and ``open_key`` is unique (no
partial index needed, which nx-27017 would not honour).
"""

from __future__ import annotations

from pymongo import DESCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from ..domain.johari import Exercise, ExerciseStatus
from .mongo import Doc, guard


def _open_key(program_id: str) -> str:
    return f"open:{program_id}"


def _exercise(doc: Doc) -> Exercise:
    return Exercise(
        id=doc["_id"],
        program_id=doc["program_id"],
        status=ExerciseStatus(doc["status"]),
        participant_ids=tuple(doc.get("participant_ids") or ()),
        started_by=doc["started_by"],
        started_ms=int(doc["started_ms"]),
        closed_ms=doc.get("closed_ms"),
    )


class MongoJohariStore:
    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self._db = db
        self._exercises = db["johari_exercises"]
        self._picks = db["johari_picks"]
        self._shares = db["johari_shares"]

    # exercises ------------------------------------------------------------
    @guard
    async def create_exercise(
        self,
        exercise_id: str,
        program_id: str,
        participant_ids: list[str],
        started_by: str,
        at_ms: int,
    ) -> Exercise | None:
        """The new open exercise; None when the program already has one open."""
        doc: Doc = {
            "_id": exercise_id,
            "program_id": program_id,
            "status": ExerciseStatus.OPEN.value,
            "open_key": _open_key(program_id),
            "participant_ids": participant_ids,
            "started_by": started_by,
            "started_ms": at_ms,
            "closed_ms": None,
            "closed_by": None,
        }
        try:
            await self._exercises.insert_one(doc)
        except DuplicateKeyError:
            return None
        return _exercise(doc)

    @guard
    async def get_exercise(self, exercise_id: str) -> Exercise | None:
        doc = await self._exercises.find_one({"_id": exercise_id})
        return _exercise(doc) if doc else None

    @guard
    async def latest_exercise(self, program_id: str) -> Exercise | None:
        cursor = (
            self._exercises.find({"program_id": program_id})
            .sort([("started_ms", DESCENDING), ("_id", DESCENDING)])
            .limit(1)
        )
        async for doc in cursor:
            return _exercise(doc)
        return None

    @guard
    async def close_exercise(self, exercise_id: str, closed_by: str, at_ms: int) -> Exercise | None:
        """Compare-and-set open → closed; None when it was closed already."""
        doc = await self._exercises.find_one_and_update(
            {"_id": exercise_id, "status": ExerciseStatus.OPEN.value},
            {
                "$set": {
                    "status": ExerciseStatus.CLOSED.value,
                    "open_key": f"closed:{exercise_id}",
                    "closed_ms": at_ms,
                    "closed_by": closed_by,
                }
            },
            return_document=ReturnDocument.AFTER,
        )
        return _exercise(doc) if doc else None

    # choices --------------------------------------------------------------
    @guard
    async def put_picks(
        self,
        exercise: Exercise,
        chooser_id: str,
        target_id: str,
        sealed: str,
        at_ms: int,
    ) -> None:
        """Create or replace one chooser's words for one target."""
        await self._picks.update_one(
            {"_id": f"{exercise.id}:{chooser_id}:{target_id}"},
            {
                "$set": {
                    "exercise_id": exercise.id,
                    "program_id": exercise.program_id,
                    "chooser_id": chooser_id,
                    "target_id": target_id,
                    "sealed": sealed,
                    "updated_ms": at_ms,
                }
            },
            upsert=True,
        )

    @guard
    async def picks_by(self, exercise_id: str, chooser_id: str) -> list[Doc]:
        cursor = self._picks.find({"exercise_id": exercise_id, "chooser_id": chooser_id})
        return [doc async for doc in cursor]

    @guard
    async def picks_for(self, exercise_id: str, target_id: str) -> list[Doc]:
        cursor = self._picks.find({"exercise_id": exercise_id, "target_id": target_id})
        return [doc async for doc in cursor]

    @guard
    async def chosen_pairs(self, exercise_id: str) -> list[tuple[str, str]]:
        """(chooser, target) of every choice — progress without the words."""
        cursor = self._picks.find(
            {"exercise_id": exercise_id}, projection={"chooser_id": 1, "target_id": 1}
        )
        return [(doc["chooser_id"], doc["target_id"]) async for doc in cursor]

    @guard
    async def member_picks(self, chooser_id: str) -> list[Doc]:
        """Every choice a member made (their data export, rule 14)."""
        return [doc async for doc in self._picks.find({"chooser_id": chooser_id})]

    # shared windows -------------------------------------------------------
    @guard
    async def share(self, exercise: Exercise, member_id: str, at_ms: int) -> bool:
        """True when the window was not shared before."""
        try:
            await self._shares.insert_one(
                {
                    "_id": f"{exercise.id}:{member_id}",
                    "exercise_id": exercise.id,
                    "program_id": exercise.program_id,
                    "member_id": member_id,
                    "shared_ms": at_ms,
                }
            )
        except DuplicateKeyError:
            return False
        return True

    @guard
    async def unshare(self, exercise_id: str, member_id: str) -> bool:
        """True when the window was shared before."""
        result = await self._shares.delete_one({"_id": f"{exercise_id}:{member_id}"})
        return bool(result.deleted_count)

    @guard
    async def shared_ids(self, exercise_id: str) -> frozenset[str]:
        cursor = self._shares.find({"exercise_id": exercise_id}, projection={"member_id": 1})
        return frozenset([doc["member_id"] async for doc in cursor])

    # retention (rule 14) --------------------------------------------------
    @guard
    async def delete_program(self, program_id: str) -> int:
        """Delete a program's exercises, choices and shares; the choices deleted."""
        deleted = await self._picks.delete_many({"program_id": program_id})
        await self._shares.delete_many({"program_id": program_id})
        await self._exercises.delete_many({"program_id": program_id})
        return int(deleted.deleted_count)
