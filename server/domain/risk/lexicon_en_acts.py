"""English risk rules for acts (DESIGN.md rule 11): methods, preparation and self-harm.

Uses the macros of ``lexicon_en``.
"""

from __future__ import annotations

from .rules import RuleSpec
from .signal import RiskKind

S = RiskKind.SUICIDE
H = RiskKind.SELF_HARM
X = RiskKind.HOPELESSNESS

RULES = (
    # --- methods and preparation ---
    RuleSpec(
        S,
        "({intent}|{think}|urge|urges|almost|nearly|close to|fantasi*|imagine*) ~2"
        " (jump|jumping|jumped|leap|leaping|leapt|throw* {self}) ~2"
        " (off|from|in front of|in front|into|under|out of|out) ~3 ({height})",
    ),
    RuleSpec(
        S,
        "(walk*|step*) (into|in front of) ~1"
        " (traffic|the sea|the ocean|oncoming|a (bus|train|truck|car))",
    ),
    RuleSpec(
        S,
        "({height}) ~6 ({think}|urge|urges|tempted|wanted|almost|nearly) ~2"
        " (jump*|leap*|step* off|throw* {self})",
    ),
    RuleSpec(
        S,
        "({height}) ~6 ({think}|urge|urges|tempted|wanted|almost|nearly) ~2 (let* go)",
        after="of",
    ),
    RuleSpec(
        S,
        "(hope|hoping|hoped|wish|wishing|pray|praying) ~3 (get|gets|got|be|am|was) ~1"
        " (hit by|run over|killed|in (a|an) ~1 (accident|crash)|into (a|an) ~1 (accident|crash))",
    ),
    RuleSpec(S, "(hope|hoping|wish|wishing|pray|praying) ~3 (plane|car|bus|train) (crashes|crash)"),
    RuleSpec(
        (S, X),
        "(want|wanna|need|wish) ~1 (out of|to leave|to exit|to get out of) (this|my)? ~1"
        " (life|world|existence)",
    ),
    RuleSpec(
        S,
        "(rather|prefer to|want to|wish i could) (not|never) (exist|be alive|live|have been born"
        "|wake up)",
        after="{not_life}",
    ),
    RuleSpec(
        S,
        "(fine|ok|okay|happy|relieved|good|better|glad|peace) ~4 if i ~1 (never|didnt|dont"
        "|wouldnt|did not|do not|wont) (wake|woke|waking) (up)?",
        after="early|late|on time|in time|at|before|for (the|my|work|class)",
    ),
    RuleSpec(S, "(rope|noose) ~2 (ready|prepared|set up|tied|hanging|waiting)"),
    RuleSpec(S, "commit (sudoku|seppuku|toaster bath|die)|toaster bath"),
    RuleSpec(
        S,
        "(gonna|going to|want to|wanna|might|about to|bout to) (rope|neck) ({self})? $",
    ),
    RuleSpec(
        S,
        "(i|ive|i have|i had) ~1 attempted",
        after="(to|the|a|an|it|this|that|my|our|some|something|breath*|meditat*|yoga|every)",
    ),
    RuleSpec(S, "(this is|consider this) (my|a) ~1 goodbye|goodbye (forever|for good|for ever)"),
    RuleSpec(
        S,
        "({intent}|{think}|urge|urges|almost|nearly|tempted) ~3 (overdos*|od|o d)",
        after="on (caffeine|coffee|sugar|chocolate|candy|netflix)",
    ),
    RuleSpec(S, "overdos* ~2 (on purpose|deliberately|intentionally)"),
    RuleSpec(
        S,
        "(i|ive|i have|i had|i almost|i nearly) (overdosed|od d|oded)",
        after="on (netflix|caffeine|coffee|sugar|chocolate|candy|tv|series|shows|youtube|tiktok"
        "|instagram|social media|news|work|podcasts|books|love|carbs|pizza|cake|cookies|sleep"
        "|self help|therapy|content|music|memes|vitamins|vitamin)",
        near="accident*|by mistake|caffeine",
    ),
    RuleSpec(
        S,
        "(take|took|taking|swallow*|down|downing|downed|ate|eat|gulp*|chug*) ~3"
        " ({lots}|everything) ~3 ({pills}|medicine cabinet|cabinet)",
        needs="on purpose|at once|in one go|deliberately|intentionally|to (die|end|sleep forever"
        "|not wake|never wake)|and (not|never) wake|and be done|and end"
        "|and (go|going|went) to sleep",
    ),
    RuleSpec(
        S,
        "({intent}|{think}) ~2 (take|taking|swallow*|down|downing|gulp*|chug*) ~3"
        " ({lots}|everything) ~3 ({pills}|medicine cabinet|cabinet)",
        near="prescribed|as (usual|directed)|on time|every (day|morning|night)|daily|breakfast"
        "|like (i|the doctor|my doctor) (was|said|told)",
    ),
    RuleSpec(
        S, "(swallow*|take|taking|took|down*) ~2 (everything|all) ~3 (medicine cabinet|cabinet)"
    ),
    RuleSpec(
        S,
        "({intent}|{think}) ~2 (swallow*|take|taking|down|downing) ~2 (the|a) (whole|entire|full)"
        " (bottle|pack|box|packet)",
    ),
    RuleSpec(
        S,
        "({intent}|{think}) ~2 (writ*|draft*|finish*) my (note|letter|last letter|final letter"
        "|goodbye|goodbyes)",
        after="to (my|our|the) (inner|younger|old|past|future)|for (class|the group|therapy"
        "|homework)",
    ),
    RuleSpec(
        S,
        "(stockpil*|hoard*|stash*|squirrel*|saving up|save up|saved up|stocking up on) ~3"
        " ({pills})",
    ),
    RuleSpec(
        S,
        "(saving|saved|save|keeping|kept) (my|all my|the|up my) ({pills})",
        after="for (the|my) (trip|holiday|vacation|travel*|flight)|in (my|the) (bag|car)",
    ),
    RuleSpec(
        S,
        "(saving|saved|stockpil*|hoard*) ~3 ({pills}) ~1 to (take|swallow|down) (them|it|all)? ~2"
        " (at once|in one go)",
    ),
    RuleSpec(
        S,
        "how (many|much) ~6 (would take|it takes|it would take|to (die|kill|end|overdose"
        "|not wake)|lethal|fatal|deadly|would kill|enough to|would do it)",
        needs="{pills}|my|i|me",
    ),
    RuleSpec(S, "(lethal|fatal|deadly) (dose|amount|dosage) of my"),
    RuleSpec(
        S,
        "(googled|googling|google|looked up|look up|looking up|searched|searching|research*"
        "|read up on|reading up on|asked chatgpt|asking chatgpt) ~4 (painless|lethal|fatal"
        "|ways to die|how to die|how to kill {self}|how to end (it|my life)|suicide methods"
        "|make it look like an accident|noose|how to overdose|how to hang {self}"
        "|how many pills|how long it takes to die)",
    ),
    RuleSpec(
        S,
        "(painless|peaceful) (way|ways|method|methods) (to die|to go|out|to end it|to kill {self})",
    ),
    RuleSpec(
        S,
        "(quick|quickest|easiest|best) (way|ways|method|methods) (to die|to end it"
        "|to kill {self}|to end my life)",
    ),
    RuleSpec(
        S,
        "(wrote|write|writing|written|draft*|started|leave|left|leaving|record*|film*) ~3"
        " (goodbye|farewell|suicide|final|last) (letter*|note*|message*|video*|email*|text*)",
        after="to (my|our|the|your)? ~1 (old|younger|former|past|inner|child|ego|depression"
        "|addiction|anxiety|fear|shame|grief|trauma|pain|ex|self|selves|body|illness|drinking"
        "|habit|job|city)|for (the|my|our)? ~1 (exercise|homework|integration|class|ritual|old)",
        near="exercise|homework|ritual|ceremony|old self|younger self|ego",
    ),
    RuleSpec(S, "(engine|car|motor) (running|on) ~5 (garage|closed)"),
    RuleSpec(S, "garage ~4 (engine|car|motor) (running|on)"),
    RuleSpec(
        S,
        "({intent}|{think}|urge|urges|sometimes|imagine*|picture*|tempted) ~3"
        " (drive|driving|drove|crash*|steer*|swerv*) ~3 (into|off|in front of) ~3"
        " (tree|wall|truck|bridge|cliff|road|oncoming|traffic|pole|river|lake|barrier"
        "|guardrail|lorry|bus)",
    ),
    RuleSpec(
        S,
        "(gun|pistol|rifle|barrel|knife|blade) ~3 (to|in|against|into|on) my"
        " (head|mouth|temple|throat|chest|heart|wrist*)",
        near="held|holding|hold|if you|even if",
    ),
    RuleSpec((S, H), "(slit|slitting|cut|cutting|slash*|open) ~1 my (wrists|wrist|throat|veins)"),
    RuleSpec(
        S, "(tie|tied|tying|bought|buy|made|make|making|got|have|hung) ~3 (noose|rope to hang)"
    ),
    RuleSpec(
        S,
        "(lie|lay|lying|laying|stand|standing) ~3 (on|in front of) ~1 (the)?"
        " (tracks|train tracks|railway|highway)",
    ),
    RuleSpec(
        S,
        "(giving|gave|give|given) ~1 (away)? (my|all my|all of my) ~2"
        " (things|stuff|belongings|possessions|guitar|books|pets|cat|dog|plants) ~1 (away)?",
        needs="(im|i am|i m|ill be|i will be) (gone|dead)|wont need|will not need|for good"
        "|goodbye|last|anymore",
    ),
    # --- self-harm ---
    RuleSpec(
        H,
        "(cut|cuts|cutting|carve|carved|carving|slice|sliced|slicing|slash*|scratch*|burn"
        "|burned|burnt|burning|hit|hitting|punch*|bang*|bite|biting|hurt|hurting|hurts|harm"
        "|harmed|harming|injur*|bruis*|starve|starving|scald*|stab*|whip*|beat|beating|choke"
        "|choking|strangl*) {self}",
        after="{figurative}|shaving|cooking|chopping|while|skiing|playing|running|climbing"
        "|falling|by accident|accidentally|at (the|work)|with (a|the) (knife|kitchen)|lifting"
        "|working out|a lot of",
        near="{accident}",
    ),
    RuleSpec(
        H,
        "(self|sel) ~1 (harm*|injur*|mutilat*|destruct) ~2 (again|urges|urge|relapse*|scars"
        "|wounds|cuts|marks|is back|came back|habit|streak)",
    ),
    RuleSpec(H, "(selfharm*|selfinjur*|self harming|self harmed|self injuring|self mutilating)"),
    RuleSpec(
        H,
        "(my|urge*|urges to|relaps*|resist*|fighting|struggling with|struggle with"
        "|struggled with|back to|started|start|i|i still|still) ~1 (self|sel) ~1"
        " (harm*|injur*|mutilat*)",
        after="prevention|awareness|(in|among) (teens|kids|young)",
    ),
    RuleSpec(H, "(relaps*|urge*|urges|clean from|back to|started|craving) ~2 (on)? sh"),
    RuleSpec(H, "sh (urges|urge|relapse|again|scars|wounds|cuts|is back|streak)"),
    RuleSpec(
        H,
        "(urge|urges|craving|cravings|itch|itching|compulsion|need|want|wanted|wanting|tempted"
        "|pull) ~2 (to|2) ~1 (cut|burn|carve|bleed|scratch|hurt|harm|self harm|sh)",
        after="{object}|myself (some|off|out|up)",
    ),
    RuleSpec(
        H,
        "(back to|went back to|going back to|returned to|relaps*|started|keep|kept) ~1"
        " (cutting|self harm*|burning {self}|hurting {self}|sh)",
        after="(onions|bread|vegetables|wood|paper|class|school|my|the|hair|costs|back|down|carbs"
        "|sugar|ties|corners|out|off|it|them|some) ",
        near="{accident}",
    ),
    RuleSpec(
        S,
        "({think}) ~3 ({pills}) ~6 (easy|simple|quick|painless) ~3 (it would be|itd be|to end"
        "|to do it|to go)",
    ),
    RuleSpec(
        H,
        "(the|my|started|start|stop|stopped|quit|back to|been) ~1 cutting (again|is|has|got"
        "|gets|getting|myself|every|more|deeper|worse)",
    ),
    RuleSpec(
        H,
        "(cutting|cut|burning|burned|burnt|scratching) (again|myself again)",
        near="{accident}|hair|budget|cost*|class|carbs|sugar|toast|food|dinner|cake|bread"
        "|grass|lawn|wood|paper",
    ),
    RuleSpec(
        H,
        "(i|ive|been|keep|kept|started|i keep|i kept|i was|myself) ~2"
        " (scratch*|cut*|bang*|hit*|pick*|punch*|bit*|bite*|claw*) ~6 (till|until|untill|til)"
        " ~2 (bleed|bled|bleeds|bleeding|blood|split|bruise*)",
        near="{accident}|mosquito|itch*|eczema|rash",
    ),
    RuleSpec(
        H,
        "(carv*|cut|cutting|slice|sliced|slicing|scratch*|burn*|stab*) ~2 (into)? my"
        " (arm|arms|thigh|thighs"
        "|wrist|wrists|legs|leg|skin|stomach|hips|hip|body|forearm|forearms|ankles|chest|belly)",
        near="{accident}|tattoo|sunburn|sun|hair|laser|wax*|tanning",
    ),
    RuleSpec(
        H,
        "(hid*|hide|hiding|cover*) ~3 (cuts|scars|marks|wounds|burns|bruises|the cutting) ~4"
        " (sleeves|bracelets|makeup|long|jeans|hoodie)",
    ),
    RuleSpec(
        H,
        "(razor|blade|blades|razor blade|lighter|knife) ~6 (urge*|cut {self}|in case"
        "|for when|to cut|just in case)",
        near="shaving|cooking|kitchen|camping|fishing",
    ),
)
