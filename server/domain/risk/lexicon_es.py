"""Spanish risk rules (DESIGN.md rule 11).

"me" is both reflexive and object ("me quiero matar" / "me va a matar"), so
rules with it use first-person verb forms only; idioms of dying ("me muero
de risa", "me mata de la risa") never match a rule in the first place.
"""

from __future__ import annotations

from .rules import RuleSpec
from .signal import RiskKind

S = RiskKind.SUICIDE
H = RiskKind.SELF_HARM
X = RiskKind.HOPELESSNESS

MACROS = {
    "want": (
        "quiero|kiero|qiero|quisiera|quería|deseo|necesito|prefiero|preferiría|me gustaría"
        "|ojalá|ganas de|solo quiero|quiero solo|desearía|anhelo|me encantaría"
    ),
    "plan": (
        "voy a|boy a|pienso|pensando en|pienso en|pensé en|he pensado en|estoy pensando en"
        "|planeo|planeando|intenté|intento|traté de|trato de|quise|decidí|he decidido"
        "|a punto de|considero|considerando|he considerado|formas de|maneras de|cómo"
    ),
    "die": "morir|morirme|estar muerto|estar muerta|estar muertos|dejar de existir|dejar de vivir",
    "killme": (
        "matarme|suicidarme|quitarme la vida|acabar con mi vida|terminar con mi vida"
        "|colgarme|ahorcarme|envenenarme|cortarme las venas|pegarme un tiro|darme un tiro"
        "|acabar con todo|terminar con todo|tirarme (de|del|desde|a|al|por|bajo) ~2"
        " ({height})|desaparecer (para siempre|del mundo|de este mundo)"
    ),
    "height": (
        "puente|balcón|ventana|edificio|techo|azotea|vías|tren|metro|camión|auto|coche|carro"
        "|acantilado|precipicio|terraza|piso|autopista"
    ),
    "hyperbole": (
        "de (risa|la risa|vergüenza|la vergüenza|hambre|sueño|calor|frío|ganas|envidia"
        "|aburrimiento|amor|cansancio|nervios|la emoción|emoción|asco|celos|curiosidad"
        "|la curiosidad|pena|la pena|miedo|tanto)|por (un|una|unos|unas|verte|veros|verlos"
        "|verlas|ir|saber|conocer|el|la|los|las)|estudiando|trabajando|a trabajar|en el gym"
    ),
    "pills": "pastillas|píldoras|remedios|medicamentos|medicinas|tabletas|pastis|pildoras",
    "lots": "todas|muchas|un montón|un bote|un frasco|un puñado|toda la caja|varias|la caja|##",
    "accident": (
        "cocinando|cebolla|plancha|cocina|afeitando|afeitándome|afeitarme|accidente|sin querer"
        "|horno|sartén|esquiando|me caí|resbalé|tropecé|papel|vidrio|jardín|olla|puerta|mesa"
        "|jugando|fútbol|bici|bicicleta"
    ),
    "body_object": (
        "(el|la|los|las|un|una|mi|mis) ~1 (pelo|cabello|flequillo|fleco|uñas|barba|dedo|dedos"
        "|mano|lengua|labio|pie|rodilla|espalda|tobillo|cabeza)|con (el|un) (papel|cuchillo)"
    ),
    "not_life": "en|con|cerca|allí|allá|ahí|solo|sola|juntos|lejos|temprano|a las|mañana temprano",
}

RULES = (
    # --- wanting to die, wanting to kill oneself ---
    RuleSpec(
        S,
        "me (quiero|kiero|qiero|quisiera|gustaría|dan ganas de|dieron ganas de) ~1 morir*",
        after="{hyperbole}",
    ),
    RuleSpec(
        S,
        "me (quiero|kiero|qiero|voy a|boy a|puedo|gustaría|dan ganas de|dieron ganas de) ~1"
        " (matar|suicidar|quitar la vida)",
        after="{hyperbole}",
    ),
    RuleSpec(S, "({want}) ~2 ({die}|{killme})", after="{hyperbole}"),
    RuleSpec(S, "({plan}) ~2 ({killme})", after="{hyperbole}"),
    RuleSpec(S, "(suicidarme|me suicido|me suicidé|me suicidaré)"),
    RuleSpec(S, "quitarme la vida"),
    RuleSpec(S, "me (habría|hubiera|huviera|habria) (matado|suicidado)"),
    RuleSpec(S, "casi me (mato|maté|suicido|tiro)", near="{accident}|coche|auto|moto|carro"),
    RuleSpec(
        (S, X),
        "(ojalá|quisiera|quiero|me gustaría|desearía|deseo) ~3 (no despertar|no despertarme"
        "|no haber nacido|no existir|dejar de existir|desaparecer para siempre"
        "|dormir para siempre|no volver a despertar)",
        after="{not_life}",
    ),
    RuleSpec(
        S,
        "(dormir|dormirme|dormirse) (y)? (no|nunca) (despertar|despertarme|volver a despertar)",
        after="{not_life}",
    ),
    RuleSpec(
        S,
        "(me da igual|me daría igual|no me importaría|no me importa|me vale) ~2 (morir*"
        "|si me muero|estar muert*|no despertar|si no despierto)",
    ),
    RuleSpec(
        S,
        "(sería|es|estaría|seria|estarías|estaríamos) mejor ~2 (estar muert*|muert*|morir*"
        "|no estar|no existir|desaparecer|si me muero|si me muriera|si no existiera"
        "|si no estuviera)",
    ),
    RuleSpec(
        (S, X),
        "(mejor|felices|feliz|tranquilos|tranquila|tranquilo|aliviados|fácil|bien) ~4 si (yo)? ~1"
        " (no existiera|no estuviera|me muriera|muriera|desapareciera|no hubiera nacido"
        "|me fuera para siempre|no estuviera aquí|me muero|no existo|me matara)",
    ),
    RuleSpec(
        S,
        "(ojalá|ojala|quisiera|desearía) ~1 (me muriera|me muera|muriera|me muriese|estuviera"
        " muert*|no despertara|no despierte|no me despertara|no hubiera nacido)",
    ),
    RuleSpec(
        X,
        "(no vale la pena|no merece la pena|no tiene sentido) ~1 (vivir|seguir|seguir viviendo"
        "|existir|la vida|estar vivo|estar viva)",
        after="{not_life}",
    ),
    RuleSpec(X, "(la vida|vivir|mi vida) ~2 no (vale|merece) la pena"),
    RuleSpec(
        S,
        "(lo mejor|mejor) (sería|seria|es|será) ~1 (dejar de existir|morir*|no existir"
        "|estar muert*|desaparecer|no despertar|no estar)",
        after="{not_life}",
    ),
    RuleSpec(
        S,
        "(ojalá|ojala|quisiera que|espero que|deseo que) ~3 me (atropel*|mate|matara|matase"
        "|lleve|llevara|parta un rayo)",
        near="(de|del) (la)? (risa|vergüenza)",
    ),
    RuleSpec(
        S,
        "(no|ya no) ~1 (quiero|kiero|qiero|deseo|tengo ganas de|aguanto|soporto|puedo) ~1"
        " (seguir)? ~1 (vivir|viviendo|existir|estar vivo|estar viva|despertar|seguir aquí)",
        after="{not_life}",
    ),
    RuleSpec(S, "ya no ~1 (quiero|kiero|qiero) ~1 estar (aquí|acá|en este mundo|vivo|viva)"),
    RuleSpec(
        S,
        "({want}|{plan}) ~2 (acabar|terminar) con (todo|mi vida|mi existencia)",
        after="(el|la|los|las|este|esta|lo|mis|tus) ",
    ),
    RuleSpec(S, "todo (termine|acabe|se acabe|se termine) (para siempre|de una vez)"),
    RuleSpec(
        S,
        "(quiero|kiero|necesito|ojalá) que todo (termine|acabe|se acabe|se termine)",
        after="(bien|pronto|rápido|a tiempo|en|con|el|la) ",
    ),
    RuleSpec(
        S,
        "desaparecer ~2 (y)? (no volver|nunca volver|no volver nunca|no volver más|para siempre)",
    ),
    RuleSpec(S, "(irme|me quiero ir|me voy a ir|quiero irme) ~1 de (este mundo|esta vida)"),
    RuleSpec(
        S,
        "me (voy a|quiero|kiero|dan ganas de) (tirar|lanzar|aventar|arrojar) ~3 ({height})",
        near="piscina|agua|río|mar|lago|paracaídas|bungee|puenting",
    ),
    # --- methods and preparation ---
    RuleSpec(
        S,
        "(tirarme|lanzarme|aventarme|arrojarme|botarme|echarme|saltar) ~3 ({height})",
        near="piscina|agua|río|mar|lago|paracaídas|bungee|puenting",
    ),
    RuleSpec(
        S,
        "(tomé|tomarme|tragué|tragarme|me tomé|tomar|me trague|me tome) ~3 ({lots}) ~2 ({pills})",
        needs="a propósito|adrede|queriendo|para morir|para no despertar|de una vez"
        "|para acabar|para matarme|de golpe",
    ),
    RuleSpec(
        S,
        "({want}|{plan}) ~2 (tomar|tomarme|tragar|tragarme) ~3 ({lots}) ~2 ({pills})",
        near="receta|recetad*|me indicaron|como me dijeron|cada día|diario",
    ),
    RuleSpec(S, "(juntando|guardando|acumulando|escondiendo|ahorrando) ~2 ({pills})"),
    RuleSpec(S, "({want}|{plan}) ~3 sobredosis|sobredosis ~2 (a propósito|adrede)"),
    RuleSpec(
        S,
        "(busqué|he buscado|buscando|busco|investigué|investigando|googleé|googlee) ~3"
        " (formas|maneras|cómo|métodos) ~2 (de)? ~1 (morir|matarme|suicidarme|sin dolor"
        "|quitarme|acabar con mi vida)",
    ),
    RuleSpec(S, "cuántas ~1 ({pills}) ~4 (hacen falta|necesito|para morir|letal|mata|matan)"),
    RuleSpec(
        S,
        "(escribí|escribir|escribiendo|escrito|dejé|dejar|dejando|redacté|tengo) ~3"
        " (carta|cartas|nota|notas|mensaje|mensajes) (de despedida|suicida|de adiós)",
        after="a (nuestro|mi|nuestra) ~1 (viejo|vieja|antiguo|antigua|yo|ego|depresión"
        "|ansiedad|pasado|adicción)",
        near="ejercicio|ritual|ego|viejo yo|antiguo yo",
    ),
    # --- suicide as a word ---
    RuleSpec(
        S,
        "(me siento|estoy|sigo|ando|estuve|me sentí|me vuelvo|soy|me pongo) ~1"
        " (muy|bastante|un poco)? suicida",
    ),
    RuleSpec(
        S,
        "(tengo|tuve|he tenido|estoy teniendo|mis|volvieron|vuelven|me vienen|me llegan|con"
        "|tener) ~2 (pensamientos|ideas|ideación|impulsos) suicidas?",
    ),
    RuleSpec(
        S,
        "(pensamientos|ideas|impulsos) suicidas ~2 (otra vez|de nuevo|volvieron|vuelven"
        "|regresaron)",
    ),
    RuleSpec(
        S,
        "(pienso|pensando|pensé|he pensado|considero|considerando|planeando|planeo|intenté"
        "|intento) ~2 (en)? ~1 (el)? suicidio",
        after="de (mi|su|un|una|tu) |en (la|las|los) (noticias|películas|adolescentes)",
    ),
    # --- despair ---
    RuleSpec(X, "mejor sin mí", after="en el (equipo|grupo|proyecto)"),
    RuleSpec(
        X,
        "nadie ~2 (extrañaría|notaría|echaría de menos|importaría|lloraría) ~4 (si|cuando) ~2"
        " (muero|muriera|muera|desaparezco|desapareciera|no estoy|no estuviera|me voy|me fuera"
        "|me mato|me matara)",
    ),
    RuleSpec(X, "nadie me (extrañaría|echaría de menos|extrañará|echará de menos)"),
    RuleSpec(X, "(soy|me siento|siento que soy) ~1 (una|un)? (carga|estorbo|lastre)"),
    RuleSpec(X, "(vivir|vida|existir|seguir) ~3 (no tiene|sin) ~1 sentido"),
    RuleSpec(
        X,
        "no ~1 (le|les)? (veo|encuentro) ~1 (sentido|razón|motivo) ~3"
        " (vida|vivir|seguir|existir|nada)",
    ),
    RuleSpec(
        X,
        "(no tengo|sin|ya no tengo|no hay|no me quedan) ~1 (razón|razones|motivo|motivos|ganas"
        "|sentido|fuerzas|fuerza|energía|motivación) ~1 (para|de|por) ~1 (vivir|seguir"
        "|seguir viviendo|existir)",
        after="{not_life}",
    ),
    RuleSpec(
        X,
        "(harto|harta|hartos|hartas|cansado|cansada) de"
        " (vivir|la vida|estar vivo|estar viva|existir|mi vida)",
    ),
    RuleSpec(
        X,
        "no (aguanto|soporto|puedo) ~1 (más)? ~1 (con)? ~1 (esta vida|mi vida|la vida|vivir así"
        "|vivir|seguir viviendo)",
        after="{not_life}",
    ),
    RuleSpec(
        X,
        "no (veo|tengo|hay) ~1 (ningún|ninguna)? (futuro|salida) ~1 (para mí)? $",
    ),
    # --- self-harm ---
    RuleSpec(
        H,
        "me (corté|corto|cortaba|he cortado|quemé|quemo|he quemado|lastimo|lastimé"
        "|he lastimado|hago daño|hice daño|he hecho daño|golpeo|golpeé|rasguño|rasguñé"
        "|araño|arañé)",
        after="{body_object}|(en|con) (la|el) (puerta|mesa|cocina|horno|plancha|sartén)",
        near="{accident}",
    ),
    RuleSpec(
        H,
        "me (volví|vuelvo|he vuelto) a (cortar|quemar|lastimar|hacer daño|golpear)",
        after="{body_object}",
        near="{accident}",
    ),
    RuleSpec(
        H,
        "(volví a|vuelvo a|he vuelto a|quiero|ganas de|necesito|dejar de|sigo|empecé a) ~1"
        " (cortarme"
        "|quemarme|lastimarme|golpearme|rasguñarme|hacerme daño|herirme|autolesionarme"
        "|castigarme)",
        after="{body_object}",
        near="{accident}",
    ),
    RuleSpec(H, "(autolesionarme|autolesionándome|me autolesiono|me autolesioné|autolesionandome)"),
    RuleSpec(
        H,
        "(cortándome|lastimándome|quemándome|golpeándome|rasguñándome|arañándome"
        "|haciéndome daño|hiriéndome|castigándome)",
        after="{body_object}",
        near="{accident}",
    ),
    RuleSpec(
        H,
        "me (estoy|estaba|he estado|sigo|vuelvo a estar) (cortando|lastimando|quemando"
        "|haciendo daño|golpeando|hiriendo)",
        after="{body_object}",
        near="{accident}",
    ),
    RuleSpec(
        H,
        "(me hago|me hice|hacerme|me he hecho|haciéndome) (cortes|heridas|quemaduras|cortadas)",
        near="{accident}",
    ),
    RuleSpec((S, H), "(me corté|cortarme|me corto|me cortaré) (las|mis) (venas|muñecas)"),
    RuleSpec(
        H,
        "(volví a|vuelvo a|he vuelto a|empecé a|sigo) (cortar|quemar|lastimar|rasguñar)"
        " (mis|los|las)"
        " (brazos|piernas|muñecas|muslos|piel|brazo|pierna)",
    ),
    RuleSpec(
        (S, X),
        "(lo único|la única cosa|lo único que|la única razón) ~2 (me mantiene|me retiene|me detiene"
        "|me sostiene|me tiene) ~1 (aquí|viva|vivo|con vida|en este mundo)",
    ),
    RuleSpec(
        S,
        "(sería|seria|es|será) (un)? (alivio|mejor|genial|lindo|un descanso) ~2 (no despertar"
        "|morir*|no existir|no estar|dejar de existir|no volver a despertar)",
    ),
    RuleSpec(H, "(me|mis|mi|sigo|volví a|ganas de|quiero) ~2 (autolesion*|auto lesion*)"),
    RuleSpec(
        H,
        "(hacerme|me hago|me hice|me he hecho) (mucho)? daño",
        after="en (la|el) (rodilla|espalda|pie|tobillo|mano|brazo)",
        near="{accident}",
    ),
)
