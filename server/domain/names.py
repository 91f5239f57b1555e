"""Display names: pseudonyms unique within a program (DESIGN.md section 2, rule 7)."""

from __future__ import annotations

import re
import unicodedata

from .errors import InvalidInput

_ALLOWED_PUNCTUATION = frozenset(" '-_.")
_SPACES = re.compile(r"\s+")
# Letters and marks that render as nothing (variation selectors, fillers,
# the grapheme joiner): allowing them lets "Ana" and "Ana\ufe0f" coexist.
_INVISIBLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\uffa0\ufe00-\ufe0f\U000e0100-\U000e01ef]"
)


def normalize_display_name(raw: str, max_chars: int) -> str:
    """Return the cleaned name to show, or raise ``invalid_name``."""
    name = _SPACES.sub(" ", unicodedata.normalize("NFKC", raw)).strip()
    if not 2 <= len(name) <= max_chars:
        raise InvalidInput(
            f"Please choose a name between 2 and {max_chars} characters.", code="invalid_name"
        )
    if _INVISIBLE.search(name) or unicodedata.category(name[0])[0] not in ("L", "N"):
        raise InvalidInput(
            "Names need to start with a letter or number and use visible characters only.",
            code="invalid_name",
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
    folded = unicodedata.normalize("NFKC", name).casefold().replace(" ", "")
    # Removing a space can bring a combining mark next to a letter: compose again.
    return unicodedata.normalize("NFKC", folded)
