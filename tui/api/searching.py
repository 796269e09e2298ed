"""``lib.search``: queries over the index, the hits of one article, the concordance."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

from .context import Context

if TYPE_CHECKING:
    from ..search.hits import Hit, KwicLine, Snippet
    from ..search.searcher import Results


@dataclass(frozen=True)
class Page:
    """A page of results as a list shows it: each hit with its snippet (None: the file cannot
    be read now), how many articles match in all, and the query as compiled (its highlight
    finds the hits in a reader)."""

    results: Results
    rows: list[tuple[Hit, Snippet | None]]

    @property
    def total(self) -> int:
        return self.results.total


class SearchPart:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    def run(self, query: str, limit: int | None = 20) -> Results:
        """The articles matching ``query``, best first (a malformed query: QueryError)."""
        return self._ctx.engine.search(query, limit=limit)

    def ids(self, query: str | None) -> list[str]:
        """Every article ``query`` matches, in id order (None or blank: every indexed article):
        what ``--where QUERY`` narrows a listing or an analysis to."""
        engine = self._ctx.engine
        if query is None or not query.strip():
            return engine.ids()
        return engine.matching_ids(query)

    def page(self, query: str, limit: int | None = 20) -> Page:
        """The first ``limit`` results with their snippets, in one call."""
        results = self.run(query, limit=limit)
        return Page(results, self.snippets(results.hits, results.compiled.highlight))

    def snippets(self, hits: list[Hit], highlight) -> list[tuple[Hit, Snippet | None]]:
        """Each hit with its snippet; None for a file that cannot be read now (it was indexed,
        then removed or made unreadable): the list still shows the others."""
        from ..errors import GloseError

        rows: list[tuple[Hit, Snippet | None]] = []
        for hit in hits:
            try:
                rows.append((hit, self._ctx.engine.snippet(hit.article, highlight)))
            except GloseError:
                rows.append((hit, None))
        return rows

    def snippet(self, article: str, highlight) -> Snippet:
        return self._ctx.engine.snippet(article, highlight)

    def article_hits(self, article: str, highlight, limit: int | None = None) -> list[tuple[int, int]]:
        """Where the query's terms are in the article (canonical-text offsets), the first
        ``limit`` of them."""
        return self._ctx.engine.article_hits(article, highlight, limit)

    def hits_in(self, text: str, highlight, limit: int | None = None) -> list[tuple[int, int]]:
        """Where the query's terms are in a text a reader already holds, the first ``limit``."""
        from ..search.hits import find_hits

        return list(islice(find_hits(text, highlight, self._ctx.ws.language), limit))

    def kwic(
        self, query: str, *, width: int = 40, sort: str = "position", limit: int | None = None
    ) -> list[KwicLine]:
        return self._ctx.engine.kwic(query, width=width, sort=sort, limit=limit)

    def concordance(
        self, query: str, *, width: int = 40, sort: str = "position", limit: int
    ) -> tuple[list[KwicLine], bool]:
        """The first ``limit`` occurrences in article order, sorted, and whether there are
        more: whatever the sort, the same lines (so "tag all listed" tags the same ones)."""
        from ..search.hits import sort_kwic

        lines = self._ctx.engine.kwic(query, width=width, limit=limit + 1)
        return sort_kwic(lines[:limit], sort), len(lines) > limit
