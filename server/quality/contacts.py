"""Measure the contact-lock detector on a labelled corpus (DESIGN.md rule 4).

    python -m server.quality.contacts [--corpus tests/corpus/contacts] [--repeat 5] [--skip-speed]

The corpus folder holds ``attempts.jsonl`` (messages carrying contact details, with
their kinds), ``benign.jsonl`` (hard negatives) and ``splits.jsonl`` (one sender's
consecutive messages, with the kinds they add up to, or none). Prints recall per kind,
for split messages and per language, the false-positive rate, the time per message,
and every miss and false positive; exits 1 when a target is missed.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import click

from server.domain.contact import ContactKind, find_contacts, find_split_contacts
from server.domain.contact.detect import MAX_PREVIOUS

from . import percentile

RECALL_PER_KIND = 0.98
RECALL_OVERALL = 0.98
RECALL_SPLIT = 0.95
FALSE_POSITIVE_RATE = 0.01
MEDIAN_BUDGET_US = 100.0
P99_BUDGET_US = 1000.0


@dataclass(frozen=True, slots=True)
class Attempt:
    """A message that carries contact details of the given kinds."""

    text: str
    kinds: frozenset[ContactKind]
    lang: str = "en"
    region: str = "US"


@dataclass(frozen=True, slots=True)
class Benign:
    """A message that carries no contact details."""

    text: str
    lang: str = "en"
    note: str = ""


@dataclass(frozen=True, slots=True)
class Split:
    """One sender's consecutive messages; ``kinds`` is empty for a benign sequence."""

    messages: tuple[str, ...]
    kinds: frozenset[ContactKind]


@dataclass(frozen=True, slots=True)
class Corpus:
    """The three corpus files, parsed."""

    attempts: tuple[Attempt, ...]
    benign: tuple[Benign, ...]
    splits: tuple[Split, ...]


@dataclass(slots=True)
class Tally:
    """Hits out of a total."""

    hits: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        """hits / total, or 1.0 for an empty tally."""
        return self.hits / self.total if self.total else 1.0

    def count(self, hit: bool) -> None:
        """Add one case."""
        self.total += 1
        self.hits += hit


@dataclass(slots=True)
class QualityReport:
    """Recall and false positives of the detector on one corpus."""

    recall: Tally = field(default_factory=Tally)
    recall_by_kind: dict[ContactKind, Tally] = field(default_factory=dict)
    recall_by_lang: dict[str, Tally] = field(default_factory=dict)
    recall_split: Tally = field(default_factory=Tally)
    false_positives: Tally = field(default_factory=Tally)
    false_positives_by_lang: dict[str, Tally] = field(default_factory=dict)
    false_positive_splits: Tally = field(default_factory=Tally)
    misses: list[str] = field(default_factory=list)
    false_alerts: list[str] = field(default_factory=list)

    def failures(self) -> list[str]:
        """The quality targets this report misses, as sentences."""
        found = [
            f"{kind} recall {tally.rate:.1%} is below {RECALL_PER_KIND:.0%}"
            for kind, tally in self.recall_by_kind.items()
            if tally.rate < RECALL_PER_KIND
        ]
        if self.recall.rate < RECALL_OVERALL:
            found.append(f"recall {self.recall.rate:.1%} is below {RECALL_OVERALL:.0%}")
        if self.recall_split.rate < RECALL_SPLIT:
            found.append(f"split recall {self.recall_split.rate:.1%} is below {RECALL_SPLIT:.0%}")
        if self.false_positives.rate > FALSE_POSITIVE_RATE:
            found.append(
                f"false-positive rate {self.false_positives.rate:.1%}"
                f" is above {FALSE_POSITIVE_RATE:.0%}"
            )
        if self.false_positive_splits.hits:
            found.append(f"{self.false_positive_splits.hits} benign split sequence(s) flagged")
        return found


def load_corpus(folder: Path) -> Corpus:
    """The attempts, benign messages and split sequences of a corpus folder."""
    return Corpus(
        attempts=tuple(
            Attempt(
                text=str(line["text"]),
                kinds=_kinds(line["kinds"]),
                lang=str(line.get("lang", "en")),
                region=str(line.get("region", "US")),
            )
            for line in _lines(folder / "attempts.jsonl")
        ),
        benign=tuple(
            Benign(str(line["text"]), str(line.get("lang", "en")), str(line.get("note", "")))
            for line in _lines(folder / "benign.jsonl")
        ),
        splits=tuple(
            Split(tuple(str(message) for message in _list(line["messages"])), _kinds(line["kinds"]))
            for line in _lines(folder / "splits.jsonl")
        ),
    )


def found_in_sequence(messages: Sequence[str]) -> frozenset[ContactKind]:
    """What the lock refuses over ``messages`` sent one at a time by one participant."""
    found: set[ContactKind] = set()
    for index, message in enumerate(messages):
        earlier = messages[max(0, index - MAX_PREVIOUS) : index]
        found |= find_contacts(message) | find_split_contacts(earlier, message)
    return frozenset(found)


def evaluate(corpus: Corpus) -> QualityReport:
    """Run the detector over every message and sequence and tally the results."""
    report = QualityReport(recall_by_kind={kind: Tally() for kind in ContactKind})
    for attempt in corpus.attempts:
        found = find_contacts(attempt.text, region=attempt.region)
        caught = attempt.kinds <= found
        report.recall.count(caught)
        report.recall_by_lang.setdefault(attempt.lang, Tally()).count(caught)
        for kind in attempt.kinds:
            report.recall_by_kind[kind].count(kind in found)
        if not caught:
            report.misses.append(
                f"[{attempt.lang}] {_names(attempt.kinds)} got {_names(found)}: {attempt.text!r}"
            )
    for benign in corpus.benign:
        found = find_contacts(benign.text)
        report.false_positives.count(bool(found))
        report.false_positives_by_lang.setdefault(benign.lang, Tally()).count(bool(found))
        if found:
            report.false_alerts.append(
                f"[{benign.lang}/{benign.note}] {_names(found)}: {benign.text!r}"
            )
    for split in corpus.splits:
        found = found_in_sequence(split.messages)
        if split.kinds:
            report.recall_split.count(split.kinds <= found)
            if not split.kinds <= found:
                report.misses.append(
                    f"[split] {_names(split.kinds)} got {_names(found)}: {list(split.messages)!r}"
                )
        else:
            report.false_positive_splits.count(bool(found))
            if found:
                report.false_alerts.append(f"[split] {_names(found)}: {list(split.messages)!r}")
    return report


def time_messages(texts: Iterable[str], repeat: int) -> list[float]:
    """Microseconds per ``find_contacts`` call, every text ``repeat`` times (after a warm-up)."""
    texts = list(texts)
    for text in texts:
        find_contacts(text)
    timings: list[float] = []
    for _ in range(repeat):
        for text in texts:
            started = time.perf_counter_ns()
            find_contacts(text)
            timings.append((time.perf_counter_ns() - started) / 1000)
    return timings


@click.command()
@click.option(
    "--corpus",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("tests/corpus/contacts"),
    show_default=True,
    help="Folder with attempts.jsonl, benign.jsonl and splits.jsonl.",
)
@click.option("--repeat", type=click.IntRange(1, 1000), default=5, show_default=True)
@click.option("--skip-speed", is_flag=True, help="Report timings but do not fail on them.")
def main(corpus: Path, repeat: int, skip_speed: bool) -> None:
    """Measure the contact-lock detector on a labelled corpus; exit 1 below target."""
    loaded = load_corpus(corpus)
    report = evaluate(loaded)
    _print_report(report, loaded)
    benign_us = time_messages((item.text for item in loaded.benign), repeat)
    all_us = benign_us + time_messages((item.text for item in loaded.attempts), repeat)
    for name, timings in (("benign", benign_us), ("all", all_us)):
        click.echo(
            f"time per message ({name}): median {statistics.median(timings):.1f} µs,"
            f" p99 {percentile(timings, 0.99):.1f} µs, max {max(timings):.1f} µs"
            f" ({len(timings)} calls)"
        )
    click.echo(f"  budget for benign: median {MEDIAN_BUDGET_US:.0f} µs, p99 {P99_BUDGET_US:.0f} µs")
    failures = report.failures()
    median, p99 = statistics.median(benign_us), percentile(benign_us, 0.99)
    if not skip_speed and median > MEDIAN_BUDGET_US:
        failures.append(f"median {median:.1f} µs is above {MEDIAN_BUDGET_US:.0f} µs")
    if not skip_speed and p99 > P99_BUDGET_US:
        failures.append(f"p99 {p99:.1f} µs is above {P99_BUDGET_US:.0f} µs")
    if failures:
        click.echo("\nBELOW TARGET: " + "; ".join(failures))
        sys.exit(1)
    click.echo("\nall targets met")


def _print_report(report: QualityReport, corpus: Corpus) -> None:
    positive = sum(1 for split in corpus.splits if split.kinds)
    click.echo(
        f"corpus: {len(corpus.attempts)} attempts, {len(corpus.benign)} benign messages,"
        f" {positive} split attempts, {len(corpus.splits) - positive} benign split sequences"
    )
    for kind, tally in report.recall_by_kind.items():
        click.echo(f"  recall {kind:<8} {_show(tally)}  (target ≥ {RECALL_PER_KIND:.0%})")
    click.echo(f"  recall {'split':<8} {_show(report.recall_split)}  (target ≥ {RECALL_SPLIT:.0%})")
    click.echo(f"recall overall: {_show(report.recall)}  (target ≥ {RECALL_OVERALL:.0%})")
    for lang, tally in sorted(report.recall_by_lang.items()):
        click.echo(f"  recall {lang}: {_show(tally)}")
    click.echo(
        f"false-positive rate: {_show(report.false_positives)}"
        f"  (target ≤ {FALSE_POSITIVE_RATE:.0%});"
        f" benign split sequences flagged: {report.false_positive_splits.hits}"
        f"/{report.false_positive_splits.total}"
    )
    for lang, tally in sorted(report.false_positives_by_lang.items()):
        click.echo(f"  false positives {lang}: {_show(tally)}")
    click.echo(f"\nmisses ({len(report.misses)}):")
    for miss in report.misses:
        click.echo(f"  {miss}")
    click.echo(f"false positives ({len(report.false_alerts)}):")
    for alert in report.false_alerts:
        click.echo(f"  {alert}")
    click.echo()


def _show(tally: Tally) -> str:
    return f"{tally.rate:6.1%} ({tally.hits}/{tally.total})"


def _names(kinds: Iterable[ContactKind]) -> str:
    return "[" + ", ".join(sorted(kinds)) + "]"


def _lines(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise ValueError(f"expected a list, got {value!r}")
    return value


def _kinds(value: object) -> frozenset[ContactKind]:
    return frozenset(ContactKind(str(kind)) for kind in _list(value))


if __name__ == "__main__":
    main()
