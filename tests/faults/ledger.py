"""What every client of a fault test did and saw, and the checker that holds
it against what MongoDB stored (DESIGN.md section 4).

Clients write to one ``Ledger``: each send with the outcome of every attempt
(acked, an error code, a timeout, a lost connection), each subscription of
each connection to a room (the ``joined`` reply: after, head, resume), each
event received, and each reconnect (lost → resumed). ``check`` then asserts:

- every acknowledged message is stored, at the seq and id the ack gave;
- nothing is stored twice (one message per author and client id) and every
  stored message was sent by some client;
- the stored seqs of each room are 1, 2, 3, … without a hole;
- each subscription's live stream runs strictly +1 from its starting point
  (``after + 1`` on a replay, ``head + 1`` otherwise), each seq carrying the
  stored message of that seq: one order, the same on every screen;
- no client receives a seq twice over its connections, and after the final
  resume every client holds every stored event of its rooms.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

CREATED = "message.created"


@dataclass(frozen=True, slots=True)
class StoredEvent:
    room_id: str
    seq: int
    kind: str
    message_id: str
    author_id: str
    client_id: str


@dataclass(frozen=True, slots=True)
class Ack:
    message_id: str
    seq: int
    duplicate: bool


@dataclass(slots=True)
class SendRecord:
    """One message a client wanted stored, over all its attempts."""

    client: str
    author_id: str
    room_id: str
    client_id: str
    body: str
    started: float = field(default_factory=time.monotonic)
    attempts: list[str] = field(default_factory=list)
    acks: list[Ack] = field(default_factory=list)
    refused: str | None = None
    acked_at: float | None = None
    refusal_s: list[float] = field(default_factory=list)  # how long each error took

    @property
    def outcome(self) -> str:
        if self.acks:
            return "acked"
        return "failed" if self.refused else "unknown"

    def ack(self, message_id: str, seq: int, duplicate: bool) -> None:
        self.attempts.append("duplicate" if duplicate else "ack")
        self.acks.append(Ack(message_id, seq, duplicate))
        if self.acked_at is None:
            self.acked_at = time.monotonic()


@dataclass(slots=True)
class Segment:
    """One subscription: a connection's ``joined`` reply for a room and the
    events that followed it on that connection."""

    client: str
    connection: int
    room_id: str
    after: int | None
    head: int
    resume: str
    events: list[tuple[int, str]] = field(default_factory=list)  # (seq, message id)

    @property
    def start(self) -> int:
        """The first seq this subscription must deliver."""
        if self.resume == "replay" and self.after is not None:
            return self.after + 1
        return self.head + 1


@dataclass(slots=True)
class Reconnect:
    client: str
    lost_at: float
    resumed_at: float | None = None

    @property
    def seconds(self) -> float | None:
        return None if self.resumed_at is None else self.resumed_at - self.lost_at


class Ledger:
    def __init__(self, fault: str) -> None:
        self.fault = fault
        self.sends: list[SendRecord] = []
        self.segments: list[Segment] = []
        self.reconnects: list[Reconnect] = []
        self.strays: list[str] = []
        self.figures: Figures | None = None
        self._live: dict[tuple[str, int, str], Segment] = {}
        self._connections: Counter[str] = Counter()

    def new_connection(self, client: str) -> int:
        self._connections[client] += 1
        return self._connections[client]

    def send(
        self, client: str, author_id: str, room_id: str, client_id: str, body: str
    ) -> SendRecord:
        record = SendRecord(client, author_id, room_id, client_id, body)
        self.sends.append(record)
        return record

    def joined(
        self, client: str, connection: int, room_id: str, after: int | None, head: int, resume: str
    ) -> Segment:
        segment = Segment(client, connection, room_id, after, head, resume)
        self.segments.append(segment)
        self._live[(client, connection, room_id)] = segment
        return segment

    def event(self, client: str, connection: int, room_id: str, seq: int, message_id: str) -> None:
        segment = self._live.get((client, connection, room_id))
        if segment is None:
            self.strays.append(f"{client}#{connection} got {room_id}:{seq} before joined")
            return
        segment.events.append((seq, message_id))

    def lost(self, client: str) -> Reconnect:
        record = Reconnect(client, time.monotonic())
        self.reconnects.append(record)
        return record


@dataclass
class Figures:
    """The checker's numbers for one fault, printable in one line."""

    fault: str
    clients: int = 0
    connections: int = 0
    sends: int = 0
    acked: int = 0
    failed: int = 0
    unknown: int = 0
    stored: int = 0
    lost: int = 0
    duplicated: int = 0
    stored_unacked: int = 0
    duplicate_acks: int = 0
    delivered: int = 0
    stream_faults: int = 0
    reconnects: int = 0
    max_resume_s: float = 0.0
    max_ack_s: float = 0.0
    max_refusal_s: float = 0.0
    errors: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        errors = ",".join(f"{k}={v}" for k, v in sorted(self.errors.items())) or "-"
        return (
            f"{self.fault}: clients={self.clients} connections={self.connections} "
            f"sends={self.sends} acked={self.acked} failed={self.failed} "
            f"unknown={self.unknown} stored={self.stored} lost={self.lost} "
            f"duplicated={self.duplicated} stored_unacked={self.stored_unacked} "
            f"duplicate_acks={self.duplicate_acks} "
            f"delivered={self.delivered} stream_faults={self.stream_faults} "
            f"reconnects={self.reconnects} max_resume={self.max_resume_s:.2f}s "
            f"max_ack={self.max_ack_s:.2f}s max_refusal={self.max_refusal_s:.2f}s "
            f"attempt_errors={errors}"
        )


def check(
    ledger: Ledger, stored: dict[str, list[StoredEvent]], *, complete: bool = True
) -> Figures:
    """Hold the ledger against storage; ``figures.problems`` lists each breach."""
    figures = Figures(ledger.fault)
    problems = figures.problems
    by_seq: dict[str, dict[int, StoredEvent]] = {}
    messages: dict[tuple[str, str, str], list[StoredEvent]] = defaultdict(list)
    for room_id, events in stored.items():
        seqs = [e.seq for e in events]
        if seqs != list(range(1, len(seqs) + 1)):
            problems.append(f"stored seqs of {room_id} are not 1..n: {_runs(seqs)}")
        by_seq[room_id] = {e.seq: e for e in events}
        for event in events:
            if event.kind == CREATED:
                messages[(room_id, event.author_id, event.client_id)].append(event)
    figures.stored = len(messages)
    figures.duplicated = sum(len(copies) - 1 for copies in messages.values())
    if figures.duplicated:
        problems.append(f"{figures.duplicated} message(s) stored twice")

    _check_sends(ledger, messages, figures)
    _check_streams(ledger, by_seq, figures, complete=complete)
    figures.clients = len({s.client for s in ledger.segments} | {s.client for s in ledger.sends})
    figures.connections = len({(s.client, s.connection) for s in ledger.segments})
    figures.reconnects = len(ledger.reconnects)
    times = [r.seconds for r in ledger.reconnects if r.seconds is not None]
    figures.max_resume_s = max(times, default=0.0)
    unresumed = [r.client for r in ledger.reconnects if r.resumed_at is None]
    if unresumed:
        problems.append(f"{len(unresumed)} reconnect(s) never resumed: {unresumed[:5]}")
    ledger.figures = figures
    return figures


def _check_sends(
    ledger: Ledger,
    messages: dict[tuple[str, str, str], list[StoredEvent]],
    figures: Figures,
) -> None:
    problems = figures.problems
    errors: Counter[str] = Counter()
    sent: set[tuple[str, str, str]] = set()
    for record in ledger.sends:
        figures.sends += 1
        key = (record.room_id, record.author_id, record.client_id)
        sent.add(key)
        errors.update(a for a in record.attempts if a not in ("ack", "duplicate"))
        figures.duplicate_acks += sum(1 for ack in record.acks if ack.duplicate)
        figures.max_refusal_s = max([figures.max_refusal_s, *record.refusal_s])
        outcome = record.outcome
        if outcome == "failed":
            figures.failed += 1
        elif outcome == "unknown":
            figures.unknown += 1
        copies = messages.get(key, [])
        if outcome != "acked":
            figures.stored_unacked += 1 if copies else 0
            continue
        figures.acked += 1
        if record.acked_at is not None:
            figures.max_ack_s = max(figures.max_ack_s, record.acked_at - record.started)
        if not copies:
            figures.lost += 1
            problems.append(f"acked but not stored: {record.client} {record.body!r}")
            continue
        first = copies[0]
        for ack in record.acks:
            if (ack.message_id, ack.seq) != (first.message_id, first.seq):
                problems.append(
                    f"ack {ack} of {record.body!r} differs from stored "
                    f"{first.message_id}@{first.seq}"
                )
    figures.errors = dict(errors)
    phantoms = [key for key in messages if key not in sent]
    if phantoms:
        problems.append(f"{len(phantoms)} stored message(s) nobody sent: {phantoms[:3]}")


def _check_streams(
    ledger: Ledger,
    by_seq: dict[str, dict[int, StoredEvent]],
    figures: Figures,
    *,
    complete: bool,
) -> None:
    problems = figures.problems
    faults = list(ledger.strays)
    held: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    for segment in ledger.segments:
        expected = segment.start
        where = f"{segment.client}#{segment.connection} {segment.room_id}"
        stored = by_seq.get(segment.room_id, {})
        for seq, message_id in segment.events:
            figures.delivered += 1
            if seq != expected:
                kind = "gap" if seq > expected else "repeat/reorder"
                faults.append(f"{where}: {kind}, got {seq} expecting {expected}")
            expected = max(expected, seq + 1)
            found = stored.get(seq)
            if found is None or found.message_id != message_id:
                faults.append(f"{where}: seq {seq} carried {message_id}, stored {found}")
            held[(segment.client, segment.room_id)][seq] += 1
    for (client, room_id), seen in held.items():
        twice = sorted(seq for seq, count in seen.items() if count > 1)
        if twice:
            faults.append(f"{client} {room_id}: received again after resume: {_runs(twice)}")
        if complete:
            missing = sorted(set(by_seq.get(room_id, {})) - set(seen))
            if missing:
                faults.append(f"{client} {room_id}: never received {_runs(missing)}")
    figures.stream_faults = len(faults)
    if faults:
        problems.append(f"{len(faults)} stream fault(s), first: {faults[:5]}")


def _runs(seqs: list[int]) -> str:
    """``[1, 2, 3, 7, 9, 10]`` → ``"1-3,7,9-10"`` (shortened)."""
    parts: list[str] = []
    start = prev = None
    for seq in [*seqs, None]:
        if seq is not None and prev is not None and seq == prev + 1:
            prev = seq
            continue
        if start is not None:
            parts.append(f"{start}" if start == prev else f"{start}-{prev}")
        start = prev = seq
    text = ",".join(parts)
    return text if len(text) < 200 else text[:200] + "…"
