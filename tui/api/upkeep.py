"""``lib.index``: keeping the index up to date with ``articles/`` (and the annotations with
it), and what the index says of itself: its engine, and advice about it."""

from __future__ import annotations

from . import indexing
from .context import Context


class IndexPart:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    def exists(self) -> bool:
        return self._ctx.ws.has_index()

    def needs_update(self) -> bool:
        """Whether a file changed since the last update (a stat of each file)."""
        from ..search.index import needs_update

        ws = self._ctx.ws
        return needs_update(ws.articles, ws.index, ws.language, ws.config.engine)

    def update(
        self,
        *,
        rebuild: bool = False,
        progress=None,
        engine: str | None = None,
        paths: list[str] | None = None,
    ):
        """Index what changed (or everything), then make the annotations follow the files.
        ``engine`` (``glose index --engine``): build with it, rebuilding if the index has another.
        ``paths`` (relative to ``articles/``: what a watcher heard): look at their folders only."""
        ctx = self._ctx
        return indexing.update_index(
            ctx.ws, lambda: ctx.store, rebuild=rebuild, progress=progress, engine=engine, paths=paths
        )

    def ensure(self, progress=None, published=None, paths: list[str] | None = None):
        """Update the index if anything changed on disk, and make the annotations follow the
        files even when the index cannot be updated (see :func:`indexing.ensure_index`;
        ``published(n)``: a first build is searchable so far; ``paths``: what the watcher
        heard, relative to ``articles/``: only their folders are looked at)."""
        ctx = self._ctx
        return indexing.ensure_index(
            ctx.ws, lambda: ctx.store, progress=progress, published=published, paths=paths
        )

    def watch(self, stop):
        """Batches of paths under ``articles/`` that changed on disk, as they happen, until
        ``stop.is_set()``: a prompt to :meth:`ensure` (which decides what changed). Raises
        :class:`~tui.errors.GloseError` when the folder cannot be watched."""
        from ..text.watching import watch_articles

        ws = self._ctx.ws
        return watch_articles(ws.articles, stop, ignore=(ws.index,))

    def refresh(self) -> None:
        """See the latest committed index (after an update by this or another process)."""
        self._ctx.refresh()

    def engine_name(self) -> str | None:
        """The engine that built the index (None: no index yet)."""
        from ..search.index import State

        state = State.load(self._ctx.ws.index)
        return state.engine if state is not None else None

    def advice(self) -> str | None:
        """A suggestion to switch to tantivy when the corpus is past the size where Whoosh's
        search as you type slows down (None when there is nothing to say)."""
        from ..search.engines import SUGGEST_TANTIVY_FROM
        from ..search.index import State

        ws = self._ctx.ws
        state = State.load(ws.index)
        if state is None or state.engine != "whoosh" or ws.config.engine == "whoosh":
            return None
        articles = state.files.indexed(0)[1]
        if articles < SUGGEST_TANTIVY_FROM:
            return None
        return (
            f"{articles:,} articles: the tantivy engine searches a corpus this size several times faster; "
            'switch with glose index --engine tantivy (or engine = "tantivy" in glose.toml)'
        )
