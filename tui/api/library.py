"""The :class:`Library`: one workspace, as the parts every front end calls — ``lib.index``,
``lib.search``, ``lib.articles``, ``lib.annotations``, ``lib.codebook``, ``lib.coders``,
``lib.journal``, ``lib.exchange``, ``lib.intake``, ``lib.passages``, ``lib.variables``,
``lib.sets``, ``lib.memos``, ``lib.writing``, ``lib.lexicon``, ``lib.families``,
``lib.counts`` — over one shared
:class:`Context` (see the README's "Architecture")."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .. import session as session_state
from ..model import StoreError
from ..session import Session
from ..workspace import Workspace
from .annotating import AnnotationsPart
from .articles import ArticlesPart
from .codebook import CodebookPart
from .coders import CodersPart
from .context import Context
from .counting import CountsPart
from .journal import JournalPart
from .memos import MemosPart
from .passages import PassagesPart
from .searching import SearchPart
from .sets import SetsPart
from .upkeep import IndexPart
from .variables import VariablesPart

if TYPE_CHECKING:
    from .adding import IntakePart
    from .exchange import ExchangePart
    from .families import FamiliesPart
    from .lexicon import LexiconPart
    from .writing import WritingPart


class Library:
    """Everything Glose does to a workspace. Thread-safe: the reader's workers share one."""

    def __init__(self, ws: Workspace, *, frontend: str = "api", coder: str | None = None):
        self.ws = ws
        self.ctx = ctx = Context(ws, frontend=frontend, coder=coder)
        self.warnings = ctx.warnings
        self.index = IndexPart(ctx)
        self.search = SearchPart(ctx)
        self.articles = ArticlesPart(ctx)
        self.annotations = AnnotationsPart(ctx)
        self.codebook = CodebookPart(ctx)
        self.coders = CodersPart(ctx, self.articles, self.annotations, self.search)
        self.journal = JournalPart(ctx)
        self.passages = PassagesPart(ctx)
        self.variables = VariablesPart(ctx)
        self.sets = SetsPart(ctx)
        ctx.field_lookups["*"] = self.variables.lookup
        self.counts = CountsPart(ctx, self.search, self.variables)
        self.memos = MemosPart(ctx, self.search)
        ctx.field_lookups["set"] = self.sets.lookup

    @cached_property
    def exchange(self) -> ExchangePart:
        """Made on first use: the formats' modules cost a one-shot ``glose search`` ~30 ms."""
        from .exchange import ExchangePart

        return ExchangePart(self.ctx, self.articles, self.variables)

    @cached_property
    def families(self) -> FamiliesPart:
        """Made on first use (numpy): wire families, ``lib.families.dedupe(ids)`` for
        ``--dedupe families``."""
        from .families import FamiliesPart

        return FamiliesPart(self.ctx, self.search, self.variables)

    @cached_property
    def intake(self) -> IntakePart:
        """Made on first use, as :attr:`exchange` (the readers of press exports and documents)."""
        from .adding import IntakePart

        return IntakePart(self.ctx)

    @cached_property
    def lexicon(self) -> LexiconPart:
        """Made on first use: frequency lists, specificities, collocates, segments (numpy)."""
        from .lexicon import LexiconPart

        return LexiconPart(
            self.ctx, self.search, self.articles, self.variables, dedupe=lambda ids: self.families.dedupe(ids)
        )

    @cached_property
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
