"""The :class:`Library`: one workspace, as the parts every front end calls — ``lib.index``,
``lib.search``, ``lib.articles``, ``lib.annotations``, ``lib.codebook``, ``lib.coders``,
``lib.journal``, ``lib.exchange``, ``lib.intake``, ``lib.passages``, ``lib.variables``,
``lib.sets``, ``lib.memos``, ``lib.writing``, ``lib.lexicon``, ``lib.families``,
``lib.counts`` — over one shared
:class:`Context` (see the README's "Architecture")."""

from __future__ import annotations

import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .. import session as session_state
from ..session import Session
from ..workspace import Workspace
from .context import Context

if TYPE_CHECKING:
    from .adding import IntakePart
    from .annotating import AnnotationsPart
    from .articles import ArticlesPart
    from .codebook import CodebookPart
    from .coders import CodersPart
    from .counting import CountsPart
    from .exchange import ExchangePart
    from .families import FamiliesPart
    from .journal import JournalPart
    from .lexicon import LexiconPart
    from .memos import MemosPart
    from .passages import PassagesPart
    from .searching import SearchPart
    from .sets import SetsPart
    from .upkeep import IndexPart
    from .variables import VariablesPart
    from .writing import WritingPart


class part(cached_property):
    """A part of the :class:`Library`, made (and its module imported) on first use, under the
    library's lock so that the reader's workers share one: a one-shot ``glose search`` then
    imports the index and search parts, not the annotations, codebook, coders, counts...
    (their modules and the model's dataclasses: ~30 ms of its start-up here)."""

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        with instance._parts_lock:
            if self.attrname not in instance.__dict__:
                instance.__dict__[self.attrname] = self.func(instance)
            return instance.__dict__[self.attrname]


class Library:
    """Everything Glose does to a workspace. Thread-safe: the reader's workers share one."""

    def __init__(self, ws: Workspace, *, frontend: str = "api", coder: str | None = None):
        self.ws = ws
        self._parts_lock = threading.RLock()
        self.ctx = ctx = Context(ws, frontend=frontend, coder=coder)
        self.warnings = ctx.warnings
        # a query's set:NAME and variables are answered by parts made when such a query comes
        ctx.field_lookups["*"] = lambda field, value: self.variables.lookup(field, value)
        ctx.field_lookups["set"] = lambda field, value: self.sets.lookup(field, value)

    @part
    def index(self) -> IndexPart:
        from .upkeep import IndexPart

        return IndexPart(self.ctx)

    @part
    def search(self) -> SearchPart:
        from .searching import SearchPart

        return SearchPart(self.ctx)

    @part
    def articles(self) -> ArticlesPart:
        from .articles import ArticlesPart

        return ArticlesPart(self.ctx)

    @part
    def annotations(self) -> AnnotationsPart:
        from .annotating import AnnotationsPart

        return AnnotationsPart(self.ctx)

    @part
    def codebook(self) -> CodebookPart:
        from .codebook import CodebookPart

        return CodebookPart(self.ctx)

    @part
    def coders(self) -> CodersPart:
        from .coders import CodersPart

        return CodersPart(self.ctx, self.articles, self.annotations, self.search)

    @part
    def journal(self) -> JournalPart:
        from .journal import JournalPart

        return JournalPart(self.ctx)

    @part
    def passages(self) -> PassagesPart:
        from .passages import PassagesPart

        return PassagesPart(self.ctx)

    @part
    def variables(self) -> VariablesPart:
        from .variables import VariablesPart

        return VariablesPart(self.ctx)

    @part
    def sets(self) -> SetsPart:
        from .sets import SetsPart

        return SetsPart(self.ctx)

    @part
    def counts(self) -> CountsPart:
        from .counting import CountsPart

        return CountsPart(self.ctx, self.search, self.variables)

    @part
    def memos(self) -> MemosPart:
        from .memos import MemosPart

        return MemosPart(self.ctx, self.search)

    @part
    def exchange(self) -> ExchangePart:
        """Made on first use: the formats' modules cost a one-shot ``glose search`` ~30 ms."""
        from .exchange import ExchangePart

        return ExchangePart(self.ctx, self.articles, self.variables)

    @part
    def families(self) -> FamiliesPart:
        """Made on first use (numpy): wire families, ``lib.families.dedupe(ids)`` for
        ``--dedupe families``."""
        from .families import FamiliesPart

        return FamiliesPart(self.ctx, self.search, self.variables)

    @part
    def intake(self) -> IntakePart:
        """Made on first use, as :attr:`exchange` (the readers of press exports and documents)."""
        from .adding import IntakePart

        return IntakePart(self.ctx)

    @part
    def lexicon(self) -> LexiconPart:
        """Made on first use: frequency lists, specificities, collocates, segments (numpy)."""
        from .lexicon import LexiconPart

        return LexiconPart(
            self.ctx, self.search, self.articles, self.variables, dedupe=lambda ids: self.families.dedupe(ids)
        )

    @part
    def writing(self) -> WritingPart:
        """Reports and citations, made on first use as :attr:`exchange`."""
        from .writing import WritingPart

        return WritingPart(self.ctx, self.articles, self.search, self.variables, self.memos)

    @classmethod
    def open(
        cls,
        root: str | Path | None = None,
        *,
        articles: str | Path | None = None,
        index: str | Path | None = None,
        db: str | Path | None = None,
        frontend: str = "api",
        coder: str | None = None,
    ) -> Library:
        return cls(Workspace.resolve(root, articles, index, db), frontend=frontend, coder=coder)

    def close(self) -> None:
        self.ctx.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def coder(self) -> str:
        """Who this library writes as."""
        return self.ctx.coder

    @property
    def readonly(self) -> str | None:
        """Why annotations cannot be saved, or None when they can."""
        store = self.ctx.store
        return store.readonly_reason if store.readonly else None

    def data_version(self) -> int:
        """Changes when another process commits to the store (how the reader sees CLI writes)."""
        return self.ctx.store.data_version()

    def session(self) -> Session:
        """Where this user was in this workspace (the articles open, the places in them)."""
        return session_state.load(self.ws.root)

    def save_session(self, state: Session) -> None:
        session_state.save(self.ws.root, state)

    def migrate_store(self, to: str) -> dict[str, int]:
        """Copy everything this workspace's store holds (annotations, the trash, the codebook,
        metadata overrides, the journal) into ``to``: ``"sqlite"`` (the workspace's
        ``annotations.db``) or a ``postgresql://`` address. The target must be empty; the
        store in use stays as it is (glose.toml decides which one Glose uses). Returns the
        rows copied per table."""
        from ..model import StoreError
        from ..store import copy_store, is_shared, open_store

        if to != "sqlite" and not is_shared(to):
            raise StoreError(f"cannot migrate to '{to}': give sqlite or a postgresql:// address")
        if to == self.ws.config.store:
            raise StoreError(f"the annotations are in {to} already (store in glose.toml)")
        source = self.ctx.store
        target = open_store(to, self.ws.db, actor=self.ctx.actor)
        try:
            return copy_store(source, target)
        finally:
            target.close()
