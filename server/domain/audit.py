"""Audit entries (DESIGN.md section 2): who did what to whom, when.

Append-only. Entries never carry message text or contact details — only
ids, kinds and counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class AuditAction(StrEnum):
    # membership and rule 2
    MEMBER_INVITED = "member.invited"
    MEMBER_JOINED = "member.joined"
    MEMBER_CLEARED = "member.cleared"
    MEMBER_REMOVED = "member.removed"
    MEMBER_WITHDRAWN = "member.withdrawn"
    STAFF_ADDED = "staff.added"
    AGREEMENT_PUBLISHED = "agreement.published"
    AGREEMENT_ACCEPTED = "agreement.accepted"
    PROGRAM_STATUS = "program.status"
    # confidentiality (rules 4–6, 13, 14)
    CONTACT_BLOCKED = "contact.blocked"
    PRIVATE_ROOM_REFUSED = "private_room.refused"
    CONTACT_EXCHANGE = "contact_exchange.changed"
    CARD_SHARING = "card.sharing_changed"
    DATA_EXPORTED = "data.exported"
    MESSAGES_ERASED = "messages.erased"
    RETENTION_PURGED = "retention.purged"
    KEYS_ROTATED = "keys.rotated"
    # moderation and circle flow (rules 8–11)
    MESSAGE_REMOVED = "message.removed"
    MESSAGE_PINNED = "message.pinned"
    MESSAGE_UNPINNED = "message.unpinned"
    MESSAGE_APPROVED = "message.approved"
    MESSAGE_REJECTED = "message.rejected"
    ROOM_SETTINGS = "room.settings"
    MEMBER_MUTED = "member.muted"
    MEMBER_UNMUTED = "member.unmuted"
    MEMBER_REMOVED_FROM_ROOM = "member.removed_from_room"
    MEMBER_RESTORED_TO_ROOM = "member.restored_to_room"
    REPORT_FILED = "report.filed"
    REPORT_RESOLVED = "report.resolved"
    PHASE_CHANGED = "room.phase"
    ROUND_STARTED = "round.started"
    CHECKIN_OPENED = "checkin.opened"
    ALERT_ACKNOWLEDGED = "alert.acknowledged"
    # the Johari window exercise (never the words chosen)
    JOHARI_STARTED = "johari.started"
    JOHARI_PICKS_SAVED = "johari.picks_saved"
    JOHARI_CLOSED = "johari.closed"
    JOHARI_SHARED = "johari.shared"
    JOHARI_UNSHARED = "johari.unshared"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    program_id: str
    action: AuditAction
    # The acting member (None for the system, e.g. the retention job).
    actor_id: str | None
    target_id: str | None = None
    room_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
