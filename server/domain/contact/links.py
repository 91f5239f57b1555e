"""Links: URLs with or without a scheme, short links, and spelled-out dots.

Plain links are found by linkify-it (fuzzy links on), then typos that only look like
links are dropped: "ok.it", "tired.me" — a short everyday word before a top-level
domain that is itself a word, with no path. Disguised links ("riverstone dot com",
"janedoe[.]com", "bit dot ly slash x", "hxxps://…") are undone and matched here.
"""

from __future__ import annotations

import re
from typing import Protocol, cast

from linkify_it import LinkifyIt  # type: ignore[import-untyped]  # ships no type hints

from .patterns import alternation
from .vocabulary import COMMON_WORDS, PLAIN_TLDS, WORD_TLDS


class _Match(Protocol):
    """The part of linkify-it's match object read here."""

    schema: str
    url: str
    last_index: int


_EXTRA_TLDS = ["xyz", "app", "dev", "art", "blog", "page", "site", "online", "link", "live", "life"]
_LINKIFY = LinkifyIt(options={"fuzzy_email": False}).tlds(_EXTRA_TLDS, True)
# A dot after a host character, then two letters ("x.co"); the dot comes first so that
# the search skips along to each dot. Alone it misses "://" and "www.": see _hints_link.
_DOT_LABEL = re.compile(r"\.(?<=[a-z0-9-]\.)[a-z]{2}")
# File names are not links: "notes.md", "script.py".
_FILE_TLDS = frozenset({"py", "sh", "md", "rs", "pl", "ps"})
_WORDY_LABEL_MAX = 7
# Words that announce a link, so "my site: janedoe.me" is one even though "tired.me" is not.
_LINK_CUE = re.compile(
    r"(?<![a-z])(?:site|website|web|page|pagina|seite|webseite|blog|link|url|portfolio|"
    r"visit|visita|check out|go to|entra|acessa|acesse|besucht|schaut|schau)(?![a-z])"
)
_MESSAGE_END = re.compile(r"[\s.!?)]*$")

_WEAK, _STRONG = "\x01", "\x02"
_DISGUISES = (
    (re.compile(r"hxxp"), "http"),
    (re.compile(r" ?[(\[{<] ?(?:dot|punto|ponto|punkt|\.) ?[)\]}>] ?"), _STRONG),
    (re.compile(r" (?:dot|punkt) "), _STRONG),
    (re.compile(r" (?:punto|ponto) | \. ?|(?<=[a-z0-9])\. (?=[a-z])"), _WEAK),
    (re.compile(r" ?(?:slash|barra) ?"), "/"),
)
_DISGUISE_WORDS = frozenset({"dot", "punto", "ponto", "punkt"})
_DISGUISE_MARKS = ("hxxp", "(.", "[.", "{.", "<.", " .")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_ANY_TLD = alternation(PLAIN_TLDS | WORD_TLDS)
_DISGUISED_LINK = re.compile(
    rf"(?<![a-z0-9.@-])(?:https?://)?(?P<first>{_LABEL})(?:[.{_WEAK}{_STRONG}]{_LABEL})*?"
    rf"(?:[.{_STRONG}]{_ANY_TLD}|{_WEAK}{alternation(PLAIN_TLDS)})(?![a-z0-9-])"
)


def _is_real_link(text: str, match: _Match) -> bool:
    if match.schema:
        return match.schema != "mailto:"
    host, _, path = match.url.removeprefix("http://").partition("/")
    labels = host.split(".")
    if path or len(labels) > 2:
        return True
    label, tld = labels[0], labels[-1]
    if tld in _FILE_TLDS:
        return False
    if tld in WORD_TLDS and label.isalpha() and len(label) <= _WORDY_LABEL_MAX:
        # "ok.it", "tired.me too": a missing space, unless the link stands alone or is announced.
        return bool(_MESSAGE_END.fullmatch(text, match.last_index) or _LINK_CUE.search(text))
    return True


# linkify-it's ``match`` tries its scheme and fuzzy-link patterns at every
# position (0.2-0.5 ms on a few sentences). What it can find that counts here
# has "//" (http:, https:, ftp: and protocol-relative links; mailto: links
# never count, see _is_real_link) or, schemeless, a host ending in
# ".<known TLD>" followed by the end, a separator or punctuation (a port's
# ":" included) — the fuzzy pattern's own pieces. Both are searched first.
_FUZZY_HOST_END = re.compile(
    r"\.(?:" + _LINKIFY.re["src_tlds"] + r")(?=$|[><\uff5c]|" + _LINKIFY.re["src_ZPCc"] + ")",
    re.IGNORECASE,
)


def _may_hold_link(text: str) -> bool:
    return "//" in text or _FUZZY_HOST_END.search(text) is not None


def _hints_link(text: str) -> bool:
    """Whether ``text`` has "://", "www." or a dotted host: links have one of them."""
    return "://" in text or "www." in text or _DOT_LABEL.search(text) is not None


def _has_plain_link(text: str) -> bool:
    if not _hints_link(text) or not _may_hold_link(text):
        return False
    matches = cast("list[_Match] | None", _LINKIFY.match(text))
    return any(_is_real_link(text, match) for match in matches or ())


def _has_disguised_link(text: str, words: frozenset[str]) -> bool:
    if _DISGUISE_WORDS.isdisjoint(words) and not any(mark in text for mark in _DISGUISE_MARKS):
        return False
    undone = text
    for pattern, replacement in _DISGUISES:
        undone = pattern.sub(replacement, undone)
    if undone == text:
        return False
    for match in _DISGUISED_LINK.finditer(undone):
        disguised = _WEAK in match.group() or _STRONG in match.group() or "hxxp" in text
        first = match.group("first")
        # "a dot my", "x dot com": a one-letter name is talk, not someone's address.
        if disguised and len(first) > 1 and first not in COMMON_WORDS:
            return True
    return False


def has_link(text: str, words: frozenset[str]) -> bool:
    """Whether ``text`` (folded, e-mail addresses blanked) holds a link.

    ``words`` are the words of ``text`` (``normalize.words_of``), used as cheap gates.
    """
    return _has_plain_link(text) or _has_disguised_link(text, words)
