"""Folding a message to the lowercase, mostly-ASCII text the contact matchers read.

Folding undoes the usual disguises: full-width and mathematical letters and digits
(NFKD), accents, zero-width and other format characters (category Cf), variation
selectors and keycaps ("5️⃣"), look-alike letters from other scripts (Unicode's
confusables table, via confusable_homoglyphs), other scripts' digits, and odd
dashes and dots.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from confusable_homoglyphs import (  # type: ignore[import-untyped]  # ships no type hints
    confusables,
)

_DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cf", "Cc"})
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DOTS = "\u00b7\u2022\u2024\u2027\u2219\u22c5\u30fb"
_SCANNED = itertools.chain(range(0x80, 0x20000), range(0xE0000, 0xE01F0))


def _skeleton(glyphs: list[dict[str, str]]) -> str | None:
    """The ASCII letter or digit a confusable character stands for, letters first."""
    targets = {glyph["c"].strip("\u200e") for glyph in glyphs}
    ascii_targets = sorted(t for t in targets if len(t) == 1 and t.isascii() and t.isalnum())
    letters = [t.lower() for t in ascii_targets if t.isalpha()]
    if letters:
        return letters[0]
    return ascii_targets[0] if ascii_targets else None


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in _SCANNED:
        char = chr(code)
        category = unicodedata.category(char)
        if category in _DROPPED_CATEGORIES:
            table[code] = None
        elif category == "Zs":
            table[code] = " "
        else:
            digit = unicodedata.digit(char, None)
            if digit is not None:
                table[code] = str(digit)
    for char, glyphs in confusables.confusables_data.items():
        if len(char) == 1 and not char.isascii() and ord(char) not in table:
            target = _skeleton(glyphs)
            if target is not None:
                table[ord(char)] = target
    # Small capitals and regional indicators come out of "fancy text" generators: "ɪɢ", "🇮🇬".
    for code in itertools.chain(
        range(0x1D00, 0x1D2F), range(0x0250, 0x02B0), range(0xA730, 0xA740), range(0x1F1E6, 0x1F200)
    ):
        name = unicodedata.name(chr(code), "")
        for prefix in ("LATIN LETTER SMALL CAPITAL ", "REGIONAL INDICATOR SYMBOL LETTER "):
            letter = name.removeprefix(prefix)
            if name.startswith(prefix) and len(letter) == 1:
                table[code] = letter.lower()
    table.update({ord(char): "-" for char in _DASHES})
    table.update({ord(char): "." for char in _DOTS})
    table[ord("\u0131")] = "i"  # dotless i survives NFKD
    table[ord("\u00f8")] = "o"
    return table


_TABLE = _build_table()
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _translate(match: re.Match[str]) -> str:
    return match.group().translate(_TABLE)


def fold(text: str) -> str:
    """``text`` with disguises undone, lowercased, whitespace collapsed to single spaces."""
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        if not text.isascii():
            # Only the non-ASCII runs go through the table: most messages are nearly ASCII.
            text = _NON_ASCII.sub(_translate, text)
    # str.split() and the regex "\s" agree on what whitespace is (tests/unit/test_normalize.py).
    return " ".join(text.split())


# Single letters or digits spaced or dotted out: "i n s t a", "i.g.", "j a n e @ g m a i l".
_SPACED_LETTERS = re.compile(r"(?<![a-z0-9])[a-z0-9](?:[ .][a-z0-9]){2,}(?![a-z0-9])")
# After a space: three one-character tokens in a row (a two-character one counts when
# its second character is punctuation: "i. g. m"), or a token dotted after its first
# character ("i.g", "j.doe"). Searched in " " + text: the literal space first keeps
# the search fast.
_PUNCT = r"(?:[^ \w]|_)"
_SPACED_RUN = re.compile(rf" [^ ](?:\.[^ ]|{_PUNCT}? [^ ]{_PUNCT}? [^ ]{_PUNCT}?(?![^ ]))")
_DOTTED_PAIR = re.compile(r"(?<![a-z0-9.])[a-z]\.[a-z]\.(?![a-z0-9])")


def join_spaced_letters(folded: str) -> str:
    """``folded`` with runs of spaced-out single characters written as one word."""
    if not _SPACED_RUN.search(" " + folded):
        return folded
    joined = _SPACED_LETTERS.sub(lambda m: m.group().replace(" ", "").replace(".", ""), folded)
    joined = _DOTTED_PAIR.sub(lambda m: m.group().replace(".", ""), joined)
    return folded if joined == folded else joined


_DIGIT = re.compile(r"\d")
_ASCII_DIGITS = "0123456789"


def has_digit(text: str) -> bool:
    """Whether ``text`` holds a decimal digit (what the regex "\\d" finds), without
    scanning ASCII text one character at a time."""
    if text.isascii():
        return any(digit in text for digit in _ASCII_DIGITS)
    return _DIGIT.search(text) is not None


def count_digits(text: str) -> int:
    """How many decimal digits ``text`` holds (what the regex "\\d" matches)."""
    if text.isascii():
        return sum(map(text.count, _ASCII_DIGITS))
    return len(_DIGIT.findall(text))


_NOT_ALNUM = str.maketrans({chr(code): " " for code in range(128) if not chr(code).isalnum()})


def words_of(folded: str) -> frozenset[str]:
    """The distinct runs of letters and digits in ``folded``; matchers use them as cheap gates."""
    return frozenset(folded.translate(_NOT_ALNUM).split())
