"""The self-harm risk detector (DESIGN.md rule 11): corpus targets, examples, folding, patterns."""

from __future__ import annotations

import dataclasses
import statistics
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from server.domain.risk import RiskKind, RiskSignal, assess_risk
from server.domain.risk.detector import count_rules
from server.domain.risk.folding import fold_text
from server.domain.risk.patterns import PatternError, compile_pattern
from server.domain.risk.rules import RuleSpec, compile_rules
from server.quality.risk import (
    FALSE_POSITIVE_RATE,
    RECALL_OVERALL,
    RECALL_PER_LANGUAGE,
    evaluate,
    load_corpus,
    main,
)

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "risk"
S, H, X = RiskKind.SUICIDE, RiskKind.SELF_HARM, RiskKind.HOPELESSNESS


def test_corpus_meets_the_quality_targets() -> None:
    """Recall and false-positive rate on the labelled corpus meet the targets."""
    risk, benign = load_corpus(CORPUS)
    report = evaluate(risk, benign)
    details = [f"missed: {o.item.text}" for o in report.misses]
    details += [f"false alert: {o.item.text}" for o in report.false_alerts]
    assert report.failures() == [], "\n".join(details)
    assert report.recall.rate >= RECALL_OVERALL
    assert all(t.rate >= RECALL_PER_LANGUAGE for t in report.recall_by_lang.values())
    assert report.false_positives.rate <= FALSE_POSITIVE_RATE


def test_corpus_has_the_required_size_per_language() -> None:
    """The corpus holds ≥ 160 risk and ≥ 240 benign lines, ≥ 30 / ≥ 40 each in es, de, pt."""
    risk, benign = load_corpus(CORPUS)
    assert len(risk) >= 160
    assert len(benign) >= 240
    for lang in ("es", "de", "pt"):
        assert sum(item.lang == lang for item in risk) >= 30
        assert sum(item.lang == lang for item in benign) >= 40
    assert all(item.kinds for item in risk)
    assert not any(item.kinds for item in benign)
    texts = [item.text for item in risk + benign]
    assert len(texts) == len(set(texts))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Thanks everyone. I didn't say it in the room, but I think about killing myself", S),
        ("After the dosing I felt amazing, today I genuinely don't want to be alive", S),
        ("I'm so tired. I want to go to sleep and not wake up.", S),
        ("If I'm honest, the only thing keeping me here is my dog.", S),
        ("Honestly if I didn't wake up tomorrow I'd be relieved.", S),
        ("i want to kms so bad rn", S),
        ("I'm going to swallow all my sleeping pills tonight.", S),
        ("I can't see any way out other than suicide.", S),
        ("I tried to kill myself when I was 19", S),
        ("my husband doesn't know I want to die", S),
        ("I'm not saying I want to die, but", S),
        ("I'm sooooo suiiiicidal", S),
        ("I\u200b want\u200b to\u200b die", S),
        ("ＩＭ ＧＯＮＮＡ ＫＩＬＬ ＭＹＳＥＬＦ", S),
        ("su1c1dal again", S),
        ("I started self-harming again, sorry for dumping this here", H),
        ("I burned my arm with the iron on purpose.", H),
        ("I used to cut myself, but last night I cut again", H),
        ("My family would be so much better off without me dragging them down.", X),
        ("I feel like such a burden to my husband", X),
        ("Gracias por la sesión. Últimamente pienso en quitarme la vida.", S),
        ("mi novio no sabe que me quiero matar", S),
        ("He vuelto a cortarme los brazos", H),
        ("sería un alivio no despertar mañana", S),
        ("mi familia estaría mejor sin mí, lo sé", X),
        ("Ich denke jede Nacht daran, mich umzubringen.", S),
        ("er weiß nicht, dass ich sterben will", S),
        ("Ich tue mir wieder weh.", H),
        ("Ich denke jeden Abend daran, vom Balkon zu springen.", S),
        ("Meine Familie wäre ohne mich besser dran", X),
        ("Ultimamente penso em tirar minha vida.", S),
        ("ela não sabe que eu quero morrer", S),
        ("Voltei a cortar meus braços", H),
        ("Tô pesquisando quantos comprimidos preciso pra não acordar", S),
        ("sou um estorvo pra minha família", X),
    ],
)
def test_message_raises_an_alert(text: str, kind: RiskKind) -> None:
    """A first-person statement of risk alerts, with the kind it expresses."""
    signal = assess_risk(text)
    assert signal is not None
    assert kind in signal.kinds


@pytest.mark.parametrize(
    "text",
    [
        "I'm dying of laughter at the cat photo Sam posted",
        "I was so nervous I thought I was going to die before the dosing, lol",
        "In the journey I saw myself die and it was strangely beautiful",
        "My brother killed himself two years ago and today I finally cried about it.",
        "I'm not thinking about killing myself, please don't worry, I'm just grieving.",
        "My therapist asked if I ever felt suicidal; I never have",
        "I'd rather die than sing in front of everyone lol",
        "I overdosed on Netflix this weekend",
        "I feel like a burden has been lifted",
        "I hurt my back lifting the yoga mats",
        "I used to cut myself in high school, I'm in a much better place now",
        "I don't want to live like my parents did",
        "I walked 10 kms today, the integration walk was lovely",
        "the villain kills himself at the end of season two",
        "she wants to kill herself and I don't know how to help her",
        "please don't kill yourself over the homework",
        "me muero de risa con la foto del gato",
        "me quiero morir de la risa con ese video",
        "mi prima se suicidó el año pasado",
        "nunca he pensado en suicidarme",
        "ich lach mich schlapp über das Katzenfoto",
        "meine Cousine hat sich letztes Jahr umgebracht",
        "ich habe mir nach der Sitzung die Haare geschnitten",
        "Ich kann nicht mehr, die Woche war so lang",
        "vou morrer de rir com vocês",
        "minha mãe vai me matar se eu chegar tarde",
        "me queimei no ferro de passar",
        "não sou mais suicida, só cansada",
    ],
)
def test_message_raises_no_alert(text: str) -> None:
    """Idioms, grief, journey language, accidents and denials do not alert."""
    assert assess_risk(text) is None


@pytest.mark.parametrize("text", ["", "   ", "😂😂", "ok", "x" * 20000])
def test_message_without_words_raises_no_alert(text: str) -> None:
    """Empty, emoji-only and meaningless messages do not alert."""
    assert assess_risk(text) is None


def test_signal_is_a_frozen_set_of_kinds() -> None:
    """A signal is immutable and names its kinds as a frozenset of RiskKind."""
    signal = assess_risk("I want to end it all and I cut myself again")
    assert signal == RiskSignal(frozenset({S, H}))
    with pytest.raises(dataclasses.FrozenInstanceError):
        signal.kinds = frozenset()  # type: ignore[misc]
    assert [kind.value for kind in RiskKind] == ["suicide", "self_harm", "hopelessness"]


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("I don't want to be here. Not now, ok?", " i dont want to be here | not now , ok | "),
        ("KI\u200bLL MY\u2060SELF", " kil myself "),
        ("ＫＩＬＬ ｍｙｓｅｌｆ", " kil myself "),
        ("su1c1de after 10mg", " suiside after 10mg "),
        ("Ich möchte / moechte", " ich mochte mochte "),
        ("Quiero morir… ya", " kiero morir , ya "),
        ("não quero", " nao kero "),
        ("self-harm u know", " self harm you know "),
    ],
)
def test_folding_unifies_spellings(raw: str, folded: str) -> None:
    """Case, width, accents, leetspeak, doubled letters and invisible characters fold away."""
    assert fold_text(raw) == folded


def test_gap_never_spans_a_negation_or_another_person() -> None:
    """A '~N' gap skips ordinary words but not 'not' or 'my mom'; the rule's own words may."""
    (rule,) = compile_rules([RuleSpec(S, "i ~3 want to die")], {})
    assert rule.find_match(fold_text("i really just want to die"))
    assert not rule.find_match(fold_text("i do not want to die"))
    assert not rule.find_match(fold_text("i think my mom want to die"))
    (denial,) = compile_rules([RuleSpec(S, "(dont|do not) ~1 want to live")], {})
    assert denial.find_match(fold_text("i do not really want to live"))


def test_a_cancelled_match_does_not_hide_an_overlapping_one() -> None:
    """After a match with a blocked gap, the search resumes inside it, not after it."""
    (rule,) = compile_rules([RuleSpec(S, "i ~4 want to die")], {})
    found = rule.find_match(fold_text("i told my mom i want to die"))
    assert found is not None
    assert found.group().strip() == "i want to die"


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("suic* thoughts", "does not survive folding"),
        ("ab* x", "shorter than 3 letters"),
        ("{nope} x", "unknown macro"),
        ("(a|b x", "unclosed"),
        ("a) b", "unbalanced"),
    ],
)
def test_broken_pattern_fails_at_import(source: str, problem: str) -> None:
    """A rule that cannot match what it says is rejected when compiled."""
    with pytest.raises(PatternError, match=problem):
        compile_pattern(source, {}, frozenset())


def test_every_rule_has_an_anchor_word() -> None:
    """No rule runs on every message: each is gated by words it needs."""
    rules, unanchored = count_rules()
    assert rules > 200
    assert unanchored == 0


def test_detector_is_fast_enough_to_run_on_every_message() -> None:
    """The median message takes well under a millisecond (the budget is ~50 µs on a quiet CPU)."""
    risk, benign = load_corpus(CORPUS)
    texts = [item.text for item in risk + benign]
    timings = []
    for text in texts:
        started = time.perf_counter()
        assess_risk(text)
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.001
    started = time.perf_counter()
    assess_risk("i used to cut myself " * 950)
    assert time.perf_counter() - started < 0.5


def test_quality_command_passes_on_the_corpus() -> None:
    """`python -m server.quality.risk` reports recall and false positives and exits 0."""
    result = CliRunner().invoke(main, ["--corpus", str(CORPUS), "--repeat", "1", "--skip-speed"])
    assert result.exit_code == 0, result.output
    assert "recall overall:" in result.output
    assert "false-positive rate overall:" in result.output
    assert "all targets met" in result.output


def test_quality_command_fails_below_target(tmp_path: Path) -> None:
    """The quality command exits 1 and names the miss when recall is below target."""
    (tmp_path / "risk.jsonl").write_text(
        '{"text": "the weather is nice", "lang": "en", "kinds": ["suicide"]}\n', encoding="utf-8"
    )
    (tmp_path / "benign.jsonl").write_text(
        '{"text": "hello circle", "lang": "en", "note": "greeting"}\n', encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["--corpus", str(tmp_path), "--repeat", "1", "--skip-speed"])
    assert result.exit_code == 1
    assert "the weather is nice" in result.output
    assert "BELOW TARGET" in result.output
