"""Programs, their members and rooms (DESIGN.md section 2; rules 1, 2, 3, 5, 6, 7).

Every membership and confidentiality action is audited here, next to the
write it records.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ..domain.access import (
    check_can_create_program,
    check_can_manage_program,
    check_is_staff,
    check_member_has_access,
    check_program_transition,
    visible_rooms,
)
from ..domain.admission import (
    admission_of,
    check_can_accept,
    check_can_clear,
    clean_agreement_text,
)
from ..domain.agreement import DEFAULT_AGREEMENT
from ..domain.audit import AuditAction
from ..domain.confidentiality import (
    check_can_complete,
    check_can_open_private_room,
    check_can_set_contact_exchange,
)
from ..domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from ..domain.model import (
    DEFAULT_ROOMS,
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
from ..domain.names import normalize_display_name
from ..settings import Settings
from ..storage.directory import MongoDirectory
from .audit import AuditTrail
from .clock import new_id, now_ms, utcnow
from .identity import IdentityService


def room_view(room: Room) -> dict[str, Any]:
    return {
        "room_id": room.id,
        "kind": room.kind.value,
        "title": room.title,
        "participant_id": room.participant_id,
        "locked": room.locked,
        "member_ids": list(room.member_ids),
    }


def program_view(program: Program) -> dict[str, Any]:
    return {
        "id": program.id,
        "name": program.name,
        "kind": program.kind.value,
        "status": program.status.value,
        "region": program.region,
        "agreement_version": program.agreement_version,
        "contact_exchange": program.contact_exchange.value,
        "retention_days": program.retention_days,
    }


class ProgramService:
    def __init__(
        self,
        settings: Settings,
        directory: MongoDirectory,
        identity: IdentityService,
        audit: AuditTrail,
    ) -> None:
        self._settings = settings
        self._directory = directory
        self._identity = identity
        self._audit = audit

    async def create(
        self, account: Account, name: str, kind: ProgramKind, region: str, display_name: str
    ) -> tuple[Program, Member]:
        check_can_create_program(account)
        now = utcnow()
        program = await self._directory.create_program(
            {
                "_id": new_id(),
                "name": name.strip(),
                "kind": kind.value,
                "status": ProgramStatus.DRAFT.value,
                "region": region,
                "created_at": now,
                "created_by": account.id,
                "agreement_version": 1,
                "contact_exchange": ContactExchange.LOCKED.value,
                "retention_days": self._settings.privacy.retention_days,
                "completed_ms": None,
                "purged_ms": None,
            }
        )
        await self._directory.add_agreement(
            {
                "_id": f"{program.id}:1",
                "program_id": program.id,
                "version": 1,
                "text": DEFAULT_AGREEMENT,
                "published_ms": now_ms(),
                "published_by": None,
            }
        )
        lead = await self._directory.add_member(
            {
                "_id": new_id(),
                "program_id": program.id,
                "account_id": account.id,
                "role": Role.LEAD.value,
                "status": MemberStatus.ACTIVE.value,
                "joined_at": now,
                "display_name": normalize_display_name(
                    display_name, self._settings.limits.display_name_max_chars
                ),
            }
        )
        await self._directory.create_rooms(
            [
                {
                    "_id": new_id(),
                    "program_id": program.id,
                    "kind": kind_.value,
                    "title": title,
                    "participant_id": None,
                    "locked": False,
                    "version": 0,
                    "created_at": now + timedelta(milliseconds=index),
                }
                for index, (kind_, title) in enumerate(DEFAULT_ROOMS)
            ]
        )
        return program, lead

    async def load(self, program_id: str) -> Program:
        program = await self._directory.get_program(program_id)
        if program is None:
            raise NotFound("We couldn't find that program.", code="program_not_found")
        return program

    async def managed(self, account: Account, program_id: str) -> Program:
        """The program, if ``account`` may manage it (its leads, or an admin)."""
        program = await self.load(program_id)
        member = await self._directory.member_for(program_id, account.id)
        check_can_manage_program(account, member)
        return program

    async def set_status(self, account: Account, program_id: str, target: ProgramStatus) -> Program:
        program = await self.managed(account, program_id)
        me = await self._directory.member_for(program_id, account.id)
        if target is ProgramStatus.COMPLETED:
            check_can_complete(me)
        check_program_transition(program.status, target)
        updated = await self._directory.set_program_status(
            program_id, program.status, target, now_ms()
        )
        if updated is None:
            raise Conflict(
                "Someone else changed this program just now — reload and retry.",
                code="stale_status",
            )
        await self._audit.record(
            program_id,
            AuditAction.PROGRAM_STATUS,
            me.id if me else None,
            previous=program.status.value,
            status=target.value,
        )
        return updated

    # rule 2: agreement and clearance ----------------------------------------------
    async def agreement(self, account: Account, program_id: str) -> dict[str, Any]:
        """The agreement in force, for any member (and where they stand on it)."""
        program = await self.load(program_id)
        me = check_member_has_access(await self._directory.member_for(program_id, account.id))
        doc = await self._directory.agreement(program_id, program.agreement_version)
        return {
            "program_id": program_id,
            "version": program.agreement_version,
            "text": doc["text"] if doc else "",
            "published_ms": doc["published_ms"] if doc else None,
            "admission": admission_of(me, program).to_dict(),
        }

    async def agreement_versions(self, account: Account, program_id: str) -> list[dict[str, Any]]:
        await self.managed(account, program_id)
        return [
            {k: doc[k] for k in ("version", "text", "published_ms", "published_by")}
            for doc in await self._directory.agreements(program_id)
        ]

    async def publish_agreement(self, account: Account, program_id: str, text: str) -> Program:
        """A lead publishes a new version: everyone must accept it again."""
        program = await self.managed(account, program_id)
        me = await self._directory.member_for(program_id, account.id)
        cleaned = clean_agreement_text(text)
        version = program.agreement_version + 1
        stored = await self._directory.add_agreement(
            {
                "_id": f"{program_id}:{version}",
                "program_id": program_id,
                "version": version,
                "text": cleaned,
                "published_ms": now_ms(),
                "published_by": me.id if me else None,
            }
        )
        updated = stored and await self._directory.bump_agreement_version(
            program_id, program.agreement_version
        )
        if not updated:
            raise Conflict(
                "Another version was published just now — reload and retry.",
                code="stale_agreement",
            )
        reset = await self._directory.require_acceptance_again(program_id)
        await self._audit.record(
            program_id,
            AuditAction.AGREEMENT_PUBLISHED,
            me.id if me else None,
            version=version,
            participants_to_accept=reset,
        )
        return updated

    async def clear(self, account: Account, program_id: str, member_id: str) -> Member:
        """Staff record a participant's screening / medical clearance (who, when)."""
        await self.load(program_id)
        me = check_is_staff(await self._directory.member_for(program_id, account.id))
        target = await self._member_of(program_id, member_id)
        check_can_clear(target)
        cleared = await self._directory.record_clearance(member_id, me.id, now_ms())
        assert cleared is not None
        if target.cleared_ms is None:
            await self._audit.record(
                program_id, AuditAction.MEMBER_CLEARED, me.id, target_id=member_id
            )
        return cleared

    async def accept(self, account: Account, program_id: str, version: int) -> Member:
        """A cleared participant accepts the version they read."""
        program = await self.load(program_id)
        me = check_member_has_access(await self._directory.member_for(program_id, account.id))
        check_can_accept(me, program, version)
        accepted = await self._directory.record_acceptance(me.id, version, now_ms())
        # A new version published in between: accepting the old one admits nobody.
        current = await self.load(program_id)
        if accepted is None or current.agreement_version != version:
            raise Conflict(
                "The agreement was updated while you were reading — please read the new "
                "version and accept that one.",
                code="agreement_outdated",
                agreement_version=current.agreement_version,
            )
        await self._audit.record(
            program_id, AuditAction.AGREEMENT_ACCEPTED, me.id, target_id=me.id, version=version
        )
        return accepted

    # rules 5 and 6: contact exchange ----------------------------------------------
    async def set_contact_exchange(
        self, account: Account, program_id: str, state: ContactExchange
    ) -> Program:
        program = await self.load(program_id)
        me = check_can_set_contact_exchange(
            await self._directory.member_for(program_id, account.id), program
        )
        updated = await self._directory.set_program_fields(
            program_id, {"contact_exchange": state.value}
        )
        assert updated is not None
        await self._audit.record(program_id, AuditAction.CONTACT_EXCHANGE, me.id, state=state.value)
        return updated

    async def set_retention(self, account: Account, program_id: str, days: int) -> Program:
        await self.managed(account, program_id)
        updated = await self._directory.set_program_fields(program_id, {"retention_days": days})
        assert updated is not None
        return updated

    async def open_room(
        self, account: Account, program_id: str, kind: RoomKind, title: str
    ) -> Room:
        """Staff open group rooms. Participants open no rooms here: while contact
        exchange is locked that is refused and audited (rule 5); after unlock
        they open direct rooms through the contact service."""
        program = await self.load(program_id)
        me = check_member_has_access(await self._directory.member_for(program_id, account.id))
        if not me.is_staff:
            await self.check_private_room_allowed(me, program)
            raise Forbidden("Only the care team opens group rooms.", code="staff_only")
        if kind in (RoomKind.SUPPORT, RoomKind.DIRECT):
            raise InvalidInput(
                "Support rooms open with each participant; direct rooms are between "
                "participants after the program.",
                code="invalid_room_kind",
            )
        return await self.create_room(program_id, kind, title, [])

    async def check_private_room_allowed(self, member: Member, program: Program) -> None:
        try:
            check_can_open_private_room(member, program)
        except Forbidden:
            await self._audit.record(program.id, AuditAction.PRIVATE_ROOM_REFUSED, member.id)
            raise

    async def create_room(
        self, program_id: str, kind: RoomKind, title: str, member_ids: list[str]
    ) -> Room:
        (room,) = await self._directory.create_rooms(
            [
                {
                    "_id": new_id(),
                    "program_id": program_id,
                    "kind": kind.value,
                    "title": title.strip(),
                    "participant_id": None,
                    "locked": False,
                    "version": 0,
                    "member_ids": member_ids,
                    "created_at": utcnow(),
                }
            ]
        )
        return room

    async def member_of_account(self, program_id: str, account_id: str) -> Member:
        return check_member_has_access(await self._directory.member_for(program_id, account_id))

    async def _member_of(self, program_id: str, member_id: str) -> Member:
        member = await self._directory.get_member(member_id)
        if member is None or member.program_id != program_id:
            raise NotFound("We couldn't find that member.", code="member_not_found")
        return member

    async def add_staff(
        self, account: Account, program_id: str, email: str, role: Role, display_name: str
    ) -> Member:
        await self.managed(account, program_id)
        if role is Role.PARTICIPANT:
            raise InvalidInput("Participants join through an invitation.", code="use_invite")
        found = await self._directory.account_credentials(email.strip().lower())
        if found is None or not found[0].is_staff:
            raise NotFound("No staff account has that email.", code="account_not_found")
        me = await self._directory.member_for(program_id, account.id)
        added = await self._directory.add_member(
            {
                "_id": new_id(),
                "program_id": program_id,
                "account_id": found[0].id,
                "role": role.value,
                "status": MemberStatus.ACTIVE.value,
                "joined_at": utcnow(),
                "display_name": normalize_display_name(
                    display_name, self._settings.limits.display_name_max_chars
                ),
            }
        )
        await self._audit.record(
            program_id,
            AuditAction.STAFF_ADDED,
            me.id if me else None,
            target_id=added.id,
            role=role.value,
        )
        return added

    async def invite(
        self, account: Account, program_id: str, email: str, real_name: str
    ) -> dict[str, Any]:
        program = await self.managed(account, program_id)
        if program.status is ProgramStatus.ARCHIVED:
            raise Forbidden("This program is archived.", code="program_archived")
        invite_id = new_id()
        now = utcnow()
        expires_at = now + timedelta(seconds=self._settings.auth.invite_ttl_s)
        await self._directory.create_invite(
            {
                "_id": invite_id,
                "program_id": program_id,
                "email": email.strip().lower(),
                "real_name": real_name.strip(),
                "created_by": account.id,
                "created_at": now,
                "expires_at": expires_at,
                "used_at": None,
                "used_by": None,
            }
        )
        me = await self._directory.member_for(program_id, account.id)
        await self._audit.record(
            program_id, AuditAction.MEMBER_INVITED, me.id if me else None, invite_id=invite_id
        )
        return {
            "invite_id": invite_id,
            "invite": self._identity.issue_invite(invite_id),
            "expires_at": expires_at.isoformat(),
        }

    async def remove_member(
        self, account: Account, program_id: str, member_id: str, status: MemberStatus
    ) -> Member:
        await self.managed(account, program_id)
        member = await self._member_of(program_id, member_id)
        if member.account_id == account.id:
            raise Forbidden("You can't remove yourself.", code="cannot_remove_self")
        updated = await self._directory.set_member_status(member_id, status)
        assert updated is not None
        me = await self._directory.member_for(program_id, account.id)
        action = (
            AuditAction.MEMBER_WITHDRAWN
            if status is MemberStatus.WITHDRAWN
            else AuditAction.MEMBER_REMOVED
        )
        await self._audit.record(program_id, action, me.id if me else None, target_id=member_id)
        return updated

    async def members_view(self, account: Account, program_id: str) -> list[dict[str, Any]]:
        """Staff see who people are; participants see pseudonyms only (rule 7)."""
        me = await self._directory.member_for(program_id, account.id)
        if not account.is_admin:
            check_member_has_access(me)
        members = await self._directory.program_members(program_id)
        if account.is_admin or (me is not None and me.is_staff):
            program = await self.load(program_id)
            views: list[dict[str, Any]] = []
            for member in members:
                person = await self._directory.get_account(member.account_id)
                views.append(
                    {
                        **member.public_view(),
                        "status": member.status.value,
                        "real_name": person.real_name if person else "",
                        "email": person.email if person else "",
                        "admission": admission_of(member, program).to_dict(),
                        "cleared_ms": member.cleared_ms,
                    }
                )
            return views
        return [member.public_view() for member in members if member.status.has_access]

    async def overview(self, account: Account) -> list[dict[str, Any]]:
        """Every program the account is in, with the rooms it may open."""
        members = [m for m in await self._directory.memberships(account.id) if m.status.has_access]
        out: list[dict[str, Any]] = []
        for member in members:
            program = await self._directory.get_program(member.program_id)
            if program is None:
                continue
            admission = admission_of(member, program)
            rooms = (
                visible_rooms(member, await self._directory.program_rooms(program.id))
                if admission.admitted
                else []
            )
            out.append(
                {
                    "program": program_view(program),
                    "member": {**member.public_view(), "status": member.status.value},
                    "admission": admission.to_dict(),
                    "rooms": [room_view(room) for room in rooms],
                }
            )
        return out
