"""Word lists shared by all languages: negations, other people, context markers.

Words are written in normal spelling and folded when compiled; a trailing
``*`` means "any word starting with this".
"""

from __future__ import annotations

# A negation just before a match reverses it ("I don't want to die"). "can't"
# is not one: "I can't stop thinking about killing myself".
NEGATORS = (
    "not never dont didnt doesnt wont wouldnt isnt wasnt arent werent havent hasnt hadnt"
    " aint no nope neither nor nao nem nunca jamas jamais tampouco tampoco ni"
    " nicht nich net ned nie niemals kein keine keinen keiner"
)
# Negation does not reach back past these: "no tengo trabajo y quiero morir".
CONJUNCTIONS = (
    "and but or so because cause cuz then y pero o porque pues entonces und aber oder weil denn"
    " dann e mas ou entao"
)
# A subordinate clause has its own subject: "mi novio no sabe que | me quiero matar".
COMPLEMENTIZERS = "that if when because que si cuando porque dass ob wenn weil quando"
# A negation followed (or, in German, preceded) by these is a hedge, not a denial:
# "I'm not sure I want to be alive", "no sé si quiero vivir", "weiß nicht".
HEDGES_AFTER = (
    "sure know knows knew knowing saying say mean think se sei digo seguro segura sicher certeza"
    " sabe saben sabia sabian sabes sabem sabiam"
)
HEDGES_BEFORE = (
    "weiss weis harder hard trying try tried struggling struggle difficult fighting working"
    " tough impossible"
)
# Other people: a gap never spans them, and one just before a subjectless
# match makes it about someone else ("they want to end it all").
PEOPLE = (
    "he she they him her his hers their them hes shes theyre someone somebody anyone"
    " everyone people person guy man woman girl boy kid character hero protagonist"
    " mom moms mommy momma mum mums mummy dad dads daddy mother* father* parent*"
    " brother* sister* sibling* sons daughter* husband* wife wifes partner* boyfriend*"
    " girlfriend* friend* cousin* uncle* aunt* grandma* grandpa* grandmother* grandfather*"
    " nan nana roommate* colleague* client* patient*"
    " ella ellos ellas madre* padre* mamá papá herman* hijo* hija* tío tía tíos abuel*"
    " primo primos prima primas espos* novi* amig* compañer*"
    " er sie ihn ihm ihr mutter vater bruder schwester sohn tochter oma opa onkel tante"
    " freund* kolleg* ele ela eles elas dele dela mãe pai irmã irmão filho* filha* avó avô"
    " namorad* marido esposa teenager* teens kids children youth students adolescent*"
    " cat cats dog dogs kitten puppy gato gata katze kater hund cachorro cachorra"
)
# First-person words: a match that holds one is about the writer.
FIRST_PERSON = (
    "i im ive id ill me my myself mine yo mi mis conmigo ich mich mir mein meine meinen"
    " meinem meiner eu meu minha meus minhas mim comigo"
)
# "I used to think everyone would be better off without me" is history the
# writer has moved past; a contrast word after it ends that reading.
RESOLVED_PAST = (
    "used to | back then i (thought|felt|wanted|was)"
    " | antes (pensaba|creía|sentía|quería) | solía (pensar|sentir|creer)"
    " | früher (dachte|wollte|hatte|fühlte) | antes eu (achava|pensava|queria|sentia)"
)
CONTRAST = "but now again lately still pero ahora otra aber jetzt wieder mas agora novo"
# Journey language: "I felt like I died and was reborn", "ego death".
REBIRTH = (
    "(ego|reborn|rebirth|renací|renacer|renacido|renacida|renasci|renascer|renascido"
    "|renascida|wiedergeboren|wiedergeburt|born again|volví a nacer|nacer de nuevo)"
)
# Words too common to gate a rule on by themselves.
WEAK = (
    "i im ive id ill me my myself to a an the and or of in on at for with be am is are was"
    " it this that just so really want wanna need feel like going gonna get got have has"
    " would will can could should all no not dont do yo me mi de la el los las que en un una"
    " y a se por para con ya ich mich mir mein nicht zu und die der das ein eine es so noch"
    " mehr eu meu minha nao de do da em um uma que e o a pra com se"
    " self life live living end time people world everyone nobody one thing way point pain day"
    " feel felt think thought go know take make good better will left see back out off up"
    " vida leben vivir viver mundo welt todo tudo alle"
)
