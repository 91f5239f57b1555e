"""The kinds of contact information the contact lock refuses (DESIGN.md rule 4)."""

from __future__ import annotations

from enum import StrEnum


class ContactKind(StrEnum):
    """One kind of contact information; the value is what clients are told."""

    EMAIL = "email"
    PHONE = "phone"
    URL = "url"
    HANDLE = "handle"
    PAYMENT = "payment"
    ADDRESS = "address"
