"""Structured logs (structlog) and Prometheus metrics.

Logs never carry message text, tokens or passwords: only ids, codes and
counts are ever passed to a logger, and a processor drops any key that looks
like a secret as a second line of defence.
"""

from __future__ import annotations

import gc
import logging
import sys
import time
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

import structlog
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from .settings import LogSettings

_SECRET_KEYS = frozenset(
    {
        "token",
        "access_token",
        "refresh_token",
        "invite",
        "password",
        "body",
        "text",
        "authorization",
        "secret",
        "jwt_secret",
    }
)


def _drop_secrets(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in list(event):
        if key.lower() in _SECRET_KEYS:
            event[key] = "[redacted]"
    return event


def configure_logging(settings: LogSettings) -> None:
    level = getattr(logging, settings.level)
    logging.basicConfig(level=level, stream=sys.stderr, format="%(message)s")
    # aiohttp's access log prints request lines; ours carry no query strings
    # with secrets, but keep it quiet and rely on our own structured events.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if settings.format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _drop_secrets,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=True,
    )


@dataclass
class Metrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.connections = Gauge(
            "ic_ws_connections", "Open WebSocket connections (signed in or not yet)", registry=r
        )
        self.rooms = Gauge("ic_local_rooms", "Rooms with members on this instance", registry=r)
        self.errors = Counter(
            "ic_ws_errors_total", "Error frames sent, by code", ["code"], registry=r
        )
        self.slow_consumers = Counter(
            "ic_ws_slow_consumers_total", "Sockets dropped because they stopped reading", registry=r
        )
        self.command_seconds = Histogram(
            "ic_ws_command_seconds",
            "Time to handle one socket command",
            ["command"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0),
            registry=r,
        )
        self.http_errors = Counter(
            "ic_http_errors_total", "HTTP problem responses", ["code"], registry=r
        )
        self.gc_pause_seconds = Histogram(
            "ic_gc_pause_seconds",
            "Cyclic garbage collections: how long each stopped the event loop",
            ["generation"],
            buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
            registry=r,
        )


_LONG_GC_S = 0.05


def watch_gc(metrics: Metrics) -> None:
    """Time every cyclic collection into ``ic_gc_pause_seconds`` and log the
    long ones (>= 50 ms): the whole event loop stands still while one runs.
    Once per process (``serve`` calls it)."""
    started = 0.0
    pauses = [metrics.gc_pause_seconds.labels(str(g)) for g in range(3)]
    log = structlog.get_logger("gc")

    def timed(phase: str, info: dict[str, int]) -> None:
        nonlocal started
        if phase == "start":
            started = time.perf_counter()
            return
        took = time.perf_counter() - started
        generation = info["generation"]
        pauses[generation].observe(took)
        if took >= _LONG_GC_S:
            log.warning(
                "gc.long_pause",
                generation=generation,
                ms=round(took * 1000, 1),
                collected=info["collected"],
                oldest=len(gc.get_objects(2)),  # what a full collection walks
            )

    gc.callbacks.append(timed)
