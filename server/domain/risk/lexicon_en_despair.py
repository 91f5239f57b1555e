"""English risk rules for despair (DESIGN.md rule 11): no point, no future, a burden.

Uses the macros of ``lexicon_en``.
"""

from __future__ import annotations

from .rules import RuleSpec
from .signal import RiskKind

S = RiskKind.SUICIDE
X = RiskKind.HOPELESSNESS

RULES = (
    # --- despair ---
    RuleSpec(
        X,
        "(no|dont see the|dont see any|dont see a|whats the|what is the|is there a|is there any"
        "|wheres the|see no) point (in|of|to)? ~1 (living|life|going on|go on|being alive"
        "|being here|existing|carrying on|live|keep going|keep living|anything anymore|it all"
        "|any of it|staying alive|trying anymore)",
        after="(the|a|this|that|with|at|about|and|to|today|tomorrow|tonight|again|in|here) ",
    ),
    RuleSpec(
        X,
        "(no|lost (my|the|all)|dont have a|dont have any|nothing) ~2 (reason|reasons|will|left)"
        " (for me)? (to|2) (live|go on|keep going|keep living|stay alive|be alive)",
        after="there|in|with|here|near|on|at",
    ),
    RuleSpec(X, "nothing ~1 (left)? (to|2) live for"),
    RuleSpec(X, "life (isnt|is not|aint|is no longer|not) worth (living|it)"),
    RuleSpec(X, "my life (has|is) ~1 (no|nothing but|without) ~1 (meaning|point|purpose|value)"),
    RuleSpec(
        X,
        "(my|this)? (life|existence|living|existing) (is|feels|seems) ~1 (pointless|meaningless"
        "|worthless|hopeless|over|a waste|unbearable)",
        after="(without|with|in|at|when) ",
    ),
    RuleSpec(
        X,
        "(living|existing|being alive|life) (is|hurts|feels) ~1 (too painful|too hard|unbearable"
        "|too much)",
        after="(for|in|at|with|when|without|on) ",
    ),
    RuleSpec(
        X,
        "(cant|dont|no longer) (see|find) (the|any) point ~2 (anymore|any more|in anything"
        "|of anything|in living|in life)",
    ),
    RuleSpec(X, "(cant|can not|cannot|unable to) ~1 do (life|living|this life|existing)"),
    RuleSpec(
        X,
        "(cant|can not|cannot|unable to) ~1 (go on|keep living|keep going on|live like this"
        "|live with this|live anymore|carry on|be alive|keep existing|take living|stand living)",
        after="{not_life}",
    ),
    RuleSpec(
        X,
        "(tired|sick|weary|exhausted) of (living|being alive|life|existing|being here"
        "|waking up|being me)",
        after="{not_life}",
    ),
    RuleSpec(
        X,
        "done with (life|living|it all|being alive|existing)",
        after="for (today|now|the day|the week)|in|at",
    ),
    RuleSpec(
        X,
        "(dont|do not|cant|no longer|dont even) (see|have|imagine|picture) ~2 (a|any) future",
        after="with|in (this|that|the)|for (us|this|the|our|that)|here|at",
    ),
    RuleSpec(X, "no (way|escape) out", after="of|from the"),
    RuleSpec(
        (S, X),
        "(want|wanna|wish|like to|want to|need to|could) ~2 disappear* ~3 (forever|for good"
        "|and never come back|permanently|from (this|the) world|off the face|completely"
        "|for ever|and never be found|and not come back)",
    ),
    RuleSpec(
        X,
        "(better|happier|fine|easier|safer) (off)? (without|w o) me",
        after="in the (team|group|project)|on the (team|project)",
    ),
    RuleSpec(
        X,
        "(easier|better|simpler|best|happier|fine|relief|relieved|lighter) ~6 if i ~1"
        " (didnt exist|dont exist|didnt live|was gone|were gone|died|die|disappeared|vanished"
        "|stopped existing|ceased to exist|wasnt here"
        "|wasnt around|werent around|was dead|were dead|didnt wake up|never existed"
        "|was never born|wasnt alive|werent alive|killed {self}|just ended it)",
    ),
    RuleSpec(
        X,
        "(nobody|no one|noone|no body|no1) ~2 (notice|miss|care|cry|mourn|remember|noticed"
        "|missed) ~3 (me|if|when) ~2 ({gone})",
    ),
    RuleSpec(
        X,
        "(anyone|anybody|nobody|no one|noone|someone|people) ~3 (notice|miss|care|noticed"
        "|missed|cared) ~3 if i ~1 ({gone})",
    ),
    RuleSpec(
        S,
        "(hope|hoping|wish|wishing|pray|praying) ~3 (something|someone|somebody|a car|a truck"
        "|a bus|cancer|god|the universe|the illness|it) ~2 (kills|kill|hits|hit|runs over"
        "|takes|take|ends|end|run over) me",
        after="(at|in|with) (the|a|my|this) (game|match|argument|debate|tournament)",
    ),
    RuleSpec(S, "(welcome|embrace|long for|await) (death|dying|the end)|death would be welcome"),
    RuleSpec(
        X,
        "(im|i am|i m|feel like|i feel like|feeling like|just) ~2 (a|such a|just a)? waste of"
        " (space|oxygen|air|skin)",
    ),
    RuleSpec(
        X,
        "(nobody|no one|noone|no body) (would|will|d|wud|gonna) ~1 (miss|notice|care about"
        "|cry for|mourn) me",
    ),
    RuleSpec(
        X,
        "(im|i am|i m|i feel like|feel like|i feel|feeling like|ive become|i have become|i was"
        "|being|i become) (just|only|nothing but|such|really|so|always|simply)? (a|the) burden",
        after="of (proof|guilt|responsibility|expectation*)|(has|was|is|had) (been)? (lifted"
        "|removed|gone|taken)|off my",
    ),
    RuleSpec(X, "(might|may) as well (be)? dead", after="tired|on my feet|in the water"),
)
