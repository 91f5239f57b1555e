"""Risk rules: a pattern, the kinds of risk it suggests, and the contexts that cancel it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from . import context
from .patterns import Anchor, compile_pattern
from .signal import RiskKind

_MAX_CANCELLED = 32


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A rule as written in a lexicon.

    ``after`` cancels a match when it starts right where the match ends ("kill
    myself *laughing*"); ``near`` cancels it from anywhere in the same sentence
    ("cut myself *shaving*"); ``needs`` must occur in that sentence for the
    match to count ("giving my things away … *when I'm gone*").
    """

    kinds: RiskKind | tuple[RiskKind, ...]
    pattern: str
    after: str = ""
    near: str = ""
    needs: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    """A compiled rule."""

    source: str
    kinds: frozenset[RiskKind]
    regex: re.Pattern[str]
    anchors: frozenset[Anchor] | None
    also: tuple[frozenset[str], ...]
    after: re.Pattern[str] | None
    near: re.Pattern[str] | None
    needs: re.Pattern[str] | None

    def find_match(self, text: str) -> re.Match[str] | None:
        """The first match in folded ``text`` that no context cancels.

        Gives up after ``_MAX_CANCELLED`` cancelled matches: a message that
        repeats a cancelled phrase that often is not read any further.
        """
        found = self.regex.search(text)
        for _ in range(_MAX_CANCELLED):
            if found is None or not self._is_cancelled(text, found):
                return found
            # The next match may overlap this one: search again from its second word.
            found = self.regex.search(text, found.start() + 1)
        return None

    def _is_cancelled(self, text: str, found: re.Match[str]) -> bool:
        start, end = found.span()
        if context.gaps_hold_blocked_word(found.groups()):
            return True
        if self.after is not None and self.after.match(text, end):
            return True
        if self.near is not None or self.needs is not None:
            sentence_start, stop = context.sentence_around(text, start, end)
            if self.near is not None and self.near.search(text, sentence_start, stop):
                return True
            if self.needs is not None and not self.needs.search(text, sentence_start, stop):
                return True
        return (
            context.is_negated(text, start)
            or context.is_about_someone_else(text, start, found.group())
            or context.is_resolved_past(text, start)
            or context.is_rebirth_talk(text, start, end)
        )


def compile_rules(specs: Iterable[RuleSpec], macros: Mapping[str, str]) -> list[Rule]:
    """Compile a lexicon's rules with its macros."""
    return [_compile_rule(spec, macros) for spec in specs]


def _compile_rule(spec: RuleSpec, macros: Mapping[str, str]) -> Rule:
    compiled = compile_pattern(spec.pattern, macros, context.WEAK)
    kinds = spec.kinds if isinstance(spec.kinds, tuple) else (spec.kinds,)
    return Rule(
        source=spec.pattern,
        kinds=frozenset(kinds),
        regex=compiled.regex,
        anchors=compiled.anchors,
        also=compiled.also,
        after=_compile_context(spec.after, macros),
        near=_compile_context(spec.near, macros),
        needs=_compile_context(spec.needs, macros),
    )


def _compile_context(source: str, macros: Mapping[str, str]) -> re.Pattern[str] | None:
    if not source:
        return None
    return compile_pattern(source, macros, context.WEAK).regex
