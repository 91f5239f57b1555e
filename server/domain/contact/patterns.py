"""Regex building blocks for the contact lock: word alternations and leetspeak classes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeAlias

# Characters people swap in for letters to dodge a filter ("1nsta", "gm4il", "ca$happ").
_LEET = {
    "a": "a4@",
    "b": "b8",
    "e": "e3",
    "g": "g9",
    "i": "i1!|l",
    "l": "l1|i",
    "o": "o0",
    "s": "s5$",
    "t": "t7+",
}
# Short words are left literal: "1g" is a gram and "f8" a key, not a platform.
_LEET_MIN_LENGTH = 4

_Trie: TypeAlias = dict[str, "_Trie"]


def _char_class(char: str, leet: bool) -> str:
    swaps = _LEET.get(char) if leet else None
    if not swaps:
        return re.escape(char)
    return "[" + "".join(re.escape(swap) for swap in swaps) + "]"


def _from_trie(node: _Trie, leet: bool) -> str:
    ends_here = "" in node
    branches = [
        _char_class(char, leet) + _from_trie(child, leet)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    if len(branches) == 1 and not ends_here:
        return branches[0]
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if ends_here else group


def alternation(words: Iterable[str], *, leet: bool = False) -> str:
    """A non-capturing regex matching any of ``words``, factored as a trie so it stays fast.

    With ``leet``, words of four letters or more also match their leetspeak spellings.
    """
    plain: _Trie = {}
    swapped: _Trie = {}
    for word in words:
        node = swapped if leet and len(word) >= _LEET_MIN_LENGTH else plain
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    parts = [part for part in (_from_trie(plain, False), _from_trie(swapped, True)) if part]
    return "(?:" + "|".join(parts) + ")"


def word_list(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` (word lists are written as prose blocks)."""
    return frozenset(text.split())
