"""The Whoosh segment writer Glose installs (tui.search.engines.whoosh_postings) writes the
same files as Whoosh's own: a build of the same articles, once each way, gives byte-identical
postings and term tables, and the same answers to the bench's queries."""

from __future__ import annotations

import hashlib
import importlib
import shutil
from pathlib import Path

import pytest

from bench.__main__ import QUERIES
from bench.corpus import generate
from tui.api import Library
from tui.search.engines import whoosh_engine, whoosh_postings
from tui.workspace import Workspace

from .conftest import SAMPLES, update_index, use_engine

updating = importlib.import_module("tui.search.index.update")  # (the package exports a function of that name)


def _digests(index: Path) -> dict[str, str]:
    """sha256 of the postings (.pst) and term tables (.trm) of every segment, by kind (the
    segments' names are random)."""
    found: dict[str, hashlib._Hash] = {}
    for path in sorted(index.rglob("*")):
        if path.suffix in (".pst", ".trm"):
            found.setdefault(path.suffix, hashlib.sha256()).update(path.read_bytes())
    return {kind: h.hexdigest() for kind, h in found.items()}


def _build(root: Path, articles: Path) -> Workspace:
    shutil.copytree(articles, root / "articles")
    use_engine(root, "whoosh")
    ws = Workspace.resolve(root)
    update_index(ws)
    return ws


def _answers(ws: Workspace) -> dict[str, list[tuple[str, float]]]:
    with Library(ws) as lib:
        return {
            q: [(h.article, round(h.score, 4)) for h in lib.search.run(q, limit=None).hits]
            for _, q, _ in QUERIES
        }


@pytest.fixture
def one_segment(monkeypatch):
    """Builds in this process, one writer, one segment: what is compared is the writer alone."""
    monkeypatch.setattr(updating, "PARALLEL_THRESHOLD", 10**9)
    monkeypatch.setattr(whoosh_engine, "PROCS_THRESHOLD", 10**9)


@pytest.mark.parametrize("corpus", ["samples", "generated"])
def test_glose_writes_the_segment_whoosh_would(tmp_path, monkeypatch, one_segment, corpus):
    articles = SAMPLES if corpus == "samples" else generate(tmp_path / "gen", 300)
    ours = _build(tmp_path / "ours", articles)
    with monkeypatch.context() as m:
        m.setattr(whoosh_postings, "add_postings", lambda fieldwriter, schema: None)  # Whoosh's own walk
        theirs = _build(tmp_path / "theirs", articles)
    assert _digests(ours.index) == _digests(theirs.index)
    assert set(_digests(ours.index)) == {".pst", ".trm"}
    assert _answers(ours) == _answers(theirs)
    assert any(_answers(ours).values())  # the queries find something
