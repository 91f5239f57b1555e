"""Gapless per-room ordering and resume (DESIGN.md section 4).

``RoomSequencer`` turns events that may arrive out of order or twice (two
instances publish concurrently; a broker redelivers) into one in-order stream,
and says which sequence numbers are missing so the caller can fetch them from
storage. ``plan_resume`` decides what a reconnecting client gets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class ResumeKind(StrEnum):
    UP_TO_DATE = "up_to_date"
    REPLAY = "replay"
    RELOAD = "reload"


@dataclass(frozen=True, slots=True)
class ResumePlan:
    kind: ResumeKind
    after: int
    head: int


def plan_resume(after: int, head: int, window: int) -> ResumePlan:
    """A client saw up to ``after``; the room is at ``head``.

    More than ``window`` missed events, or a client ahead of the server
    (storage was reset), means the client must reload instead of replaying.
    """
    if after < 0 or after > head or head - after > window:
        return ResumePlan(ResumeKind.RELOAD, after, head)
    if after == head:
        return ResumePlan(ResumeKind.UP_TO_DATE, after, head)
    return ResumePlan(ResumeKind.REPLAY, after, head)


@dataclass(slots=True)
class RoomSequencer(Generic[T]):
    """Releases items strictly in sequence order, each once."""

    head: int = 0
    pending: dict[int, T] = field(default_factory=dict)

    def offer(self, seq: int, item: T) -> list[T]:
        """Accept one item; return every item now ready, in order."""
        if seq <= self.head or seq in self.pending:
            return []
        self.pending[seq] = item
        ready: list[T] = []
        while self.head + 1 in self.pending:
            self.head += 1
            ready.append(self.pending.pop(self.head))
        return ready

    @property
    def has_gap(self) -> bool:
        return bool(self.pending)

    def missing(self) -> tuple[int, int] | None:
        """The inclusive range to fetch from storage to close the gap."""
        if not self.pending:
            return None
        return self.head + 1, min(self.pending) - 1
