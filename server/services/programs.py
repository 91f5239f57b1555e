"""Programs, their members and rooms (DESIGN.md section 2; rules 1, 3, 7)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ..domain.access import (
    check_can_create_program,
    check_can_manage_program,
    check_member_has_access,
    check_program_transition,
    visible_rooms,
)
from ..domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from ..domain.model import (
    DEFAULT_ROOMS,
    Account,
    Member,
    MemberStatus,
    Program,
    ProgramKind,
    ProgramStatus,
    Role,
    Room,
)
from ..domain.names import normalize_display_name
from ..settings import Settings
from ..storage.directory import MongoDirectory
from .clock import new_id, utcnow
from .identity import IdentityService


def room_view(room: Room) -> dict[str, Any]:
    return {
        "room_id": room.id,
        "kind": room.kind.value,
        "title": room.title,
        "participant_id": room.participant_id,
        "locked": room.locked,
    }


def program_view(program: Program) -> dict[str, Any]:
    return {
        "id": program.id,
        "name": program.name,
        "kind": program.kind.value,
        "status": program.status.value,
        "region": program.region,
    }


class ProgramService:
    def __init__(
        self, settings: Settings, directory: MongoDirectory, identity: IdentityService
    ) -> None:
        self._settings = settings
        self._directory = directory
        self._identity = identity

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
        check_program_transition(program.status, target)
        updated = await self._directory.set_program_status(program_id, program.status, target)
        if updated is None:
            raise Conflict(
                "Someone else changed this program just now — reload and retry.",
                code="stale_status",
            )
        return updated

    async def add_staff(
        self, account: Account, program_id: str, email: str, role: Role, display_name: str
    ) -> Member:
        await self.managed(account, program_id)
        if role is Role.PARTICIPANT:
            raise InvalidInput("Participants join through an invitation.", code="use_invite")
        found = await self._directory.account_credentials(email.strip().lower())
        if found is None or not found[0].is_staff:
            raise NotFound("No staff account has that email.", code="account_not_found")
        return await self._directory.add_member(
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
        return {
            "invite_id": invite_id,
            "invite": self._identity.issue_invite(invite_id),
            "expires_at": expires_at.isoformat(),
        }

    async def remove_member(
        self, account: Account, program_id: str, member_id: str, status: MemberStatus
    ) -> Member:
        await self.managed(account, program_id)
        member = await self._directory.get_member(member_id)
        if member is None or member.program_id != program_id:
            raise NotFound("We couldn't find that member.", code="member_not_found")
        if member.account_id == account.id:
            raise Forbidden("You can't remove yourself.", code="cannot_remove_self")
        updated = await self._directory.set_member_status(member_id, status)
        assert updated is not None
        return updated

    async def members_view(self, account: Account, program_id: str) -> list[dict[str, Any]]:
        """Staff see who people are; participants see pseudonyms only (rule 7)."""
        me = await self._directory.member_for(program_id, account.id)
        if not account.is_admin:
            check_member_has_access(me)
        members = await self._directory.program_members(program_id)
        if account.is_admin or (me is not None and me.is_staff):
            views: list[dict[str, Any]] = []
            for member in members:
                person = await self._directory.get_account(member.account_id)
                views.append(
                    {
                        **member.public_view(),
                        "status": member.status.value,
                        "real_name": person.real_name if person else "",
                        "email": person.email if person else "",
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
            rooms = visible_rooms(member, await self._directory.program_rooms(program.id))
            out.append(
                {
                    "program": program_view(program),
                    "member": {**member.public_view(), "status": member.status.value},
                    "rooms": [room_view(room) for room in rooms],
                }
            )
        return out
