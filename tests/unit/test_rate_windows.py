"""The in-process moving windows behind the rate limits (rule 12)."""

from __future__ import annotations

from server.services.limiter import MovingWindows


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_allows_amount_hits_in_any_period_then_refuses_with_the_wait() -> None:
    clock = Clock()
    windows = MovingWindows(clock)
    assert [windows.hit("k", 3, 10.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    clock.now += 4.0
    assert windows.hit("k", 3, 10.0) == 6.0  # the first hit leaves the window in 6 s


def test_the_window_moves_hit_by_hit() -> None:
    clock = Clock()
    windows = MovingWindows(clock)
    windows.hit("k", 2, 10.0)
    clock.now += 5.0
    windows.hit("k", 2, 10.0)
    clock.now += 5.0  # the first hit has left; the second is still in
    assert windows.hit("k", 2, 10.0) == 0.0
    assert windows.hit("k", 2, 10.0) == 5.0


def test_keys_are_independent() -> None:
    windows = MovingWindows(Clock())
    assert windows.hit("a", 1, 10.0) == 0.0
    assert windows.hit("a", 1, 10.0) > 0
    assert windows.hit("b", 1, 10.0) == 0.0


def test_a_refused_hit_does_not_count() -> None:
    clock = Clock()
    windows = MovingWindows(clock)
    windows.hit("k", 1, 10.0)
    for _ in range(5):
        clock.now += 1.0
        assert windows.hit("k", 1, 10.0) > 0
    clock.now += 5.0
    assert windows.hit("k", 1, 10.0) == 0.0


def test_idle_keys_are_swept() -> None:
    clock = Clock()
    windows = MovingWindows(clock)
    for number in range(100):
        windows.hit(f"k{number}", 5, 1.0)
    assert len(windows) == 100
    clock.now += 60.0
    windows.hit("fresh", 5, 1.0)
    assert len(windows) == 1
