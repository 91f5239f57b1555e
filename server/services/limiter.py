"""Rate limits for everyone, staff included (DESIGN.md rule 12), via ``limits``.

Counted in Redis when one is configured, so a member gets one budget across
all instances; in memory otherwise. If Redis is unreachable the limiter lets
the request through: a broker hiccup must not silence a circle.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

import structlog
from limits import RateLimitItem, RateLimitItemPerSecond, parse
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from ..domain.errors import RateLimited
from ..settings import LimitSettings

log = structlog.get_logger(__name__)

# How often the in-process windows drop keys nobody hit within their period.
_SWEEP_EVERY_S = 30.0


class MovingWindows:
    """In-process moving-window counters: at most ``amount`` hits in any
    ``period`` seconds per key, the semantics of ``limits``' moving window.

    ``limits``' in-memory storages run a timer thread that rescans every key
    each 10 ms (holding the GIL); with 4,000 keys the benchmark found that
    thread taking a quarter of the server's CPU. Here a key's window is
    pruned when it is hit, and idle keys are swept from the caller's own
    thread every ``_SWEEP_EVERY_S``: no thread, no lock, O(1) a hit.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._hits: dict[str, tuple[float, deque[float]]] = {}  # key → (period, hit times)
        self._swept = clock()

    def hit(self, key: str, amount: int, period: float) -> float:
        """Count a hit and return 0.0, or refuse it: the seconds until one is allowed."""
        now = self._clock()
        if now - self._swept > _SWEEP_EVERY_S:
            self._sweep(now)
        entry = self._hits.get(key)
        if entry is None:
            entry = self._hits[key] = (period, deque())
        times = entry[1]
        horizon = now - period
        while times and times[0] <= horizon:
            times.popleft()
        if len(times) >= amount:
            return max(times[0] + period - now, 0.001)
        times.append(now)
        return 0.0

    def __len__(self) -> int:
        return len(self._hits)

    def _sweep(self, now: float) -> None:
        self._swept = now
        idle = [
            key
            for key, (period, times) in self._hits.items()
            if not times or times[-1] <= now - period
        ]
        for key in idle:
            del self._hits[key]


class Limiter:
    def __init__(self, settings: LimitSettings, redis_url: str = "", prefix: str = "ic") -> None:
        self._prefix = prefix
        self._shared: MovingWindowRateLimiter | None = None
        self._local: MovingWindows | None = None
        if redis_url:
            scheme_url = redis_url.replace("redis://", "async+redis://", 1).replace(
                "rediss://", "async+rediss://", 1
            )
            found = storage_from_string(scheme_url, implementation="redispy")
            assert isinstance(found, Storage)
            self._shared = MovingWindowRateLimiter(found)
        else:
            # One process: threadless in-process windows (see MovingWindows).
            self._local = MovingWindows()
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
                # One item per kind (slow mode's key holds its seconds).
                wait = self._local.hit(f"{kind}:{key}", item.amount, item.get_expiry())
                if not wait:
                    return
                raise RateLimited(wait, message, code)
            else:
                assert self._shared is not None
                if await self._shared.hit(item, self._prefix, kind, key):
                    return
                stats = await self._shared.get_window_stats(item, self._prefix, kind, key)
        except RateLimited:
            raise
        except Exception as exc:  # the limiter's storage errors vary by backend
            log.warning("rate_limiter_unavailable", error=type(exc).__name__)
            return
        raise RateLimited(stats.reset_time - time.time(), message, code)
