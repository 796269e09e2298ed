"""Searching the index: ranked hits, snippets, hit offsets in the text, and concordances.

The engine (:mod:`tui.search.engines`: Whoosh or tantivy) decides *which* articles match and their
order; *where* they match is computed here
from the canonical text with the same analyzer, so the offsets we print, highlight and jump
to are exactly the ones annotations count in. Snippets are made only when asked for (the
rows on screen), and stop at the first window of hits.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import re
import threading
from collections import OrderedDict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from ..errors import ArticleNotFound, GloseError, IndexDamaged
from ..text.analysis import DEFAULT_LANGUAGE, WORD, Word, fold, term, words
from ..text.corpus import article_text
from .engines import get_engine
from .index import State, open_generation
from .query import Compiled, Highlight, TagResolver, _no_tags, compile_query, query_key

SNIPPET_BEFORE = 70
SNIPPET_LENGTH = 220
SNIPPET_SCAN = 64_000


@dataclass(frozen=True, slots=True)
class Hit:
    """One matching article, as the results list shows it."""

    article: str
    title: str
    date: str | None
    source: str | None
    score: float
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Snippet:
    """A stretch of the canonical text (newlines shown as spaces, so offsets hold) with the
    spans to highlight, all in canonical-text offsets."""

    start: int
    text: str
    highlights: tuple[tuple[int, int], ...]


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
        """How many articles match in all. Counting them means a second pass over the index
        (as long as the search itself for a phrase), so it is done only when asked for: the
        reader shows the first results before it knows the count."""
        if self._total is None:
            with self._lock or contextlib.nullcontext(), _damage_is_ours():
                self._total = self._reader.count(self._handle)
        return self._total


@dataclass(frozen=True, slots=True)
class KwicLine:
    article: str
    start: int
    end: int
    left: str
    match: str
    right: str


# --- where a query matches a text -----------------------------------------------------------


def find_hits(
    text: str, highlight: Highlight, language: str = DEFAULT_LANGUAGE, *, jump: bool = True
) -> Iterator[tuple[int, int]]:
    """Spans of ``text`` that the query's positive words, prefixes and phrases match, in order,
    overlapping spans merged. Lazy, so a snippet needs only the text up to its first hits.

    Only the words near a candidate (see :func:`_candidates`) are analysed: the walk jumps
    from one to the next, so a text with few hits costs a regex scan, not a word-by-word pass
    (``jump=False``: every word, the reference the tests compare with)."""
    if not highlight:
        return
    longest = max((len(p) for p in highlight.phrases), default=1)
    pattern = _candidates(highlight)
    if not jump or pattern is None or _risky(text):
        stream: Iterator[Word | None] = words(text, language)
    else:
        stream = _near(text, pattern, longest, language)
    folded: dict[str, str] = {}  # words repeat: fold each once
    window: deque[Word] = deque()
    pending: tuple[int, int] | None = None

    def at_head() -> Iterator[tuple[int, int]]:
        head = window[0]
        if head.term in highlight.terms or any(head.term.startswith(p) for p in highlight.prefixes):
            yield head.start, head.end
        elif highlight.prefixes:
            word = text[head.start : head.end]
            surface = folded.get(word)
            if surface is None:
                surface = folded[word] = fold(word)
            if any(surface.startswith(p) for p in highlight.prefixes):
                yield head.start, head.end
        for phrase in highlight.phrases:
            n = len(phrase)
            if n <= len(window) and all(window[k].term == phrase[k] for k in range(n)):
                yield head.start, window[n - 1].end

    def merged(spans: Iterator[tuple[int, int]]) -> Iterator[tuple[int, int]]:
        nonlocal pending
        for span in spans:
            if pending is None:
                pending = span
            elif span[0] <= pending[1]:
                pending = (pending[0], max(pending[1], span[1]))
            else:
                yield pending
                pending = span

    for word in stream:
        if word is None:  # words were skipped: the window's words are not followed by the next
            while window:
                yield from merged(at_head())
                window.popleft()
            continue
        if word.term is None:
            continue
        window.append(word)
        if len(window) >= longest:
            yield from merged(at_head())
            window.popleft()
    while window:
        yield from merged(at_head())
        window.popleft()
    if pending is not None:
        yield pending


# Accented and ligature forms that fold to each ASCII letter (lowercase; matched ignoring case).
_VARIANTS = {
    "a": "aàáâãäåāăą",
    "c": "cçćč",
    "e": "eèéêëēĕėęě",
    "i": "iìíîïīĭį",
    "n": "nñńň",
    "o": "oòóôõöōŏő",
    "u": "uùúûüūŭůűų",
    "y": "yýÿ",
    "s": "sśšş",
    "z": "zźżž",
}
_LIGATURE_OF = {"oe": "œŒ", "ae": "æÆ", "ss": "ß", "ij": "ĳĲ"}


def _both_cases(chars: str) -> str:
    return "".join(dict.fromkeys(chars + "".join(c.upper() for c in chars if len(c.upper()) == 1)))


_KNOWN = frozenset(_both_cases("".join(_VARIANTS.values()) + "".join(_LIGATURE_OF.values())))
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_WORD_CHAR = re.compile(r"[^\W_]")


_RISKY = re.compile(f"[^\\W_a-zA-Z0-9{''.join(sorted(_KNOWN))}]")


def _risky(text: str) -> bool:
    """Whether ``text`` holds a letter the candidate patterns do not account for (another
    script, a compatibility form such as "ﬁ" or "²"): such a text is walked word by word."""
    return not text.isascii() and _RISKY.search(text) is not None


def _letters(key: str) -> str:
    """A regex matching the raw spellings whose folded form starts with ``key``."""
    parts, i = [], 0

    def cls(ch: str) -> str:
        return f"[{_both_cases(_VARIANTS.get(ch, ch))}]"

    while i < len(key):
        pair = key[i : i + 2]
        if pair in _LIGATURE_OF:
            parts.append(f"(?:{cls(pair[0])}{cls(pair[1])}|[{_LIGATURE_OF[pair]}])")
            i += 2
            continue
        ligatures = (
            "".join(lig for two, lig in _LIGATURE_OF.items() if two[0] == key[i]) if i == len(key) - 1 else ""
        )
        parts.append(f"[{_both_cases(_VARIANTS.get(key[i], key[i]))}{ligatures}]")
        i += 1
    return "".join(parts)


@functools.lru_cache(maxsize=256)
def _candidate_pattern(keys: frozenset[str]) -> re.Pattern:
    # Every case spelt out, no look-behind: the pattern then starts with a set of characters,
    # which the regex engine scans for quickly; word starts are checked by :func:`_next`.
    return re.compile("|".join(_letters(k) for k in sorted(keys)))


def _candidates(highlight: Highlight) -> re.Pattern | None:
    """A regex for the word starts where a hit can begin, or None when it cannot be said.

    A hit begins at a word whose term (a stem of its folded form) is a query term or a phrase's
    first term, or whose term or folded form starts with a prefix. Stemming changes at most the
    last two letters of a folded word, so the first ``len - 2`` letters (at most 4) of each
    term and prefix are a prefix of every such word's folded form: the pattern matches them
    spelt with any accent, ligature or case."""
    keys = set()
    for stem in (*highlight.terms, *highlight.prefixes, *(p[0] for p in highlight.phrases)):
        if not _ASCII_WORD.fullmatch(stem):
            return None
        keys.add(stem[: max(1, min(4, len(stem) - 2))])
    return _candidate_pattern(frozenset(keys))


def _next(text: str, pattern: re.Pattern, pos: int) -> int | None:
    """Where the next candidate that begins a word is, from ``pos`` on."""
    while (m := pattern.search(text, pos)) is not None:
        at = m.start()
        if at == 0 or not _WORD_CHAR.match(text, at - 1):
            return at
        pos = at + 1
    return None


def _near(text: str, pattern: re.Pattern, longest: int, language: str) -> Iterator[Word | None]:
    """The words of ``text`` from each candidate on, until ``longest`` terms past the last
    candidate (so a phrase starting there is whole); None where words were skipped."""
    pos = 0
    while (at := _next(text, pattern, pos)) is not None:
        if at > pos:
            yield None
        left = longest
        for match in WORD.finditer(text, at):
            if pattern.match(text, match.start()):
                left = longest
            found = term(match.group(), language)
            yield Word(found, match.start(), match.end())
            pos = match.end()
            if found is not None:
                left -= 1
                if left <= 0:
                    break


def make_snippet(text: str, highlight: Highlight, language: str = DEFAULT_LANGUAGE) -> Snippet:
    """The first stretch of ``text`` around a hit (or its opening when no word hit)."""
    # A snippet shows the first hit; past SNIPPET_SCAN characters without one, the opening
    # is shown instead (the match is then in the title or too deep to be worth the wait).
    hits = find_hits(text[:SNIPPET_SCAN], highlight, language)
    first = next(hits, None)
    if first is None:
        start = 0
    else:
        start = max(0, first[0] - SNIPPET_BEFORE)
        while 0 < start < first[0] and text[start - 1].isalnum():
            start += 1  # begin on a whole word
    end = min(len(text), start + SNIPPET_LENGTH)
    if end < len(text):  # end on a word boundary
        cut = text.rfind(" ", start, end)
        if first is not None and cut > first[1]:
            end = cut
    spans: list[tuple[int, int]] = []
    if first is not None:
        spans.append(first)
        for span in hits:
            if span[0] >= end:
                break
            spans.append((span[0], min(span[1], end)))
    piece = text[start:end].replace("\n", " ").replace("\t", " ")
    return Snippet(start, piece, tuple(spans))


def sort_kwic(lines: list[KwicLine], sort: str) -> list[KwicLine]:
    """Concordance lines by ``position`` (article, then offset: as found), or by the words
    ``left`` of the hit (read backwards from it) or ``right`` of it."""
    if sort == "left":
        lines.sort(key=lambda k: (_context_key(k.left)[::-1], fold(k.match), k.article, k.start))
    elif sort == "right":
        lines.sort(key=lambda k: (fold(k.match), _context_key(k.right), k.article, k.start))
    return lines


def _context_key(text: str) -> list[str]:
    return [fold(w) for w in WORD.findall(text)]


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
        tags: TagResolver = _no_tags,
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
        self.refresh()

    @_locked
    def refresh(self) -> None:
        """See the latest committed index (after an update or a rebuild by any process)."""
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
        word, a closing quote), and gets it without the engine. Queries with ``tag:`` are not
        kept (annotations change without the index changing)."""
        kept = "tag:" not in query.lower()
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
        self, query: str, width: int = 40, sort: str = "position", limit: int | None = None
    ) -> list[KwicLine]:
        """Every occurrence of the query's words and phrases, one line each; the first ``limit``
        in article order (then sorted) when given: a word on every line of a large corpus (a
        20 MB file of it has five million) is more lines than a screen or memory can hold."""
        compiled = self.compile(query)
        return sort_kwic(list(islice(self._kwic_lines(query, compiled.highlight, width), limit)), sort)

    def _kwic_lines(self, query: str, highlight: Highlight, width: int) -> Iterator[KwicLine]:
        for article_id in self.matching_ids(query):
            try:
                text = self.text(article_id)
            except ArticleNotFound:
                continue  # vanished since it was indexed (an unreadable file says so instead)
            for start, end in find_hits(text, highlight, self.language):
                left = text[max(0, start - width) : start]
                right = text[end : end + width]
                yield KwicLine(article_id, start, end, _flat(left), _flat(text[start:end]), _flat(right))

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
        need = min(at_least, len(queries))
        counts: dict[str, int] = {}
        with _damage_is_ours():
            for query in queries:  # (Whoosh's Or has no working minmatch: count by hand)
                for article in self._reader.ids(query):
                    counts[article] = counts.get(article, 0) + 1
            return sorted(a for a, n in counts.items() if n >= need)

    @_locked
    def catalog(self) -> list[Hit]:
        """Every indexed article with its metadata, in id order."""
        with _damage_is_ours():
            return sorted((self._hit(f, None) for f in self._reader.documents()), key=lambda h: h.article)

    def ids(self) -> list[str]:
        return [h.article for h in self.catalog()]

    @_locked
    def info(self, article_id: str) -> Hit | None:
        with _damage_is_ours():
            fields = self._reader.document(article_id)
        return None if fields is None else self._hit(fields, None)


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


def _flat(text: str) -> str:
    return text.replace("\n", " ").replace("\t", " ")
