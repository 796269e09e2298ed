"""Searching the index: ranked results, and for each the snippets, hit offsets and
concordance lines of :mod:`.hits`. The engine (:mod:`tui.search.engines`: Whoosh or tantivy)
decides *which* articles match and their order. Snippets are made only when asked for (the
rows on screen), and stop at the first window of hits.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from ..errors import ArticleNotFound, GloseError, IndexDamaged
from ..text.analysis import DEFAULT_LANGUAGE
from ..text.corpus import article_text
from .engines import get_engine
from .hits import Hit, KwicLine, Snippet, find_hits, kwic_line, make_snippet, sort_kwic
from .index import STATE_FILE, State, open_generation
from .query import Compiled, Highlight, Lookup, compile_query, no_lookup, query_key, uses_lookups


@dataclass
class Results:
    query: str
    hits: list[Hit]
    compiled: Compiled
    _handle: object = None  # the engine's, for counting every match on demand
    _total: int | None = None
    _lock: object = None
    _reader: object = None

    @property
    def total(self) -> int:
        """How many articles match in all, asked of the engine only when wanted: an engine
        may count in a second pass over the index, and the reader shows the first results
        before it knows the count. (Whoosh and tantivy both count while they rank.)"""
        if self._total is None:
            with self._lock or contextlib.nullcontext(), _damage_is_ours():
                self._total = self._reader.count(self._handle)
        return self._total


# --- the engine -----------------------------------------------------------------------------


class _Kept(OrderedDict):
    """The ``size`` most recently used items; the least recently used go first."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def fetch(self, key):
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def keep(self, key, value):
        self[key] = value
        while len(self) > self.size:
            self.popitem(last=False)
        return value


def _locked(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self.lock:
            return method(self, *args, **kwargs)

    return wrapper


class SearchEngine:
    """An open index (one reused reader of its engine) and a small cache of article texts.

    The TUI keeps one for its lifetime (``refresh`` after an update); the CLI uses one per
    command. Opening costs one read of ``state.json`` and of the engine's table of contents.
    """

    TEXT_CACHE = 64
    RESULTS_CACHE = 128
    SNIPPETS_CACHE = 512

    def __init__(
        self,
        articles_dir: Path,
        index_dir: Path,
        language: str = DEFAULT_LANGUAGE,
        tags: Lookup = no_lookup,
    ):
        self.articles_dir = articles_dir
        self.index_dir = index_dir
        self.language = language
        self.tags = tags
        self._texts: _Kept = _Kept(self.TEXT_CACHE)  # article id -> canonical text
        self._results: _Kept = _Kept(self.RESULTS_CACHE)  # (query key, limit) -> Results
        self._snippets: _Kept = _Kept(self.SNIPPETS_CACHE)  # (article id, highlight key) -> Snippet
        # Whoosh readers share file handles: two threads reading at once corrupt each other's
        # reads. The TUI's workers all go through this lock.
        self.lock = threading.RLock()
        self._generation: str | None = None
        self._reader = None
        self._builder = None
        self.engine_name: str | None = None
        self.epoch = 0  # grows at every refresh: what is kept from the records goes stale
        self._token: list | None = None  # the commit this reader sees (state file's identity)
        self._records: tuple[list | None, list[dict]] | None = None
        self.refresh()

    @_locked
    def refresh(self) -> None:
        """See the latest committed index (after an update or a rebuild by any process)."""
        # taken before the state is read: what this reader sees is at least that commit
        self._token = _state_token(self.index_dir)
        state = State.load(self.index_dir)
        if state is None or state.generation is None:
            raise GloseError("there is no index yet: run `glose index`")
        engine = get_engine(state.engine)
        engine.check()
        with _damage_is_ours():
            if state.generation != self._generation:
                self.close()
                self._reader = open_generation(self.index_dir, state)
                self._generation = state.generation
                # a reader may know how to query its own index better (Whoosh: its pairs)
                own = getattr(self._reader, "builder", None)
                self._builder = own(self.language) if own else engine.builder(self.language)
                self.engine_name = engine.name
            else:
                self._reader = self._reader.refresh()
        self.epoch += 1
        self.forget()

    @_locked
    def forget(self) -> None:
        """Drop the kept texts, results and snippets (they may describe an older index)."""
        self._texts.clear()
        self._results.clear()
        self._snippets.clear()

    @_locked
    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
        self._reader = None
        self._generation = None

    def __enter__(self) -> SearchEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # queries

    def compile(self, query: str) -> Compiled:
        return compile_query(query, self.language, self.tags, self._builder)

    @_locked
    def search(self, query: str, limit: int | None = 20) -> Results:
        """The best ``limit`` articles. Results are kept until the index changes, under what
        the query asks once analysed (:func:`tui.search.query.query_key`): search as you type asks
        again for what was typed a moment ago (a backspace, a word typed again) and, at most
        keys, for what the last key already asked (a letter stemming drops, a space, a stop
        word, a closing quote), and gets it without the engine. Queries with ``tag:``, ``set:``
        or a variable are not kept (annotations and variables change without the index
        changing)."""
        kept = not uses_lookups(query)
        key = (query_key(query, self.language), limit) if kept else None
        if key is not None and (cached := self._results.fetch(key)) is not None:
            return cached if cached.query == query else dataclasses.replace(cached, query=query)
        compiled = self.compile(query)
        with _damage_is_ours():
            found, handle = self._reader.search(compiled.query, limit)
            hits = [self._hit(fields, score) for fields, score in found]
            total = len(hits) if limit is None or len(hits) < limit else None  # known without counting
            results = Results(query, hits, compiled, handle, total, self.lock, self._reader)
        if key is not None:
            self._results.keep(key, results)
        return results

    @_locked
    def matching_ids(self, query: str) -> list[str]:
        """Every matching article id, in id order (for concordances and bulk actions)."""
        compiled = self.compile(query)
        with _damage_is_ours():
            return sorted(self._reader.ids(compiled.query))

    @staticmethod
    def _hit(fields: dict, score: float | None) -> Hit:
        return Hit(
            article=fields["id"],
            title=fields.get("title") or fields["id"],
            date=fields.get("date") or None,
            source=fields.get("source") or None,
            score=round(float(score or 0.0), 4),
            author=fields.get("author") or None,
        )

    @_locked
    def article_hits(
        self, article_id: str, highlight: Highlight, limit: int | None = None
    ) -> list[tuple[int, int]]:
        """The first ``limit`` hits (all with None): a 20 MB file of one word repeated has
        five million, which take half a minute to find and hundreds of MB to hold."""
        return list(islice(find_hits(self.text(article_id), highlight, self.language), limit))

    @_locked
    def snippet(self, article_id: str, highlight: Highlight) -> Snippet:
        """The article's snippet for ``highlight``, kept until the index changes: the results
        of the next key share most rows and often the same terms."""
        key = (article_id, highlight.key())
        if (kept := self._snippets.fetch(key)) is not None:
            return kept
        return self._snippets.keep(key, make_snippet(self.text(article_id), highlight, self.language))

    @_locked
    def kwic(
        self,
        query: str,
        width: int = 40,
        sort: str = "position",
        limit: int | None = None,
        within: Collection[str] | None = None,
    ) -> list[KwicLine]:
        """Every occurrence of the query's words and phrases, one line each; the first ``limit``
        in article order (then sorted) when given: a word on every line of a large corpus (a
        20 MB file of it has five million) is more lines than a screen or memory can hold.
        ``within``: only in these articles (``--where``)."""
        compiled = self.compile(query)
        lines = self._kwic_lines(query, compiled.highlight, width, within)
        return sort_kwic(list(islice(lines, limit)), sort)

    def _kwic_lines(
        self, query: str, highlight: Highlight, width: int, within: Collection[str] | None = None
    ) -> Iterator[KwicLine]:
        for article_id in self.matching_ids(query):
            if within is not None and article_id not in within:
                continue
            try:
                text = self.text(article_id)
            except ArticleNotFound:
                continue  # vanished since it was indexed (an unreadable file says so instead)
            for start, end in find_hits(text, highlight, self.language):
                yield kwic_line(article_id, text, start, end, width)

    # articles

    @_locked
    def text(self, article_id: str) -> str:
        """The canonical text of an article (cached for the last few)."""
        if (kept := self._texts.fetch(article_id)) is not None:
            return kept
        return self._texts.keep(article_id, article_text(self.articles_dir, article_id).text)

    @_locked
    def phrase_candidates(self, phrases: list[str], at_least: int = 1) -> list[str]:
        """Articles holding ``at_least`` of ``phrases`` as phrases (for where-else): the index
        narrows the corpus down before any file is read."""
        from ..text.analysis import terms

        b = self._builder
        queries = []
        for phrase in phrases:
            found = terms(phrase, self.language)
            if len(found) >= 2:
                queries.append(b.phrase("body", found))
        if not queries:  # only common words: every remaining word must be there
            found = sorted({t for p in phrases for t in terms(p, self.language)})
            if not found:
                return []
            queries = [b.all_of([b.term("body", t) for t in found])]
        with _damage_is_ours():
            return sorted(self._reader.ids_matching(queries, min(at_least, len(queries))))

    @_locked
    def catalog(self) -> list[Hit]:
        """Every indexed article with its metadata, in id order."""
        return [self._hit(f, None) for f in self.records()]

    def ids(self) -> list[str]:
        return [h.article for h in self.catalog()]

    @_locked
    def records(self) -> list[dict]:
        """Every indexed article's stored fields (id, title, date, source, author, section,
        page, origin, words, language...), in id order: what the variables and the catalog
        are made of. Reading them from the engine costs ~1.5 s at 50,000 articles (a stored
        document each), so they are kept beside the index, under the commit they describe,
        and read back in a tenth of that by every process until the next commit."""
        token = self._token
        if self._records is not None and self._records[0] == token:
            return self._records[1]
        found = _kept_records(self.index_dir, token)
        if found is None:
            with _damage_is_ours():
                found = sorted((dict(f) for f in self._reader.documents()), key=lambda f: f["id"])
            _keep_records(self.index_dir, token, found)
        self._records = (token, found)
        return found

    @_locked
    def records_of(self, ids: list[str]) -> dict[str, dict]:
        """The stored fields of these articles (the ones the index holds)."""
        with _damage_is_ours():
            found = {i: self._reader.document(i) for i in ids}
        return {i: dict(f) for i, f in found.items() if f is not None}

    @_locked
    def info(self, article_id: str) -> Hit | None:
        with _damage_is_ours():
            fields = self._reader.document(article_id)
        return None if fields is None else self._hit(fields, None)


RECORDS_FILE = "records.json"


def _state_token(index_dir: Path) -> list | None:
    """What names a commit: the state file's identity (rewritten, by rename, at each one)."""
    try:
        st = os.stat(index_dir / STATE_FILE)
    except OSError:
        return None
    return [st.st_ino, st.st_mtime_ns, st.st_size]


def _kept_records(index_dir: Path, token: list | None) -> list[dict] | None:
    if token is None:
        return None
    try:
        kept = json.loads((index_dir / RECORDS_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("token") != token or not isinstance(kept.get("records"), list):
        return None
    return kept["records"]


def _keep_records(index_dir: Path, token: list | None, records: list[dict]) -> None:
    """Best effort (a read-only index folder keeps nothing), written whole then renamed."""
    if token is None:
        return
    tmp = index_dir / f".{RECORDS_FILE}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        tmp.write_text(json.dumps({"token": token, "records": records}, ensure_ascii=False), "utf-8")
        os.replace(tmp, index_dir / RECORDS_FILE)
    except (OSError, TypeError, ValueError):
        with contextlib.suppress(OSError):  # a read-only folder: there is nothing to remove
            tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def _damage_is_ours() -> Iterator[None]:
    """The engine failing on its own files becomes :class:`IndexDamaged`, which callers repair
    by rebuilding, instead of a traceback. Whoosh has no error class of its own for that: an
    emptied or cut file surfaces as OSError, EOFError, struct.error, TypeError, a bare
    Exception ("Block tag error")... so anything but our own errors and running out of stack
    or memory counts (the query is compiled, and bounded, before this)."""
    try:
        yield
    except (GloseError, RecursionError, MemoryError):
        raise
    except Exception as exc:
        raise IndexDamaged(
            f"the index is damaged ({type(exc).__name__}); run `glose index --rebuild`"
        ) from exc
