"""JWTs: pinned algorithms, required claims, and token types that never stand in for each other."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from server.domain.errors import Unauthenticated
from server.services.tokens import TokenService, TokenType
from server.settings import AuthSettings

SECRET = "test-secret-0123456789-abcdefghij-klmnop"  # 40 characters
OTHER_SECRET = "another-secret-0123456789-abcdefghij-xyz"
LONG_SECRET = "L" * 64  # long enough for HS512 without a key-length warning
SETTINGS = AuthSettings()


def service(secret: str = SECRET, **changes: Any) -> TokenService:
    return TokenService(AuthSettings(**changes), secret)


def claims(**changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    payload: dict[str, Any] = {
        "sub": "acct-1",
        "jti": "jti-1",
        "typ": "access",
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "iss": SETTINGS.issuer,
        "aud": SETTINGS.audience,
    }
    payload.update(changes)
    return payload


def refused(
    token: str, expected: TokenType = TokenType.ACCESS, svc: TokenService | None = None
) -> str:
    with pytest.raises(Unauthenticated) as info:
        (svc or service()).verify(token, expected)
    message = info.value.message
    assert message
    assert message[0].isupper()
    assert "\n" not in message
    assert info.value.status == 401
    return info.value.code


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize("typ", list(TokenType))
@pytest.mark.parametrize("extra", [{}, {"program_id": "prog-1", "role": "lead"}])
def test_issued_tokens_verify_as_their_own_type(typ: TokenType, extra: dict[str, Any]) -> None:
    """A token verifies as the type it was issued for, with its subject, id, expiry and extras."""
    svc = service()
    token, issued = svc.issue(typ, "acct-1", 300, **extra)
    verified = svc.verify(token, typ)
    assert verified.sub == "acct-1"
    assert verified.typ is typ
    assert verified.jti == issued.jti
    assert verified.extra == extra
    assert abs((verified.exp - issued.exp).total_seconds()) < 1


def test_each_token_gets_a_fresh_id() -> None:
    """Two tokens issued for the same subject carry different ids."""
    svc = service()
    ids = {svc.issue(TokenType.ACCESS, "acct-1", 300)[1].jti for _ in range(50)}
    assert len(ids) == 50


@pytest.mark.parametrize(
    ("issued", "expected"),
    [
        (issued, expected)
        for issued in TokenType
        for expected in TokenType
        if issued is not expected
    ],
)
def test_token_type_swap_is_refused(issued: TokenType, expected: TokenType) -> None:
    """A refresh or invite token is refused where an access token is expected, and vice versa."""
    token, _ = service().issue(issued, "acct-1", 300)
    assert refused(token, expected) == "token_invalid"


def test_reserved_claims_cannot_be_smuggled_in_as_extras() -> None:
    """Extras named like reserved claims never override the issuer or audience."""
    svc = service()
    token, _ = svc.issue(TokenType.ACCESS, "acct-1", 300, iss="evil", aud="evil", jti="fixed")
    verified = svc.verify(token, TokenType.ACCESS)
    assert verified.jti != "fixed"
    payload = jwt.decode(token, options={"verify_signature": False})
    assert (payload["iss"], payload["aud"]) == (SETTINGS.issuer, SETTINGS.audience)


@pytest.mark.parametrize(
    ("issued_ago_s", "ttl_s", "code"),
    [
        pytest.param(0, 300, None, id="fresh"),
        pytest.param(299, 300, None, id="nearly-expired"),
        pytest.param(62, 60, None, id="within-five-second-leeway"),
        pytest.param(70, 60, "token_expired", id="past-leeway"),
        pytest.param(3600, 60, "token_expired", id="long-expired"),
    ],
)
def test_expiry(issued_ago_s: int, ttl_s: int, code: str | None) -> None:
    """A token past its expiry (beyond a 5 s clock leeway) is refused as token_expired."""
    svc = service()
    issued_at = datetime.now(UTC) - timedelta(seconds=issued_ago_s)
    token, _ = svc.issue(TokenType.ACCESS, "acct-1", ttl_s, now=issued_at)
    if code is None:
        assert svc.verify(token, TokenType.ACCESS).sub == "acct-1"
    else:
        assert refused(token) == code


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"audience": "someone-else"}, id="audience"),
        pytest.param({"issuer": "someone-else"}, id="issuer"),
    ],
)
def test_wrong_audience_or_issuer_is_refused(changes: dict[str, str]) -> None:
    """A token minted for another audience or by another issuer is refused."""
    token, _ = service(**changes).issue(TokenType.ACCESS, "acct-1", 300)
    assert refused(token) == "token_invalid"


def test_alg_none_token_is_refused() -> None:
    """An unsigned token (alg: none) is refused even with valid claims."""
    payload = {k: v for k, v in claims().items() if k not in ("iat", "exp")}
    now = int(datetime.now(UTC).timestamp())
    token = (
        f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64({**payload, 'iat': now, 'exp': now + 300})}."
    )
    assert refused(token) == "token_invalid"


def test_token_signed_with_another_secret_is_refused() -> None:
    """A token signed with a different secret is refused."""
    token = jwt.encode(claims(), OTHER_SECRET, algorithm="HS256")
    assert refused(token) == "token_invalid"


def test_token_signed_with_an_unlisted_algorithm_is_refused() -> None:
    """A token signed with the right secret but an algorithm not allowed in settings is refused."""
    token = jwt.encode(claims(), LONG_SECRET, algorithm="HS512")
    assert refused(token, svc=service(LONG_SECRET)) == "token_invalid"


def test_tampered_payload_is_refused() -> None:
    """Changing the subject of a signed token breaks its signature."""
    token, _ = service().issue(TokenType.ACCESS, "acct-1", 300)
    header, _, signature = token.split(".")
    forged = f"{header}.{b64(claims(sub='acct-admin', iat=0, exp=2**31))}.{signature}"
    assert refused(forged) == "token_invalid"


@pytest.mark.parametrize("missing", ["exp", "iat", "sub", "iss", "aud", "typ", "jti"])
def test_token_missing_a_required_claim_is_refused(missing: str) -> None:
    """A correctly signed token without any one required claim is refused."""
    payload = {k: v for k, v in claims().items() if k != missing}
    token = jwt.encode(payload, SECRET, algorithm="HS256")
    assert refused(token) == "token_invalid"


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"sub": 42}, id="numeric-subject"),
        pytest.param({"typ": ["access"]}, id="list-type"),
        pytest.param({"typ": "ACCESS"}, id="upper-case-type"),
        pytest.param({"iat": datetime.now(UTC) + timedelta(hours=1)}, id="issued-in-future"),
        pytest.param({"nbf": datetime.now(UTC) + timedelta(hours=1)}, id="not-yet-valid"),
        pytest.param({"exp": "tomorrow"}, id="text-expiry"),
    ],
)
def test_malformed_claims_are_refused(changes: dict[str, Any]) -> None:
    """A correctly signed token with malformed claims is refused."""
    token = jwt.encode(claims(**changes), SECRET, algorithm="HS256")
    assert refused(token) == "token_invalid"


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", "a.b", "....", "Bearer x.y.z"])
def test_garbage_is_refused(token: str) -> None:
    """Text that is not a JWT is refused as token_invalid."""
    assert refused(token) == "token_invalid"
