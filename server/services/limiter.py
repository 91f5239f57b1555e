"""Rate limits for everyone, staff included (DESIGN.md rule 12), via ``limits``.

Counted in Redis when one is configured, so a member gets one budget across
all instances; in memory otherwise. If Redis is unreachable the limiter lets
the request through: a broker hiccup must not silence a circle.
"""

from __future__ import annotations

import time

import structlog
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from ..domain.errors import RateLimited
from ..settings import LimitSettings

log = structlog.get_logger(__name__)


class Limiter:
    def __init__(self, settings: LimitSettings, redis_url: str = "", prefix: str = "ic") -> None:
        self._prefix = prefix
        storage: Storage
        if redis_url:
            scheme_url = redis_url.replace("redis://", "async+redis://", 1).replace(
                "rediss://", "async+rediss://", 1
            )
            found = storage_from_string(scheme_url, implementation="redispy")
            assert isinstance(found, Storage)
            storage = found
        else:
            storage = MemoryStorage()
        self._limiter = MovingWindowRateLimiter(storage)
        self._items: dict[str, RateLimitItem] = {
            "send": parse(settings.send_rate),
            "frame": parse(settings.frame_rate),
            "login": parse(settings.login_rate),
        }

    async def check(self, kind: str, key: str) -> None:
        item = self._items[kind]
        try:
            allowed = await self._limiter.hit(item, self._prefix, kind, key)
            if allowed:
                return
            stats = await self._limiter.get_window_stats(item, self._prefix, kind, key)
        except Exception as exc:  # the limiter's storage errors vary by backend
            log.warning("rate_limiter_unavailable", error=type(exc).__name__)
            return
        raise RateLimited(retry_after_s=stats.reset_time - time.time())
