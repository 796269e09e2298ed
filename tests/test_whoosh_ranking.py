"""Whoosh's results: the best articles in the order of their scores, and the exact total.

Glose scores Whoosh's matches a posting block at a time (:mod:`tui.search.engines.whoosh_scoring`).
The reference here is Whoosh's own unlimited collector, which scores every match and skips
nothing: the first results, their scores and the count must be its. (Whoosh's optimised
collector did not always agree with it: ``date:2026-01 grok`` on 5,000 generated articles left
out the sixth best article, ``syst* -noyau`` counted 557 of 1,335 matches.)
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bench.common import QUERIES
from bench.corpus import generate
from bench.parity import EXTRA
from tui.search.searcher import SearchEngine
from tui.workspace import Workspace

from .conftest import update_index, use_engine

QUERIES_ = [q for _, q, _ in QUERIES] + EXTRA[:16]


@pytest.fixture(scope="module")
def changed(tmp_path_factory) -> Workspace:
    """400 generated articles indexed with Whoosh, then a few changed and removed: a second
    segment, and deleted documents in the first."""
    root = tmp_path_factory.mktemp("ranking")
    ws = _whoosh_workspace(root, 400)
    files = sorted((root / "articles").rglob("*.txt"))
    for path in files[::50]:
        path.write_text(path.read_text("utf-8") + "\nGrok et Elon Musk, service premium.\n", "utf-8")
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    for path in files[7::120]:
        path.unlink()
    report = update_index(ws)
    assert report.updated and report.removed
    return ws


def _whoosh_workspace(root: Path, count: int) -> Workspace:
    """A workspace of ``count`` generated articles, indexed with Whoosh."""
    shutil.copytree(generate(root.parent / f"{root.name}-gen", count), root / "articles")
    use_engine(root, "whoosh")
    ws = Workspace.resolve(root)
    update_index(ws)
    return ws


def _reference(engine: SearchEngine, query: str, limit: int | None) -> list[tuple[str, float]]:
    searcher = engine._reader.searcher
    every = searcher.search(engine.compile(query).query, limit=None)
    return [(h["id"], round(h.score, 4)) for h in every[:limit]]


@pytest.mark.parametrize("limit", [10, None])
def test_the_first_results_and_their_scores_are_whooshs_over_every_match(changed, limit):
    with SearchEngine(changed.articles, changed.index) as engine:
        assert len(engine._reader.searcher.reader().leaf_readers()) > 1
        found = 0
        for query in QUERIES_:
            results = engine.search(query, limit=limit)
            assert [(h.article, h.score) for h in results.hits] == _reference(engine, query, limit), query
            found += bool(results.hits)
        assert found > len(QUERIES_) // 2


def test_the_total_counts_every_matching_article_once(changed):
    with SearchEngine(changed.articles, changed.index) as engine:
        ids = set()
        for query in QUERIES_:
            results = engine.search(query, limit=10)
            matching = engine.matching_ids(query)
            assert results.total == len(matching) == len(set(matching)), query
            ids.update(matching)
        assert not any(path.startswith("nope") for path in ids)
        indexed = {h.article for h in engine.catalog()}
        assert ids <= indexed


def test_an_exclusion_or_a_date_does_not_drop_a_better_article(tmp_path):
    """Whoosh's optimised collector left better articles out of the first ten here."""
    ws = _whoosh_workspace(tmp_path, 600)
    with SearchEngine(ws.articles, ws.index) as engine:
        for query in ("date:2026-01 grok", "date:2026 grok", "grok OR musk -premium", "pla* -plateforme"):
            results = engine.search(query, limit=10)
            assert [(h.article, h.score) for h in results.hits] == _reference(engine, query, 10), query
            assert results.total == len(engine.matching_ids(query)), query


def test_a_total_asked_after_the_index_changed_counts_what_the_search_found(tmp_path):
    """The reader shows the count after the first results; an update may commit meanwhile."""
    ws = _whoosh_workspace(tmp_path, 40)
    with SearchEngine(ws.articles, ws.index) as engine:
        results = engine.search("grok", limit=3)
        before = len(engine.matching_ids("grok"))
        (ws.articles / "nouveau.txt").write_text("Grok encore\n\nGrok et encore Grok.\n", "utf-8")
        update_index(ws)
        engine.refresh()
        assert results.total == before
        assert engine.search("grok", limit=3).total == before + 1
