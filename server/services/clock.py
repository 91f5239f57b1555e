"""The one place that reads the wall clock and makes ids (kept out of the domain)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


def utcnow() -> datetime:
    # MongoDB stores milliseconds; truncate so a value reads back equal.
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def new_id() -> str:
    """An opaque, unguessable id (rule 7: reveals nothing about the person)."""
    return secrets.token_urlsafe(12)


def now_ms() -> int:
    """Epoch milliseconds: how times written by updates are stored."""
    return int(utcnow().timestamp() * 1000)
