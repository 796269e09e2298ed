"""Glose's own parts inside Whoosh, each checked against what Whoosh itself does: phrases
matched on the postings (where-else) against Whoosh's ``Phrase``, and the posting pool that
keeps postings grouped by term against Whoosh's ``PostingPool``, in memory and spilled to disk.
"""

from __future__ import annotations

from bench.corpus import generate
from tui.search.engines import whoosh_engine

from .conftest import update_index
from .test_engines import _workspace


def _postings(index) -> dict:
    """Every term of every field with its postings (document, weight, value bytes), and the
    number of segments."""
    from whoosh.index import open_dir

    from tui.search.index import State

    ix = open_dir(str(index / State.load(index).generation))
    with ix.reader() as reader:
        found: dict = {"segments": len(ix._segments())}
        for field, text in reader.all_terms():
            m, postings = reader.postings(field, text), []
            while m.is_active():
                postings.append((m.id(), m.weight(), m.value()))
                m.next()
            found[(field, text)] = postings
    ix.close()
    return found


def test_postings_grouped_by_term_are_whooshs_own_in_memory_and_spilled_to_disk(tmp_path, monkeypatch):
    """The same postings, byte for byte, whether Whoosh's ``PostingPool`` sorts them (and
    Whoosh compresses the blocks), Glose's pool keeps them grouped in memory (blocks written
    plain), or spills sorted runs to disk on the way (a pool limit of 64 KB: Whoosh counts at
    least 150 bytes a posting, and 120 articles make thousands)."""
    articles = generate(tmp_path / "gen", 120)
    monkeypatch.setattr(whoosh_engine, "_group_postings", lambda pool: None)
    monkeypatch.setattr(whoosh_engine, "POSTINGS_COMPRESSION", 3)  # and Whoosh's zlib blocks
    reference = _postings(_workspace(tmp_path / "whoosh-pool", articles, "whoosh").index)
    monkeypatch.undo()
    grouped = _postings(_workspace(tmp_path / "grouped", articles, "whoosh").index)
    monkeypatch.setitem(whoosh_engine.WRITER_OPTIONS, "limitmb", 1 / 16)
    spilled = _postings(_workspace(tmp_path / "spilled", articles, "whoosh").index)
    assert sum(len(p) for k, p in reference.items() if k != "segments") * 150 > 2**16 * 4
    assert grouped == reference
    assert spilled == reference


def test_whoosh_phrases_matched_on_the_postings_are_whooshs_own_phrase_matches(tmp_path):
    """Where-else asks Whoosh for phrases through :mod:`whoosh_phrases` (the postings
    intersected by hand); Whoosh's own ``Phrase`` query is the reference, on an index of several
    segments (a parallel build, then an update) with deleted and replaced articles."""
    from whoosh.query import Phrase

    from tui.search.engines.whoosh_phrases import phrase_docnums
    from tui.search.searcher import SearchEngine
    from tui.text.analysis import terms

    ws = _workspace(tmp_path, generate(tmp_path / "gen", 400), "whoosh")
    files = sorted(ws.articles.rglob("*.txt"))
    for gone in files[::37]:
        gone.unlink()
    for changed in (f for f in files[5::41] if f.exists()):
        changed.write_text(
            changed.read_text("utf-8") + "\nUn paragraphe de plus pour la mise à jour.\n", "utf-8"
        )
    update_index(ws)
    engine = SearchEngine(ws.articles, ws.index, "fr")
    searcher = engine._reader.searcher
    assert searcher.subsearchers and any(s.reader().has_deletions() for s, _ in searcher.subsearchers)
    phrases = []
    for path in files[1:200:13]:
        found = terms(path.read_text("utf-8"), "fr") if path.exists() else []
        phrases += [found[i : i + n] for n in (2, 3, 4) for i in range(0, min(len(found) - n, 60), 7)]
    phrases += [["paragraph", "plus"], ["mise", "jour"], ["jour", "mise"], ["grok", "absent"]]
    matched = 0
    for words in phrases:
        ours = list(phrase_docnums(searcher.reader(), "body", words))
        assert ours == sorted(searcher.docs_for_query(Phrase("body", words))), words
        matched += bool(ours)
    assert matched > len(phrases) // 2  # the phrases do match
    engine.close()


def _articles_by_term(index) -> dict:
    from whoosh.index import open_dir

    from tui.search.index import State

    ix = open_dir(str(index / State.load(index).generation))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        found = {}
        for field, text in reader.all_terms():
            if field == "id":
                continue
            docs = reader.postings(field, text).all_ids()
            found[(field, text)] = sorted(searcher.stored_fields(d)["id"] for d in docs)
    ix.close()
    return {k: v for k, v in found.items() if v}


def test_an_index_with_zlib_blocks_from_an_older_glose_updated_with_plain_ones_reads_as_one(
    tmp_path, monkeypatch
):
    articles = generate(tmp_path / "gen", 80)
    monkeypatch.setattr(whoosh_engine, "POSTINGS_COMPRESSION", 3)
    older = _workspace(tmp_path / "older", articles, "whoosh")
    monkeypatch.undo()
    for path in sorted(older.articles.rglob("*.txt"))[::9]:
        path.write_text(
            path.read_text("utf-8") + "\nUne phrase ajoutée par la mise à jour, zygomatique.\n", "utf-8"
        )
    update_index(older)
    fresh = _workspace(tmp_path / "fresh", older.articles, "whoosh")
    got = _articles_by_term(older.index)
    assert got == _articles_by_term(fresh.index)
    assert len(got[("body", b"zygomat")]) == 9
