"""Whoosh's pairs field: a phrase of common stems asked as pairs finds exactly the articles the
plain positional phrase finds, on the samples and on a generated corpus, and an update keeps
the index's set of common stems (so older articles never miss a pair)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from bench.common import QUERIES
from bench.corpus import generate
from tui.api import Library
from tui.search.engines.whoosh_engine import PAIRS, WhooshBuilder, common_of
from tui.search.query import compile_query
from tui.text.analysis import WORD, terms
from tui.workspace import Workspace

from .conftest import SAMPLES, update_index, use_engine

ELISIONS = [
    '"la création d\'images illégales"',
    '"l\'intelligence artificielle"',
    '"les images générées par l\'IA"',
    '"de la plateforme"',
    '"le réseau social"',
    '"Elon Musk"',
    '"service premium" grok',
    'title:"service premium"',
]


def _whoosh(root: Path, articles: Path) -> Workspace:
    shutil.copytree(articles, root / "articles")
    use_engine(root, "whoosh")
    ws = Workspace.resolve(root)
    update_index(ws)
    return ws


def _texts(articles: Path) -> list[str]:
    return [p.read_text("utf-8") for p in sorted(articles.rglob("*.txt"))]


def _phrases_from(texts: list[str], count: int, seed: int = 7) -> list[str]:
    """Runs of 2 to 4 words as written (stop words and elisions included), so most are found."""
    rng = random.Random(seed)
    found = []
    while len(found) < count:
        words = WORD.findall(rng.choice(texts))
        n = rng.randint(2, 4)
        if len(words) > n:
            at = rng.randrange(len(words) - n)
            phrase = " ".join(words[at : at + n])
            if terms(phrase):  # not stop words only (a query Glose refuses)
                found.append(f'"{phrase}"')
    return found


def _compare(ws: Workspace, queries: list[str]) -> tuple[int, int]:
    """Assert every query matches the same articles with and without pairs; returns how many
    queries went through pairs and how many found something."""
    via_pairs = found = 0
    with Library(ws) as lib:
        engine = lib.ctx.engine
        reader = engine._reader
        paired = engine._builder
        assert isinstance(paired, WhooshBuilder) and paired.common == common_of(reader.ix.schema)
        for query in queries:
            plain = compile_query(query, "fr", builder=WhooshBuilder())
            with_pairs = compile_query(query, "fr", builder=paired)
            expected = set(reader.ids(plain.query))
            assert set(reader.ids(with_pairs.query)) == expected, query
            assert with_pairs.highlight == plain.highlight, query  # snippets stay on body terms
            via_pairs += PAIRS in repr(with_pairs.query)
            found += bool(expected)
            # the search the reader runs, ranked, finds the same set
            assert {h.article for h in lib.search.run(query, limit=None).hits} == expected, query
    return via_pairs, found


def test_phrases_through_pairs_find_what_plain_phrases_find_on_the_samples(tmp_path):
    ws = _whoosh(tmp_path, SAMPLES)
    queries = [q for kind, q, _ in QUERIES if kind == "phrase"] + ELISIONS
    queries += _phrases_from(_texts(SAMPLES), 60)
    via_pairs, found = _compare(ws, queries)
    assert via_pairs > 10 and found > len(queries) // 2


def test_phrases_through_pairs_find_what_plain_phrases_find_on_a_generated_corpus(tmp_path):
    articles = generate(tmp_path / "gen", 300)
    ws = _whoosh(tmp_path / "ws", articles)
    queries = [q for _, q, _ in QUERIES] + ELISIONS + _phrases_from(_texts(articles), 150)
    via_pairs, found = _compare(ws, queries)
    assert via_pairs > 20 and found > len(queries) // 2  # pairs of the 100 commonest stems


def test_an_update_keeps_the_common_stems_so_old_and_new_articles_match_alike(tmp_path):
    ws = _whoosh(tmp_path, SAMPLES)
    with Library(ws) as lib:
        before = common_of(lib.ctx.engine._reader.ix.schema)
    assert "imag" in before  # the samples are about generated images
    # an article full of words that were rare: were the set recomputed, they would become
    # common, and the older articles holding them would have no pairs for them
    (ws.articles / "neuf.txt").write_text(
        "Neuf\n\n" + "La création d'images illégales par Grok, service premium. " * 40, "utf-8"
    )
    update_index(ws)
    with Library(ws) as lib:
        assert common_of(lib.ctx.engine._reader.ix.schema) == before
    queries = ELISIONS + _phrases_from(_texts(ws.articles), 40, seed=3)
    via_pairs, _ = _compare(ws, queries)
    assert via_pairs
    with Library(ws) as lib:
        assert "neuf.txt" in {
            h.article for h in lib.search.run('"création d\'images illégales"', limit=None).hits
        }


def test_a_phrase_with_a_rare_stem_stays_a_positional_phrase():
    common = frozenset(terms("réseau social images"))
    builder = WhooshBuilder(common)
    assert repr(builder.phrase("body", terms("réseau social"))) == repr(builder.term(PAIRS, "reseau social"))
    assert PAIRS in repr(builder.phrase("body", terms("réseau social images")))
    assert PAIRS not in repr(builder.phrase("body", terms("réseau social grok")))
    assert PAIRS not in repr(builder.phrase("title", terms("réseau social")))
