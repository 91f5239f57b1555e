"""The channels a Redis broker wants, spread over one link per node that
serves them, and the repair loop that restores them after a loss.

Any loss (a link cut, a node that gave a channel's slot away, a refused or
unconfirmed subscribe) marks the set *lost*. The repair loop then re-reads
the topology, subscribes every wanted channel on the node that now serves
it, re-sends the publish backlog and calls ``on_reconnect``, because
messages may have been missed meanwhile. It retries with jittered backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections import defaultdict
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import Any, Protocol

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisClusterException, RedisError

from ..ports import MessageHandler, ReconnectHandler
from .link import Dialect, Link

log = structlog.get_logger(__name__)

# What a lost server, a moving cluster or a slow confirmation can raise.
FAILURES: tuple[type[Exception], ...] = (RedisError, RedisClusterException, OSError)


class _Incomplete(Exception):
    """A channel was added or changed hands during the repair: go again."""


_RETRIED: tuple[type[Exception], ...] = (*FAILURES, _Incomplete)
_MIN_DELAY_S = 0.05
_MAX_DELAY_S = 2.0


class Router(Protocol):
    """Where channels live: one server, or the cluster node owning each slot."""

    dialect: Dialect

    def owner(self, channel: str) -> str:
        """The name of the node serving ``channel`` (may raise FAILURES)."""
        ...

    def connect(self, node: str) -> Redis:
        """A new client for a link to ``node``; it must not retry by itself."""
        ...

    def batches(self, channels: Iterable[str]) -> list[list[str]]:
        """The channels grouped so each group fits one subscribe command."""
        ...

    async def refresh(self) -> None:
        """Re-read the topology after a loss."""
        ...


class Subscriptions:
    """Wanted channels, their links, and the loop that repairs them."""

    def __init__(self, router: Router, channels: Iterable[str]) -> None:
        self.wanted: set[str] = set(channels)
        self.lost = False
        self.reconnects = 0
        self._router = router
        self._links: dict[str, Link] = {}
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._deliver: MessageHandler | None = None
        self._flush: Callable[[], Awaitable[None]] | None = None
        self._on_reconnect: ReconnectHandler | None = None
        self._pending = False  # something (a backlog) awaits the repair loop
        self._losses = 0
        self._repairer: asyncio.Task[None] | None = None
        self._closed = False

    async def start(
        self,
        deliver: MessageHandler,
        on_reconnect: ReconnectHandler,
        flush: Callable[[], Awaitable[None]],
    ) -> None:
        """Subscribe everything wanted, then keep it so; raises FAILURES."""
        self._deliver, self._on_reconnect, self._flush = deliver, on_reconnect, flush
        try:
            async with self._lock:
                await self._router.refresh()
                await self._place(self.wanted)
        except BaseException:
            await self.close()
            raise
        self._repairer = self.spawn(self._repair_forever(), "broker-repair")

    async def add(self, channel: str) -> None:
        """Subscribe, confirmed; on failure the repair loop takes over."""
        if channel in self.wanted:
            return
        self.wanted.add(channel)
        if self.lost or self._deliver is None or self._closed:
            return
        try:
            async with self._lock:
                await self._place([channel])
        except FAILURES as exc:
            log.warning("broker_subscribe_failed", error=type(exc).__name__)
            self.mark_lost()

    async def remove(self, channel: str) -> None:
        """Unsubscribe, confirmed where the link is up; never raises FAILURES."""
        self.wanted.discard(channel)
        async with self._lock:
            for link in list(self._links.values()):
                if channel in link.channels:
                    with contextlib.suppress(*FAILURES):
                        await link.unsubscribe([channel])
                    if not link.channels:
                        await self._retire(link)

    def wake(self) -> None:
        """Ask the repair loop for a pass (to re-send the backlog)."""
        self._pending = True
        self._wake.set()

    def mark_lost(self) -> None:
        self._losses += 1
        self.lost = True
        self._wake.set()

    def spawn(self, coro: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def close(self) -> None:
        """Stop repairing, close every link, cancel what is left; idempotent."""
        self._closed = True
        if self._repairer is not None:
            self._repairer.cancel()
        for link in list(self._links.values()):
            await self._retire(link)
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    # placing ---------------------------------------------------------------
    async def _place(self, channels: Iterable[str]) -> None:
        by_node: defaultdict[str, list[str]] = defaultdict(list)
        for channel in channels:
            by_node[self._router.owner(channel)].append(channel)
        for node, on_node in by_node.items():
            link = self._links.get(node)
            if link is None:
                link = self._links[node] = Link(
                    node,
                    self._router.connect(node),
                    self._router.dialect,
                    deliver=self._dispatch,
                    on_dropped=self._on_dropped,
                    on_lost=self._on_lost,
                    spawn=self.spawn,
                )
            for batch in self._router.batches(on_node):
                await link.subscribe(batch)

    def _misplaced(self) -> tuple[set[str], list[tuple[Link, str]]]:
        """Wanted channels not on their owner's link; channels on a wrong link."""
        owners = {channel: self._router.owner(channel) for channel in self.wanted}
        unplaced = {
            channel
            for channel, node in owners.items()
            if node not in self._links or channel not in self._links[node].channels
        }
        stray = [
            (link, channel)
            for link in self._links.values()
            for channel in link.channels
            if owners.get(channel, link.name) != link.name or channel not in self.wanted
        ]
        return unplaced, stray

    async def _retire(self, link: Link) -> None:
        if self._links.get(link.name) is link:
            del self._links[link.name]
        await link.close()

    # events from links -----------------------------------------------------
    async def _dispatch(self, channel: str, payload: bytes) -> None:
        # Drops what was read for a channel unsubscribed since.
        if channel in self.wanted and self._deliver is not None:
            await self._deliver(channel, payload)

    def _on_dropped(self, link: Link, channel: str) -> None:
        if channel in self.wanted:
            log.info("broker_channel_moved", link=link.name)
            self.mark_lost()

    def _on_lost(self, link: Link) -> None:
        if self._links.get(link.name) is link:
            del self._links[link.name]
        self.mark_lost()

    # repair ----------------------------------------------------------------
    async def _repair_forever(self) -> None:
        delay = _MIN_DELAY_S
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self._repair()
                delay = _MIN_DELAY_S
            except _RETRIED as exc:
                log.warning("broker_repair_failed", error=type(exc).__name__)
            except Exception:
                log.exception("broker_repair_crashed")  # a bug: still, keep trying
            else:
                continue
            await asyncio.sleep(delay + random.uniform(0, delay))  # noqa: S311
            delay = min(delay * 2, _MAX_DELAY_S)
            self._wake.set()

    async def _repair(self) -> None:
        losses = self._losses
        if self.lost:
            async with self._lock:
                await self._router.refresh()
                unplaced, stray = self._misplaced()
                for link, channel in stray:
                    link.channels.discard(channel)
                    with contextlib.suppress(*FAILURES):
                        await link.unsubscribe([channel])
                await self._place(sorted(unplaced))
                for link in list(self._links.values()):
                    if not link.channels:
                        await self._retire(link)
                if self._misplaced()[0]:
                    raise _Incomplete()
        if self._flush is not None and (self.lost or self._pending):
            await self._flush()
        self._pending = False
        if self.lost and losses == self._losses:
            self.lost = False
            self.reconnects += 1
            log.info("broker_reconnected", channels=len(self.wanted))
            if self._on_reconnect is not None:
                try:
                    await self._on_reconnect()
                except Exception:
                    log.exception("broker_reconnect_handler_failed")
