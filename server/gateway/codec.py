"""Frames ⇄ commands: parse and validate one client frame. No I/O."""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import ValidationError

from ..domain.errors import InvalidInput, TooLarge
from ..domain.limits import check_json_depth
from .protocol import CLIENT_FRAME, FRAME_TYPES, Auth, Command


def decode_frame(text: str, *, max_bytes: int, max_depth: int) -> Auth | Command:
    """Parse one text frame, or raise a domain error with a field path."""
    if len(text) > max_bytes:  # characters ≤ bytes, a cheap first bound
        raise TooLarge(f"Frames can be at most {max_bytes} bytes.", code="frame_too_large")
    try:
        raw = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        if "depth limit" in str(exc) or "recursion" in str(exc).lower():
            # Valid JSON nested past the parser's own limit (1024).
            raise InvalidInput(
                f"That message is nested too deeply (at most {max_depth} levels).", code="too_deep"
            ) from None
        raise InvalidInput("That frame isn't valid JSON.", code="bad_json") from None
    check_json_depth(raw, max_depth)
    if not isinstance(raw, dict):
        raise InvalidInput("A frame must be a JSON object.", code="bad_frame")
    frame_type = raw.get("type")
    if not isinstance(frame_type, str) or frame_type not in FRAME_TYPES:
        raise InvalidInput("Unknown frame type.", code="unknown_type", known=sorted(FRAME_TYPES))
    try:
        return CLIENT_FRAME.validate_python(raw)
    except ValidationError as exc:
        raise InvalidInput(_describe(exc), code="bad_frame", fields=_fields(exc)) from None


def encode(frame: dict[str, Any]) -> str:
    """Encode a server frame once; the same text goes to every member."""
    return orjson.dumps(frame).decode()


def ref_of(text: str) -> str | None:
    """Best-effort ``ref`` of a frame that failed validation, to echo it."""
    try:
        raw = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    ref = raw.get("ref") if isinstance(raw, dict) else None
    return ref if isinstance(ref, str) and len(ref) <= 64 else None


def _fields(exc: ValidationError) -> list[dict[str, Any]]:
    return [
        {"path": ".".join(str(p) for p in err["loc"][1:]) or "(frame)", "problem": err["msg"]}
        for err in exc.errors(include_url=False, include_input=False)[:5]
    ]


def _describe(exc: ValidationError) -> str:
    first = exc.errors(include_url=False, include_input=False)[0]
    path = ".".join(str(p) for p in first["loc"][1:]) or "frame"
    if first["type"] == "string_pattern_mismatch":
        hint = "must be a UUID" if path == "client_id" else "has characters that aren't allowed"
        return f"Field {path!r} {hint}."
    return f"Field {path!r}: {first['msg'].rstrip('.')}."
