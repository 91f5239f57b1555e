"""German risk rules (DESIGN.md rule 11).

"mich" is also an object ("er will mich umbringen"), so rules about killing
oneself need "ich" before them; idioms ("ich lach mich tot", "das bringt mich
um", "todmüde") never match a rule.
"""

from __future__ import annotations

from .rules import RuleSpec
from .signal import RiskKind

S = RiskKind.SUICIDE
H = RiskKind.SELF_HARM
X = RiskKind.HOPELESSNESS

MACROS = {
    "ich": "ich|isch",
    "nicht": "nicht|nich|net|ned",
    "want": (
        "will|wil|möchte|möcht|wollte|würde gern|würde gerne|würde am liebsten|wünsche mir"
        "|wünschte|wünschte mir|hätte gern|sehne mich danach|sehne mich|mag|kann"
    ),
    "die": (
        "sterben|tot sein|({nicht}|nie) (mehr|wieder)? (am leben sein|leben|existieren"
        "|aufwachen|da sein"
        "|hier sein|weiterleben)|weg sein für immer|einschlafen und ({nicht}|nie) (mehr|wieder)"
        " aufwachen|wäre tot|wär tot|tot wäre|nicht mehr da wäre|nie geboren (wäre|worden)"
        "|mich umbringen|mir das leben nehmen|tot umfallen und ({nicht}|nie) mehr aufstehen"
    ),
    "selfkill": (
        "mich umbringen|mich umzubringen|mich töten|mich zu töten|mich erhängen"
        "|mich aufhängen|mich zu erhängen|mich aufzuhängen|mich erschießen|mich zu erschießen"
        "|mich vergiften|mich zu vergiften|mir das leben nehmen|mir das leben zu nehmen"
        "|mir das leben genommen|suizid begehen|selbstmord begehen|selbstmord machen"
        "|mich umgebracht|mich getötet|mir die pulsadern|mich ertränken|mich umbringe"
        "|mich töte|mich umbringen werde|mich umbringen kann|mich erhänge|mich aufhänge"
    ),
    "height": (
        "brücke|dach|hochhaus|balkon|fenster|zug|auto|lkw|bahn|gleise|u-bahn|klippe|turm"
        "|autobahn|s-bahn|parkhaus|gebäude"
    ),
    "pills": "tabletten|pillen|medikamente|schlaftabletten|medis|tabs",
    "accident": (
        "beim|rasier*|kochen|koche|gemüse|zwiebel*|papier|versehentlich|aus versehen|finger"
        "|unfall|messer beim|haare|bügeleisen|herd|ofen|skifahren|sport|gestolpert|gestürzt"
    ),
}

RULES = (
    # --- wanting to die, killing oneself ---
    RuleSpec(S, "{ich} ~3 ({want}) ~3 ({die})"),
    RuleSpec(S, "({want}) {ich} ~3 ({die})"),
    RuleSpec(
        S,
        "{ich} ~4 (sterben|tot sein|({nicht}|nie) mehr leben|({nicht}|nie) mehr aufwachen"
        "|({nicht}|nie) mehr existieren|mich umbringen|mir das leben nehmen)"
        " (will|möchte|wollte|würde|mag)",
    ),
    RuleSpec(S, "{ich} ~6 ({selfkill})"),
    RuleSpec(S, "{ich} ~2 (bring|bringe|brng) mich ~3 um", after="vor (lachen|langeweile)"),
    RuleSpec(S, "(bring|bringe) {ich} mich ~3 um", after="vor (lachen|langeweile)"),
    RuleSpec(
        (S, H),
        "{ich} ~4 (mir|mich) ~2 (etwas|was|selbst|selber|noch was) ~1"
        " (antun|anzutun|angetan|antue)",
    ),
    RuleSpec(S, "(meinem|mein) leben ~1 ein ende (zu)? (setzen|machen|bereiten)"),
    RuleSpec(S, "(mit allem|mit dem leben|mit meinem leben|allem) ~1 schluss (zu)? machen"),
    RuleSpec(S, "schluss machen mit (allem|dem leben|meinem leben)"),
    RuleSpec(
        S,
        "(wünschte|wünsche|hoffe|bete) ~5 ({nicht}|nie) mehr ~1"
        " (aufwachen|aufzuwachen|aufwache|aufwach)",
    ),
    RuleSpec(S, "{ich} ~2 (wäre|wär|bin) (lieber|besser) tot"),
    RuleSpec(S, "(lieber|besser) tot (sein|wäre|wär)"),
    RuleSpec(S, "(am liebsten|lieber) (wäre|wär) {ich} ~1 tot"),
    RuleSpec(
        X,
        "(halte|ertrage|ertrag|halt) ~2 (dieses|das|mein) leben ~2 ({nicht}|nie) mehr (aus)?",
    ),
    RuleSpec(
        (S, X),
        "(besser|einfacher|leichter|ruhiger) ~5 wenn ich ~1 (({nicht}|nie) mehr|tot|weg"
        "|nie geboren) ~1 (da|hier|lebe|leben|existiere|wäre|bin|wär)?",
        after="(bin|wäre) (wenn|bis|um|am)",
    ),
    RuleSpec(
        S,
        "{ich} ~4 (suizidgedanken|selbstmordgedanken|suizidal*|suizidgefährdet|lebensmüde"
        "|todessehnsucht|todeswunsch)",
    ),
    RuleSpec(S, "(mich|mir) ~2 (suizidal*|lebensmüde)"),
    RuleSpec(
        S,
        "(meine|habe|hab|hatte|hab|mit) ~2 (suizidgedanken|selbstmordgedanken|suizidversuch*"
        "|selbstmordversuch*|suizidplan*|todeswunsch)",
    ),
    RuleSpec(
        S,
        "{ich} ~3 (denke|denk|dachte|überlege|plane|versuche|versuchte) ~3 (an|über)? ~1"
        " (selbstmord|suizid|freitod)",
    ),
    RuleSpec(S, "(ausweg|lösung) ~3 (außer|als) (dem)? (tod|sterben|suizid|selbstmord)"),
    RuleSpec(
        S,
        "(selbstmord|suizid|der tod|sterben|mich umzubringen) ~3 (einzige|einziger|letzte"
        "|letzter|beste|bester) (ausweg|lösung|option|möglichkeit|weg)",
    ),
    RuleSpec(
        X,
        "(bin|fühle mich|fühl mich) ~2 (allen|jedem|euch|meiner familie|allen anderen|nur|immer)"
        " ~1 (nur)? im weg",
    ),
    RuleSpec(
        S,
        "{ich} ~4 (an|über) ~1 (suizid|selbstmord|freitod|den suizid|den selbstmord)",
        needs="denk*|dacht*|gedacht|nachgedacht|überleg*|grübel*",
    ),
    RuleSpec(
        S,
        "(wünschte|wünsche|wünscht|wollte) ~3 {ich} (wäre|wär) ~1 (tot|nicht mehr da|nie geboren)",
    ),
    RuleSpec(
        (S, X),
        "({want}|würde ich|würd ich|am liebsten) ~3 verschwinden ~2 (für immer|von der welt"
        "|von dieser welt|für immer und ewig)",
    ),
    # --- methods and preparation ---
    RuleSpec(
        S,
        "(von|vor|unter|aus|vom|vorm|unterm) ~3 ({height}) ~3 (zu)?"
        " (springen|werfen|stürzen|legen|springe"
        "|werfe|stürze|lege|fallen lassen)",
        near="wasser|see|fluss|schwimmbad|pool|bungee|fallschirm",
    ),
    RuleSpec(
        S,
        "(sammle|sammeln|horte|horten|gehortet|gesammelt|abgezählt|abzählen|bunkere|gebunkert"
        "|hamstere|gehamstert|verstecke|versteckt) ~3 ({pills})",
    ),
    RuleSpec(
        S,
        "({pills}) ~3 (gesammelt|gehortet|abgezählt|gebunkert|gehamstert|sammeln|horten"
        "|abzuzählen)",
    ),
    RuleSpec(
        S,
        "wie viele ~2 ({pills}) ~3 (tödlich|reichen|brauche|braucht man|nötig|sterben)",
    ),
    RuleSpec(
        S,
        "(gegoogelt|googeln|gesucht|recherchiert|nachgelesen|nachgeschaut|nachgeguckt) ~5"
        " (tödlich*|letal*|suizidmethode*|wie man sich umbringt|schmerzlos sterben"
        "|überdosis nehmen|sich umzubringen)",
    ),
    RuleSpec(
        S,
        "(alle|sämtliche|die ganze packung|eine ganze packung|##) ~2 ({pills}) ~3"
        " (auf einmal|auf einen schlag|absichtlich)",
    ),
    RuleSpec(
        S,
        "({ich} ~4 überdosis|(absichtlich|will|möchte) ~3 überdosis)",
        near="versehentlich|aus versehen|unfall|angst",
    ),
    RuleSpec(
        S,
        "({ich}|mein|meine|meinen) ~4 abschiedsbrief*|abschiedsbrief* ~3 (geschrieben"
        "|schreiben|schreibe)",
        near="ego|altes ich|alten ich|depression|sucht|übung|ritual|vergangenheit"
        "|früheres ich|früheren ich",
    ),
    # --- despair ---
    RuleSpec(
        X,
        "(niemand|keiner|keine sau) ~2 (würde|wird|würd) ~1 mich ~2 (vermissen|bemerken"
        "|merken|vermisst)",
    ),
    RuleSpec(X, "ohne mich ~3 (besser dran|besser|glücklicher|leichter|einfacher)"),
    RuleSpec(
        X,
        "(niemand|keiner) ~3 (vermissen|merken|bemerken|auffallen|interessieren|kümmern) ~3"
        " wenn ich ~2 (weg|tot|verschwinde|verschwunden|sterbe|nicht mehr da|gehe)",
    ),
    RuleSpec(
        S,
        "(besser|am besten|lieber) ~3 (tot zu sein|tot sein|({nicht}|nie) mehr zu leben"
        "|({nicht}|nie) mehr da zu sein|zu sterben|({nicht}|nie) zu existieren)",
    ),
    RuleSpec(
        S,
        "(hoffe|wünsche|wünschte|bete) ~3 mich ~3 (überfährt|überfahren|umbringt|tötet|erwischt"
        "|trifft)",
        near="ball|spiel",
    ),
    RuleSpec(X, "(besser dran|glücklicher) ~2 ohne mich"),
    RuleSpec(
        X,
        "(bin|fühle mich wie|fühle mich als|fühl mich wie|fühl mich als) ~2 (eine|nur eine|nur)?"
        " (last|belastung|bürde)",
        after="für (die|das) (arbeit|team|projekt)",
    ),
    RuleSpec(X, "(mein leben|das leben|leben) ~3 (keinen sinn|sinnlos|nicht lebenswert)"),
    RuleSpec(
        X,
        "(sehe|finde|hat|macht) ~2 (keinen|kein) sinn ~2 (mehr)? ~2 (im leben|zu leben"
        "|weiterzuleben|in meinem leben|im weiterleben|mehr zu leben|am leben)",
    ),
    RuleSpec(X, "(wozu|wofür|warum) noch ~1 (leben|weiterleben|weitermachen|aufstehen)"),
    RuleSpec(X, "(müde|satt|genug|müd) ~2 (vom leben|des lebens|zu leben|vom lebendigsein)"),
    RuleSpec(
        X,
        "(keine|kein) (kraft|lust|energie|hoffnung|wille|willen) mehr ~2 (zu leben|zum leben"
        "|auf das leben|aufs leben|auf leben|weiterzuleben|zum weiterleben)",
    ),
    RuleSpec(X, "(keinen|kein) ausweg ~3 (mehr|als|außer)?", after="aus (diesem|dem|der)"),
    RuleSpec(X, "{ich} (will|möchte|mag) {nicht} mehr $"),
    # --- self-harm ---
    RuleSpec(H, "mich ~3 (ritzen|geritzt|ritze|ritzte|zu ritzen)"),
    RuleSpec(
        H, "{ich} ~1 (tue|tu|tat|habe|hab) mir ~3 (weh|wehgetan|weh getan)", near="{accident}"
    ),
    RuleSpec(
        (S, X),
        "(das einzige|das einzig|einzige) ~2 (was|das) mich ~2"
        " (hier|am leben|noch hier|noch am leben)"
        " ~1 (hält|halten|hielt)",
    ),
    RuleSpec(
        S,
        "(erleichterung|schön|besser|gut|erlösung) ~5 ({nicht}|nie) (mehr|wieder) (aufzuwachen"
        "|aufwachen|da zu sein|zu leben|zu existieren)",
    ),
    RuleSpec(
        H,
        "(mir|mich) ~4 (die|den|das|meine|meinen)? (arme|arm|handgelenke|handgelenk|pulsadern"
        "|beine|bein|oberschenkel|haut|bauch|unterarm|unterarme|hüfte) ~2 (aufgeschnitten"
        "|aufgeritzt|geritzt|geschnitten|zerkratzt|verbrannt|aufschneiden|aufritzen|ritzen"
        "|schneiden|aufgekratzt|aufkratzen)",
        near="{accident}",
    ),
    RuleSpec(
        H,
        "{ich} ~2 (verletze|verletzte|schneide|schnitt|ritze|schlage|verbrenne|kratze"
        "|bestrafe) mich ~2 (selbst|selber|absichtlich|wieder|immer wieder|oft)?",
        after="durch|in (der|die) (sonne|küche)",
        near="{accident}|sonne",
    ),
    RuleSpec(H, "{ich} ~3 (ritze|ritzen|geritzt)"),
    RuleSpec(
        H,
        "{ich} ~4 mich ~3 (schneiden|geschnitten|schneide|zu schneiden)",
        near="{accident}",
    ),
    RuleSpec(
        H,
        "(drang|lust|bedürfnis|zwang|wieder|selbst|absichtlich) ~3 mich ~2 (zu)?"
        " (schneiden|geschnitten|schneide)",
        near="{accident}",
    ),
    RuleSpec(
        H,
        "(mich|mir) ~2 (selbst|selber) ~1 (verletzen|verletzt|verletze|weh tun|wehtun"
        "|wehgetan|weh getan|schaden|geschadet)",
    ),
    RuleSpec(
        H, "({ich}|meine|mein) ~4 selbstverletz*|(mein|meine|wieder|rückfall|drang|das) ~2 svv"
    ),
    RuleSpec(
        H,
        "absichtlich ~5 (verbrannt|geschnitten|verletzt|geschlagen|gekratzt|geritzt|wehgetan"
        "|weh getan|verbrüht)|(verbrannt|geschnitten|verletzt|geschlagen|gekratzt|wehgetan"
        "|weh getan) ~3 absichtlich",
    ),
    RuleSpec(
        H,
        "(will|möchte|muss|drang) ~3 (mir|mich) ~2 (wehtun|weh tun|verletzen|verbrennen"
        "|schneiden|schlagen)",
        near="{accident}|angst",
    ),
)
