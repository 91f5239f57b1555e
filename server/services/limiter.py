"""Rate limits for everyone, staff included (DESIGN.md rule 12), via ``limits``.

Counted in Redis when one is configured, so a member gets one budget across
all instances; in memory otherwise. If Redis is unreachable the limiter lets
the request through: a broker hiccup must not silence a circle.
"""

from __future__ import annotations

import time

import structlog
from limits import RateLimitItem, RateLimitItemPerSecond, parse
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import MemoryStorage as SyncMemoryStorage
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter as SyncMovingWindowRateLimiter

from ..domain.errors import RateLimited
from ..settings import LimitSettings

log = structlog.get_logger(__name__)


class Limiter:
    def __init__(self, settings: LimitSettings, redis_url: str = "", prefix: str = "ic") -> None:
        self._prefix = prefix
        self._shared: MovingWindowRateLimiter | None = None
        self._local: SyncMovingWindowRateLimiter | None = None
        if redis_url:
            scheme_url = redis_url.replace("redis://", "async+redis://", 1).replace(
                "rediss://", "async+rediss://", 1
            )
            found = storage_from_string(scheme_url, implementation="redispy")
            assert isinstance(found, Storage)
            self._shared = MovingWindowRateLimiter(found)
        else:
            # One process: the synchronous in-memory counters (about 8 µs a
            # hit). The asyncio MemoryStorage of limits 5.x rescans every key
            # and hops to a thread per key; the benchmark found it taking
            # almost half the server's CPU.
            self._local = SyncMovingWindowRateLimiter(SyncMemoryStorage())
        self._items: dict[str, RateLimitItem] = {
            "send": parse(settings.send_rate),
            "frame": parse(settings.frame_rate),
            "login": parse(settings.login_rate),
            "support": parse(settings.support_rate),
        }

    async def check(self, kind: str, key: str) -> None:
        await self._hit(self._items[kind], kind, key)

    async def check_slow_mode(self, room_id: str, member_id: str, seconds: int) -> None:
        """Slow mode (rule 8): one message per ``seconds`` per member in the room."""
        await self._hit(
            RateLimitItemPerSecond(1, seconds),
            "slow",
            f"{room_id}:{member_id}:{seconds}",
            message=f"This room is in slow mode: one message every {seconds} seconds.",
            code="slow_mode",
        )

    async def _hit(
        self,
        item: RateLimitItem,
        kind: str,
        key: str,
        message: str | None = None,
        code: str | None = None,
    ) -> None:
        try:
            if self._local is not None:
                if self._local.hit(item, self._prefix, kind, key):
                    return
                stats = self._local.get_window_stats(item, self._prefix, kind, key)
            else:
                assert self._shared is not None
                if await self._shared.hit(item, self._prefix, kind, key):
                    return
                stats = await self._shared.get_window_stats(item, self._prefix, kind, key)
        except Exception as exc:  # the limiter's storage errors vary by backend
            log.warning("rate_limiter_unavailable", error=type(exc).__name__)
            return
        raise RateLimited(stats.reset_time - time.time(), message, code)
