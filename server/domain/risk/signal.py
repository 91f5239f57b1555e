"""What the risk detector reports (DESIGN.md rule 11)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RiskKind(StrEnum):
    """The kind of risk a message suggests."""

    SUICIDE = "suicide"
    SELF_HARM = "self_harm"
    HOPELESSNESS = "hopelessness"


@dataclass(frozen=True, slots=True)
class RiskSignal:
    """A message suggests risk of these kinds: staff are alerted, the message is delivered."""

    kinds: frozenset[RiskKind]
