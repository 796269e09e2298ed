"""Wire families' hard cases, on the core with texts in memory (the real sketches, pairs and
alignment): one dispatch under two agencies' names, print and web editions, a footer every
article of an outlet carries, a family of 200 copies in a corpus of thousands."""

from __future__ import annotations

import random

from tui.families import Meta, family_id, find_families
from tui.families.credit import agency

from . import wire_corpus as w

SYLLABLES = [
    "ba",
    "ro",
    "ti",
    "lu",
    "ne",
    "ka",
    "mi",
    "so",
    "ve",
    "dra",
    "gon",
    "pel",
    "tru",
    "ze",
    "quo",
    "an",
    "ber",
    "lin",
    "mar",
    "tos",
]


def prose(rng: random.Random, words: int) -> str:
    """Text no other article shares a run of words with (random made-up words)."""
    out = []
    for i in range(words):
        out.append("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))))
        if i % 12 == 11:
            out[-1] += "."
    return " ".join(out)


def run(texts: dict[str, str], meta: dict[str, Meta] | None = None, **kwargs):
    meta = meta or {}
    return find_families(sorted(texts), lambda a: meta.get(a, Meta()), texts.get, **kwargs)


DISPATCH = w.join(*w.P)


def test_the_same_dispatch_under_two_agencies_names_is_one_family():
    rng = random.Random(1)
    texts = {
        "afp.txt": DISPATCH,
        "belga.txt": DISPATCH.replace("(AFP)", "(Belga)"),
        "paper.txt": w.join(*w.P[:4]),
        **{f"other{i}.txt": prose(rng, 200) for i in range(10)},
    }
    meta = {
        "afp.txt": Meta("2026-03-02", "AFP"),
        "belga.txt": Meta("2026-03-02", "Belga"),
        "paper.txt": Meta("2026-03-03", "Le Soir"),
    }
    (fam,) = run(texts, meta)
    assert sorted(fam.articles) == ["afp.txt", "belga.txt", "paper.txt"]
    assert fam.source in ("afp.txt", "belga.txt")  # equally early, both agencies' own
    assert {m.article: m.agency for m in fam.members}["belga.txt"] == "Belga"


def test_among_equally_early_members_the_agency_is_the_source():
    texts = {"a_paper.txt": DISPATCH.replace("(AFP)", ""), "b_wire.txt": DISPATCH.replace("(AFP)", "")}
    meta = {"a_paper.txt": Meta("2026-03-02", "Le Temps"), "b_wire.txt": Meta("2026-03-02", "Keystone-ATS")}
    assert run(texts, meta)[0].source == "b_wire.txt"
    # no agency named anywhere: the fullest version (the others hold most of its words)
    texts = {
        "a_brief.txt": w.join(*w.P[:3]).replace("(AFP)", ""),
        "b_full.txt": DISPATCH.replace("(AFP)", ""),
    }
    assert run(texts, {k: Meta("2026-03-02", "X") for k in texts})[0].source == "b_full.txt"
    # an earlier date wins over everything
    meta = {"a_brief.txt": Meta("2026-03-01", "X"), "b_full.txt": Meta("2026-03-02", "AFP")}
    assert run(texts, meta)[0].source == "a_brief.txt"


def test_print_and_web_editions_are_one_family():
    web = "Glaciers : la fonte s'accélère (vidéo)\n\nMis à jour le 2 mars 2026 à 09:12\n\n" + DISPATCH
    texts = {"print.txt": "Le Rhône perd sa glace\n\n" + DISPATCH, "web.txt": web, "x.txt": w.UNRELATED[0]}
    (fam,) = run(texts)
    assert sorted(fam.articles) == ["print.txt", "web.txt"]
    assert all(m.share > 0.95 for m in fam.members)


def test_a_footer_shared_by_every_article_of_an_outlet_makes_no_family():
    rng = random.Random(2)
    footer = (
        "Abonnez-vous à notre lettre d'information quotidienne pour recevoir chaque matin les "
        "nouvelles de la région, les résultats sportifs et la météo du jour directement dans "
        "votre boîte de réception, gratuitement et sans engagement."
    )
    texts = {f"outlet{i:02d}.txt": prose(rng, 25) + "\n\n" + footer for i in range(70)}
    texts |= {f"other{i:02d}.txt": prose(rng, 120) for i in range(30)}
    assert run(texts) == []  # the footer is 60% of each article, and in 70% of the corpus
    (everything,) = run(texts, boilerplate=1.0)  # counted as text, it makes them all one family
    assert len(everything.members) == 70
    # a real copy among them is still found, its footer counting for nothing
    texts["outlet00.txt"] = DISPATCH + "\n\n" + footer
    texts["outlet01.txt"] = w.join(*w.P[:4]) + "\n\n" + footer
    (fam,) = run(texts)
    assert sorted(fam.articles) == ["outlet00.txt", "outlet01.txt"]
    assert {m.article: m.share for m in fam.members}["outlet01.txt"] < 0.8  # of the dispatch alone


def test_a_family_of_200_copies_in_a_corpus_of_4000_is_found_whole():
    rng = random.Random(3)
    texts = {f"u{i:04d}.txt": prose(rng, 60) for i in range(3800)}
    meta = {}
    for i in range(200):
        cut = rng.sample(range(6), 4)
        copy = [w.P[j] for j in sorted(cut)]
        texts[f"c{i:03d}.txt"] = w.join(*copy, prose(rng, 20))
        meta[f"c{i:03d}.txt"] = Meta(f"2026-03-{3 + i % 20:02d}", f"Journal {i}")
    texts["a_source.txt"] = DISPATCH
    meta["a_source.txt"] = Meta("2026-03-02", "AFP")
    (fam,) = run(texts, meta)
    assert len(fam.members) == 201 and fam.source == "a_source.txt"
    assert fam.id == family_id([f"c{i:03d}.txt" for i in range(200)] + ["a_source.txt"])


def test_agency_credits_are_read_from_names_and_credit_lines():
    assert agency("Keystone-ATS") == "Keystone-ATS"
    assert agency(None, text="Berne (ATS) - Le Conseil fédéral a décidé") == "ATS"
    assert agency("Le Monde", text="Paris - texte.\n\n© AFP") == "AFP"
    assert agency("Le Monde", text="Le PAPE a parlé. Les chats, AP, etc.") is None
