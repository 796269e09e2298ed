"""Shared passages and where-else, on the samples and on articles with planted passages."""

from __future__ import annotations

import json
import random

import pytest

from tui.api import Library
from tui.text.passages import shared_passages, tokens, where_else
from tui.workspace import Workspace

from .conftest import SAMPLE_IDS, SAMPLES, update_index, use_engine

A000, A001, A002, A003, A004 = SAMPLE_IDS
STATEMENT = "la création d'images illégales en un service premium"
WORDS = [
    "le",
    "la",
    "un",
    "une",
    "des",
    "et",
    "de",
    "du",
    "que",
    "qui",
    "dans",
    "pour",
    "sur",
    "avec",
    "par",
    "plus",
    "gouvernement",
    "ministre",
    "rapport",
    "enquête",
    "réseau",
    "plateforme",
    "image",
    "texte",
    "article",
    "journal",
    "presse",
    "commission",
    "europe",
    "loi",
    "décision",
    "victime",
    "public",
    "données",
    "contenu",
    "modèle",
    "outil",
    "service",
    "accès",
    "question",
    "réponse",
    "semaine",
    "mois",
]


def filler(seed: int, n: int) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + str(rng.randint(0, 9999)) for _ in range(n)) + "."


PASSAGE = "Le porte-parole a déclaré que cette mesure transforme simplement une fonctionnalité dangereuse en service payant pour les abonnés"


def norm(text: str) -> list[str]:
    return [t.norm for t in tokens(text)]


def test_exact_planted_passage_with_offsets_in_both():
    a = filler(1, 40) + " " + PASSAGE + " " + filler(2, 30)
    b = filler(3, 10) + "\n\n" + PASSAGE + ". " + filler(4, 50)
    (span,) = shared_passages(a, b)
    assert span.exact and span.words == len(norm(PASSAGE))
    assert a[span.a_start : span.a_end] == PASSAGE == b[span.b_start : span.b_end]


def test_punctuation_case_accents_and_quote_marks_are_ignored():
    a = filler(5, 20) + " « " + PASSAGE + " », a-t-il dit. " + filler(6, 20)
    variant = (
        PASSAGE.replace("Le porte-parole", "le porte parole")
        .replace("fonctionnalité", "FONCTIONNALITE")
        .replace("a déclaré que", "a déclaré: «que")
    )
    b = filler(7, 15) + ' "' + variant + '" ' + filler(8, 15)
    (span,) = shared_passages(a, b)
    assert norm(a[span.a_start : span.a_end]) == norm(PASSAGE)
    assert norm(b[span.b_start : span.b_end]) == norm(variant)


def test_a_changed_word_keeps_one_passage():
    a = filler(9, 30) + " " + PASSAGE + " " + filler(10, 30)
    b = filler(11, 30) + " " + PASSAGE.replace("dangereuse", "risquée") + " " + filler(12, 30)
    (span,) = shared_passages(a, b)
    assert not span.exact
    assert a[span.a_start : span.a_end] == PASSAGE


def test_overlapping_and_repeated_passages():
    second = "Bruxelles avait annoncé jeudi avoir imposé une mesure conservatoire à la plateforme sociale"
    a = PASSAGE + " " + filler(13, 20) + " " + second + " " + PASSAGE
    b = second + " " + filler(14, 20) + " " + PASSAGE
    spans = shared_passages(a, b)
    texts = sorted(a[s.a_start : s.a_end] for s in spans)
    assert texts == sorted([PASSAGE, second, PASSAGE])


@pytest.mark.parametrize("min_words", [8, 12])
def test_nothing_shared(min_words):
    assert shared_passages(filler(15, 200), filler(16, 200), min_words=min_words) == []
    short = "une phrase de sept mots en commun"
    assert shared_passages(filler(17, 20) + " " + short, short + " " + filler(18, 20)) == []
    assert shared_passages("", PASSAGE) == []


def test_min_words_threshold():
    seven = "un deux trois quatre cinq six sept"
    assert shared_passages(seven, seven, min_words=7)
    assert shared_passages(seven, seven, min_words=8) == []


def test_samples_share_the_uk_statement():
    texts = {a: (SAMPLES / a).read_text("utf-8") for a in SAMPLE_IDS}
    found = {}
    for x, y in ((A000, A004), (A002, A004), (A000, A002)):
        spans = shared_passages(texts[x], texts[y])
        found[(x, y)] = [texts[x][s.a_start : s.a_end] for s in spans]
        for s in spans:
            assert norm(texts[x][s.a_start : s.a_end]) == norm(texts[y][s.b_start : s.b_end]) or not s.exact
    assert any(STATEMENT in t for t in found[(A000, A004)])
    assert any("transforme simplement une fonction" in t for t in found[(A002, A004)]) or any(
        STATEMENT in t for t in found[(A002, A004)]
    )
    assert shared_passages(texts[A001], texts[A003]) == []


def test_cli_shared_json(cli, indexed, engine_name):
    data = json.loads(cli(indexed, "shared", "000", "004", "--json").stdout)
    assert data["a"] == A000 and data["b"] == A004
    a = (indexed.articles / A000).read_text("utf-8")
    b = (indexed.articles / A004).read_text("utf-8")
    assert data["passages"]
    for p in data["passages"]:
        assert a[p["a"]["start"] : p["a"]["end"]] == p["text"]
        assert norm(b[p["b"]["start"] : p["b"]["end"]]) == norm(p["text"]) or not p["exact"]
    none = cli(indexed, "shared", "001", "003")
    assert none.exit_code == 0 and "no passage" in none.stderr


def test_where_else_on_the_samples(cli, indexed, engine_name):
    quote = "transforme simplement une fonctionnalité qui permet la création d'images illégales en un service premium"
    rows = json.loads(cli(indexed, "where", "--quote", quote, "--json").stdout)
    by_article = {r["article"]: r for r in rows}
    assert set(by_article) >= {A002, A004}
    assert by_article[A004]["similarity"] == 1.0
    assert 0.9 <= by_article[A002]["similarity"] < 1.0  # "fonction" instead of "fonctionnalité"
    for r in rows:
        text = (indexed.articles / r["article"]).read_text("utf-8")
        assert text[r["start"] : r["end"]] == r["snippet"]
    start = (indexed.articles / A004).read_text("utf-8").index(quote)
    rows = json.loads(
        cli(indexed, "where", "004", "--start", str(start), "--end", str(start + len(quote)), "--json").stdout
    )
    assert A004 not in {r["article"] for r in rows}  # the passage itself is left out
    assert cli(indexed, "where", "--quote", "zzzz yyyy").stderr.strip() == "found nowhere else"


def test_where_else_reads_only_the_candidates(tmp_path, engine_name):
    root = tmp_path / "corpus"
    articles = root / "articles"
    articles.mkdir(parents=True)
    planted = {7, 42, 150}
    for n in range(200):
        body = filler(100 + n, 120)
        if n in planted:
            variant = PASSAGE if n != 150 else PASSAGE.replace("dangereuse", "risquée")
            body = body + " " + variant + " " + filler(900 + n, 40)
        (articles / f"a{n:03d}.txt").write_text(body, "utf-8")
    use_engine(root, engine_name)
    ws = Workspace.resolve(root)
    update_index(ws)
    with Library(ws) as lib:
        engine = lib.ctx.engine
        read = []
        original = engine.text
        engine.text = lambda a: read.append(a) or original(a)  # count the files actually read
        found = where_else(engine, PASSAGE)
    assert {o.article for o in found} == {f"a{n:03d}.txt" for n in planted}
    assert len(read) < 20  # the index narrowed 200 articles down to a handful
    assert {o.article: o.similarity for o in found}["a150.txt"] < 1.0


def test_where_else_finds_an_article_holding_a_long_stretch_of_a_wider_selection(shared_index):
    """A coder selects the UK statement with the sentences around it in 002; 004 carries the
    statement alone, with other quote marks and one word changed: it is found, with the
    place of the stretch it holds."""
    with Library(shared_index) as lib:
        text = lib.articles.text("002").text
        start = text.index('La "solution"')
        end = text.index("toute urgence.") + len("toute urgence.")
        found = lib.passages.where(quote=text[start:end], exclude=(lib.articles.text("002").id, start, end))
        in_004 = [o for o in found if o.article.startswith("004")]
        assert in_004, found
        assert "transforme simplement une fonctionnalité" in in_004[0].text
        assert 0.3 < in_004[0].similarity < 0.6  # a part of the selection, said as such


def test_where_else_in_a_long_article_full_of_the_passages_words(tmp_path, engine_name):
    """A long article (past the length where only the passage's clusters are aligned) whose
    every paragraph uses the passage's words: the cluster is the whole text. Aligning it
    recursed on itself until RecursionError, so `W` and `glose where` failed on such an
    article; the passage is found in it like anywhere else."""
    root = tmp_path / "corpus"
    (root / "articles").mkdir(parents=True)
    line = "Le porte-parole parle d'une mesure payante ; cette fonctionnalité dangereuse, un service pour abonnés. "
    long_text = line * 300 + PASSAGE + " " + line * 20
    assert len(long_text) > 20_000
    (root / "articles" / "long.txt").write_text(long_text, "utf-8")
    (root / "articles" / "other.txt").write_text(filler(5, 80), "utf-8")
    use_engine(root, engine_name)
    ws = Workspace.resolve(root)
    update_index(ws)
    with Library(ws) as lib:
        found = where_else(lib.ctx.engine, PASSAGE)
    spans = [(o.article, o.similarity) for o in found]
    assert ("long.txt", 1.0) in spans
    start = long_text.index(PASSAGE)
    assert any(o.start == start and o.end == start + len(PASSAGE) for o in found)


def _runs_by_brute_force(a: list[str], b: list[str], k: int) -> list[tuple[int, int, int, int]]:
    """Every maximal diagonal run of at least ``k`` equal words, found pair by pair."""
    runs = []
    for i in range(len(a)):
        for j in range(len(b)):
            if (i == 0 or j == 0 or a[i - 1] != b[j - 1]) and a[i] == b[j]:
                n = 0
                while i + n < len(a) and j + n < len(b) and a[i + n] == b[j + n]:
                    n += 1
                if n >= k:
                    runs.append((i, i + n - 1, j, j + n - 1))
    return sorted(runs)


def test_runs_are_the_same_whichever_side_is_indexed():
    """The shorter sequence's shingles are indexed and the longer one scanned: the runs must
    not depend on which is which, nor differ from a pair-by-pair search."""
    from tui.text.passages import _runs, _runs_of_short

    rng = random.Random(7)
    for _ in range(300):
        a = [rng.choice("abc") for _ in range(rng.randint(0, 30))]
        b = [rng.choice("abc") for _ in range(rng.randint(0, 60))]
        k = rng.randint(2, 4)
        expected = _runs_by_brute_force(a, b, k)
        assert _runs(a, b, k) == expected
        assert _runs(b, a, k) == sorted((c, d, e, f) for e, f, c, d in expected)
        if len(a) <= len(b):  # where-else's way (the passage's shingles found in C)
            assert _runs_of_short(a, b, k) == expected


def test_a_reordered_copy_shares_every_paragraph():
    """A copy that moves paragraphs around shares all of them: the passage after a moved one
    is reported even when the moved one's last word begins it (it was dropped)."""
    from tui.text.passages import norms, shared_passages

    from . import wire_corpus as w

    source = w.join(*w.P)
    copy = w.join(w.P[0], w.P[3], w.P[1], w.P[2], w.P[5], w.P[4])
    spans = shared_passages(source, copy)
    assert sum(s.words for s in spans) == len(norms(source))


def test_words_are_the_same_however_the_text_is_cut():
    """Where-else cuts texts at ASCII breaks in C and caches the words of each piece: the words
    must be those of the word pattern, whatever sits between them (an apostrophe, a non-ASCII
    dash or space, a combining accent, an underscore, a lone surrogate from a mis-encoded file)."""
    import re

    from tui.text.analysis import fold
    from tui.text.passages import norms

    rng = random.Random(11)
    pieces = [
        "d’",
        "l'",
        "É",
        "té",
        "e\u0301",
        "œuvre",
        "ŒUVRE",
        "Straße",
        "_",
        "—",
        "\u00a0",
        "\u202f",
        "«",
        "»",
        "ﬁ",
        "℃",
        "½",
        "Σ",
        "ΑΣ",
        "\udcff",
        "IA",
        "2026",
        " ",
        ".",
        "\n",
        "x",
    ]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        assert norms(text) == [fold(w) for w in re.findall(r"[^\W_]+", text)], repr(text)


def test_a_whole_text_folds_as_its_words_do():
    """A long text (where-else's windows) folds its accents and ligatures in C: the same as
    character by character."""
    import unicodedata

    from tui.text.analysis import fold

    text = "Œuvres complètes, straße et cœur — ÉTÉ déshabillées " * 20
    slow = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("ß", "ss"))
    assert fold(text) == "".join(ch for ch in slow if not unicodedata.combining(ch))
    assert fold("abc " * 40) == "abc " * 40
