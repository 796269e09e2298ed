"""Glose's own parts inside Whoosh, each checked against what Whoosh itself does: phrases
matched on the postings (where-else) against Whoosh's ``Phrase``; segments written by term
(:mod:`tui.search.engines.whoosh_writing`) against Whoosh's own pool and writer, in memory and
spilled to disk; an older index's blocks, all compressed, beside an update's.
"""

from __future__ import annotations

from bench.corpus import generate
from tui.search.engines import whoosh_engine, whoosh_writing

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


def _segment_files(index) -> dict[str, bytes]:
    """The bytes of a one-segment index's files by their extension (their names are random;
    the table of contents names them)."""
    from tui.search.index import State

    folder = index / State.load(index).generation
    files = {p.name.split(".", 1)[1]: p.read_bytes() for p in folder.glob("MAIN_*.*")}
    assert len(files) == len(list(folder.glob("MAIN_*.*")))  # one segment
    return files


def test_segments_written_by_term_are_whooshs_own_bytes_in_memory_and_spilled_to_disk(tmp_path, monkeypatch):
    """The same segment files, byte for byte, whether Whoosh's own pool sorts the postings and
    its field writer takes them one by one, or Glose's pool keeps them by term and writes them
    a block at a time (every block compressed, as Whoosh does), or spills sorted runs to disk
    on the way (a pool limit of 64 KB: Whoosh counts at least 150 bytes a posting, and 260
    articles make thousands); the same postings with only the larger blocks compressed."""
    articles = generate(tmp_path / "gen", 260)  # common words in more than a block (128) of them

    def build(name: str, whooshs_own: bool = False, spill: bool = False, compress_from: int = 0):
        with monkeypatch.context() as m:
            if whooshs_own:
                m.setattr(whoosh_writing, "install", lambda writer: None)
            if spill:
                m.setitem(whoosh_engine.WRITER_OPTIONS, "limitmb", 1 / 16)
            m.setattr(whoosh_writing, "COMPRESS_FROM", compress_from)
            return _workspace(tmp_path / name, articles, "whoosh").index

    whooshs, whooshs_spilled = build("whoosh", whooshs_own=True), build("whoosh-spilled", True, True)
    grouped, spilled = build("grouped"), build("spilled", spill=True)
    reference = _postings(whooshs)
    assert sum(len(p) for k, p in reference.items() if k != "segments") * 150 > 2**16 * 4
    assert _postings(grouped) == reference == _postings(spilled)
    assert _segment_files(grouped) == _segment_files(whooshs)
    # (Whoosh's own spilled segment is not its in-memory one, byte for byte: the same postings)
    assert _segment_files(spilled) == _segment_files(whooshs_spilled)
    default = build("default", compress_from=whoosh_writing.COMPRESS_FROM)
    assert _postings(default) == reference
    plain, zipped = _segment_files(build("plain", compress_from=2**40))["pst"], _segment_files(grouped)["pst"]
    assert len(zipped) < len(_segment_files(default)["pst"]) < len(plain)


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


def test_an_index_whose_blocks_are_all_compressed_from_an_older_glose_updated_reads_as_one(
    tmp_path, monkeypatch
):
    articles = generate(tmp_path / "gen", 80)
    monkeypatch.setattr(whoosh_writing, "COMPRESS_FROM", 0)  # every block, as Whoosh does
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


def test_a_large_update_through_whooshs_own_multi_process_writer_reads_as_a_fresh_build(
    tmp_path, monkeypatch
):
    """An update of many articles goes through Whoosh's ``MpWriter`` (a ``SegmentWriter``
    subclass that sends documents to its worker processes, left to write Whoosh's own way):
    the index equals a fresh build of the same files."""
    ws = _workspace(tmp_path / "updated", generate(tmp_path / "gen", 60), "whoosh")
    for path in sorted(ws.articles.rglob("*.txt"))[::2]:
        path.write_text(
            path.read_text("utf-8") + "\nUne phrase ajoutée par la mise à jour, zygomatique.\n", "utf-8"
        )
    monkeypatch.setattr(whoosh_engine, "PROCS_THRESHOLD", 10)  # 30 changed files: two processes
    update_index(ws)
    fresh = _articles_by_term(_workspace(tmp_path / "fresh", ws.articles, "whoosh").index)
    got = _articles_by_term(ws.index)
    # (the pairs field aside: a new index picks its own common stems, and zygomat is one now)
    assert {k: v for k, v in got.items() if k[0] != "pairs"} == {
        k: v for k, v in fresh.items() if k[0] != "pairs"
    }
    assert len(got[("body", b"zygomat")]) == 30
