"""What a Whoosh index holds for a text field is what the text says: every posting of the
body read back through Whoosh's own reader gives the term's positions among the text's terms
(counted independently here, word by word with :func:`tui.text.analysis.terms`). Glose writes
those postings its own way (one pickled value per position shared by every posting at it), so
this is checked on the samples and on a generated corpus, with postings in many blocks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.corpus import generate
from tui.text.analysis import terms
from tui.text.corpus import read_with_meta, scan
from tui.workspace import Workspace

from .conftest import SAMPLES, update_index, use_engine


def _expected(articles: Path) -> dict[str, dict[str, list[int]]]:
    """article id → term → its positions, stop words not counted."""
    out: dict[str, dict[str, list[int]]] = {}
    for stat in scan(articles):
        positions: dict[str, list[int]] = {}
        for pos, found in enumerate(terms(read_with_meta(stat.path)[0], "fr")):
            positions.setdefault(found, []).append(pos)
        out[stat.id] = positions
    return out


@pytest.mark.parametrize("corpus", ["samples", "generated"])
def test_every_body_posting_reads_back_as_the_texts_positions(tmp_path, corpus):
    from whoosh.index import open_dir

    articles = SAMPLES if corpus == "samples" else generate(tmp_path / "gen", 200)
    shutil.copytree(articles, tmp_path / "ws" / "articles")
    use_engine(tmp_path / "ws", "whoosh")
    ws = Workspace.resolve(tmp_path / "ws")
    update_index(ws)
    expected = _expected(ws.articles)
    generation = next(p for p in ws.index.iterdir() if p.is_dir() and p.name.startswith("g-"))
    found: dict[str, dict[str, list[int]]] = {aid: {} for aid in expected}
    with open_dir(str(generation)).searcher() as searcher:
        reader = searcher.reader()
        ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
        for term in reader.field_terms("body"):
            matcher = reader.postings("body", term)
            while matcher.is_active():
                found[ids[matcher.id()]][term] = list(matcher.value_as("positions"))
                matcher.next()
    assert found == expected
    assert any(len(p) > 1 for doc in expected.values() for p in doc.values())  # repeated words too
