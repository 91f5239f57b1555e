"""Hostile input on the socket and over HTTP (DESIGN.md rule 12): every bad
frame or body gets a clear error code and a human message, or a clean close
with the right close code; the server stays up and nothing stored changes."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
import pytest

from server.gateway.protocol import CloseCode

from .client import Api, Person, Socket
from .conftest import SECRET, Instance, StartInstance

FIRST = "before the storm"
PROBLEM_JSON = "application/problem+json"


@dataclass
class Scene:
    """A circle whose preparation room already holds one acknowledged message."""

    server: Instance
    api: Api
    robin: Person
    room: str
    sock: Socket
    first_id: str


async def scene(server: Instance, api: Api) -> Scene:
    world = await api.circle(1)
    robin = world.participants[0]
    room = world.rooms["preparation"]
    sock = await Socket.open(server.ws_url, robin.access)
    assert (await sock.join(room))["type"] == "joined"
    ack = await sock.say(room, FIRST)
    assert ack["type"] == "ack" and ack["seq"] == 1
    return Scene(server, api, robin, room, sock, ack["message_id"])


async def stored_bodies(server: Instance, room: str) -> list[str | None]:
    return [m.body for m in await server.services.events.history(room, None, 1000)]


async def assert_intact(s: Scene, sock: Socket | None = None) -> None:
    """Nothing stored changed, and a socket (this one or a fresh one) still works."""
    if sock is None:
        sock = await Socket.open(s.server.ws_url, s.robin.access)
        assert (await sock.join(s.room))["type"] == "joined"
    page = await sock.request({"type": "history", "room_id": s.room})
    assert page["type"] == "history", page
    assert [(m["seq"], m["body"]) for m in page["messages"]] == [(1, FIRST)]
    assert await stored_bodies(s.server, s.room) == [FIRST]
    assert await s.server.services.events.head(s.room) == 1
    ack = await sock.say(s.room, "still here")
    assert ack["type"] == "ack" and ack["seq"] == 2, ack
    assert await stored_bodies(s.server, s.room) == [FIRST, "still here"]
    await sock.close()


def assert_error(frame: dict[str, Any], code: str) -> None:
    """An error frame with a stable code and a sentence a person can read."""
    assert frame["type"] == "error", frame
    assert frame["code"] == code, frame
    message = frame["message"]
    assert isinstance(message, str) and len(message) > 8 and message != code, frame
    assert message[0].isupper(), frame


def cid() -> str:
    return str(uuid.uuid4())


# Frames that get an error frame and leave the socket open.
# (name, builder(room) -> raw text, expected code, ref expected back)
REF = "hostile-ref"
ErrorCase = tuple[str, Callable[[str], str], str, bool]


def obj(**fields: Any) -> str:
    return json.dumps({**fields, "ref": REF})


def send(room: str, **fields: Any) -> str:
    return obj(**{"type": "send", "room_id": room, "client_id": cid(), "body": "hi", **fields})


ERROR_CASES: list[ErrorCase] = [
    ("malformed json", lambda r: '{"type": "ping", ', "bad_json", False),
    ("trailing garbage", lambda r: '{"type": "ping"} tail', "bad_json", False),
    ("nan literal", lambda r: '{"type": "join", "room_id": "x", "after": NaN}', "bad_json", False),
    ("lone surrogate", lambda r: '{"type": "ping", "ref": "a\\ud800b"}', "bad_json", False),
    ("json array", lambda r: '[{"type": "ping"}]', "bad_frame", False),
    ("json number", lambda r: "42", "bad_frame", False),
    ("json string", lambda r: '"ping"', "bad_frame", False),
    ("json null", lambda r: "null", "bad_frame", False),
    (
        "nested too deep",
        lambda r: obj(type="ping", x=[[[[[[[[[[["deep"]]]]]]]]]]]),
        "too_deep",
        True,
    ),
    ("after as string", lambda r: obj(type="join", room_id=r, after="3"), "bad_frame", True),
    ("after as boolean", lambda r: obj(type="join", room_id=r, after=True), "bad_frame", True),
    ("after as float", lambda r: obj(type="join", room_id=r, after=1.0), "bad_frame", True),
    ("after negative", lambda r: obj(type="join", room_id=r, after=-1), "bad_frame", True),
    ("limit as boolean", lambda r: obj(type="history", room_id=r, limit=True), "bad_frame", True),
    ("body as number", lambda r: send(r, body=5), "bad_frame", True),
    ("body as list", lambda r: send(r, body=["hi"]), "bad_frame", True),
    ("room_id as number", lambda r: obj(type="join", room_id=7), "bad_frame", True),
    ("room_id path", lambda r: obj(type="join", room_id="../etc/passwd"), "bad_frame", True),
    ("unknown type", lambda r: obj(type="shout", room_id=r), "unknown_type", True),
    ("missing type", lambda r: obj(room_id=r), "unknown_type", True),
    ("type not a string", lambda r: obj(type=["send"], room_id=r), "unknown_type", True),
    ("missing fields", lambda r: obj(type="send", room_id=r), "bad_frame", True),
    ("extra field", lambda r: send(r, admin=True), "bad_frame", True),
    ("client_id not uuid", lambda r: send(r, client_id="not-a-uuid"), "bad_frame", True),
    ("client_id not hex", lambda r: send(r, client_id="z" * 32), "bad_frame", True),
    ("ref not a string", lambda r: json.dumps({"type": "ping", "ref": 5}), "bad_frame", False),
    ("second auth", lambda r: obj(type="auth", token="again"), "already_authed", True),
    ("body too long", lambda r: send(r, body="a" * 4001), "body_too_long", True),
    ("empty body", lambda r: send(r, body=""), "empty_body", True),
    ("whitespace body", lambda r: send(r, body=" \n\t\u00a0\u3000 "), "empty_body", True),
    ("nul in body", lambda r: send(r, body="hi\x00there"), "invalid_body", True),
    ("escape in body", lambda r: send(r, body="hi \x1b[31mred"), "invalid_body", True),
    ("c1 control in body", lambda r: send(r, body="hi \x9b31m"), "invalid_body", True),
    ("bell in body", lambda r: send(r, body="ding\x07"), "invalid_body", True),
    (
        "join unknown room",
        lambda r: obj(type="join", room_id="noSuchRoom123"),
        "room_not_found",
        True,
    ),
    (
        "history unknown room",
        lambda r: obj(type="history", room_id="noSuchRoom123"),
        "room_not_found",
        True,
    ),
    ("send to unknown room", lambda r: send("noSuchRoom123"), "room_not_found", True),
    (
        "reply to unknown message",
        lambda r: send(r, reply_to="noSuchMessage1"),
        "message_not_found",
        True,
    ),
    (
        "typing before join",
        lambda r: obj(type="typing", room_id="noSuchRoom123"),
        "not_joined",
        True,
    ),
]


@pytest.mark.parametrize(
    ("build", "code", "echoes_ref"), [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES]
)
async def test_bad_frame_gets_error_and_socket_stays_open(
    server: Instance, api: Api, build: Callable[[str], str], code: str, echoes_ref: bool
) -> None:
    """A bad frame gets an error frame with a clear code, and the socket keeps working."""
    s = await scene(server, api)
    raw = build(s.room)
    await s.sock.send_raw(raw)
    error = await s.sock.expect("error")
    assert_error(error, code)
    if echoes_ref:
        assert error.get("ref") == REF, error
    if code == "body_too_long":
        assert error["max_chars"] == 4000
    if code == "unknown_type":
        assert "send" in error["known"]
    if code == "bad_frame" and raw.startswith("{"):
        assert error["fields"] and all("path" in f and "problem" in f for f in error["fields"])
    if code in {"body_too_long", "empty_body", "invalid_body"}:
        assert error["client_id"] == json.loads(raw)["client_id"]
    await assert_intact(s, s.sock)


async def test_missing_fields_are_all_named(server: Instance, api: Api) -> None:
    """A frame missing several fields names each of them."""
    s = await scene(server, api)
    error = await s.sock.request({"type": "send", "room_id": s.room})
    assert_error(error, "bad_frame")
    assert {f["path"] for f in error["fields"]} == {"client_id", "body"}
    assert "client_id" in error["message"]
    await assert_intact(s, s.sock)


async def test_wrong_type_names_the_field(server: Instance, api: Api) -> None:
    """A field of the wrong type is named in the error, with the problem."""
    s = await scene(server, api)
    error = await s.sock.request({"type": "join", "room_id": s.room, "after": "3"})
    assert_error(error, "bad_frame")
    assert error["fields"][0]["path"] == "after"
    assert "integer" in error["fields"][0]["problem"]
    await assert_intact(s, s.sock)


async def test_body_at_the_limit_is_stored(server: Instance, api: Api) -> None:
    """A body of exactly message_max_chars is accepted; one more character is refused."""
    s = await scene(server, api)
    refused = await s.sock.say(s.room, "b" * 4001)
    assert_error(refused, "body_too_long")
    ack = await s.sock.say(s.room, "b" * 4000)
    assert ack["type"] == "ack" and ack["seq"] == 2
    assert await stored_bodies(server, s.room) == [FIRST, "b" * 4000]


async def test_refused_send_can_be_retried_with_same_client_id(server: Instance, api: Api) -> None:
    """A send refused for its body stores nothing, so its client_id stays free to retry."""
    s = await scene(server, api)
    client_id = cid()
    refused = await s.sock.say(s.room, "oops\x00", client_id)
    assert_error(refused, "invalid_body")
    assert await stored_bodies(server, s.room) == [FIRST]
    ack = await s.sock.say(s.room, "oops", client_id)
    assert ack["type"] == "ack" and ack["duplicate"] is False and ack["seq"] == 2


@pytest.mark.parametrize(
    "body",
    ["\u200b\u200b", "\u2800", "\u3164", " \u200b\u2060\ufeff "],
    ids=["zero-width spaces", "braille blank", "hangul filler", "mixed"],
)
async def test_invisible_body_is_refused_as_empty(server: Instance, api: Api, body: str) -> None:
    """A body of only invisible characters is refused as empty."""
    s = await scene(server, api)
    refused = await s.sock.say(s.room, body)
    assert_error(refused, "empty_body")
    await assert_intact(s, s.sock)


# Protocol violations that close the socket --------------------------------


async def test_oversize_frame_closes_1009(server: Instance, api: Api) -> None:
    """A frame over frame_max_bytes closes the socket with 1009, and nothing is stored."""
    s = await scene(server, api)
    frame = json.dumps(
        {"type": "send", "room_id": s.room, "client_id": cid(), "body": "x" * 70_000}
    )
    await s.sock.send_raw(frame)
    assert await s.sock.closed() == CloseCode.TOO_BIG == 1009
    await assert_intact(s)


async def test_oversize_multibyte_frame_closes_1009(server: Instance, api: Api) -> None:
    """A frame under the limit in characters but over it in bytes closes with 1009."""
    s = await scene(server, api)
    body = "€" * 22_000  # 22 000 characters, 66 000 bytes of UTF-8
    frame = json.dumps(
        {"type": "send", "room_id": s.room, "client_id": cid(), "body": body}, ensure_ascii=False
    )
    assert len(frame) < 65536 < len(frame.encode())
    await s.sock.send_raw(frame)
    assert await s.sock.closed() == 1009
    await assert_intact(s)


@pytest.mark.parametrize(
    "payload",
    [
        b"\xff\xfe",
        b'{"type": "ping", "ref": "\xc3\x28"}',
        b'{"type": "send", "body": "\xed\xa0\x80"}',
    ],
    ids=["garbage", "bad sequence in json", "encoded surrogate"],
)
async def test_invalid_utf8_text_frame_closes_1007(
    server: Instance, api: Api, payload: bytes
) -> None:
    """A text frame that is not valid UTF-8 closes the socket with 1007."""
    s = await scene(server, api)
    await s.sock.conn.send(payload, text=True)  # bytes sent as a text frame, unchecked
    assert await s.sock.closed() == CloseCode.INVALID_DATA == 1007
    await assert_intact(s)


async def test_binary_frame_closes_4400(server: Instance, api: Api) -> None:
    """A binary frame after sign-in closes the socket with 4400."""
    s = await scene(server, api)
    await s.sock.send_raw(json.dumps({"type": "ping"}).encode())
    assert await s.sock.closed() == CloseCode.PROTOCOL == 4400
    assert s.sock.conn.close_reason == "text frames only"
    await assert_intact(s)


async def test_many_bad_frames_close_4400(server: Instance, api: Api) -> None:
    """Twenty bad frames each get an error; the twenty-first also closes with 4400."""
    s = await scene(server, api)
    for index in range(20):
        error = await s.sock.request({"type": "send", "room_id": s.room, "body": index})
        assert_error(error, "bad_frame")
    pong = await s.sock.request({"type": "ping"})
    assert pong["type"] == "pong"  # still open after twenty
    await s.sock.send_raw("{garbage")
    assert await s.sock.closed() == CloseCode.PROTOCOL
    errors = [f for f in s.sock.frames if f["type"] == "error"]
    assert len(errors) == 21 and errors[-1]["code"] == "bad_json"
    await assert_intact(s)


async def test_ordinary_mistakes_do_not_count_as_bad_frames(start_instance: StartInstance) -> None:
    """Many empty or too-long messages each get an error but never close the socket."""
    server = await start_instance(send_rate="100/10second")
    async with Api(server.url, server.services) as api:
        s = await scene(server, api)
        for index in range(25):
            body = "" if index % 2 else "c" * 4001
            error = await s.sock.say(s.room, body)
            assert_error(error, "body_too_long" if body else "empty_body")
        await assert_intact(s, s.sock)


# Sign-in on the socket ----------------------------------------------------


async def test_no_auth_frame_closes_4001(server: Instance, api: Api) -> None:
    """A socket that sends nothing is closed with 4001 after the auth deadline."""
    s = await scene(server, api)
    silent = await Socket.open(server.ws_url)
    started = time.monotonic()
    assert await silent.closed(timeout=8) == CloseCode.AUTH_FAILED == 4001
    assert time.monotonic() - started >= 4.0  # the default 5 s deadline, not sooner
    assert silent.conn.close_reason == "auth timeout"
    await assert_intact(s, s.sock)


def forge(claims: dict[str, Any], key: str = SECRET, algorithm: str = "HS256") -> str:
    now = int(time.time())
    payload = {
        "iss": "integration-circles",
        "aud": "integration-circles",
        "typ": "access",
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + 300,
        **claims,
    }
    return jwt.encode(payload, key, algorithm=algorithm)


def unsigned(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    now = int(time.time())
    payload = {
        "iss": "integration-circles",
        "aud": "integration-circles",
        "typ": "access",
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + 300,
        **claims,
    }
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(payload)}."


BAD_TOKENS: list[tuple[str, Callable[[Person, str], Any], str]] = [
    ("garbage", lambda p, sub: "not-a-jwt", "token_invalid"),
    ("refresh token", lambda p, sub: p.refresh, "token_invalid"),
    ("expired", lambda p, sub: forge({"sub": sub, "exp": int(time.time()) - 60}), "token_expired"),
    (
        "wrong key",
        lambda p, sub: forge({"sub": sub}, key="another-secret-" + "y" * 40),
        "token_invalid",
    ),
    ("alg none", lambda p, sub: unsigned({"sub": sub}), "token_invalid"),
    ("invite typ", lambda p, sub: forge({"sub": sub, "typ": "invite"}), "token_invalid"),
    ("unknown account", lambda p, sub: forge({"sub": "nobody-at-all"}), "token_invalid"),
    (
        "tampered",
        lambda p, sub: p.access[:-4] + ("AAAA" if p.access[-4:] != "AAAA" else "BBBB"),
        "token_invalid",
    ),
    ("empty", lambda p, sub: "", "bad_frame"),
    ("number", lambda p, sub: 12345, "bad_frame"),
    ("too long", lambda p, sub: "x" * 5000, "bad_frame"),
]


@pytest.mark.parametrize(
    ("make", "code"), [t[1:] for t in BAD_TOKENS], ids=[t[0] for t in BAD_TOKENS]
)
async def test_bad_token_gets_error_then_4001(
    server: Instance, api: Api, make: Callable[[Person, str], Any], code: str
) -> None:
    """A bad auth token gets an error frame, then a 4001 close."""
    s = await scene(server, api)
    account_id = (await api.me(s.robin))["account"]["id"]
    sock = await Socket.open(server.ws_url)
    await sock.send({"type": "auth", "token": make(s.robin, account_id)})
    assert await sock.closed() == CloseCode.AUTH_FAILED
    assert sock.conn.close_reason == code
    assert len(sock.frames) == 1
    assert_error(sock.frames[0], code)
    assert len(server.services.registry) == 1  # only the scene's own socket
    await assert_intact(s, s.sock)


async def test_forged_valid_token_is_accepted(server: Instance, api: Api) -> None:
    """A token signed with the right key and claims is accepted (the forger works)."""
    s = await scene(server, api)
    account_id = (await api.me(s.robin))["account"]["id"]
    sock = await Socket.open(server.ws_url, forge({"sub": account_id}))
    assert sock.ready["type"] == "ready"
    await assert_intact(s, sock)


@pytest.mark.parametrize(
    ("first", "code"),
    [
        ('{"type": "ping"}', "auth_required"),
        ('{"type": "join", "room_id": "abc"}', "auth_required"),
        ("{not json", "bad_json"),
        ("[]", "bad_frame"),
        ('{"type": "bogus"}', "unknown_type"),
    ],
    ids=["ping", "join", "malformed", "array", "unknown type"],
)
async def test_frame_before_auth_gets_error_then_4001(
    server: Instance, api: Api, first: str, code: str
) -> None:
    """Anything but an auth frame first gets an error frame, then a 4001 close."""
    s = await scene(server, api)
    sock = await Socket.open(server.ws_url)
    await sock.send_raw(first)
    assert await sock.closed() == CloseCode.AUTH_FAILED
    assert [f["code"] for f in sock.frames] == [code]
    assert_error(sock.frames[0], code)
    await assert_intact(s, s.sock)


async def test_binary_frame_before_auth_closes_4001(server: Instance, api: Api) -> None:
    """A binary frame instead of the auth frame closes the socket with 4001."""
    s = await scene(server, api)
    sock = await Socket.open(server.ws_url)
    await sock.send_raw(json.dumps({"type": "auth", "token": s.robin.access}).encode())
    assert await sock.closed() == CloseCode.AUTH_FAILED
    await assert_intact(s, s.sock)


# HTTP ---------------------------------------------------------------------


async def http(
    api: Api,
    method: str,
    path: str,
    *,
    raw: bytes | None = None,
    token: str | None = None,
    content_type: str = "application/json",
) -> tuple[int, str, Any]:
    headers = {"Content-Type": content_type} if raw is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    async with api.http.request(method, api.url + path, data=raw, headers=headers) as resp:
        body = await resp.read()
        return resp.status, resp.content_type, json.loads(body) if body else None


def assert_problem(
    status: int, content_type: str, data: Any, want_status: int, code: str
) -> dict[str, Any]:
    """RFC 9457 problem+json with a stable code and a human detail."""
    assert status == want_status, (status, data)
    assert content_type == PROBLEM_JSON, (content_type, data)
    assert isinstance(data, dict), data
    assert data["code"] == code, data
    assert data["status"] == want_status
    assert isinstance(data["detail"], str) and data["detail"], data
    assert isinstance(data["title"], str) and data["title"], data
    return data


async def assert_http_intact(s: Scene) -> None:
    """The HTTP API still answers and still shows exactly the stored history."""
    status, _, page = await http(
        s.api, "GET", f"/api/rooms/{s.room}/messages", token=s.robin.access
    )
    assert status == 200 and [m["body"] for m in page["messages"]] == [FIRST]
    status, _, health = await http(s.api, "GET", "/health/live")
    assert status == 200 and health == {"status": "ok"}
    await assert_intact(s, s.sock)


LOGIN = "/api/auth/login"


@pytest.mark.parametrize(
    "raw",
    [b'{"email": "a@b.org", "password": ', b"{bad", b"", b'{"email": "a@b.org"} trailing'],
    ids=["truncated", "garbage", "empty", "trailing"],
)
async def test_http_malformed_json_is_bad_json(server: Instance, api: Api, raw: bytes) -> None:
    """A body that is not JSON gets 400 problem+json with code bad_json."""
    s = await scene(server, api)
    assert_problem(*await http(api, "POST", LOGIN, raw=raw), 400, "bad_json")
    await assert_http_intact(s)


async def test_http_wrong_types_list_field_errors(server: Instance, api: Api) -> None:
    """Fields of the wrong type get 400 problem+json naming each field in errors."""
    s = await scene(server, api)
    problem = assert_problem(
        *await http(api, "POST", LOGIN, raw=b'{"email": 5, "password": true}'), 400, "invalid_input"
    )
    assert {e["path"] for e in problem["errors"]} == {"email", "password"}
    assert all(e["in"] == "body" and e["problem"] for e in problem["errors"])
    assert "email" in problem["detail"]
    await assert_http_intact(s)


async def test_http_extra_and_missing_fields_are_refused(server: Instance, api: Api) -> None:
    """Extra or missing body fields get 400 problem+json with errors."""
    s = await scene(server, api)
    extra = assert_problem(
        *await http(
            api, "POST", LOGIN, raw=b'{"email": "a@b.org", "password": "x", "is_admin": true}'
        ),
        400,
        "invalid_input",
    )
    assert [e["path"] for e in extra["errors"]] == ["is_admin"]
    missing = assert_problem(*await http(api, "POST", LOGIN, raw=b"{}"), 400, "invalid_input")
    assert {e["path"] for e in missing["errors"]} == {"email", "password"}
    await assert_http_intact(s)


async def test_http_body_not_an_object_is_refused(server: Instance, api: Api) -> None:
    """A JSON body that is not an object gets 400 problem+json."""
    s = await scene(server, api)
    for raw in (b"[1, 2]", b'"text"', b"42", b"null"):
        status, content_type, data = await http(api, "POST", LOGIN, raw=raw)
        assert status == 400 and content_type == PROBLEM_JSON, (raw, status, data)
        assert data["code"] in {"bad_request", "invalid_input"} and data["detail"], data
    await assert_http_intact(s)


async def test_http_bad_query_parameter_is_refused(server: Instance, api: Api) -> None:
    """A query parameter of the wrong type gets 400 problem+json naming it."""
    s = await scene(server, api)
    problem = assert_problem(
        *await http(api, "GET", f"/api/rooms/{s.room}/messages?limit=lots", token=s.robin.access),
        400,
        "invalid_input",
    )
    assert problem["errors"][0]["path"] == "limit"
    assert problem["errors"][0]["in"] == "query string"
    await assert_http_intact(s)


async def test_http_body_over_64kb_is_413(server: Instance, api: Api) -> None:
    """A body over 64 KB gets 413 problem+json."""
    s = await scene(server, api)
    raw = json.dumps({"email": "a@b.org", "password": "p" * 70_000}).encode()
    assert_problem(*await http(api, "POST", LOGIN, raw=raw), 413, "too_large")
    raw = json.dumps({"name": "n" * 70_000, "display_name": "x"}).encode()
    assert_problem(
        *await http(api, "POST", "/api/programs", raw=raw, token=s.robin.access), 413, "too_large"
    )
    await assert_http_intact(s)


async def test_http_wrong_method_is_405(server: Instance, api: Api) -> None:
    """A known route with the wrong method gets 405 problem+json."""
    s = await scene(server, api)
    assert_problem(
        *await http(api, "DELETE", "/api/me", token=s.robin.access), 405, "method_not_allowed"
    )
    await assert_http_intact(s)


async def test_http_bad_bearer_token_is_401(server: Instance, api: Api) -> None:
    """A bad bearer token, or a refresh token as bearer, gets 401 problem+json."""
    s = await scene(server, api)
    assert_problem(*await http(api, "GET", "/api/me", token="garbage"), 401, "token_invalid")
    assert_problem(*await http(api, "GET", "/api/me", token=s.robin.refresh), 401, "token_invalid")
    assert_problem(*await http(api, "GET", "/api/me"), 401, "not_authenticated")
    await assert_http_intact(s)


async def test_http_unknown_room_is_404(server: Instance, api: Api) -> None:
    """History of a room that does not exist gets 404 problem+json room_not_found."""
    s = await scene(server, api)
    assert_problem(
        *await http(api, "GET", "/api/rooms/noSuchRoom123/messages", token=s.robin.access),
        404,
        "room_not_found",
    )
    await assert_http_intact(s)


@pytest.mark.parametrize("path", ["/api/nope", "/no/such/page", "/api/rooms"])
async def test_http_unknown_route_is_404_problem(server: Instance, api: Api, path: str) -> None:
    """An unknown route gets 404 problem+json with code not_found."""
    s = await scene(server, api)
    assert_problem(*await http(api, "GET", path, token=s.robin.access), 404, "not_found")
    await assert_http_intact(s)


async def test_http_invalid_utf8_body_is_bad_json(server: Instance, api: Api) -> None:
    """A body that is not valid UTF-8 gets 400 problem+json bad_json, not a 500."""
    s = await scene(server, api)
    assert_problem(
        *await http(api, "POST", LOGIN, raw=b'{"email": "a\xff@b.org", "password": "x"}'),
        400,
        "bad_json",
    )
    await assert_http_intact(s)


@pytest.mark.parametrize(
    "raw",
    [b"[" * 5000 + b"]" * 5000, b'{"a":' * 20 + b"1" + b"}" * 20],
    ids=["past the parser limit", "past json_max_depth"],
)
async def test_http_deeply_nested_body_is_400(server: Instance, api: Api, raw: bytes) -> None:
    """A deeply nested JSON body gets 400 problem+json too_deep, not a 500."""
    s = await scene(server, api)
    assert_problem(*await http(api, "POST", LOGIN, raw=raw), 400, "too_deep")
    await assert_http_intact(s)


async def test_http_unknown_charset_is_4xx(server: Instance, api: Api) -> None:
    """A body declared in a charset other than UTF-8 gets a 4xx problem+json, not a 500."""
    s = await scene(server, api)
    for charset in ("bogus", "latin-1"):
        status, content_type, data = await http(
            api,
            "POST",
            LOGIN,
            raw=b'{"email": "a@b.org", "password": "x"}',
            content_type=f"application/json; charset={charset}",
        )
        assert content_type == PROBLEM_JSON, (charset, status, data)
        assert status in {400, 415}, (charset, data)
        assert data["code"] and data["detail"], data
    await assert_http_intact(s)


async def test_openapi_document_describes_every_api_route(server: Instance, api: Api) -> None:
    """The OpenAPI document renders and lists every /api/ route the app serves."""
    status, doc = await api.call("GET", "/api/openapi.json")
    assert status == 200, doc
    routes = {
        resource.canonical
        for resource in server.app.router.resources()
        if resource.canonical.startswith("/api/") and resource.canonical != "/api/openapi.json"
    }
    assert routes <= set(doc["paths"]), routes - set(doc["paths"])
