"""Spelled-out and disguised digits turned back into digits, for the phone matcher.

"five five five oh one", "cinco cinco", "fünf", "nove meia meia", "double five",
"vierunddreißig", "3O5" and "4l5" all become plain digits; the surrounding text and
separators stay where they were so the digit layout can still be judged.
"""

from __future__ import annotations

import re

from .normalize import has_digit
from .patterns import alternation

_UNITS: dict[str, int] = {
    # English
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    # Spanish
    "cero": 0, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4,
    "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
    # Portuguese (those not shared with Spanish)
    "um": 1, "dois": 2, "duas": 2, "quatro": 4, "sete": 7, "oito": 8, "nove": 9,
    # German
    "null": 0, "eins": 1, "zwei": 2, "zwo": 2, "drei": 3, "vier": 4,
    "funf": 5, "fuenf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
}  # fmt: skip
_TEENS: dict[str, int] = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
    "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19,
    "veintiuno": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24,
    "veinticinco": 25, "veintiseis": 26, "veintisiete": 27, "veintiocho": 28,
    "veintinueve": 29,
    "dez": 10, "onze": 11, "doze": 12, "treze": 13, "catorze": 14, "quatorze": 14,
    "quinze": 15, "dezesseis": 16, "dezasseis": 16, "dezessete": 17, "dezassete": 17,
    "dezoito": 18, "dezenove": 19, "dezanove": 19,
    "zehn": 10, "elf": 11, "zwolf": 12, "dreizehn": 13, "vierzehn": 14,
    "funfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
}  # fmt: skip
_TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50,
    "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
    "vinte": 20, "trinta": 30, "quarenta": 40, "cinquenta": 50,
    "sessenta": 60, "oitenta": 80,
    "zwanzig": 20, "dreissig": 30, "vierzig": 40, "funfzig": 50,
    "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90,
}  # fmt: skip
# German puts the unit first: "vierunddreißig" is four-and-thirty.
_GERMAN_UNITS = {
    "ein": 1,
    **{w: _UNITS[w] for w in ("zwei", "drei", "vier", "funf", "sechs", "sieben", "acht", "neun")},
}
_GERMAN_TENS = {w: v for w, v in _TENS.items() if w.endswith(("zig", "ssig"))}
_VALUES = {**_UNITS, **_TEENS, **_TENS}

_NUMBER = (
    rf"(?P<tens>{alternation(_TENS)})(?:[ -]?(?:y |e |and )?(?P<unit>{alternation(_UNITS)}))?"
    rf"|(?P<de_unit>{alternation(_GERMAN_UNITS)})und(?P<de_tens>{alternation(_GERMAN_TENS)})"
    rf"|(?P<word>{alternation(_VALUES)})"
)
_ONE_NUMBER = re.compile(_NUMBER)
# A run of number words written together counts too: "fivefivefive".
_NUMBER_RUN = re.compile(rf"(?<![a-z])(?=[a-z])(?:{_NUMBER})+(?![a-z])")
_REPEAT = re.compile(r"(?<![a-z])(double|doble|doppel|triple|tripla|triplo)[ -]?(\d)(?!\d)")
# "oh", a lone "o", "i" or "l", and Brazilian "meia" (half a dozen) are digits only
# between digits or glued to one: "five five five oh one", "nove meia meia, um", "67O".
_LOOKALIKE_WORD = r"(?:oh|o|i|l|meia)(?![a-z])"
_LONE_RUN = re.compile(
    rf"(?<![a-z])(?:\d|{_LOOKALIKE_WORD})(?:[ ,.-]{{0,3}}(?:\d|{_LOOKALIKE_WORD}))+"
)
_RUN_TOKEN = re.compile(r"\d+|[a-z]+|[^a-z\d]+")
_LONE_VALUES = {"oh": "0", "o": "0", "i": "1", "l": "1", "meia": "6"}
_LOOKALIKE_WORDS = frozenset(_LONE_VALUES)
# Letters between two digits: "5s5", "3b2".
_INNER_LOOKALIKE = re.compile(r"(?<=\d)[sbz](?=\d)")
_INNER_VALUES = {"s": "5", "b": "8", "z": "2"}
_PREFIX = 3
_SHORTEST_RUN = 5
_PREFIXES = frozenset(word[:_PREFIX] for word in (*_VALUES, *_GERMAN_UNITS))


def _spell_number(match: re.Match[str]) -> str:
    tens, unit = match.group("tens"), match.group("unit")
    if tens is not None:
        return str(_TENS[tens] + (_UNITS[unit] if unit else 0))
    de_unit, de_tens = match.group("de_unit"), match.group("de_tens")
    if de_unit is not None and de_tens is not None:
        return str(_GERMAN_TENS[de_tens] + _GERMAN_UNITS[de_unit])
    return str(_VALUES[match.group("word")])


def _spell_run(match: re.Match[str]) -> str:
    return "".join(_spell_number(number) for number in _ONE_NUMBER.finditer(match.group()))


def _repeat(match: re.Match[str]) -> str:
    return match.group(2) * (2 if match.group(1).startswith(("doub", "dob", "dop")) else 3)


def _lone(match: re.Match[str]) -> str:
    tokens = _RUN_TOKEN.findall(match.group())
    digit_at = [index for index, token in enumerate(tokens) if token[0].isdigit()]
    if len(digit_at) < 2 and sum(map(len, (tokens[i] for i in digit_at))) < 2:
        return match.group()
    for index, token in enumerate(tokens):
        if token not in _LONE_VALUES:
            continue
        glued = any(
            0 <= near < len(tokens) and tokens[near][0].isdigit() for near in (index - 1, index + 1)
        )
        inside = digit_at[0] < index < digit_at[-1]
        if glued or inside:
            tokens[index] = _LONE_VALUES[token]
    return "".join(tokens)


def _may_spell(words: frozenset[str]) -> bool:
    """Whether a number word can be among ``words``, alone or run together ("fivefive")."""
    return not _VALUES.keys().isdisjoint(words) or any(
        (len(word) > _SHORTEST_RUN and word[:_PREFIX] in _PREFIXES)
        or not (word.isalpha() or word.isdigit())
        for word in words
    )


def spell_digits(folded: str, words: frozenset[str]) -> str:
    """``folded`` with number words and look-alike letters among digits written as digits.

    ``words`` are the words of ``folded`` (``normalize.words_of``).
    """
    text = _NUMBER_RUN.sub(_spell_run, folded) if _may_spell(words) else folded
    if not has_digit(text):
        return text
    if "doub" in text or "dob" in text or "dop" in text or "trip" in text:
        text = _REPEAT.sub(_repeat, text)
    mixed = any(not (word.isalpha() or word.isdigit()) for word in words)
    if mixed or not _LOOKALIKE_WORDS.isdisjoint(words):
        text = _LONE_RUN.sub(_lone, text)
    if mixed:
        text = _INNER_LOOKALIKE.sub(lambda m: _INNER_VALUES[m.group()], text)
    return text
