"""Phone numbers: runs of digits laid out like a phone number, checked with phonenumbers.

Reads the digit view of a message (``words.spell_digits``). Digit runs joined by
phone-style separators form a chain; a chain of 7 to 15 digits is a phone number
unless its layout says it is something else — a date, a time, a decimal, a year,
a thousands-grouped amount, a count (1 2 3 4 …), a quantity followed by a unit —
or phonenumbers finds it impossible in the program's region and the common others.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers

from .normalize import count_digits
from .patterns import alternation
from .vocabulary import PHONE_CUES, UNIT_WORDS

# Regions tried after the program's own: where this service's participants live.
COMMON_REGIONS = ("US", "GB", "DE", "ES", "MX", "BR", "PT", "AR", "FR", "CA", "AU")

_MIN_DIGITS = 7
_MAX_DIGITS = 15
_RUN = re.compile(r"\d+")
# What may sit between the digit groups of one number: "(555) 123-4567", "5 5 5 . 1 2".
_GAP = re.compile(r"[ \-./()_~*,\[\]]{1,4}")

_DATE = r"\d{1,2} ?[./] ?\d{1,2}(?: ?[./] ?(?:\d{4}|\d{2}))?\.?|\d{1,2}-\d{1,2}-(?:\d{4}|\d{2})"
_ISO_DATE = r"\d{4}-\d{1,2}-\d{1,2}"
_TIME = r"\d{1,2}[.:]\d{2}"
_DECIMAL = r"\d{1,3}[.,]\d{1,3}|\d[.,]\d+"
_YEAR = r"(?:1[89]|20)\d{2}"
_TOKEN = rf"(?:{_ISO_DATE}|{_DATE}|{_TIME}|{_DECIMAL}|{_YEAR})"
# A chain made only of dates, times, decimals and years: "12.03.2024", "10.30 14.00",
# "0.5, 0.75, 1.0", "1987-1993", "2019 2020 2021".
_NOT_A_NUMBER = re.compile(rf"{_TOKEN}(?:(?: ?[-/,] ?| ){_TOKEN})*")
_THOUSANDS = re.compile(r"(\d{1,3})(?:([,. ])\d{3})(?:\2\d{3})*(?:[.,]\d{1,2})?")
_CURRENCY_BEFORE = re.compile(r"(?:[$€£¥]|r\$|us\$|eur|usd|brl|mxn|gbp) ?$")
_UNIT_AFTER = re.compile(rf" ?(?:[%€$£]|{alternation(UNIT_WORDS)}(?![a-z]))")
# "bpm 120 110 95 80 72", "kg: 80 78 77 75"
_UNIT_BEFORE = re.compile(rf"(?<![a-z])(?:{alternation(UNIT_WORDS)}):? ?$")
_MIN_SERIES = 3
_PAIR = 2
_PLUS_BEFORE = re.compile(r"\+ ?\(?$")
_CUE = re.compile(rf"(?<![a-z])(?:{PHONE_CUES})(?![a-z])")
# Not anyone's contact: a song title ("867-5309/Jenny") and public crisis lines people
# mention when they share how they got through (US Lifeline and SAMHSA, Telefonseelsorge,
# Teléfono de la Esperanza, Línea de la Vida).
_PUBLIC_NUMBERS = frozenset(
    {"8675309", "18002738255", "18006624357", "08001110111", "08001110222", "717003717",
     "8009112000"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Chain:
    start: int
    end: int
    parts: tuple[str, ...]
    gaps: tuple[tuple[int, int], ...]

    @property
    def digits(self) -> str:
        return "".join(self.parts)


def _chains(text: str, *, split_lists: bool) -> Iterator[_Chain]:
    """Digit groups joined by phone separators; a comma between two longer groups ends a chain.

    With ``split_lists``, "180, 176, 171" is three chains (a list), not one number.
    """
    runs: list[re.Match[str]] = []
    for run in _RUN.finditer(text):
        if runs:
            gap = text[runs[-1].end() : run.start()]
            joined = _GAP.fullmatch(gap) is not None
            if joined and split_lists and "," in gap and len(runs[-1].group()) > 1:
                joined = len(run.group()) == 1
            if not joined:
                yield _chain(runs)
                runs = []
        runs.append(run)
    if runs:
        yield _chain(runs)


def _chain(runs: list[re.Match[str]]) -> _Chain:
    return _Chain(
        start=runs[0].start(),
        end=runs[-1].end(),
        parts=tuple(run.group() for run in runs),
        gaps=tuple((before.end(), after.start()) for before, after in itertools.pairwise(runs)),
    )


def _is_series(text: str, chain: _Chain, spelled: bool) -> bool:
    """A count or a series of readings, not a number: "1 2 3 4 5 6 7", "10 9 8 … 1",
    "100 200 300", "120 110 95 80 72" (falling), "3, 5, 4, 6, 7, 7, 8" (a list)."""
    parts = chain.parts
    if len(parts) < _MIN_SERIES:
        return False
    values = [int(part) for part in parts]
    steps = [after - before for before, after in itertools.pairwise(values)]
    if len(set(steps)) == 1 and steps[0] != 0:
        return True
    if len(parts) > _MIN_SERIES and all(step < 0 for step in steps):
        return True
    gaps = [text[end:start] for end, start in chain.gaps]
    if all("," in gap for gap in gaps):
        return True
    # Phone layouts group digits evenly ("555 123 4567", "06 12 34 56 78", "5 5 5 1 2 3 4");
    # "16 7 26 11 9 21" and "16 26 11 21 18" are readings. Pairs-only numbers start with 0.
    sizes = [len(part) for part in parts]
    if spelled or max(sizes) > _PAIR:
        # Dictated numbers ("seis cero cero, doce, treinta y cuatro") come in any grouping.
        return False
    pairs = sizes.count(_PAIR)
    return (pairs >= _PAIR and sizes.count(1) >= 1) or (pairs == len(parts) and parts[0][0] != "0")


def _is_thousands(raw: str, cued: bool) -> bool:
    """An amount grouped in thousands: "1,250,000", "1.000.000", "10 000 000"."""
    match = _THOUSANDS.fullmatch(raw)
    if match is None:
        return False
    groups = re.split(r"[,. ]", raw)
    return (
        match.group(2) == ","
        or all(group == "000" for group in groups[1:])
        or (len(match.group(1)) == 1 and not cued)
    )


def _is_possible(digits: str, international: bool, region: str) -> bool:
    if international:
        try:
            number = phonenumbers.parse("+" + digits.removeprefix("00"), None)
        except phonenumbers.NumberParseException:
            return len(digits) >= _MIN_DIGITS + 1
        return phonenumbers.is_possible_number(number) or len(digits) >= _MIN_DIGITS + 1
    for candidate in (region, *COMMON_REGIONS):
        try:
            number = phonenumbers.parse(digits, candidate)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            return True
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse("+" + digits, None))
    except phonenumbers.NumberParseException:
        return False


def _is_phone(text: str, chain: _Chain, region: str, cued: bool, spelled: bool) -> bool:
    digits = chain.digits
    international = digits.startswith("00") or bool(_PLUS_BEFORE.search(text, 0, chain.start))
    if not _MIN_DIGITS <= len(digits) <= _MAX_DIGITS + (2 if digits.startswith("00") else 0):
        return False
    raw = text[chain.start : chain.end]
    if digits in _PUBLIC_NUMBERS:
        return False
    spaced_digits = all(len(part) == 1 for part in chain.parts)
    if not spaced_digits and _NOT_A_NUMBER.fullmatch(raw):
        return False
    if _UNIT_AFTER.match(text, chain.end) or _CURRENCY_BEFORE.search(text, 0, chain.start):
        return False
    if not cued and _UNIT_BEFORE.search(text, 0, chain.start):
        return False
    if _is_thousands(raw, cued) or (
        not cued and not international and _is_series(text, chain, spelled)
    ):
        return False
    return _is_possible(digits, international, region)


def has_phone(digit_view: str, region: str, *, spelled: bool = False) -> bool:
    """Whether ``digit_view`` holds a phone number plausible in ``region`` or a common one.

    ``spelled`` says some of its digits were written as words.
    """
    if count_digits(digit_view) < _MIN_DIGITS:
        return False
    joined = [c for c in _chains(digit_view, split_lists=False) if len(c.digits) >= _MIN_DIGITS]
    if not joined:
        return False
    cued = _CUE.search(digit_view) is not None
    # Without a cue "180, 176, 171" is a list; dictated numbers come in comma-separated
    # pairs, though: "my cell: seis cero cero, doce, treinta y cuatro".
    chains = joined if cued else _chains(digit_view, split_lists=True)
    return any(
        len(chain.digits) >= _MIN_DIGITS and _is_phone(digit_view, chain, region, cued, spelled)
        for chain in chains
    )
