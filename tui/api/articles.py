"""``lib.articles``: the corpus as articles — the catalog the index holds, an article's text
and metadata, and what a reader opens."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import GloseError
from ..model import Annotation, Memo, tag_colors
from ..text.corpus import ArticleText, scan
from .context import Context

if TYPE_CHECKING:
    from ..search.hits import Hit

TITLES_ONE_BY_ONE = 200  # more ids than this: one pass over the catalog beats a lookup each


@dataclass(frozen=True)
class ArticleView:
    """What a reader shows of one article: its text, metadata and annotations (with the
    colors of their tags), read together in a worker."""

    doc: ArticleText
    info: Hit | None
    annotations: list[Annotation]
    colors: dict[str, str]
    variables: dict[str, str] = field(default_factory=dict)  # section, page, the user's (genre…)
    memos: tuple[Memo, ...] = ()  # every coder's memo on the article

    @property
    def title(self) -> str:
        return self.info.title if self.info else self.doc.id

    @property
    def details(self) -> str:
        parts = (self.info.date, self.info.source, self.info.author) if self.info else ()
        named = [f"{k} {v}" if k == "p." else f"{k}: {v}" for k, v in self.variables.items()]
        return " · ".join(x for x in (*parts, *named, self.doc.id) if x)


class ArticlesPart:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    def id(self, given: str) -> str:
        """The article id that ``given`` (an id or a unique prefix) names."""
        return self._ctx.article_id(given)

    def text(self, given: str) -> ArticleText:
        """The canonical text of an article named by id or unique prefix."""
        return self._ctx.article(given)

    def scan_ids(self) -> list[str]:
        ws = self._ctx.ws
        return [f.id for f in scan(ws.articles)] if ws.articles.is_dir() else []

    def open(self, given: str) -> ArticleView:
        """An article for a reader; annotations made on an older text follow it first."""
        from ..text.metadata import OVERRIDABLE

        ctx = self._ctx
        doc = ctx.article(given)
        try:
            info = ctx.engine.info(doc.id)
            record = ctx.engine.records_of([doc.id]).get(doc.id, {})
        except GloseError:
            info, record = None, {}
        hand = ctx.store.variables([doc.id]).get(doc.id, {})
        shown = {k: v for k, v in sorted(hand.items()) if k not in OVERRIDABLE}  # yours first
        shown.update({k: record[k] for k in ("section",) if record.get(k)})
        if record.get("page"):
            shown["p."] = record["page"]
        anns = ctx.following(doc)
        memos = tuple(ctx.store.memos("article", doc.id))
        return ArticleView(doc, info, anns, tag_colors(ctx.store.tags()), shown, memos)

    # --- the catalog: what the index holds of every article -----------------------------------

    def catalog(self) -> list[Hit]:
        """Every indexed article with its effective metadata, in id order."""
        return self._ctx.engine.catalog()

    def head(self, limit: int, offset: int = 0) -> tuple[list[Hit], int]:
        """``limit`` indexed articles in id order from the ``offset``-th, and how many there
        are: what a list shows before a query is typed (listing 50,000 takes seconds, drawing
        them more), a screenful at a time (a query typed meanwhile need not wait for the rest)."""
        from ..search.index import State

        state = State.load(self._ctx.ws.index)
        if state is None:
            hits = self.catalog()
            return hits[offset : offset + limit], len(hits)
        ids, total = state.files.indexed(limit, offset)
        engine = self._ctx.engine
        return [h for h in (engine.info(i) for i in ids) if h is not None], total

    def titles(self, ids: Iterable[str]) -> dict[str, str]:
        """The titles of the indexed ``ids`` (lists that name the article of each line): a few
        are looked up one by one, many come from one pass over the catalog; an id the index
        does not hold is left out (callers show the id)."""
        wanted = set(ids)
        if not wanted or not self._ctx.ws.has_index():
            return {}
        try:
            if len(wanted) > TITLES_ONE_BY_ONE:
                return {h.article: h.title for h in self.catalog() if h.article in wanted}
            engine = self._ctx.engine
            return {a: h.title for a in wanted if (h := engine.info(a)) is not None}
        except GloseError:
            return {}

    def catalog_meta(self) -> dict[str, dict]:
        """Title, date and source of every indexed article, by id; empty with no usable index."""
        if not self._ctx.ws.has_index():
            return {}
        try:
            return {
                h.article: {"title": h.title, "date": h.date, "source": h.source, "author": h.author}
                for h in self.catalog()
            }
        except GloseError:
            return {}

    def meta(self, given: str, *, title=None, date=None, source=None, values=None) -> dict:
        """An article's metadata (title, date, source, the other built-in variables, the
        user's variables, what is set by hand, encoding, hash), after setting what is given
        (``values``: {name: value}; '' restores the guess or removes the variable), as one
        undoable event."""
        from ..text.corpus import load_article
        from ..text.metadata import OVERRIDABLE, with_overrides
        from .variables import set_variables

        ctx = self._ctx
        ws = ctx.ws
        ws.check()
        article_id = ctx.article_id(given)
        changes = {k: v for k, v in (("title", title), ("date", date), ("source", source)) if v is not None}
        changes.update(values or {})
        guessed = load_article(ws.articles, article_id)
        if changes:
            set_variables(ctx, {article_id: changes})
        hand = ctx.store.variables([article_id]).get(article_id, {})
        overrides = {k: v for k, v in hand.items() if k in OVERRIDABLE}
        merged = with_overrides(
            {
                "title": guessed.title,
                "date": guessed.date,
                "source": guessed.source,
                "author": guessed.author,
                "section": guessed.section,
                "page": guessed.page,
                "origin": guessed.origin,
                "language": guessed.language or ws.language,
            },
            overrides,
        )
        return {
            "article": article_id,
            **merged,
            "words": guessed.words,
            "variables": {k: v for k, v in sorted(hand.items()) if k not in OVERRIDABLE},
            "overridden": sorted(overrides),
            "encoding": guessed.encoding,
            "hash": guessed.hash,
        }
