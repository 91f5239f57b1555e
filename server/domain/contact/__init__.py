"""The contact lock's detector (DESIGN.md rule 4): pure text matching, no I/O.

``find_contacts`` reads one message; ``find_split_contacts`` reads a message together
with the same sender's previous few, for numbers and handles typed in pieces.
"""

from __future__ import annotations

from .detect import find_contacts, find_split_contacts
from .kinds import ContactKind

__all__ = ["ContactKind", "find_contacts", "find_split_contacts"]
