"""English risk rules (DESIGN.md rule 11): wishes to die, suicidal ideation, suicide as a word.

Despair is in ``lexicon_en_despair``; methods, preparation and self-harm are in
``lexicon_en_acts``. Both use these macros.
"""

from __future__ import annotations

from .rules import RuleSpec
from .signal import RiskKind

S = RiskKind.SUICIDE
H = RiskKind.SELF_HARM
X = RiskKind.HOPELESSNESS

MACROS = {
    "self": "myself|my self|myslef|mysef|mself|meself|mysefl",
    "i": "i|im|ive|id|ill|i am|i have|i would",
    "want": (
        "want|wanted|wanting|wanna|wana|wan|need|needed|wish|wished|ready|rather|prefer"
        "|hope|hoping|long|longing|tempted|decided"
    ),
    "intent": (
        "(want|wanted|wanting|need|needed|wish|ready|tempted|decided|plan|planning|planned"
        "|going|about|trying|tried|try|attempted|attempt|urge|urges|mean|meant|gonna|gona"
        "|wanna|wana) (to|2)?|(feel|feeling|felt) like"
    ),
    "think": (
        "(think|thinking|thought|thoughts|considering|considered|contemplating|contemplated"
        "|fantasizing|fantasising|fantasize|obsessing|picturing|imagining|dreaming) (about|of)?"
    ),
    "suicid": "suicid*|sucid*|suicd*|suisid*|suiced*|sewerslide|sewer slide|suicde",
    "suicidal": "suicida*|sucida*|suicda*|suicidle|suicidial|suicidel",
    "pills": (
        "pills|pill|meds|medication|medications|medicine|tablets|sleeping pills|lozenges"
        "|troches|painkillers|benzos|xanax|tylenol|paracetamol|acetaminophen|ibuprofen"
        "|aspirin|ambien|antidepressants|antipsychotics|lithium|seroquel|quetiapine"
        "|sertraline|zoloft|prozac|lexapro|trazodone|insulin|oxy|oxycodone|opioids|codeine"
        "|morphine|fentanyl|lorazepam|ativan|valium|klonopin|diazepam|sleeping tablets"
        "|prescription|prescriptions"
    ),
    "lots": "all|whole|every|bunch|handful|lot|lots|load|bottle|box|pack|stash|too many|##",
    "height": (
        "bridge|roof|rooftop|building|balcony|cliff|window|ledge|tower|overpass"
        "|parking garage|platform|tracks|train|truck|bus|traffic|highway"
    ),
    "alive": "live|living|be alive|exist|existing|wake up|go on|keep living|carry on|stay alive",
    "death": (
        "die|be dead|be gone|not exist|not be alive|not be here|stop existing|cease to exist"
        "|cease existing|stop living|vanish|end it all|end my life|end everything|kill {self}"
        "|sleep forever|never wake up|not wake up|disappear forever|not be around|no longer exist"
    ),
    "deathnoun": (
        "dying|death|suicide|killing {self}|ending it|ending it all|ending my life|not being here"
        "|not existing|being dead|not waking up|never waking up|disappearing|being gone"
    ),
    "not_life": (
        "in|at|with|near|there|on|under|by|together|alone|early|late|like (that|him|her|them|my"
        "|his|their|our|your|a|the|those|these|someone|everyone|other|others|some|most) "
        "|tomorrow morning|through (it|this) again|from|(the|a|this|that|another|any|these) "
    ),
    "gone": (
        "was gone|were gone|died|die|disappeared|disappear|wasnt here|werent here|was dead"
        "|were dead|killed {self}|didnt wake up|never woke up|wasnt around|left for good"
    ),
    "hyperbole": (
        "laughing|laughter|trying|working|studying|at work|at the gym|over (this|that|it)"
        "|to (get|finish|make|keep|meet|hit|please|impress|fit)|for (work|school|this job)"
        "|with work|of (embarrassment|shame|cringe|boredom|laughter)"
    ),
    "accident": (
        "accident*|accidentally|shaving|cooking|chopping|kitchen|kettle|stove|oven|iron|gym"
        "|ski|skiing|hiking|climbing|football|soccer|fell|tripped|slipped|paper|fence|glass"
        "|gardening|woodwork*|bike|sport*|cupboard|door"
    ),
    "figurative": (
        "some slack|slack|off|out|up|short|free|loose|a break|a piece|a slice|in on|in half"
        "|on (a|the|some|my)|by (staying|being|not)"
    ),
    "object": (
        "(my|the|your|our|their|her|his|him|it|them|this|that|these|those|some|people|someone"
        "|somebody|everyone|you|back|down|off|out|ties|sugar|carbs|costs|corners|in|through"
        "|class|a|calories|energy|sage|incense|candles|bridges|hair|nails|loose|free) "
    ),
}

RULES = (
    # --- killing oneself, in every tense ---
    RuleSpec(S, "kil* {self}", after="{hyperbole}|on (the|a|my) (stairs|way|bike|ice|road)"),
    RuleSpec(
        S,
        "(kms|kmys|kmsf)",
        after="(away|from|of|per|a day|an hour|long|north|south|east|west|to go|left|walk|run"
        "|drive|ride|hike) ",
        near="# kms|kms # ",
    ),
    RuleSpec(S, "(unalive*|un alive*|self delete*|selfdelete*|self terminat*|ctb)"),
    RuleSpec(S, "(off|end|ending|ended|unalive) {self}"),
    RuleSpec(
        S,
        "(hang*|hung|shoot|shooting|shot|drown*|poison*|suffocat*|gas) {self}",
        after="in the (foot|feet)|up|out|a look|down|into",
    ),
    RuleSpec(
        S,
        "(end|ending|ended|take|taking|took|terminate) my (own)? life",
        after="back|in|into|seriously|forward|more|to the|over|apart",
    ),
    RuleSpec(S, "end (it|everything) (all|now|tonight|today|for good|forever|permanently)"),
    RuleSpec(S, "{intent} ~2 end (it|everything) $"),
    RuleSpec(
        S,
        "(want|wanna|need|wish) ~2 (everything|it all|all of it|all this) ~1 to (stop|end)",
        after="for a (minute|moment|second|bit|while|day|week)",
    ),
    # --- wanting to die, passive wishes ---
    RuleSpec(
        S,
        "{want} ~1 (to|2|too)? ~1 die",
        after="{hyperbole}|than|for (you|my|the|a|him|her|them|love|this|that)|of old age|old"
        "|happy",
        near="cross my heart",
    ),
    RuleSpec(
        S,
        "(rather|better off|might as well|may as well|want to|wanna|wish i (was|were)"
        "|ok with being|fine with being|deserve to) (be)? (dead|gone)",
        after="of (laughter|embarrassment)|tired|(by|for|on|from|to|before|when|at|home|out"
        "|with|this|next) ",
    ),
    RuleSpec(
        S,
        "({want}|ready to|plan to|feel like|tempted to) ~2 (to|2)? ~1 ({death})",
        after="{hyperbole}|than|for (you|my|the|a|him|her|them|love|this|that)|of old age|old"
        "|happy|(in|at|from|with|for|on|into) (the|this|that|my|a) (room|session|meeting|class"
        "|group|call|chat|conversation|circle|world of)",
        near="cross my heart",
    ),
    RuleSpec(
        S,
        "(fantasi*|dream|dreaming|dreamt|dreamed|daydream*|long for|longing for|crave|craving"
        "|yearn*|romantici*|obsess*|fixat*) ~2 (about|of|on|over|for)? ~1 ({deathnoun})",
        near="journey|ego|reborn|rebirth|session|dose|k hole",
    ),
    RuleSpec(
        S,
        "({deathnoun}) ~3 (is|feels|seems|would be|looks|sounds) ~2 (the)? ~1 (only|best"
        "|easiest|last|one) (way|option|answer|solution|escape|choice|thing|way out|exit)",
    ),
    RuleSpec(
        S,
        "({deathnoun}) ~2 (feels|sounds|seems|looks|would be|would feel|is) ~1 (like)? ~1"
        " (relief|a relief|peaceful|peace|appealing|tempting|freeing|comforting|like an escape"
        "|like a way out|so good|nice|better than this|better than living|easier|better|simpler"
        "|preferable)",
        after="(in|during) (the|my|that) (journey|session|trip)",
    ),
    RuleSpec(
        S,
        "(dont|cant|do not|can not) (see|picture|imagine) {self}"
        " (being alive|alive|living|being here"
        "|making it|surviving|being around|still here) ~2 (next|by|much longer|past|in a|another"
        "|for long|at)?",
    ),
    RuleSpec(
        S,
        "(decide|decided|choose|chose) to (go|do it|end it|leave for good)",
        needs="in case|when|if|pills|rope",
    ),
    RuleSpec(
        (S, X),
        "only (thing|things|reason|one|person|ones) ~2 (keeping|keeps|that keeps|holding|holds"
        "|stopping|stops|that stops) me (here|alive|going|from (doing it|ending it|killing"
        " {self}|it)|around|in this world|on this earth|this side)",
    ),
    RuleSpec(
        (S, X),
        "if ~2 (werent|wasnt|were not|was not) for my ~2 (kids|children|dog|cat|son|daughter"
        "|partner|mom|mum|mother|family|wife|husband|pets) ~4 (be dead|be gone|kill*|end*|done it"
        "|wouldnt be here|not be here)",
    ),
    RuleSpec(
        S,
        "if i ~1 (didnt|never|dont|wouldnt|did not|do not) (wake|woke) up ~5 (relieved|fine|ok"
        "|okay|happy|glad|good|relief|better|grateful|thankful|mind|care|peace)",
        after="(to|about) ",
    ),
    RuleSpec(
        S,
        "(picture|picturing|imagine|imagining|see|seeing|visualize|visualizing) {self} ~2"
        " (hanging|dead|jumping|bleeding out|in a coffin|overdosing|killing {self}|not waking up)",
        near="journey|session|dose|ego|reborn|rebirth|k hole|trip",
    ),
    RuleSpec(
        S,
        "(way|escape) out ~3 (other than|except|but|besides|apart from|than) ~1 ({deathnoun}"
        "|to die|death|killing {self}|{suicid})",
    ),
    RuleSpec(
        S,
        "(pain|suffering|hurting|it all|everything|all of this|this life) ~1 to (end|stop) ~2"
        " (for good|forever|for ever|permanently)",
    ),
    RuleSpec(S, "(have|got|made) a plan ~5 and a (date|time|day)"),
    RuleSpec(
        H,
        "(i|ive|i have|i had|i keep|i kept|i) ~2 (burn*|cut|cutting|scratch*|hit|hitting|hurt"
        "|hurting|bruis*|scald*|stab*|punch*|bang*|bit|bite|biting) ~5 (on purpose|deliberately"
        "|intentionally|to feel something|to punish {self})",
    ),
    RuleSpec(
        X,
        "(the world|everyone|everybody|nobody|no one|noone) ~1 (doesnt|does not|dont|wouldnt"
        "|would not|needs|wants|would) ~1 (need|want|miss) me",
        after="(at|for|to|on|in|this|today|tomorrow|there) ",
    ),
    RuleSpec(
        S,
        "(said|saying|say|written|wrote|made) (my|all my)? (goodbyes|goodbye letters|farewells)",
        needs="ready|last|final|just in case|before i go|when im gone|for good",
    ),
    RuleSpec(
        S,
        "(wrote|writing|written|left|leaving|leave) ~2 (letters|notes|a letter|a note)",
        needs="just in case|in case (something|anything) happens|when im gone|after im gone"
        "|to be found|for after",
    ),
    RuleSpec(
        S,
        "(should|could|might as well|ready to|want to|going to|gonna|wanna|about to|plan to"
        "|decided to|need to|have to) (just)? end (it|everything|it all) $",
    ),
    RuleSpec(S, "{i} ~2 (should|deserve to|need to) ~1 (die|be dead|not exist|not be alive)"),
    RuleSpec(S, "wish* ~3 (dead|die|died|dying)", after="my hair"),
    RuleSpec(
        (S, X),
        "wish* ~2 (never|not|hadnt|didnt|wouldnt|dont|wont) ~1"
        " (woke*|wake*|been born|born|exist*|be alive|waking)",
        after="late|early|up early|at|before|the|my|anyone|everyone|him|her|them|from",
    ),
    RuleSpec(
        S,
        "(go|going|gone|went|fall|falling|fell) (to)? (sleep|asleep|bed) ~4"
        " (never|not|dont|didnt|wouldnt|wont|no|without) (wake*|woke*|waking)",
        after="for ## (hours|minutes)|until|till|til|early|before|at",
    ),
    RuleSpec(
        S,
        "(hope|hoping|hoped|pray|praying|prayed|wish|wishing|want|wanted) ~3"
        " (not|never|dont|wont|wouldnt|didnt) (wake*|woke*)",
        after="late|early|up early|at|before|the|my|anyone|everyone|him|her|them|in (a|the)|from",
    ),
    RuleSpec(
        S, "(sleep|rest|go to sleep|fall asleep) (forever|for ever|permanently|and never wake*)"
    ),
    RuleSpec(
        S,
        "(wouldnt|would not|dont|wont|id not|couldnt) ~1 (mind|care) ~3"
        " (dying|die|died|dead|not (waking|existing|being here|being alive)|if i ~1 ({gone}))",
        after="(my|her|his|the) (hair|beard|clothes|shirt)",
    ),
    RuleSpec(
        S,
        "(hit|killed|run over|ran over|crash*|struck) ~8 (wouldnt|would not|wont|dont) ~1"
        " (mind|care|be sad|be upset|complain)",
    ),
    RuleSpec(
        H,
        "(cuts|burns|scars|wounds|marks|bruises) ~2 (i|ive) (made|did|gave|caused|inflicted) ~1"
        " ({self}|to {self}|on {self})?",
    ),
    RuleSpec(
        S,
        "(dont|do not|didnt|no longer|never|dont even|dont really|not) ~1"
        " (want|wanna|wana|wish|care|feel like) ~1 (to|2)? ({alive})",
        after="{not_life}",
    ),
    RuleSpec(
        S,
        "(dont|do not|didnt|no longer|dont even|dont really|not) ~1 (want|wanna|wana|wish) ~1"
        " (to|2)? be (here|around|alive) (anymore|any more|any longer|no more|at all)",
    ),
    RuleSpec(
        S,
        "(dont|do not|no longer) (think|know if|feel like) (i|im) ~1 (want|wanna|can) (to|2)?"
        " ~1 (be alive|live|be here|go on|keep living|keep going|exist) ~2 (much longer|anymore"
        "|any more|any longer|for long|like this)?",
        after="{not_life}",
    ),
    RuleSpec(
        X,
        "how much (longer|more) (i|can i|i can|im able to) ~2 (keep going|go on|do this|hold on"
        "|take (it|this)|survive|live|keep living|stay alive) ~2 (like this|anymore)?",
        after="(to|at|with|in|on) ",
    ),
    RuleSpec(
        X,
        "(whats|what is|wheres) the point (anymore|any more|of anything|of it all|of any of it"
        "|of trying|of living|of life) ~1 $",
    ),
    RuleSpec(
        X,
        "disappear* ~4 (and)? (nobody|no one|noone|nobody else) (would|will|d) ~1 (care|notice"
        "|miss me|even notice)",
    ),
    RuleSpec(
        S,
        "(not sure|unsure|dont know|dont even know|no idea|questioning|wondering) ~2"
        " (if|whether|why)? ~1 (i|im) ~1 (want|wanna|can) ~1 (to|2)? ({alive}|be here anymore)",
        after="{not_life}",
    ),
    RuleSpec(
        S,
        "(thought|idea|fantasy|dream|prospect) of (not existing|not being (here|alive|around)"
        "|dying|death|being dead|never waking up|not waking up|ending it) ~6"
        " (calm*|comfort*|relie*|peace*|only thing|appeal*|tempt*|sooth*|feels (good|right)"
        "|keeps me)",
    ),
    RuleSpec(
        S,
        "(wont|will not|not going to|not gonna) be (here|around|alive) ~1"
        " (much longer|for long|any longer|by (then|next))",
    ),
    # --- suicide as a word ---
    RuleSpec(
        S,
        "(im|i am|ive been|i have been|i feel|i felt|i get|i got|i was|i became|i m|feel"
        "|feeling|felt|been|getting|got|am|being|still|so|very|pretty|really|super|extremely"
        "|kinda|kind of|bit) ~2 ({suicidal})",
        after="squad|bomb*|prevention|hotline|people|friends|patients|clients|person|teens|kids",
        near="(asked|asks|asking|ask) (me)? (if|whether)|screening|questionnaire|intake|form asked",
    ),
    RuleSpec(
        S,
        "({suicid}) (thoughts|ideation|feelings|urges|thinking|tendencies|mood|episode|plan"
        "|plans|crisis) ~2 (are|came|come|coming|is|keep|kept|wont|back|again|returned"
        "|creeping|creep|hit|hitting|got|getting|have been|started)",
    ),
    RuleSpec(
        S,
        "(my|having|have|had|get|getting|got|gotten|with|battling|fighting|struggling with"
        "|been|its) ~2 ({suicid}) (thoughts|ideation|feelings|urges|thinking|tendencies|plan"
        "|plans|note|attempt|attempts|crisis|episode)",
    ),
    RuleSpec(
        S,
        "{i} ~3 (attempt*|commit*|consider*|contemplat*|plan*|tried|thinking about"
        "|thought about|think about) ~2 ({suicid})",
        after="prevention|hotline|rates|squad|awareness|bomb*",
    ),
    RuleSpec(
        S,
        "{think} ~1 ({suicid}|killing {self}|ending (it|my life|everything|things|it all)"
        "|taking my (own)? life|hanging {self}|not waking up)",
        after="prevention|hotline|rates|squad|awareness|bomb*|in (the|a|general|history|art)"
        "|among|back|with|between",
    ),
    RuleSpec(S, "thoughts of ({suicid}|killing {self}|ending it|ending my life)"),
    RuleSpec(
        S,
        "({suicidal}) (again|tonight|today|rn|right now|lately|af|as hell|as fuck|these days)",
        near="(asked|asks|asking|ask) (me)? (if|whether)|screening|questionnaire|intake",
    ),
    RuleSpec(S, "(sewerslide|sewer slide|sewerslid*|sewer slid*)"),
    RuleSpec(
        S,
        "({suicid}|killing {self}|ending it|ending my life) ~3 (on my mind|in my head|into my head"
        "|in my mind|into my mind|calling me|keeps (coming|popping)|wont leave|haunts)",
    ),
    RuleSpec(
        S,
        "({suicid}) ~3 (only|best|last|easiest|real|one) ~1"
        " (option|way|choice|answer|solution|exit|way out|escape)",
    ),
    RuleSpec(
        S,
        "(only|best|last|easiest|one) (option|way out|choice|answer|solution|escape|exit) ~3"
        " (is|would be|left is|seems)? ~1 ({suicid}|to die|death|dying|killing {self}"
        "|ending (it|my life))",
    ),
    RuleSpec(
        S,
        "{i} ~2 (have|got|made|making|had) (a|my) (plan|date|method) ~4"
        " (kil*|die|end*|{suicid}|overdos*|jump*|hang*)",
    ),
)
