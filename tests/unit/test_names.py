"""Display names: pseudonyms unique within a program (DESIGN.md section 2, rule 7)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from server.domain.errors import InvalidInput
from server.domain.names import display_name_key, normalize_display_name

MAX = 40


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        pytest.param("Ana", "Ana", id="plain"),
        pytest.param("  Ana   Bee ", "Ana Bee", id="spaces-collapsed-and-trimmed"),
        pytest.param("Ana\tBee\n", "Ana Bee", id="tab-and-newline-collapsed"),
        pytest.param("Ana\u00a0Bee", "Ana Bee", id="no-break-space"),
        pytest.param("Ana\u3000Bee", "Ana Bee", id="ideographic-space"),
        pytest.param("José", "José", id="accent"),
        pytest.param("Jose\u0301", "José", id="decomposed-accent-composed"),
        pytest.param("Zoë Łukasz Søren", "Zoë Łukasz Søren", id="latin-extended"),
        pytest.param("Мария", "Мария", id="cyrillic"),
        pytest.param("محمد", "محمد", id="arabic"),
        pytest.param("山田", "山田", id="cjk-two-characters"),
        pytest.param("नमस्ते", "नमस्ते", id="devanagari-with-marks"),
        pytest.param("Ａｎａ", "Ana", id="full-width-folded"),
        pytest.param("ℌ𝔞𝔫𝔰", "Hans", id="math-letters-folded"),
        pytest.param("ﬁsh", "fish", id="ligature-folded"),
        pytest.param("O'Brien", "O'Brien", id="apostrophe"),
        pytest.param("Mary-Jane", "Mary-Jane", id="hyphen"),
        pytest.param("j_doe", "j_doe", id="underscore"),
        pytest.param("J. R.", "J. R.", id="dots"),
        pytest.param("R2D2", "R2D2", id="digits"),
        pytest.param("Ab", "Ab", id="two-characters"),
    ],
)
def test_normalize_display_name_accepts(raw: str, shown: str) -> None:
    """A name in any script, with ' - _ . and spaces, is accepted in NFKC with spaces collapsed."""
    assert normalize_display_name(raw, MAX) == shown


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("", id="empty"),
        pytest.param("A", id="one-character"),
        pytest.param("   A   ", id="one-character-after-trim"),
        pytest.param("Ａ", id="one-full-width-character"),
        pytest.param("     ", id="only-spaces"),
        pytest.param("Ana 😀", id="emoji"),
        pytest.param("Ana❤️", id="emoji-with-variation-selector"),
        pytest.param("Ana🇺🇸", id="flag"),
        pytest.param("♥Ana", id="symbol"),
        pytest.param("Ana©", id="copyright"),
        pytest.param("Ana!", id="exclamation"),
        pytest.param("Ana@example", id="at-sign"),
        pytest.param("<b>Ana</b>", id="markup"),
        pytest.param("Ana/Bee", id="slash"),
        pytest.param("Ana#1", id="hash"),
        pytest.param("Ana$", id="dollar"),
        pytest.param("Ana\x00", id="nul"),
        pytest.param("Ana\x07", id="bell"),
        pytest.param("Ana\x1b[0m", id="ansi-escape"),
        pytest.param("Ana\u200b", id="zero-width-space"),
        pytest.param("An\u200da", id="zero-width-joiner"),
        pytest.param("An\u200ca", id="zero-width-non-joiner"),
        pytest.param("Ana\u2060", id="word-joiner"),
        pytest.param("\ufeffAna", id="byte-order-mark"),
        pytest.param("Ana\u00ad", id="soft-hyphen"),
        pytest.param("Ana\u202e", id="right-to-left-override"),
        pytest.param("Ana\u2066", id="bidi-isolate"),
        pytest.param("Ana\ufe0f", id="variation-selector"),
        pytest.param("Ana\u034f", id="grapheme-joiner"),
        pytest.param("Ana\u3164", id="hangul-filler"),
        pytest.param("1\ufe0f\u20e3 Ana", id="keycap-emoji"),
        pytest.param("\u0301\u0301", id="only-combining-marks"),
    ],
)
def test_normalize_display_name_rejects(raw: str) -> None:
    """A name too short or with emoji, symbols, controls or invisible characters is refused."""
    with pytest.raises(InvalidInput) as info:
        normalize_display_name(raw, MAX)
    assert info.value.code == "invalid_name"


@pytest.mark.parametrize(
    ("raw", "max_chars", "ok"),
    [
        pytest.param("Abcde", 5, True, id="exactly-max"),
        pytest.param("Abcdef", 5, False, id="one-over"),
        pytest.param("Ab     cd", 5, True, id="counted-after-collapse"),
        pytest.param("  Abcde  ", 5, True, id="counted-after-trim"),
        pytest.param("A" * 40, 40, True, id="default-max"),
        pytest.param("A" * 41, 40, False, id="default-max-over"),
    ],
)
def test_normalize_display_name_length_bounds(raw: str, max_chars: int, ok: bool) -> None:
    """A name is 2..max_chars characters after cleaning, and the error names the bound."""
    if ok:
        assert 2 <= len(normalize_display_name(raw, max_chars)) <= max_chars
    else:
        with pytest.raises(InvalidInput) as info:
            normalize_display_name(raw, max_chars)
        assert info.value.code == "invalid_name"
        assert str(max_chars) in info.value.message


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("Ana", "ana", id="lower-case"),
        pytest.param("Ana", "ANA", id="upper-case"),
        pytest.param("Ana", "Ａｎａ", id="full-width"),
        pytest.param("Ana Bee", "AnaBee", id="space-removed"),
        pytest.param("Ana Bee", "ana  bee", id="double-space"),
        pytest.param("Ana Bee", "Ana\u00a0Bee", id="no-break-space"),
        pytest.param("Ana Bee", "Ana\u3000Bee", id="ideographic-space"),
        pytest.param("Straße", "STRASSE", id="sharp-s-casefold"),
        pytest.param("José", "Jose\u0301", id="composed-vs-decomposed"),
        pytest.param("Hans", "ℌ𝔞𝔫𝔰", id="math-letters"),
    ],
)
def test_display_name_key_collides(first: str, second: str) -> None:
    """Names that differ only in case, width, spacing or composition have the same key."""
    assert display_name_key(first) == display_name_key(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("Ana", "Anna", id="different-letters"),
        pytest.param("Ana", "Ána", id="accent-matters"),
        pytest.param("Ana", "Ana2", id="digit"),
        pytest.param("Ana-Bee", "AnaBee", id="hyphen-matters"),
        pytest.param("Ana.B", "AnaB", id="dot-matters"),
    ],
)
def test_display_name_key_keeps_different_names_apart(first: str, second: str) -> None:
    """Names that read differently have different keys."""
    assert display_name_key(first) != display_name_key(second)


def test_names_that_look_identical_cannot_coexist() -> None:
    """A name that renders like an accepted one is refused rather than given its own key."""
    normalize_display_name("Ana", MAX)
    with pytest.raises(InvalidInput) as info:
        normalize_display_name("Ana\ufe0f", MAX)
    assert info.value.code == "invalid_name"


@pytest.mark.parametrize("spaced", ["A \u0301na", "A\u00b4na"])
def test_spacing_before_a_combining_mark_collides(spaced: str) -> None:
    """Accepted names that differ only by a space before a combining mark have the same key."""
    shown = normalize_display_name(spaced, MAX)
    assert display_name_key(shown) == display_name_key(normalize_display_name("A\u0301na", MAX))


@settings(database=None, max_examples=300)
@given(st.text(max_size=60))
def test_display_name_key_is_idempotent_without_spaces(raw: str) -> None:
    """For text with no spaces after NFKC, the key of a key is the key itself."""
    assume(" " not in unicodedata.normalize("NFKC", raw))
    key = display_name_key(raw)
    assert display_name_key(key) == key


NAME_LIKE = st.text(
    alphabet=st.characters(categories=["L", "N", "M", "Zs"], include_characters=" '-_."),
    max_size=60,
)


@settings(database=None, max_examples=300)
@given(NAME_LIKE)
def test_accepted_names_are_stable(raw: str) -> None:
    """An accepted name is already clean: normalising it again changes nothing."""
    try:
        shown = normalize_display_name(raw, MAX)
    except InvalidInput:
        return
    assert normalize_display_name(shown, MAX) == shown
    assert shown == shown.strip()
    assert "  " not in shown
