"""Accounts, programs, members, rooms, invites and refresh tokens in MongoDB."""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from ..domain.errors import Conflict
from ..domain.flow import Phase, RoomState, Round, initial_phase
from ..domain.model import (
    Account,
    ContactExchange,
    Member,
    MemberStatus,
    Program,
    ProgramKind,
    ProgramStatus,
    Role,
    Room,
    RoomKind,
)
from ..domain.names import display_name_key
from .mongo import Doc, guard

# A room with its moderation and flow state, and the version its updates
# compare-and-set on.
RoomRecord = tuple[Room, RoomState, int]


def _account(doc: Doc) -> Account:
    return Account(
        id=doc["_id"],
        email=doc["email"],
        real_name=doc.get("real_name", ""),
        is_admin=bool(doc.get("is_admin")),
        is_staff=bool(doc.get("is_staff")),
    )


def _program(doc: Doc) -> Program:
    return Program(
        id=doc["_id"],
        name=doc["name"],
        kind=ProgramKind(doc["kind"]),
        status=ProgramStatus(doc["status"]),
        region=doc.get("region", "US"),
        agreement_version=int(doc.get("agreement_version", 1)),
        contact_exchange=ContactExchange(doc.get("contact_exchange", ContactExchange.LOCKED)),
        retention_days=int(doc.get("retention_days", 180)),
        completed_ms=doc.get("completed_ms"),
    )


def _member(doc: Doc) -> Member:
    return Member(
        id=doc["_id"],
        program_id=doc["program_id"],
        account_id=doc["account_id"],
        role=Role(doc["role"]),
        display_name=doc["display_name"],
        status=MemberStatus(doc["status"]),
        joined_at=doc.get("joined_at"),
        cleared_ms=doc.get("cleared_ms"),
        accepted_version=int(doc.get("accepted_version") or 0),
    )


def _room(doc: Doc) -> Room:
    return Room(
        id=doc["_id"],
        program_id=doc["program_id"],
        kind=RoomKind(doc["kind"]),
        title=doc["title"],
        participant_id=doc.get("participant_id"),
        locked=bool(doc.get("locked")),
        member_ids=tuple(doc.get("member_ids") or ()),
    )


def _room_state(doc: Doc, room: Room) -> RoomState:
    phase = doc.get("phase")
    round_doc = doc.get("round")
    return RoomState(
        phase=Phase(phase) if phase else initial_phase(room),
        premoderation=bool(doc.get("premoderation")),
        slow_mode_s=int(doc.get("slow_mode_s") or 0),
        pinned=tuple(doc.get("pinned") or ()),
        removed=frozenset(doc.get("removed") or ()),
        muted=tuple((m["m"], int(m["until"])) for m in doc.get("muted") or ()),
        round=Round(round_doc["id"], tuple(round_doc["order"]), int(round_doc["index"]))
        if round_doc
        else None,
        checkin_id=doc.get("checkin_id"),
    )


def _room_record(doc: Doc) -> RoomRecord:
    room = _room(doc)
    return room, _room_state(doc, room), int(doc.get("version") or 0)


def _round_fields(round_: Round) -> Doc:
    return {"id": round_.id, "order": list(round_.order), "index": round_.index}


def room_state_fields(state: RoomState) -> Doc:
    """``state`` as the fields an update ``$set``s (whole values, never array ops)."""
    return {
        "phase": state.phase.value if state.phase else None,
        "premoderation": state.premoderation,
        "slow_mode_s": state.slow_mode_s,
        "pinned": list(state.pinned),
        "removed": sorted(state.removed),
        "muted": [{"m": who, "until": until} for who, until in state.muted],
        "round": {
            "id": state.round.id,
            "order": list(state.round.order),
            "index": state.round.index,
        }
        if state.round
        else None,
        "checkin_id": state.checkin_id,
    }


class MongoDirectory:
    """Who is who: the slowly changing facts access rules are checked against."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self._accounts = db["accounts"]
        self._programs = db["programs"]
        self._members = db["members"]
        self._rooms = db["rooms"]
        self._invites = db["invites"]
        self._refresh = db["refresh_tokens"]
        self._agreements = db["agreements"]

    # accounts -------------------------------------------------------------
    @guard
    async def create_account(self, doc: Doc) -> Account:
        try:
            await self._accounts.insert_one(doc)
        except DuplicateKeyError:
            raise Conflict(
                "An account with that email already exists.", code="already_exists"
            ) from None
        return _account(doc)

    @guard
    async def account_credentials(self, email: str) -> tuple[Account, str] | None:
        doc = await self._accounts.find_one({"email": email})
        if doc is None or not doc.get("password_hash"):
            return None
        return _account(doc), doc["password_hash"]

    @guard
    async def set_password_hash(self, account_id: str, password_hash: str) -> None:
        await self._accounts.update_one(
            {"_id": account_id}, {"$set": {"password_hash": password_hash}}
        )

    @guard
    async def delete_account(self, account_id: str) -> None:
        await self._accounts.delete_one({"_id": account_id})

    @guard
    async def get_account(self, account_id: str) -> Account | None:
        doc = await self._accounts.find_one({"_id": account_id})
        return _account(doc) if doc else None

    # programs -------------------------------------------------------------
    @guard
    async def create_program(self, doc: Doc) -> Program:
        await self._programs.insert_one(doc)
        return _program(doc)

    @guard
    async def get_program(self, program_id: str) -> Program | None:
        doc = await self._programs.find_one({"_id": program_id})
        return _program(doc) if doc else None

    @guard
    async def set_program_status(
        self, program_id: str, current: ProgramStatus, target: ProgramStatus, at_ms: int
    ) -> Program | None:
        """Compare-and-set, so two leads clicking at once make one transition."""
        changes: Doc = {"status": target.value}
        if target is ProgramStatus.COMPLETED:
            changes["completed_ms"] = at_ms
        doc = await self._programs.find_one_and_update(
            {"_id": program_id, "status": current.value},
            {"$set": changes},
            return_document=ReturnDocument.AFTER,
        )
        return _program(doc) if doc else None

    @guard
    async def set_program_fields(self, program_id: str, changes: Doc) -> Program | None:
        doc = await self._programs.find_one_and_update(
            {"_id": program_id}, {"$set": changes}, return_document=ReturnDocument.AFTER
        )
        return _program(doc) if doc else None

    @guard
    async def programs_due_for_purge(self, now_ms: int) -> list[Program]:
        """Completed or archived programs (the caller checks their period). Purged
        ones come back too: anything written since is purged on the next run."""
        cursor = self._programs.find(
            {
                "status": {"$in": [ProgramStatus.COMPLETED.value, ProgramStatus.ARCHIVED.value]},
                "completed_ms": {"$lt": now_ms},
            }
        )
        return [_program(doc) async for doc in cursor]

    @guard
    async def mark_purged(self, program_id: str, at_ms: int) -> bool:
        """True for the first purge of this program (the one that audits it)."""
        result = await self._programs.update_one(
            {"_id": program_id, "purged_ms": None}, {"$set": {"purged_ms": at_ms}}
        )
        return bool(result.modified_count)

    # agreements (rule 2) ---------------------------------------------------
    @guard
    async def add_agreement(self, doc: Doc) -> bool:
        """Store one version; False when that version exists (someone published first)."""
        try:
            await self._agreements.insert_one(doc)
        except DuplicateKeyError:
            return False
        return True

    @guard
    async def agreement(self, program_id: str, version: int) -> Doc | None:
        return await self._agreements.find_one({"_id": f"{program_id}:{version}"})

    @guard
    async def agreements(self, program_id: str) -> list[Doc]:
        cursor = self._agreements.find({"program_id": program_id}).sort("version", ASCENDING)
        return [doc async for doc in cursor]

    @guard
    async def bump_agreement_version(self, program_id: str, current: int) -> Program | None:
        """Compare-and-set the program's agreement version to ``current + 1``."""
        doc = await self._programs.find_one_and_update(
            {"_id": program_id, "agreement_version": current},
            {"$set": {"agreement_version": current + 1}},
            return_document=ReturnDocument.AFTER,
        )
        return _program(doc) if doc else None

    @guard
    async def require_acceptance_again(self, program_id: str) -> int:
        """A new version: active participants go back to cleared until they accept it."""
        result = await self._members.update_many(
            {
                "program_id": program_id,
                "role": Role.PARTICIPANT.value,
                "status": MemberStatus.ACTIVE.value,
            },
            {"$set": {"status": MemberStatus.CLEARED.value}},
        )
        return int(result.modified_count)

    @guard
    async def programs_by_ids(self, ids: list[str]) -> list[Program]:
        cursor = self._programs.find({"_id": {"$in": ids}}).sort("created_at", ASCENDING)
        return [_program(doc) async for doc in cursor]

    @guard
    async def all_programs(self) -> list[Program]:
        return [_program(doc) async for doc in self._programs.find().sort("created_at", ASCENDING)]

    # members --------------------------------------------------------------
    @guard
    async def add_member(self, doc: Doc) -> Member:
        doc["name_key"] = display_name_key(doc["display_name"])
        try:
            await self._members.insert_one(doc)
        except DuplicateKeyError:
            taken = await self._members.find_one(
                {"program_id": doc["program_id"], "name_key": doc["name_key"]}
            )
            if taken is not None:
                raise Conflict(
                    "That name is already taken in this program — try another.",
                    code="display_name_taken",
                ) from None
            raise Conflict(
                "That person is already a member of this program.", code="already_member"
            ) from None
        return _member(doc)

    @guard
    async def get_member(self, member_id: str) -> Member | None:
        doc = await self._members.find_one({"_id": member_id})
        return _member(doc) if doc else None

    @guard
    async def member_for(self, program_id: str, account_id: str) -> Member | None:
        doc = await self._members.find_one({"program_id": program_id, "account_id": account_id})
        return _member(doc) if doc else None

    @guard
    async def memberships(self, account_id: str) -> list[Member]:
        return [_member(doc) async for doc in self._members.find({"account_id": account_id})]

    @guard
    async def program_members(self, program_id: str) -> list[Member]:
        cursor = self._members.find({"program_id": program_id}).sort("joined_at", ASCENDING)
        return [_member(doc) async for doc in cursor]

    @guard
    async def set_member_status(self, member_id: str, status: MemberStatus) -> Member | None:
        doc = await self._members.find_one_and_update(
            {"_id": member_id},
            {"$set": {"status": status.value}},
            return_document=ReturnDocument.AFTER,
        )
        return _member(doc) if doc else None

    @guard
    async def record_clearance(self, member_id: str, by: str, at_ms: int) -> Member | None:
        """invited → cleared, with who and when; a no-op for someone already cleared."""
        doc = await self._members.find_one_and_update(
            {"_id": member_id, "status": MemberStatus.INVITED.value},
            {
                "$set": {
                    "status": MemberStatus.CLEARED.value,
                    "cleared_ms": at_ms,
                    "cleared_by": by,
                }
            },
            return_document=ReturnDocument.AFTER,
        )
        if doc is None:
            doc = await self._members.find_one({"_id": member_id})
        return _member(doc) if doc else None

    @guard
    async def record_acceptance(self, member_id: str, version: int, at_ms: int) -> Member | None:
        """cleared → active with the accepted version (only while still cleared)."""
        doc = await self._members.find_one_and_update(
            {
                "_id": member_id,
                "status": {"$in": [MemberStatus.CLEARED.value, MemberStatus.ACTIVE.value]},
            },
            {
                "$set": {
                    "status": MemberStatus.ACTIVE.value,
                    "accepted_version": version,
                    "accepted_ms": at_ms,
                }
            },
            return_document=ReturnDocument.AFTER,
        )
        return _member(doc) if doc else None

    # rooms ----------------------------------------------------------------
    @guard
    async def create_rooms(self, docs: list[Doc]) -> list[Room]:
        if docs:
            await self._rooms.insert_many(docs)
        return [_room(doc) for doc in docs]

    @guard
    async def get_room(self, room_id: str) -> Room | None:
        doc = await self._rooms.find_one({"_id": room_id})
        return _room(doc) if doc else None

    @guard
    async def room_record(self, room_id: str) -> RoomRecord | None:
        doc = await self._rooms.find_one({"_id": room_id})
        return _room_record(doc) if doc else None

    @guard
    async def update_room(
        self, room_id: str, version: int, locked: bool, state: RoomState
    ) -> RoomRecord | None:
        """Compare-and-set the room's state: None when someone changed it first."""
        match: Doc = {"_id": room_id, "version": version if version else {"$in": [0, None]}}
        doc = await self._rooms.find_one_and_update(
            match,
            {"$set": {**room_state_fields(state), "locked": locked, "version": version + 1}},
            return_document=ReturnDocument.AFTER,
        )
        return _room_record(doc) if doc else None

    @guard
    async def program_rooms(self, program_id: str) -> list[Room]:
        cursor = self._rooms.find({"program_id": program_id}).sort("created_at", ASCENDING)
        return [_room(doc) async for doc in cursor]

    # invites --------------------------------------------------------------
    @guard
    async def create_invite(self, doc: Doc) -> None:
        await self._invites.insert_one(doc)

    @guard
    async def claim_invite(self, invite_id: str, now: datetime, account_id: str) -> Doc | None:
        """Single use: the first redeemer wins atomically; expired invites never match."""
        return await self._invites.find_one_and_update(
            {"_id": invite_id, "used_at": None, "expires_at": {"$gt": now}},
            {"$set": {"used_at": now, "used_by": account_id}},
            return_document=ReturnDocument.AFTER,
        )

    @guard
    async def release_invite(self, invite_id: str) -> None:
        """Give an invite back when redemption failed after claiming it (name taken)."""
        await self._invites.update_one(
            {"_id": invite_id}, {"$set": {"used_at": None, "used_by": None}}
        )

    # refresh tokens -------------------------------------------------------
    @guard
    async def store_refresh(self, jti: str, account_id: str, expires_at: datetime) -> None:
        await self._refresh.insert_one(
            {"_id": jti, "account_id": account_id, "expires_at": expires_at}
        )

    @guard
    async def consume_refresh(self, jti: str) -> Doc | None:
        """Rotation: a refresh token works once; a replayed one finds nothing."""
        return await self._refresh.find_one_and_delete({"_id": jti})

    @guard
    async def revoke_refresh_for(self, account_id: str) -> None:
        await self._refresh.delete_many({"account_id": account_id})
