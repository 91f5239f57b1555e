"""The one error tree. Every error has a stable snake_case ``code`` clients
switch on, a kind human ``message``, and an HTTP status the edge maps it to.

    DomainError
    ├── Unauthenticated (401)   not_authenticated, token_invalid, token_expired,
    │                           bad_credentials, auth_required
    ├── Forbidden (403)         forbidden, not_a_member, staff_only, member_removed,
    │                           origin_not_allowed, lead_only, admin_only, room_locked, ...
    ├── NotFound (404)          not_found, room_not_found, message_not_found, ...
    ├── Conflict (409)          display_name_taken, invite_used, client_id_conflict,
    │                           invalid_transition, already_exists, stale_status
    ├── InvalidInput (400)      bad_json, bad_frame, too_deep, unknown_type, empty_body,
    │   │                       invalid_body, invalid_name, unsupported_charset, ...
    │   └── TooLarge (413)      too_large, body_too_long, frame_too_large
    ├── RateLimited (429)       rate_limited (carries retry_after_s)
    └── Unavailable (503)       sequence_contention
        ├── StorageUnavailable  storage_unavailable
        └── BrokerUnavailable   broker_unavailable

docs/protocol.md lists every code with when it happens.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a client may see."""

    status = 400
    code = "error"
    message = "Something went wrong."

    def __init__(self, message: str | None = None, *, code: str | None = None, **extra: Any):
        self.message = message or type(self).message
        if code is not None:
            self.code = code
        self.extra = extra
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.extra}


class Unauthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    message = "Please sign in again."


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    message = "You don't have access to that."


class NotFound(DomainError):
    status = 404
    code = "not_found"
    message = "We couldn't find that."


class Conflict(DomainError):
    status = 409
    code = "conflict"
    message = "That conflicts with something that already exists."


class InvalidInput(DomainError):
    status = 400
    code = "invalid_input"
    message = "That request isn't valid."


class TooLarge(InvalidInput):
    status = 413
    code = "too_large"
    message = "That is larger than allowed."


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    message = "You're sending quickly — please wait a moment and try again."

    def __init__(self, retry_after_s: float, message: str | None = None, code: str | None = None):
        super().__init__(message, code=code, retry_after_s=round(max(retry_after_s, 0.1), 1))
        self.retry_after_s = float(self.extra["retry_after_s"])


class Unavailable(DomainError):
    status = 503
    code = "unavailable"
    message = "The service is briefly unavailable. Nothing was lost; please retry."


class StorageUnavailable(Unavailable):
    code = "storage_unavailable"
    message = "Messages can't be saved right now. Please retry — a retry never sends twice."


class BrokerUnavailable(Unavailable):
    code = "broker_unavailable"
    message = "Live delivery is briefly unavailable. Please retry."
