"""Social, messaging and payment handles: "@jane_doe99", "my insta is river.stone",
"snap: kat", "tg @moon", "I'm moonchild on discord", "moonchild#4821", "u/riverstone",
"my handle is kat99", "my venmo is jane-doe-7", "my gmail is riverstone1987".

A platform named without an identifier is talk, not contact ("I deleted instagram",
"my signal is terrible up here"), and "@everyone" or "@Ana" is a mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .kinds import ContactKind
from .patterns import alternation, word_list
from .vocabulary import COMMON_WORDS, UNIT_WORDS

_HANDLE_APPS = word_list(
    """
    instagram insta ig snapchat telegram tg whatsapp wpp zapzap tiktok twitter facebook
    fb messenger bluesky bsky mastodon reddit linkedin youtube yt twitch tumblr pinterest
    kik skype wechat viber soundcloud gamertag psn xbox onlyfans vsco bereal letterboxd
    goodreads strava substack snap discord threads face zap steam signal line
    """
) | {"tik tok", "face book"}
_PAYMENT_APPS = word_list(
    """
    venmo cashapp paypal zelle revolut bizum mbway mercadopago nequi daviplata yape lydia
    twint monzo payid wise pix cash
    """
) | {"cash app", "mb way", "mercado pago"}
_MAIL_APPS = word_list("gmail hotmail outlook yahoo icloud protonmail gmx posteo")
# Everyday words too: an identifier after them must be clearly one ("snap: kat").
_AMBIGUOUS_APPS = word_list("snap discord threads face zap steam pix")
# Everyday words that also end up before colons ("outlook: cloudy", "signal: weak"):
# only an identifier that cannot be a word counts.
_WORDY_APPS = word_list("signal line outlook yahoo wise cash")

_KIND_OF = (
    {app: ContactKind.HANDLE for app in _HANDLE_APPS}
    | {app: ContactKind.PAYMENT for app in _PAYMENT_APPS}
    | {app: ContactKind.EMAIL for app in _MAIL_APPS}
)
_APP = re.compile(
    rf"(?<![a-z0-9])(?P<app>{alternation(_KIND_OF, leet=True)}|[1!|]g(?= ?[:=]))(?![a-z0-9])"
)
_LEET_APPS = tuple((app, re.compile(alternation([app], leet=True))) for app in sorted(_KIND_OF))
_ON_X = re.compile(r"(?<![a-z0-9])(?:on|en|no|auf|twitter ?/) ?x(?![a-z0-9./])")
# "my insta", "mi usuario de instagram", "meu user no twitter"
_POSSESSIVE_BEFORE = re.compile(
    r"(?<![a-z])(?:my|mi|meu|minha|mein|meine|mon|ma)(?: [a-z]+){0,2} $"
)
# Pix's random keys and other app keys are UUIDs.
_PAYMENT_KEY = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

_CUE = re.compile(
    r"(?<![a-z])(?:follow|add|find|look|hit|dm|message|msg|text)(?: me)(?![a-z])|"
    r"(?<![a-z])(?:sigueme|siganme|agregame|buscame|encuentrame|me sigue|me segue|"
    r"me adiciona|me add|me acha|me chama|me procura|folg mir|folgt mir|adde mich|"
    r"findet mich|such mich|i go by|user ?name|handle|usuario|nutzername|benutzername)"
    r"(?![a-z])"
)
_LABELS = (
    r"user ?name|user|handle|name|id|account|acc|profile|tag|alias|usuario|usuaria|"
    r"nombre|perfil|cuenta|conta|nutzername|benutzername|konto|chave|key"
)
_LINKS = (
    r"[:=,]|->|-|\bis\b|\bes\b|\be\b|\bist\b|\beh\b|\bat\b|\bcomo\b|\bas\b|\bunter\b|"
    r"\bunder\b|\bals\b|\bi'?m\b|\bsoy\b|\bsou\b|\bbin\b|\bich bin\b"
)
_IDENTIFIER = r"(?P<token>[a-z0-9_](?:[a-z0-9_.-]{0,40}[a-z0-9_])?)"
_AFTER_APP = re.compile(
    rf"(?:'s)?(?P<me> me)?(?P<label>(?: ?[,:-]? ?(?:de |do |da )?(?:{_LABELS})(?![a-z]))*)"
    rf"(?P<link>(?: ?(?:{_LINKS}) ?){{0,2}}) ?(?P<at>@ ?)?{_IDENTIFIER}"
)
_STRONG_LINKS = frozenset({":", "=", "->"})
_PLAIN_LINKS = frozenset({"is", "es", "e", "ist", "eh"})
# "my handle is kat99", "my @ is kat", "username: kat", "nombre de usuario: kat"
_LABELLED = re.compile(
    r"(?<![a-z])(?:handle|user ?name|usuario|nombre de usuario|nome de usuario|nutzername|"
    rf"benutzername|gamertag|(?:my|mi|meu|mein) @) ?(?:is|es|e|ist|:|=)? ?@?{_IDENTIFIER}"
)
# "I'm moonchild on discord", "soy luz en insta"
_NAME_ON_APP = re.compile(
    rf"(?<![a-z])(?:i'?m|i am|soy|sou|ich bin) @?{_IDENTIFIER} (?:on|en|no|na|auf|in) "
    rf"(?P<app>{alternation(_KIND_OF, leet=True)})(?![a-z0-9])"
)
_AT_IDENTIFIER = re.compile(rf"(?<![a-z0-9_.@])@(?P<space> ?){_IDENTIFIER}")
_IDENTITY_BEFORE = re.compile(
    r"(?:i'?m|i am|soy|sou|ich bin|by|como|as|als|under|unter|[:=]|->) ?$"
)
_MENTIONS = word_list(
    """
    everyone everybody here channel all todos todas alle team staff mods mod admin admins
    facilitator facilitators facilitador facilitadora facilitadores facilitadoras group
    grupo gruppe someone
    """
)
_DISCORD_TAG = re.compile(r"(?<![a-z0-9_.#])[a-z0-9_.]{2,32}#\d{4}(?!\d)")
_REDDIT_USER = re.compile(r"(?<![a-z0-9/])u/[a-z0-9_-]{3,20}")
_NUMBER_WITH_UNIT = re.compile(r"\d+[a-z]{1,4}")
_ADJECTIVE_ENDINGS = ("ly", "ed", "ing", "ble", "ful", "ous", "ive", "less", "ier", "est")
_HINT_WORDS = word_list(
    "u handle user username usuario nutzername benutzername gamertag nombre nome"
)
_APP_WORDS = frozenset(word for app in _KIND_OF for word in app.split()) | {"1g"}
_MIN_KEY_DIGITS = 6
_SHORT_MESSAGE_WORDS = 3


@dataclass(slots=True)
class HandleScan:
    """What ``scan_handles`` found: contact kinds, and whether a payment app was named."""

    kinds: set[ContactKind] = field(default_factory=set)
    names_payment_app: bool = False


def _is_handle_like(token: str) -> bool:
    """Handles carry digits, inner underscores or inner dots; words and "10am" do not."""
    if len(token) < 3 or not any(char.isalpha() for char in token):
        return False
    if _NUMBER_WITH_UNIT.fullmatch(token):
        return False
    inner = token.strip("_.")
    return any(char.isdigit() or char == "_" for char in inner) or (
        "." in inner and all(len(part) > 1 for part in inner.split("."))
    )


def _is_name_like(token: str) -> bool:
    return (
        len(token) >= 3
        and token not in COMMON_WORDS
        and token not in UNIT_WORDS
        and token not in _KIND_OF
        and not token.isdigit()
        and not token.endswith(_ADJECTIVE_ENDINGS)
    )


def _canonical(app: str) -> str:
    """The platform a (possibly leetspeak) match names."""
    if app in _KIND_OF:
        return app
    if app.endswith("g") and len(app) == 2:
        return "ig"
    for name, pattern in _LEET_APPS:
        if pattern.fullmatch(app):
            return name
    return app


def _identifier_after(text: str, start: int, end: int, app: str, cued: bool) -> bool:
    after = _AFTER_APP.match(text, end)
    if after is None:
        return False
    token = after.group("token").rstrip(".")
    links = set(after.group("link").split())
    if token in COMMON_WORDS or token in _KIND_OF:
        return False
    digits = token.replace(".", "").replace("-", "")
    if digits.isdigit():
        # A bare number after a payment app is a payment key ("chave pix 123.456.789-09").
        return _KIND_OF.get(app) is ContactKind.PAYMENT and len(digits) >= _MIN_KEY_DIGITS
    if _is_handle_like(token) or after.group("at"):
        return True
    labelled = bool(after.group("label").strip(" ,:-"))
    if not _is_name_like(token) or app in _WORDY_APPS:
        return labelled and _is_name_like(token)
    possessive = _POSSESSIVE_BEFORE.search(text, 0, start) is not None
    if "at" in links and not after.group("me"):
        links.discard("at")  # "snap me at kat" names someone; "whatsapp at night" does not
    if links & _PLAIN_LINKS and not possessive:
        # "insta is toxic" judges the app; "my insta is moonchild" names an account.
        links -= _PLAIN_LINKS
    if app in _AMBIGUOUS_APPS:
        return (
            labelled
            or bool(links & _STRONG_LINKS)
            or (possessive and bool(links & _PLAIN_LINKS))
            or (cued and bool(links))
        )
    if labelled or links - {",", "-"} or cued:
        return True
    # "snapchat janedoe" on its own is a handle; "instagram influencers" mid-sentence is not.
    return after.end() == len(text.rstrip(" .!")) and len(text.split()) <= _SHORT_MESSAGE_WORDS


def _scan_mentions(text: str, apps: bool, cued: bool) -> bool:
    """Whether an "@name" in ``text`` is a handle rather than a mention of someone here."""
    for match in _AT_IDENTIFIER.finditer(text):
        token = match.group("token").rstrip(".")
        if token in _MENTIONS or (match.group("space") and not (apps or cued)):
            continue
        if (
            _is_handle_like(token)
            or apps
            or cued
            or _IDENTITY_BEFORE.search(text, 0, match.start())
        ):
            return True
    return False


def _may_name_app(text: str, words: frozenset[str]) -> bool:
    """Whether an app can be named in ``text``: by name, or in leetspeak ("1nsta", "ca$happ")."""
    return (
        not _APP_WORDS.isdisjoint(words)
        or any(not (word.isalpha() or word.isdigit()) for word in words)
        or any(mark in text for mark in "$|!@")
    )


def scan_handles(text: str, words: frozenset[str]) -> HandleScan:
    """Handles in ``text`` (folded, spaced letters joined), by the kind of app they belong to.

    ``words`` are the words of ``text`` (``normalize.words_of``), used as cheap gates.
    """
    scan = HandleScan()
    apps = (
        [(m.start(), m.end(), _canonical(m.group("app"))) for m in _APP.finditer(text)]
        if _may_name_app(text, words)
        else []
    )
    if "x" in text and _ON_X.search(text):  # the cheap test first: most text has no x
        apps.append((len(text), len(text), "x"))
    if not apps and "@" not in text and "#" not in text and _HINT_WORDS.isdisjoint(words):
        return scan
    cued = _CUE.search(text) is not None
    app_kinds = {_KIND_OF.get(app, ContactKind.HANDLE) for _, _, app in apps}
    scan.names_payment_app = ContactKind.PAYMENT in app_kinds
    if scan.names_payment_app and _PAYMENT_KEY.search(text):
        scan.kinds.add(ContactKind.PAYMENT)
    for start, end, app in apps:
        if _identifier_after(text, start, end, app, cued):
            scan.kinds.add(_KIND_OF.get(app, ContactKind.HANDLE))
    for match in _NAME_ON_APP.finditer(text):
        token = match.group("token")
        if _is_handle_like(token) or _is_name_like(token):
            scan.kinds.add(_KIND_OF.get(_canonical(match.group("app")), ContactKind.HANDLE))
    labelled = _LABELLED.search(text)
    if labelled and (_is_handle_like(labelled["token"]) or _is_name_like(labelled["token"])):
        scan.kinds.add(ContactKind.HANDLE)
    if _scan_mentions(text, bool(apps), cued):
        scan.kinds |= (app_kinds - {ContactKind.EMAIL}) or {ContactKind.HANDLE}
    if _DISCORD_TAG.search(text) or _REDDIT_USER.search(text):
        scan.kinds.add(ContactKind.HANDLE)
    return scan
