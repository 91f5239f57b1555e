"""Display names: pseudonyms unique within a program (DESIGN.md section 2, rule 7)."""

from __future__ import annotations

import re
import unicodedata

from .errors import InvalidInput

_ALLOWED_PUNCTUATION = frozenset(" '-_.")
_SPACES = re.compile(r"\s+")


def normalize_display_name(raw: str, max_chars: int) -> str:
    """Return the cleaned name to show, or raise ``invalid_name``."""
    name = _SPACES.sub(" ", unicodedata.normalize("NFKC", raw)).strip()
    if not 2 <= len(name) <= max_chars:
        raise InvalidInput(
            f"Please choose a name between 2 and {max_chars} characters.", code="invalid_name"
        )
    for char in name:
        if char in _ALLOWED_PUNCTUATION:
            continue
        category = unicodedata.category(char)
        if category[0] not in ("L", "N", "M"):
            raise InvalidInput(
                "Names can use letters, numbers, spaces and ' - _ . only.", code="invalid_name"
            )
    return name


def display_name_key(name: str) -> str:
    """The uniqueness key: 'Ana', 'ana' and 'ＡＮＡ' are the same name."""
    return unicodedata.normalize("NFKC", name).casefold().replace(" ", "")
