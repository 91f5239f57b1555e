"""The Johari window exercise (issue 5): word choices, who takes part, and the window."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.domain.errors import Conflict, DomainError, Forbidden, InvalidInput
from server.domain.johari import (
    ADJECTIVES,
    MAX_PICKS,
    Exercise,
    ExerciseStatus,
    Pick,
    active_roster,
    check_can_start,
    check_closed,
    check_open,
    check_takes_part,
    check_target,
    choose_participants,
    clean_adjectives,
    finished_ids,
    window_for,
)
from server.domain.model import Member, MemberStatus, Program, ProgramKind, ProgramStatus, Role

PROGRAM = "prog-1"
OWNER = "owner"


def member(
    member_id: str,
    role: Role = Role.PARTICIPANT,
    status: MemberStatus = MemberStatus.ACTIVE,
    *,
    cleared: bool = True,
    accepted: int = 1,
    program_id: str = PROGRAM,
) -> Member:
    return Member(
        id=member_id,
        program_id=program_id,
        account_id=f"acct-{member_id}",
        role=role,
        display_name=member_id.title(),
        status=status,
        cleared_ms=1 if cleared else None,
        accepted_version=accepted,
    )


def program(status: ProgramStatus = ProgramStatus.ACTIVE, version: int = 1) -> Program:
    return Program(PROGRAM, "Spring", ProgramKind.CLOSED, status, agreement_version=version)


def exercise(*participants: str, status: ExerciseStatus = ExerciseStatus.OPEN) -> Exercise:
    return Exercise("ex-1", PROGRAM, status, tuple(participants), "lead", 1)


def code_of(error: pytest.ExceptionInfo[DomainError]) -> str:
    return error.value.code


# the word list --------------------------------------------------------------------
def test_the_list_is_the_standard_56() -> None:
    """The exercise uses the 56 standard words, each once, in alphabetical order."""
    assert len(ADJECTIVES) == 56
    assert len(set(ADJECTIVES)) == 56
    assert list(ADJECTIVES) == sorted(ADJECTIVES)
    assert {"able", "self-assertive", "self-conscious", "witty"} <= set(ADJECTIVES)


# choosing words -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given_words", "cleaned"),
    [
        (["warm"], ("warm",)),
        (["wise", "able", "kind"], ("able", "kind", "wise")),
        (["  Warm ", "CALM"], ("calm", "warm")),
        (["Self Assertive", "self_conscious"], ("self-assertive", "self-conscious")),
        (["self–assertive"], ("self-assertive",)),
        (list(ADJECTIVES[:MAX_PICKS]), ADJECTIVES[:MAX_PICKS]),
    ],
)
def test_valid_choices_are_normalised(given_words: list[str], cleaned: tuple[str, ...]) -> None:
    """1–10 listed words pass, case and spacing forgiven, in the list's order."""
    assert clean_adjectives(given_words) == cleaned


@pytest.mark.parametrize(
    ("given_words", "code"),
    [
        ([], "too_few_adjectives"),
        (list(ADJECTIVES[: MAX_PICKS + 1]), "too_many_adjectives"),
        (list(ADJECTIVES), "too_many_adjectives"),
        (["warm", "fabulous"], "unknown_adjective"),
        (["warm", ""], "unknown_adjective"),
        (["warm; drop table"], "unknown_adjective"),
        (["warm", "warm"], "duplicate_adjective"),
        (["warm", " WARM"], "duplicate_adjective"),
    ],
)
def test_invalid_choices_are_refused(given_words: list[str], code: str) -> None:
    """No words, more than ten, an unlisted word or a repeated one is refused."""
    with pytest.raises(InvalidInput) as error:
        clean_adjectives(given_words)
    assert code_of(error) == code


def test_unknown_words_are_named() -> None:
    """The refusal names the unlisted words so the client can point at them."""
    with pytest.raises(InvalidInput) as error:
        clean_adjectives(["warm", "Fabulous"])
    assert error.value.extra["unknown"] == ["fabulous"]


# who takes part -------------------------------------------------------------------
def test_only_admitted_participants_take_part() -> None:
    """Rule 2: staff, uncleared, unagreed and removed members are left out."""
    members = [
        member("lead", Role.LEAD),
        member("fran", Role.FACILITATOR),
        member("robin"),
        member("sky"),
        member("new", status=MemberStatus.INVITED, cleared=False, accepted=0),
        member("cleared", status=MemberStatus.CLEARED, accepted=0),
        member("gone", status=MemberStatus.REMOVED),
        member("left", status=MemberStatus.WITHDRAWN),
        member("elsewhere", program_id="prog-2"),
    ]
    assert choose_participants(members, program()) == ("robin", "sky")


@pytest.mark.parametrize(
    ("status", "participants", "code"),
    [
        (ProgramStatus.DRAFT, ("a", "b"), "program_not_active"),
        (ProgramStatus.COMPLETED, ("a", "b"), "program_not_active"),
        (ProgramStatus.ARCHIVED, ("a", "b"), "program_not_active"),
        (ProgramStatus.ACTIVE, (), "too_few_participants"),
        (ProgramStatus.ACTIVE, ("a",), "too_few_participants"),
    ],
)
def test_starting_needs_an_active_program_and_two_participants(
    status: ProgramStatus, participants: tuple[str, ...], code: str
) -> None:
    """An exercise starts only in an active program with at least two participants."""
    with pytest.raises(Conflict) as error:
        check_can_start(program(status), participants)
    assert code_of(error) == code


def test_starting_with_two_participants_is_allowed() -> None:
    """Two admitted participants in an active program are enough."""
    check_can_start(program(), ("a", "b"))


@pytest.mark.parametrize(
    ("who", "code"),
    [
        (member("lead", Role.LEAD), "participants_only"),
        (member("fran", Role.FACILITATOR), "participants_only"),
        (member("late"), "not_in_exercise"),
    ],
)
def test_only_the_starting_participants_take_part(who: Member, code: str) -> None:
    """Staff and participants who joined after the start choose no words."""
    with pytest.raises(Forbidden) as error:
        check_takes_part(who, exercise("robin", "sky"))
    assert code_of(error) == code


def test_a_starting_participant_takes_part() -> None:
    """A participant the exercise started with takes part."""
    check_takes_part(member("robin"), exercise("robin", "sky"))


@pytest.mark.parametrize(
    ("target", "code"),
    [
        (member("lead", Role.LEAD), "target_is_staff"),
        (member("fran", Role.FACILITATOR), "target_is_staff"),
        (None, "target_not_in_exercise"),
        (member("late"), "target_not_in_exercise"),
        (member("sky", program_id="prog-2"), "target_not_in_exercise"),
        (member("fran", Role.FACILITATOR, program_id="prog-2"), "target_not_in_exercise"),
        (member("sky", status=MemberStatus.REMOVED), "target_not_in_exercise"),
    ],
)
def test_words_go_only_to_people_in_the_exercise(target: Member | None, code: str) -> None:
    """Nobody chooses words for staff, outsiders or someone who has left."""
    with pytest.raises(Forbidden) as error:
        check_target(exercise("robin", "sky"), target)
    assert code_of(error) == code


def test_words_go_to_oneself_and_peers() -> None:
    """Oneself and any peer in the exercise are valid targets."""
    ex = exercise("robin", "sky")
    assert check_target(ex, member("robin")).id == "robin"
    assert check_target(ex, member("sky")).id == "sky"


def test_choices_change_only_while_open_and_windows_only_after() -> None:
    """An open exercise takes choices and shows no window; a closed one the reverse."""
    opened, closed = exercise("a", "b"), exercise("a", "b", status=ExerciseStatus.CLOSED)
    check_open(opened)
    check_closed(closed)
    with pytest.raises(Conflict) as error:
        check_open(closed)
    assert code_of(error) == "exercise_closed"
    with pytest.raises(Conflict) as error:
        check_closed(opened)
    assert code_of(error) == "exercise_still_open"


def test_the_roster_drops_members_who_lost_access() -> None:
    """Rule 3: a removed or withdrawn participant leaves the exercise's roster."""
    ex = exercise("robin", "sky", "jules", "noor")
    members = [
        member("robin"),
        member("sky", status=MemberStatus.REMOVED),
        member("jules", status=MemberStatus.WITHDRAWN),
        member("noor", status=MemberStatus.CLEARED),
        member("late"),
    ]
    assert active_roster(ex, members) == ("robin", "noor")


# the window -----------------------------------------------------------------------
def pick(chooser: str, target: str, *words: str) -> Pick:
    return Pick(chooser, target, frozenset(words))


def test_a_window_by_hand() -> None:
    """Open, blind, hidden and unknown, with how many peers chose each word."""
    roster = (OWNER, "p1", "p2", "p3")
    window = window_for(
        OWNER,
        [
            pick(OWNER, OWNER, "warm", "shy", "wise"),
            pick("p1", OWNER, "warm", "kind"),
            pick("p2", OWNER, "warm", "kind", "shy"),
            pick("p3", OWNER, "bold"),
            pick("p1", "p2", "tense"),  # for someone else
            pick("gone", OWNER, "silly"),  # not on the roster
        ],
        roster,
    )
    assert window.open == (("warm", 2), ("shy", 1))
    assert window.blind == (("kind", 2), ("bold", 1))
    assert window.hidden == ("wise",)
    assert "silly" in window.unknown and "tense" in window.unknown
    assert len(window.unknown) == 56 - 5
    assert window.peers == 3


def test_a_window_with_no_choices_is_all_unknown() -> None:
    """Before anyone chose, every word is unknown."""
    window = window_for(OWNER, [], (OWNER, "p1"))
    assert window.unknown == ADJECTIVES
    assert window.open == window.blind == ()
    assert window.hidden == ()


def test_an_outsider_has_an_empty_window() -> None:
    """Someone not on the roster gets no counts, even if words were stored for them."""
    window = window_for("late", [pick("p1", "late", "warm")], (OWNER, "p1"))
    assert window.unknown == ADJECTIVES and window.peers == 0


CHOOSERS = [f"m{index:03d}x" for index in range(12)]
words = st.frozensets(st.sampled_from(ADJECTIVES), min_size=1, max_size=MAX_PICKS)


@st.composite
def exercises(draw: st.DrawFn) -> tuple[tuple[str, ...], list[Pick]]:
    roster = (OWNER, *draw(st.lists(st.sampled_from(CHOOSERS), max_size=11, unique=True)))
    people = [*roster, *draw(st.lists(st.sampled_from(CHOOSERS), max_size=3, unique=True))]
    picks = draw(
        st.lists(
            st.builds(pick_of, st.sampled_from(people), st.sampled_from(people), words),
            max_size=40,
            unique_by=lambda p: (p.chooser_id, p.target_id),
        )
    )
    return roster, picks


def pick_of(chooser: str, target: str, chosen: frozenset[str]) -> Pick:
    return Pick(chooser, target, chosen)


@given(exercises())
def test_the_quadrants_partition_the_list(case: tuple[tuple[str, ...], list[Pick]]) -> None:
    """Every word lands in exactly one quadrant."""
    roster, picks = case
    window = window_for(OWNER, picks, roster)
    quadrants = [
        [word for word, _ in window.open],
        [word for word, _ in window.blind],
        list(window.hidden),
        list(window.unknown),
    ]
    everything = [word for quadrant in quadrants for word in quadrant]
    assert sorted(everything) == sorted(ADJECTIVES)
    assert len(everything) == len(set(everything))


@given(exercises())
def test_counts_are_how_many_peers_chose_each_word(
    case: tuple[tuple[str, ...], list[Pick]],
) -> None:
    """Open and blind counts are the number of roster peers who chose the word."""
    roster, picks = case
    window = window_for(OWNER, picks, roster)
    peer_picks = [
        p
        for p in picks
        if p.target_id == OWNER and p.chooser_id in roster and p.chooser_id != OWNER
    ]
    own = next((p.adjectives for p in picks if p.chooser_id == p.target_id == OWNER), frozenset())
    expected = {
        word: sum(word in p.adjectives for p in peer_picks)
        for word in ADJECTIVES
        if any(word in p.adjectives for p in peer_picks)
    }
    assert dict(window.open) | dict(window.blind) == expected
    assert {word for word, _ in window.open} == own & expected.keys()
    assert set(window.hidden) == own - expected.keys()
    assert window.peers == len(roster) - 1
    assert all(count >= 1 for _, count in (*window.open, *window.blind))


@given(exercises())
def test_a_window_never_names_a_chooser(case: tuple[tuple[str, ...], list[Pick]]) -> None:
    """Anonymity: nothing in the window identifies who chose what."""
    roster, picks = case
    shown = json.dumps(window_for(OWNER, picks, roster).to_dict())
    assert not any(chooser in shown for chooser in CHOOSERS)


# progress -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("chosen", "finished"),
    [
        ([], set()),
        ([("a", "a"), ("a", "b")], set()),
        ([("a", "a"), ("a", "b"), ("a", "c")], {"a"}),
        ([("a", "b"), ("a", "c")], set()),
        ([("b", "a"), ("b", "b"), ("b", "c"), ("c", "c"), ("c", "a")], {"b"}),
        # Choices by or for someone off the roster change nothing.
        ([("a", "a"), ("a", "b"), ("a", "c"), ("a", "gone"), ("gone", "gone")], {"a"}),
    ],
)
def test_finished_means_self_and_every_peer(
    chosen: list[tuple[str, str]], finished: set[str]
) -> None:
    """A participant has finished once they chose for themself and every peer."""
    assert finished_ids(("a", "b", "c"), chosen) == finished
