"""Street addresses: "221B Baker Street", "Calle Mayor 5", "Hauptstraße 12", "Rua Augusta,
100", "Calle 10 #5-20", PO boxes, and postcodes next to a city or a state.

"a 20 minute drive", "three blocks down the road", "na rua por 2 horas" and
"Arbeitsplatz 3 Jahre" are not addresses: street names are checked against everyday
words and a number followed by a unit is a quantity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .normalize import has_digit
from .patterns import alternation, word_list
from .vocabulary import COMMON_WORDS, UNIT_WORDS

_SUFFIXES = word_list(
    """
    street st avenue ave road rd boulevard blvd lane ln drive dr court ct place pl way
    terrace circle cir parkway pkwy highway hwy square sq crescent close grove mews
    alley trail pike plaza loop
    """
)
_PARTICLES = word_list("de del da do dos das la las los el di della des du le l'")
_NOT_NAMES = (
    COMMON_WORDS
    | UNIT_WORDS
    | _SUFFIXES
    | word_list("session sessions round rounds time minute hour block blocks lap laps more")
)
_UNIT_AFTER = re.compile(rf",? ?(?:{alternation(UNIT_WORDS)})(?![a-z])")


# "221b baker street", "350 5th ave", "880 w. sunset boulevard"; spelled out, the house
# number may come digit by digit: "one two three main street" reads "1 2 3 main street".
def _number_first(number: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![a-z0-9.,/:$-])(?P<number>{number})(?:-\d{{1,4}})?,? "
        rf"(?P<name>(?:[a-z0-9][a-z0-9'.-]* ){{1,4}}?)(?:{alternation(_SUFFIXES)})\.?(?![a-z])"
    )


_NUMBER_FIRST = _number_first(r"\d{1,5}[a-z]?")
_SPELLED_NUMBER_FIRST = _number_first(r"\d{1,5}(?: \d{1,4}){0,4}")
# "23 rue de rivoli"
_NUMBER_THEN_TYPE = re.compile(
    r"(?<![a-z0-9.,/:$-])\d{1,5}(?:bis|ter)?,? (?:rue|avenue|boulevard|chemin|impasse|quai) "
    r"(?:(?:de|du|des|la|le|l') ?)?[a-z]{3,}"
)
# "calle mayor 5", "av. paulista, 1578", "rua das flores, 45", "c/ alcala 120"
_TYPE_FIRST = re.compile(
    r"(?<![a-z])(?:calle|c/|avenida|avda\.?|av\.|paseo|pso\.|plaza|pza\.|praca|camino|"
    r"carrera|carretera|ctra\.|ronda|travesia|glorieta|rua|r\.|travessa|tv\.|estrada|alameda|"
    r"rodovia|rue|viale|piazza|corso)(?![a-z]) ?"
    r"(?P<name>(?:[a-z][a-z'.-]* ?){1,5}?),? (?:n[o.]* ?|# ?|numero |nr\.? )?"
    r"(?P<number>\d{1,5})[a-z]?(?![0-9])"
)
# "calle 10 #5-20", "carrera 7 # 45-10"
_GRID = re.compile(
    r"(?<![a-z])(?:calle|cl|carrera|cra|kr|avenida|av|diagonal|transversal)\.? ?\d{1,3}[a-z]? ?"
    r"(?:bis ?)?(?:#|no\.?|n[o.]) ?\d{1,3}[a-z]? ?- ?\d{1,3}"
)
# "hauptstrasse 12", "berliner str. 5a", "kastanienallee 77"
_GERMAN = re.compile(
    r"(?<![a-z])(?:[a-z]{2,}(?:strasse|str\.?|weg|platz|allee|gasse|damm|ufer|chaussee|pfad|"
    r"steig|markt)|[a-z]{3,}e[rn]? (?:strasse|str\.|allee|platz|weg|gasse)) ?"
    r"(?P<number>\d{1,4})(?: ?[a-z])?(?![0-9a-z])"
)
# "am rosenhang 5", "an der alsterwiese 3": German names for a place, after a preposition.
_GERMAN_PLACE = re.compile(
    r"(?<![a-z])(?:am|an der|an den|auf der|auf dem|im|in der|zum|zur) [a-z]{2,}(?:hang|berg|feld|"
    r"hof|garten|graben|ring|anger|rain|wall|tor|bach|see|wiese|park|wald|grund|horst|kamp|"
    r"busch|hain|heide|bogen|eck|stieg|hohe|hoehe|kai) (?P<number>\d{1,3})(?: ?[a-z])?(?![0-9a-z])"
)
_PO_BOX = re.compile(
    r"(?<![a-z])(?:p\.? ?o\.? ?box|post office box|postfach|apartado(?: de correos| postal)?|"
    r"apdo\.?|caixa postal|cx\.? ?postal|casilla(?: de correos?)?) ?(?:n[o.]* ?|#)? ?\d{1,6}"
)
_US_STATES = word_list(
    """
    al ak az ar ca co ct de dc fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv
    nh nj nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy
    """
)
_CITY_STATE_ZIP = re.compile(
    r"(?<![a-z])(?P<city>[a-z]{3,})(?: [a-z]{3,})?,? (?P<state>[a-z]{2}) \d{5}(?:-\d{4})?(?!\d)"
)
_POSTCODE_WORD = re.compile(
    r"(?<![a-z])(?:zip(?: ?code)?|plz|postleitzahl|cp|c\.p\.|codigo postal|cod\. postal|cep|"
    r"code postal|postcode|post code)\.?:? ?\d{4,5}(?:-\d{3,4})?(?!\d)"
)
_UK_POSTCODE = re.compile(r"(?<![a-z0-9])[a-z]{1,2}\d[a-z0-9]? ?\d[abd-hjlnp-uw-z]{2}(?![a-z0-9])")
_CA_POSTCODE = re.compile(r"(?<![a-z0-9])[abceghj-nprstvxy]\d[a-z] ?\d[a-z]\d(?![a-z0-9])")
_POSTCODE_CITY = re.compile(r", (?:\d{5}|\d{4}-\d{3}) (?P<city>[a-z]{3,})")
_TYPE_WORDS = word_list(
    """
    calle c avenida avda av paseo pso plaza pza praca camino carrera cra cl kr carretera
    ctra ronda travesia glorieta rua r travessa tv estrada alameda rodovia rue viale
    piazza corso boulevard chemin impasse quai diagonal transversal
    """
)
_GERMAN_SUFFIXES = (
    "strasse", "str", "weg", "platz", "allee", "gasse", "damm", "ufer", "chaussee", "pfad",
    "steig", "markt",
)  # fmt: skip
_GERMAN_WORDS = word_list("am an auf im in zum zur")
_POSTCODE_WORDS = word_list(
    """
    box postfach apartado apdo caixa cx casilla zip zipcode plz postleitzahl cp c codigo cod
    cep code postcode post
    """
)


def _names_a_street(name: str) -> bool:
    """Whether ``name`` can be a street's name: not everyday words ("3 blocks down the road")."""
    words = [word.strip(".'") for word in name.split() if word not in _PARTICLES]
    named = [word not in _NOT_NAMES and any(char.isalpha() for char in word) for word in words]
    return bool(named) and all(named)


def _overlapping(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Every match of ``pattern``, including those starting inside an earlier match."""
    position = 0
    while (match := pattern.search(text, position)) is not None:
        yield match
        position = match.start() + 1


def _street_matches(text: str, words: frozenset[str], *, spelled: bool) -> bool:
    if not _SUFFIXES.isdisjoint(words):
        number_first = _SPELLED_NUMBER_FIRST if spelled else _NUMBER_FIRST
        for match in _overlapping(number_first, text):
            digits = sum(char.isdigit() for char in match.group("number"))
            # Spelled out, "one way street" is talk: a house number needs two digits or more.
            if (digits > 1 or not spelled) and _names_a_street(match.group("name")):
                return True
    if not _TYPE_WORDS.isdisjoint(words):
        if _NUMBER_THEN_TYPE.search(text) or _GRID.search(text):
            return True
        for match in _overlapping(_TYPE_FIRST, text):
            name = match.group("name")
            if not _UNIT_AFTER.match(text, match.end()) and _names_a_street(name):
                return True
    if any(word.endswith(_GERMAN_SUFFIXES) for word in words) and any(
        not _UNIT_AFTER.match(text, match.end()) for match in _GERMAN.finditer(text)
    ):
        return True
    return not _GERMAN_WORDS.isdisjoint(words) and any(
        not _UNIT_AFTER.match(text, match.end()) for match in _GERMAN_PLACE.finditer(text)
    )


def _postcode_matches(text: str, words: frozenset[str]) -> bool:
    if not _POSTCODE_WORDS.isdisjoint(words) and (
        _PO_BOX.search(text) or _POSTCODE_WORD.search(text)
    ):
        return True
    numbers = {len(word) for word in words if word.isdigit()}
    if 5 in numbers:
        for match in _CITY_STATE_ZIP.finditer(text):
            if match.group("state") in _US_STATES and match.group("city") not in _NOT_NAMES:
                return True
    if numbers & {4, 5}:
        for match in _POSTCODE_CITY.finditer(text):
            if match.group("city") not in _NOT_NAMES:
                return True
    mixed = any(not (word.isalpha() or word.isdigit()) and len(word) <= 4 for word in words)
    return mixed and bool(_UK_POSTCODE.search(text) or _CA_POSTCODE.search(text))


def has_address(folded: str, digit_view: str, words: frozenset[str]) -> bool:
    """Whether the message holds a street address, PO box or postcode.

    ``digit_view`` (number words as digits) catches "two twenty one Baker Street";
    ``words`` are the words of ``folded`` (``normalize.words_of``), used as cheap gates.
    """
    if not has_digit(digit_view):
        return False
    if has_digit(folded) and (
        _street_matches(folded, words, spelled=False) or _postcode_matches(folded, words)
    ):
        return True
    return digit_view != folded and _street_matches(digit_view, words, spelled=True)
