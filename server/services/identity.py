"""Sign-in, token refresh, invites and their redemption (DESIGN.md rules 1 and 7)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..domain.audit import AuditAction
from ..domain.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from ..domain.model import Account, MemberStatus, ProgramStatus, Role, RoomKind
from ..domain.names import normalize_display_name
from ..settings import Settings
from ..storage.directory import MongoDirectory
from .audit import AuditTrail
from .clock import new_id, utcnow
from .tokens import TokenService, TokenType

_hasher = PasswordHasher()
# Verified when the email is unknown, so timing doesn't reveal which emails exist.
_DUMMY_HASH = _hasher.hash("integration-circles-dummy-password")
MIN_PASSWORD = 10


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
        }


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD or len(password) > 1024:
        raise InvalidInput(
            f"Please choose a password of at least {MIN_PASSWORD} characters.", code="weak_password"
        )


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def _verify(password_hash: str, password: str) -> bool:
    def verify() -> bool:
        try:
            return _hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)


class IdentityService:
    def __init__(
        self,
        settings: Settings,
        directory: MongoDirectory,
        tokens: TokenService,
        audit: AuditTrail,
    ) -> None:
        self._settings = settings
        self._directory = directory
        self._tokens = tokens
        self._audit = audit

    async def issue_pair(self, account_id: str) -> TokenPair:
        auth = self._settings.auth
        access, _ = self._tokens.issue(TokenType.ACCESS, account_id, auth.access_ttl_s)
        refresh, claims = self._tokens.issue(TokenType.REFRESH, account_id, auth.refresh_ttl_s)
        await self._directory.store_refresh(claims.jti, account_id, claims.exp)
        return TokenPair(access, refresh, auth.access_ttl_s)

    async def login(self, email: str, password: str) -> TokenPair:
        found = await self._directory.account_credentials(email.strip().lower())
        password_hash = found[1] if found else _DUMMY_HASH
        ok = await _verify(password_hash, password)
        if not found or not ok:
            raise Unauthenticated("That email and password don't match.", code="bad_credentials")
        return await self.issue_pair(found[0].id)

    async def refresh(self, refresh_token: str) -> TokenPair:
        claims = self._tokens.verify(refresh_token, TokenType.REFRESH)
        stored = await self._directory.consume_refresh(claims.jti)
        if stored is None:
            raise Unauthenticated("Please sign in again.", code="token_invalid")
        return await self.issue_pair(claims.sub)

    async def logout(self, account_id: str) -> None:
        await self._directory.revoke_refresh_for(account_id)

    async def authenticate(self, access_token: str) -> Account:
        claims = self._tokens.verify(access_token, TokenType.ACCESS)
        account = await self._directory.get_account(claims.sub)
        if account is None:
            raise Unauthenticated("Please sign in again.", code="token_invalid")
        return account

    async def account_by_email(self, email: str) -> Account:
        found = await self._directory.account_credentials(email.strip().lower())
        if found is None:
            raise NotFound("No account has that email.", code="account_not_found")
        return found[0]

    async def create_staff(
        self, email: str, real_name: str, password: str, *, is_admin: bool = False
    ) -> Account:
        check_password_strength(password)
        return await self._directory.create_account(
            {
                "_id": new_id(),
                "email": email.strip().lower(),
                "real_name": real_name.strip(),
                "password_hash": await hash_password(password),
                "is_admin": is_admin,
                "is_staff": True,
                "created_at": utcnow(),
            }
        )

    def issue_invite(self, invite_id: str) -> str:
        token, _ = self._tokens.issue(TokenType.INVITE, invite_id, self._settings.auth.invite_ttl_s)
        return token

    async def redeem(self, invite_token: str, display_name: str, password: str) -> TokenPair:
        """A participant joins through a single-use, expiring invite."""
        claims = self._tokens.verify(invite_token, TokenType.INVITE)
        name = normalize_display_name(display_name, self._settings.limits.display_name_max_chars)
        check_password_strength(password)
        account_id = new_id()
        now = utcnow()
        invite = await self._directory.claim_invite(claims.sub, now, account_id)
        if invite is None:
            raise Conflict(
                "This invitation has already been used or has expired. "
                "Please ask your program lead for a new one.",
                code="invite_used",
            )
        program = await self._directory.get_program(invite["program_id"])
        if program is None or program.status is ProgramStatus.ARCHIVED:
            raise NotFound("This program is no longer running.", code="program_not_found")
        try:
            await self._directory.create_account(
                {
                    "_id": account_id,
                    "email": invite["email"],
                    "real_name": invite["real_name"],
                    "password_hash": await hash_password(password),
                    "is_admin": False,
                    "is_staff": False,
                    "created_at": now,
                }
            )
        except Conflict:
            await self._directory.release_invite(claims.sub)
            raise Conflict(
                "An account with this email already exists — please sign in "
                "and ask your lead to add you.",
                code="already_exists",
            ) from None
        member_id = new_id()
        try:
            await self._directory.add_member(
                {
                    "_id": member_id,
                    "program_id": program.id,
                    "account_id": account_id,
                    "role": Role.PARTICIPANT.value,
                    "display_name": name,
                    # Rule 2: rooms open once staff record clearance and the
                    # participant accepts the agreement.
                    "status": MemberStatus.INVITED.value,
                    "accepted_version": 0,
                    "cleared_ms": None,
                    "joined_at": now,
                }
            )
        except Conflict:
            # The name was taken: undo, so the same invite works with another name.
            await self._directory.delete_account(account_id)
            await self._directory.release_invite(claims.sub)
            raise
        await self._directory.create_rooms(
            [
                {
                    "_id": new_id(),
                    "program_id": program.id,
                    "kind": RoomKind.SUPPORT.value,
                    "title": f"Support for {name}",
                    "participant_id": member_id,
                    "locked": False,
                    "version": 0,
                    "created_at": now,
                }
            ]
        )
        await self._audit.record(
            program.id,
            AuditAction.MEMBER_JOINED,
            member_id,
            target_id=member_id,
            invite_id=claims.sub,
        )
        return await self.issue_pair(account_id)
