"""JWTs via pyjwt: pinned algorithms, required claims, and a ``typ`` claim so
an invite, an access, a refresh and a socket token can never stand in for
one another."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import jwt

from ..domain.errors import Unauthenticated
from ..settings import AuthSettings

_REQUIRED = ["exp", "iat", "sub", "iss", "aud", "typ", "jti"]


class TokenType(StrEnum):
    ACCESS = "access"
    REFRESH = "refresh"
    INVITE = "invite"


@dataclass(frozen=True, slots=True)
class Claims:
    sub: str
    jti: str
    typ: TokenType
    exp: datetime
    extra: dict[str, Any]


class TokenService:
    def __init__(self, settings: AuthSettings, secret: str) -> None:
        self._settings = settings
        self._secret = secret
        self._algorithm = settings.algorithms[0]

    def issue(
        self, typ: TokenType, sub: str, ttl_s: int, now: datetime | None = None, **extra: Any
    ) -> tuple[str, Claims]:
        issued = now or datetime.now(UTC)
        claims = Claims(
            sub=sub,
            jti=uuid.uuid4().hex,
            typ=typ,
            exp=issued + timedelta(seconds=ttl_s),
            extra=extra,
        )
        payload = {
            **extra,
            "sub": sub,
            "jti": claims.jti,
            "typ": typ.value,
            "iat": issued,
            "exp": claims.exp,
            "iss": self._settings.issuer,
            "aud": self._settings.audience,
        }
        return jwt.encode(payload, self._secret, algorithm=self._algorithm), claims

    def verify(self, token: str, expected: TokenType) -> Claims:
        try:
            payload = jwt.decode(
                token,
                self._secret,
                algorithms=list(self._settings.algorithms),
                audience=self._settings.audience,
                issuer=self._settings.issuer,
                options={"require": _REQUIRED},
                leeway=5,
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated(
                "Your session has expired — please sign in again.", code="token_expired"
            ) from None
        except jwt.PyJWTError:
            raise Unauthenticated("That token isn't valid.", code="token_invalid") from None
        if payload.get("typ") != expected.value:
            raise Unauthenticated("That token isn't valid here.", code="token_invalid")
        extra = {k: v for k, v in payload.items() if k not in _REQUIRED}
        return Claims(
            sub=str(payload["sub"]),
            jti=str(payload["jti"]),
            typ=expected,
            exp=datetime.fromtimestamp(payload["exp"], UTC),
            extra=extra,
        )
