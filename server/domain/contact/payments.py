"""Payment details that need no app name around them: "$cashtags", IBANs, bank account
numbers, crypto wallets and payment links ("paypal.me/jane", "cash.app/$jane").

Handles on a named payment app ("my venmo is jane-doe-7") are found by ``handles``.
"""

from __future__ import annotations

import re

from .patterns import word_list

_CURRENCY_CODES = word_list(
    """
    usd cad aud nzd mxn ars brl clp cop pen uyu eur gbp chf sek nok dkk jpy cny hkd sgd
    """
)
_CASHTAG = re.compile(r"(?<![a-z0-9$])\$(?P<tag>[a-z_][a-z0-9_]{1,19})(?![a-z0-9_])")
_IBAN = re.compile(
    r"(?<![a-z0-9])(?P<country>[a-z]{2})(?P<check>\d{2})"
    r"(?P<rest>(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,3})?)(?![a-z0-9])"
)
_BANK_NUMBER = re.compile(
    r"(?<![a-z])(?:iban|sort ?code|routing(?: number)?|account(?: number| no\.?| #)?|acct|"
    r"kontonummer|konto|bic|swift|cbu|cvu|clabe|bsb|numero de cuenta|cuenta|conta|agencia)"
    r"(?![a-z])[^0-9]{0,20}\d(?:[ ./-]?\d){5,}"
)
_WALLET = re.compile(r"(?<![a-z0-9])(?:bc1[a-z0-9]{25,59}|0x[a-f0-9]{40})(?![a-z0-9])")
_PAYMENT_LINK = re.compile(
    r"(?:paypal\.me|paypal\.com/paypalme|venmo\.com|cash\.app|revolut\.me|wise\.com/pay|"
    r"ko-fi\.com|buymeacoffee\.com|patreon\.com)/\S"
)
_BANK_WORDS = word_list(
    """
    iban sort code routing account acct kontonummer konto bic swift cbu cvu clabe bsb cuenta
    conta agencia
    """
)
_IBAN_MODULUS = 97


def _is_iban(country: str, check: str, rest: str) -> bool:
    """The ISO 13616 check: move the first four characters to the end, mod 97 must be 1."""
    code = (rest.replace(" ", "") + country + check).upper()
    if not 15 <= len(code) <= 34:
        return False
    return int("".join(str(int(char, 36)) for char in code)) % _IBAN_MODULUS == 1


def has_payment_details(folded: str, words: frozenset[str]) -> bool:
    """Whether ``folded`` holds a cashtag, IBAN, account number, wallet or pay link.

    ``words`` are the words of ``folded`` (``normalize.words_of``), used as cheap gates.
    """
    if "$" in folded:
        for match in _CASHTAG.finditer(folded):
            if match.group("tag") not in _CURRENCY_CODES:
                return True
    if "/" in folded and _PAYMENT_LINK.search(folded):
        return True
    long_tokens = [word for word in words if len(word) >= 4 and not word.isalpha()]
    if not long_tokens:
        return False
    for match in _IBAN.finditer(folded):
        if _is_iban(match.group("country"), match.group("check"), match.group("rest")):
            return True
    if not _BANK_WORDS.isdisjoint(words) and _BANK_NUMBER.search(folded):
        return True
    return any(word.startswith(("bc1", "0x")) for word in long_tokens) and bool(
        _WALLET.search(folded)
    )
