"""Measure the self-harm risk detector on a labelled corpus (DESIGN.md rule 11).

    python -m server.quality.risk [--corpus tests/corpus/risk] [--repeat 5] [--skip-speed]

The corpus folder holds ``risk.jsonl`` (messages that must alert, with their
kinds) and ``benign.jsonl`` (hard negatives that must not). Prints recall
per language and kind, the false-positive rate, the time per message, and
every miss and false positive; exits 1 when a target is missed.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import click

from server.domain.risk import RiskKind, assess_risk
from server.domain.risk.detector import find_risk_findings

from . import percentile

RECALL_OVERALL = 0.95
RECALL_PER_LANGUAGE = 0.90
FALSE_POSITIVE_RATE = 0.02
MEDIAN_BUDGET_US = 50.0
P99_BUDGET_US = 500.0


@dataclass(frozen=True, slots=True)
class Labelled:
    """One corpus line: a message, its language, and the kinds it should raise (none if benign)."""

    text: str
    lang: str
    kinds: frozenset[RiskKind]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the detector said about one labelled message."""

    item: Labelled
    kinds: frozenset[RiskKind] | None


@dataclass(slots=True)
class Tally:
    """Hits out of a total."""

    hits: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        """hits / total, or 1.0 for an empty tally."""
        return self.hits / self.total if self.total else 1.0


@dataclass(slots=True)
class QualityReport:
    """Recall, false positives and timing of the detector on one corpus."""

    recall: Tally = field(default_factory=Tally)
    recall_by_lang: dict[str, Tally] = field(default_factory=dict)
    recall_by_kind: dict[str, Tally] = field(default_factory=dict)
    kind_agreement: dict[str, Tally] = field(default_factory=dict)
    false_positives: Tally = field(default_factory=Tally)
    false_positives_by_lang: dict[str, Tally] = field(default_factory=dict)
    misses: list[Outcome] = field(default_factory=list)
    false_alerts: list[Outcome] = field(default_factory=list)

    def failures(self) -> list[str]:
        """The quality targets this report misses, as sentences."""
        found: list[str] = []
        if self.recall.rate < RECALL_OVERALL:
            found.append(f"recall {self.recall.rate:.1%} is below {RECALL_OVERALL:.0%}")
        for lang, tally in sorted(self.recall_by_lang.items()):
            if tally.rate < RECALL_PER_LANGUAGE:
                found.append(
                    f"recall in {lang} {tally.rate:.1%} is below {RECALL_PER_LANGUAGE:.0%}"
                )
        if self.false_positives.rate > FALSE_POSITIVE_RATE:
            found.append(
                f"false-positive rate {self.false_positives.rate:.1%}"
                f" is above {FALSE_POSITIVE_RATE:.0%}"
            )
        return found


def load_corpus(folder: Path) -> tuple[list[Labelled], list[Labelled]]:
    """The risk and benign messages of a corpus folder."""
    risk = [_labelled(line) for line in _lines(folder / "risk.jsonl")]
    benign = [_labelled(line) for line in _lines(folder / "benign.jsonl")]
    return risk, benign


def evaluate(risk: Iterable[Labelled], benign: Iterable[Labelled]) -> QualityReport:
    """Run the detector over every message and tally the results."""
    report = QualityReport()
    for item in risk:
        outcome = _assess(item)
        hit = outcome.kinds is not None
        _count(report.recall, hit)
        _count(report.recall_by_lang.setdefault(item.lang, Tally()), hit)
        for kind in item.kinds:
            _count(report.recall_by_kind.setdefault(kind, Tally()), hit)
            if hit:
                agreed = outcome.kinds is not None and kind in outcome.kinds
                _count(report.kind_agreement.setdefault(kind, Tally()), agreed)
        if not hit:
            report.misses.append(outcome)
    for item in benign:
        outcome = _assess(item)
        alerted = outcome.kinds is not None
        _count(report.false_positives, alerted)
        _count(report.false_positives_by_lang.setdefault(item.lang, Tally()), alerted)
        if alerted:
            report.false_alerts.append(outcome)
    return report


def time_messages(texts: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Microseconds per ``assess_risk`` call: every call, and each text's fastest of ``repeat``.

    The fastest run is the message's own cost; the others add what the
    machine was doing meanwhile (other processes, the scheduler).
    """
    for text in texts:
        assess_risk(text)
    calls: list[float] = []
    fastest = [float("inf")] * len(texts)
    for _ in range(repeat):
        for at, text in enumerate(texts):
            started = time.perf_counter_ns()
            assess_risk(text)
            elapsed = (time.perf_counter_ns() - started) / 1000
            calls.append(elapsed)
            fastest[at] = min(fastest[at], elapsed)
    return calls, fastest


@click.command()
@click.option(
    "--corpus",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("tests/corpus/risk"),
    show_default=True,
    help="Folder with risk.jsonl and benign.jsonl.",
)
@click.option("--repeat", type=click.IntRange(1, 1000), default=5, show_default=True)
@click.option("--skip-speed", is_flag=True, help="Report timings but do not fail on them.")
def main(corpus: Path, repeat: int, skip_speed: bool) -> None:
    """Measure the risk detector on a labelled corpus; exit 1 below target."""
    risk, benign = load_corpus(corpus)
    report = evaluate(risk, benign)
    calls, fastest = time_messages([item.text for item in risk + benign], repeat)
    median, p99 = statistics.median(fastest), percentile(fastest, 0.99)
    _print_report(report, len(risk), len(benign))
    click.echo(
        f"\ntime per message (fastest of {repeat}): median {median:.1f} µs, p99 {p99:.1f} µs,"
        f" max {max(fastest):.1f} µs (budget median {MEDIAN_BUDGET_US:.0f} µs,"
        f" p99 {P99_BUDGET_US:.0f} µs)"
    )
    click.echo(
        f"every call, as measured on this machine now: median {statistics.median(calls):.1f} µs,"
        f" p99 {percentile(calls, 0.99):.1f} µs, max {max(calls):.1f} µs ({len(calls)} calls)"
    )
    failures = report.failures()
    if not skip_speed and median > MEDIAN_BUDGET_US:
        failures.append(f"median {median:.1f} µs is above {MEDIAN_BUDGET_US:.0f} µs")
    if not skip_speed and p99 > P99_BUDGET_US:
        failures.append(f"p99 {p99:.1f} µs is above {P99_BUDGET_US:.0f} µs")
    if failures:
        click.echo("\nBELOW TARGET: " + "; ".join(failures))
        sys.exit(1)
    click.echo("\nall targets met")


def _print_report(report: QualityReport, risk_count: int, benign_count: int) -> None:
    by_lang = Counter({lang: tally.total for lang, tally in report.recall_by_lang.items()})
    click.echo(f"corpus: {risk_count} risk messages, {benign_count} hard negatives")
    click.echo(f"recall overall: {_show(report.recall)}  (target ≥ {RECALL_OVERALL:.0%})")
    for lang in sorted(by_lang):
        tally = report.recall_by_lang[lang]
        click.echo(f"  recall {lang}: {_show(tally)}  (target ≥ {RECALL_PER_LANGUAGE:.0%})")
    for kind, tally in sorted(report.recall_by_kind.items()):
        agreement = report.kind_agreement.get(kind, Tally())
        click.echo(f"  recall {kind}: {_show(tally)}; kind named in {_show(agreement)} of alerts")
    click.echo(
        f"false-positive rate overall: {_show(report.false_positives)}"
        f"  (target ≤ {FALSE_POSITIVE_RATE:.0%})"
    )
    for lang, tally in sorted(report.false_positives_by_lang.items()):
        click.echo(f"  false positives {lang}: {_show(tally)}")
    click.echo(f"\nmisses ({len(report.misses)}):")
    for outcome in report.misses:
        click.echo(f"  [{outcome.item.lang}] {outcome.item.text}")
    click.echo(f"false positives ({len(report.false_alerts)}):")
    for outcome in report.false_alerts:
        rules = "; ".join(finding.matched for finding in find_risk_findings(outcome.item.text))
        click.echo(f"  [{outcome.item.lang}/{outcome.item.note}] {outcome.item.text}  <- {rules}")


def _show(tally: Tally) -> str:
    return f"{tally.rate:.1%} ({tally.hits}/{tally.total})"


def _assess(item: Labelled) -> Outcome:
    signal = assess_risk(item.text)
    return Outcome(item, None if signal is None else signal.kinds)


def _count(tally: Tally, hit: bool) -> None:
    tally.total += 1
    tally.hits += hit


def _lines(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _labelled(line: dict[str, object]) -> Labelled:
    kinds = line.get("kinds", [])
    if not isinstance(kinds, list):
        raise ValueError(f"kinds must be a list: {line!r}")
    return Labelled(
        text=str(line["text"]),
        lang=str(line["lang"]),
        kinds=frozenset(RiskKind(kind) for kind in kinds),
        note=str(line.get("note", "")),
    )


if __name__ == "__main__":
    main()
