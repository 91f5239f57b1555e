"""The words around a match that change its meaning: negation, someone else, the past.

Every check reads the folded text (see ``folding``) and a match's span.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import lexicon_shared as shared
from .folding import fold_words
from .patterns import compile_pattern

_WINDOW = 4
_RESOLVED_REACH = 12
# Sentence context is read at most this many characters either side of a
# match, so a huge one-sentence message costs linear, not quadratic, time.
_SENTENCE_REACH = 240


@dataclass(frozen=True, slots=True)
class WordSet:
    """Folded words, matched exactly or (for ``word*``) as prefixes."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]

    def __contains__(self, token: object) -> bool:
        """Whether ``token`` is one of the words or starts with one of the prefixes."""
        return isinstance(token, str) and (token in self.exact or token.startswith(self.prefixes))


def word_set(words: str) -> WordSet:
    """The folded ``WordSet`` of space-separated words."""
    exact: set[str] = set()
    prefixes: list[str] = []
    for word in words.split():
        folded = fold_words(word.removesuffix("*"))
        if word.endswith("*"):
            prefixes.append(folded[-1])
        else:
            exact.update(folded)
    return WordSet(frozenset(exact), tuple(prefixes))


NEGATORS = word_set(shared.NEGATORS)
PEOPLE = word_set(shared.PEOPLE)
FIRST_PERSON = word_set(shared.FIRST_PERSON)
WEAK = frozenset(word_set(shared.WEAK).exact)
_HEDGES_AFTER = word_set(shared.HEDGES_AFTER)
_HEDGES_BEFORE = word_set(shared.HEDGES_BEFORE)
_CONTRAST = word_set(shared.CONTRAST)
_CONJUNCTIONS = word_set(shared.CONJUNCTIONS)
_COMPLEMENTIZERS = word_set(shared.COMPLEMENTIZERS)
_RESOLVED_PAST = compile_pattern(shared.RESOLVED_PAST, {}, WEAK).regex
_REBIRTH = compile_pattern(shared.REBIRTH, {}, WEAK).regex


def gaps_hold_blocked_word(gaps: tuple[str | None, ...]) -> bool:
    """A gap of a match holds a negation or another person ("i do *not* want to die")."""
    for gap in gaps:
        if gap:
            for word in gap.split():
                if word in NEGATORS or word in PEOPLE:
                    return True
    return False


def clause_before(text: str, start: int, most: int = _WINDOW) -> list[str]:
    """Up to ``most`` tokens before ``start``, nearest last, not past a ',' or '|'."""
    tokens = text[max(0, start - 16 * most) : start].split()
    found: list[str] = []
    for token in reversed(tokens[-most:]):
        if token in ("|", ","):
            break
        found.append(token)
    found.reverse()
    return found


def is_negated(text: str, start: int) -> bool:
    """A negation ("not", "nunca", "nicht") shortly before ``start`` denies the match."""
    tokens = clause_before(text, start)
    for at in range(len(tokens) - 1, -1, -1):
        if tokens[at] in _CONJUNCTIONS:
            tokens = tokens[at + 1 :]
            break
    for at, token in enumerate(tokens):
        if token not in NEGATORS:
            continue
        after = tokens[at + 1] if at + 1 < len(tokens) else ""
        before = tokens[at - 1] if at else ""
        if after not in _HEDGES_AFTER and before not in _HEDGES_BEFORE:
            return True
    return False


def is_about_someone_else(text: str, start: int, matched: str) -> bool:
    """The match has no first person and the nearest subject before it is someone else.

    A leading "me" does not count: in Spanish and Portuguese it is also an
    object ("mi gato me arañó", "ela vai me machucar").
    """
    words = matched.split()
    if any(word in FIRST_PERSON for word in words[words[0] == "me" :]):
        return False
    tokens = clause_before(text, start)
    for at in range(len(tokens) - 1, -1, -1):
        word = tokens[at]
        if word in FIRST_PERSON or word in _COMPLEMENTIZERS:
            return False
        if word in PEOPLE and not _is_spanish_haber(word, tokens[at + 1 : at + 2]):
            return True
    return False


def _is_spanish_haber(word: str, following: list[str]) -> bool:
    """Spanish "he" before a participle ("he estado", "he pensado") means "I have", not "he"."""
    return word == "he" and bool(following) and following[0].endswith(_PARTICIPLE_ENDINGS)


_PARTICIPLE_ENDINGS = ("ado", "ido", "echo", "isto", "uelto", "ierto")


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence holding ``text[start:end]``, cut to a bounded reach."""
    low = max(0, start - _SENTENCE_REACH)
    high = min(len(text), end + _SENTENCE_REACH)
    sentence_start = text.rfind("|", low, start) + 1 or low
    sentence_end = text.find("|", end, high)
    return sentence_start, high if sentence_end < 0 else sentence_end


def is_resolved_past(text: str, start: int) -> bool:
    """'I used to think …' shortly before the match, with no 'but now' in between."""
    sentence_start, _ = sentence_around(text, start, start)
    # A marker may overlap the match: "antes quería | quería estar muerta".
    for marker in _RESOLVED_PAST.finditer(text, sentence_start, start + _SENTENCE_REACH):
        if marker.start() >= start:
            break
        between = text[marker.end() : start].split()
        if len(between) <= _RESOLVED_REACH and not any(t in _CONTRAST for t in between):
            return True
    return False


def is_rebirth_talk(text: str, start: int, end: int) -> bool:
    """The sentence speaks of ego death or rebirth, the language of the journey."""
    return _REBIRTH.search(text, *sentence_around(text, start, end)) is not None
