"""The domain vocabulary (DESIGN.md section 2): programs, members, rooms, events.

Plain frozen dataclasses and enums; adapters translate to and from storage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    LEAD = "lead"
    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"

    @property
    def is_staff(self) -> bool:
        return self is not Role.PARTICIPANT


class MemberStatus(StrEnum):
    INVITED = "invited"
    CLEARED = "cleared"
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    REMOVED = "removed"

    @property
    def has_access(self) -> bool:
        return self in (MemberStatus.INVITED, MemberStatus.CLEARED, MemberStatus.ACTIVE)


class ProgramKind(StrEnum):
    CLOSED = "closed"
    OPEN = "open"


class ProgramStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    COMPLETED = "completed"
    ARCHIVED = "archived"


class ContactExchange(StrEnum):
    """Rule 4–6: locked by default; a lead unlocks once the program is completed."""

    LOCKED = "locked"
    UNLOCKED = "unlocked"


class RoomKind(StrEnum):
    PREPARATION = "preparation"
    INTEGRATION = "integration"
    COMMUNITY = "community"
    STAFF = "staff"
    SUPPORT = "support"
    # A private conversation between participants: only after contact
    # exchange is unlocked (rule 5), only between mutual card sharers.
    DIRECT = "direct"


SESSION_ROOM_KINDS = frozenset({RoomKind.PREPARATION, RoomKind.INTEGRATION})
# Rooms every program starts with; support rooms appear per participant.
DEFAULT_ROOMS: tuple[tuple[RoomKind, str], ...] = (
    (RoomKind.PREPARATION, "Preparation circle"),
    (RoomKind.INTEGRATION, "Integration circle"),
    (RoomKind.COMMUNITY, "Between sessions"),
    (RoomKind.STAFF, "Staff room"),
)


class MessageState(StrEnum):
    VISIBLE = "visible"
    HELD = "held"
    REMOVED = "removed"
    DELETED = "deleted"
    # The program's retention period passed: the text is gone for everyone.
    PURGED = "purged"


class EventType(StrEnum):
    """Room events that get a sequence number (DESIGN.md section 4)."""

    MESSAGE_CREATED = "message.created"
    MESSAGE_EDITED = "message.edited"
    MESSAGE_DELETED = "message.deleted"
    REACTION_ADDED = "reaction.added"
    REACTION_REMOVED = "reaction.removed"
    # Moderation and circle flow (rules 8–10): staff changes everyone sees.
    MESSAGE_REMOVED = "message.removed"
    MESSAGE_PINNED = "message.pinned"
    MESSAGE_UNPINNED = "message.unpinned"
    ROOM_PHASE = "room.phase"
    ROOM_SETTINGS = "room.settings"
    ROUND_STARTED = "round.started"
    ROUND_TURN = "round.turn"
    ROUND_ENDED = "round.ended"
    CHECKIN_OPENED = "checkin.opened"
    CHECKIN_CLOSED = "checkin.closed"


# Events whose frame is their stored ``data`` (no message state joined in).
STATE_EVENTS = frozenset(
    {
        EventType.MESSAGE_PINNED,
        EventType.MESSAGE_UNPINNED,
        EventType.ROOM_PHASE,
        EventType.ROOM_SETTINGS,
        EventType.ROUND_STARTED,
        EventType.ROUND_TURN,
        EventType.ROUND_ENDED,
        EventType.CHECKIN_OPENED,
        EventType.CHECKIN_CLOSED,
    }
)


REACTIONS = frozenset({"resonate", "heart", "hug", "candle", "pray", "leaf"})


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    email: str
    real_name: str
    is_admin: bool
    is_staff: bool


@dataclass(frozen=True, slots=True)
class Program:
    id: str
    name: str
    kind: ProgramKind
    status: ProgramStatus
    region: str = "US"
    # The confidentiality agreement in force (rule 2); versions start at 1.
    agreement_version: int = 1
    contact_exchange: ContactExchange = ContactExchange.LOCKED
    retention_days: int = 180
    # Epoch milliseconds; set when the program is marked completed.
    completed_ms: int | None = None

    @property
    def contacts_locked(self) -> bool:
        return self.contact_exchange is ContactExchange.LOCKED


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    program_id: str
    account_id: str
    role: Role
    display_name: str
    status: MemberStatus
    joined_at: datetime | None = None
    # Rule 2: clearance recorded by staff (epoch ms), and the agreement
    # version this member accepted (0: none yet).
    cleared_ms: int | None = None
    accepted_version: int = 0

    @property
    def is_staff(self) -> bool:
        return self.role.is_staff

    def public_view(self) -> dict[str, str]:
        """What any other member may see (rule 7): pseudonym, opaque id, role."""
        return {"member_id": self.id, "display_name": self.display_name, "role": self.role.value}


@dataclass(frozen=True, slots=True)
class Room:
    id: str
    program_id: str
    kind: RoomKind
    title: str
    # The participant a support room belongs to; None for every other kind.
    participant_id: str | None = None
    locked: bool = False
    # The members of a direct room; empty for every other kind.
    member_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    room_id: str
    seq: int
    author_id: str
    client_id: str
    body: str | None
    state: MessageState
    created_at: datetime
    edited_at: datetime | None = None
    reply_to: str | None = None
    reactions: dict[str, list[str]] = field(default_factory=dict)
    # Why staff removed it (rule 8: the tombstone keeps the reason).
    removed_reason: str | None = None

    def public_view(self) -> dict[str, Any]:
        """The message as clients see it: text only while visible."""
        shown = self.state is MessageState.VISIBLE
        return {
            "message_id": self.id,
            "room_id": self.room_id,
            "seq": self.seq,
            "author_id": self.author_id,
            "client_id": self.client_id,
            "body": self.body if shown else None,
            "state": self.state.value,
            "created_at": self.created_at.isoformat(),
            "edited_at": self.edited_at.isoformat() if self.edited_at else None,
            "reply_to": self.reply_to,
            "reactions": {k: sorted(v) for k, v in self.reactions.items()} if shown else {},
            "removed_reason": self.removed_reason if self.state is MessageState.REMOVED else None,
        }
