"""A word-level pattern language for risk rules, compiled to regular expressions.

Rules are written in normal spelling; the words are folded like messages are
(see ``folding``). Syntax, tokens separated by spaces:

- ``word`` one word; ``word*`` any word starting with it; ``word?`` optional.
- ``(a b|c|d e)`` alternatives, each a sequence; ``(…)?`` optional group.
- ``~N`` up to N other words in between, never a sentence end; each gap is
  the regex's only capturing group kind, so the rule can check afterwards
  that no gap holds a negation or a third person.
- ``#`` a number; ``##`` a number of two or more digits; ``$`` the end of a clause.
- ``{name}`` a macro from the language's table, expanded before parsing.

Each compiled pattern also names its anchors: words of which at least one
must occur in a message for the pattern to match, so most messages skip
most patterns; and up to two more such sets of whole words (``also``), a
cheap second test before the regex runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .folding import fold_words

_MACRO = re.compile(r"\{(\w+)\}")
_TOKEN = re.compile(r"\(|\)\??|\||[^\s()|]+")
_GAP = re.compile(r"~(\d)")
# A prefix must still be a prefix once a suffix is folded onto it ("suic*" is
# not: "suicide" folds to "suiside").
_PREFIX_PROBES = ("a", "e", "i", "o", "u", "s", "es", "ing", "ed", "en", "ung", "al")
_MAX_MACRO_DEPTH = 8
_MAX_ALSO = 2
# Anchoring on a common word ("i", "to") runs the rule on most messages.
_WEAK_COST = 100


class PatternError(ValueError):
    """A rule pattern that cannot be compiled."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """A folded word that a matching message must contain (or start a word with)."""

    word: str
    prefix: bool


@dataclass(frozen=True, slots=True)
class Compiled:
    """A pattern as a regular expression (gaps as groups) plus the anchors that gate it."""

    regex: re.Pattern[str]
    anchors: frozenset[Anchor] | None
    also: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True, slots=True)
class _Word:
    pieces: tuple[str, ...]
    prefix: bool


@dataclass(frozen=True, slots=True)
class _Group:
    alternatives: tuple[tuple[_Item, ...], ...]


@dataclass(frozen=True, slots=True)
class _Gap:
    most: int


@dataclass(frozen=True, slots=True)
class _Symbol:
    regex: str


@dataclass(frozen=True, slots=True)
class _Item:
    node: _Word | _Group | _Gap | _Symbol
    optional: bool


_NUMBER = _Symbol("[0-9]+ ")
_BIG_NUMBER = _Symbol("[0-9]{2,} ")
_CLAUSE_END = _Symbol("(?=[|,] |$)")
_SYMBOLS = {"##": _BIG_NUMBER, "#": _NUMBER, "$": _CLAUSE_END}


def expand_macros(source: str, macros: Mapping[str, str]) -> str:
    """``source`` with every ``{name}`` replaced, recursively."""
    for _ in range(_MAX_MACRO_DEPTH):
        if "{" not in source:
            return source
        source = _MACRO.sub(lambda found: _lookup(found.group(1), macros), source)
    raise PatternError(f"macros nest too deep in {source!r}")


def compile_pattern(source: str, macros: Mapping[str, str], weak: frozenset[str]) -> Compiled:
    """Compile ``source``; ``weak`` words are avoided as anchors."""
    tokens = _TOKEN.findall(expand_macros(source, macros))
    sequence, rest = _parse_alternatives(tokens, 0, source)
    if rest != len(tokens):
        raise PatternError(f"unbalanced ')' in {source!r}")
    body = _regex_of_alternatives(sequence, "(?:[^ |]+ )")
    options = _anchor_options(sequence, weak) if len(sequence) == 1 else []
    anchors = options[0] if options else _anchors_of_alternatives(sequence, weak)
    also = tuple(
        frozenset(anchor.word for anchor in option)
        for option in options[1:]
        if not any(anchor.prefix for anchor in option)
    )[:_MAX_ALSO]
    return Compiled(re.compile("(?<= )" + body), anchors, also)


def _lookup(name: str, macros: Mapping[str, str]) -> str:
    if name not in macros:
        raise PatternError(f"unknown macro {{{name}}}")
    return f"({macros[name]})"


def _parse_alternatives(
    tokens: list[str], at: int, source: str
) -> tuple[tuple[tuple[_Item, ...], ...], int]:
    alternatives: list[tuple[_Item, ...]] = []
    items: list[_Item] = []
    while at < len(tokens) and not tokens[at].startswith(")"):
        part = tokens[at]
        at += 1
        if part == "|":
            alternatives.append(tuple(items))
            items = []
        elif part == "(":
            inner, at = _parse_alternatives(tokens, at, source)
            if at >= len(tokens):
                raise PatternError(f"unclosed '(' in {source!r}")
            items.append(_Item(_Group(inner), tokens[at] == ")?"))
            at += 1
        else:
            items.append(_parse_word(part, source))
    alternatives.append(tuple(items))
    if any(not alternative for alternative in alternatives):
        raise PatternError(f"empty alternative in {source!r}")
    return tuple(alternatives), at


def _parse_word(part: str, source: str) -> _Item:
    if gap := _GAP.fullmatch(part):
        return _Item(_Gap(int(gap.group(1))), optional=False)
    if symbol := _SYMBOLS.get(part):
        return _Item(symbol, optional=False)
    optional = part.endswith("?")
    word = part.removesuffix("?")
    prefix = word.endswith("*")
    word = word.removesuffix("*")
    pieces = tuple(fold_words(word.replace("-", " ")))
    if not pieces:
        raise PatternError(f"word {word!r} folds to nothing in {source!r}")
    if prefix:
        _check_prefix(word, pieces[-1], source)
    return _Item(_Word(pieces, prefix), optional)


def _check_prefix(word: str, folded: str, source: str) -> None:
    if len(folded) < 3:
        raise PatternError(f"prefix {word!r} is shorter than 3 letters in {source!r}")
    for probe in _PREFIX_PROBES:
        if not fold_words(word + probe)[-1].startswith(folded):
            raise PatternError(f"prefix {word!r} does not survive folding in {source!r}")


def _regex_of_alternatives(alternatives: tuple[tuple[_Item, ...], ...], gap_word: str) -> str:
    parts = ["".join(_regex_of_item(item, gap_word) for item in seq) for seq in alternatives]
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _regex_of_item(item: _Item, gap_word: str) -> str:
    node = item.node
    if isinstance(node, _Word):
        *head, last = node.pieces
        regex = "".join(re.escape(piece) + " " for piece in head) + re.escape(last)
        regex += "[^ |,]* " if node.prefix else " "
    elif isinstance(node, _Group):
        regex = _regex_of_alternatives(node.alternatives, gap_word)
    elif isinstance(node, _Gap):
        return f"({gap_word}{{0,{node.most}}})"
    else:
        regex = node.regex
    return f"(?:{regex})?" if item.optional else regex


def _anchors_of_alternatives(
    alternatives: tuple[tuple[_Item, ...], ...], weak: frozenset[str]
) -> frozenset[Anchor] | None:
    found: set[Anchor] = set()
    for sequence in alternatives:
        anchors = _anchors_of_sequence(sequence, weak)
        if anchors is None:
            return None
        found |= anchors
    return frozenset(found)


def _anchor_options(
    alternatives: tuple[tuple[_Item, ...], ...], weak: frozenset[str]
) -> list[frozenset[Anchor]]:
    """Every anchor set of a single sequence, cheapest (rarest words) first."""
    options: list[frozenset[Anchor]] = []
    for item in alternatives[0]:
        if item.optional:
            continue
        if isinstance(item.node, _Word):
            options.append(frozenset({_anchor_of_word(item.node, weak)}))
        elif isinstance(item.node, _Group):
            group = _anchors_of_alternatives(item.node.alternatives, weak)
            if group is not None:
                options.append(group)
    return sorted(set(options), key=lambda anchors: (_cost(anchors, weak), len(anchors)))


def _anchors_of_sequence(
    sequence: tuple[_Item, ...], weak: frozenset[str]
) -> frozenset[Anchor] | None:
    options = _anchor_options((sequence,), weak)
    return options[0] if options else None


def _anchor_of_word(word: _Word, weak: frozenset[str]) -> Anchor:
    last = len(word.pieces) - 1
    ranked = sorted(
        range(len(word.pieces)),
        key=lambda at: (word.pieces[at] in weak, -len(word.pieces[at])),
    )
    best = ranked[0]
    return Anchor(word.pieces[best], prefix=word.prefix and best == last)


def _cost(anchors: frozenset[Anchor], weak: frozenset[str]) -> int:
    return sum(
        _WEAK_COST if anchor.word in weak or len(anchor.word) < 3 else 1 for anchor in anchors
    )
