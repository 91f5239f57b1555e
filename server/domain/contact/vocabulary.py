"""Word lists the contact matchers share, in English, Spanish, German and Portuguese.

All words are folded (lowercase, no accents) because they are matched against
``normalize.fold`` output.
"""

from __future__ import annotations

from .patterns import word_list

# Words that cannot be a handle, a mailbox name or a street name: function words,
# the adjectives and adverbs people put after "my insta is …", chat fillers.
COMMON_WORDS = word_list(
    """
    a an the this that these those it its it's i i'm im me my mine you your yours we us our
    he him his she her they them their who what when where why how which there here
    is am are was were be been being do does did done have has had having will would can
    could should shall may might must not no nor never none nothing always ever still
    just only also too very so really quite pretty much more most less least many few
    some any all every each both either other another same such own
    and or but if then than because as at by for from in into of off on onto out over
    under up down to with without about above after again against before below between
    during through until while since till per
    ok okay yes yeah yep nope lol lmao haha hahaha jaja jajaja kkk kkkk xd omg pls plz
    please thanks thank thx ty hi hello hey bye love
    private public dead gone deleted deactivated inactive active empty full old new
    boring cringe messy mess toxic fake real great good bad fine nice cute weird hacked
    locked blocked broken down up open closed same different mostly basically literally
    barely hardly rarely sometimes often usually mainly half whole quiet loud
    terrible awful weak strong slow fast big small long short huge tiny
    better worse easier harder faster slower cheaper safer simpler bigger smaller nicer
    quicker cooler best worst online offline around available reachable everywhere
    constantly totally poor spotty patchy crap shit garbage nonexistent low lousy
    cat cats dog dogs pics photos pictures memes art stuff things thing posts videos
    everyone everybody someone somebody anyone anybody nobody here there
    one two three four five six seven eight nine ten
    link account profile page handle username name number email mail
    for now later soon today tonight tomorrow yesterday anymore again
    el la los las lo un una unos unas y o pero si no ni que de del al en con sin por para
    es son fue era ser estar esta estoy este esto eso esa ese mi mis tu tus su sus muy mas
    ya solo tambien nada todo todos privado privada cerrado abierto muerto viejo nuevo
    casi nunca siempre hoy aqui alli como cuando donde porque pues bueno vale gracias
    o a os as um uma uns umas e mas ou nao sim que do da dos das no na nos nas em com sem
    pra pro para por meu minha meus minhas teu tua seu sua eh foi era ser ta tava tudo
    nada muito mais so ja ainda sempre nunca hoje aqui ali obrigado obrigada
    der die das den dem des ein eine einen einem einer und oder aber wenn dann als wie
    ist sind war waren bin bist sein nicht kein keine mein meine dein deine sehr auch nur
    noch schon immer nie alt neu privat leer tot ja nein danke bitte hier dort da
    hace hacia desde hasta durante ha hay he han fui fue estaba tengo tiene tenia semana
    mes ano dia vez veces ahora antes despues luego mucho poco otra otro cada
    semana passada passado faz tem tinha estou estava agora antes depois pouco outra outro
    cada vez vezes mes ano dia
    seit bis vom zum zur beim mit ohne fur uber unter nach vor habe hat hatte gerade jetzt
    wieder mehr weniger viel wenig jahr jahre woche monat tag mal bei mir dir ihm uns euch
    sich zu leider gesperrt kaputt
    """
)

# Words after a number that make it a quantity, never a phone number or house number.
UNIT_WORDS = word_list(
    """
    mg mgs mcg ug g gr gram grams kg kgs kilo kilos ml l lb lbs pound pounds oz
    km kms mi mile miles m meter meters metre metres cm mm ft feet foot inch inches
    steps step pasos passos schritte calories cal kcal bpm percent pct porciento
    min mins minute minutes minuto minutos minuten sec secs second seconds
    h hr hrs hour hours hora horas stunde stunden
    day days dia dias tag tage tagen week weeks semana semanas woche wochen
    month months mes meses monat monate year years yr yrs ano anos jahr jahre jahren
    time times vez veces vezes mal
    people persons personas pessoas leute menschen
    dollar dollars usd euro euros eur pound pounds gbp peso pesos real reais
    words pages page views likes followers subscribers
    am pm uhr
    """
)

# A message that says it is giving a number out: lowers the bar for odd digit layouts.
PHONE_CUES = (
    r"call|text|txt|phone|number|num|cell|cel|mobile|landline|digits|ring|dial|reach|sms|"
    r"whatsapp|whats|wpp|zap|zapzap|signal|telegram|facetime|"
    r"tel|tlf|telefono|telefone|telemovel|movil|celular|numero|llamame|llama|"
    r"escribeme|liga|ligue|me liga|chama|me chama|handy|nummer|ruf|anrufen|"
    r"bizum|pix|mb ?way|zelle|twint"
)

# Top-level domains that are also everyday words: "ok.it", "tired.me", "mi.de".
WORD_TLDS = word_list(
    """
    it me so to be do no is in at us my am as an or la de es se tu um eu em ne na da
    ha ja im la el al ai by go id
    """
)

# Top-level domains that can follow a spelled-out "dot" ("riverstone dot com").
PLAIN_TLDS = word_list(
    """
    com net org edu gov io co ly ee gg tv fm info biz xyz app dev art page site online
    link blog shop store live life club social world uk br mx ar pt cl pe uy fr ca au
    nz ie eu ch nl se dk fi pl cz ru jp kr cn sg hk
    """
)
