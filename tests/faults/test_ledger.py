"""The checker itself: every breach it exists for is caught on a hand-made ledger."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .ledger import CREATED, Ledger, StoredEvent, check

ROOM = "room"


def stored(*messages: tuple[str, str]) -> dict[str, list[StoredEvent]]:
    """Messages ``(message id, client id)`` by one author, at seqs 1, 2, …"""
    return {
        ROOM: [
            StoredEvent(ROOM, seq, CREATED, message_id, "robin", client_id)
            for seq, (message_id, client_id) in enumerate(messages, start=1)
        ]
    }


def clean() -> Ledger:
    """Robin sends two messages; Sky sees both, reconnecting in between."""
    ledger = Ledger("unit")
    ledger.send("robin", "robin", ROOM, "c1", "one").ack("m1", 1, duplicate=False)
    ledger.send("robin", "robin", ROOM, "c2", "two").ack("m2", 2, duplicate=False)
    ledger.joined("sky", 1, ROOM, 0, 0, "up_to_date")
    ledger.event("sky", 1, ROOM, 1, "m1")
    reconnect = ledger.lost("sky")
    reconnect.resumed_at = reconnect.lost_at + 0.5
    ledger.joined("sky", 2, ROOM, 1, 2, "replay")
    ledger.event("sky", 2, ROOM, 2, "m2")
    return ledger


GOOD = stored(("m1", "c1"), ("m2", "c2"))


def test_a_clean_run_passes() -> None:
    """A run where everything holds has no problems and the right figures."""
    figures = check(clean(), GOOD)
    assert figures.problems == []
    assert (figures.acked, figures.stored, figures.lost, figures.duplicated) == (2, 2, 0, 0)
    assert figures.delivered == 2 and figures.connections == 2
    assert figures.max_resume_s == pytest.approx(0.5)
    assert "acked=2" in figures.line()


def lose_acked(ledger: Ledger) -> dict[str, list[StoredEvent]]:
    ledger.send("robin", "robin", ROOM, "c3", "three").ack("m3", 3, duplicate=False)
    return GOOD


def store_twice(ledger: Ledger) -> dict[str, list[StoredEvent]]:
    return stored(("m1", "c1"), ("m2", "c2"), ("m9", "c2"))


def skip_a_seq(ledger: Ledger) -> dict[str, list[StoredEvent]]:
    ledger.segments[-1].events[0] = (3, "m3")
    return stored(("m1", "c1"), ("m2", "c2"), ("m3", "c3"))


def replay_again(ledger: Ledger) -> dict[str, list[StoredEvent]]:
    ledger.segments[-1].after = 0
    ledger.segments[-1].events.insert(0, (1, "m1"))
    return GOOD


def repeat_in_stream(ledger: Ledger) -> dict[str, list[StoredEvent]]:
    ledger.segments[-1].events.append((2, "m2"))
    return GOOD


def wrong_message(ledger: Ledger) -> dict[str, list[StoredEvent]]:
    ledger.segments[-1].events[0] = (2, "m1")
    return GOOD


def miss_at_the_end(ledger: Ledger) -> dict[str, list[StoredEvent]]:
    ledger.segments[-1].events.clear()
    return GOOD


def ack_elsewhere(ledger: Ledger) -> dict[str, list[StoredEvent]]:
    ledger.sends[1].ack("m2", 5, duplicate=True)
    return GOOD


def phantom(ledger: Ledger) -> dict[str, list[StoredEvent]]:
    return stored(("m1", "c1"), ("m2", "c2"), ("m3", "nobody"))


def hole_in_storage(ledger: Ledger) -> dict[str, list[StoredEvent]]:
    events = GOOD[ROOM]
    return {ROOM: [events[0], StoredEvent(ROOM, 3, CREATED, "m2", "robin", "c2")]}


def never_resumed(ledger: Ledger) -> dict[str, list[StoredEvent]]:
    ledger.lost("sky")
    return GOOD


@pytest.mark.parametrize(
    ("breach", "problem"),
    [
        (lose_acked, "acked but not stored"),
        (store_twice, "stored twice"),
        (skip_a_seq, "gap"),
        (replay_again, "received again"),
        (repeat_in_stream, "repeat/reorder"),
        (wrong_message, "carried m1"),
        (miss_at_the_end, "never received 2"),
        (ack_elsewhere, "differs from stored"),
        (phantom, "nobody sent"),
        (hole_in_storage, "not 1..n"),
        (never_resumed, "never resumed"),
    ],
)
def test_each_breach_is_caught(
    breach: Callable[[Ledger], dict[str, list[StoredEvent]]], problem: str
) -> None:
    """The checker reports each kind of breach it exists for."""
    ledger = clean()
    figures = check(ledger, breach(ledger))
    assert any(problem in p for p in figures.problems), figures.problems
