"""What each participant said last in each room, for the split-number check.

Rule 4 also covers a phone number typed over several consecutive messages.
This instance keeps each sender's last few accepted bodies per room for a
few minutes, in memory only (never stored, never logged), bounded in size.
A sender whose consecutive messages go through different instances is not
joined up; sockets stay on one instance between reconnects.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque

_KEPT_PER_SENDER = 5
_WINDOW_S = 300.0
_SENDERS_KEPT = 20_000
# Pieces of a split number are short; long messages are judged on their own.
SPLIT_PIECE_MAX_CHARS = 280


class RecentBodies:
    def __init__(self) -> None:
        self._recent: OrderedDict[tuple[str, str], deque[tuple[float, str]]] = OrderedDict()

    def get(self, room_id: str, member_id: str) -> list[str]:
        """The sender's recent bodies in the room, oldest first."""
        entries = self._recent.get((room_id, member_id))
        if not entries:
            return []
        cutoff = time.monotonic() - _WINDOW_S
        return [body for at, body in entries if at >= cutoff]

    def add(self, room_id: str, member_id: str, body: str) -> None:
        key = (room_id, member_id)
        if len(body) > SPLIT_PIECE_MAX_CHARS:
            # A long message ends any run of short pieces.
            self._recent.pop(key, None)
            return
        entries = self._recent.get(key)
        if entries is None:
            entries = self._recent[key] = deque(maxlen=_KEPT_PER_SENDER)
        entries.append((time.monotonic(), body))
        self._recent.move_to_end(key)
        while len(self._recent) > _SENDERS_KEPT:
            self._recent.popitem(last=False)

    def forget(self, room_id: str, member_id: str) -> None:
        self._recent.pop((room_id, member_id), None)
