"""Who may reach what (DESIGN.md rules 1, 3 and 7).

Every check takes already-loaded facts and raises a domain error; the caller
loads fresh facts for each request, so a removal takes effect at once.
"""

from __future__ import annotations

from .errors import Conflict, Forbidden
from .model import (
    SESSION_ROOM_KINDS,
    Account,
    Member,
    Program,
    ProgramStatus,
    Role,
    Room,
    RoomKind,
)

# DESIGN.md section 2: draft → active → completed → archived, forward only.
PROGRAM_TRANSITIONS: dict[ProgramStatus, frozenset[ProgramStatus]] = {
    ProgramStatus.DRAFT: frozenset({ProgramStatus.ACTIVE}),
    ProgramStatus.ACTIVE: frozenset({ProgramStatus.COMPLETED}),
    ProgramStatus.COMPLETED: frozenset({ProgramStatus.ARCHIVED}),
    ProgramStatus.ARCHIVED: frozenset(),
}


def check_member_has_access(member: Member | None) -> Member:
    """Rule 3: removed or withdrawn members lose access immediately."""
    if member is None:
        raise Forbidden("You're not a member of this program.", code="not_a_member")
    if not member.status.has_access:
        raise Forbidden("Your access to this program has ended.", code="member_removed")
    return member


def can_read_room(member: Member, room: Room) -> bool:
    """Rule 1: members of the room's program; staff rooms staff-only; support
    rooms their participant plus staff."""
    if member.program_id != room.program_id or not member.status.has_access:
        return False
    if room.kind is RoomKind.STAFF:
        return member.is_staff
    if room.kind is RoomKind.SUPPORT:
        return member.is_staff or member.id == room.participant_id
    if room.kind is RoomKind.DIRECT:
        return member.id in room.member_ids
    return True


def check_can_read_room(member: Member | None, room: Room) -> Member:
    """Rule 1, raising: the reason is specific but never reveals room content."""
    found = check_member_has_access(member)
    if found.program_id != room.program_id:
        raise Forbidden("You're not a member of this program.", code="not_a_member")
    if room.kind is RoomKind.STAFF and not found.is_staff:
        raise Forbidden("This room is for the care team only.", code="staff_only")
    if not can_read_room(found, room):
        if room.kind is RoomKind.DIRECT:
            raise Forbidden("This conversation is private to its members.", code="forbidden")
        raise Forbidden("This support room belongs to someone else.", code="forbidden")
    return found


def check_can_post(member: Member | None, program: Program, room: Room) -> Member:
    """Rules 1 and 8: readers may post unless the room or program is read-only."""
    found = check_can_read_room(member, room)
    if program.status is ProgramStatus.ARCHIVED:
        raise Forbidden(
            "This program has been archived; its rooms are read-only.", code="program_archived"
        )
    if program.status is ProgramStatus.DRAFT and not found.is_staff:
        raise Forbidden("This program hasn't started yet.", code="program_not_started")
    if (
        program.status is ProgramStatus.COMPLETED
        and room.kind in SESSION_ROOM_KINDS
        and not found.is_staff
    ):
        raise Forbidden(
            "The program has ended; session rooms are read-only now.", code="room_read_only"
        )
    if room.locked and not found.is_staff:
        raise Forbidden("This room is read-only for now.", code="room_locked")
    if room.kind is RoomKind.DIRECT and program.contacts_locked:
        raise Forbidden(
            "Contact exchange was locked again, so private conversations are paused.",
            code="contact_exchange_locked",
        )
    return found


def check_is_staff(member: Member | None) -> Member:
    found = check_member_has_access(member)
    if not found.is_staff:
        raise Forbidden("Only the care team can do that.", code="staff_only")
    return found


def check_can_manage_program(account: Account, member: Member | None) -> None:
    """Leads of the program (and admins) manage members, rooms and status."""
    if account.is_admin:
        return
    found = check_member_has_access(member)
    if found.role is not Role.LEAD:
        raise Forbidden("Only a program lead can do that.", code="lead_only")


def check_can_create_program(account: Account) -> None:
    if not (account.is_admin or account.is_staff):
        raise Forbidden("Only staff can create programs.", code="staff_only")


def check_program_transition(current: ProgramStatus, target: ProgramStatus) -> None:
    if target not in PROGRAM_TRANSITIONS[current]:
        raise Conflict(
            f"A program can't go from {current.value} to {target.value}.",
            code="invalid_transition",
        )


def visible_rooms(member: Member, rooms: list[Room]) -> list[Room]:
    return [room for room in rooms if can_read_room(member, room)]
