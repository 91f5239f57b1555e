"""Portuguese risk rules (DESIGN.md rule 11).

"me" is both reflexive and object ("vou me matar" / "ela vai me matar"), so
rules with it use first-person verb forms only; idioms of dying ("morrendo
de rir", "tô morta de cansaço") never match a rule.
"""

from __future__ import annotations

from .rules import RuleSpec
from .signal import RiskKind

S = RiskKind.SUICIDE
H = RiskKind.SELF_HARM
X = RiskKind.HOPELESSNESS

MACROS = {
    "want": (
        "quero|qro|queria|vontade de|preferia|prefiro|gostaria de|desejo|só quero|só queria"
        "|preciso|necessito|eu queria|queria só|quero só"
    ),
    "plan": (
        "vou|vo|penso em|pensei em|pensando em|pensado em|tentei|tento|tentando|posso"
        "|formas de|maneiras de|jeito de|jeitos de|como|planejando|planejo|decidi|quase"
        "|a ponto de|pesquisei|pesquisando|eu ia|eu poderia|eu vou|penso|pensei|pensando"
        "|pensado|plano pra|plano para|plano de|planos pra|planos de|ideia de"
    ),
    "die": (
        "morrer|morre|estar morto|estar morta|não acordar|nunca mais acordar|deixar de existir"
        "|não existir|não ter nascido|sumir ~2 (pra sempre|para sempre|do mundo|de vez"
        "|e nunca mais voltar|e não voltar mais|e não voltar)"
        "|dormir ~3 (não acordar|pra sempre|para sempre)"
    ),
    "killme": (
        "me matar|matar me|me suicidar|suicidar me|me enforcar|tirar (a|minha|a minha)"
        " (própria)? vida|acabar com (a)? minha vida|acabar com tudo|me envenenar|me afogar"
        "|cortar (os|meus) pulsos|me jogar (da|de|do|na frente|embaixo|no|na) ~2 ({height})"
    ),
    "height": (
        "ponte|prédio|janela|sacada|varanda|telhado|trem|metrô|carro|caminhão|ônibus"
        "|penhasco|viaduto|trilhos|andar|edifício"
    ),
    "hyperbole": (
        "de (rir|vergonha|fome|sono|saudade|saudades|calor|frio|vontade|tédio|cansaço|amor"
        "|curiosidade|medo|ciúme|inveja|raiva|estudar|trabalhar|tanto|treinar|correr)"
        "|estudando|trabalhando|rindo|treinando|por (um|uma|você|vocês)"
    ),
    "pills": "remédio*|comprimido*|pílula*|medicamento*|rivotril|calmante*",
    "lots": "todos|todas|um monte|muitos|muitas|uma cartela|a caixa|um punhado|a cartela|##|tudo",
    "accident": (
        "cozinhando|cebola|faca de cozinha|ferro|fogão|forno|acidente|barbeando"
        "|(foi|me cortei|me queimei|me machuquei|cortei|queimei|machuquei) ~3 sem querer"
        "|caí|escorreguei|tropecei|papel|vidro|panela|porta|mesa|jogando|futebol|bicicleta"
    ),
    "body_object": (
        "(o|a|os|as|no|na|meu|minha) ~1 (cabelo|unha|unhas|franja|barba|dedo|dedos|mão|língua"
        "|lábio|pé|joelho|costas|tornozelo|cabeça)"
    ),
    "not_life": "em|com|perto|ali|lá|sozinh*|junto|no|na|nessa|nesse|cedo|aqui hoje",
}

RULES = (
    # --- wanting to die, wanting to kill oneself ---
    RuleSpec(S, "({want}) ~2 ({die})", after="{hyperbole}"),
    RuleSpec(S, "({want}|{plan}) ~2 ({killme})", after="{hyperbole}"),
    RuleSpec(S, "(eu me mato|me suicidei|me suicido|me matei)", near="{accident}"),
    RuleSpec(S, "(teria|tinha|quase) me (matado|suicidado|matei)", near="{accident}"),
    RuleSpec(S, "(estaria|estaríamos|ficaria|seria) melhor ~1 (mort*|estar mort*)"),
    RuleSpec(
        (S, X),
        "(melhor|feliz|felizes|tranquilos|tranquila|tranquilo|aliviados|fácil|bem) ~4 se eu ~1"
        " (não existisse|morresse|sumisse|não estivesse|não tivesse nascido|me matasse"
        "|não estivesse aqui|desaparecesse)",
    ),
    RuleSpec(
        X,
        "(não vale a pena|não faz sentido) ~1 (viver|continuar|continuar vivendo|existir"
        "|a vida|estar vivo|estar viva)",
        after="{not_life}",
    ),
    RuleSpec(X, "(a vida|viver|minha vida) ~2 não vale a pena"),
    RuleSpec(
        S,
        "(o melhor|melhor) (seria|é|era|ia ser) ~1 (deixar de existir|morrer|não existir"
        "|estar mort*|sumir|não acordar)",
        after="{not_life}",
    ),
    RuleSpec(
        S,
        "(queria|quero|espero|tomara|torço) que ~4 me (atropel*|mate|matasse|leve|levasse)",
        near="(de|da) (rir|vergonha)",
    ),
    RuleSpec(
        X,
        "(ninguém|ninguem) ~3 (perceber|perceberia|notar|notaria|ligar|ligaria|sentir falta)"
        " ~3 se eu ~1 (sumisse|morresse|desaparecesse|não estivesse|me matasse|fosse embora)",
    ),
    RuleSpec(X, "não (aguento|suporto) (mais)? (essa|esta|a|minha) vida"),
    RuleSpec(
        H,
        "(voltei a|volto a|comecei a|continuo a|continuo) (cortar|queimar|machucar|arranhar)"
        " (meus|minhas|os|as) (braços|pernas|pulsos|coxas|pele|braço|perna)",
    ),
    RuleSpec(
        (S, X),
        "(a única coisa|o único|a única razão|o único motivo) ~2 (me mantém|me segura|me prende"
        "|me impede) ~1 (aqui|viva|vivo|com vida|neste mundo|nesse mundo)",
    ),
    RuleSpec(
        S,
        "(seria|é|ia ser) (um)? (alívio|melhor|bom|ótimo|um descanso) ~2 (não acordar|morrer"
        "|não existir|não estar aqui|deixar de existir|nunca mais acordar)",
    ),
    RuleSpec((S, H), "(cortei|cortar|cortando|corto|cortado) (os|meus|o|meu) (pulsos|pulso)"),
    RuleSpec(
        H,
        "(faço|fiz|fazer|fazendo|faço uns|fiz uns) ~1 (cortes|feridas|queimaduras) ~2 (em mim"
        "|no|na|nos|nas|meus|minhas)",
        near="{accident}",
    ),
    RuleSpec(
        S,
        "(seria|era|ia ser|fosse) melhor ~2 (estar mort*|morrer|eu morrer|não existir"
        "|eu não existir|se eu (morresse|não existisse|sumisse|não estivesse aqui"
        "|não estivesse mais aqui))",
    ),
    RuleSpec(
        S,
        "(tanto faz|não me importo|não ligo|não importa|dane se|foda se) ~2 se eu ~1"
        " (morrer|morresse|morro|sumir|não acordar|viver ou morrer)",
    ),
    RuleSpec(
        S,
        "não ~1 (quero|qro|aguento|consigo|tenho vontade de|suporto) ~1 (mais)? ~1 (viver"
        "|continuar vivendo|continuar vivo|continuar viva|estar vivo|estar viva|existir"
        "|acordar)",
        after="{not_life}",
    ),
    RuleSpec(S, "não ~1 (quero|qro|aguento) mais estar aqui|não ~1 (quero|qro) continuar aqui"),
    RuleSpec(S, "(ir embora|partir|sair|me despedir) (desse|deste|do) mundo"),
    RuleSpec(
        S,
        "({want}|{plan}) ~2 (acabar|terminar) com (tudo|a minha vida|minha vida)",
        after="(o|a|os|as|isso|esse|essa|meu|meus) ",
    ),
    # --- methods and preparation ---
    RuleSpec(
        S,
        "(me jogar|me atirar|pular|me jogo|me joguei|me lançar) ~3 ({height})",
        near="piscina|água|rio|mar|lago|paraquedas|bungee",
    ),
    RuleSpec(
        S,
        "(tomei|tomar|tomo|engoli|engolir|tomando) ~3 ({lots}) ~3 ({pills})",
        needs="de propósito|de uma vez|pra morrer|para morrer|pra não acordar|pra acabar"
        "|pra dormir pra sempre|para não acordar",
    ),
    RuleSpec(
        S,
        "({want}|{plan}) ~3 (tomar|engolir) ~3 ({lots}) ~3 ({pills})",
        near="receita|prescrit*|como o médico|todo dia|diariamente|certinho",
    ),
    RuleSpec(
        S,
        "(juntando|guardando|acumulando|escondendo|estocando|juntado|guardado|acumulado"
        "|escondido|estocado) ~2 ({pills})",
    ),
    RuleSpec(S, "({want}|{plan}) ~2 (overdose|uma overdose)|overdose ~2 de propósito"),
    RuleSpec(
        S,
        "(pesquisei|pesquisando|procurei|procurando|googlei|busquei) ~3 (formas|maneiras"
        "|jeitos|como) ~2 (de)? ~1 (morrer|me matar|sem dor|me suicidar|acabar com)",
    ),
    RuleSpec(
        S,
        "(escrevi|escrever|escrevendo|escrito|deixei|deixar|tenho) ~3 (carta|cartas|bilhete"
        "|bilhetes|mensagem) (de despedida|de adeus|suicida)",
        after="(pro|pra|para|ao|a) ~1 (nosso|meu|minha)? ~1 (eu|ego|antigo|antiga|velho"
        "|velha|passado|depressão|vício)",
        near="exercício|ritual|ego|eu antigo|velho eu",
    ),
    # --- suicide as a word ---
    RuleSpec(
        S,
        "(tendo|tenho|tive|meus|minhas|voltaram|voltou|com|estou tendo|to tendo|ando tendo)"
        " ~2 (pensamentos|ideias|ideação|impulsos) suicidas?",
    ),
    RuleSpec(S, "(me sinto|estou|to|ando|fiquei|sou|tô) ~1 (muito|bem|meio)? suicida"),
    RuleSpec(
        S,
        "(pensando|penso|pensei|pensamento|pensamentos) ~2 (em|no|de)? ~1 suicídio",
        after="(da|do|de) (minha|meu|um|uma|sua|seu) |nas (notícias|redes)",
    ),
    # --- despair ---
    RuleSpec(X, "melhor sem mim", after="no (time|grupo|projeto)"),
    RuleSpec(
        X,
        "ninguém ~3 (sentir|sentiria|notaria|notar|perceberia|ligaria|choraria) ~3 (falta"
        "|se eu|quando eu)",
    ),
    RuleSpec(
        X, "(sou|me sinto|eu sou|me sinto como) ~1 (um|uma|só um|só uma)? (peso|fardo|estorvo)"
    ),
    RuleSpec(X, "(vida|viver|existir|continuar) ~3 (não faz|não tem|sem) ~1 sentido"),
    RuleSpec(
        X,
        "não ~1 (vejo|encontro) ~2 sentido ~2 (na vida|em viver|viver|em nada|em continuar"
        "|em existir)",
    ),
    RuleSpec(
        X,
        "(não tenho|sem|nenhum|nenhuma) ~1 (mais)? (motivo*|razão|razões|vontade|forças|força"
        "|energia) ~1 (pra|para|de) ~1"
        " (viver|continuar|existir|continuar vivendo)",
        after="{not_life}",
    ),
    RuleSpec(
        X,
        "(cansei|cansado|cansada|farto|farta|exausto|exausta) (de|da) (viver|vida|existir"
        "|estar vivo|estar viva|tudo e de todos)",
    ),
    RuleSpec(X, "(não vejo|não tenho|sem) ~1 (nenhum|nenhuma)? (futuro|saída) $"),
    # --- self-harm ---
    RuleSpec(
        H,
        "me (cortei|corto|machuquei|machuco|queimei|queimo|feri|firo|arranhei|arranho)",
        after="{body_object}",
        near="{accident}",
    ),
    RuleSpec(
        H,
        "(vontade de|quero|qro|vou|penso em|pensei em|tentei|voltei a|volto a|preciso|posso"
        "|eu|comecei a|parar de|continuo|de novo) ~2 me (cortar|machucar|ferir|queimar"
        "|arranhar|autolesionar|punir)",
        after="{body_object}",
        near="{accident}",
    ),
    RuleSpec(H, "(me autolesion*|autolesion* me|automutil*|autolesão|autolesões)"),
    RuleSpec(
        H,
        "(tenho|tinha|estou|to|tô|ando|continuo|voltei a|vivo|fico) ~1 me (cortado|cortando"
        "|machucado|machucando|queimado|queimando|ferido|ferindo|arranhando|arranhado"
        "|autolesionando|punindo)",
        after="{body_object}",
        near="{accident}",
    ),
)
