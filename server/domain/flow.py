"""Circle flow (DESIGN.md rules 8–10): session phases, who may speak, and the
talking piece.

A session room (preparation or integration) moves through preparation →
dosing → journey → integration → closed. Staff set the phase (forward, or
back to correct a mistake, or reopened for the next session). In dosing and
journey the room is quiet for participants; closed is read-only for them.
Staff are never silenced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from .errors import Conflict, Forbidden, InvalidInput
from .model import SESSION_ROOM_KINDS, Member, Room


class Phase(StrEnum):
    PREPARATION = "preparation"
    DOSING = "dosing"
    JOURNEY = "journey"
    INTEGRATION = "integration"
    CLOSED = "closed"


PHASE_ORDER = tuple(Phase)
QUIET_PHASES = frozenset({Phase.DOSING, Phase.JOURNEY})
SLOW_MODE_MAX_S = 3600
MUTE_MAX_S = 7 * 24 * 3600
REASON_MAX_CHARS = 500


@dataclass(frozen=True, slots=True)
class Round:
    """A sharing round: one speaker holds the floor at a time."""

    id: str
    order: tuple[str, ...]
    index: int = 0

    @property
    def current(self) -> str | None:
        return self.order[self.index] if self.index < len(self.order) else None

    @property
    def next(self) -> str | None:
        return self.order[self.index + 1] if self.index + 1 < len(self.order) else None

    @property
    def finished(self) -> bool:
        return self.index >= len(self.order)

    def to_dict(self) -> dict[str, object]:
        return {
            "round_id": self.id,
            "order": list(self.order),
            "index": self.index,
            "current": self.current,
            "next": self.next,
        }


@dataclass(frozen=True, slots=True)
class RoomState:
    """What moderation and flow hold for a room (beside ``Room.locked``)."""

    phase: Phase | None = None
    premoderation: bool = False
    slow_mode_s: int = 0
    pinned: tuple[str, ...] = ()
    removed: frozenset[str] = frozenset()
    # member id → epoch ms until which they are muted here
    muted: tuple[tuple[str, int], ...] = ()
    round: Round | None = None
    checkin_id: str | None = None

    def muted_until(self, member_id: str) -> int:
        return max((until for who, until in self.muted if who == member_id), default=0)

    def public_view(self, locked: bool) -> dict[str, object]:
        """What every reader of the room may know (never mutes or removals)."""
        return {
            "phase": self.phase.value if self.phase else None,
            "locked": locked,
            "premoderation": self.premoderation,
            "slow_mode_s": self.slow_mode_s,
            "pinned": list(self.pinned),
            "round": self.round.to_dict() if self.round else None,
            "checkin_id": self.checkin_id,
        }


def initial_phase(room: Room) -> Phase | None:
    return Phase.PREPARATION if room.kind in SESSION_ROOM_KINDS else None


# who may speak -----------------------------------------------------------------
def check_can_speak(member: Member, state: RoomState, now_ms: int) -> None:
    """Rules 8–10 for a participant's post (staff are never silenced)."""
    if member.is_staff:
        return
    if state.phase in QUIET_PHASES:
        raise Forbidden(
            "The circle is journeying now, so the room is quiet. You can answer "
            "check-ins or ask for support at any time.",
            code="room_quiet",
            phase=state.phase.value if state.phase else None,
        )
    if state.phase is Phase.CLOSED:
        raise Forbidden("This session has closed; the room is read-only.", code="session_closed")
    until = state.muted_until(member.id)
    if until > now_ms:
        raise Forbidden(
            "A facilitator has paused your messages in this room for a little while. "
            "You can still ask for support at any time.",
            code="muted",
            until_ms=until,
        )
    if state.round is not None and state.round.current not in (None, member.id):
        raise Forbidden(
            "Someone else holds the talking piece right now; you can react while you listen.",
            code="not_your_turn",
            speaker=state.round.current,
        )


def check_can_react_here(member: Member, state: RoomState, now_ms: int) -> None:
    """Reactions are allowed during a round, not in a quiet phase or while muted."""
    if member.is_staff:
        return
    check_can_speak(member, replace(state, round=None), now_ms)


def check_not_removed(member: Member, state: RoomState) -> None:
    if member.id in state.removed and not member.is_staff:
        raise Forbidden(
            "A facilitator has asked you to step out of this room.", code="removed_from_room"
        )


# staff changes -----------------------------------------------------------------
def check_phase_change(room: Room, state: RoomState, target: Phase) -> None:
    if room.kind not in SESSION_ROOM_KINDS:
        raise InvalidInput("Only session rooms have phases.", code="not_a_session_room")
    if state.phase is target:
        raise Conflict(f"The room is already in {target.value}.", code="same_phase")


def check_slow_mode(seconds: int) -> int:
    if not 0 <= seconds <= SLOW_MODE_MAX_S:
        raise InvalidInput(
            f"Slow mode is between 0 and {SLOW_MODE_MAX_S} seconds.", code="invalid_slow_mode"
        )
    return seconds


def check_mute(target: Member, seconds: int) -> None:
    if target.is_staff:
        raise InvalidInput("Staff can't be muted.", code="cannot_moderate_staff")
    if not 1 <= seconds <= MUTE_MAX_S:
        raise InvalidInput(
            f"A mute lasts between 1 second and {MUTE_MAX_S // 86400} days.", code="invalid_mute"
        )


def check_reason(reason: str, *, required: bool = False) -> str:
    cleaned = " ".join(reason.split())
    if required and not cleaned:
        raise InvalidInput("Please give a short reason.", code="reason_required")
    if len(cleaned) > REASON_MAX_CHARS:
        raise InvalidInput(
            f"A reason can be at most {REASON_MAX_CHARS} characters.", code="reason_too_long"
        )
    return cleaned


# the talking piece -------------------------------------------------------------
def start_round(round_id: str, order: Sequence[str], participants: Sequence[str]) -> Round:
    """A round over ``order`` (default: the participants present, in join order)."""
    speakers = tuple(dict.fromkeys(order or participants))
    if not speakers:
        raise InvalidInput("Nobody is here to share yet.", code="empty_round")
    unknown = set(speakers) - set(participants)
    if unknown:
        raise InvalidInput(
            "Every speaker must be a participant of this room.", code="invalid_speakers"
        )
    return Round(round_id, speakers)


class TurnEnd(StrEnum):
    PASS = "pass"  # noqa: S105 - the speaker passes without sharing (not a password)
    FINISH = "finish"  # the speaker is done
    ADVANCE = "advance"  # the facilitator moves on
    SKIP = "skip"  # the facilitator (or a disconnect) skips the speaker


def check_turn_end(member: Member, current: Round | None, how: TurnEnd) -> Round:
    if current is None or current.finished:
        raise Conflict("No sharing round is running here.", code="no_round")
    if how in (TurnEnd.PASS, TurnEnd.FINISH):
        if current.current != member.id:
            raise Forbidden("Only the current speaker can pass or finish.", code="not_your_turn")
    elif not member.is_staff:
        raise Forbidden("Only the care team can move the round on.", code="staff_only")
    return replace(current, index=current.index + 1)
