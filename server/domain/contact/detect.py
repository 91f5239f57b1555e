"""The contact lock's detector (DESIGN.md rule 4): which kinds of contact information a
participant's message carries, alone or split over their last few messages.

Pure and synchronous; every pattern is compiled at import.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from .addresses import has_address
from .emails import find_emails
from .handles import scan_handles
from .kinds import ContactKind
from .links import has_link
from .normalize import fold, has_digit, join_spaced_letters, words_of
from .payments import has_payment_details
from .phones import has_phone
from .words import spell_digits

# The server passes the sender's accepted messages from the last few minutes; only the
# most recent ones can hold the start of a split number or address.
MAX_PREVIOUS = 5


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in reversed(spans):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _find_in_folded(folded: str, region: str) -> set[ContactKind]:
    kinds: set[ContactKind] = set()
    words = words_of(folded)
    letters = join_spaced_letters(folded)
    letter_words = words if letters is folded else words_of(letters)
    emails = find_emails(letters, letter_words)
    if emails:
        kinds.add(ContactKind.EMAIL)
    if has_link(_blank(letters, emails), letter_words):
        kinds.add(ContactKind.URL)
    digit_view = spell_digits(folded, words)
    if has_phone(digit_view, region, spelled=digit_view != folded):
        kinds.add(ContactKind.PHONE)
    handles = scan_handles(letters, letter_words)
    kinds |= handles.kinds
    # A phone number or address next to a payment app is a payment key: "bizum al 612…".
    if handles.names_payment_app and kinds & {ContactKind.PHONE, ContactKind.EMAIL}:
        kinds.add(ContactKind.PAYMENT)
    if has_payment_details(folded, words):
        kinds.add(ContactKind.PAYMENT)
    if has_address(folded, digit_view, words):
        kinds.add(ContactKind.ADDRESS)
    return kinds


def find_contacts(text: str, *, region: str = "US") -> frozenset[ContactKind]:
    """The kinds of contact information in one message (DESIGN.md rule 4).

    ``region`` is the program's ISO 3166 region; phone numbers are also checked against
    the other regions this service's participants commonly live in.
    """
    folded = fold(text)
    if not folded:
        return frozenset()
    return frozenset(_find_in_folded(folded, region.upper()))


_GLUE = ".@/_-:"


def _find_in_run(messages: list[str], region: str) -> set[ContactKind]:
    kinds = _find_in_folded(fold(" ".join(messages)), region)
    glued = any(
        before.rstrip()[-1:] in _GLUE or after.lstrip()[:1] in _GLUE
        for before, after in itertools.pairwise(messages)
    )
    if glued:
        # Written back to back, a split link or address loses its spaces: "bit." + "ly/x".
        compact = join_spaced_letters(fold("".join(messages)))
        words = words_of(compact)
        emails = find_emails(compact, words)
        if emails:
            kinds.add(ContactKind.EMAIL)
        if has_link(_blank(compact, emails), words):
            kinds.add(ContactKind.URL)
    return kinds


def _holds_digits(message: str) -> bool:
    folded = fold(message)
    view = spell_digits(folded, words_of(folded))
    # In ASCII text the digits are 0-9 whichever way they are counted.
    return has_digit(view) if view.isascii() else any(char.isdigit() for char in view)


def find_split_contacts(
    previous: Sequence[str],
    text: str,
    *,
    region: str = "US",
    alone: frozenset[ContactKind] | None = None,
) -> frozenset[ContactKind]:
    """Kinds of contact information that ``text`` completes with the sender's previous
    messages ("call me 555", "01", "2345"), and that ``text`` alone does not carry.

    ``previous`` holds the same sender's recent accepted messages in the room, oldest
    first (DESIGN.md rule 4). ``alone``: ``find_contacts(text, region=region)``
    when the caller has it already.
    """
    recent = [message for message in previous[-MAX_PREVIOUS:] if message.strip()]
    if not recent or not text.strip():
        return frozenset()
    region = region.upper()
    if alone is None:
        alone = find_contacts(text, region=region)
    # All the recent messages together; then, when the new message continues a number,
    # without the older ones that hold digits: those could run into it and change how it reads.
    starts = [0]
    if _holds_digits(text):
        starts += [start for start in range(1, len(recent)) if _holds_digits(recent[start - 1])]
    found: set[ContactKind] = set()
    for start in starts:
        window = recent[start:]
        joined = _find_in_run([*window, text], region) - alone
        if joined - found:
            # Only what the new message completes: not what the earlier ones held already.
            found |= joined - _find_in_run(window, region)
    return frozenset(found)
