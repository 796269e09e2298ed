"""The wire corpus of issue 29's "Done when": an agency dispatch and four outlets' versions of
it (one cut, one with a new lead and a local paragraph, one reordered, one shortened), among
unrelated articles (the five samples and two more) and one article that quotes a sentence of
it. Files carry their metadata block, as ``glose add`` writes them."""

from __future__ import annotations

from pathlib import Path

P = [
    "Genève, 2 mars 2026 06:30 (AFP) - Le glacier du Rhône a perdu près de quatre mètres "
    "d'épaisseur l'an dernier, selon le rapport annuel du réseau suisse de surveillance des "
    "glaciers publié lundi, qui parle d'une fonte jamais mesurée depuis le début des relevés.",
    "Les chercheurs attribuent ce recul à un hiver pauvre en neige suivi de deux vagues de chaleur "
    "estivales, la première dès la fin du mois de juin et la seconde en plein mois d'août, quand "
    "l'isotherme du zéro degré est monté au-dessus de cinq mille mètres.",
    "Sur l'ensemble des Alpes suisses, les glaciers ont perdu environ quatre pour cent de leur "
    "volume restant en une seule année, un chiffre que les glaciologues jugent alarmant pour "
    "l'approvisionnement en eau des vallées pendant les étés secs.",
    "Le réseau de surveillance mesure chaque automne une centaine de glaciers à l'aide de balises "
    "plantées dans la glace, de relevés par drone et de mesures radar qui permettent d'estimer "
    "l'épaisseur totale de la glace jusqu'au socle rocheux.",
    "Les autorités cantonales du Valais ont annoncé qu'elles allaient renforcer la surveillance des "
    "lacs glaciaires qui se forment au pied des fronts en recul, car leur vidange brutale menace "
    "plusieurs villages situés en aval dans la vallée.",
    "Les scientifiques estiment que la moitié des glaciers alpins pourraient disparaître d'ici la "
    "fin du siècle si les émissions de gaz à effet de serre ne baissent pas rapidement, et "
    "appellent à réduire fortement la consommation d'énergies fossiles.",
]
NEW_LEAD = (
    "Mauvaise nouvelle pour les amoureux de la montagne : le célèbre glacier qui attire chaque été "
    "des milliers de visiteurs venus du monde entier fond plus vite que prévu."
)
LOCAL = (
    "À Sion, le président de la société des guides de montagne raconte que certains itinéraires "
    "classiques ne sont plus praticables en été et que les cordées partent désormais de nuit pour "
    "éviter les chutes de pierres."
)
QUOTE = (
    "Lyon, 5 mars 2026 - La ville présente son plan de rénovation des écoles, qui prévoit "
    "l'isolation de quarante bâtiments d'ici trois ans et l'installation de panneaux solaires sur "
    "les toits des gymnases municipaux.\n\nL'adjointe chargée de l'éducation cite en conseil "
    "municipal une phrase qui l'a marquée : « les glaciers ont perdu environ quatre pour cent de "
    "leur volume restant en une seule année ». Elle assure que la commune doit faire sa part et "
    "présente un calendrier des travaux, quartier par quartier, avec des chantiers pendant les "
    "vacances scolaires pour ne pas déranger les élèves ni les enseignants.\n\nLes parents "
    "d'élèves saluent le projet mais demandent davantage de concertation sur la cantine et sur "
    "les horaires de la garderie du soir."
)
UNRELATED = [
    "Le conseil municipal de Nantes a voté jeudi soir le budget de la nouvelle ligne de tramway "
    "qui reliera la gare au quartier de l'île, après un long débat sur le coût des travaux et la "
    "place réservée aux vélos le long du tracé.\n\nLes commerçants du centre redoutent deux années "
    "de chantier et demandent des compensations ; la mairie promet un fonds d'aide.",
    "La finale du championnat régional de handball s'est jouée devant une salle comble samedi, "
    "et l'équipe locale l'a emporté d'un seul but après prolongation, grâce à une parade de sa "
    "gardienne dans les dernières secondes.\n\nL'entraîneur a salué la solidarité de ses joueuses "
    "et promis une fête au club-house pour tous les bénévoles de la saison.",
]


def block(title: str, date: str, source: str, body: str, author: str | None = None) -> str:
    lines = ["---", f"title: {title}", f"date: {date}", f"source: {source}"]
    if author:
        lines.append(f"author: {author}")
    return "\n".join([*lines, "---", body, ""])


def join(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


SHORTENED_P2 = (
    P[1]
    .replace("suivi de deux vagues de chaleur estivales", "puis à deux canicules")
    .replace("la première dès la fin du mois de juin et la seconde en plein mois d'août, ", "")
)

# name → (title, date, source, body)
DISPATCH = "a_dispatch.txt"
CUT = "b_cut.txt"
LEAD = "c_lead.txt"
REORDERED = "d_reordered.txt"
SHORTENED = "e_shortened.txt"
QUOTER = "f_quote.txt"
COPIES = (CUT, LEAD, REORDERED, SHORTENED)
FAMILY = (DISPATCH, *COPIES)

ARTICLES = {
    DISPATCH: ("Le glacier du Rhône a perdu quatre mètres", "2026-03-02", "AFP", join(*P)),
    CUT: ("Glaciers : une fonte record", "2026-03-02", "Le Courrier", join(P[0], P[1], P[2], P[5])),
    LEAD: ("Le glacier du Rhône fond à vue d'œil", "2026-03-02", "Le Nouvelliste",
           join(NEW_LEAD, *P[1:], LOCAL)),
    REORDERED: ("Fonte record des glaciers suisses", "2026-03-03", "La Liberté",
                join(P[0], P[3], P[1], P[2], P[5], P[4])),
    SHORTENED: ("Le Rhône perd sa glace", "2026-03-03", "20 minutes", join(P[0], SHORTENED_P2, P[2])),
    QUOTER: ("Lyon rénove ses écoles", "2026-03-05", "Le Progrès", QUOTE),
    "g_tram.txt": ("Le tramway de Nantes voté", "2026-03-01", "Ouest-France", UNRELATED[0]),
    "h_hand.txt": ("Victoire au bout du suspense", "2026-03-02", "La Voix", UNRELATED[1]),
}  # fmt: skip


def write(folder: Path, samples: Path | None = None) -> Path:
    """The corpus in ``folder`` (created); with the sample articles too when ``samples``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (title, date, source, body) in ARTICLES.items():
        (folder / name).write_text(block(title, date, source, body), "utf-8")
    if samples is not None:
        for path in sorted(samples.glob("*.txt")):
            (folder / path.name).write_text(path.read_text("utf-8"), "utf-8")
    return folder
