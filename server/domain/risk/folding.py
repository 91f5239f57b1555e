"""Text folding for the risk detector: one lossy spelling for many ways to write a word.

Messages and rule words go through the same folding, so a rule written in
normal spelling also matches "kil myslef", "k1ll", "ＫＩＬＬ", "suisidio",
"kiero morir", "möchte"/"moechte" and text with zero-width characters.
"""

from __future__ import annotations

import re
import unicodedata

# Quote marks inside words are dropped ("don't" -> "dont"), before NFKC turns
# the acute accent (´) into a space plus a combining mark.
_APOSTROPHES = re.compile("['’‘`´ʼ′]")
# Format characters and invisible marks: they can hide inside a word.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff]"
)
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Letters without a decomposition, and non-ASCII punctuation that separates clauses.
_NON_ASCII = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "–": ",", "—": ","}
)
_NOT_ASCII = re.compile("[^\x00-\x7f]+")
# Leetspeak digits only between letters ("su1c1de", "k1ll"), never in "10mg".
_LEET_CHARS = re.compile("[013457@$]")
_LEET_SPOT = re.compile(r"(?<=[a-z])[013457@$]+(?=[a-z])|(?<![a-z0-9])[@$](?=[a-z])")
_LEET = str.maketrans("013457@$", "oieastas")
_ELLIPSIS = re.compile(r"\.{2,}")


def _ascii_table() -> dict[int, str]:
    """ASCII to folded ASCII: a sentence end to '|', a clause break to ',', other symbols to ' '.

    "v" and "z" fold to "b" and "s" here; the two-letter folds come after.
    """
    table: dict[int, str] = {}
    for code in range(128):
        char = chr(code)
        if char.isascii() and (char.islower() or char.isdigit()):
            continue
        table[code] = "|" if char in ".!?;:\n\r" else "," if char in ",()[]{}" else " "
    table[ord("v")] = "b"
    table[ord("z")] = "s"
    return table


_ASCII = _ascii_table()
# Spelling folds shared by all four languages: "qu" and "k", "ph" and "f", soft
# "c" and "s", and German umlauts written as "oe" (one-letter folds: see above).
_FOLDS: tuple[tuple[str, str], ...] = (("qu", "k"), ("ph", "f"), ("ce", "se"), ("ci", "si"))
_FOLDS += (("ae", "a"), ("oe", "o"), ("ue", "u"))
# Doubled letters collapse ("kill" -> "kil", "sooo" -> "so"); 26 substring
# tests are several times faster than a back-referencing regex.
_DOUBLES = tuple((letter * 2, letter) for letter in "abcdefghijklmnopqrstuvwxyz")
_SEPARATORS = re.compile(r"(?: [|,])+(?= )")
_SHORTHANDS = re.compile(r"(?<= )(?:2|u|ur)(?= )")
_SHORTHAND_WORDS = {"2": "to", "u": "you", "ur": "your"}


def fold_text(raw: str) -> str:
    """The folded form of a message: ' word word | word , word ' (spaces around every token)."""
    text = _APOSTROPHES.sub("", raw)
    if text.isascii():
        text = text.lower()
    else:
        text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold()
        text = _COMBINING.sub("", unicodedata.normalize("NFD", text)).translate(_NON_ASCII)
        text = _NOT_ASCII.sub(" ", text)
    if _LEET_CHARS.search(text):
        text = _LEET_SPOT.sub(lambda spot: spot.group().translate(_LEET), text)
    if ".." in text:
        text = _ELLIPSIS.sub(",", text)
    text = text.replace(" - ", " , ").translate(_ASCII)
    for before, after in _FOLDS:
        text = text.replace(before, after)
    for double, single in _DOUBLES:
        while double in text:
            text = text.replace(double, single)
    text = " " + " ".join(text.replace("|", " | ").replace(",", " , ").split()) + " "
    if "| |" in text or ", ," in text or "| ," in text or ", |" in text:
        text = _SEPARATORS.sub(_separator, text)
    if " 2 " in text or " u " in text or " ur " in text:
        text = _SHORTHANDS.sub(lambda word: _SHORTHAND_WORDS[word.group()], text)
    return text


def fold_words(words: str) -> list[str]:
    """The folded tokens of a rule's literal words ('self-harm' -> ['self', 'harm'])."""
    return [token for token in fold_text(words).split() if token not in ("|", ",")]


def _separator(found: re.Match[str]) -> str:
    """One '|' for a run of separators that holds a sentence end, else one ','."""
    return " |" if "|" in found.group() else " ,"
