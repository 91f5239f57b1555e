"""The risk detector: which rules a message triggers (DESIGN.md rule 11).

Rules are compiled once at import. A message is folded, its words are
looked up in an index of rule anchors, and only the rules whose anchor
occurs are run; most messages run none.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import lexicon_de, lexicon_en, lexicon_en_acts, lexicon_en_despair, lexicon_es, lexicon_pt
from .folding import fold_text
from .rules import Rule, compile_rules
from .signal import RiskKind, RiskSignal

_PREFIX_KEY = 3


@dataclass(frozen=True, slots=True)
class RiskFinding:
    """One rule that fired: its pattern, kinds and the folded words it matched."""

    rule: str
    kinds: frozenset[RiskKind]
    matched: str


class _RuleIndex:
    """Rules by anchor word, so a message only runs the rules it could match."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        exact: dict[str, set[int]] = {}
        prefixes: dict[str, dict[str, set[int]]] = {}
        always: list[int] = []
        for number, rule in enumerate(rules):
            if rule.anchors is None:
                always.append(number)
                continue
            for anchor in rule.anchors:
                if anchor.prefix:
                    key = anchor.word[:_PREFIX_KEY]
                    prefixes.setdefault(key, {}).setdefault(anchor.word, set()).add(number)
                else:
                    exact.setdefault(anchor.word, set()).add(number)
        self.exact = {word: frozenset(numbers) for word, numbers in exact.items()}
        self.prefixes = {
            key: tuple((word, frozenset(numbers)) for word, numbers in stems.items())
            for key, stems in prefixes.items()
        }
        self.always = frozenset(always)

    def candidates(self, text: str) -> list[Rule]:
        """The rules that may match folded ``text``, in lexicon order."""
        numbers = set(self.always)
        tokens = set(text.split())
        for token in tokens:
            found = self.exact.get(token)
            if found is not None:
                numbers |= found
            stems = self.prefixes.get(token[:_PREFIX_KEY])
            if stems is not None:
                for stem, stem_numbers in stems:
                    if token.startswith(stem):
                        numbers |= stem_numbers
        selected: list[Rule] = []
        for number in sorted(numbers):
            rule = self.rules[number]
            for words in rule.also:
                if tokens.isdisjoint(words):
                    break
            else:
                selected.append(rule)
        return selected


_INDEX = _RuleIndex(
    compile_rules(
        lexicon_en.RULES + lexicon_en_despair.RULES + lexicon_en_acts.RULES, lexicon_en.MACROS
    )
    + compile_rules(lexicon_es.RULES, lexicon_es.MACROS)
    + compile_rules(lexicon_de.RULES, lexicon_de.MACROS)
    + compile_rules(lexicon_pt.RULES, lexicon_pt.MACROS)
)
_ALL_KINDS = frozenset(RiskKind)


def assess_risk(text: str) -> RiskSignal | None:
    """The risk a participant's message suggests, or ``None`` when nothing does (rule 11)."""
    folded = fold_text(text)
    kinds: set[RiskKind] = set()
    for rule in _INDEX.candidates(folded):
        if rule.kinds <= kinds:
            continue
        if rule.find_match(folded) is not None:
            kinds |= rule.kinds
            if kinds == _ALL_KINDS:
                break
    return RiskSignal(frozenset(kinds)) if kinds else None


def find_risk_findings(text: str) -> list[RiskFinding]:
    """Every rule that fires on ``text``, for explaining a decision (quality reports)."""
    folded = fold_text(text)
    findings: list[RiskFinding] = []
    for rule in _INDEX.candidates(folded):
        found = rule.find_match(folded)
        if found is not None:
            findings.append(RiskFinding(rule.source, rule.kinds, found.group().strip()))
    return findings


def count_rules() -> tuple[int, int]:
    """How many rules there are, and how many have no anchor (run on every message)."""
    return len(_INDEX.rules), len(_INDEX.always)
