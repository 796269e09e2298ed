"""``lib.lexicon``: frequency lists, specificities, collocates, repeated segments and the
concordance behind each figure, over the articles a query and ``--where`` select.

The counts come from the form counts kept beside the index (:mod:`tui.lexicon.kept`), so a
list over 50,000 articles reads no file; the collocates read the files of the articles that
hold the word, the segments those of the selection. The only places that ask which articles
a query selects and what value a variable has are :meth:`LexiconPart.scope` and
:meth:`LexiconPart.column`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import GloseError
from .context import Context

if TYPE_CHECKING:
    from ..lexicon.results import Collocates, Frequencies, Segments, Specificities
    from ..lexicon.tables import Corpus
    from ..search.hits import KwicLine
    from .articles import ArticlesPart
    from .searching import SearchPart
    from .variables import VariablesPart

MAX_WINDOW = 10_000


def _spelled(word: str) -> str:
    """A word as the counts hold it: lower case, the typographic apostrophe as ``'``."""
    return word.lower().replace("’", "'")


class LexiconPart:
    def __init__(
        self,
        ctx: Context,
        search: SearchPart,
        articles: ArticlesPart,
        variables: VariablesPart,
        dedupe: Callable[[list[str]], list[str]] | None = None,
    ):
        self._ctx, self._search, self._articles, self._variables = ctx, search, articles, variables
        self._dedupe = dedupe  # each wire family once (lib.families.dedupe): --dedupe families
        self._lock = threading.Lock()
        self._corpus: tuple[int, Corpus] | None = None
        self._kept = None

    # --- the two questions asked of the rest of the library -------------------------------

    def scope(
        self,
        query: str | None = None,
        where: str | None = None,
        among: list[str] | None = None,
        dedupe: bool = False,
    ) -> list[str]:
        """The indexed articles that ``query`` and ``where`` both select (none given: all),
        of ``among`` when given (a part's articles), each wire family once with ``dedupe``,
        in id order. A malformed query: QueryError."""
        ids = set(self._hashes())
        if among is not None:
            ids &= set(among)
        if query and query.strip():
            ids &= set(self._search.ids(query))
        narrowed = self._search.within(where)  # the one --where narrowing (set:NAME too)
        if narrowed is not None:
            ids &= narrowed
        if dedupe and self._dedupe is not None:
            return sorted(self._dedupe(sorted(ids)))
        return sorted(ids)

    def column(self, name: str, ids: list[str]) -> dict[str, str | None]:
        """Each article's value of the variable ``name`` (None: it has none; ``date.month``
        and the other buckets of the date too); an unknown variable: a one-line error."""
        found = self._variables.column(name, ids)
        return {a: (found.get(a) or None) for a in ids}

    # --- the counts -------------------------------------------------------------------------

    def _hashes(self) -> dict[str, str]:
        from ..search.index import State

        state = State.load(self._ctx.ws.index)
        if state is None:
            raise GloseError("no index yet: run glose index")
        return {a: h for a, h in state.files.hashes().items() if h}

    def _read(self, article: str) -> str | None:
        try:
            return self._ctx.article(article).text
        except GloseError:
            return None

    def corpus(self) -> Corpus:
        """The form counts of every indexed article (kept between calls while the index's
        texts stay the same)."""
        from ..lexicon.kept import Kept

        hashes = self._hashes()
        key = hash(frozenset(hashes.items()))
        with self._lock:
            if self._corpus is not None and self._corpus[0] == key:
                return self._corpus[1]
            if self._kept is None:
                self._kept = Kept(self._ctx.ws.index, self._ctx.ws.language)
            corpus = self._kept.load(hashes, self._read, sorted(hashes))
            self._corpus = (key, corpus)
            return corpus

    def _selected(self, unit: str, query: str | None, where: str | None, dedupe: bool = False) -> list[str]:
        """The articles a table counts (:meth:`scope`), once ``unit`` is known to be one."""
        from ..lexicon.tokens import check_unit

        check_unit(unit)
        return self.scope(query, where, dedupe=dedupe)

    def _rows(self, corpus: Corpus, ids: list[str]) -> list[int]:
        position = corpus.position
        return [position[a] for a in ids if a in position]

    @property
    def language(self) -> str:
        return self._ctx.ws.language

    def words(
        self,
        query: str | None = None,
        *,
        where: str | None = None,
        unit: str = "form",
        stop: bool = False,
        min_f: int = 1,
        top: int = 0,
        dedupe: bool = False,
    ) -> Frequencies:
        """The frequency list of the selected articles."""
        from ..lexicon.results import Frequencies
        from ..lexicon.tables import frequencies

        ids = self._selected(unit, query, where, dedupe)
        corpus = self.corpus()
        rows = self._rows(corpus, ids)
        tokens, table = frequencies(corpus, rows, unit, self.language, stop, min_f=min_f, top=top)
        notes = [] if rows else ["no article matches: the list is empty"]
        return Frequencies(unit, tokens, len(rows), table, notes)

    def parts(self, by: str, ids: list[str]) -> list[tuple[str | None, list[str]]]:
        """The selected articles grouped by their value of ``by`` (no value: the part None,
        last), parts in value order."""
        values = self.column(by, ids)
        groups: dict[str | None, list[str]] = {}
        for article in ids:
            groups.setdefault(values.get(article), []).append(article)
        return sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))

    def specif(
        self,
        by: str,
        *,
        query: str | None = None,
        where: str | None = None,
        unit: str = "form",
        stop: bool = False,
        min_f: int = 1,
        top: int = 20,
        negative: bool = False,
        dedupe: bool = False,
    ) -> Specificities:
        """Each part's specific words against the selection as a whole."""
        from ..lexicon.results import Specificities
        from ..lexicon.tables import specificities

        ids = self._selected(unit, query, where, dedupe)
        groups = self.parts(by, ids)
        corpus = self.corpus()
        parts = [(name, self._rows(corpus, members)) for name, members in groups]
        tokens, table = specificities(
            corpus, parts, unit, self.language, stop, top=top, negative=negative, min_f=min_f
        )
        notes = []
        if not ids:
            notes.append("no article matches: there is nothing to compare")
        elif len(groups) == 1:
            notes.append(
                f"'{by}' has one value here: the part is the whole corpus, so no word is specific to it"
            )
        notes += [f"the part '{p.name}' has no words" for p in table if p.tokens == 0 and p.articles]
        return Specificities(by, unit, tokens, table, notes)

    def chart(
        self,
        word: str,
        by: str,
        *,
        query: str | None = None,
        where: str | None = None,
        unit: str = "form",
        stop: bool = False,
    ) -> list[dict]:
        """A word's count in each part (``part``, ``f``, ``tokens``): the bar chart."""
        from ..lexicon.tables import per_part

        ids = self.scope(query, where)
        corpus = self.corpus()
        parts = [(name, self._rows(corpus, members)) for name, members in self.parts(by, ids)]
        return per_part(corpus, parts, word, unit, self.language, stop)

    def holding(
        self,
        word: str,
        *,
        query: str | None = None,
        where: str | None = None,
        among: list[str] | None = None,
        unit: str = "form",
        stop: bool = False,
    ) -> list[str]:
        """The selected articles in which ``word`` occurs, in id order."""
        from ..lexicon.tables import holding

        corpus = self.corpus()
        rows = self._rows(corpus, self.scope(query, where, among))
        return [corpus.articles[r] for r in holding(corpus, rows, word, unit, self.language, stop)]

    def _texts(self, ids: list[str]) -> Iterator[tuple[str, str]]:
        for article in ids:
            text = self._read(article)
            if text is not None:
                yield article, text

    def lines(
        self,
        word: str,
        *,
        query: str | None = None,
        where: str | None = None,
        among: list[str] | None = None,
        unit: str = "form",
        width: int = 40,
        sort: str = "position",
        limit: int | None = None,
    ) -> list[KwicLine]:
        """The concordance of one word of the unit: as many lines as the lists count it (the
        first ``limit`` in article order, then sorted); ``among``: within a part's articles."""
        from ..search.hits import sort_kwic

        return sort_kwic(self._lines(word, query, where, among, unit, width, limit), sort)

    def _lines(self, word, query, where, among, unit, width, limit) -> list[KwicLine]:
        from ..lexicon.context import mapper, spans
        from ..search.hits import kwic_line

        to_word = mapper(unit, self.language, False)
        word = _spelled(word)
        found: list[KwicLine] = []
        for article, text in self._texts(
            self.holding(word, query=query, where=where, among=among, unit=unit)
        ):
            for start, end in spans(text, word, to_word, self.language):
                found.append(kwic_line(article, text, start, end, width))
                if limit is not None and len(found) >= limit:
                    return found
        return found

    def cooc(
        self,
        word: str,
        *,
        window: int = 5,
        query: str | None = None,
        where: str | None = None,
        unit: str = "form",
        stop: bool = False,
        min_cooc: int = 1,
        top: int = 20,
    ) -> Collocates:
        """The collocates of ``word`` within ``window`` tokens, by TXM's cooccurrence score."""
        from ..lexicon.context import collocates, mapper, score_collocates
        from ..lexicon.results import Collocates
        from ..lexicon.tables import count, top_rows

        if not 0 <= window <= MAX_WINDOW:
            raise GloseError(f"the window is a number of words from 1 to {MAX_WINDOW}, not {window}")
        word = _spelled(word).strip()
        if not word:
            raise GloseError("give a word: glose cooc WORD")
        ids = self._selected(unit, query, where)
        corpus = self.corpus()
        rows = self._rows(corpus, ids)
        whole = count(corpus, rows, unit, self.language, stop, with_articles=False)
        number = {w: i for i, w in enumerate(whole.words)}
        notes = []
        holders = self.holding(word, query=query, where=where, unit=unit, stop=stop)
        to_word = mapper(unit, self.language, stop)
        pivots, near, size = collocates(
            (t for _, t in self._texts(holders)), word, window, to_word, self.language
        )
        if not holders:
            notes.append(f"'{word}' does not occur in the selected articles")
        elif window == 0:
            notes.append("a window of 0 words holds no collocate")

        def corpus_f(w: str) -> int:
            i = number.get(w)
            return int(whole.f[i]) if i is not None else 0

        table = score_collocates(near, size, corpus_f, whole.tokens, min_cooc=min_cooc)
        return Collocates(word, unit, pivots, window, top_rows(table, top), notes)

    def ngrams(
        self,
        n: int,
        *,
        query: str | None = None,
        where: str | None = None,
        unit: str = "form",
        stop: bool = False,
        min_f: int = 2,
        top: int = 50,
    ) -> Segments:
        """Repeated segments of ``n`` words (2 to 6) in the selected articles."""
        from ..lexicon.context import MAX_N, mapper, segments
        from ..lexicon.results import Segments
        from ..lexicon.tables import top_rows
        from ..lexicon.tokens import stop_forms

        if not 2 <= n <= MAX_N:
            raise GloseError(f"a segment is 2 to {MAX_N} words, not {n}")
        ids = self._selected(unit, query, where)
        to_word = mapper(unit, self.language, False)
        is_stop = stop_forms(self.language) if stop else None
        counts, where_found = segments(self._texts(ids), n, to_word, self.language, is_stop)
        table = [
            {"segment": s, "f": f, "articles": len(where_found[s])}
            for s, f in counts.items()
            if f >= max(1, min_f)
        ]
        table.sort(key=lambda r: (-r["f"], r["segment"]))
        notes = [] if ids else ["no article matches: the list is empty"]
        return Segments(n, top_rows(table, top), notes)

    def export_corpus(
        self, fmt: str, path: Path, *, query: str | None = None, where: str | None = None
    ) -> int:
        """The selected articles for IRaMuTeQ (``iramuteq``: one starred text file) or TXM
        (``txm``: a folder of XML-TEI files and metadata.csv), with their variables; returns
        how many were written."""
        from ..lexicon import exports

        if fmt not in ("iramuteq", "txm"):
            raise GloseError(f"unknown corpus format '{fmt}': use iramuteq or txm")
        ids = self.scope(query, where)
        names = self._variables.names()
        exported = [*names[:2], "date.month", "date.year", *names[2:]]  # source, date, month, year…
        columns = {name: self.column(name, ids) for name in exported}
        titles = self._articles.titles(ids)
        labels = {"date.month": "month", "date.year": "year"}

        def docs():
            for article, text in self._texts(ids):
                variables = {labels.get(n, n): columns[n].get(article) for n in exported}
                yield article, titles.get(article, article), text, variables

        try:
            if fmt == "txm":
                if path.exists() and (not path.is_dir() or any(path.iterdir())):
                    raise GloseError(f"{path} is not an empty folder: TXM's import reads a folder of its own")
                return exports.txm(docs(), path)
            with open(path, "w", encoding="utf-8") as out:
                return exports.iramuteq(docs(), out)
        except OSError as exc:
            raise GloseError(f"cannot write {path}: {exc.strerror or exc}") from None

    def keep(self) -> int:
        """Count what the index's update added (its hook, :func:`.indexing.update_index`)."""
        from ..lexicon.kept import Kept

        kept = Kept(self._ctx.ws.index, self._ctx.ws.language)
        return kept.keep(self._hashes(), self._read)
