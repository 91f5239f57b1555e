"""Who may reach what: DESIGN.md rules 1 and 3 (and the program lifecycle)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain.access import (
    can_read_room,
    check_can_create_program,
    check_can_manage_program,
    check_can_post,
    check_can_read_room,
    check_is_staff,
    check_member_has_access,
    check_program_transition,
    visible_rooms,
)
from server.domain.errors import Conflict, Forbidden
from server.domain.model import (
    Account,
    Member,
    MemberStatus,
    Program,
    ProgramKind,
    ProgramStatus,
    Role,
    Room,
    RoomKind,
)

PROGRAM = "prog-1"
OTHER_PROGRAM = "prog-2"
SELF = "m-self"
OTHER = "m-other"

LEAD, FACILITATOR, PARTICIPANT = Role.LEAD, Role.FACILITATOR, Role.PARTICIPANT
STAFF_ROLES = (LEAD, FACILITATOR)
DRAFT, ACTIVE, COMPLETED, ARCHIVED = (
    ProgramStatus.DRAFT,
    ProgramStatus.ACTIVE,
    ProgramStatus.COMPLETED,
    ProgramStatus.ARCHIVED,
)
LOST_ACCESS = (MemberStatus.WITHDRAWN, MemberStatus.REMOVED)

ROOM_NAMES = ("preparation", "integration", "community", "staff", "own_support", "other_support")


def member(
    role: Role,
    status: MemberStatus = MemberStatus.ACTIVE,
    *,
    program_id: str = PROGRAM,
    member_id: str = SELF,
) -> Member:
    return Member(
        id=member_id,
        program_id=program_id,
        account_id=f"acct-{member_id}",
        role=role,
        display_name="River",
        status=status,
    )


def room(name: str, *, program_id: str = PROGRAM, locked: bool = False) -> Room:
    """A room by table name; support rooms belong to SELF or OTHER."""
    if name == "own_support":
        return Room("r-own", program_id, RoomKind.SUPPORT, "Support", SELF, locked)
    if name == "other_support":
        return Room("r-other", program_id, RoomKind.SUPPORT, "Support", OTHER, locked)
    return Room(f"r-{name}", program_id, RoomKind(name), name.title(), None, locked)


def program(status: ProgramStatus) -> Program:
    return Program(id=PROGRAM, name="Spring cohort", kind=ProgramKind.CLOSED, status=status)


def account(*, admin: bool = False, staff: bool = False) -> Account:
    return Account("acct-1", "river@example.org", "River Stone", is_admin=admin, is_staff=staff)


# --- reading rooms (rule 1) -------------------------------------------------

READ_TABLE = [
    (PARTICIPANT, "preparation", None),
    (PARTICIPANT, "integration", None),
    (PARTICIPANT, "community", None),
    (PARTICIPANT, "staff", "staff_only"),
    (PARTICIPANT, "own_support", None),
    (PARTICIPANT, "other_support", "forbidden"),
    (FACILITATOR, "preparation", None),
    (FACILITATOR, "integration", None),
    (FACILITATOR, "community", None),
    (FACILITATOR, "staff", None),
    (FACILITATOR, "own_support", None),
    (FACILITATOR, "other_support", None),
    (LEAD, "preparation", None),
    (LEAD, "integration", None),
    (LEAD, "community", None),
    (LEAD, "staff", None),
    (LEAD, "own_support", None),
    (LEAD, "other_support", None),
]


@pytest.mark.parametrize(("role", "room_name", "code"), READ_TABLE)
def test_active_member_reads_rooms_by_role(role: Role, room_name: str, code: str | None) -> None:
    """An active member reads exactly the rooms their role allows, else a specific code."""
    target = room(room_name)
    reader = member(role)
    if code is None:
        assert check_can_read_room(reader, target) is reader
    else:
        with pytest.raises(Forbidden) as info:
            check_can_read_room(reader, target)
        assert info.value.code == code
    assert can_read_room(reader, target) is (code is None)


@pytest.mark.parametrize("room_name", ROOM_NAMES)
@pytest.mark.parametrize("role", STAFF_ROLES)
@pytest.mark.parametrize("status", [MemberStatus.INVITED, MemberStatus.CLEARED])
def test_staff_not_yet_active_read_every_room(
    status: MemberStatus, role: Role, room_name: str
) -> None:
    """An invited or cleared lead or facilitator reads every room of their program."""
    assert can_read_room(member(role, status), room(room_name)) is True


@pytest.mark.parametrize("room_name", ROOM_NAMES)
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("status", LOST_ACCESS)
def test_removed_or_withdrawn_member_reads_nothing(
    status: MemberStatus, role: Role, room_name: str
) -> None:
    """A removed or withdrawn member of any role reads no room and gets member_removed."""
    target = room(room_name)
    gone = member(role, status)
    assert can_read_room(gone, target) is False
    with pytest.raises(Forbidden) as info:
        check_can_read_room(gone, target)
    assert info.value.code == "member_removed"


@pytest.mark.parametrize("room_name", ROOM_NAMES)
@pytest.mark.parametrize("role", list(Role))
def test_member_of_another_program_reads_nothing(role: Role, room_name: str) -> None:
    """A member of another program cannot read any room here, staff included."""
    target = room(room_name)
    outsider = member(role, program_id=OTHER_PROGRAM)
    assert can_read_room(outsider, target) is False
    with pytest.raises(Forbidden) as info:
        check_can_read_room(outsider, target)
    assert info.value.code == "not_a_member"


@pytest.mark.parametrize("room_name", ROOM_NAMES)
def test_non_member_cannot_read(room_name: str) -> None:
    """Someone with no membership gets not_a_member for every room."""
    with pytest.raises(Forbidden) as info:
        check_can_read_room(None, room(room_name))
    assert info.value.code == "not_a_member"


def test_support_room_without_owner_is_staff_only() -> None:
    """A support room that names no participant is readable by staff but by no participant."""
    orphan = Room("r-orphan", PROGRAM, RoomKind.SUPPORT, "Support", None)
    assert can_read_room(member(PARTICIPANT), orphan) is False
    assert can_read_room(member(FACILITATOR), orphan) is True


@pytest.mark.parametrize("room_name", ROOM_NAMES)
def test_locked_room_stays_readable(room_name: str) -> None:
    """Locking a room makes it read-only, not invisible."""
    for role in Role:
        assert can_read_room(member(role), room(room_name, locked=True)) == can_read_room(
            member(role), room(room_name)
        )


@pytest.mark.parametrize("status", list(MemberStatus))
def test_member_has_access_by_status(status: MemberStatus) -> None:
    """Only withdrawn and removed members are refused with member_removed."""
    subject = member(PARTICIPANT, status)
    if status in LOST_ACCESS:
        with pytest.raises(Forbidden) as info:
            check_member_has_access(subject)
        assert info.value.code == "member_removed"
    else:
        assert check_member_has_access(subject) is subject


# --- posting (rules 1 and 8, program lifecycle) -----------------------------

POST_ROOMS = ("preparation", "integration", "community", "own_support", "staff")
# One row per program status; columns follow POST_ROOMS.
PARTICIPANT_POST = {
    DRAFT: ("program_not_started",) * 4 + ("staff_only",),
    ACTIVE: (None, None, None, None, "staff_only"),
    COMPLETED: ("room_read_only", "room_read_only", None, None, "staff_only"),
    ARCHIVED: ("program_archived",) * 4 + ("staff_only",),
}
PARTICIPANT_POST_LOCKED = {
    DRAFT: ("program_not_started",) * 4 + ("staff_only",),
    ACTIVE: ("room_locked",) * 4 + ("staff_only",),
    COMPLETED: ("room_read_only", "room_read_only", "room_locked", "room_locked", "staff_only"),
    ARCHIVED: ("program_archived",) * 4 + ("staff_only",),
}
STAFF_POST = {
    DRAFT: (None,) * 5,
    ACTIVE: (None,) * 5,
    COMPLETED: (None,) * 5,
    ARCHIVED: ("program_archived",) * 5,
}

POST_TABLE = [
    pytest.param(role, status, name, locked, codes[i], id=f"{role}-{status}-{name}-{locked=}")
    for role, locked, table in [
        (PARTICIPANT, False, PARTICIPANT_POST),
        (PARTICIPANT, True, PARTICIPANT_POST_LOCKED),
        (FACILITATOR, False, STAFF_POST),
        (FACILITATOR, True, STAFF_POST),
        (LEAD, False, STAFF_POST),
        (LEAD, True, STAFF_POST),
    ]
    for status, codes in table.items()
    for i, name in enumerate(POST_ROOMS)
]


@pytest.mark.parametrize(("role", "status", "room_name", "locked", "code"), POST_TABLE)
def test_posting_by_role_program_status_and_lock(
    role: Role, status: ProgramStatus, room_name: str, locked: bool, code: str | None
) -> None:
    """Posting follows role, program status and room lock, with a stable code when refused."""
    poster = member(role)
    target = room(room_name, locked=locked)
    if code is None:
        assert check_can_post(poster, program(status), target) is poster
    else:
        with pytest.raises(Forbidden) as info:
            check_can_post(poster, program(status), target)
        assert info.value.code == code


@pytest.mark.parametrize(
    ("subject", "room_name", "code"),
    [
        (None, "community", "not_a_member"),
        (member(PARTICIPANT, MemberStatus.REMOVED), "community", "member_removed"),
        (member(PARTICIPANT, MemberStatus.WITHDRAWN), "own_support", "member_removed"),
        (member(LEAD, MemberStatus.REMOVED), "staff", "member_removed"),
        (member(PARTICIPANT, program_id=OTHER_PROGRAM), "community", "not_a_member"),
        (member(FACILITATOR, program_id=OTHER_PROGRAM), "staff", "not_a_member"),
        (member(PARTICIPANT), "other_support", "forbidden"),
    ],
)
def test_posting_needs_read_access_first(subject: Member | None, room_name: str, code: str) -> None:
    """Whoever cannot read a room cannot post in it, even in an active program."""
    with pytest.raises(Forbidden) as info:
        check_can_post(subject, program(ACTIVE), room(room_name))
    assert info.value.code == code


# --- staff and program management ------------------------------------------


@pytest.mark.parametrize(
    ("subject", "code"),
    [
        (member(LEAD), None),
        (member(FACILITATOR), None),
        (member(PARTICIPANT), "staff_only"),
        (member(LEAD, MemberStatus.REMOVED), "member_removed"),
        (member(FACILITATOR, MemberStatus.WITHDRAWN), "member_removed"),
        (member(PARTICIPANT, MemberStatus.REMOVED), "member_removed"),
        (None, "not_a_member"),
    ],
)
def test_check_is_staff(subject: Member | None, code: str | None) -> None:
    """Only a current lead or facilitator passes the staff check."""
    if code is None:
        assert check_is_staff(subject) is subject
    else:
        with pytest.raises(Forbidden) as info:
            check_is_staff(subject)
        assert info.value.code == code


@pytest.mark.parametrize(
    ("who", "subject", "code"),
    [
        (account(admin=True), None, None),
        (account(admin=True), member(PARTICIPANT), None),
        (account(admin=True), member(PARTICIPANT, MemberStatus.REMOVED), None),
        (account(staff=True), member(LEAD), None),
        (account(), member(LEAD), None),
        (account(staff=True), member(FACILITATOR), "lead_only"),
        (account(), member(PARTICIPANT), "lead_only"),
        (account(staff=True), member(LEAD, MemberStatus.REMOVED), "member_removed"),
        (account(staff=True), member(LEAD, MemberStatus.WITHDRAWN), "member_removed"),
        (account(staff=True), None, "not_a_member"),
        (account(), None, "not_a_member"),
    ],
)
def test_check_can_manage_program(who: Account, subject: Member | None, code: str | None) -> None:
    """Admins and current leads of the program manage it; nobody else does."""
    if code is None:
        check_can_manage_program(who, subject)
    else:
        with pytest.raises(Forbidden) as info:
            check_can_manage_program(who, subject)
        assert info.value.code == code


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (account(admin=True), True),
        (account(staff=True), True),
        (account(admin=True, staff=True), True),
        (account(), False),
    ],
)
def test_check_can_create_program(who: Account, allowed: bool) -> None:
    """Only staff and admin accounts create programs."""
    if allowed:
        check_can_create_program(who)
    else:
        with pytest.raises(Forbidden) as info:
            check_can_create_program(who)
        assert info.value.code == "staff_only"


ALLOWED_TRANSITIONS = {(DRAFT, ACTIVE), (ACTIVE, COMPLETED), (COMPLETED, ARCHIVED)}


@pytest.mark.parametrize("target", list(ProgramStatus))
@pytest.mark.parametrize("current", list(ProgramStatus))
def test_program_transitions_go_forward_one_step(
    current: ProgramStatus, target: ProgramStatus
) -> None:
    """A program moves draft → active → completed → archived one step at a time, never back."""
    if (current, target) in ALLOWED_TRANSITIONS:
        check_program_transition(current, target)
    else:
        with pytest.raises(Conflict) as info:
            check_program_transition(current, target)
        assert info.value.code == "invalid_transition"
        assert current.value in info.value.message
        assert target.value in info.value.message


# --- room lists -------------------------------------------------------------

ALL_ROOMS = [room(name) for name in ROOM_NAMES] + [
    room("community", program_id=OTHER_PROGRAM),
    Room("r-x-staff", OTHER_PROGRAM, RoomKind.STAFF, "Staff"),
]


@pytest.mark.parametrize(
    ("subject", "expected_ids"),
    [
        (member(PARTICIPANT), ["r-preparation", "r-integration", "r-community", "r-own"]),
        (
            member(PARTICIPANT, member_id=OTHER),
            ["r-preparation", "r-integration", "r-community", "r-other"],
        ),
        (
            member(FACILITATOR),
            ["r-preparation", "r-integration", "r-community", "r-staff", "r-own", "r-other"],
        ),
        (
            member(LEAD),
            ["r-preparation", "r-integration", "r-community", "r-staff", "r-own", "r-other"],
        ),
        (member(PARTICIPANT, program_id=OTHER_PROGRAM), ["r-community"]),
        (member(LEAD, program_id=OTHER_PROGRAM), ["r-community", "r-x-staff"]),
        (member(PARTICIPANT, MemberStatus.REMOVED), []),
        (member(LEAD, MemberStatus.WITHDRAWN), []),
    ],
)
def test_visible_rooms(subject: Member, expected_ids: list[str]) -> None:
    """A member's room list holds exactly the rooms they may read, in the given order."""
    assert [r.id for r in visible_rooms(subject, ALL_ROOMS)] == expected_ids


# --- properties -------------------------------------------------------------

members = st.builds(
    member,
    st.sampled_from(list(Role)),
    st.sampled_from(list(MemberStatus)),
    program_id=st.sampled_from([PROGRAM, OTHER_PROGRAM]),
    member_id=st.sampled_from([SELF, OTHER]),
)
rooms = st.builds(
    Room,
    id=st.just("r"),
    program_id=st.sampled_from([PROGRAM, OTHER_PROGRAM]),
    kind=st.sampled_from(list(RoomKind)),
    title=st.just("Room"),
    participant_id=st.sampled_from([None, SELF, OTHER]),
    locked=st.booleans(),
)


@settings(database=None, max_examples=300)
@given(subject=members, target=rooms, status=st.sampled_from(list(ProgramStatus)))
def test_access_rules_hold_for_any_member_and_room(
    subject: Member, target: Room, status: ProgramStatus
) -> None:
    """Nobody reads another program's room, a staff room unless staff, or another's support room."""
    readable = can_read_room(subject, target)
    if readable:
        assert subject.program_id == target.program_id
        assert subject.status not in LOST_ACCESS
        if target.kind is RoomKind.STAFF:
            assert subject.is_staff
        if target.kind is RoomKind.SUPPORT and not subject.is_staff:
            assert target.participant_id == subject.id
    try:
        check_can_read_room(subject, target)
    except Forbidden:
        assert not readable
    else:
        assert readable
    try:
        check_can_post(subject, program(status), target)
    except Forbidden:
        pass
    else:
        assert readable
        assert status is not ARCHIVED
        if not subject.is_staff:
            assert not target.locked
            assert status is not DRAFT
