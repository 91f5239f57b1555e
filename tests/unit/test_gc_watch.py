"""The cyclic-GC watch: every collection is timed into the histogram, long
ones are logged (the loop stands still while one runs)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
import structlog

from server.observability import Metrics, watch_gc


@pytest.fixture
def metrics() -> Iterator[Metrics]:
    found = Metrics()
    before = list(gc.callbacks)
    watch_gc(found)
    yield found
    gc.callbacks[:] = before


def _count(metrics: Metrics, generation: int) -> float:
    value = metrics.registry.get_sample_value(
        "ic_gc_pause_seconds_count", {"generation": str(generation)}
    )
    return value or 0.0


def test_each_collection_is_timed_by_generation(metrics: Metrics) -> None:
    gc.collect(0)
    gc.collect(2)
    gc.collect(2)
    assert _count(metrics, 0) >= 1
    assert _count(metrics, 2) >= 2


def test_a_long_collection_is_logged(metrics: Metrics, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("server.observability._LONG_GC_S", 0.0)
    with structlog.testing.capture_logs() as logs:
        gc.collect(2)
    long = [e for e in logs if e["event"] == "gc.long_pause"]
    assert long and long[0]["generation"] == 2
    assert long[0]["oldest"] > 0
