"""The cheap gate in front of linkify-it never hides a link it would find (rule 4)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain.contact import links

_PIECES = st.sampled_from(
    [
        "http://", "https://", "ftp://", "//", "mailto:", "www.", "localhost", ":8080",
        "/x?y=1", "com", "ly", "me", "it", "ch", "co.uk", "org", "xyz", "рф", "xn--p1ai",
        "jane", "doe", "kindly", "checking", ".", " ", "<", ">", "｜", "。", "…", "-", "_",
        "@", "(", ")", "1", "22", "\u3000", "é",
    ]
)  # fmt: skip


def _finds_real_link(text: str) -> bool:
    matches = links._LINKIFY.match(text) or ()
    return any(links._is_real_link(text, match) for match in matches)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=12).map("".join))
def test_gate_passes_every_text_linkify_finds_a_link_in(text: str) -> None:
    if _finds_real_link(text):
        assert links._may_hold_link(text)


@pytest.mark.parametrize(
    "text",
    ["see rloco.uk<3", "example.com:8080", "//cdn.example/x", "https://x.y", "go to a.b.ch."],
)
def test_gate_passes_links_at_odd_boundaries(text: str) -> None:
    assert _finds_real_link(text) and links._may_hold_link(text)


def test_gate_stops_sentences_glued_at_a_full_stop() -> None:
    glued = "thank you all for listening so kindly.checking in from the circle"
    assert not links._may_hold_link(glued) and not _finds_real_link(glued)
