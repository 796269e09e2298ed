"""The :class:`Context` every part of the API shares: the workspace, who writes, the store and
the search engine (opened on first use, so a one-shot command pays only for what it touches),
and the one rule that annotations follow a text that changed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ..errors import IndexDamaged, QueryError
from ..text.corpus import ArticleText, article_text
from ..workspace import Workspace

if TYPE_CHECKING:  # the engines, the store and the model load on first use
    from ..model import Annotation
    from ..search.searcher import SearchEngine
    from ..store import Actor, Store


class Context:
    """One workspace as the parts of the API see it. Thread-safe: the reader's workers share
    one (the store and the engine are made under a lock)."""

    def __init__(self, ws: Workspace, *, frontend: str = "api", coder: str | None = None):
        self.ws = ws
        self.warnings: list[str] = list(ws.config.warnings)
        self.lock = threading.RLock()
        self._who = (frontend, coder)  # who writes: the coder is worked out on first write
        self._actor: Actor | None = None
        self._store: Store | None = None
        self._engine: SearchEngine | None = None
        # query fields answered by a part of the API (``set``; ``*``: any other, the variables)
        self.field_lookups: dict[str, Callable[[str, str], set[str]]] = {}

    # --- what is opened on first use ------------------------------------------------------------

    @property
    def actor(self) -> Actor:
        """Who writes. Made on first use: importing the store package costs a one-shot
        ``glose search``, which never writes, ~15 ms."""
        if self._actor is None:
            from ..store.journal import Actor

            frontend, coder = self._who
            self._actor = Actor(frontend, self.ws.config.effective_coder(coder))
        return self._actor

    @property
    def coder(self) -> str:
        return self.actor.coder

    @property
    def store(self) -> Store:
        """The annotation store, opened (and created or upgraded) on first use."""
        with self.lock:
            if self._store is None:
                from ..store import open_store

                self.ws.check()
                self._store = open_store(self.ws.config.store, self.ws.db, actor=self.actor)
                if self.ws.shared_store is not None:  # a team's: seen through this folder's files
                    from .localview import LocalStore

                    self._store = LocalStore(self._store, self.ws)
            return self._store

    @property
    def engine(self) -> SearchEngine:
        """The search engine over the index (a damaged index is rebuilt once)."""
        with self.lock:
            if self._engine is None:
                from ..search.searcher import SearchEngine

                try:
                    self._engine = SearchEngine(
                        self.ws.articles, self.ws.index, self.ws.language, self.lookup
                    )
                except IndexDamaged:
                    self.rebuild_index()
                    self._engine = SearchEngine(
                        self.ws.articles, self.ws.index, self.ws.language, self.lookup
                    )
            return self._engine

    def rebuild_index(self, **kwargs):
        """Index everything again (a damaged index), then make the annotations follow."""
        from .indexing import update_index

        return update_index(self.ws, lambda: self.store, rebuild=True, **kwargs)

    def refresh(self) -> None:
        """See the latest committed index (after an update by this or another process)."""
        with self.lock:
            if self._engine is not None:
                self._engine.refresh()

    def close(self) -> None:
        with self.lock:
            if self._engine is not None:
                self._engine.close()
            if self._store is not None:
                self._store.close()
            self._engine = self._store = None

    # --- what the engine asks of the store, and the store of the engine ------------------------

    def lookup(self, field: str, value: str) -> set[str]:
        """The articles a query's ``field:value`` matches, for a field the engine does not
        search (``tag:``, ``set:``, a variable)."""
        if field == "tag":
            return self.tag_articles(value)
        handler = self.field_lookups.get(field) or self.field_lookups.get("*")
        if handler is None:
            from ..search.query import no_lookup

            return no_lookup(field, value)
        return handler(field, value)

    def tag_articles(self, name: str) -> set[str]:
        """The articles a ``tag:NAME`` query matches."""
        if not self.ws.has_store():
            raise QueryError(f"no tag '{name}': there are no annotations yet")
        return self.store.tag_articles(name)

    def holding(self, quotes: list[str]) -> list[str]:
        """Articles holding most of ``quotes`` as phrases (where an orphan could go)."""
        self.refresh()
        return self.engine.phrase_candidates(quotes, at_least=max(1, (len(quotes) + 1) // 2))

    # --- articles, and the rule that annotations follow their text ------------------------------

    def article_id(self, given: str) -> str:
        return self.ws.article_id(given)

    def article(self, given: str) -> ArticleText:
        """The canonical text of an article named by id or unique prefix."""
        self.ws.check()
        return article_text(self.ws.articles, self.article_id(given))

    def follow(self, docs: Iterable[ArticleText], anns: Iterable[Annotation]) -> bool:
        """Make the annotations of articles whose file changed since follow the new text
        (whether any did). Every path that reads annotations against a text it holds (a reader
        opening an article, agreement, settling) goes through here; the index's update does
        the same for every file at once (:func:`.indexing.sync_annotations`)."""
        texts = {d.id: d for d in docs}
        moved = {a.article for a in anns if a.article in texts and a.article_hash != texts[a.article].hash}
        if not moved or self.store.readonly:
            return False
        for article in sorted(moved):
            doc = texts[article]
            self.store.reanchor(doc.id, doc.text, doc.hash)
        return True

    def remember(self, articles: Iterable[str]) -> None:
        """Record what these just-annotated files hold, so a rename is recognised by content
        (the next sync records it too: a failure here loses nothing)."""
        from ..model import StoreError
        from .following import remember

        try:
            remember(self.store, self.ws.articles, articles)
        except StoreError:
            pass

    def following(self, doc: ArticleText) -> list[Annotation]:
        """The article's live annotations, made to follow its text first if it changed."""
        store = self.store
        anns = store.annotations(article=doc.id)
        if self.follow([doc], anns):
            anns = store.annotations(article=doc.id)
        return anns
