"""Gapless per-room ordering and resume (DESIGN.md section 4)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain.sequencing import ResumeKind, RoomSequencer, plan_resume

UP_TO_DATE, REPLAY, RELOAD = ResumeKind.UP_TO_DATE, ResumeKind.REPLAY, ResumeKind.RELOAD


@pytest.mark.parametrize(
    ("after", "head", "window", "kind"),
    [
        pytest.param(0, 0, 10, UP_TO_DATE, id="empty-room"),
        pytest.param(5, 5, 10, UP_TO_DATE, id="saw-everything"),
        pytest.param(4, 5, 10, REPLAY, id="missed-one"),
        pytest.param(0, 5, 10, REPLAY, id="first-visit-small-room"),
        pytest.param(0, 10, 10, REPLAY, id="gap-equals-window"),
        pytest.param(0, 11, 10, RELOAD, id="gap-one-over-window"),
        pytest.param(100, 1000, 500, RELOAD, id="gap-far-over-window"),
        pytest.param(0, 1, 1, REPLAY, id="window-of-one"),
        pytest.param(0, 2, 1, RELOAD, id="window-of-one-exceeded"),
        pytest.param(6, 5, 10, RELOAD, id="client-ahead"),
        pytest.param(5, 0, 10, RELOAD, id="storage-reset"),
        pytest.param(-1, 5, 10, RELOAD, id="negative"),
        pytest.param(-1, 0, 10, RELOAD, id="negative-empty-room"),
    ],
)
def test_plan_resume(after: int, head: int, window: int, kind: ResumeKind) -> None:
    """A reconnecting client is told it is up to date, gets a replay, or must reload."""
    plan = plan_resume(after, head, window)
    assert plan.kind is kind
    assert (plan.after, plan.head) == (after, head)


@settings(database=None)
@given(
    after=st.integers(-5, 2000),
    head=st.integers(0, 2000),
    window=st.integers(1, 1000),
)
def test_plan_resume_replays_only_a_bounded_real_gap(after: int, head: int, window: int) -> None:
    """A replay is only ever planned for a gap of 1..window events the server actually has."""
    plan = plan_resume(after, head, window)
    if plan.kind is REPLAY:
        assert 0 <= after < head
        assert head - after <= window
    elif plan.kind is UP_TO_DATE:
        assert after == head
    else:
        assert after < 0 or after > head or head - after > window


@st.composite
def shuffled_with_duplicates(draw: st.DrawFn) -> tuple[int, list[int]]:
    n = draw(st.integers(min_value=1, max_value=60))
    duplicates = draw(st.lists(st.integers(min_value=1, max_value=n), max_size=2 * n))
    offers = draw(st.permutations(list(range(1, n + 1)) + duplicates))
    return n, offers


@settings(database=None, max_examples=300)
@given(case=shuffled_with_duplicates())
def test_sequencer_releases_each_event_once_in_order(case: tuple[int, list[int]]) -> None:
    """Events offered in any order, some twice, come out as exactly 1..n, in order, each once."""
    n, offers = case
    sequencer: RoomSequencer[str] = RoomSequencer()
    released: list[str] = []
    for seq in offers:
        released.extend(sequencer.offer(seq, f"event-{seq}"))
        # Whatever has come out so far is exactly the prefix 1..head.
        assert released == [f"event-{i}" for i in range(1, sequencer.head + 1)]
        gap = sequencer.missing()
        if sequencer.has_gap:
            assert gap is not None
            start, end = gap
            assert start == sequencer.head + 1
            assert start <= end
            assert end + 1 in sequencer.pending
            assert not any(seq in sequencer.pending for seq in range(start, end + 1))
        else:
            assert gap is None
    assert released == [f"event-{i}" for i in range(1, n + 1)]
    assert sequencer.head == n
    assert not sequencer.has_gap
    assert sequencer.missing() is None


@pytest.mark.parametrize(
    ("offers", "released", "missing"),
    [
        pytest.param([], [], None, id="nothing-yet"),
        pytest.param([1, 2], [1, 2], None, id="in-order"),
        pytest.param([3], [], (1, 2), id="first-two-missing"),
        pytest.param([2, 5], [], (1, 1), id="gap-up-to-lowest-pending"),
        pytest.param([1, 4, 3], [1], (2, 2), id="one-hole"),
        pytest.param([1, 4, 3, 2], [1, 2, 3, 4], None, id="hole-filled"),
        pytest.param([1, 1, 1], [1], None, id="duplicate-released"),
        pytest.param([3, 3, 1], [1], (2, 2), id="duplicate-pending"),
        pytest.param([0, -1, 1], [1], None, id="zero-and-negative-ignored"),
    ],
)
def test_sequencer_missing_ranges(
    offers: list[int], released: list[int], missing: tuple[int, int] | None
) -> None:
    """The sequencer names the inclusive range to fetch to close a gap, or None."""
    sequencer: RoomSequencer[int] = RoomSequencer()
    out: list[int] = []
    for seq in offers:
        out.extend(sequencer.offer(seq, seq))
    assert out == released
    assert sequencer.missing() == missing
    assert sequencer.has_gap is (missing is not None)


def test_sequencer_keeps_first_copy_of_a_pending_duplicate() -> None:
    """A redelivered event waiting in a gap does not replace the copy already held."""
    sequencer: RoomSequencer[str] = RoomSequencer()
    assert sequencer.offer(2, "first") == []
    assert sequencer.offer(2, "second") == []
    assert sequencer.offer(1, "one") == ["one", "first"]


def test_sequencer_resumes_from_a_known_head() -> None:
    """A sequencer started at head 7 ignores 1..7 and releases from 8."""
    sequencer: RoomSequencer[int] = RoomSequencer(head=7)
    assert sequencer.offer(7, 7) == []
    assert sequencer.offer(9, 9) == []
    assert sequencer.missing() == (8, 8)
    assert sequencer.offer(8, 8) == [8, 9]
