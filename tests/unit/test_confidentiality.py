"""Rules 2, 4, 5 and 6 as pure domain rules: admission, the contact-lock
policy, unlocking, and mutual-consent card sharing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.domain.admission import (
    admission_of,
    check_admitted,
    check_can_accept,
    check_can_clear,
    clean_agreement_text,
)
from server.domain.confidentiality import (
    ShareMode,
    Sharing,
    check_can_complete,
    check_can_open_private_room,
    check_can_set_contact_exchange,
    check_can_use_cards,
    check_share_targets,
    contact_blocked,
    contact_lock_applies,
    mutual,
)
from server.domain.errors import Conflict, DomainError, Forbidden, InvalidInput
from server.domain.model import (
    ContactExchange,
    Member,
    MemberStatus,
    Program,
    ProgramKind,
    ProgramStatus,
    Role,
)


def program(
    status: ProgramStatus = ProgramStatus.ACTIVE,
    exchange: ContactExchange = ContactExchange.LOCKED,
    version: int = 1,
) -> Program:
    return Program(
        "p",
        "Cohort",
        ProgramKind.CLOSED,
        status,
        agreement_version=version,
        contact_exchange=exchange,
    )


def member(
    role: Role = Role.PARTICIPANT,
    status: MemberStatus = MemberStatus.ACTIVE,
    cleared: bool = True,
    accepted: int = 1,
    member_id: str = "m1",
) -> Member:
    return Member(
        member_id,
        "p",
        "a-" + member_id,
        role,
        "Robin",
        status,
        cleared_ms=1 if cleared else None,
        accepted_version=accepted,
    )


# rule 2 ------------------------------------------------------------------------
def test_admitted_only_when_cleared_and_current_version_accepted() -> None:
    assert admission_of(member(), program()).admitted
    assert not admission_of(member(cleared=False), program()).admitted
    assert not admission_of(member(accepted=1), program(version=2)).admitted
    assert not admission_of(member(status=MemberStatus.CLEARED), program()).admitted
    assert not admission_of(member(status=MemberStatus.INVITED, cleared=False), program()).admitted


@pytest.mark.parametrize("role", [Role.LEAD, Role.FACILITATOR])
def test_staff_are_always_admitted(role: Role) -> None:
    check_admitted(member(role=role, cleared=False, accepted=0), program(version=7))


@pytest.mark.parametrize(
    ("who", "code"),
    [
        (member(status=MemberStatus.INVITED, cleared=False, accepted=0), "clearance_required"),
        (member(status=MemberStatus.CLEARED, accepted=0), "agreement_required"),
        (member(accepted=1), "agreement_required"),  # version 2 is current below
    ],
)
def test_check_admitted_names_what_is_missing(who: Member, code: str) -> None:
    with pytest.raises(Forbidden) as info:
        check_admitted(who, program(version=2))
    assert info.value.code == code


def test_accept_only_the_current_version_after_clearance() -> None:
    with pytest.raises(Forbidden):
        check_can_accept(member(status=MemberStatus.INVITED, cleared=False), program(), 1)
    with pytest.raises(Conflict) as info:
        check_can_accept(member(status=MemberStatus.CLEARED), program(version=3), 2)
    assert info.value.code == "agreement_outdated" and info.value.extra["agreement_version"] == 3
    with pytest.raises(InvalidInput):
        check_can_accept(member(role=Role.LEAD), program(), 1)
    check_can_accept(member(status=MemberStatus.CLEARED), program(version=3), 3)


def test_clearance_is_for_participants_still_in_the_program() -> None:
    with pytest.raises(InvalidInput):
        check_can_clear(member(role=Role.FACILITATOR))
    with pytest.raises(Conflict):
        check_can_clear(member(status=MemberStatus.REMOVED))
    check_can_clear(member(status=MemberStatus.INVITED, cleared=False))


@pytest.mark.parametrize("text", ["", "  \n\t ", "x" * 20_001])
def test_agreement_text_must_be_sensible(text: str) -> None:
    with pytest.raises(InvalidInput):
        clean_agreement_text(text)


def test_agreement_text_line_endings_are_normalized() -> None:
    assert clean_agreement_text(" a\r\nb\rc \n") == "a\nb\nc"


# rules 4 and 5 -------------------------------------------------------------------
def test_lock_applies_to_participants_while_locked() -> None:
    assert contact_lock_applies(member(), program())
    assert not contact_lock_applies(member(role=Role.FACILITATOR), program())
    assert not contact_lock_applies(member(), program(exchange=ContactExchange.UNLOCKED))


@pytest.mark.parametrize(
    ("kinds", "words"),
    [
        (["phone"], "a phone number"),
        (["email", "phone"], "an email address and a phone number"),
        (["url", "handle", "address"], "a street address, a social or messaging handle and a link"),
    ],
)
def test_blocked_message_is_kind_and_lists_the_kinds(kinds: list[str], words: str) -> None:
    error = contact_blocked(kinds)
    assert error.code == "contact_info_blocked" and error.status == 422
    assert words in error.message
    assert error.extra["kinds"] == sorted(kinds)
    for harsh in ("violation", "banned", "illegal", "warning"):
        assert harsh not in error.message.lower()


def test_private_rooms_wait_for_unlock() -> None:
    with pytest.raises(Forbidden) as info:
        check_can_open_private_room(member(), program(status=ProgramStatus.COMPLETED))
    assert info.value.code == "contact_exchange_locked"
    check_can_open_private_room(member(), program(exchange=ContactExchange.UNLOCKED))
    check_can_open_private_room(member(role=Role.LEAD), program())


# rule 6 --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "status", [ProgramStatus.DRAFT, ProgramStatus.ACTIVE, ProgramStatus.ARCHIVED]
)
def test_unlock_only_when_completed(status: ProgramStatus) -> None:
    with pytest.raises(Conflict):
        check_can_set_contact_exchange(member(role=Role.LEAD), program(status=status))


@pytest.mark.parametrize(
    "who",
    [
        None,
        member(role=Role.FACILITATOR),
        member(),
        member(role=Role.LEAD, status=MemberStatus.REMOVED),
    ],
)
def test_only_a_lead_unlocks_or_completes(who: Member | None) -> None:
    with pytest.raises(Forbidden):
        check_can_set_contact_exchange(who, program(status=ProgramStatus.COMPLETED))
    with pytest.raises(Forbidden):
        check_can_complete(who)


def test_cards_are_for_participants_after_unlock() -> None:
    unlocked = program(status=ProgramStatus.COMPLETED, exchange=ContactExchange.UNLOCKED)
    check_can_use_cards(member(), unlocked)
    with pytest.raises(Forbidden) as info:
        check_can_use_cards(member(role=Role.LEAD), unlocked)
    assert info.value.code == "cards_participants_only"
    with pytest.raises(Forbidden):
        check_can_use_cards(member(), program(status=ProgramStatus.COMPLETED))


def test_share_targets_are_fellow_participants() -> None:
    people = [member(member_id="a"), member(member_id="b"), member(Role.LEAD, member_id="s")]
    assert check_share_targets(["a", "b"], people) == {"a", "b"}
    for bad in (["s"], ["zz"], ["a", "s"]):
        with pytest.raises(Forbidden):
            check_share_targets(bad, people)


def test_nothing_is_shared_by_default() -> None:
    assert not mutual(Sharing("a"), Sharing("b"))
    assert not mutual(Sharing("a", ShareMode.EVERYONE), Sharing("b"))


modes = st.sampled_from(list(ShareMode))
ids = st.frozensets(st.sampled_from(["a", "b", "c"]))


@given(modes, ids, modes, ids)
def test_sharing_is_mutual_and_symmetric(
    mode_a: ShareMode, chosen_a: frozenset[str], mode_b: ShareMode, chosen_b: frozenset[str]
) -> None:
    """B sees A exactly when A shares with B and B with A — whichever way round."""
    a, b = Sharing("a", mode_a, chosen_a), Sharing("b", mode_b, chosen_b)
    assert mutual(a, b) == mutual(b, a) == (a.shares_with("b") and b.shares_with("a"))
    assert not a.shares_with("a")


def test_errors_are_domain_errors() -> None:
    assert issubclass(type(contact_blocked(["email"])), DomainError)
