"""Parsing one client frame, with hostile input (docs/protocol.md, DESIGN.md rule 12)."""

from __future__ import annotations

import json
import typing
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain.errors import DomainError, InvalidInput, TooLarge
from server.gateway.codec import decode_frame, encode, ref_of
from server.gateway.protocol import (
    FRAME_TYPES,
    Auth,
    Command,
    Delete,
    Edit,
    History,
    Join,
    Leave,
    Ping,
    React,
    Send,
    Typing,
)

MAX_BYTES = 4096
MAX_DEPTH = 8
CLIENT_ID = "0b7e1f3c-2a4d-4c1e-9f00-5a6b7c8d9e0f"
KNOWN_CODES = {"bad_json", "bad_frame", "too_deep", "unknown_type", "frame_too_large"}


def decode(text: str) -> Any:
    return decode_frame(text, max_bytes=MAX_BYTES, max_depth=MAX_DEPTH)


def frame(**fields: Any) -> str:
    return json.dumps(fields)


def nested(depth: int) -> str:
    """A JSON value of ``depth`` nested arrays."""
    return "[" * depth + "]" * depth


def assert_human(message: str) -> None:
    """One kind sentence for a person: no parser internals, no stack traces, no links."""
    assert isinstance(message, str)
    assert message.strip() == message
    assert message
    assert "\n" not in message
    assert message[0].isupper()
    assert message.endswith(".")
    for internal in ("Traceback", "orjson", "pydantic", "http://", "https://", "char ", "line 1"):
        assert internal not in message


def refused(text: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        decode(text)
    assert_human(info.value.message)
    return info.value


# --- accepted frames --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (frame(type="ping"), Ping(type="ping")),
        (frame(type="ping", ref="r-1"), Ping(type="ping", ref="r-1")),
        (frame(type="auth", token="abc.def.ghi"), Auth(type="auth", token="abc.def.ghi")),
        (frame(type="join", room_id="room_1-A"), Join(type="join", room_id="room_1-A")),
        (frame(type="join", room_id="r", after=0), Join(type="join", room_id="r", after=0)),
        (frame(type="join", room_id="r", after=None), Join(type="join", room_id="r")),
        (frame(type="leave", room_id="r"), Leave(type="leave", room_id="r")),
        (
            frame(type="send", room_id="r", client_id=CLIENT_ID, body="hi", reply_to="m-1"),
            Send(type="send", room_id="r", client_id=CLIENT_ID, body="hi", reply_to="m-1"),
        ),
        (
            frame(type="send", room_id="r", client_id=CLIENT_ID.replace("-", ""), body="hi"),
            Send(type="send", room_id="r", client_id=CLIENT_ID.replace("-", ""), body="hi"),
        ),
        (
            frame(type="send", room_id="r", client_id=CLIENT_ID.upper(), body=""),
            Send(type="send", room_id="r", client_id=CLIENT_ID.upper(), body=""),
        ),
        (
            frame(type="edit", room_id="r", client_id=CLIENT_ID, message_id="m", body="x"),
            Edit(type="edit", room_id="r", client_id=CLIENT_ID, message_id="m", body="x"),
        ),
        (
            frame(type="delete", room_id="r", client_id=CLIENT_ID, message_id="m"),
            Delete(type="delete", room_id="r", client_id=CLIENT_ID, message_id="m"),
        ),
        (
            frame(
                type="react",
                room_id="r",
                client_id=CLIENT_ID,
                message_id="m",
                reaction="heart",
                on=False,
            ),
            React(
                type="react",
                room_id="r",
                client_id=CLIENT_ID,
                message_id="m",
                reaction="heart",
                on=False,
            ),
        ),
        (frame(type="typing", room_id="r"), Typing(type="typing", room_id="r")),
        (frame(type="history", room_id="r"), History(type="history", room_id="r", limit=50)),
        (
            frame(type="history", room_id="r", before=1, limit=1000),
            History(type="history", room_id="r", before=1, limit=1000),
        ),
    ],
)
def test_decode_frame_accepts_well_formed_frames(text: str, expected: object) -> None:
    """Each well-formed frame type decodes to its command with defaults filled in."""
    decoded = decode(text)
    assert type(decoded) is type(expected)
    assert decoded == expected


def test_every_frame_type_is_covered() -> None:
    """The frame types the codec accepts are exactly the frames the protocol defines."""
    defined = {
        model.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
        for model in (Auth, *typing.get_args(Command))
    }
    assert defined == FRAME_TYPES
    assert len(FRAME_TYPES) == 27


# --- refused frames ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param("{", id="unterminated"),
        pytest.param("ping", id="bare-word"),
        pytest.param("{'type': 'ping'}", id="single-quotes"),
        pytest.param('{"type": "ping",}', id="trailing-comma"),
        pytest.param('{type: "ping"}', id="unquoted-key"),
        pytest.param("NaN", id="nan"),
        pytest.param('{"type": "ping"} {"type": "ping"}', id="two-documents"),
        pytest.param('{"type": "ping"} trailing', id="trailing-garbage"),
        pytest.param('\ufeff{"type": "ping"}', id="byte-order-mark"),
        pytest.param('{"type": "ping", "ref": "\\ud800"}', id="lone-surrogate-escape"),
        pytest.param('{"type": "ping", "ref": "\ud800"}', id="lone-surrogate-character"),
        pytest.param("\x00", id="nul"),
    ],
)
def test_invalid_json_is_bad_json(text: str) -> None:
    """Text that is not one JSON document is refused as bad_json."""
    assert refused(text).code == "bad_json"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[]", id="empty-list"),
        pytest.param('["ping"]', id="list"),
        pytest.param('[{"type": "ping"}]', id="list-of-frame"),
        pytest.param('"ping"', id="string"),
        pytest.param("42", id="number"),
        pytest.param("-0.5e3", id="float"),
        pytest.param("null", id="null"),
        pytest.param("true", id="bool"),
    ],
)
def test_non_object_json_is_bad_frame(text: str) -> None:
    """Valid JSON that is not an object is refused as bad_frame."""
    assert refused(text).code == "bad_frame"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(nested(MAX_DEPTH + 1), id="bare-list"),
        pytest.param(f'{{"type": "ping", "ref": {nested(MAX_DEPTH)}}}', id="in-a-field"),
        pytest.param(
            '{"type": "ping", "x": ' + '{"a": ' * MAX_DEPTH + "1" + "}" * MAX_DEPTH + "}",
            id="objects",
        ),
        pytest.param(nested(500), id="five-hundred-deep"),
    ],
)
def test_deep_nesting_is_too_deep(text: str) -> None:
    """A frame nested more than the limit is refused as too_deep before anything else."""
    error = refused(text)
    assert error.code == "too_deep"
    assert str(MAX_DEPTH) in error.message


def test_nesting_at_the_limit_is_not_too_deep() -> None:
    """A frame exactly at the nesting limit gets past the depth check to field validation."""
    text = f'{{"type": "ping", "ref": {nested(MAX_DEPTH - 1)}}}'
    assert refused(text).code == "bad_frame"


def test_nesting_beyond_the_parser_limit_is_too_deep() -> None:
    """A valid frame nested thousands deep is refused as too_deep, not as invalid JSON."""
    assert refused(nested(2000)).code == "too_deep"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("{}", id="missing"),
        pytest.param(frame(kind="ping"), id="other-key"),
        pytest.param(frame(Type="ping"), id="capitalised-key"),
        pytest.param(frame(type=None), id="null"),
        pytest.param(frame(type=5), id="number"),
        pytest.param(frame(type=True), id="bool"),
        pytest.param(frame(type=["ping"]), id="list"),
        pytest.param(frame(type={"name": "ping"}), id="object"),
        pytest.param(frame(type=""), id="empty"),
        pytest.param(frame(type="PING"), id="upper-case"),
        pytest.param(frame(type=" ping"), id="padded"),
        pytest.param(frame(type="subscribe"), id="unknown"),
        pytest.param(frame(type="__class__"), id="dunder"),
    ],
)
def test_missing_or_unknown_type_is_unknown_type(text: str) -> None:
    """A frame without a known string type is unknown_type and lists the known types."""
    error = refused(text)
    assert error.code == "unknown_type"
    assert error.extra["known"] == sorted(FRAME_TYPES)


def join(**fields: Any) -> dict[str, Any]:
    return {"type": "join", "room_id": "r", **fields}


def send(**fields: Any) -> dict[str, Any]:
    return {"type": "send", "room_id": "r", "client_id": CLIENT_ID, "body": "hi", **fields}


def history(**fields: Any) -> dict[str, Any]:
    return {"type": "history", "room_id": "r", **fields}


def react(**fields: Any) -> dict[str, Any]:
    base = {"type": "react", "room_id": "r", "client_id": CLIENT_ID, "message_id": "m"}
    return {**base, "reaction": "heart", **fields}


@pytest.mark.parametrize(
    ("fields", "path", "hostile"),
    [
        pytest.param(join(after="5"), "after", None, id="after-str"),
        pytest.param(join(after=True), "after", None, id="after-bool"),
        pytest.param(join(after=1.0), "after", None, id="after-float"),
        pytest.param(join(after=-1), "after", None, id="after-negative"),
        pytest.param(join(after=[1]), "after", None, id="after-list"),
        pytest.param(join(room_id="evil/../etc"), "room_id", "evil/../etc", id="room-slashes"),
        pytest.param(join(room_id="a b"), "room_id", None, id="room-space"),
        pytest.param(join(room_id="r\n"), "room_id", None, id="room-newline"),
        pytest.param(join(room_id="$where"), "room_id", "$where", id="room-operator"),
        pytest.param(join(room_id=""), "room_id", None, id="room-empty"),
        pytest.param(join(room_id="r" * 65), "room_id", None, id="room-too-long"),
        pytest.param(join(room_id=7), "room_id", None, id="room-number"),
        pytest.param(join(room_id={"$ne": None}), "room_id", None, id="room-object"),
        pytest.param({"type": "join"}, "room_id", None, id="room-missing"),
        pytest.param(send(client_id="not-a-uuid-at-all"), "client_id", "not-a-uuid", id="cid-word"),
        pytest.param(send(client_id="g" * 32), "client_id", None, id="cid-not-hex"),
        pytest.param(send(client_id="{" + CLIENT_ID + "}"), "client_id", None, id="cid-braces"),
        pytest.param(send(client_id=CLIENT_ID + "\n"), "client_id", None, id="cid-newline"),
        pytest.param(send(client_id=12345), "client_id", None, id="cid-number"),
        pytest.param(
            {"type": "send", "room_id": "r", "body": "hi"}, "client_id", None, id="cid-missing"
        ),
        pytest.param(send(body=5), "body", None, id="body-number"),
        pytest.param(send(body=None), "body", None, id="body-null"),
        pytest.param(send(body="x" * 65537), "body", None, id="body-over-protocol-max"),
        pytest.param(send(reply_to="a/b"), "reply_to", None, id="reply-to-slash"),
        pytest.param(send(admin=True), "admin", None, id="extra-field"),
        pytest.param({"type": "ping", "x": 1}, "x", None, id="extra-field-on-ping"),
        pytest.param({"type": "ping", "ref": 5}, "ref", None, id="ref-number"),
        pytest.param({"type": "ping", "ref": "r" * 65}, "ref", None, id="ref-too-long"),
        pytest.param({"type": "auth", "token": ""}, "token", None, id="token-empty"),
        pytest.param({"type": "auth", "token": "t" * 4097}, "token", None, id="token-too-long"),
        pytest.param(history(limit=0), "limit", None, id="limit-zero"),
        pytest.param(history(limit=1001), "limit", None, id="limit-over"),
        pytest.param(history(limit="50"), "limit", None, id="limit-str"),
        pytest.param(history(before=0), "before", None, id="before-zero"),
        pytest.param(react(on="yes"), "on", None, id="on-str"),
        pytest.param(react(on=1), "on", None, id="on-number"),
        pytest.param(react(reaction=""), "reaction", None, id="reaction-empty"),
    ],
)
def test_wrong_fields_are_bad_frame(fields: dict[str, Any], path: str, hostile: str | None) -> None:
    """A wrong, missing or extra field is bad_frame naming the field, never echoing its value."""
    with pytest.raises(InvalidInput) as info:
        decode_frame(json.dumps(fields), max_bytes=1 << 20, max_depth=MAX_DEPTH)
    error = info.value
    assert_human(error.message)
    assert error.code == "bad_frame"
    assert error.extra["fields"][0]["path"] == path
    assert repr(path) in error.message
    assert all(set(f) == {"path", "problem"} for f in error.extra["fields"])
    if hostile is not None:
        assert hostile not in error.message
        assert hostile not in repr(error.extra)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("x" * (MAX_BYTES + 1), id="garbage-one-over"),
        pytest.param(frame(**send(body="y" * MAX_BYTES)), id="valid-send"),
        pytest.param(nested(MAX_BYTES), id="deep-and-huge"),
        pytest.param("{" * (1 << 20), id="a-mebibyte"),
    ],
)
def test_frames_over_the_byte_limit_are_refused_first(text: str) -> None:
    """A frame over max_bytes is frame_too_large (413) before it is parsed."""
    with pytest.raises(TooLarge) as info:
        decode(text)
    assert info.value.code == "frame_too_large"
    assert info.value.status == 413
    assert str(MAX_BYTES) in info.value.message
    assert_human(info.value.message)


def test_frame_of_exactly_max_bytes_is_parsed() -> None:
    """A valid frame of exactly max_bytes characters is accepted."""
    head = frame(type="send", room_id="r", client_id=CLIENT_ID, body="")
    text = head[:-2] + "z" * (MAX_BYTES - len(head)) + head[-2:]
    assert len(text) == MAX_BYTES
    decoded = decode(text)
    assert isinstance(decoded, Send)
    assert decoded.body == "z" * (MAX_BYTES - len(head))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["type", "room_id", "after", "client_id", "body", "ref", "x"])
            | st.text(),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(database=None, max_examples=300)
@given(st.text(max_size=200))
def test_arbitrary_text_yields_a_frame_or_a_known_error(text: str) -> None:
    """Any text decodes to a frame or raises a domain error with a known code, never a crash."""
    try:
        decode(text)
    except DomainError as error:
        assert error.code in KNOWN_CODES
    assert ref_of(text) is None or isinstance(ref_of(text), str)


@settings(database=None, max_examples=300)
@given(value=json_values, frame_type=st.sampled_from([*sorted(FRAME_TYPES), None]))
def test_arbitrary_json_yields_a_frame_or_a_known_error(value: Any, frame_type: str | None) -> None:
    """Any JSON document, with or without a known type, decodes or fails with a known code."""
    if frame_type is not None and isinstance(value, dict):
        value = {**value, "type": frame_type}
    text = json.dumps(value)
    try:
        decode(text)
    except DomainError as error:
        assert error.code in KNOWN_CODES
        assert_human(error.message)


# --- ref_of and encode ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        pytest.param(frame(type="nope", ref="r-1"), "r-1", id="bad-frame-with-ref"),
        pytest.param(frame(ref="r" * 64), "r" * 64, id="max-length-ref"),
        pytest.param(frame(ref="r" * 65), None, id="too-long-ref"),
        pytest.param(frame(ref=5), None, id="number-ref"),
        pytest.param(frame(ref=None), None, id="null-ref"),
        pytest.param(frame(ref=["r"]), None, id="list-ref"),
        pytest.param(frame(type="ping"), None, id="no-ref"),
        pytest.param('["r-1"]', None, id="list"),
        pytest.param('"r-1"', None, id="string"),
        pytest.param("{", None, id="invalid-json"),
        pytest.param("", None, id="empty"),
        pytest.param(nested(5000), None, id="beyond-parser-depth"),
    ],
)
def test_ref_of(text: str, ref: str | None) -> None:
    """The ref of a refused frame is echoed only when it is a short string."""
    assert ref_of(text) == ref


def test_encode_is_compact_json() -> None:
    """A server frame encodes once to compact JSON text that decodes back to itself."""
    payload = {"type": "message", "seq": 3, "body": "café\n", "nested": {"ok": True}}
    text = encode(payload)
    assert text == '{"type":"message","seq":3,"body":"café\\n","nested":{"ok":true}}'
    assert json.loads(text) == payload
