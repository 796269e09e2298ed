"""``lib.counts``: the timeline (articles, hits and coded passages per period, split by a
variable) and the code × variable matrix, made from the index's records, the store's
annotations and the variables table — never by reading every article's file (hits are
counted in the articles the query finds, and only when there is a query)."""

from __future__ import annotations

from collections import Counter

from ..counts.matrix import TAG, Matrix, crosstab, in_cell
from ..counts.timeline import Timeline, tabulate
from ..errors import GloseError
from ..model import Annotation, clean_tag, tag_key
from .context import Context
from .searching import SearchPart
from .variables import BUCKETS, VariablesPart, week_range

ARTICLE = "article"  # a matrix dimension: each article its own value (the tag × article matrix)


def period_query(period: str) -> str:
    """The search that finds a period's articles (``date:2026-01``; a week: its range of days)."""
    if "-W" in period:
        first, last = week_range(period)
        return f"date:{first}..{last}"
    return f"date:{period}"


class CountsPart:
    def __init__(self, ctx: Context, search: SearchPart, variables: VariablesPart):
        self._ctx = ctx
        self._search = search
        self._variables = variables

    def timeline(
        self,
        query: str | None = None,
        *,
        by: str = "month",
        split: str | None = None,
        tag: str | None = None,
        within: frozenset[str] | None = None,
        hits: bool = True,
    ) -> Timeline:
        """Per period of ``by`` (and value of ``split``): the articles ``query`` finds (every
        article without one) among ``within`` (``lib.search.within``; None: all), the hits the reader would highlight in them
        (counted only for a query, and when ``hits``), and their coded passages (of ``tag``
        and below, or all)."""
        if by not in BUCKETS:
            raise GloseError(f"--by is day, week, month or year, not {by!r}")
        if split is not None:
            self._variables.check(split)
            split = split.strip().lower()
        articles = self._articles(query, within)
        periods = self._variables.column(f"date.{by}", articles)
        values = self._variables.column(split, periods) if split is not None else None
        notes: list[str] = []
        counted = self._hits(query, periods, notes) if query and hits else None
        rows = tabulate(periods, values, counted, self._annotated(tag, periods))
        return Timeline(by, split, rows, notes)

    def period_articles(
        self, query: str | None, by: str, period: str | None, *, within: frozenset[str] | None = None
    ) -> list[str]:
        """The articles a timeline's period counts (None: the undated ones), in id order."""
        articles = self._articles(query, within)
        periods = self._variables.column(f"date.{by}", articles)
        return sorted(a for a, p in periods.items() if p == period)

    def matrix(self, rows: str, cols: str, *, within: frozenset[str] | None = None) -> Matrix:
        """Coded passages and articles per (row, column) — each a tag, ``article``, or a
        variable (``date.month`` buckets dates) — among the articles ``within`` (None: all)."""
        dims, anns, tags, columns, articles = self._cells(rows, cols, within)
        return crosstab(dims[0], dims[1], anns, tags, columns, articles)

    def passages(
        self,
        rows: str,
        row: str | None,
        cols: str,
        col: str | None,
        *,
        within: frozenset[str] | None = None,
    ) -> list[Annotation]:
        """The coded passages of one cell of :meth:`matrix` (enter on it), in article order."""
        dims, anns, tags, columns, _ = self._cells(rows, cols, within)
        ids = [a.id for a in in_cell(anns, (dims[0], dims[1]), (row, col), tags, columns)]
        return self._ctx.store.annotations(ids=ids) if ids else []

    def _cells(self, rows: str, cols: str, within: frozenset[str] | None):
        dims = [self._dimension(rows), self._dimension(cols)]
        scope = None if within is None else sorted(within)
        store = self._ctx.store if self._ctx.ws.has_store() else None
        anns = [] if store is None else store.coded()
        if within is not None:
            anns = [a for a in anns if a.article in within]
        tags = [] if store is None else [t.name for t in store.tags()]
        variables = [d for d in dims if d not in (TAG, ARTICLE)]
        articles = scope if scope is not None else (list(self._variables.table()) if variables else None)
        columns: dict[str, dict[str, str | None]] = {}
        for dim in dims:
            if dim == ARTICLE:
                columns[dim] = {a: a for a in (articles or {x.article for x in anns})}
            elif dim != TAG:
                columns[dim] = self._variables.column(dim, articles)
        if TAG not in dims and articles is None:
            articles = list(columns[dims[0]])
        return dims, anns, tags, columns, articles

    # --- the parts -----------------------------------------------------------------------------

    def _dimension(self, name: str) -> str:
        given = name.strip().lower()
        if given in (TAG, "tags"):
            return TAG
        if given in (ARTICLE, "articles"):
            return ARTICLE
        self._variables.check(given)
        return given

    def _articles(self, query: str | None, within: frozenset[str] | None) -> list[str]:
        found = self._search.ids(query) if query else list(self._variables.table())
        return found if within is None else [a for a in found if a in within]

    def _hits(self, query: str, articles, notes: list[str]) -> dict[str, int]:
        """The hits the reader highlights (``lib.search.article_hits``) in each article."""
        highlight = self._ctx.engine.compile(query).highlight
        counted: dict[str, int] = {}
        missing = 0
        for article in articles:
            try:
                counted[article] = len(self._search.article_hits(article, highlight))
            except GloseError:
                missing += 1
        if missing:
            notes.append(f"{missing} article files could not be read: their hits are not counted")
        return counted

    def _annotated(self, tag: str | None, articles) -> Counter:
        """Live coded passages per article (of ``tag`` and the tags below it), as ``glose
        annotations --tag`` lists them."""
        if not self._ctx.ws.has_store():
            if tag is not None:
                raise GloseError(f"no tag '{tag}' in the codebook (no annotations yet)")
            return Counter()
        store = self._ctx.store
        coded = store.coded()
        if tag is not None:
            key = tag_key(tag)
            below = key + "/"
            if not any(t.name.casefold() == key or t.name.casefold().startswith(below) for t in store.tags()):
                raise GloseError(f"no tag '{clean_tag(tag)}' in the codebook")
            coded = [
                c for c in coded if any((k := t.casefold()) == key or k.startswith(below) for t in c.tags)
            ]
        wanted = set(articles)
        return Counter(c.article for c in coded if c.article in wanted)
