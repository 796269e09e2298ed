"""The search engine seam: what Glose asks of a full-text engine, and nothing more.

An engine decides *which* articles match a query and in what order (ids, scores, totals).
Everything that a person sees of a match — hit offsets, snippets, highlighting, concordance
lines — is Glose's own, computed from the canonical text by :mod:`tui.search.searcher`, so every
engine shows the same offsets. The query language is parsed once (:mod:`tui.search.query`) and
compiled through an engine's :class:`QueryBuilder`; terms come from Glose's analyzer
(:mod:`tui.text.analysis`), so both the index and the queries of every engine hold the same terms.

The fields are data (:data:`FIELDS`): adding one (``author``) is one line here, and each
engine maps the kinds below to its own types.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True)
class Field:
    """One field of the index.

    ``kind``: ``id`` (the value is one term: ids, dates, hashes), ``text`` (Glose's analyzer:
    folded, stop words dropped, stemmed; positions kept for phrases), ``words`` (folded words,
    not stemmed: sources), ``int`` (a number) or ``stored`` (kept, not searchable).
    """

    name: str
    kind: str
    stored: bool = False
    boost: float = 1.0


FIELDS: tuple[Field, ...] = (
    Field("id", "id", stored=True),  # unique
    Field("title", "text", stored=True, boost=2.0),
    Field("body", "text"),
    Field("source", "words", stored=True),
    Field("author", "words", stored=True),
    Field("date", "id", stored=True),
    Field("hash", "id", stored=True),
    Field("size", "int", stored=True),
    Field("mtime", "int", stored=True),
    Field("encoding", "stored"),
    # the article's other variables (tui.api.variables): kept, and queried through the variable
    # table rather than the engine, so a value set by hand counts the same everywhere
    Field("section", "stored"),
    Field("page", "stored"),
    Field("origin", "stored"),
    Field("words", "stored"),
    Field("language", "stored"),
    Field("docid", "stored"),  # what a citation names beside the variables (tui.formats.citing)
    Field("url", "stored"),
)
STORED = tuple(f.name for f in FIELDS if f.stored or f.kind == "stored")
SEARCHED = ("body", "title")  # the fields an unfielded word looks in


class QueryBuilder(Protocol):
    """Makes an engine's query objects; :func:`tui.search.query.compile_query` drives it. Every
    ``terms`` argument already went through Glose's analyzer."""

    def term(self, field: str, term: str) -> Any: ...
    def phrase(self, field: str, terms: Sequence[str]) -> Any: ...
    def prefix(self, field: str, prefix: str) -> Any: ...
    def date_range(self, start: str, end: str) -> Any:
        """Dates (ISO strings) from ``start`` to ``end`` inclusive, compared as strings."""

    def ids(self, ids: Sequence[str]) -> Any: ...
    def every(self) -> Any: ...
    def nothing(self) -> Any: ...
    def all_of(self, parts: Sequence[Any]) -> Any: ...
    def any_of(self, parts: Sequence[Any]) -> Any: ...
    def negate(self, part: Any) -> Any: ...
    def is_negation(self, part: Any) -> bool: ...


class Writer(Protocol):
    """Changes to one index, visible to searchers after :meth:`commit`."""

    def add(self, document: dict) -> None:
        """A document new to the index (a fresh build: no older copy to replace)."""

    def replace(self, document: dict) -> None: ...
    def delete(self, article_id: str) -> None: ...
    def commit(self) -> None:
        """Make the changes durable (on disk, fsynced) and visible."""

    def cancel(self) -> None: ...


class Reader(Protocol):
    """An open index: one reused searcher. Not thread-safe; :class:`tui.search.searcher.SearchEngine`
    serialises the calls."""

    def search(self, query: Any, limit: int | None) -> tuple[list[tuple[dict, float]], Any]:
        """The best ``limit`` (None: all) matches as (stored fields, score), and a handle
        that :meth:`count` takes to count every match on demand."""

    def count(self, handle: Any) -> int: ...
    def ids(self, query: Any) -> Iterator[str]:
        """Every matching article id, unscored, in no particular order."""

    def ids_matching(self, queries: Sequence[Any], need: int) -> list[str]:
        """The ids of the articles at least ``need`` of ``queries`` match (where-else's
        candidates), in no particular order: counted on the engine's own document numbers, so
        only the articles kept have their id read."""

    def documents(self) -> Iterable[dict]:
        """The stored fields of every article."""

    def document(self, article_id: str) -> dict | None: ...
    def refresh(self) -> Reader:
        """This reader seeing the latest commit (self or a new reader)."""

    def close(self) -> None: ...


def at_least(matches: Iterable[Iterable[Any]], need: int) -> list[Any]:
    """The keys found in at least ``need`` of ``matches`` (each without repeats): an ``Or``
    with a minimum to match, counted by hand (Whoosh's ``Or`` has no working ``minmatch``)."""
    counts: dict[Any, int] = {}
    for keys in matches:
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    return [k for k, n in counts.items() if n >= need]


class Engine(Protocol):
    """One full-text engine: where an index generation lives and how it is written, read
    and queried."""

    name: str
    # True: a large build runs in Glose's worker processes that each write a part of the
    # index (Whoosh); False: workers prepare documents (:meth:`prepare`) and the engine's
    # writer takes them with ``add_prepared`` (tantivy, which writes with its own threads).
    parallel: bool

    def check(self) -> None:
        """Raise :class:`tui.errors.IndexError_` saying how to install the engine if it is not."""

    def create(self, folder: Path, language: str, sample: Iterable[str] = ()) -> None:
        """An empty index in ``folder``; ``sample``: texts of some of the articles about to
        be indexed (an engine may tune the index to them: Whoosh picks its common stems)."""

    def writer(self, folder: Path, language: str, batch: int) -> Writer:
        """A writer; ``batch`` is how many documents are about to come."""

    def open(self, folder: Path) -> Reader: ...
    def prepare(self, document: dict, language: str) -> Any:
        """A document analysed and ready for the writer (picklable; engines with
        ``parallel = False`` only)."""

    def builder(self, language: str) -> QueryBuilder: ...
