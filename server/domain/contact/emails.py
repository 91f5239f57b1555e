"""E-mail addresses, written out or disguised: "jane dot doe at gmail dot com",
"jane (at) gmail (dot) com", "jane[at]proton[dot]me", "lucia arroba hotmail", "jane@gmail".

Reads the folded text with spaced-out letters joined (``normalize.join_spaced_letters``).
Returns the spans it matched so the URL matcher can skip their domains.
"""

from __future__ import annotations

import re

from .patterns import alternation, word_list
from .vocabulary import COMMON_WORDS, PLAIN_TLDS

_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"
_AT_WORD = r"(?:at sign|at symbol|at|arroba)"
_DOT_WORD = r"(?:dot|punto|ponto|punkt|point|period)"
_AT_SYMBOL = rf" ?@ ?| ?{_OPEN} ?(?:{_AT_WORD}|@) ?{_CLOSE} ?| ?[-_]{_AT_WORD}[-_] ?"
_AT_SPOKEN = rf" {_AT_WORD} "
_DOT_TIGHT = rf"\.|(?: ?{_OPEN} ?(?:{_DOT_WORD}|\.) ?{_CLOSE} ?| ?[-_]dot[-_] ?| {_DOT_WORD} )"
_DOT_SPACED = r" \. ?|\. "
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_LOCAL = (
    rf"(?<![a-z0-9._%+@'-])[a-z0-9_%+-][a-z0-9_.%+-]{{0,62}}"
    rf"(?:(?:{_DOT_TIGHT})[a-z0-9_%+-]{{1,64}}){{0,3}}"
)
# After a tight or spelled-out dot any domain ending goes, even a word ("web punkt de").
_MAIL_TLDS = PLAIN_TLDS | word_list("de es it me at be se to no us in")
_TLDS = rf"(?:{alternation(_MAIL_TLDS)}|c[o0]m|n[e3]t|[o0]rg)"
_PLAIN_TLDS = rf"(?:{alternation(PLAIN_TLDS)}|c[o0]m)"
_DOMAIN = rf"{_LABEL}(?:(?:{_DOT_TIGHT}){_LABEL}){{0,3}}"
_TAIL = rf"(?:(?:{_DOT_TIGHT}){_TLDS}|(?:{_DOT_SPACED}){_PLAIN_TLDS})(?![a-z0-9])"

_PROVIDERS = word_list(
    """
    gmail googlemail hotmail outlook yahoo ymail icloud protonmail proton aol gmx yandex
    zoho tutanota tuta fastmail posteo uol bol terra sapo libero wanadoo t-online
    """
)
_PROVIDER = (
    rf"(?:{alternation(_PROVIDERS, leet=True)}|g[ .-]?mail|hot ?mail|proton ?mail)(?![a-z0-9])"
)

_ADDRESS = re.compile(
    rf"(?P<local>{_LOCAL})(?P<at>{_AT_SYMBOL}|{_AT_SPOKEN})"
    rf"(?:{_PROVIDER}(?:{_TAIL})?|{_DOMAIN}{_TAIL})"
)
# Words before a spoken "at" that make it a place, not a mailbox: "look at gmail",
# "I worked at yahoo", "my account at outlook".
_NOT_MAILBOXES = (COMMON_WORDS - {"name", "mail", "email"}) | word_list(
    """
    look looking looked check checking checked work works worked working job jobs intern
    stay stayed live lived lives living sign signed log logged login account accounts inbox
    folder spam someone friend friends sister brother mom dad mother father cousin
    trabajo trabaja trabajaba cuenta conta trabalho trabalha arbeite arbeitet konto
    """
)
_AT_WORDS = frozenset({"at", "arroba"})


def find_emails(text: str, words: frozenset[str]) -> list[tuple[int, int]]:
    """Spans of e-mail addresses in ``text`` (folded, spaced letters joined).

    ``words`` are the words of ``text`` (``normalize.words_of``), used as cheap gates.
    """
    if "@" not in text and _AT_WORDS.isdisjoint(words):
        return []
    spans = []
    for match in _ADDRESS.finditer(text):
        spoken = match.group("at").strip() not in ("@",) and "(" not in match.group("at")
        if spoken and match.group("local") in _NOT_MAILBOXES:
            continue
        spans.append(match.span())
    return spans
