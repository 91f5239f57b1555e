"""Rules 4, 5 and 6: the contact lock, no private rooms between participants
while locked, and mutual-consent contact cards after unlock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .errors import Conflict, DomainError, Forbidden
from .model import Member, Program, ProgramStatus, Role

# What the sender reads when a message is held back; kind, never accusing.
_KIND_WORDS = {
    "email": "an email address",
    "phone": "a phone number",
    "url": "a link",
    "handle": "a social or messaging handle",
    "payment": "a payment handle",
    "address": "a street address",
}


class ContactBlocked(DomainError):
    """A message carrying contact details while the program's exchange is locked."""

    status = 422
    code = "contact_info_blocked"


def contact_blocked(kinds: Iterable[str]) -> ContactBlocked:
    found = sorted(set(kinds))
    words = [_KIND_WORDS.get(kind, kind) for kind in found]
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return ContactBlocked(
        f"It looks like this message includes {listed}. To keep the circle safe for "
        "everyone, contact details can't be shared until the program ends and your lead "
        "opens contact exchange. Your message wasn't sent — you're welcome to rephrase it.",
        kinds=found,
    )


def contact_lock_applies(member: Member, program: Program) -> bool:
    """Participants' messages are checked while the program's exchange is locked."""
    return program.contacts_locked and not member.is_staff


def check_can_open_private_room(member: Member, program: Program) -> None:
    """Rule 5: no private conversations between participants while locked."""
    if member.is_staff:
        return
    if program.contacts_locked:
        raise Forbidden(
            "Private conversations between participants open when the program ends and "
            "contact exchange is unlocked. Your support room with the care team is always "
            "there for you.",
            code="contact_exchange_locked",
        )


def check_can_set_contact_exchange(member: Member | None, program: Program) -> Member:
    """Rule 6: only a lead, and only once the program is completed."""
    if member is None or member.role is not Role.LEAD or not member.status.has_access:
        raise Forbidden("Only a program lead can change contact exchange.", code="lead_only")
    if program.status is not ProgramStatus.COMPLETED:
        raise Conflict(
            "Contact exchange can be unlocked only after the program is completed.",
            code="program_not_completed",
        )
    return member


def check_can_complete(member: Member | None) -> None:
    """Only a lead marks a program completed (admins included only as leads)."""
    if member is None or member.role is not Role.LEAD or not member.status.has_access:
        raise Forbidden("Only a program lead can complete the program.", code="lead_only")


# contact cards ----------------------------------------------------------------
CARD_FIELDS = ("name", "email", "phone", "handle", "note")


class ShareMode(StrEnum):
    NOBODY = "nobody"
    EVERYONE = "everyone"  # everyone who also shares with me
    CHOSEN = "chosen"  # only these members


@dataclass(frozen=True, slots=True)
class Sharing:
    member_id: str
    mode: ShareMode = ShareMode.NOBODY
    chosen: frozenset[str] = frozenset()

    def shares_with(self, other_id: str) -> bool:
        if other_id == self.member_id or self.mode is ShareMode.NOBODY:
            return False
        return self.mode is ShareMode.EVERYONE or other_id in self.chosen


def mutual(viewer: Sharing, owner: Sharing) -> bool:
    """Rule 6: B sees A's card only if A shares with B and B shares with A."""
    return owner.shares_with(viewer.member_id) and viewer.shares_with(owner.member_id)


def check_can_use_cards(member: Member, program: Program) -> None:
    """Cards are a participant's own, after unlock; staff can never read them."""
    if member.is_staff:
        raise Forbidden(
            "Contact cards are private between participants; the care team can't see them.",
            code="cards_participants_only",
        )
    if program.contacts_locked:
        raise Forbidden(
            "Contact cards open when your lead unlocks contact exchange after the program.",
            code="contact_exchange_locked",
        )


def check_share_targets(chosen: Iterable[str], participants: Iterable[Member]) -> frozenset[str]:
    """Chosen members must be participants of the same program (never staff)."""
    allowed = {m.id for m in participants if not m.is_staff and m.status.has_access}
    picked = frozenset(chosen)
    if not picked <= allowed:
        raise Forbidden(
            "You can share your card only with other participants of this program.",
            code="invalid_share_target",
        )
    return picked
