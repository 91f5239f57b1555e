"""Size and shape limits on what people send (DESIGN.md rule 12)."""

from __future__ import annotations

from typing import Any

import pytest

from server.domain.errors import InvalidInput, TooLarge
from server.domain.limits import check_json_depth, clean_body


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        pytest.param("hello", "hello", id="plain"),
        pytest.param("  hello  ", "hello", id="trimmed"),
        pytest.param("\n\thello\t\n ", "hello", id="trimmed-newlines-and-tabs"),
        pytest.param("line one\nline two", "line one\nline two", id="newline-kept"),
        pytest.param("a\tb", "a\tb", id="tab-kept"),
        pytest.param("a\r\nb", "a\nb", id="crlf-normalised"),
        pytest.param("a\r\n\r\nb\r\n", "a\n\nb", id="crlf-paragraphs"),
        pytest.param("a\rb", "a\nb", id="lone-carriage-return-is-a-newline"),
        pytest.param("café ☕ 日本語", "café ☕ 日本語", id="unicode-kept"),
        pytest.param("I took 25 mg at 9:30", "I took 25 mg at 9:30", id="benign-numbers"),
    ],
)
def test_clean_body_accepts(raw: str, cleaned: str) -> None:
    """A message body is trimmed and CRLF-normalised, keeping newlines, tabs and any script."""
    assert clean_body(raw, 100) == cleaned


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        pytest.param("", "empty_body", id="empty"),
        pytest.param("    ", "empty_body", id="spaces"),
        pytest.param("\r\n\t \n", "empty_body", id="only-whitespace"),
        pytest.param("a\x00b", "invalid_body", id="nul"),
        pytest.param("ding\x07", "invalid_body", id="bell"),
        pytest.param("\x1b[31mred", "invalid_body", id="ansi-escape"),
        pytest.param("a\x08b", "invalid_body", id="backspace"),
        pytest.param("a\x7fb", "invalid_body", id="delete"),
        pytest.param("a\x85b", "invalid_body", id="c1-next-line"),
        pytest.param("a\x9bb", "invalid_body", id="c1-csi"),
        pytest.param("a\x0bb", "invalid_body", id="vertical-tab"),
        pytest.param("a\x0cb", "invalid_body", id="form-feed"),
    ],
)
def test_clean_body_rejects(raw: str, code: str) -> None:
    """An empty body or one with control characters (other than newline and tab) is refused."""
    with pytest.raises(InvalidInput) as info:
        clean_body(raw, 100)
    assert info.value.code == code
    assert info.value.status == 400


@pytest.mark.parametrize(
    ("raw", "max_chars", "ok"),
    [
        pytest.param("x" * 10, 10, True, id="exactly-max"),
        pytest.param("x" * 11, 10, False, id="one-over"),
        pytest.param("  " + "x" * 10 + "  ", 10, True, id="counted-after-trim"),
        pytest.param("a\r\nb", 3, True, id="crlf-counts-as-one"),
        pytest.param("é" * 10, 10, True, id="characters-not-bytes"),
        pytest.param("😀" * 10, 10, True, id="astral-characters"),
        pytest.param("x", 1, True, id="max-one"),
    ],
)
def test_clean_body_length_boundary(raw: str, max_chars: int, ok: bool) -> None:
    """A body of exactly max_chars characters passes; one more is body_too_long (413)."""
    if ok:
        assert len(clean_body(raw, max_chars)) <= max_chars
    else:
        with pytest.raises(TooLarge) as info:
            clean_body(raw, max_chars)
        assert info.value.code == "body_too_long"
        assert info.value.status == 413
        assert info.value.extra == {"max_chars": max_chars}
        assert str(max_chars) in info.value.message
        assert str(len(raw)) in info.value.message


def nested_lists(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth - 1):
        value = [value]
    return value


def nested_dicts(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth - 1):
        value = {"k": value}
    return value


@pytest.mark.parametrize(
    ("value", "max_depth", "ok"),
    [
        pytest.param(1, 1, True, id="scalar"),
        pytest.param("[[[[[[[[", 1, True, id="brackets-in-a-string"),
        pytest.param(None, 1, True, id="null"),
        pytest.param({}, 1, True, id="empty-object"),
        pytest.param({"a": 1, "b": "x"}, 1, True, id="flat-object"),
        pytest.param([[]], 1, False, id="two-levels-at-one"),
        pytest.param([[]], 2, True, id="two-levels-at-two"),
        pytest.param(nested_lists(8), 8, True, id="lists-exactly-max"),
        pytest.param(nested_lists(9), 8, False, id="lists-one-over"),
        pytest.param(nested_dicts(8), 8, True, id="dicts-exactly-max"),
        pytest.param(nested_dicts(9), 8, False, id="dicts-one-over"),
        pytest.param({"a": [{"b": [1]}]}, 4, True, id="mixed-exactly-max"),
        pytest.param({"a": [{"b": [[]]}]}, 4, False, id="mixed-one-over"),
        pytest.param([1, [2, [3, [4]]]], 3, False, id="deep-in-last-sibling"),
        pytest.param([[[1]], 2, 3], 3, True, id="deep-in-first-sibling"),
        pytest.param([{}] * 10_000, 2, True, id="wide-and-shallow"),
    ],
)
def test_check_json_depth_boundary(value: Any, max_depth: int, ok: bool) -> None:
    """A document nested exactly max_depth containers deep passes; one level more is too_deep."""
    if ok:
        check_json_depth(value, max_depth)
    else:
        with pytest.raises(InvalidInput) as info:
            check_json_depth(value, max_depth)
        assert info.value.code == "too_deep"
        assert str(max_depth) in info.value.message


@pytest.mark.parametrize("build", [nested_lists, nested_dicts])
def test_check_json_depth_refuses_very_deep_documents_without_recursion(build: Any) -> None:
    """A 100,000-deep document is refused as too_deep, not with a RecursionError."""
    with pytest.raises(InvalidInput) as info:
        check_json_depth(build(100_000), 8)
    assert info.value.code == "too_deep"


@pytest.mark.parametrize("build", [nested_lists, nested_dicts])
def test_check_json_depth_walks_very_deep_documents_without_recursion(build: Any) -> None:
    """A 100,000-deep document within a larger limit is walked to the bottom without recursion."""
    check_json_depth(build(100_000), 100_000)
    with pytest.raises(InvalidInput):
        check_json_depth(build(100_000), 99_999)
