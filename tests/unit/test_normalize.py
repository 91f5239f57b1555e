"""The contact lock's folding helpers: their fast forms read exactly as the plain ones."""

from __future__ import annotations

import re
import sys

from hypothesis import example, given
from hypothesis import strategies as st

from server.domain.contact import detect, links, normalize
from server.domain.contact.normalize import fold, join_spaced_letters


def test_str_split_and_the_regex_whitespace_class_agree_on_every_code_point() -> None:
    # fold() collapses whitespace with str.split(); the matchers' patterns use "\s".
    space = re.compile(r"\s")
    disagree = [
        code
        for code in range(sys.maxunicode + 1)
        if chr(code).isspace() != (space.match(chr(code)) is not None)
    ]
    assert disagree == []


@given(st.text())
@example("  a\u00a0\u2003b\t\n\x1c c \u3000")
def test_fold_leaves_single_spaces_between_words_and_none_at_the_ends(text: str) -> None:
    folded = fold(text)
    assert folded == folded.strip()
    assert "  " not in folded
    assert not any(char.isspace() and char != " " for char in folded)


def spaced_run_by_tokens(folded: str) -> bool:
    """The rule spelled out token by token: three one-character tokens in a row (a
    two-character one counts when its second character is punctuation), or a token
    with a dot after its first character."""
    run = 0
    for token in folded.split(" "):
        short = len(token) == 1 or (len(token) == 2 and not token[1].isalnum())
        run = run + 1 if short else 0
        if run == 3 or (len(token) > 2 and token[1] == "."):
            return True
    return False


TOKENISH = st.text(alphabet="ab1 ._-,@é\u0663", max_size=40)


@given(st.one_of(TOKENISH, st.text(max_size=60)))
@example("i n s t a")
@example("i. g. m")
@example("a  b c")
@example(" a b c")
@example("a b c ")
@example("x_ y_ z_")
@example("ab c d")
@example("i.g")
@example("j.doe at home")
@example("hello there")
@example("a b")
@example("é ٣ b")
def test_the_spaced_run_gate_reads_as_the_token_rule(text: str) -> None:
    assert (normalize._SPACED_RUN.search(" " + text) is not None) == spaced_run_by_tokens(text)


def test_spaced_out_handles_are_still_joined() -> None:
    assert join_spaced_letters("my ig is j a n e d o e") == "my ig is janedoe"
    assert join_spaced_letters("find me on i.g.") == "find me on ig"
    assert join_spaced_letters("nothing spaced here") == "nothing spaced here"


@given(st.text(max_size=80))
@example("call 555 ")
@example("five five five one two")
@example("\u0663\u0664")
@example("x²")
def test_holds_digits_finds_what_a_character_scan_finds(text: str) -> None:
    folded = fold(text)
    view = detect.spell_digits(folded, normalize.words_of(folded))
    assert detect._holds_digits(text) == any(char.isdigit() for char in view)


HOSTISH = st.text(alphabet="aw.:/-1z ", max_size=30)


@given(st.one_of(HOSTISH, st.text(max_size=60)))
@example("see www.x")
@example("ftp://")
@example("kindly. checking")
@example("a.bc")
@example("-.zz")
@example(".ab")
@example("a.b")
def test_the_link_gate_reads_as_its_plain_pattern(text: str) -> None:
    plain = re.compile(r"://|www\.|[a-z0-9-]\.[a-z]{2,}")
    assert links._hints_link(text) == (plain.search(text) is not None)


DIGITISH = st.text(alphabet="a1 9\u0663\u00b2x0", max_size=30)


@given(st.one_of(DIGITISH, st.text(max_size=60)))
@example("")
@example("no digits here")
@example("\u0663 and 4")
@example("x\u00b2")
def test_the_digit_helpers_read_as_the_regex_digit_class(text: str) -> None:
    assert normalize.has_digit(text) == (re.search(r"\d", text) is not None)
    assert normalize.count_digits(text) == sum(map(len, re.findall(r"\d+", text)))
