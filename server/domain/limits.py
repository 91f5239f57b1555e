"""Size and shape limits on what people send (DESIGN.md rule 12)."""

from __future__ import annotations

import unicodedata
from typing import Any

from .errors import InvalidInput, TooLarge

# Control characters other than newline and tab make no sense in a chat body
# and are a classic way to hide text; format characters (zero-width, bidi
# overrides) are kept for now — the contact detector normalizes them away.
_ALLOWED_CONTROLS = frozenset("\n\t")
# Characters that print as nothing although they are not whitespace: a body
# made only of these (and format characters) would show as a blank message.
_BLANK_LOOKING = frozenset("\u2800\u3164\u115f\u1160\uffa0\u034f")


def _is_visible(char: str) -> bool:
    return not (
        char.isspace()
        or char in _BLANK_LOOKING
        or unicodedata.category(char) in ("Cf", "Cc", "Mn", "Me")
    )


def check_json_depth(value: Any, max_depth: int) -> None:
    """Reject documents nested deeper than ``max_depth`` (iteratively: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > max_depth:
                raise InvalidInput(
                    f"That message is nested too deeply (at most {max_depth} levels).",
                    code="too_deep",
                )
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)


def clean_body(raw: str, max_chars: int) -> str:
    """A message body: trimmed, non-empty, bounded, no control characters."""
    body = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not any(_is_visible(char) for char in body):
        raise InvalidInput("A message can't be empty.", code="empty_body")
    if len(body) > max_chars:
        raise TooLarge(
            f"Messages can be up to {max_chars} characters; this one has {len(body)}.",
            code="body_too_long",
            max_chars=max_chars,
        )
    for char in body:
        if char not in _ALLOWED_CONTROLS and unicodedata.category(char) == "Cc":
            raise InvalidInput("That message contains control characters.", code="invalid_body")
    return body
