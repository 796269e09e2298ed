"""Whoosh behind the engine seam: the default engine, pure Python, installed with Glose.

The schema is made from :data:`tui.search.engines.base.FIELDS`; text fields are analysed by
:class:`tui.text.analysis.GloseTokenizer` and their postings written by
:class:`tui.text.analysis.FastPositions` (the same bytes as Whoosh's own, without a Token per word).

One field more than :data:`FIELDS`: ``pairs``, the adjacent pairs of the body's most common
stems (:func:`tui.text.analysis.pair_positions`). A phrase of common words is the slow query of a
positional index (nearly every article holds each word, and each one's positions are read);
as pairs it is one or two short posting lists. The set of common stems is the index's own,
found when it is built and pickled with its schema.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ...errors import IndexError_
from . import whoosh_import, whoosh_writing
from .base import FIELDS, at_least

WRITER_OPTIONS = {"limitmb": 256, "compound": False}
PROCS_THRESHOLD = 2000  # batches this large are written by two processes


PAIRS = "pairs"


def make_schema(language: str, common: frozenset[str] = frozenset()):
    whoosh_import.load()
    from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

    from ...text.analysis import FastPositions, GloseTokenizer, PairPositions

    fields: dict[str, Any] = {}
    for f in FIELDS:
        if f.kind == "id":
            fields[f.name] = ID(unique=f.name == "id", stored=f.stored)
        elif f.kind == "text":
            field = TEXT(analyzer=GloseTokenizer(language), stored=f.stored, field_boost=f.boost, phrase=True)
            field.format = FastPositions(field_boost=f.boost)
            fields[f.name] = field
        elif f.kind == "words":
            fields[f.name] = TEXT(analyzer=GloseTokenizer(language, stem=False), stored=f.stored)
        elif f.kind == "int":
            fields[f.name] = NUMERIC(stored=f.stored, bits=64)
        else:
            fields[f.name] = STORED()
    if common:  # no common stems (bench.builds --pairs --common 0): no pairs field
        pairs = TEXT(analyzer=GloseTokenizer(language), phrase=True)
        pairs.format = PairPositions(common)
        fields[PAIRS] = pairs
    return Schema(**fields)


def common_of(schema) -> frozenset[str]:
    """The common stems an index was built with (none for an index without pairs)."""
    return schema[PAIRS].format.common if PAIRS in schema else frozenset()


class WhooshWriter:
    def __init__(self, writer):
        from whoosh.writing import SegmentWriter

        self.w = writer
        self.pairs = PAIRS in writer.schema
        if type(writer) is SegmentWriter:  # not Whoosh's own multi-process writer (a subclass)
            whoosh_writing.install(writer)

    def _fields(self, document: dict) -> dict:
        # the pairs field is made from the body's text by its format (PairPositions)
        return {**document, PAIRS: document["body"]} if self.pairs and "body" in document else document

    def add(self, document: dict) -> None:
        self.w.add_document(**self._fields(document))

    def replace(self, document: dict) -> None:
        self.w.update_document(**self._fields(document))

    def delete(self, article_id: str) -> None:
        self.w.delete_by_term("id", article_id)

    def commit(self) -> None:
        self.w.commit()  # the files are fsynced by tui.search.index.state._commit

    def cancel(self) -> None:
        self.w.cancel()

    # worker processes of a parallel build write one segment each
    def finish_segment(self):
        if not self.w._added:
            self.w.cancel()
            return None
        return self.w._finalize_segment()


class WhooshReader:
    def __init__(self, ix):
        from .whoosh_scoring import Norms

        self.ix = ix
        self.searcher = ix.searcher()  # opens every segment's files
        self.norms = Norms()  # of this searcher's segments

    def search(self, query, limit: int | None) -> tuple[list[tuple[dict, float]], Any]:
        """Whoosh's own top ``limit``, scored a posting block at a time
        (:mod:`.whoosh_scoring`: the same scores and order, every match counted)."""
        from .whoosh_scoring import TopScored

        collector = TopScored(limit, self.norms)
        self.searcher.search_with_collector(query, collector)
        results = collector.results()
        return [(r.fields(), r.score) for r in results], results

    def count(self, handle) -> int:
        """Known since the search ran (:class:`.whoosh_scoring.TopScored` counts every match):
        no second pass, and a search made before a refresh keeps the count of what it saw."""
        return len(handle)

    def ids(self, query) -> Iterator[str]:
        stored = self.searcher.stored_fields
        for docnum in self._docnums(query):
            yield stored(docnum)["id"]

    def ids_matching(self, queries: Sequence, need: int) -> list[str]:
        stored = self.searcher.stored_fields
        return [stored(d)["id"] for d in at_least(map(self._docnums, queries), need)]

    def _docnums(self, query) -> Iterator[int]:
        """A phrase is matched on its postings (:mod:`.whoosh_phrases`), several times faster
        than Whoosh's span matchers."""
        from whoosh.query import Phrase

        from .whoosh_phrases import phrase_docnums

        if isinstance(query, Phrase) and query.slop == 1:
            return phrase_docnums(self.searcher.reader(), query.fieldname, query.words)
        return self.searcher.docs_for_query(query)

    def documents(self) -> Iterable[dict]:
        return self.searcher.all_stored_fields()

    def document(self, article_id: str) -> dict | None:
        return self.searcher.document(id=article_id)

    def builder(self, language: str) -> WhooshBuilder:
        """A builder for this index (its common stems)."""
        return WhooshBuilder(common_of(self.ix.schema))

    def refresh(self) -> WhooshReader:
        """A searcher of the latest commit. Not Whoosh's ``Searcher.refresh``: reusing the
        older reader, whoosh-reloaded appends the older reader's segments that the new commit
        no longer lists (a segment whose deletions changed is another segment to it), so a
        replaced article was found twice, then three times... after each update in one process."""
        if self.ix.latest_generation() == self.searcher.reader().generation():
            return self
        from .whoosh_scoring import Norms

        old, self.searcher = self.searcher, self.ix.searcher()
        self.norms = Norms()
        old.close()
        return self

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()


class WhooshBuilder:
    """``common``: the index's common stems (:func:`common_of`); a body phrase made only of
    them is asked of the pairs field, where it matches the same articles."""

    def __init__(self, common: frozenset[str] = frozenset()):
        from whoosh import query as wq

        self.wq = wq
        self.common = common

    def term(self, field: str, term: str):
        return self.wq.Term(field, term)

    def phrase(self, field: str, terms: Sequence[str]):
        terms = list(terms)
        if field == "body" and self.common and all(t in self.common for t in terms):
            from ...text.analysis import pair_term

            pairs = [pair_term(a, b) for a, b in itertools.pairwise(terms)]
            return self.wq.Term(PAIRS, pairs[0]) if len(pairs) == 1 else self.wq.Phrase(PAIRS, pairs)
        return self.wq.Phrase(field, terms)

    def prefix(self, field: str, prefix: str):
        return self.wq.Prefix(field, prefix)

    def date_range(self, start: str, end: str):
        return self.wq.TermRange("date", start, end)

    def ids(self, ids: Sequence[str]):
        return self.wq.Or([self.wq.Term("id", i) for i in ids])

    def every(self):
        return self.wq.Every()

    def nothing(self):
        return self.wq.NullQuery

    def all_of(self, parts: Sequence):
        return self.wq.And(list(parts))

    def any_of(self, parts: Sequence):
        return self.wq.Or(list(parts))

    def negate(self, part):
        return self.wq.Not(part)

    def is_negation(self, part) -> bool:
        return isinstance(part, self.wq.Not)


class WhooshEngine:
    name = "whoosh"
    parallel = True

    def check(self) -> None:
        pass  # a dependency of Glose itself

    def create(self, folder: Path, language: str, sample: Iterable[str] = ()) -> None:
        from whoosh.index import create_in

        from ...text import analysis

        common = analysis.common_stems(sample, language, analysis.COMMON_STEMS)
        create_in(str(folder), make_schema(language, common)).close()

    def writer(self, folder: Path, language: str, batch: int) -> WhooshWriter:
        import os

        from whoosh.index import LockError

        options: dict = {**WRITER_OPTIONS, "timeout": 30.0, "delay": 0.05}
        if batch >= PROCS_THRESHOLD and (os.cpu_count() or 1) > 1 and _may_fork():
            options.update(procs=2, multisegment=True)
        try:
            return WhooshWriter(_open(folder).writer(**options))
        except LockError:
            raise IndexError_("the index is locked by another process; try again shortly") from None

    def segment_writer(self, folder: Path) -> WhooshWriter:
        """A writer of one new segment, in a worker process of a parallel build (the parent
        holds the lock and lists the segments with :meth:`commit_segments`)."""
        from whoosh.writing import SegmentWriter

        return WhooshWriter(SegmentWriter(_open(folder), _lk=False, **WRITER_OPTIONS))

    def commit_segments(self, folder: Path, run) -> None:
        """Hold the index's writer while ``run()`` builds segments in workers, then commit the
        segments it returns."""
        parent = _open(folder).writer(compound=False, timeout=30.0)
        try:
            segments = [s for s in run() if s is not None]
            parent._close_segment()
            parent._commit_toc(segments)
            parent._finish()
        except BaseException:
            parent.cancel()
            raise

    def open(self, folder: Path) -> WhooshReader:
        return WhooshReader(_open(folder))

    def builder(self, language: str) -> WhooshBuilder:
        return WhooshBuilder()


def _may_fork() -> bool:
    """Whether Whoosh's own writer processes (forked, with multiprocessing's resource tracker)
    can start here: not from a threaded program (the terminal interface: a fork copies its
    locks held by other threads) nor one whose stderr has no file descriptor (Textual's capture:
    the tracker's start fails on it)."""
    import sys
    import threading

    try:
        has_stderr = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        has_stderr = False
    return has_stderr and threading.active_count() == 1


def _open(folder: Path):
    whoosh_import.load()
    from whoosh.index import open_dir

    return open_dir(str(folder))
