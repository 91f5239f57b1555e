"""The Johari window group exercise (issue 5): who takes part, what a choice
may hold, and each participant's window.

Staff start an exercise in a program; every admitted participant (rule 2)
chooses 1–10 words from the standard 56 for themself and for each peer, and
may change them until staff close it. Then each participant sees their own
window:

                        chosen by self    not chosen by self
    chosen by a peer    open              blind
    chosen by no peer   hidden            unknown

Peers' choices are anonymous: ``window_for`` drops who chose before it
counts, so a window carries counts and never choosers. Nobody sees another
participant's choices, and nobody sees another's window unless its owner
shares it with the program.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .admission import admission_of
from .errors import Conflict, Forbidden, InvalidInput
from .model import Member, Program, ProgramStatus

# The standard list (Luft and Ingham, 1955), in alphabetical order.
ADJECTIVES: tuple[str, ...] = (
    "able",
    "accepting",
    "adaptable",
    "bold",
    "brave",
    "calm",
    "caring",
    "cheerful",
    "clever",
    "complex",
    "confident",
    "dependable",
    "dignified",
    "empathetic",
    "energetic",
    "extroverted",
    "friendly",
    "giving",
    "happy",
    "helpful",
    "idealistic",
    "independent",
    "ingenious",
    "intelligent",
    "introverted",
    "kind",
    "knowledgeable",
    "logical",
    "loving",
    "mature",
    "modest",
    "nervous",
    "observant",
    "organized",
    "patient",
    "powerful",
    "proud",
    "quiet",
    "reflective",
    "relaxed",
    "religious",
    "responsive",
    "searching",
    "self-assertive",
    "self-conscious",
    "sensible",
    "sentimental",
    "shy",
    "silly",
    "spontaneous",
    "sympathetic",
    "tense",
    "trustworthy",
    "warm",
    "wise",
    "witty",
)
_ORDER = {word: index for index, word in enumerate(ADJECTIVES)}
MIN_PICKS = 1
MAX_PICKS = 10
# With one participant there are no peers, so no window has anything to show.
MIN_PARTICIPANTS = 2
# "Self Assertive", "self_assertive" and "self–assertive" all mean the listed word.
_SEPARATORS = re.compile(r"[\s_\u2010-\u2015]+")


class ExerciseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Exercise:
    id: str
    program_id: str
    status: ExerciseStatus
    # The participants admitted when staff started it, in the program's order.
    participant_ids: tuple[str, ...]
    started_by: str
    started_ms: int
    closed_ms: int | None = None

    @property
    def is_open(self) -> bool:
        return self.status is ExerciseStatus.OPEN


@dataclass(frozen=True, slots=True)
class Pick:
    """The words one participant chose for one participant (possibly themself)."""

    chooser_id: str
    target_id: str
    adjectives: frozenset[str]


@dataclass(frozen=True, slots=True)
class Window:
    """One participant's window: counts per word, never who chose it."""

    member_id: str
    open: tuple[tuple[str, int], ...]
    blind: tuple[tuple[str, int], ...]
    hidden: tuple[str, ...]
    unknown: tuple[str, ...]
    # How many peers took part with this participant (the counts' denominator).
    peers: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "member_id": self.member_id,
            "open": [{"adjective": word, "count": count} for word, count in self.open],
            "blind": [{"adjective": word, "count": count} for word, count in self.blind],
            "hidden": list(self.hidden),
            "unknown": list(self.unknown),
            "peers": self.peers,
        }


def clean_adjectives(words: Iterable[str]) -> tuple[str, ...]:
    """1–10 distinct words from the list, in the list's order (issue 5)."""
    given = [_SEPARATORS.sub("-", word.strip()).casefold() for word in words]
    if len(given) < MIN_PICKS:
        raise InvalidInput("Please choose at least one word.", code="too_few_adjectives")
    if len(given) > MAX_PICKS:
        raise InvalidInput(
            f"Please choose at most {MAX_PICKS} words — the ones that fit best.",
            code="too_many_adjectives",
            max_picks=MAX_PICKS,
        )
    unknown = [word for word in given if word not in _ORDER]
    if unknown:
        raise InvalidInput(
            "Please choose words from the exercise's list.",
            code="unknown_adjective",
            unknown=unknown,
        )
    if len(set(given)) != len(given):
        raise InvalidInput("Each word can be chosen only once.", code="duplicate_adjective")
    return tuple(sorted(given, key=_ORDER.__getitem__))


def choose_participants(members: Iterable[Member], program: Program) -> tuple[str, ...]:
    """Who takes part: the participants admitted (rule 2) when the exercise starts."""
    return tuple(
        member.id
        for member in members
        if member.program_id == program.id
        and not member.is_staff
        and member.status.has_access
        and admission_of(member, program).admitted
    )


def check_can_start(program: Program, participant_ids: Collection[str]) -> None:
    """Staff start an exercise in an active program with at least two participants."""
    if program.status is not ProgramStatus.ACTIVE:
        raise Conflict(
            "An exercise can run only while the program is active.", code="program_not_active"
        )
    if len(participant_ids) < MIN_PARTICIPANTS:
        raise Conflict(
            "The exercise needs at least two participants who have joined the circle.",
            code="too_few_participants",
            min_participants=MIN_PARTICIPANTS,
        )


def active_roster(exercise: Exercise, members: Iterable[Member]) -> tuple[str, ...]:
    """The exercise's participants who still have access (rule 3): only they
    count — a removed member's choices leave every window and every progress."""
    current = {member.id for member in members if member.status.has_access}
    return tuple(member_id for member_id in exercise.participant_ids if member_id in current)


def check_takes_part(member: Member, exercise: Exercise) -> None:
    """Only the participants the exercise started with choose words and have a window."""
    if member.is_staff:
        raise Forbidden(
            "The care team guides the exercise; only participants choose words.",
            code="participants_only",
        )
    if member.id not in exercise.participant_ids:
        raise Forbidden(
            "This exercise started before you joined the circle — you'll be in the next one.",
            code="not_in_exercise",
        )


def check_target(exercise: Exercise, target: Member | None) -> Member:
    """Words go to oneself or a peer in the exercise — never to staff or outsiders."""
    if target is not None and target.program_id == exercise.program_id and target.is_staff:
        raise Forbidden(
            "The exercise is among participants — the care team doesn't get words.",
            code="target_is_staff",
        )
    if (
        target is None
        or target.program_id != exercise.program_id
        or target.id not in exercise.participant_ids
        or not target.status.has_access
    ):
        raise Forbidden(
            "You can choose words only for yourself and the others taking part.",
            code="target_not_in_exercise",
        )
    return target


def check_open(exercise: Exercise) -> None:
    """Choices can change until staff close the exercise."""
    if not exercise.is_open:
        raise Conflict(
            "This exercise is closed, so choices can't change any more.", code="exercise_closed"
        )


def check_closed(exercise: Exercise) -> None:
    """Windows appear only once the exercise is closed: a window that changed as
    each peer finished would tell who chose what."""
    if exercise.is_open:
        raise Conflict(
            "Windows open once the care team closes the exercise.", code="exercise_still_open"
        )


def window_for(target_id: str, picks: Iterable[Pick], roster: Collection[str]) -> Window:
    """``target_id``'s window from everyone's picks; only roster members count."""
    mine: frozenset[str] = frozenset()
    counts: Counter[str] = Counter()
    if target_id in roster:
        for pick in picks:
            if pick.target_id != target_id or pick.chooser_id not in roster:
                continue
            if pick.chooser_id == target_id:
                mine = pick.adjectives & _ORDER.keys()
            else:
                # The chooser's id ends here: only the words go on.
                counts.update(pick.adjectives & _ORDER.keys())
    ranked = sorted(counts, key=lambda word: (-counts[word], _ORDER[word]))
    return Window(
        member_id=target_id,
        open=tuple((word, counts[word]) for word in ranked if word in mine),
        blind=tuple((word, counts[word]) for word in ranked if word not in mine),
        hidden=tuple(word for word in ADJECTIVES if word in mine and word not in counts),
        unknown=tuple(word for word in ADJECTIVES if word not in mine and word not in counts),
        peers=max(len(roster) - 1, 0) if target_id in roster else 0,
    )


def finished_ids(roster: Collection[str], chosen: Iterable[tuple[str, str]]) -> frozenset[str]:
    """Who has chosen for themself and every peer, from (chooser, target) pairs:
    what staff see of the exercise — progress, never the words."""
    wanted = frozenset(roster)
    done: dict[str, set[str]] = {member_id: set() for member_id in wanted}
    for chooser_id, target_id in chosen:
        if chooser_id in done and target_id in wanted:
            done[chooser_id].add(target_id)
    return frozenset(member_id for member_id, targets in done.items() if targets == wanted)
