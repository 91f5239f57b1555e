"""Rule 2: a participant joins rooms only once cleared by staff and after
accepting the program's current confidentiality agreement.

A participant moves invited → cleared (staff record the screening) → active
(the current agreement version accepted). A new agreement version puts every
active participant back to cleared until they accept it again; the version
check below also closes the race between accepting and a new version.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Conflict, Forbidden, InvalidInput
from .model import Member, MemberStatus, Program

AGREEMENT_MAX_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class Admission:
    """Where a member stands on rule 2, as shown to them and to staff."""

    cleared: bool
    accepted_version: int
    current_version: int

    @property
    def agreement_accepted(self) -> bool:
        return self.accepted_version == self.current_version

    @property
    def admitted(self) -> bool:
        return self.cleared and self.agreement_accepted

    def to_dict(self) -> dict[str, object]:
        return {
            "cleared": self.cleared,
            "agreement_version": self.current_version,
            "agreement_accepted": self.agreement_accepted,
            "admitted": self.admitted,
        }


def admission_of(member: Member, program: Program) -> Admission:
    if member.is_staff:
        return Admission(True, program.agreement_version, program.agreement_version)
    return Admission(
        cleared=member.cleared_ms is not None
        and member.status in (MemberStatus.CLEARED, MemberStatus.ACTIVE),
        accepted_version=member.accepted_version if member.status is MemberStatus.ACTIVE else 0,
        current_version=program.agreement_version,
    )


def check_admitted(member: Member, program: Program) -> None:
    """Raise unless ``member`` may join and post in the program's rooms."""
    admission = admission_of(member, program)
    if not admission.cleared:
        raise Forbidden(
            "Your care team hasn't finished your clearance yet. You'll be able to join "
            "the circle as soon as they have.",
            code="clearance_required",
        )
    if not admission.agreement_accepted:
        raise Forbidden(
            "Please read and accept the circle's confidentiality agreement to join.",
            code="agreement_required",
            agreement_version=program.agreement_version,
        )


def check_can_clear(target: Member) -> None:
    """Staff record clearance for invited participants (re-clearing is a no-op)."""
    if target.is_staff:
        raise InvalidInput("Only participants need clearance.", code="not_a_participant")
    if not target.status.has_access:
        raise Conflict("This member has left the program.", code="member_removed")


def check_can_accept(member: Member, program: Program, version: int) -> None:
    """A participant accepts the version they read, and only the current one."""
    if member.is_staff:
        raise InvalidInput("Only participants accept the agreement.", code="not_a_participant")
    if member.cleared_ms is None or member.status is MemberStatus.INVITED:
        raise Forbidden(
            "Your care team hasn't finished your clearance yet.", code="clearance_required"
        )
    if version != program.agreement_version:
        raise Conflict(
            "The agreement was updated while you were reading — please read the new "
            "version and accept that one.",
            code="agreement_outdated",
            agreement_version=program.agreement_version,
        )


def clean_agreement_text(text: str) -> str:
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not cleaned:
        raise InvalidInput("The agreement needs some text.", code="empty_agreement")
    if len(cleaned) > AGREEMENT_MAX_CHARS:
        raise InvalidInput(
            f"The agreement can be at most {AGREEMENT_MAX_CHARS} characters.",
            code="agreement_too_long",
        )
    return cleaned
